using System.Net;

namespace OpenGovernanceApi.Tests;

/// <summary>Per-client limits with the built-in limiter: deterministic with a small quota.</summary>
public class RateLimitTests : IClassFixture<RateLimitTests.ThreePerMinute>
{
    public sealed class ThreePerMinute : GovernanceApiFactory
    {
        public ThreePerMinute() => WithSetting("RateLimit:PermitsPerMinute", "3");
    }

    private readonly ThreePerMinute _factory;

    public RateLimitTests(ThreePerMinute factory) => _factory = factory;

    private async Task<HttpResponseMessage> Get(string url, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(GovernanceApiFactory.TestClientHeader, client);
        return await _factory.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task TheRequestAfterTheQuotaIsA429ProblemWithRetryAfterAndRateLimitFields()
    {
        for (var i = 0; i < 3; i++)
        {
            using var ok = await Get("/v1/sources", "192.0.2.10");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("\"per-client\";q=3;w=60", Assert.Single(ok.Headers.GetValues("RateLimit-Policy")));
            Assert.Equal($"\"per-client\";r={2 - i}", Assert.Single(ok.Headers.GetValues("RateLimit")));
        }
        using var refused = await Get("/v1/sources", "192.0.2.10");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")));
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("\"per-client\";q=3;w=60", Assert.Single(refused.Headers.GetValues("RateLimit-Policy")));
        Assert.StartsWith("\"per-client\";r=0;t=", Assert.Single(refused.Headers.GetValues("RateLimit")));
        var problem = System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.GetProperty("type").GetString());
        Assert.Equal("Too Many Requests", problem.GetProperty("title").GetString());
        Assert.Contains("more than 3 requests", problem.GetProperty("detail").GetString());
        Assert.Equal(Assert.Single(refused.Headers.GetValues("X-Request-Id")), problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task AnotherClientIsNotAffected()
    {
        for (var i = 0; i < 4; i++) (await Get("/v1", "192.0.2.20")).Dispose();
        using var other = await Get("/v1", "192.0.2.21");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task HealthzIsNeverLimited()
    {
        for (var i = 0; i < 10; i++)
        {
            using var response = await Get("/healthz", "192.0.2.30");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("RateLimit"));
        }
    }
}

/// <summary>X-Forwarded-For decides the client only when it comes from a configured proxy.</summary>
public class ForwardedClientAddressTests : IClassFixture<ForwardedClientAddressTests.BehindAProxy>
{
    public sealed class BehindAProxy : GovernanceApiFactory
    {
        public BehindAProxy()
        {
            WithSetting("RateLimit:PermitsPerMinute", "2");
            WithSetting("ForwardedHeaders:KnownProxies:0", "192.0.2.99");
        }
    }

    private readonly BehindAProxy _factory;

    public ForwardedClientAddressTests(BehindAProxy factory) => _factory = factory;

    private async Task<HttpStatusCode> Get(string from, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1");
        request.Headers.Add(GovernanceApiFactory.TestClientHeader, from);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await _factory.CreateClient().SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task BehindTheTrustedProxyEachForwardedClientHasItsOwnQuota()
    {
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, await Get("192.0.2.99", "198.51.100.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Get("192.0.2.99", "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await Get("192.0.2.99", "198.51.100.2"));
    }

    [Fact]
    public async Task AClientThatIsNotTheProxyCannotDodgeItsQuotaBySpoofingTheHeader()
    {
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, await Get("203.0.113.7", $"198.51.100.{10 + i}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Get("203.0.113.7", "198.51.100.50"));
    }
}
