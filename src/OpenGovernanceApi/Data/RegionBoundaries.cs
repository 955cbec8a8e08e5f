using System.Text.Json;

namespace OpenGovernanceApi.Data;

/// <summary>
/// The districts' outlines (table region_boundaries), read once per process: they change only with a data
/// release, which is a new database and a new process. Each is kept as the RFC 7946 geometry the build stored
/// (WGS 84, written into GeoJSON answers as it is) and as its rings (drawn by the pages' maps). Beijing as a
/// whole has none: the source outlines its districts, and no union is computed.
/// </summary>
public sealed class RegionBoundaries(GovernanceDb db)
{
    /// <param name="Adcode">The region.</param>
    /// <param name="GeometryJson">A Polygon or MultiPolygon, RFC 7946 JSON, WGS 84, exterior rings counterclockwise.</param>
    /// <param name="Rings">Every ring of every polygon (exteriors and holes), longitude and latitude, for drawing with the even-odd rule.</param>
    public sealed record Boundary(string Adcode, string GeometryJson, IReadOnlyList<IReadOnlyList<GeoPoint>> Rings);

    private readonly Lazy<Task<IReadOnlyDictionary<string, Boundary>>> _all = new(() => Load(db));

    /// <summary>Every outline, by adcode.</summary>
    public Task<IReadOnlyDictionary<string, Boundary>> GetAsync(CancellationToken cancellationToken) => _all.Value.WaitAsync(cancellationToken);

    private static async Task<IReadOnlyDictionary<string, Boundary>> Load(GovernanceDb db)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<(string Adcode, string Geometry)>("SELECT adcode, geometry FROM region_boundaries ORDER BY adcode");
        return rows.ToDictionary(r => r.Adcode, r => new Boundary(r.Adcode, r.Geometry, Rings(r.Geometry)), StringComparer.Ordinal);
    }

    private static List<IReadOnlyList<GeoPoint>> Rings(string geometry)
    {
        using var document = JsonDocument.Parse(geometry);
        var root = document.RootElement;
        var coordinates = root.GetProperty("coordinates");
        var polygons = root.GetProperty("type").GetString() == "Polygon" ? [coordinates] : coordinates.EnumerateArray().ToList();
        return polygons.SelectMany(p => p.EnumerateArray())
            .Select(ring => (IReadOnlyList<GeoPoint>)ring.EnumerateArray().Select(x => new GeoPoint(x[0].GetDouble(), x[1].GetDouble())).ToList())
            .ToList();
    }
}
