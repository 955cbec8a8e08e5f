using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OpenGovernanceApi.DataBuild;

/// <summary>A position as the file gives it: longitude, latitude, in the file's datum.</summary>
public readonly record struct Position(double Lon, double Lat);

/// <summary>
/// One region's outline from db/data/boundaries/*.geojson: its adcode (the feature's id, and
/// properties.adcode, which must agree), the Chinese name the file gives it (checked against regions.json,
/// so a polygon keyed to the wrong code fails the build), the file's datum, and its polygons (each an
/// exterior ring then any holes), positions as written; and the file's source line (package, file, licence).
/// </summary>
public sealed record BoundaryRow(string Adcode, string? Id, string? Name, string Datum, string Source, string GeometryType, IReadOnlyList<IReadOnlyList<IReadOnlyList<Position>>> Polygons);

/// <summary>
/// Reading, checking and writing region boundaries. The file keeps the source's numbers; what the database
/// stores is RFC 7946: WGS 84 (converted from GCJ-02 when the file says that is its datum), exterior rings
/// counterclockwise and holes clockwise, consecutive repeated positions dropped, six decimals (about 0.1 m,
/// far finer than the outlines are true).
/// </summary>
public static class Boundaries
{
    /// <summary>The folder of db/data whose files hold boundaries, and their extension.</summary>
    public const string Folder = "boundaries";
    public const string Extension = ".geojson";

    /// <summary>Datums a boundary file may declare: its coordinates are converted from the first, taken as they are in the second.</summary>
    public const string Gcj02 = "GCJ-02";
    public const string Wgs84 = "WGS 84";

    /// <summary>Beijing's extent with a margin: every position of a boundary must fall inside.</summary>
    public const double MinLon = 115.3, MaxLon = 117.7, MinLat = 39.3, MaxLat = 41.2;

    /// <summary>Decimals of a stored coordinate.</summary>
    public const int Decimals = 6;

    private sealed record FileShape(string Type, string Datum, string Source, List<FeatureShape> Features);
    private sealed record FeatureShape(string Type, string? Id, PropertiesShape Properties, GeometryShape Geometry);
    private sealed record PropertiesShape(string? Adcode, string? Name);
    private sealed record GeometryShape(string Type, JsonElement Coordinates);

    /// <summary>Reads one boundary file; a shape that is not the documented one throws, and the load names the file.</summary>
    public static IEnumerable<BoundaryRow> Read(Stream stream, JsonSerializerOptions options)
    {
        var file = JsonSerializer.Deserialize<FileShape>(stream, options) ?? throw new JsonException("empty file");
        if (file.Type != "FeatureCollection") throw new JsonException($"type is '{file.Type}', not FeatureCollection");
        if (file.Datum is not (Gcj02 or Wgs84)) throw new JsonException($"datum '{file.Datum}' is neither '{Gcj02}' nor '{Wgs84}'");
        if (string.IsNullOrWhiteSpace(file.Source)) throw new JsonException("source is empty: say where the outlines come from");
        foreach (var f in file.Features)
        {
            if (f.Type != "Feature") throw new JsonException($"feature '{f.Id}': type is '{f.Type}', not Feature");
            var polygons = f.Geometry.Type switch
            {
                "Polygon" => [Polygon(f.Geometry.Coordinates, f.Id)],
                "MultiPolygon" => f.Geometry.Coordinates.EnumerateArray().Select(p => Polygon(p, f.Id)).ToList(),
                _ => throw new JsonException($"feature '{f.Id}': geometry type '{f.Geometry.Type}' is neither Polygon nor MultiPolygon"),
            };
            yield return new BoundaryRow(f.Properties.Adcode ?? "", f.Id, f.Properties.Name, file.Datum, file.Source, f.Geometry.Type, polygons);
        }
    }

