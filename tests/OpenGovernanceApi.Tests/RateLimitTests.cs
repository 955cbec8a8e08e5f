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
        Assert.Contains("more than 3 requests", await refused.Content.ReadAsStringAsync());
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
