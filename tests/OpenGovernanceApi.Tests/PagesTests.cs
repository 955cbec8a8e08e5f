using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

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
    [InlineData("/statistics/" + Volunteers, "/v1/statistics/" + Volunteers, "Observation")]
    [InlineData("/en/statistics/" + Volunteers, "/v1/statistics/" + Volunteers, "Observation")]
    public async Task APageLinksItsJsonTheOtherLanguageAndItsCanonicalUrlAndDescribesItself(string url, string json, string schemaType)
    {
        var html = await PageAsync(url);
        var english = url.StartsWith("/en/");
        var path = english ? url["/en".Length..] : url;
        Assert.Equal("http://localhost" + json, Attribute(html, "rel=\"alternate\" type=\"application/json\"", "href"));
        Assert.Equal("http://localhost" + url, Attribute(html, "rel=\"canonical\"", "href"));
        Assert.Equal("http://localhost" + path, Attribute(html, "hreflang=\"zh-CN\" href", "href"));
        Assert.Equal("http://localhost/en" + path, Attribute(html, "hreflang=\"en\" href", "href"));
        Assert.Equal("http://localhost" + url, Attribute(html, "property=\"og:url\"", "content"));
        Assert.False(string.IsNullOrEmpty(Attribute(html, "property=\"og:title\"", "content")));
        Assert.Equal(english ? "en_US" : "zh_CN", Attribute(html, "property=\"og:locale\"", "content"));
        // The header links the other language's page.
        Assert.Equal(english ? path : "/en" + path, Attribute(html, "<a href=\"[^\"]*\" hreflang=", "href"));
        var ld = JsonLdOf(html);
        Assert.Equal("https://schema.org", ld.Str("@context"));
        Assert.Equal(schemaType, ld.Str("@type"));
        Assert.Equal("http://localhost" + url, ld.Str("url"));
        // Its JSON answers, and is the same figure.
        await _client.GetJsonAsync(json);
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
}