    private static List<IReadOnlyList<Position>> Polygon(JsonElement rings, string? id) =>
        rings.EnumerateArray().Select(ring => (IReadOnlyList<Position>)ring.EnumerateArray().Select(p =>
            p.GetArrayLength() == 2 ? new Position(p[0].GetDouble(), p[1].GetDouble())
                : throw new JsonException($"feature '{id}': a position has {p.GetArrayLength()} numbers, not longitude and latitude")).ToList()).ToList();

    /// <summary>What is wrong with a boundary's shape, each a sentence; nothing when it is a valid RFC 7946 polygon in Beijing.</summary>
    public static IEnumerable<string> Problems(BoundaryRow boundary)
    {
        if (boundary.Polygons.Count == 0) yield return "has no polygon";
        for (var p = 0; p < boundary.Polygons.Count; p++)
        {
            var polygon = boundary.Polygons[p];
            if (polygon.Count == 0) yield return $"polygon {p + 1} has no ring";
            for (var r = 0; r < polygon.Count; r++)
            {
                var ring = polygon[r];
                var name = $"polygon {p + 1}, ring {r + 1}";
                if (ring.Count < 4) yield return $"{name} has {ring.Count} positions; a ring needs at least 4";
                else if (ring[0] != ring[^1]) yield return $"{name} is not closed (its last position is not its first)";
                var at = ring.ToList().FindIndex(x => !(x.Lon is >= MinLon and <= MaxLon && x.Lat is >= MinLat and <= MaxLat));
                if (at >= 0 && ring[at] is var outside)
                    yield return $"{name} has a position outside Beijing ({outside.Lon.ToString(CultureInfo.InvariantCulture)}, {outside.Lat.ToString(CultureInfo.InvariantCulture)}); longitude comes first";
            }
        }
    }

    /// <summary>Whether a point lies inside the boundary (inside an exterior ring and outside its holes; even-odd rule).</summary>
    public static bool Contains(IReadOnlyList<IReadOnlyList<IReadOnlyList<Position>>> polygons, Position point) =>
        polygons.Any(polygon => polygon.Count > 0 && Inside(polygon[0], point) && !polygon.Skip(1).Any(hole => Inside(hole, point)));

    private static bool Inside(IReadOnlyList<Position> ring, Position point)
    {
        var inside = false;
        for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
        {
            var (a, b) = (ring[i], ring[j]);
            if ((a.Lat > point.Lat) != (b.Lat > point.Lat) && point.Lon < (b.Lon - a.Lon) * (point.Lat - a.Lat) / (b.Lat - a.Lat) + a.Lon)
                inside = !inside;
        }
        return inside;
    }

    /// <summary>The polygons in WGS 84, as the database stores them (converted from GCJ-02 if that is the file's datum).</summary>
    public static IReadOnlyList<IReadOnlyList<IReadOnlyList<Position>>> InWgs84(BoundaryRow boundary) => boundary.Datum == Gcj02
        ? boundary.Polygons.Select(p => (IReadOnlyList<IReadOnlyList<Position>>)p.Select(r => (IReadOnlyList<Position>)r.Select(Gcj02Datum.ToWgs84).ToList()).ToList()).ToList()
        : boundary.Polygons;

    /// <summary>
    /// The RFC 7946 geometry the database stores: WGS 84, six decimals, consecutive repeats dropped (the source repeats
    /// some positions), each exterior ring counterclockwise and each hole clockwise (the right-hand rule, 3.1.6).
    /// A Polygon when there is one, else a MultiPolygon.
    /// </summary>
    public static string GeometryJson(BoundaryRow boundary)
    {
        var polygons = InWgs84(boundary).Select(polygon => polygon.Select((ring, i) => Oriented(Rounded(ring), counterclockwise: i == 0)).ToList()).ToList();
        var json = new StringBuilder();
        json.Append("{\"type\":\"").Append(polygons.Count == 1 ? "Polygon" : "MultiPolygon").Append("\",\"coordinates\":");
        if (polygons.Count == 1) AppendPolygon(json, polygons[0]);
        else
        {
            json.Append('[');
            for (var p = 0; p < polygons.Count; p++) { if (p > 0) json.Append(','); AppendPolygon(json, polygons[p]); }
            json.Append(']');
        }
        return json.Append('}').ToString();
    }

