using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OpenGovernanceApi.Data;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// One search over everything, in Chinese or English, ranked, paged, and safe from full-text syntax.
/// </summary>
public class SearchTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string[] Types = ["statistics", "goals", "measures", "indicators", "sources"];

    private async Task<List<JsonElement>> Hits(string q, string extra = "")
    {
        var page = await _client.GetJsonAsync($"/v1/search?q={Uri.EscapeDataString(q)}&limit=1000{extra}");
        var hits = page.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(page.GetProperty("meta").GetProperty("total").GetInt32(), hits.Count);
        return hits;
    }

    private static string Key(JsonElement hit) => hit.Str("type") + "/" + hit.Str("id");

    [Theory]
    [InlineData("社工", "社工|社会工作")] // with its synonym from db/data/synonyms.json
    [InlineData("党建", "党建|党的建设")]
    [InlineData("网格", "网格")]
    [InlineData("志愿", "志愿")]
    public async Task ATwoCharacterChineseWordFindsResultsWithTheWordMarkedInTheSnippet(string word, string marked)
    {
        var hits = await Hits(word);
        Assert.NotEmpty(hits);
        Assert.All(hits, h =>
        {
            Assert.Matches($"<mark>({marked})</mark>", h.Str("snippet"));
            Assert.Contains(h.Str("type"), Types);
            Assert.EndsWith($"/v1/{h.Str("type")}/{h.Str("id")}", h.Str("href"));
        });
    }

    [Theory]
    [InlineData("党建", "statistics")]
    [InlineData("网格", "statistics")]
    [InlineData("志愿", "indicators")]
    [InlineData("社工", "measures")]
    public async Task EveryHitOfAChineseWordLeadsToAnItemThatHoldsIt(string word, string type)
    {
        var hits = await Hits(word, $"&type={type}");
        Assert.NotEmpty(hits);
        foreach (var hit in hits.Take(5))
        {
            using var response = await _client.GetAsync(new Uri(hit.Str("href")).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(word, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task TheEnglishWordVolunteersFindsTheVolunteerFigures()
    {
        var hits = await Hits("volunteers");
        Assert.Contains(hits, h => h.Str("type") == "indicators" && h.Str("id") == "registered-volunteers");
        Assert.Contains(hits, h => h.Str("type") == "statistics" && h.Str("id").StartsWith("registered-volunteers-"));
        Assert.All(hits, h => Assert.Contains("<mark>volunteers</mark>", h.Str("snippet"), StringComparison.OrdinalIgnoreCase));
        // A word matches by prefix: the singular finds everything the plural does.
        Assert.Superset(hits.Select(Key).ToHashSet(), (await Hits("volunteer")).Select(Key).ToHashSet());
    }

    [Fact]
    public async Task TheNumber426Point7FindsTheStatisticThatPrintsIt()
    {
        var hits = await Hits("426.7", "&type=statistics");
        var volunteers = Assert.Single(hits, h => h.Str("id") == "registered-volunteers-2019-01-09-pc2019");
        Assert.Contains("<mark>426.7</mark>", volunteers.Str("snippet"));
        var statistic = (await _client.GetJsonAsync(new Uri(volunteers.Str("href")).PathAndQuery)).GetProperty("data");
        Assert.Equal("426.7万", statistic.Str("valueAsWritten"));
        // "426.7" is one token: neither 426 nor 7 on their own.
        Assert.All(hits, h => Assert.Contains("426.7", h.Str("snippet")));
    }

    /// <summary>
    /// A figure's Chinese title never drops its hedge: 426.7万 is written without one, the sentence says 超过 before it,
    /// so the title says 超过426.7万人; a figure whose own words hedge it (近90%) keeps them as written.
    /// </summary>
    [Fact]
    public async Task EveryHedgedFigureSaysItsHedgeInItsChineseSearchTitle()
    {
        var volunteers = Assert.Single(await Hits("426.7", "&type=statistics"), h => h.Str("id") == "registered-volunteers-2019-01-09-pc2019");
        Assert.EndsWith(":超过426.7万人", volunteers.Str("title.zh"));
        await using var connection = await factory.Services.GetRequiredService<GovernanceDb>().OpenAsync(CancellationToken.None);
        var titles = await connection.QueryAsync<(string Id, string Title, string Comparator)>(
            "SELECT s.id, i.title_zh, s.comparator FROM statistics s JOIN search_index i ON i.resource = 'statistics' AND i.id = s.id");
        Assert.EndsWith(":近90%", titles.Single(t => t.Id == "service-circles-coverage-2018-art2018").Title); // as written
        string[] hedges = ["近", "约", "左右", "超过", "多", "以上", "不少于", "不低于", "至少", "不到", "不足", "不超过", "以内", "内", "余", "逾", "突破"];
        foreach (var (id, title, comparator) in titles.Where(t => t.Comparator != "eq"))
            Assert.True(hedges.Any(h => title[(title.LastIndexOf(':') + 1)..].Contains(h)), $"{id} ({comparator}): '{title}' says no hedge");
    }

    [Theory]
    [InlineData("statistics")]
    [InlineData("goals")]
    [InlineData("measures")]
    [InlineData("goals,measures")]
    public async Task TypeNarrowsTheResultsToThoseTypes(string type)
    {
        var types = type.Split(',');
        var all = await Hits("党建");
        var narrowed = await Hits("党建", $"&type={type}");
        Assert.NotEmpty(narrowed);
        Assert.All(narrowed, h => Assert.Contains(h.Str("type"), types));
        Assert.Equal(all.Where(h => types.Contains(h.Str("type"))).Select(Key).Order(StringComparer.Ordinal), narrowed.Select(Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/v1/search", "q")]
    [InlineData("/v1/search?q=", "q")]
    [InlineData("/v1/search?q=%20%20", "q")]
    [InlineData("/v1/search?type=goals", "q")]
    [InlineData("/v1/search?q=党建&type=plans", "type")]
    [InlineData("/v1/search?q=党建&kind=goals", "kind")]
    public async Task AMissingQueryOrABadParameterIsA400NamingIt(string url, string parameter)
    {
        var problem = await _client.GetProblemAsync(url, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Theory]
    [InlineData("党建")]
    [InlineData("社会")]
    [InlineData("volunteer")]
    public async Task ResultsAreRankedBestFirst(string q)
    {
        var hits = await Hits(q);
        Assert.True(hits.Count > 1);
        var scores = hits.Select(h => h.GetProperty("score").GetDouble()).ToList();
        Assert.True(scores.Zip(scores.Skip(1)).All(p => p.First >= p.Second), string.Join(", ", scores));
        Assert.Equal(Enumerable.Range(1, hits.Count), hits.Select(h => h.GetProperty("rank").GetInt32()));
    }

    [Theory]
    [InlineData("社会", 4)]
    [InlineData("党建", 5)]
    [InlineData("志愿", 1)]
    public async Task FollowingNextVisitsEveryHitOnceInRankOrder(string q, int limit)
    {
        var all = (await Hits(q)).Select(Key).ToList();
        Assert.True(all.Count > limit, $"'{q}' has only {all.Count} hits");
        var seen = new List<string>();
        string? url = $"/v1/search?q={Uri.EscapeDataString(q)}&limit={limit}";
        while (url is not null)
        {
            var page = await _client.GetJsonAsync(url);
            var data = page.GetProperty("data").EnumerateArray().ToList();
            Assert.True(data.Count <= limit);
            seen.AddRange(data.Select(Key));
            var next = page.GetProperty("links").GetProperty("next");
            url = next.ValueKind == JsonValueKind.Null ? null : new Uri(next.GetString()!).PathAndQuery;
        }
        Assert.Equal(all, seen);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("*")]
    [InlineData(":")]
    [InlineData("NEAR(")]
    [InlineData("NEAR(党建 社工)")]
    [InlineData("NEAR(党建, 2")]
    [InlineData("OR")]
    [InlineData("党建 OR")]
    [InlineData("OR 党建")]
    [InlineData("党建 AND NOT")]
    [InlineData("bigrams:党建")]
    [InlineData("{bigrams unigrams}: 党建")]
    [InlineData("\"党建")]
    [InlineData("党建\"\"")]
    [InlineData("党建*")]
    [InlineData("^党建")]
    [InlineData("-党建")]
    [InlineData("+党建")]
    [InlineData("(党建")]
    [InlineData("党建)")]
    [InlineData("'")]
    [InlineData("\\")]
    [InlineData("1.2.3")]
    [InlineData("..5")]
    public async Task FullTextSyntaxInAQueryNeverGivesA5xx(string q)
    {
        using var response = await _client.GetAsync($"/v1/search?q={Uri.EscapeDataString(q)}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is 200 or 400, $"q={q}: {(int)response.StatusCode} {body}");
        var json = JsonDocument.Parse(body).RootElement;
        if (response.StatusCode == HttpStatusCode.BadRequest)
            Assert.True(json.GetProperty("errors").TryGetProperty("q", out _), body);
        else
            Assert.Equal(json.GetProperty("meta").GetProperty("total").GetInt32() > 0, json.GetProperty("data").GetArrayLength() > 0);
    }

    [Theory]
    [InlineData("\"党建\"")]
    [InlineData("党建*")]
    [InlineData("(党建)")]
    [InlineData("^党建")]
    [InlineData("-党建")]
    public async Task SyntaxAroundAWordIsReadAsTextSoItFindsWhatTheWordFinds(string q)
    {
        var plain = (await Hits("党建")).Select(Key).ToList();
        var dressed = (await Hits(q)).Select(Key).ToList();
        Assert.NotEmpty(plain);
        Assert.Equal(plain, dressed);
    }

    [Fact]
    public async Task OrIsAWordNotAnOperatorSoItNeverWidensTheResults()
    {
        var partyBuilding = (await Hits("党建")).Select(Key).ToHashSet();
        var socialWork = (await Hits("社工")).Select(Key).ToHashSet();
        var either = (await Hits("党建 OR 社工")).Select(Key).ToHashSet();
        Assert.Subset(partyBuilding, either);
        Assert.Subset(socialWork, either);
        Assert.True(partyBuilding.Except(socialWork).Any(), "the test needs a hit of 党建 that 社工 does not have");
    }

    [Fact]
    public async Task SheGongFindsTheFiguresAboutSocialWorkWrittenInFull()
    {
        // 社工 is short for 社会工作: the figures whose quotes say only the long form are found too.
        var hits = (await Hits("社工", "&type=statistics")).Select(h => h.Str("id")).ToList();
        Assert.Contains("social-work-professionals-2025-news2021", hits);   // "社会工作专业人才总量达到10万人"
        Assert.Contains("social-work-agencies-2025-news2021", hits);        // "社会工作专业服务机构将达到1200家"
        Assert.True(hits.Count >= 10, $"社工 found {hits.Count} figures");
        var longForm = (await Hits("社会工作", "&type=statistics")).Select(h => h.Str("id"));
        Assert.Subset(hits.ToHashSet(), longForm.ToHashSet());
    }

    [Theory]
    [InlineData("党建")]
    [InlineData("网格")]
    [InlineData("社会组织")]
    [InlineData("居民")]
    public async Task AFigureAboutTheWordRanksAboveOneThatMentionsItInPassing(string word)
    {
        var hits = await Hits(word, "&type=statistics");
        var statistics = (await _client.GetJsonAsync($"/v1/statistics?q={Uri.EscapeDataString(word)}&limit=1000")).GetProperty("data")
            .EnumerateArray().ToDictionary(s => s.Str("id"));
        // About the word: its indicator's name, or the clause of the quote that states the figure, has it.
        bool About(JsonElement hit)
        {
            var s = statistics[hit.Str("id")];
            return s.Str("indicator.name.zh").Contains(word) ||
                   OpenGovernanceApi.DataBuild.DatabaseWriter.OwnClause(s.Str("quote"), s.Str("valueAsWritten")).Contains(word);
        }
        var about = hits.Where(About).Select(h => h.GetProperty("rank").GetInt32()).ToList();
        var inPassing = hits.Where(h => !About(h)).Select(h => h.GetProperty("rank").GetInt32()).ToList();
        Assert.NotEmpty(about);
        Assert.NotEmpty(inPassing);
        Assert.True(about.Max() < inPassing.Min(), $"{word}: hits about it ranked {string.Join(",", about)}, in passing {string.Join(",", inPassing)}");
    }
}
