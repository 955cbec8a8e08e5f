using System.Net;
using System.Text.Json;

namespace OpenGovernanceApi.Tests;

/// <summary>The timeline of policies and milestones: in date order, cut by `from` and `to`.</summary>
public class EventsTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<List<JsonElement>> All(string query = "") =>
        (await _client.GetJsonAsync($"/v1/events?limit=1000{query}")).GetProperty("data").EnumerateArray().ToList();

    /// <summary>On or after `from`: a date of coarser precision counts from its first day ("2018" is before "2018-01").</summary>
    private static bool OnOrAfter(string date, string from) => string.CompareOrdinal(date, from) >= 0;

    /// <summary>On or before `to`, where `to` includes everything within it (`to=2018` keeps `2018-10`).</summary>
    private static bool OnOrBefore(string date, string to) => string.CompareOrdinal(date, to) <= 0 || date.StartsWith(to, StringComparison.Ordinal);

    [Fact]
    public async Task TheTimelineIsInDateOrderThenId()
    {
        var events = await All();
        Assert.True(events.Count > 1);
        var keys = events.Select(e => (Date: e.Str("date"), Id: e.Str("id"))).ToList();
        Assert.All(keys.Zip(keys.Skip(1)), p =>
            Assert.True(string.CompareOrdinal(p.First.Date, p.Second.Date) is var c && (c < 0 || c == 0 && string.CompareOrdinal(p.First.Id, p.Second.Id) < 0),
                $"{p.First} comes before {p.Second}"));
        Assert.All(events, e => Assert.Matches(@"^\d{4}(-\d{2}(-\d{2})?)?$", e.Str("date")));
    }

    [Fact]
    public async Task FollowingNextKeepsTheDateOrder()
    {
        var all = (await All()).Select(e => e.Str("id")).ToList();
        var seen = new List<string>();
        string? url = "/v1/events?limit=4";
        while (url is not null)
        {
            var page = await _client.GetJsonAsync(url);
            seen.AddRange(page.Ids());
            var next = page.GetProperty("links").GetProperty("next");
            url = next.ValueKind == JsonValueKind.Null ? null : new Uri(next.GetString()!).PathAndQuery;
        }
        Assert.Equal(all, seen);
    }

    [Theory]
    [InlineData("2018", null)]
    [InlineData(null, "2017")]
    [InlineData("2016", "2018")]
    [InlineData("2018-01", "2018-12")]
    [InlineData("2016-11", null)]
    [InlineData(null, "2018-12-31")]
    [InlineData(null, "2019-01")]
    [InlineData("2019-01-09", "2019-01-09")]
    [InlineData(null, "2018-06")]
    public async Task FromAndToKeepExactlyTheEventsInThatSpan(string? from, string? to)
    {
        var all = await All();
        var expected = all.Where(e => (from is null || OnOrAfter(e.Str("date"), from)) && (to is null || OnOrBefore(e.Str("date"), to)))
            .Select(e => e.Str("id")).ToList();
        var query = (from is null ? "" : $"&from={from}") + (to is null ? "" : $"&to={to}");
        var actual = (await All(query)).Select(e => e.Str("id")).ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < all.Count, $"{query} keeps everything; it tests nothing");
        Assert.True(expected.SequenceEqual(actual), $"{query}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
    }

    [Fact]
    public async Task ToOfADayLeavesOutTheFollowingMonth()
    {
        var dates = (await All("&to=2018-12-31")).Select(e => e.Str("date")).ToList();
        Assert.Contains("2018-10", dates);
        Assert.DoesNotContain(dates, d => string.CompareOrdinal(d, "2019") >= 0);
    }

    [Theory]
    [InlineData("&from=0001&to=9999")]
    [InlineData("&to=9999-12-31")]
    [InlineData("&to=9999-12")]
    [InlineData("&from=1000-01-01")]
    public async Task TheWidestDatesKeepTheWholeTimeline(string query)
    {
        var all = (await All()).Select(e => e.Str("id"));
        Assert.Equal(all, (await All(query)).Select(e => e.Str("id")));
    }

    [Fact]
    public async Task KindAndRegionKeepExactlyTheMatchingEvents()
    {
        var all = await All();
        var checks = new (string Query, Func<JsonElement, bool> Keep)[]
        {
            ("&kind=policy", e => e.Str("kind") == "policy"),
            ("&kind=plan,law", e => e.Str("kind") is "plan" or "law"),
            ("&region=110102,110115", e => e.Str("region") is "110102" or "110115"),
            ("&kind=milestone&from=2019", e => e.Str("kind") == "milestone" && OnOrAfter(e.Str("date"), "2019")),
        };
        foreach (var (query, keep) in checks)
        {
            var expected = all.Where(keep).Select(e => e.Str("id")).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, (await All(query)).Select(e => e.Str("id")));
        }
    }

    [Theory]
    [InlineData("from=2018-13", "from")]
    [InlineData("from=18", "from")]
    [InlineData("from=2018-1", "from")]
    [InlineData("from=2018/01", "from")]
    [InlineData("from=2019-02-30", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("to=2018-00", "to")]
    [InlineData("to=2018-12-32", "to")]
    [InlineData("to=2019-02-29", "to")]
    [InlineData("to=0000-01-01", "to")]
    [InlineData("to=2018-01-01T00:00", "to")]
    [InlineData("to=٢٠١٨", "to")]
    [InlineData("from=２０１８", "from")]
    [InlineData("kind=meeting", "kind")]
    [InlineData("region=110", "region")]
    public async Task ABadDateOrFilterIsA400NamingTheParameter(string query, string parameter)
    {
        var problem = await _client.GetProblemAsync($"/v1/events?{query}", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
        Assert.Contains($"'{parameter}'", problem.Str("detail"));
    }

    [Fact]
    public async Task AnEventLinksToItselfAndAnUnknownOneIsA404ProblemNamingIt()
    {
        var first = (await All()).First();
        var same = (await _client.GetJsonAsync(new Uri(first.Str("links.self")).PathAndQuery)).GetProperty("data");
        Assert.Equal(first.Str("id"), same.Str("id"));
        Assert.Equal(first.Str("date"), same.Str("date"));
        var problem = await _client.GetProblemAsync("/v1/events/no-such-event", HttpStatusCode.NotFound);
        Assert.Contains("event with id 'no-such-event'", problem.Str("detail"));
    }
}
