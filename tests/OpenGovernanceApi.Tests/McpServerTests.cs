using System.Net;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// The MCP server at /mcp, through the official SDK's own client over Streamable HTTP (the in-memory test server's
/// handler), checked against what /v1 answers: the same figures, hedges, quotes and citations.
/// </summary>
public class McpServerTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private const string Volunteers = "registered-volunteers-2019-01-09-pc2019";
    private readonly HttpClient _http = factory.CreateClient();

    private async Task<McpClient> ConnectAsync()
    {
        var http = factory.CreateClient();
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
        }, http, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport);
    }

    private async Task<(string Text, JsonElement Structured)> CallAsync(string tool, Dictionary<string, object?> arguments)
    {
        await using var client = await ConnectAsync();
        var result = await client.CallToolAsync(tool, arguments);
        var text = Assert.Single(result.Content.OfType<TextContentBlock>()).Text;
        Assert.True(result.IsError is not true, $"{tool}: {text}");
        Assert.NotNull(result.StructuredContent);
        return (text, result.StructuredContent!.Value);
    }

    private async Task<string> CallErrorAsync(string tool, Dictionary<string, object?> arguments)
    {
        await using var client = await ConnectAsync();
        var result = await client.CallToolAsync(tool, arguments);
        Assert.True(result.IsError, $"{tool} should have answered a tool error");
        var text = Assert.Single(result.Content.OfType<TextContentBlock>()).Text;
        Assert.DoesNotContain("   at ", text); // never a stack trace
        return text;
    }

    [Fact]
    public async Task TheFiveToolsAreListedEachWithADescriptionAnInputSchemaAnOutputSchemaAndReadOnly()
    {
        await using var client = await ConnectAsync();
        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name);
        Assert.Equal(["get_series", "get_statistic", "goal_progress", "list_indicators", "search"], tools.Keys.Order());
        foreach (var tool in tools.Values.Select(t => t.ProtocolTool))
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), tool.Name);
            Assert.Equal("object", tool.InputSchema.GetProperty("type").GetString());
            Assert.Equal("object", tool.OutputSchema!.Value.GetProperty("type").GetString());
            Assert.True(tool.Annotations?.ReadOnlyHint, tool.Name);
        }
        var search = tools["search"].ProtocolTool.InputSchema.GetProperty("properties");
        Assert.Equal(200, search.GetProperty("query").GetProperty("maxLength").GetInt32());
        Assert.Equal(["query"], tools["search"].ProtocolTool.InputSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task GetStatisticAnswersTheFigureOfV1WithItsHedgeInWordsItsQuoteAndItsCitation()
    {
        var v1 = (await _http.GetJsonAsync($"/v1/statistics/{Volunteers}")).GetProperty("data");
        var (text, structured) = await CallAsync("get_statistic", new() { ["id"] = Volunteers });
        var statistic = structured.GetProperty("statistic");
        Assert.Equal(4267000, statistic.GetProperty("value").GetDouble());
        Assert.Equal("gt", statistic.Str("comparator"));
        Assert.Equal("426.7万", statistic.Str("valueAsWritten"));
        Assert.Equal("more than", statistic.Str("hedge"));
        Assert.Equal("more than 4.267 million people", statistic.Str("inWords.en"));
        Assert.Equal("超过426.7万人", statistic.Str("inWords.zh"));
        Assert.Contains("426.7万", statistic.Str("quote"));
        foreach (var field in new[] { "quote", "period", "kind", "region.adcode", "source.id", "source.publishedOn", "citation.en", "citation.zh" })
            Assert.Equal(v1.Str(field), statistic.Str(field));
        Assert.Equal(v1.Str("links.self"), statistic.Str("json"));
        Assert.Empty(structured.GetProperty("conflicting").EnumerateArray());

        Assert.Contains("more than 4.267 million people", text);
        Assert.Contains(v1.Str("quote"), text);
        Assert.Contains(v1.Str("links.self"), text);
        Assert.EndsWith(v1.Str("citation.en"), text); // the text ends with the citation
    }

    [Fact]
    public async Task AFigureOtherSourcesContradictListsThemWithTheirOwnHedges()
    {
        var conflicted = (await _http.GetJsonAsync("/v1/statistics?conflicts=true&limit=1")).GetProperty("data")[0];
        var (text, structured) = await CallAsync("get_statistic", new() { ["id"] = conflicted.Str("id") });
        var others = structured.GetProperty("conflicting").EnumerateArray().Select(o => o.Str("id")).ToList();
        Assert.Equal(conflicted.GetProperty("conflictsWith").EnumerateArray().Select(c => c.GetString()), others);
        foreach (var other in others) Assert.Contains(other, text);
        Assert.Contains("Another source disagrees", text);
    }

    [Fact]
    public async Task TheHedgeIsNeverDroppedFromAnyFigure()
    {
        var all = (await _http.GetJsonAsync("/v1/statistics?limit=1000")).GetProperty("data").EnumerateArray().ToList();
        Assert.True(all.Count > 100);
        await using var client = await ConnectAsync();
        foreach (var s in all)
        {
            var result = await client.CallToolAsync("get_statistic", new Dictionary<string, object?> { ["id"] = s.Str("id") });
            var text = result.Content.OfType<TextContentBlock>().Single().Text;
            var comparator = s.Str("comparator");
            var written = s.Str("valueAsWritten");
            var hedge = comparator switch
            {
                "approx" => written.Contains('近') ? "nearly" : "about", "gt" => "more than", "gte" => written.Contains("以上") ? "or more" : "at least",
                "lt" => "less than", "lte" => "at most", _ => "",
            };
            Assert.Equal(hedge, result.StructuredContent!.Value.GetProperty("statistic").Str("hedge"));
            var inWords = result.StructuredContent!.Value.GetProperty("statistic").Str("inWords.en");
            if (hedge == "") continue;
            Assert.Contains(hedge, inWords);
            Assert.Contains(inWords, text);
            // The words the source uses: 近 is "nearly", 约 "about".
            if (s.Str("valueAsWritten").Contains('近')) Assert.StartsWith("nearly ", inWords);
            if (s.Str("valueAsWritten").StartsWith('约')) Assert.StartsWith("about ", inWords);
        }
    }

    [Fact]
    public async Task NearlyNinetyPercentIsNearlyNinetyPercentInTheSeriesAndTheFigure()
    {
        var (text, _) = await CallAsync("get_statistic", new() { ["id"] = "service-circles-coverage-2018-art2018" });
        Assert.Contains("nearly 90%", text);
        var (series, _) = await CallAsync("get_series", new() { ["indicator"] = "service-circles-coverage" });
        var line = Assert.Single(series.Split('\n'), l => l.Contains("service-circles-coverage-2018-art2018"));
        Assert.Contains("nearly 90%", line);
        Assert.Contains("近90%", line);
    }

    [Fact]
    public async Task SearchIsTheSearchOfV1()
    {
        var v1 = await _http.GetJsonAsync("/v1/search?q=%E5%BF%97%E6%84%BF%E8%80%85&limit=5&type=statistics,indicators");
        var (text, structured) = await CallAsync("search", new() { ["query"] = "志愿者", ["limit"] = 5, ["type"] = "统计,indicators" });
        Assert.Equal(v1.GetProperty("meta").GetProperty("total").GetInt32(), structured.GetProperty("total").GetInt32());
        var ids = structured.GetProperty("hits").EnumerateArray().Select(h => h.Str("id")).ToList();
        Assert.Equal(v1.Ids(), ids);
        Assert.Equal(v1.GetProperty("data").EnumerateArray().Select(h => h.Str("snippet")), structured.GetProperty("hits").EnumerateArray().Select(h => h.Str("snippet")));
        foreach (var id in ids) Assert.Contains(id, text);
        Assert.Contains("more than 4.267 million people", text); // the statistic's title says its hedge
        Assert.Matches(@"Citation: OpenGovernanceApi.*/v1/search\?q=", text.Split('\n')[^1]);
    }

    [Fact]
    public async Task GetSeriesKeepsTargetsApartFromActualFiguresInPeriodOrder()
    {
        var v1 = (await _http.GetJsonAsync("/v1/indicators/social-work-professionals/series")).GetProperty("data").EnumerateArray().ToList();
        // By id or by its name, Chinese or English.
        var name = (await _http.GetJsonAsync("/v1/indicators/social-work-professionals")).GetProperty("data").Str("name.zh");
        foreach (var indicator in new[] { "social-work-professionals", name })
        {
            var (text, structured) = await CallAsync("get_series", new() { ["indicator"] = indicator });
            Assert.Equal("social-work-professionals", structured.Str("indicator.id"));
            foreach (var kind in new[] { "actual", "target" })
            {
                var expected = v1.Where(s => s.Str("kind") == kind).Select(s => s.Str("id")).ToList();
                Assert.NotEmpty(expected);
                Assert.Equal(expected, structured.GetProperty(kind + "s").EnumerateArray().Select(s => s.Str("id")));
            }
            Assert.True(text.IndexOf("Actual figures:", StringComparison.Ordinal) < text.IndexOf("Targets of the plans:", StringComparison.Ordinal));
            Assert.Contains("/v1/indicators/social-work-professionals/series", text.Split('\n')[^1]);
        }
    }

    [Fact]
    public async Task AnAmbiguousIndicatorNameIsAnErrorListingTheCandidates()
    {
        var text = await CallErrorAsync("get_series", new() { ["indicator"] = "志愿者" });
        Assert.Contains("registered-volunteers", text);
        Assert.Contains("volunteer-groups", text);
    }

    [Fact]
    public async Task ListIndicatorsTakesATopicInChineseOrEnglishAndWords()
    {
        var v1 = await _http.GetJsonAsync("/v1/indicators?topic=volunteering");
        foreach (var topic in new[] { "志愿服务", "Volunteering", "volunteering" })
        {
            var (text, structured) = await CallAsync("list_indicators", new() { ["topic"] = topic });
            Assert.Equal(v1.Ids(), structured.GetProperty("indicators").EnumerateArray().Select(i => i.Str("id")));
            Assert.Contains("registered-volunteers: Registered (real-name) volunteers (实名注册志愿者人数)", text);
        }
        var (_, matching) = await CallAsync("list_indicators", new() { ["query"] = "社工" });
        Assert.Contains("subdistrict-social-work-station-coverage", matching.GetProperty("indicators").EnumerateArray().Select(i => i.Str("id")));
    }

    [Fact]
    public async Task GoalProgressIsTheProgressOfV1ForAPlanNamedInChinese()
    {
        var v1 = (await _http.GetJsonAsync("/v1/goals?plan=14th&kind=quantitative")).GetProperty("data").EnumerateArray().ToList();
        var (text, structured) = await CallAsync("goal_progress", new() { ["plan"] = "十四五" });
        Assert.Equal("14th", structured.Str("plan"));
        var goals = structured.GetProperty("goals").EnumerateArray().ToList();
        Assert.Equal(v1.Select(g => g.Str("id")), goals.Select(g => g.Str("id")));
        foreach (var (expected, goal) in v1.Zip(goals))
        {
            Assert.Equal(expected.Str("progress.status"), goal.Str("progress.status"));
            Assert.Equal(expected.Str("progress.reason.en"), goal.Str("progress.reason.en"));
            Assert.Contains(expected.Str("progress.reason.en"), text);
            Assert.Contains(expected.Str("progress.reason.zh"), text);
        }
        // A 2019 figure is the 2021-2025 plan's baseline, never a verdict; its 将近 stays "nearly".
        var social = goals.Single(g => g.Str("id") == "14th-goal-certified-social-workers");
        Assert.Equal("no-data", social.Str("progress.status"));
        Assert.Equal("certified-social-workers-2019-01-09-pc2019", social.Str("progress.baseline.statistic"));
        Assert.Contains("Baseline, not judged: nearly 27,000 people", text);
    }

    [Fact]
    public async Task AnUnknownStatisticIdIsAToolErrorThatNamesIt()
    {
        var text = await CallErrorAsync("get_statistic", new() { ["id"] = "no-such-figure-2099" });
        Assert.Contains("no-such-figure-2099", text);
        Assert.Contains("search", text); // and says how to find one
    }

    [Fact]
    public async Task AnUnknownToolIsAJsonRpcErrorThatNamesIt()
    {
        await using var client = await ConnectAsync();
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("delete_everything", new Dictionary<string, object?>()).AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
        Assert.Contains("delete_everything", error.Message);
    }

    [Theory]
    [InlineData("search", "limit", "ten", "'limit' must be a whole number; got a string")]
    [InlineData("search", "limit", 500, "'limit' must be from 1 to 50; got 500")]
    [InlineData("search", "colour", "red", "'colour' is not an argument of search")]
    [InlineData("get_statistic", "id", 42, "'id' must be a string; got a number")]
    [InlineData("get_series", "region", "Mars", "No region is 'Mars'")]
    [InlineData("goal_progress", "plan", "15th", "No plan is '15th'")]
    [InlineData("search", "type", "tweets", "type: 'tweets' is not one of statistics, goals, measures, indicators, sources")]
    public async Task ABadArgumentIsAToolErrorThatNamesIt(string tool, string argument, object value, string message)
    {
        var arguments = new Dictionary<string, object?> { [argument] = value };
        if (tool == "search" && argument != "query") arguments["query"] = "志愿者";
        if (tool == "get_series") arguments["indicator"] = "registered-volunteers";
        Assert.Contains(message, await CallErrorAsync(tool, arguments));
    }

    [Fact]
    public async Task AQueryOver200CharactersIsRefusedAndAMissingOneNamed()
    {
        Assert.Contains("'query' is longer than 200 characters (201)", await CallErrorAsync("search", new() { ["query"] = new string('志', 201) }));
        Assert.Contains("'query' is required", await CallErrorAsync("search", new()));
        Assert.Contains("give either 'plan'", await CallErrorAsync("goal_progress", new()));
    }

    [Fact]
    public async Task TheSourcesAndTheDataDictionaryAreResources()
    {
        await using var client = await ConnectAsync();
        var resources = (await client.ListResourcesAsync()).Select(r => r.Uri).ToList();
        Assert.Equal(["governance://data-dictionary", "governance://sources"], resources.Order());

        var sources = JsonDocument.Parse(((TextResourceContents)(await client.ReadResourceAsync("governance://sources")).Contents.Single()).Text).RootElement;
        var v1 = await _http.GetJsonAsync("/v1/sources");
        Assert.Equal(v1.Ids(), sources.EnumerateArray().Select(s => s.Str("id")));
        var one = JsonDocument.Parse(((TextResourceContents)(await client.ReadResourceAsync("governance://sources/pc2019")).Contents.Single()).Text).RootElement;
        Assert.Equal("2019-01-09", one.Str("publishedOn"));
        var missing = await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync("governance://sources/nowhere").AsTask());
        Assert.Contains("nowhere", missing.Message);

        var dictionary = ((TextResourceContents)(await client.ReadResourceAsync("governance://data-dictionary")).Contents.Single()).Text;
        var contract = File.ReadAllText(Repository.Path("docs", "API.md"));
        Assert.Contains("## A statistic", dictionary);
        Assert.Contains("## A goal and its progress", dictionary);
        var statisticSection = contract[contract.IndexOf("## A statistic", StringComparison.Ordinal)..contract.IndexOf("## A goal", StringComparison.Ordinal)].Trim();
        Assert.Contains(statisticSection, dictionary); // the contract's own words
    }

    [Fact]
    public async Task ThePromptCiteFigureShowsTheHedgeAndTheCitationOnARealFigure()
    {
        await using var client = await ConnectAsync();
        var prompt = Assert.Single(await client.ListPromptsAsync());
        Assert.Equal("cite_figure", prompt.Name);
        var result = await client.GetPromptAsync("cite_figure", new Dictionary<string, object?> { ["id"] = "service-circles-coverage-2018-art2018" });
        var text = ((TextContentBlock)Assert.Single(result.Messages).Content).Text;
        Assert.Contains("\"nearly 90%\"", text);
        var v1 = (await _http.GetJsonAsync("/v1/statistics/service-circles-coverage-2018-art2018")).GetProperty("data");
        Assert.Contains("nearly 90%", text);
        Assert.Contains(v1.Str("citation.en"), text);
        Assert.Contains(v1.Str("quote"), text);
        await Assert.ThrowsAsync<McpProtocolException>(() => client.GetPromptAsync("cite_figure", new Dictionary<string, object?> { ["id"] = "nope" }).AsTask());
    }

    [Fact]
    public async Task TheIndexLinksTheMcpServerAndTheOpenApiDocumentLeavesItOut()
    {
        var index = (await _http.GetJsonAsync("/v1")).GetProperty("data");
        Assert.Equal("http://localhost/mcp", index.Str("links.mcp"));
        var document = await _http.GetJsonAsync("/openapi/v1.json");
        Assert.DoesNotContain(document.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith("/mcp"));
    }

    private static HttpRequestMessage Post(string json, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    [Fact]
    public async Task McpAnswersCarryTheRequestIdAndCorsButNoCachingHeaders()
    {
        using var response = await _http.SendAsync(Post("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", "https://assistant.example"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.True(response.Headers.Contains("X-Request-Id"));
        Assert.True(response.Headers.Contains("RateLimit"));
        Assert.Null(response.Headers.ETag); // not the answer cache's

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/mcp");
        preflight.Headers.Add("Origin", "https://assistant.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type, mcp-protocol-version");
        using var allowed = await _http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("POST", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Methods")));
    }

    [Fact]
    public async Task GetOnMcpIsA405ProblemAndMalformedJsonAJsonRpcErrorNeverA5xx()
    {
        using var get = await _http.GetAsync("/mcp");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(["POST"], get.Content.Headers.Allow);
        using var malformed = await _http.SendAsync(Post("{not json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var body = await malformed.Content.ReadAsStringAsync();
        Assert.Contains("\"jsonrpc\":\"2.0\"", body);
        Assert.DoesNotContain("   at ", body);
    }

    [Fact]
    public async Task McpIsBehindTheSameRateLimitAsV1()
    {
        await using var limited = new RateLimitTests.ThreePerMinute();
        var client = limited.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var request = Post("""{"jsonrpc":"2.0","id":1,"method":"ping"}""");
            request.Headers.Add(GovernanceApiFactory.TestClientHeader, "192.0.2.77");
            using var ok = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var last = Post("""{"jsonrpc":"2.0","id":1,"method":"ping"}""");
        last.Headers.Add(GovernanceApiFactory.TestClientHeader, "192.0.2.77");
        using var refused = await client.SendAsync(last);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }
}

