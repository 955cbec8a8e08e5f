using System.Net;
using System.Text.Json;

namespace OpenGovernanceApi.Tests;

/// <summary>What is measured, and each indicator's series of figures across documents.</summary>
public class IndicatorsAndSeriesTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<List<JsonElement>> All(string url) =>
        (await _client.GetJsonAsync(url + (url.Contains('?') ? "&" : "?") + "limit=1000")).GetProperty("data").EnumerateArray().ToList();

    /// <summary>The order a series promises: period, then id (both as the strings they are).</summary>
    private static List<string> ByPeriodThenId(IEnumerable<JsonElement> statistics) =>
        statistics.OrderBy(s => s.Str("period"), StringComparer.Ordinal).ThenBy(s => s.Str("id"), StringComparer.Ordinal)
            .Select(s => s.Str("id")).ToList();

    [Theory]
    [InlineData("volunteering")]
    [InlineData("party-building")]
    [InlineData("volunteering,party-building")]
    [InlineData("grid-management,social-work,community-workers")]
    public async Task TopicKeepsExactlyTheIndicatorsOfThoseTopics(string topic)
    {
        var topics = topic.Split(',');
        var all = await All("/v1/indicators");
        var expected = all.Where(i => topics.Contains(i.Str("topic.id"))).Select(i => i.Str("id")).ToList();
        var actual = await All($"/v1/indicators?topic={topic}");
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual.Select(i => i.Str("id")));
        Assert.All(actual, i => Assert.Contains(i.Str("topic.id"), topics));
    }

    [Fact]
    public async Task AnUnknownTopicMatchesNothingAndAMalformedOneIsA400NamingTopic()
    {
        var none = await _client.GetJsonAsync("/v1/indicators?topic=no-such-topic");
        Assert.Equal(0, none.GetProperty("meta").GetProperty("total").GetInt32());
        var problem = await _client.GetProblemAsync("/v1/indicators?topic=Party%20Building", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("topic", out _));
    }

    [Fact]
    public async Task EachIndicatorCountsItsStatisticsAndLinksToItsSeries()
    {
        var statistics = await All("/v1/statistics");
        foreach (var indicator in await All("/v1/indicators"))
        {
            var id = indicator.Str("id");
            Assert.Equal(statistics.Count(s => s.Str("indicator.id") == id), indicator.GetProperty("statisticCount").GetInt32());
            Assert.EndsWith($"/v1/indicators/{id}/series", indicator.Str("links.series"));
        }
    }

    [Fact]
    public async Task ASeriesHoldsEveryStatisticOfItsIndicatorAndNoOtherOrderedByPeriodThenId()
    {
        var statistics = await All("/v1/statistics");
        var indicators = await All("/v1/indicators");
        Assert.Contains(indicators, i => i.GetProperty("statisticCount").GetInt32() > 2);
        foreach (var indicator in indicators)
        {
            var id = indicator.Str("id");
            var series = await All(new Uri(indicator.Str("links.series")).PathAndQuery);
            Assert.All(series, s => Assert.Equal(id, s.Str("indicator.id")));
            Assert.Equal(ByPeriodThenId(statistics.Where(s => s.Str("indicator.id") == id)), series.Select(s => s.Str("id")));
        }
    }

    [Fact]
    public async Task ASeriesIsPagedInTheSameOrderAsOneBigPage()
    {
        var all = (await _client.GetJsonAsync("/v1/indicators/service-circles-coverage/series")).Ids();
        var seen = new List<string>();
        string? url = "/v1/indicators/service-circles-coverage/series?limit=1";
        while (url is not null)
        {
            var page = await _client.GetJsonAsync(url);
            seen.AddRange(page.Ids());
            var next = page.GetProperty("links").GetProperty("next");
            url = next.ValueKind == JsonValueKind.Null ? null : new Uri(next.GetString()!).PathAndQuery;
        }
        Assert.True(all.Count > 1);
        Assert.Equal(all, seen);
    }

    [Theory]
    // Chaoyang's public-welfare spaces: a figure of one district, none for the city as a whole
    [InlineData("110105", 1)]
    [InlineData("110105,110000", 1)]
    [InlineData("110000", 0)]
    [InlineData("110108", 0)]
    public async Task RegionNarrowsASeriesToThatRegionsFigures(string region, int count)
    {
        const string indicator = "community-public-welfare-spaces";
        var regions = region.Split(',');
        var everything = await All($"/v1/indicators/{indicator}/series");
        var expected = everything.Where(s => regions.Contains(s.Str("region.adcode"))).Select(s => s.Str("id")).ToList();
        var actual = await All($"/v1/indicators/{indicator}/series?region={region}");
        Assert.Equal(count, expected.Count);
        Assert.Equal(expected, actual.Select(s => s.Str("id")));
    }

    [Fact]
    public async Task KindNarrowsASeriesToActualFiguresOrTargets()
    {
        var everything = await All("/v1/indicators/certified-social-workers/series");
        foreach (var kind in new[] { "actual", "target" })
        {
            var expected = everything.Where(s => s.Str("kind") == kind).Select(s => s.Str("id")).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, (await All($"/v1/indicators/certified-social-workers/series?kind={kind}")).Select(s => s.Str("id")));
        }
    }

    [Theory]
    [InlineData("service-circles")]
    [InlineData("service-circles-coverage")]
    public async Task AServiceCircleSeriesJoinsFiguresFromMoreThanOneSourceDocument(string indicator)
    {
        var series = await All($"/v1/indicators/{indicator}/series?region=110000");
        var sources = series.Select(s => s.Str("source.id")).Distinct().ToList();
        Assert.True(sources.Count > 1, $"{indicator}: figures from {string.Join(", ", sources)} only");
        Assert.True(series.Select(s => s.Str("period")).Distinct().Count() > 1);
        Assert.All(series, s => Assert.Equal(indicator, s.Str("indicator.id")));
    }

    [Theory]
    [InlineData("/v1/indicators/no-such-indicator")]
    [InlineData("/v1/indicators/no-such-indicator/series")]
    [InlineData("/v1/indicators/no-such-indicator/series?region=110000")]
    public async Task AnUnknownIndicatorIsA404ProblemNamingIt(string url)
    {
        var problem = await _client.GetProblemAsync(url, HttpStatusCode.NotFound);
        Assert.Contains("indicator with id 'no-such-indicator'", problem.Str("detail"));
    }

    [Theory]
    [InlineData("region=beijing", "region")]
    [InlineData("region=1101051", "region")]
    [InlineData("kind=forecast", "kind")]
    [InlineData("indicator=service-circles", "indicator")]
    public async Task ABadSeriesParameterIsA400NamingIt(string query, string parameter)
    {
        var problem = await _client.GetProblemAsync($"/v1/indicators/service-circles/series?{query}", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }
}
