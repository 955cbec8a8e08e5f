using System.Net;
using System.Text.Json;

namespace OpenGovernanceApi.Tests;

/// <summary>The filters, sorts, facets and `latest` of /v1/statistics, checked against the full list.</summary>
public class StatisticsFilterTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<List<JsonElement>> All(string query = "") =>
        (await _client.GetJsonAsync($"/v1/statistics?limit=1000{query}")).GetProperty("data").EnumerateArray().ToList();

    [Fact]
    public async Task EachFilterKeepsExactlyTheMatchingStatistics()
    {
        var all = await All();
        var checks = new (string Query, Func<JsonElement, bool> Keep)[]
        {
            ("&indicator=community-workers", s => s.Str("indicator.id") == "community-workers"),
            ("&indicator=community-workers,service-circles", s => s.Str("indicator.id") is "community-workers" or "service-circles"),
            ("&indicator=community-workers&indicator=service-circles", s => s.Str("indicator.id") is "community-workers" or "service-circles"),
            ("&region=110000", s => s.Str("region.adcode") == "110000"),
            ("&source=pc2019", s => s.Str("source.id") == "pc2019"),
            ("&kind=actual", s => s.Str("kind") == "actual"),
            ("&comparator=approx,gt", s => s.Str("comparator") is "approx" or "gt"),
            ("&from=2019", s => string.CompareOrdinal(s.Str("period"), "2019") >= 0),
            ("&to=2018", s => string.CompareOrdinal(s.Str("period"), "2019") < 0),
            ("&from=2018-01&to=2018-12", s => s.Str("period").StartsWith("2018-")),
            ("&source=pc2019&kind=actual", s => s.Str("source.id") == "pc2019" && s.Str("kind") == "actual"),
        };
        foreach (var (query, keep) in checks)
        {
            var expected = all.Where(keep).Select(s => s.Str("id")).ToList();
            var actual = (await _client.GetJsonAsync($"/v1/statistics?limit=1000{query}")).Ids();
            Assert.True(expected.SequenceEqual(actual), $"{query}: expected {expected.Count} statistics, got {actual.Count}");
        }
    }

    [Fact]
    public async Task AFilterThatMatchesNothingAnswersAnEmptyPageNotEverything()
    {
        var page = await _client.GetJsonAsync("/v1/statistics?indicator=no-such-indicator");
        Assert.Equal(0, page.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal(0, page.GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("region=beijing", "region")]
    [InlineData("region=1101051", "region")]
    [InlineData("kind=forecast", "kind")]
    [InlineData("comparator=about", "comparator")]
    [InlineData("from=2018-13", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("sort=name", "sort")]
    [InlineData("latest=yes", "latest")]
    [InlineData("conflicts=1", "conflicts")]
    [InlineData("facet=colour", "facet")]
    [InlineData("indicator=Robert'); DROP TABLE statistics;--", "indicator")]
    [InlineData("q=%20%20", "q")]
    public async Task ABadValueIsA400NamingTheParameter(string query, string parameter)
    {
        var problem = await _client.GetProblemAsync($"/v1/statistics?{query}", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task SeveralBadParametersAreNamedInOneProblem()
    {
        var problem = await _client.GetProblemAsync("/v1/statistics?limit=0&kind=x&sort=y", HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["kind", "limit", "sort"], errors.EnumerateObject().Select(p => p.Name).Order());
    }

    [Theory]
    [InlineData("period")]
    [InlineData("value")]
    public async Task SortingOrdersByTheFieldAscendingOrDescending(string field)
    {
        var ascending = await All($"&sort={field}");
        var descending = await All($"&sort=-{field}");
        Func<JsonElement, IComparable> key = field == "value" ? s => s.GetProperty("value").GetDouble() : s => s.Str("period");
        Assert.True(ascending.Select(key).Zip(ascending.Skip(1).Select(key)).All(p => p.First.CompareTo(p.Second) <= 0));
        Assert.True(descending.Select(key).Zip(descending.Skip(1).Select(key)).All(p => p.First.CompareTo(p.Second) >= 0));
        Assert.Equal(ascending.Count, descending.Count);
    }

    [Fact]
    public async Task LatestKeepsOnlyTheMostRecentPeriodPerIndicatorRegionAndKind()
    {
        var all = await All();
        var latest = await All("&latest=true");
        var expected = all.GroupBy(s => (s.Str("indicator.id"), s.Str("region.adcode"), s.Str("kind")))
            .SelectMany(g => g.Where(s => s.Str("period") == g.Max(x => x.Str("period"))))
            .Select(s => s.Str("id")).Order().ToList();
        Assert.Equal(expected, latest.Select(s => s.Str("id")).Order());
        Assert.True(latest.Count < all.Count);
    }

    [Fact]
    public async Task FacetsCountEachValueUnderTheCurrentFilters()
    {
        var page = await _client.GetJsonAsync("/v1/statistics?limit=1&kind=actual&facet=source,comparator");
        var total = page.GetProperty("meta").GetProperty("total").GetInt32();
        var facets = page.GetProperty("meta").GetProperty("facets");
        foreach (var facet in new[] { "source", "comparator" })
        {
            var values = facets.GetProperty(facet).EnumerateArray().ToList();
            Assert.Equal(total, values.Sum(v => v.GetProperty("count").GetInt32()));
            foreach (var v in values.Take(2))
            {
                var filtered = await _client.GetJsonAsync($"/v1/statistics?limit=1&kind=actual&{facet}={v.Str("value")}");
                Assert.Equal(v.GetProperty("count").GetInt32(), filtered.GetProperty("meta").GetProperty("total").GetInt32());
            }
        }
    }

    [Theory]
    [InlineData("志愿者", "registered-volunteers")]
    [InlineData("426.7", "registered-volunteers")]
    [InlineData("volunteers", "registered-volunteers")]
    [InlineData("网格", "basic-grids")]
    public async Task QFindsStatisticsByChineseWordsEnglishWordsAndNumbersAsWritten(string q, string indicator)
    {
        var page = await _client.GetJsonAsync($"/v1/statistics?limit=1000&q={Uri.EscapeDataString(q)}");
        Assert.Contains(page.GetProperty("data").EnumerateArray(), s => s.Str("indicator.id") == indicator);
    }
}
