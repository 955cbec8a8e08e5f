using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OpenGovernanceApi.Tests;

/// <summary>Search in Chinese and English: two-character words, English words, numbers as written.</summary>
public class SearchInChineseAndEnglishTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("党建", "党建|党的建设")]
    [InlineData("社工", "社工|社会工作")]
    [InlineData("养老", "养老")]
    [InlineData("网格", "网格")]
    [InlineData("志愿", "志愿")]
    public async Task ATwoCharacterChineseWordMatchesAndIsMarkedInTheSnippet(string word, string marked)
    {
        var page = await _client.GetJsonAsync($"/v1/search?q={Uri.EscapeDataString(word)}&limit=1000");
        var hits = page.GetProperty("data").EnumerateArray().ToList();
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Matches($"<mark>({marked})</mark>", h.Str("snippet")));
    }

    [Fact]
    public async Task EnglishWordsMatchByPrefixAndNumbersAsWritten()
    {
        var volunteers = (await _client.GetJsonAsync("/v1/search?q=volunteers&type=statistics")).GetProperty("data").EnumerateArray().ToList();
        Assert.Contains(volunteers, h => h.Str("id").StartsWith("registered-volunteers"));
        var number = (await _client.GetJsonAsync("/v1/search?q=426.7")).GetProperty("data").EnumerateArray().ToList();
        Assert.Contains(number, h => h.Str("id") == "registered-volunteers-2019-01-09-pc2019");
    }

    [Fact]
    public async Task ResultsAreRankedAndTypeNarrowsThem()
    {
        var all = (await _client.GetJsonAsync("/v1/search?q=党建&limit=1000")).GetProperty("data").EnumerateArray().ToList();
        var scores = all.Select(h => h.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.Equal(Enumerable.Range(1, all.Count), all.Select(h => h.GetProperty("rank").GetInt32()));
        var goals = (await _client.GetJsonAsync("/v1/search?q=党建&type=measures&limit=1000")).GetProperty("data").EnumerateArray().ToList();
        Assert.NotEmpty(goals);
        Assert.All(goals, h => Assert.Equal("measures", h.Str("type")));
        Assert.Equal(all.Count(h => h.Str("type") == "measures"), goals.Count);
    }

    [Fact]
    public async Task PagingThroughResultsVisitsEveryHitOnce()
    {
        var all = (await _client.GetJsonAsync("/v1/search?q=社会&limit=1000")).Ids();
        var seen = new List<string>();
        string? url = "/v1/search?q=社会&limit=4";
        while (url is not null)
        {
            var page = await _client.GetJsonAsync(url);
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(h => h.Str("type") + "/" + h.Str("id")));
            var next = page.GetProperty("links").GetProperty("next");
            url = next.ValueKind == JsonValueKind.Null ? null : new Uri(next.GetString()!).PathAndQuery;
        }
        Assert.Equal(all.Count, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("NEAR(党建 社工)")]
    [InlineData("a OR b")]
    [InlineData("bigrams:党建")]
    [InlineData("*")]
    public async Task FullTextSyntaxInAQueryIsReadAsTextNeverAsA5xx(string q)
    {
        using var response = await _client.GetAsync($"/v1/search?q={Uri.EscapeDataString(q)}");
        Assert.Contains((int)response.StatusCode, new[] { 200, 400 });
    }

    [Fact]
    public async Task AMissingQueryIsA400NamingQ()
    {
        var problem = await _client.GetProblemAsync("/v1/search", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("q", out _));
    }
}

