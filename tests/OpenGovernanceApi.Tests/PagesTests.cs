using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OpenGovernanceApi.Data;

namespace OpenGovernanceApi.Tests;

/// <summary>The pages for people: server-rendered HTML in Chinese and English, each linked to its JSON, cached like /v1.</summary>
public class PagesTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private const string NearlyNinety = "service-circles-coverage-2018-art2018"; // 近90%
    private const string Volunteers = "registered-volunteers-2019-01-09-pc2019"; // 突破426.7万
    private const string Conflicting = "non-public-enterprise-party-coverage-2018-art2018"; // 83.9% against another source's 83%

    /// <summary>A page as a browser asks for it; asserts the status and that it is HTML.</summary>
    private async Task<string> PageAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var response = await _client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode}: {html[..Math.Min(html.Length, 500)]}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!DOCTYPE html>", html);
        return html;
    }

    private static string Lang(string html) => Regex.Match(html, "<html lang=\"([^\"]+)\"").Groups[1].Value;

    /// <summary>The value of the first `attribute` of a tag matching `tag` (a regex over the tag's text).</summary>
    private static string? Attribute(string html, string tag, string attribute) =>
        Regex.Matches(html, "<[^>]+>").Select(m => m.Value).FirstOrDefault(t => Regex.IsMatch(t, tag)) is { } found
            ? WebUtility.HtmlDecode(Regex.Match(found, $"\\s{attribute}=\"([^\"]*)\"").Groups[1].Value) : null;

    private static JsonElement JsonLdOf(string html)
    {
        var json = Regex.Match(html, "<script type=\"application/ld(?:\\+|&#x2B;)json\">(.*?)</script>", RegexOptions.Singleline);
        Assert.True(json.Success, "no JSON-LD");
        Assert.DoesNotContain("<", json.Groups[1].Value); // nothing in it can close its script element
        return JsonDocument.Parse(json.Groups[1].Value).RootElement.Clone();
    }

    /// <summary>The page's text, roughly as a reader sees it: scripts dropped, block tags a space, inline tags nothing, entities decoded, spaces collapsed.</summary>
    private static string Text(string html)
    {
        var text = Regex.Replace(html, "<(script|style|title)[^>]*>.*?</\\1>", " ", RegexOptions.Singleline);
        text = Regex.Replace(text, "</?(p|div|td|th|tr|li|dt|dd|br|h[1-6]|pre|section|ul|ol|table|thead|tbody|figure|figcaption|blockquote|nav|header|footer|main|form|label|button|svg|g|desc)\\b[^>]*>", " ");
        text = Regex.Replace(text, "<[^>]+>", "");
        return Regex.Replace(WebUtility.HtmlDecode(text), "\\s+", " ");
    }

    [Fact]
    public async Task TheStatisticPageSaysTheFigureAsWrittenAndAsANumberWithItsHedgeInWordsNeverBare()
    {
        var en = Text(await PageAsync($"/en/statistics/{NearlyNinety}"));
        Assert.Contains("近90%", en);
        Assert.Contains("nearly 90%", en);
        Assert.Contains("90 percent — to be read with its hedge: nearly 90%, not exactly 90", en);
        Assert.Contains("the true figure is close to this, probably a little below it", en);
        Assert.Contains("2018", en);          // period
        Assert.Contains("Beijing", en);       // region
        Assert.Contains("actual", en);        // kind
        Assert.DoesNotContain("about 90%", en); // 近 is "nearly", not "about"

        var zh = Text(await PageAsync($"/statistics/{NearlyNinety}"));
        Assert.Contains("近90%", zh);
        Assert.Contains("须连同限定词读作 近90%,不是确切的90", zh);
        Assert.Contains("实际数据", zh);
        Assert.Contains("北京", zh);
    }

    [Theory]
    [InlineData("/statistics/" + Volunteers, "zh-CN", "超过426.7万人", "下限")]
    [InlineData("/en/statistics/" + Volunteers, "en", "more than 4.267 million people", "A lower bound")]
    public async Task EachLanguageHasItsOwnPageWithTheHedgeInItsWords(string url, string lang, string inWords, string meaning)
    {
        var html = await PageAsync(url);
        Assert.Equal(lang, Lang(html));
        Assert.Contains(inWords, Text(html));
        Assert.Contains(meaning, Text(html));
    }

    [Fact]
    public async Task TheStatisticPageQuotesTheSourceAndSetsConflictingFiguresSideBySideWithTheirSources()
    {
        var text = Text(await PageAsync($"/en/statistics/{Conflicting}"));
        Assert.Contains("非公企业党组织覆盖率达83.9%", text);                         // its quote
        Assert.Contains("Where sources disagree", text);
        Assert.Contains("目前全市非公企业和社会组织党组织覆盖率分别达到83%和75%", text); // the other source's quote
        Assert.Contains("Report on the Development of Social Governance in Beijing", text); // and its source
        var html = await PageAsync($"/en/statistics/{Conflicting}");
        Assert.Contains("href=\"/en/statistics/non-public-enterprise-party-coverage-2018-rpt2019\"", html);
    }

    [Fact]
    public async Task TheStatisticPageListsTheOtherFiguresOfItsIndicatorLinked()
    {
        var html = await PageAsync($"/en/statistics/{NearlyNinety}");
        var series = (await _client.GetJsonAsync("/v1/indicators/service-circles-coverage/series")).Ids();
        Assert.Equal(3, series.Count);
        foreach (var id in series.Where(id => id != NearlyNinety))
            Assert.Contains($"href=\"/en/statistics/{id}\"", html);
        Assert.Contains("aria-current=\"true\"", html); // this figure, marked in the list
        Assert.Contains("href=\"/en/indicators/service-circles-coverage\"", html);
    }

    [Fact]
    public async Task TheCitationBoxGivesPlainTextInBothLanguagesBibTeXAndRisAllPointingToThePage()
    {
        var statistic = (await _client.GetJsonAsync($"/v1/statistics/{Volunteers}")).GetProperty("data");
        var text = Text(await PageAsync($"/en/statistics/{Volunteers}"));
        Assert.Contains(statistic.Str("citation.zh"), text);
        Assert.Contains(statistic.Str("citation.en"), text);
        Assert.Contains($"@misc{{{Volunteers},", text);
        Assert.Contains("TY - GEN", text); // RIS (spaces collapsed by Text)
        Assert.Contains($"UR - http://localhost/en/statistics/{Volunteers}", text);
        Assert.Contains($"url = {{http://localhost/en/statistics/{Volunteers}}}", text);
    }

    [Fact]
    public async Task TheCopyButtonsAreAnEnhancementHiddenUntilTheSitesOwnScriptShowsThem()
    {
        var html = await PageAsync($"/statistics/{Volunteers}");
        var buttons = Regex.Matches(html, "<button[^>]*class=\"copy\"[^>]*>").Select(m => m.Value).ToList();
        Assert.Equal(4, buttons.Count);
        Assert.All(buttons, b => Assert.Contains(" hidden", b));
        var script = Attribute(html, "<script src=", "src")!;
        Assert.Matches("^/assets/copy\\.[0-9a-f]{16}\\.js$", script);
        Assert.DoesNotMatch("<script(?![^>]*(src=|application/ld))", html); // no inline script
    }

    [Fact]
    public async Task TheStatisticsJsonLinksItsPageAndItsCitationPointsThere()
    {
        var s = (await _client.GetJsonAsync($"/v1/statistics/{Volunteers}")).GetProperty("data");
        Assert.Equal($"http://localhost/v1/statistics/{Volunteers}", s.Str("links.self"));
        Assert.Equal($"http://localhost/statistics/{Volunteers}", s.Str("links.html"));
        Assert.EndsWith($":http://localhost/statistics/{Volunteers}", s.Str("citation.zh"));
        Assert.EndsWith($": http://localhost/en/statistics/{Volunteers}", s.Str("citation.en"));
        await PageAsync(new Uri(s.Str("links.html")).PathAndQuery);
    }

    [Theory]
    [InlineData("/", "/v1", "WebSite")]
    [InlineData("/statistics/" + Volunteers, "/v1/statistics/" + Volunteers, "Observation")]
    [InlineData("/indicators/service-circles-coverage", "/v1/indicators/service-circles-coverage", "Dataset")]
    [InlineData("/goals/14th-goal-volunteers-21pct", "/v1/goals/14th-goal-volunteers-21pct", "CreativeWork")]
    [InlineData("/plans/14th", "/v1/plans/14th", "Legislation")]
    [InlineData("/measures/14th-project-5", "/v1/measures/14th-project-5", "CreativeWork")]
    [InlineData("/sources/pc2019", "/v1/sources/pc2019", "CreativeWork")]
    [InlineData("/regions/110105", "/v1/regions/110105", "AdministrativeArea")]
    [InlineData("/search?q=%E5%BF%97%E6%84%BF%E8%80%85", "/v1/search?q=%E5%BF%97%E6%84%BF%E8%80%85", "SearchResultsPage")]
    public async Task EveryPageKindLinksItsJsonTheOtherLanguageAndItsCanonicalUrlAndDescribesItself(string path, string json, string schemaType)
    {
        foreach (var english in new[] { false, true })
        {
            var url = english ? "/en" + path : path;
            var html = await PageAsync(url);
            Assert.Equal(english ? "en" : "zh-CN", Lang(html));
            Assert.Equal("http://localhost" + json, Attribute(html, "rel=\"alternate\" type=\"application/json\"", "href"));
            Assert.Equal("http://localhost" + url, Attribute(html, "rel=\"canonical\"", "href"));
            Assert.Equal("http://localhost" + path, Attribute(html, "hreflang=\"zh-CN\" href", "href"));
            Assert.Equal("http://localhost/en" + path, Attribute(html, "hreflang=\"en\" href", "href"));
            Assert.Equal("http://localhost" + url, Attribute(html, "property=\"og:url\"", "content"));
            Assert.False(string.IsNullOrEmpty(Attribute(html, "property=\"og:title\"", "content")));
            Assert.False(string.IsNullOrEmpty(Attribute(html, "name=\"description\"", "content")));
            Assert.Equal(english ? "en_US" : "zh_CN", Attribute(html, "property=\"og:locale\"", "content"));
            // The header links the same page in the other language.
            Assert.Equal(english ? path : "/en" + path, Attribute(html, "<a href=\"[^\"]*\" hreflang=", "href"));
            var ld = JsonLdOf(html);
            Assert.Equal("https://schema.org", ld.Str("@context"));
            Assert.Equal(schemaType, ld.Str("@type"));
            if (ld.TryGetProperty("url", out var ldUrl)) Assert.Equal("http://localhost" + url, ldUrl.GetString());
            Assert.Single(Regex.Matches(html, "<h1[ >]"));
        }
        await _client.GetJsonAsync(json); // and its JSON answers
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/search?q=%E7%A4%BE%E5%B7%A5")]
    [InlineData("/indicators/service-circles-coverage")]
    [InlineData("/goals/14th-goal-volunteers-21pct")]
    [InlineData("/plans/13th")]
    [InlineData("/measures/14th-project-5")]
    [InlineData("/sources/pc2019")]
    [InlineData("/regions/110000")]
    public async Task EveryPageKindAnswers304ToItsETagAndHeadLikeGet(string path)
    {
        foreach (var url in new[] { path, "/en" + path })
        {
            using var first = await _client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var etag = first.Headers.ETag!;
            Assert.False(etag.IsWeak);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.IfNoneMatch.Add(etag);
            using var second = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
            using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
            Assert.Equal(etag, head.Headers.ETag);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [InlineData("/indicators/no-such-indicator", "指标", "indicator")]
    [InlineData("/goals/no-such-goal", "目标", "goal")]
    [InlineData("/plans/15th", "规划", "plan")]
    [InlineData("/measures/no-such-measure", "任务或措施", "task or measure")]
    [InlineData("/sources/no-such-source", "来源文件", "source")]
    [InlineData("/regions/999999", "地区", "region")]
    public async Task EveryPageKindAnswersAnUnknownIdWithA404PageInItsLanguage(string path, string zh, string en)
    {
        Assert.Contains(zh, Text(await PageAsync(path, HttpStatusCode.NotFound)));
        var english = await PageAsync("/en" + path, HttpStatusCode.NotFound);
        Assert.Equal("en", Lang(english));
        Assert.Contains($"There is no {en} with", Text(english));
        Assert.Contains("name=\"q\"", english);
    }

    [Theory]
    [InlineData("/statistics/no-such-statistic", "zh-CN", "没有编号为“no-such-statistic”的统计数据")]
    [InlineData("/en/statistics/no-such-statistic", "en", "There is no statistic with id 'no-such-statistic'")]
    public async Task AnUnknownIdIsA404PageInThePagesLanguageWithASearchBox(string url, string lang, string message)
    {
        var html = await PageAsync(url, HttpStatusCode.NotFound);
        Assert.Equal(lang, Lang(html));
        Assert.Contains(message, Text(html));
        Assert.Contains("id=\"error-q\" name=\"q\" type=\"search\"", html);
        Assert.Contains("<meta name=\"robots\" content=\"noindex\"", html);
    }

    [Theory]
    [InlineData("/no-such-page", "zh-CN")]
    [InlineData("/en/no-such-page", "en")]
    public async Task ABrowsersUnknownPathIsA404PageWhileAnApiClientStillGetsAProblem(string url, string lang)
    {
        var html = await PageAsync(url, HttpStatusCode.NotFound);
        Assert.Equal(lang, Lang(html));
        Assert.Contains("name=\"q\"", html);
        await _client.GetProblemAsync(url, HttpStatusCode.NotFound);
        await _client.GetProblemAsync(url, HttpStatusCode.NotFound, accept: "application/json");
        // Under the API's own paths, never a page, whatever the client accepts.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/no-such-thing");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnIdThatLooksLikeMarkupIsShownAsTextNeverAsMarkup()
    {
        var html = await PageAsync("/en/statistics/" + Uri.EscapeDataString("<script>alert(1)</script>"), HttpStatusCode.NotFound);
        Assert.DoesNotContain("<script>alert(1)", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;", html);
    }

    [Theory]
    [InlineData("/statistics/" + Volunteers)]
    [InlineData("/en/statistics/" + Volunteers)]
    public async Task APageHasAStrongETagAndAnswers304ToIt(string url)
    {
        using var first = await _client.GetAsync(url);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.True(first.Headers.CacheControl?.Public);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(etag, head.Headers.ETag);
        // The same bytes every time: a strong ETag means that.
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await _client.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task APageIsSentCompressedToABrowser()
    {
        var url = $"/en/statistics/{Conflicting}";
        for (var i = 0; i < 2; i++) await _client.GetAsync(url); // kept from its second request
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd("br");
        using var response = await _client.SendAsync(request);
        Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
    }

    [Fact]
    public async Task APageMayLoadOnlyItsOwnStylesheetAndScriptWhichAreCachedForAYearUnderHashedNames()
    {
        using var page = await _client.GetAsync($"/statistics/{Volunteers}");
        var csp = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("style-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        // The API's answers keep theirs.
        using var json = await _client.GetAsync($"/v1/statistics/{Volunteers}");
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Assert.Single(json.Headers.GetValues("Content-Security-Policy")));

        var html = await page.Content.ReadAsStringAsync();
        foreach (var (href, type) in new[] { (Attribute(html, "rel=\"stylesheet\"", "href")!, "text/css"), (Attribute(html, "<script src=", "src")!, "text/javascript") })
        {
            var hash = Regex.Match(href, "^/assets/[a-z]+\\.([0-9a-f]{16})\\.(css|js)$");
            Assert.True(hash.Success, href);
            using var asset = await _client.GetAsync(href);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
            Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl?.ToString());
            var bytes = await asset.Content.ReadAsByteArrayAsync();
            Assert.Equal(hash.Groups[1].Value, Convert.ToHexStringLower(System.IO.Hashing.XxHash128.Hash(bytes))[..16]);
            Assert.DoesNotContain("://", System.Text.Encoding.UTF8.GetString(bytes)); // nothing from elsewhere
            using var again = new HttpRequestMessage(HttpMethod.Get, href);
            again.Headers.IfNoneMatch.Add(asset.Headers.ETag!);
            using var notModified = await _client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
        using var stale = await _client.GetAsync("/assets/site.0000000000000000.css");
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
    }

    [Fact]
    public async Task PagesAreNotOperationsOfTheApiDocument()
    {
        var document = await _client.GetJsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.All(paths, p => Assert.True(p.StartsWith("/v1") || p == "/healthz" || p == "/readyz", p));
    }

    // ------------------------------------------------------------------------------------------------ home

    [Fact]
    public async Task TheHomePageHasASearchBoxTheThreePlansWithTheirGoalsProgressAndTheDownloads()
    {
        var html = await PageAsync("/en/");
        var text = Text(html);
        Assert.Contains("action=\"/en/search\"", html);
        foreach (var plan in new[] { "12th", "13th", "14th" }) Assert.Contains($"href=\"/en/plans/{plan}\"", html);
        var goals = (await _client.GetJsonAsync("/v1/goals?plan=14th&kind=quantitative&limit=1000")).Ids();
        foreach (var goal in goals) Assert.Contains($"href=\"/en/goals/{goal}\"", html);
        Assert.Contains($"{goals.Count} quantitative goals", text);
        Assert.Contains($"no data × {goals.Count}", text); // none has an actual figure from 2021-2025 in this release
        foreach (var link in new[] { "/v1/downloads", "/v1/downloads/statistics.csv", "/docs", "/openapi/v1.json" })
            Assert.Contains($"href=\"{link}\"", html);
        Assert.Equal("北京社会治理规划的开放数据", Regex.Match(Text(await PageAsync("/")), "北京社会治理规划的开放数据").Value);
        using var bare = await _client.GetAsync("/en");
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
    }

    // ------------------------------------------------------------------------------------------------ search

    [Fact]
    public async Task TheSearchPageRunsTheApisSearchAndGroupsItsHitsByTypeWithTheWordsMarked()
    {
        var api = await _client.GetJsonAsync("/v1/search?q=%E5%BF%97%E6%84%BF%E8%80%85&limit=100");
        var html = await PageAsync("/search?q=%E5%BF%97%E6%84%BF%E8%80%85");
        var hits = api.GetProperty("data").EnumerateArray().Select(h => (Type: h.Str("type"), Id: h.Str("id"))).ToList();
        Assert.NotEmpty(hits);
        foreach (var (type, id) in hits) Assert.Contains($"href=\"/{type}/{id}\"", html);
        Assert.Contains($"共{api.GetProperty("meta").GetProperty("total").GetInt32()}条结果", Text(html));
        foreach (var type in hits.Select(h => h.Type).Distinct())
            Assert.Matches($"<h2>[^<]+ \\({hits.Count(h => h.Type == type)}\\)</h2>", html);
        Assert.Contains("<mark>志愿者</mark>", html);
        // Narrowed to one type, as /v1/search?type= is.
        var statistics = await PageAsync("/en/search?q=volunteer&type=statistics");
        Assert.DoesNotContain("href=\"/en/measures/", statistics);
        Assert.Contains("href=\"/en/statistics/", statistics);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("\"><img src=x onerror=alert(1)>")]
    [InlineData("志愿者 <script>alert(1)</script>")]
    public async Task AQueryEchoedOnTheSearchPageCanNeverRunAsScript(string q)
    {
        foreach (var path in new[] { "/search", "/en/search" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?q={Uri.EscapeDataString(q)}");
            request.Headers.Accept.ParseAdd("text/html");
            using var response = await _client.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, response.StatusCode.ToString());
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("<img src=x", html);
            Assert.DoesNotContain("onerror=alert(1)>", html);
            Assert.DoesNotContain("\"><img", html);
            // It is on the page, as text: in the heading and in the search boxes.
            Assert.Contains(q, Text(html));
            Assert.Contains($"value=\"{System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All).Encode(q)}\"", html);
            Assert.DoesNotContain("unsafe-inline", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        }
    }

    [Theory]
    [InlineData("/search?q=" + "%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85%E5%BF%97%E6%84%BF%E8%80%85", "最多200个字符")]
    [InlineData("/search?q=%21%21%21", "没有可以搜索的字词")]
    [InlineData("/search?q=%FF%FE", "不是 UTF-8")]
    [InlineData("/search?q=a&q=b", "各只能给一次")]
    [InlineData("/search?q=volunteer&type=nonsense", "type 只能是")]
    [InlineData("/en/search?q=%21%21%21", "no word to look for")]
    [InlineData("/en/search?q=volunteer&type=nonsense", "type is one of")]
    public async Task ASearchThatCannotBeRunIsA400PageSayingWhyWithTheSearchBox(string url, string why)
    {
        var html = await PageAsync(url, HttpStatusCode.BadRequest);
        Assert.Contains(why, Text(html));
        Assert.Contains("id=\"error-q\"", html);
    }

    [Fact]
    public async Task TheSearchPageWithoutAQueryIsTheFormAlone()
    {
        var html = await PageAsync("/en/search");
        Assert.Contains("id=\"search-q\"", html);
        Assert.DoesNotContain("results", Text(html).Replace("Search results", ""));
        await PageAsync("/search?q=");
    }

    // ------------------------------------------------------------------------------------------------ indicators and the chart

    [Fact]
    public async Task TheIndicatorPageDrawsTheSeriesAsTheSameSvgTheApiServesWithHedgedFiguresOpen()
    {
        var html = await PageAsync("/en/indicators/service-circles-coverage");
        var svg = await _client.GetStringAsync("/v1/indicators/service-circles-coverage/series?format=svg");
        // One drawing: the same markers at the same places, whatever the labels' language.
        var paths = (string s) => Regex.Matches(s, "<g class=\"marker\" data-kind=\"(\\w+)\" data-hedged=\"(\\w+)\">.*?<path d=\"([^\"]+)\" fill=\"([^\"]+)\"", RegexOptions.Singleline)
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value} {m.Groups[3].Value} {m.Groups[4].Value}").ToList();
        Assert.Equal(3, paths(svg).Count);
        Assert.Equal(paths(svg), paths(html));
        // 近90% is hedged: an open marker (white inside); 83% and 92% are filled.
        Assert.Equal(["actual false", "actual true", "actual false"], paths(svg).Select(p => string.Join(' ', p.Split(' ').Take(2))));
        Assert.Contains(paths(svg), p => p.StartsWith("actual true") && p.EndsWith("#ffffff"));
        Assert.Contains("open: hedged", Text(html)); // the legend says so
        Assert.Contains("≈90%", html);
        // The table beneath, and the downloads.
        foreach (var id in (await _client.GetJsonAsync("/v1/indicators/service-circles-coverage/series")).Ids())
            Assert.Contains($"/en/statistics/{id}", html);
        foreach (var format in new[] { "", "?format=csv", "?format=svg" })
            Assert.Contains($"href=\"/v1/indicators/service-circles-coverage/series{format}\"", html);
        var ld = JsonLdOf(html);
        Assert.Equal(3, ld.GetProperty("distribution").GetArrayLength());
        Assert.Equal("2016/2019-01-09", ld.Str("temporalCoverage"));
    }

    [Fact]
    public async Task TargetsAreDrawnAsDiamondsAtTheirDeadlineDashedFromTheLatestActual()
    {
        // Certified social workers: actual figures and the 14th plan's target for 2025.
        var svg = await _client.GetStringAsync("/v1/indicators/certified-social-workers/series?format=svg");
        Assert.Matches("<g class=\"marker\" data-kind=\"target\"", svg);
        Assert.Contains("stroke-dasharray", svg);
        Assert.Contains("2025", svg);
        Assert.Contains("规划目标(截止年份) target, at its deadline", svg); // the legend, in both languages
    }

    [Fact]
    public async Task TheSeriesAsSvgIsAWellFormedDocumentAskedForByFormatOrAcceptWithItsOwnETag()
    {
        const string url = "/v1/indicators/registered-volunteers/series";
        using var byFormat = await _client.GetAsync(url + "?format=svg");
        Assert.Equal(HttpStatusCode.OK, byFormat.StatusCode);
        Assert.Equal("image/svg+xml", byFormat.Content.Headers.ContentType?.MediaType);
        var svg = await byFormat.Content.ReadAsStringAsync();
        var document = System.Xml.Linq.XDocument.Parse(svg);
        Assert.Equal("{http://www.w3.org/2000/svg}svg", document.Root!.Name.ToString());
        Assert.Contains("实名注册志愿者人数 Registered (real-name) volunteers", svg);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"); // a browser's <img>
        using var byAccept = await _client.SendAsync(request);
        Assert.Equal("image/svg+xml", byAccept.Content.Headers.ContentType?.MediaType);
        Assert.Equal(svg, await byAccept.Content.ReadAsStringAsync());
        using var json = await _client.GetAsync(url);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(json.Headers.ETag, byAccept.Headers.ETag);

        // Only a series draws a chart.
        await _client.GetProblemAsync("/v1/statistics?format=svg", HttpStatusCode.BadRequest);
        await _client.GetProblemAsync("/v1/statistics", HttpStatusCode.NotAcceptable, accept: "image/svg+xml");
        await _client.GetProblemAsync("/v1/indicators/no-such-indicator/series?format=svg", HttpStatusCode.NotFound);
    }

    // ------------------------------------------------------------------------------------------------ goals, plans, measures, sources, regions

    [Fact]
    public async Task TheGoalPageGivesTheTargetWithItsHedgeAndHonestProgress()
    {
        var text = Text(await PageAsync("/en/goals/14th-goal-volunteers-21pct"));
        Assert.Contains("不少于全市常住人口的21% (at least 21%), by 2025", text);
        Assert.Contains("no data", text);
        Assert.Contains("No actual figure of this indicator for this region from the plan's period (2021–2025) yet", text);
        Assert.Contains("“十四五”期间,实名注册志愿者人数将不少于全市常住人口的21%", text); // the quote
        var zh = Text(await PageAsync("/goals/14th-goal-volunteers-21pct"));
        Assert.Contains("暂无数据", zh);
    }

    [Fact]
    public async Task ThePlanPageShowsEveryGoalAndMeasureOfThePlanAsATree()
    {
        var html = await PageAsync("/en/plans/14th");
        var goals = (await _client.GetJsonAsync("/v1/goals?plan=14th&limit=1000")).Ids();
        var measures = (await _client.GetJsonAsync("/v1/measures?plan=14th&limit=1000")).Ids();
        foreach (var goal in goals) Assert.Contains($"href=\"/en/goals/{goal}\"", html);
        foreach (var measure in measures) Assert.Contains($"href=\"/en/measures/{measure}\"", html);
        // Nested: a project's measures sit in a list inside the project's item.
        var project = html.IndexOf("href=\"/en/measures/14th-project-5\"", StringComparison.Ordinal);
        var itsMeasure = html.IndexOf("href=\"/en/measures/14th-project-5-measure-2\"", StringComparison.Ordinal);
        Assert.True(project > 0 && itsMeasure > project);
        Assert.Contains("<ul>", html[project..itsMeasure]);
    }

    [Fact]
    public async Task TheMeasurePageListsWhatItContainsAndTheTargetsItStates()
    {
        var measure = (await _client.GetJsonAsync("/v1/measures/14th-project-5")).GetProperty("data");
        var html = await PageAsync("/en/measures/14th-project-5");
        foreach (var child in measure.GetProperty("children").EnumerateArray()) Assert.Contains($"href=\"/en/measures/{child.Str("id")}\"", html);
        foreach (var goal in measure.GetProperty("goals").EnumerateArray()) Assert.Contains($"href=\"/en/goals/{goal.Str("id")}\"", html);
        Assert.Contains(measure.Str("quote"), Text(html));
    }

    // ------------------------------------------------------------------------------------------------ quotes in their paragraphs

    /// <summary>A statistic's quote and its passage, as the database holds them.</summary>
    private async Task<(string Quote, string ValueAsWritten, int Ordinal, string Passage)> QuoteOf(string id)
    {
        await using var connection = await factory.Services.GetRequiredService<GovernanceDb>().OpenAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<(string, string, int, string)>("""
            SELECT s.quote, s.value_as_written, p.ordinal, p.text FROM statistics s
            JOIN quote_places q ON q.resource = 'statistics' AND q.item_id = s.id
            JOIN passages p ON p.source_id = q.source_id AND p.ordinal = q.passage_ordinal
            WHERE s.id = @Id
            """, new { Id = id });
    }

    /// <summary>The quote's paragraph as the page shows it: the words before the quote, the quote's markup, the words after (text decoded).</summary>
    private static (string Before, string QuotedHtml, string Quoted, string After) ShownPassage(string html)
    {
        var shown = Regex.Match(html, "<blockquote lang=\"zh-CN\"[^>]*><p class=\"passage\">(?<before>.*?)<span class=\"quoted\">(?<quoted>.*?)</span>(?<after>.*?)</p></blockquote>");
        Assert.True(shown.Success, "no paragraph with its quote in a zh-CN blockquote");
        string Plain(string part) => WebUtility.HtmlDecode(Regex.Replace(part, "<[^>]+>", ""));
        return (Plain(shown.Groups["before"].Value), shown.Groups["quoted"].Value, Plain(shown.Groups["quoted"].Value), Plain(shown.Groups["after"].Value));
    }

    [Theory]
    [InlineData("/statistics/" + NearlyNinety, "第12段")]
    [InlineData("/en/statistics/" + NearlyNinety, "paragraph 12")]
    public async Task TheStatisticPageShowsTheQuoteInsideItsParagraphWithTheFigureMarked(string url, string paragraph)
    {
        var html = await PageAsync(url);
        var (quote, asWritten, ordinal, passage) = await QuoteOf(NearlyNinety);
        Assert.Equal("目前,全市“一刻钟社区服务圈”覆盖率近90%。", quote);
        Assert.Equal(12, ordinal);
        Assert.Contains("<mark>近90%</mark>", html);
        var (before, quotedHtml, quoted, after) = ShownPassage(html);
        Assert.Equal("目前,全市“一刻钟社区服务圈”覆盖率<mark>近90%</mark>。", quotedHtml); // the figure as written, marked inside the quote
        Assert.Equal(quote, quoted);
        // The paragraph around it, exactly as in the source: no word changed, no space added. It is long, so it is cut before the quote.
        Assert.StartsWith("…", before);
        Assert.Contains(before[1..] + quote + after, passage);
        Assert.EndsWith(before[1..] + quote + after, passage);
        Assert.True(before.Length - 1 <= 120, $"{before.Length - 1} characters kept before the quote");
        Assert.Contains(paragraph, Text(html));
        Assert.Contains(url.StartsWith("/en") ? "at most 120 characters either side of the quote" : "只显示引文前后各不超过120个字", Text(html));
    }

    /// <summary>
    /// A plan's, goal's or measure's page shows its quote inside its paragraph too, with the paragraph's number; a goal's
    /// target figure, where its quote writes it, is marked as a statistic's is.
    /// </summary>
    [Theory]
    [InlineData("plans", "plans")]
    [InlineData("goals", "goals")]
    [InlineData("measures", "measures")]
    public async Task PlanGoalAndMeasurePagesShowTheQuoteInsideItsParagraph(string resource, string table)
    {
        await using var connection = await factory.Services.GetRequiredService<GovernanceDb>().OpenAsync(CancellationToken.None);
        var rows = (await connection.QueryAsync<(string Id, string Quote, int Ordinal, string Passage, string? Target)>($"""
            SELECT x.id, x.quote, p.ordinal, p.text,
                   {(table == "goals" ? "(SELECT t.value_as_written FROM statistics t WHERE t.id = x.target_statistic_id)" : "NULL")}
            FROM {table} x
            JOIN quote_places q ON q.resource = @Resource AND q.item_id = x.id
            JOIN passages p ON p.source_id = q.source_id AND p.ordinal = q.passage_ordinal
            ORDER BY x.id
            """, new { Resource = resource })).ToList();
        Assert.NotEmpty(rows);
        var marked = 0;
        foreach (var (id, quote, ordinal, passage, target) in rows.Take(60))
        {
            var html = await PageAsync($"/en/{resource}/{id}");
            var (before, quotedHtml, quoted, after) = ShownPassage(html);
            Assert.Equal(quote, quoted);
            Assert.Contains($"paragraph {ordinal}", Text(html));
            Assert.Contains((before.TrimStart('…') + quote + after.TrimEnd('…')), passage);
            if (target is not null && quote.Contains(target, StringComparison.Ordinal))
            {
                Assert.Contains($"<mark>{WebUtility.HtmlEncode(target)}</mark>", quotedHtml);
                marked++;
            }
        }
        if (table == "goals") Assert.True(marked > 0, "no goal's target figure was marked in its quote");
    }

    /// <summary>
    /// Every statistic's page shows its quote in its paragraph: the quote whole and in bold, its figure marked, and on
    /// each side the paragraph's own words, at most 120 characters of them, "…" exactly where the paragraph goes on.
    /// </summary>
    [Fact]
    public async Task EveryStatisticPageShowsItsParagraphCutToAtMost120CharactersEitherSideOfTheQuote()
    {
        var ids = (await _client.GetJsonAsync("/v1/statistics?limit=1000")).Ids();
        var cut = 0;
        foreach (var id in ids)
        {
            var (quote, asWritten, _, passage) = await QuoteOf(id);
            var (before, quotedHtml, quoted, after) = ShownPassage(await PageAsync($"/statistics/{id}"));
            Assert.Equal(quote, quoted);
            Assert.Contains($"<mark>{WebUtility.HtmlEncode(asWritten).Replace("&#39;", "&#x27;")}</mark>", quotedHtml);
            var cutBefore = before.StartsWith('…') && !passage.Contains(before + quote, StringComparison.Ordinal);
            var cutAfter = after.EndsWith('…') && !passage.Contains(quote + after, StringComparison.Ordinal);
            var kept = (cutBefore ? before[1..] : before) + quote + (cutAfter ? after[..^1] : after);
            Assert.True(passage.Contains(kept, StringComparison.Ordinal), $"{id}: the words shown are not the paragraph's: {kept}");
            Assert.Equal(cutBefore, !passage.StartsWith(kept, StringComparison.Ordinal));
            Assert.Equal(cutAfter, !passage.EndsWith(kept, StringComparison.Ordinal));
            Assert.True(before.Length - (cutBefore ? 1 : 0) <= 120 && after.Length - (cutAfter ? 1 : 0) <= 120, $"{id}: more than 120 characters kept on a side");
            if (cutBefore || cutAfter) cut++;
        }
        Assert.True(cut > 10, $"only {cut} paragraphs were long enough to cut"); // the rule was exercised
    }

    [Fact]
    public async Task TheSourcePageListsItsFiguresInTheOrderTheDocumentGivesThem()
    {
        await using var connection = await factory.Services.GetRequiredService<GovernanceDb>().OpenAsync(CancellationToken.None);
        foreach (var source in await connection.QueryAsync<string>("SELECT id FROM sources ORDER BY id"))
        {
            // Document order from the database: the quote's paragraph, where the quote starts in it, where the figure stands in the quote.
            var expected = (await connection.QueryAsync<(string Id, int Ordinal)>("""
                SELECT s.id, q.passage_ordinal FROM statistics s
                JOIN quote_places q ON q.resource = 'statistics' AND q.item_id = s.id
                WHERE s.source_id = @Source
                ORDER BY q.passage_ordinal, q.quote_start, instr(s.quote, s.value_as_written), s.id
                """, new { Source = source })).ToList();
            var html = await PageAsync($"/en/sources/{source}");
            var table = html[html.IndexOf("id=\"figures-heading\"", StringComparison.Ordinal)..];
            var listed = Regex.Matches(table, "href=\"/en/statistics/([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(expected.Select(e => e.Id), listed);
            var paragraphs = Regex.Matches(table, "<td class=\"paragraph\">([0-9]+)</td>").Select(m => int.Parse(m.Groups[1].Value)).ToList();
            Assert.Equal(expected.Select(e => e.Ordinal), paragraphs);
            Assert.Contains("In the order the document gives them", Text(html));
            if (source == "pc2019") // the order is the document's, not the ids' nor the periods'
            {
                Assert.NotEqual(expected.Select(e => e.Id).Order(StringComparer.Ordinal), listed);
                var byPeriod = (await _client.GetJsonAsync($"/v1/statistics?source={source}&sort=period&limit=1000")).Ids();
                Assert.NotEqual(byPeriod, listed);
            }
        }
        Assert.Contains("按文件中出现的先后排列", Text(await PageAsync("/sources/pc2019")));
    }

    [Fact]
    public async Task TheSourcePageListsEveryFigureQuotedFromIt()
    {
        var ids = (await _client.GetJsonAsync("/v1/statistics?source=pc2019&limit=1000")).Ids();
        var html = await PageAsync("/sources/pc2019");
        Assert.Contains($"引自这份文件的{ids.Count}个数字", Text(html));
        foreach (var id in ids) Assert.Contains($"href=\"/statistics/{id}\"", html);
    }

    [Fact]
    public async Task TheRegionPageGivesItsNewestFiguresAndEveryFigureAboutIt()
    {
        var region = (await _client.GetJsonAsync("/v1/regions/110000")).GetProperty("data");
        var html = await PageAsync("/en/regions/110000");
        foreach (var latest in region.GetProperty("latest").EnumerateArray()) Assert.Contains($"href=\"/en/statistics/{latest.Str("statistic")}\"", html);
        var all = (await _client.GetJsonAsync("/v1/statistics?region=110000&limit=1000")).Ids();
        Assert.Contains($"All {all.Count} figures about Beijing", Text(html));
    }

    /// <summary>The district paths of a page's map: adcode, the kind of area (current, other, shaded, no-data) and its fill.</summary>
    private static List<(string Adcode, string Kind, string Fill)> Districts(string html, string map) =>
        Regex.Matches(Regex.Match(html, $"<svg[^>]*class=\"{map}\".*?</svg>", RegexOptions.Singleline).Value,
                "<path class=\"district ([a-z-]+)\" data-adcode=\"([0-9]+)\" d=\"[^\"]+\" fill=\"([^\"]+)\"")
            .Select(m => (m.Groups[2].Value, m.Groups[1].Value, m.Groups[3].Value)).ToList();

    [Theory]
    [InlineData("/regions/110105", "朝阳区")]
    [InlineData("/en/regions/110105", "Chaoyang District")]
    public async Task ARegionPageMapsTheSixteenDistrictsWithItsOwnHighlighted(string url, string name)
    {
        var html = await PageAsync(url);
        var svg = Regex.Match(html, "<svg[^>]*class=\"district-map\".*?</svg>", RegexOptions.Singleline).Value;
        Assert.NotEmpty(svg);
        Assert.Matches("role=\"group\" aria-labelledby=\"district-map-title\" aria-describedby=\"district-map-desc\"", svg);
        Assert.Contains(name, Regex.Match(svg, "<desc id=\"district-map-desc\">(.*?)</desc>").Groups[1].Value);
        var districts = Districts(html, "district-map");
        Assert.Equal(16, districts.Count);
        var current = Assert.Single(districts, d => d.Kind == "current");
        Assert.Equal("110105", current.Adcode);
        Assert.All(districts.Where(d => d.Kind != "current"), d => Assert.NotEqual(current.Fill, d.Fill));
        // Every district links to its page, the current one marked as this page.
        var prefix = url.StartsWith("/en/") ? "/en" : "";
        foreach (var (adcode, _, _) in districts) Assert.Contains($"<a href=\"{prefix}/regions/{adcode}\"", svg);
        Assert.Matches($"<a href=\"{prefix}/regions/110105\" aria-label=\"{name}[^\"]*\" aria-current=\"page\">", svg);
        Assert.DoesNotContain("style=", svg); // the pages' policy allows no inline style
        Assert.Matches("<path[^>]*d=\"M[0-9. ]+Z", svg); // coordinates with one decimal at most
        Assert.DoesNotMatch("[0-9]\\.[0-9]{2}", Regex.Match(svg, " d=\"([^\"]+)\"").Groups[1].Value);
    }

    [Fact]
    public async Task BeijingsPageMapsEveryDistrictAsALinkWithNoneHighlighted()
    {
        var html = await PageAsync("/regions/110000");
        var districts = Districts(html, "district-map");
        Assert.Equal(16, districts.Count);
        Assert.All(districts, d => Assert.Equal("other", d.Kind));
        foreach (var (adcode, _, _) in districts) Assert.Contains($"<a href=\"/regions/{adcode}\" aria-label=", html);
    }

    [Theory]
    [InlineData("/indicators/community-public-welfare-spaces", "无数据(15个区)")]
    [InlineData("/en/indicators/community-public-welfare-spaces", "no data (15 districts)")]
    public async Task AnIndicatorWithDistrictFiguresShadesEachSuchDistrictAndSaysNoDataForTheOthers(string url, string noData)
    {
        var series = (await _client.GetJsonAsync("/v1/indicators/community-public-welfare-spaces/series")).GetProperty("data").EnumerateArray()
            .Where(s => s.Str("region.adcode") != "110000" && s.Str("kind") == "actual").ToList();
        Assert.NotEmpty(series);
        var withFigures = series.Select(s => s.Str("region.adcode")).Distinct().ToList();
        var html = await PageAsync(url);
        var districts = Districts(html, "district-map");
        Assert.Equal(16, districts.Count);
        Assert.Equal(withFigures.Order(), districts.Where(d => d.Kind == "shaded").Select(d => d.Adcode).Order());
        Assert.All(districts.Where(d => d.Kind == "shaded"), d => Assert.StartsWith("#", d.Fill));
        Assert.All(districts.Where(d => !withFigures.Contains(d.Adcode)), d =>
        {
            Assert.Equal("no-data", d.Kind);
            Assert.Equal("url(#district-choropleth-no-data)", d.Fill); // grey hatching
        });
        var svg = Regex.Match(html, "<svg[^>]*class=\"district-map\".*?</svg>", RegexOptions.Singleline).Value;
        Assert.Matches("role=\"img\" aria-labelledby=\"district-choropleth-title\"", svg);
        Assert.DoesNotContain("<a ", svg);
        Assert.DoesNotContain("style=", svg);
        // A title per district says its figure as written (the hedge kept), or that it has none.
        var chaoyang = series.First(s => s.Str("region.adcode") == "110105");
        Assert.Matches($"data-adcode=\"110105\"[^>]*><title>[^<]*{Regex.Escape(chaoyang.Str("valueAsWritten"))}", svg);
        Assert.Matches("data-adcode=\"110101\"[^>]*><title>(东城区:无数据|Dongcheng District: no data)</title>", svg);
        // The legend: the value bins and "no data", as text beneath the map.
        var legend = Text(Regex.Match(html, "<div class=\"map-legend\">.*?</div>", RegexOptions.Singleline).Value);
        Assert.Contains(chaoyang.GetProperty("value").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture), legend);
        Assert.Contains(noData, legend);
        // The table of figures stays the text equivalent.
        Assert.Contains($"/statistics/{chaoyang.Str("id")}", html);
    }

    [Fact]
    public async Task AnIndicatorWithoutDistrictFiguresHasNoDistrictMap()
    {
        Assert.DoesNotContain((await _client.GetJsonAsync("/v1/indicators/service-circles-coverage/series")).GetProperty("data").EnumerateArray(),
            s => s.Str("region.adcode") != "110000");
        Assert.DoesNotContain("district-map", await PageAsync("/indicators/service-circles-coverage"));
    }

    // ------------------------------------------------------------------------------------------------ robustness

    [Fact]
    public async Task NoIdQueryOrParameterCanMakeAPageFailEveryAnswerIsAPage()
    {
        var requests = new List<string>();
        foreach (var value in HostileInputTests.Corpus)
        {
            var encoded = Uri.EscapeDataString(value.Length > 0 && char.IsSurrogate(value[^1]) ? value + "x" : value);
            foreach (var lang in new[] { "", "/en" })
            {
                requests.Add($"{lang}/search?q={encoded}");
                requests.Add($"{lang}/search?q=volunteer&type={encoded}");
                requests.Add($"{lang}/statistics/{Volunteers}?{encoded}={encoded}"); // pages ignore parameters they do not take
                if (value.Contains('\u0000') || value == "%00" || value.Length == 0) continue; // not in a path (Kestrel's own 400)
                foreach (var kind in new[] { "statistics", "indicators", "goals", "plans", "measures", "sources", "regions" })
                    requests.Add($"{lang}/{kind}/{encoded}");
            }
        }
        requests.Add("/search?q=a&q=b&type=goals&type=sources");

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (url, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("text/html");
            using var response = await _client.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            if (status >= 500) failures.Add($"{status} for {url}");
            else if (status is not (200 or 400 or 404 or 414)) failures.Add($"{status} for {url}");
            else if (status != 414 && response.Content.Headers.ContentType?.MediaType != "text/html") failures.Add($"{status} not a page for {url}");
            if (body.Contains("   at ") || body.Contains("Exception") || body.Contains("<script>alert")) failures.Add($"leaked or unescaped for {url}");
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {requests.Count}:\n" + string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public async Task BehindAProxyEveryLinkOfAPageSaysThePublicAddressAndPath()
    {
        using var proxied = new GovernanceApiFactory().WithSetting("PublicBaseUrl", "https://data.example.org/beijing");
        var client = proxied.CreateClient();
        var html = await client.GetStringAsync($"/en/statistics/{Volunteers}");
        Assert.Equal($"https://data.example.org/beijing/en/statistics/{Volunteers}", Attribute(html, "rel=\"canonical\"", "href"));
        Assert.Equal($"https://data.example.org/beijing/v1/statistics/{Volunteers}", Attribute(html, "type=\"application/json\"", "href"));
        Assert.StartsWith("/beijing/assets/site.", Attribute(html, "rel=\"stylesheet\"", "href"));
        Assert.Equal("/beijing/en/search", Attribute(html, "<form class=\"search\"", "action"));
        Assert.Contains($"https://data.example.org/beijing/en/statistics/{Volunteers}", Text(html)); // the citation
    }

    [Fact]
    public void TheAppHasNoDataProtectionKeyRingToWriteOrLoadCryptoFor()
    {
        var hosted = factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(h => h.GetType().Name).ToList();
        Assert.DoesNotContain("DataProtectionHostedService", hosted);
        // The pages (RazorSlices) bring no antiforgery and so no data protection: nothing could protect anything.
        Assert.Null(factory.Services.GetService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>());
    }

    [Fact]
    public async Task CrawlersAreToldToSkipOnlyTheSearchResults()
    {
        using var response = await _client.GetAsync("/robots.txt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("User-agent: *\nDisallow: /search\nDisallow: /en/search\n", await response.Content.ReadAsStringAsync());
        Assert.NotNull(response.Headers.ETag);
    }
}