    private static void AppendPolygon(StringBuilder json, List<List<Position>> rings)
    {
        json.Append('[');
        for (var r = 0; r < rings.Count; r++)
        {
            if (r > 0) json.Append(',');
            json.Append('[');
            for (var i = 0; i < rings[r].Count; i++)
            {
                if (i > 0) json.Append(',');
                json.Append('[').Append(rings[r][i].Lon.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                    .Append(rings[r][i].Lat.ToString("R", CultureInfo.InvariantCulture)).Append(']');
            }
            json.Append(']');
        }
        json.Append(']');
    }

    private static List<Position> Rounded(IReadOnlyList<Position> ring)
    {
        var rounded = new List<Position>(ring.Count);
        foreach (var p in ring)
        {
            var q = new Position(Math.Round(p.Lon, Decimals), Math.Round(p.Lat, Decimals));
            if (rounded.Count == 0 || rounded[^1] != q) rounded.Add(q);
        }
        return rounded;
    }

    private static List<Position> Oriented(List<Position> ring, bool counterclockwise)
    {
        if (SignedArea(ring) > 0 != counterclockwise) ring.Reverse();
        return ring;
    }

    /// <summary>Twice the signed area in degrees² (shoelace): positive when the ring runs counterclockwise.</summary>
    public static double SignedArea(IReadOnlyList<Position> ring)
    {
        var sum = 0.0;
        for (var i = 0; i + 1 < ring.Count; i++) sum += ring[i].Lon * ring[i + 1].Lat - ring[i + 1].Lon * ring[i].Lat;
        return sum;
    }
}

/// <summary>
/// GCJ-02, the datum China's map services are required to publish in: WGS 84 shifted by a published, non-linear
/// formula (in Beijing about 500-600 m, mostly eastward). <see cref="FromWgs84"/> is that formula as implemented
/// openly for years (eviltransform, coordtransform: the ellipsoid of Krasovsky, a = 6378245 m, e² = 0.00669342162296594323);
/// <see cref="ToWgs84"/> inverts it by fixed-point iteration, which in Beijing converges to below 1e-9 degrees
/// (0.1 mm) in a few steps. The formula is the one the services apply; what remains after converting is the
/// outline's own coarseness, not the datum.
/// </summary>
public static class Gcj02Datum
{
    private const double A = 6378245.0;
    private const double Ee = 0.00669342162296594323;

    public static Position FromWgs84(Position wgs)
    {
        var (x, y) = (wgs.Lon - 105.0, wgs.Lat - 35.0);
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x));
        dLat += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        dLat += (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
        dLat += (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x));
        dLon += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        dLon += (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
        dLon += (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        var radLat = wgs.Lat / 180.0 * Math.PI;
        var magic = 1 - Ee * Math.Sin(radLat) * Math.Sin(radLat);
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (A * (1 - Ee) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (A / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return new Position(wgs.Lon + dLon, wgs.Lat + dLat);
    }

    /// <summary>The WGS 84 position that GCJ-02 shifts onto `gcj`: iterate w ← w − (FromWgs84(w) − gcj) from w = gcj.</summary>
    public static Position ToWgs84(Position gcj)
    {
        var w = gcj;
        for (var i = 0; i < 30; i++)
        {
            var shifted = FromWgs84(w);
            var (dLon, dLat) = (shifted.Lon - gcj.Lon, shifted.Lat - gcj.Lat);
            w = new Position(w.Lon - dLon, w.Lat - dLat);
            if (Math.Abs(dLon) < 1e-12 && Math.Abs(dLat) < 1e-12) break;
        }
        return w;
    }
}
