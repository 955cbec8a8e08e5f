using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// Beijing and its districts by GB/T 2260 adcode, as JSON and as RFC 7946 GeoJSON layers.
/// </summary>
public class RegionsTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string[] Districts =
        ["110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111", "110112", "110113", "110114", "110115", "110116", "110117", "110118", "110119"];

    private async Task<(HttpResponseMessage Response, JsonElement Body)> GetGeoAsync(string url, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        return (response, JsonDocument.Parse(body).RootElement.Clone());
    }

    private static void AssertPointInBeijing(JsonElement geometry)
    {
        Assert.Equal("Point", geometry.Str("type"));
        var c = geometry.GetProperty("coordinates").EnumerateArray().Select(x => x.GetDouble()).ToList();
        Assert.Equal(2, c.Count);
        Assert.InRange(c[0], 115.4, 117.6); // longitude first (RFC 7946, 3.1.1)
        Assert.InRange(c[1], 39.4, 41.1);
    }

    [Fact]
    public async Task BeijingAndItsSixteenDistrictsAreTheSeventeenRegions()
    {
        var regions = await _client.GetJsonAsync("/v1/regions");
        Assert.Equal(17, regions.GetProperty("meta").GetProperty("total").GetInt32());
        var data = regions.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["110000", .. Districts], data.Select(r => r.Str("adcode")));
        Assert.Equal("province", data[0].Str("level"));
        Assert.Null(data[0].Str("parent"));
        Assert.Equal("北京市", data[0].Str("name.zh"));
        Assert.All(data.Skip(1), d =>
        {
            Assert.Equal("district", d.Str("level"));
            Assert.Equal("110000", d.Str("parent"));
            Assert.EndsWith("区", d.Str("name.zh"));
            Assert.False(string.IsNullOrEmpty(d.Str("name.en")));
        });
    }

    [Theory]
    [InlineData("district", 16)]
    [InlineData("province", 1)]
    [InlineData("province,district", 17)]
    public async Task LevelKeepsOnlyRegionsOfThatLevel(string level, int count)
    {
        var all = (await _client.GetJsonAsync("/v1/regions")).GetProperty("data").EnumerateArray().ToList();
        var levels = level.Split(',');
        var page = await _client.GetJsonAsync($"/v1/regions?level={level}");
        Assert.Equal(count, page.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal(all.Where(r => levels.Contains(r.Str("level"))).Select(r => r.Str("adcode")), page.GetProperty("data").EnumerateArray().Select(r => r.Str("adcode")));
    }

    [Fact]
    public async Task AnUnknownLevelIsA400NamingLevel()
    {
        var problem = await _client.GetProblemAsync("/v1/regions?level=county", HttpStatusCode.BadRequest);
        Assert.Contains("province, district", problem.GetProperty("errors").GetProperty("level")[0].GetString());
    }

    [Fact]
    public async Task ARegionIsFoundByItsAdcodeWithItsPointInBeijing()
    {
        var chaoyang = (await _client.GetJsonAsync("/v1/regions/110105")).GetProperty("data");
        Assert.Equal("110105", chaoyang.Str("adcode"));
        Assert.Equal("朝阳区", chaoyang.Str("name.zh"));
        Assert.InRange(chaoyang.GetProperty("point").GetProperty("lon").GetDouble(), 115.4, 117.6);
        Assert.InRange(chaoyang.GetProperty("point").GetProperty("lat").GetDouble(), 39.4, 41.1);
        var statistics = await _client.GetJsonAsync(new Uri(chaoyang.Str("links.statistics")).PathAndQuery + "&limit=1000");
        Assert.Equal(chaoyang.GetProperty("statisticCount").GetInt32(), statistics.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.All(statistics.GetProperty("data").EnumerateArray(), s => Assert.Equal("110105", s.Str("region.adcode")));
    }

    [Theory]
    [InlineData("/v1/regions", "application/geo+json")]
    [InlineData("/v1/regions?format=geojson", null)]
    [InlineData("/v1/regions?format=geojson", "application/json")]
    public async Task RegionsAsGeoJsonAreAnRfc7946FeatureCollectionOfPointsKeyedByAdcode(string url, string? accept)
    {
        var json = (await _client.GetJsonAsync("/v1/regions")).GetProperty("data").EnumerateArray().ToDictionary(r => r.Str("adcode"));
        var (response, geo) = await GetGeoAsync(url, accept);
        using (response) Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("FeatureCollection", geo.Str("type"));
        var features = geo.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(["110000", .. Districts], features.Select(f => f.Str("id")));
        foreach (var f in features)
        {
            Assert.Equal("Feature", f.Str("type"));
            AssertPointInBeijing(f.GetProperty("geometry"));
            var point = json[f.Str("id")].GetProperty("point");
            Assert.Equal(point.GetProperty("lon").GetDouble(), f.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble());
            Assert.Equal(point.GetProperty("lat").GetDouble(), f.GetProperty("geometry").GetProperty("coordinates")[1].GetDouble());
            Assert.Equal(f.Str("id"), f.Str("properties.adcode"));
            Assert.Equal(json[f.Str("id")].Str("name.zh"), f.Str("properties.name.zh"));
        }
    }

    [Fact]
    public async Task LevelAndFieldsApplyToTheGeoJsonLayer()
    {
        var (response, geo) = await GetGeoAsync("/v1/regions?level=district&fields=adcode,name&format=geojson", null);
        response.Dispose();
        var features = geo.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(Districts, features.Select(f => f.Str("id")));
        Assert.All(features, f => Assert.Equal(["adcode", "name"], f.GetProperty("properties").EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task OneRegionAsGeoJsonIsAFeature()
    {
        var (response, feature) = await GetGeoAsync("/v1/regions/110108", "application/geo+json");
        using (response) Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Feature", feature.Str("type"));
        Assert.Equal("110108", feature.Str("id"));
        Assert.Equal("海淀区", feature.Str("properties.name.zh"));
        AssertPointInBeijing(feature.GetProperty("geometry"));
    }

    [Theory]
    [InlineData("110105", null)]
    [InlineData("110000", null)]
    [InlineData("110105,110102", null)]
    [InlineData("110000", "application/geo+json")]
    public async Task StatisticsOfARegionAsGeoJsonAreOneFeaturePerStatistic(string region, string? accept)
    {
        var statistics = (await _client.GetJsonAsync($"/v1/statistics?region={region}&limit=1000")).GetProperty("data").EnumerateArray().ToList();
        Assert.NotEmpty(statistics);
        var (response, layer) = await GetGeoAsync($"/v1/statistics?region={region}" + (accept is null ? "&format=geojson" : ""), accept);
        using (response) Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("FeatureCollection", layer.Str("type"));
        var features = layer.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(statistics.Select(s => s.Str("id")), features.Select(f => f.Str("id")));
        Assert.Equal(statistics.Count, layer.GetProperty("meta").GetProperty("total").GetInt32());
        var regions = region.Split(',');
        foreach (var f in features)
        {
            Assert.Contains(f.Str("properties.region.adcode"), regions);
            AssertPointInBeijing(f.GetProperty("geometry"));
            Assert.Equal(f.Str("id"), f.Str("properties.id"));
        }
    }

    [Theory]
    [InlineData("110199")]
    [InlineData("110100")]
    [InlineData("beijing")]
    public async Task AnUnknownAdcodeIsA404ProblemNamingIt(string adcode)
    {
        var problem = await _client.GetProblemAsync($"/v1/regions/{adcode}", HttpStatusCode.NotFound);
        Assert.Contains($"'{adcode}'", problem.Str("detail"));
    }
}
