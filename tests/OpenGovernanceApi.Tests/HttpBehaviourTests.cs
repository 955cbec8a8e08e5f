using System.Net;
using System.Net.Http.Headers;

namespace OpenGovernanceApi.Tests;

/// <summary>Caching, HEAD, CORS, errors for unknown routes and methods, security headers.</summary>
public class HttpBehaviourTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task EveryOkAnswerHasAStrongETagWithTheDataReleaseAndIsPubliclyCacheable()
    {
        var version = (await _client.GetJsonAsync("/healthz")).GetProperty("dataVersion").GetString();
        foreach (var url in new[] { "/v1", "/v1/sources", "/v1/statistics?limit=3", "/v1/statistics?format=csv" })
        {
            using var response = await _client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var etag = response.Headers.ETag;
            Assert.NotNull(etag);
            Assert.False(etag.IsWeak);
            Assert.Contains(version!, etag.Tag);
            Assert.True(response.Headers.CacheControl?.Public);
            Assert.True(response.Headers.CacheControl?.MaxAge > TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task IfNoneMatchWithTheCurrentETagAnswers304WithoutABody()
    {
        using var first = await _client.GetAsync("/v1/statistics?limit=10");
        var etag = first.Headers.ETag!.Tag;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics?limit=10");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag));
        using var second = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, second.Headers.ETag?.Tag);
        // What updates a cached copy (RFC 9110 15.4.5), and what a client reports or paces itself by...
        Assert.True(second.Headers.CacheControl?.Public);
        Assert.Contains("Accept", second.Headers.Vary);
        Assert.True(second.Headers.Contains("X-Request-Id"));
        Assert.True(second.Headers.Contains("RateLimit"));
        // ...but not the headers that only concern a body.
        Assert.False(second.Headers.Contains("X-Content-Type-Options"));
        Assert.False(second.Headers.Contains("Content-Security-Policy"));
        Assert.False(second.Headers.Contains("Referrer-Policy"));
    }

    [Fact]
    public async Task LongUrlsThatDifferOnlyAtTheEndAreKeptAndRevalidatedApart()
    {
        // Longer than the key the answer cache writes on the stack (256 characters), and alike up to the last one.
        var q = Uri.EscapeDataString(string.Concat(Enumerable.Repeat("志愿服务 ", 20)));
        var etags = new List<string>();
        foreach (var limit in new[] { 1, 2 })
        {
            var url = $"/v1/statistics?q={q}&limit={limit}";
            Assert.True(url.Length > 300);
            string? etag = null;
            for (var i = 0; i < 3; i++) // computed, then kept from the second request, then served from memory
            {
                using var response = await _client.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                etag ??= response.Headers.ETag!.Tag;
                Assert.Equal(etag, response.Headers.ETag!.Tag);
                var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal(limit, body.GetProperty("data").GetArrayLength());
            }
            using var revalidate = new HttpRequestMessage(HttpMethod.Get, url);
            revalidate.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag!));
            using var notModified = await _client.SendAsync(revalidate);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            etags.Add(etag!);
        }
        Assert.NotEqual(etags[0], etags[1]);
    }

    [Fact]
    public async Task AnotherRepresentationHasAnotherETag()
    {
        using var json = await _client.GetAsync("/v1/statistics?limit=10");
        using var csv = await _client.GetAsync("/v1/statistics?limit=10&format=csv");
        Assert.NotEqual(json.Headers.ETag!.Tag, csv.Headers.ETag!.Tag);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics?limit=10&format=csv");
        request.Headers.IfNoneMatch.Add(json.Headers.ETag);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HeadAnswersTheHeadersOfGetWithoutTheBody()
    {
        using var get = await _client.GetAsync("/v1/sources");
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/sources"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AnyOriginMayGetAndReadTheCachingAndPagingHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics?limit=1");
        request.Headers.Add("Origin", "https://maps.example.org");
        using var response = await _client.SendAsync(request);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        var exposed = string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.Contains("ETag", exposed);
        Assert.Contains("Link", exposed);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("/v1/statistics/no-such-statistic", HttpStatusCode.NotFound)]
    [InlineData("/v1/statistics?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/v1/statistics?limit=1", HttpStatusCode.OK)]
    public async Task ABrowserAppMayReadErrorsToo(string url, HttpStatusCode status)
    {
        // Without the CORS headers on a problem, a map app in a browser sees only "network error", never why.
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Origin", "https://maps.example.org");
        using var response = await _client.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("X-Request-Id", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://maps.example.org")]
    public async Task EveryAnswerCarriesCorsWhetherOrNotTheRequestHadAnOrigin(string? origin)
    {
        // A shared cache (nginx, a CDN) keeps the copy fetched without an Origin and serves it to browsers too.
        async Task<HttpResponseMessage> Get(string url, string? etag = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (origin is not null) request.Headers.Add("Origin", origin);
            if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            return await _client.SendAsync(request);
        }
        using var ok = await Get("/v1/statistics?limit=2&sort=-period");
        using var notModified = await Get("/v1/statistics?limit=2&sort=-period", ok.Headers.ETag!.Tag);
        using var problem = await Get("/v1/statistics/no-such-statistic");
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.NotModified, HttpStatusCode.NotFound], new[] { ok.StatusCode, notModified.StatusCode, problem.StatusCode });
        foreach (var response in new[] { ok, notModified, problem })
        {
            Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
            Assert.Contains("ETag", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")));
            Assert.DoesNotContain("Origin", response.Headers.Vary); // the same answer for every origin
        }
    }

    [Fact]
    public async Task APreflightAllowsGetAndHeadOnly()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/statistics");
        request.Headers.Add("Origin", "https://maps.example.org");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var methods = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods"));
        Assert.Contains("GET", methods);
        Assert.DoesNotContain("POST", methods);
    }

    [Theory]
    [InlineData("/v1/statistics/no-such-statistic", "statistic")]
    [InlineData("/v1/sources/no-such-source", "source")]
    public async Task AnUnknownIdIsA404ProblemNamingIt(string url, string resource)
    {
        var problem = await _client.GetProblemAsync(url, HttpStatusCode.NotFound);
        Assert.Contains($"no {resource} with id", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnUnknownPathIsA404Problem()
    {
        await _client.GetProblemAsync("/v1/nothing-here", HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("POST", "/v1/statistics")]
    [InlineData("PUT", "/v1/statistics")]
    [InlineData("DELETE", "/v1/statistics/registered-volunteers-2019-01-09-pc2019")]
    [InlineData("PATCH", "/v1/statistics")]
    [InlineData("POST", "/healthz")]
    public async Task WritingMethodsAreRefusedWithAProblemThatAllowsGetAndHead(string method, string url)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        // HEAD is served wherever GET is, so a client told what it may do is told both.
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(405, problem.GetProperty("status").GetInt32());
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.6", problem.GetProperty("type").GetString());
        Assert.Equal(Assert.Single(response.Headers.GetValues("X-Request-Id")), problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task AnswersCarrySecurityHeadersAndNoServerHeader()
    {
        using var response = await _client.GetAsync("/v1");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("default-src 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData("/v1/statistics/no-such-statistic")] // a problem
    [InlineData("/v1/statistics?limit=3&sort=nonsense")] // a validation problem
    [InlineData("/v1/regions")] // asked for three times: the last from the answer cache
    [InlineData("/v1/statistics?format=csv")]
    public async Task EveryKindOfAnswerWithABodyCarriesTheSecurityHeaders(string url)
    {
        for (var i = 0; i < 3; i++)
        {
            using var response = await _client.GetAsync(url);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.Contains("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        }
    }

    [Fact]
    public async Task EveryAnswerCarriesARequestIdThatProblemsQuoteToo()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics/no-such-statistic");
        request.Headers.Add("X-Request-Id", "journalist-42");
        using var response = await _client.SendAsync(request);
        Assert.Equal("journalist-42", Assert.Single(response.Headers.GetValues("X-Request-Id")));
        Assert.Contains("\"requestId\":\"journalist-42\"", await response.Content.ReadAsStringAsync());
        using var hostile = new HttpRequestMessage(HttpMethod.Get, "/v1");
        hostile.Headers.TryAddWithoutValidation("X-Request-Id", "<script>");
        using var ours = await _client.SendAsync(hostile);
        Assert.NotEqual("<script>", Assert.Single(ours.Headers.GetValues("X-Request-Id")));
    }

    [Fact]
    public async Task TheIndexLinksEveryCollectionWithItsCountAndTheDataRelease()
    {
        var index = await _client.GetJsonAsync("/v1");
        var data = index.GetProperty("data");
        Assert.Equal(index.Str("meta.dataVersion"), data.Str("dataVersion"));
        Assert.Equal("CC-BY-4.0", data.Str("license.id"));
        var collections = data.GetProperty("collections");
        foreach (var collection in collections.EnumerateObject())
        {
            var href = collection.Value.Str("href");
            var page = await _client.GetJsonAsync(new Uri(href).PathAndQuery + "?limit=1");
            Assert.Equal(collection.Value.GetProperty("count").GetInt32(), page.GetProperty("meta").GetProperty("total").GetInt32());
        }
        Assert.True(collections.GetProperty("statistics").GetProperty("count").GetInt32() > 0);
    }

    [Fact]
    public async Task HealthzReportsTheDataReleaseItServes()
    {
        var health = await _client.GetJsonAsync("/healthz");
        Assert.Equal("ok", health.Str("status"));
        Assert.Equal((await _client.GetJsonAsync("/v1")).Str("meta.dataVersion"), health.Str("dataVersion"));
    }
}

/// <summary>HEAD and revalidation on URLs never asked for before (no cached copy to lean on).</summary>
public class FirstRequestTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    [Fact]
    public async Task HeadOnAUrlNeverFetchedAnswersLikeGetWithoutABody()
    {
        var client = factory.CreateClient();
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/statistics?limit=3&sort=-value"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.NotNull(head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        using var get = await client.GetAsync("/v1/statistics?limit=3&sort=-value");
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
    }

    /// <summary>The same URL asked for by `count` clients at once.</summary>
    private static Task<(HttpStatusCode StatusCode, string? ETag, byte[] Body)[]> AllAtOnce(HttpClient client, string url, int count) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            using var response = await client.GetAsync(url);
            return (response.StatusCode, response.Headers.ETag?.Tag, await response.Content.ReadAsByteArrayAsync());
        }));

    [Fact]
    public async Task ACrowdAskingForANewAnswerTooLargeToKeepGetsItWholeEachTime()
    {
        // With a 16 kB cap the full CSV (about 230 kB) is too large to keep: the first request streams
        // it, and those waiting stream it too, without buffering, once it is known to be that large.
        using var small = new GovernanceApiFactory().WithSetting("Caching:MaxEntryBytes", "16384");
        var client = small.CreateClient();
        var answers = await AllAtOnce(client, "/v1/statistics?format=csv", 12);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(answers.Select(a => a.ETag).Distinct());
        Assert.NotNull(answers[0].ETag);
        Assert.True(answers[0].Body.Length > 16384);
        Assert.All(answers, a => Assert.Equal(answers[0].Body, a.Body));
        using var later = await client.GetAsync("/v1/statistics?format=csv");
        Assert.Equal(answers[0].Body, await later.Content.ReadAsByteArrayAsync());
        Assert.Equal(answers[0].ETag, later.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task TheETagOfALargeStreamedAnswerRevalidatesToo()
    {
        var client = factory.CreateClient();
        using var csv = await client.GetAsync("/v1/downloads/governance.sqlite");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/downloads/governance.sqlite");
        request.Headers.IfNoneMatch.Add(csv.Headers.ETag!);
        using var again = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }
}