/// <summary>Regions keyed by adcode, as JSON and as an RFC 7946 GeoJSON layer.</summary>
public class RegionsAsGeoJsonTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string[] Adcodes =
        ["110000", "110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111", "110112", "110113", "110114", "110115", "110116", "110117", "110118", "110119"];

    [Fact]
    public async Task BeijingAndItsSixteenDistrictsAreListedByAdcode()
    {
        var regions = await _client.GetJsonAsync("/v1/regions");
        Assert.Equal(Adcodes, regions.GetProperty("data").EnumerateArray().Select(r => r.Str("adcode")));
        var districts = await _client.GetJsonAsync("/v1/regions?level=district");
        Assert.Equal(16, districts.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("/v1/regions", "application/geo+json")]
    [InlineData("/v1/regions?format=geojson", null)]
    public async Task GeoJsonIsAFeatureCollectionOfPointsKeyedByAdcode(string url, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await _client.SendAsync(request);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var geo = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("FeatureCollection", geo.Str("type"));
        var features = geo.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(Adcodes, features.Select(f => f.Str("id")));
        foreach (var f in features)
        {
            Assert.Equal("Feature", f.Str("type"));
            Assert.Equal("Point", f.Str("geometry.type"));
            var c = f.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(x => x.GetDouble()).ToList();
            Assert.InRange(c[0], 115.4, 117.6); // longitude first (RFC 7946)
            Assert.InRange(c[1], 39.4, 41.1);
            Assert.Equal(f.Str("id"), f.Str("properties.adcode"));
        }
        var beijing = features[0].GetProperty("properties").GetProperty("latest").EnumerateArray().ToList();
        Assert.Contains(beijing, l => l.Str("indicator.id") == "registered-volunteers" && l.Str("comparator") == "gt");
    }

    [Fact]
    public async Task ARegionsLatestFiguresAreItsNewestActualFigureOfEachIndicatorEverySourcesOnATie()
    {
        var layer = await _client.GetJsonAsync("/v1/regions?format=geojson");
        var checkedTies = false;
        foreach (var feature in layer.GetProperty("features").EnumerateArray())
        {
            var adcode = feature.Str("id");
            var actual = (await _client.GetJsonAsync($"/v1/statistics?region={adcode}&kind=actual&limit=1000"))
                .GetProperty("data").EnumerateArray().ToList();
            var expected = actual.GroupBy(s => s.Str("indicator.id")).SelectMany(byIndicator =>
            {
                var newest = byIndicator.Select(s => s.Str("period")).Max(StringComparer.Ordinal);
                return byIndicator.Where(s => s.Str("period") == newest);
            }).ToList();
            checkedTies |= expected.GroupBy(s => s.Str("indicator.id")).Any(g => g.Count() > 1);
            var latest = feature.GetProperty("properties").GetProperty("latest").EnumerateArray().ToList();
            Assert.Equal(expected.Select(s => s.Str("id")).Order(), latest.Select(l => l.Str("statistic")).Order());
            foreach (var figure in latest)
            {
                var statistic = expected.Single(s => s.Str("id") == figure.Str("statistic"));
                Assert.Equal(statistic.Str("period"), figure.Str("period"));
                Assert.Equal(statistic.GetProperty("value").GetDouble(), figure.GetProperty("value").GetDouble());
                Assert.Equal(statistic.Str("comparator"), figure.Str("comparator"));
            }
        }
        Assert.True(checkedTies, "the data has an indicator whose newest period two sources report (83.9% and 83%)");
    }

    [Fact]
    public async Task StatisticsOfADistrictComeAsAGeoJsonLayerToo()
    {
        var layer = await _client.GetJsonAsync("/v1/statistics?region=110105&format=geojson");
        var features = layer.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(layer.GetProperty("meta").GetProperty("total").GetInt32(), features.Count);
        Assert.All(features, f => Assert.Equal("110105", f.Str("properties.region.adcode")));
    }

    [Fact]
    public async Task AnUnknownAdcodeIsA404Problem()
    {
        await _client.GetProblemAsync("/v1/regions/110199", HttpStatusCode.NotFound);
    }
}

/// <summary>Bulk downloads: every file listed with its size and SHA-256, and a datapackage that describes its CSVs.</summary>
public class BulkDownloadsTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task EveryListedFileHasTheSizeAndHashItIsServedWith()
    {
        var files = (await _client.GetJsonAsync("/v1/downloads")).GetProperty("data").EnumerateArray().ToList();
        Assert.Contains(files, f => f.Str("name") == "statistics.csv");
        Assert.Contains(files, f => f.Str("name") == "governance.sqlite");
        Assert.Contains(files, f => f.Str("name") == "datapackage.json");
        foreach (var f in files)
        {
            var bytes = await _client.GetByteArrayAsync(new Uri(f.Str("href")).PathAndQuery);
            Assert.Equal(f.GetProperty("bytes").GetInt64(), bytes.Length);
            Assert.Equal(f.Str("sha256"), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    [Fact]
    public async Task TheDatapackageDescribesEachCsvHeaderKeysAndHash()
    {
        var package = JsonDocument.Parse(await _client.GetStringAsync("/v1/downloads/datapackage.json")).RootElement;
        Assert.Equal("CC-BY-4.0", package.GetProperty("licenses")[0].Str("name"));
        var tables = new Dictionary<string, List<List<string>>>();
        foreach (var resource in package.GetProperty("resources").EnumerateArray())
        {
            var bytes = await _client.GetByteArrayAsync("/v1/downloads/" + resource.Str("path"));
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), resource.Str("hash"));
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
            var rows = Csv.Parse(Encoding.UTF8.GetString(bytes[3..]));
            var fields = resource.GetProperty("schema").GetProperty("fields").EnumerateArray().Select(x => x.Str("name")).ToList();
            Assert.Equal(fields, rows[0]);
            tables[resource.Str("name")] = rows;
        }
        // Every foreign key of statistics.csv resolves in the table it names.
        var statistics = package.GetProperty("resources").EnumerateArray().Single(r => r.Str("name") == "statistics");
        foreach (var key in statistics.GetProperty("schema").GetProperty("foreignKeys").EnumerateArray())
        {
            var column = tables["statistics"][0].IndexOf(key.Str("fields"));
            var target = tables[key.GetProperty("reference").Str("resource")];
            var targetColumn = target[0].IndexOf(key.GetProperty("reference").Str("fields"));
            var known = target.Skip(1).Select(r => r[targetColumn]).ToHashSet();
            Assert.All(tables["statistics"].Skip(1).Where(r => r[column] != ""), r => Assert.Contains(r[column], known));
        }
    }

    [Fact]
    public async Task AnUnknownFileIsA404Problem()
    {
        await _client.GetProblemAsync("/v1/downloads/passwords.txt", HttpStatusCode.NotFound);
    }
}
