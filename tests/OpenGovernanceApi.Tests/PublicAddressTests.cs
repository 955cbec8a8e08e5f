using System.Diagnostics;
using System.Net;

namespace OpenGovernanceApi.Tests;

/// <summary>Behind proxies: whose X-Forwarded-For is believed, and the one public address every link says.</summary>
public class PublicAddressTests
{
    private static async Task<HttpStatusCode> GetAs(HttpClient client, string connection, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/sources");
        request.Headers.Add(GovernanceApiFactory.TestClientHeader, connection);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task ClientsBehindAProxyOfAKnownNetworkEachHaveTheirOwnBudget()
    {
        using var factory = new GovernanceApiFactory().WithSetting("RateLimit:PermitsPerMinute", "2")
            .WithSetting("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8");
        var client = factory.CreateClient();
        // Two clients behind the proxy 10.1.2.3: a budget each, not one shared by everyone behind it.
        foreach (var forwarded in new[] { "203.0.113.5", "203.0.113.6" })
        {
            Assert.Equal(HttpStatusCode.OK, await GetAs(client, "10.1.2.3", forwarded));
            Assert.Equal(HttpStatusCode.OK, await GetAs(client, "10.1.2.3", forwarded));
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAs(client, "10.1.2.3", "203.0.113.5"));
        // A client outside the known network cannot pick its bucket by forging the header.
        Assert.Equal(HttpStatusCode.OK, await GetAs(client, "192.0.2.9", "203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await GetAs(client, "192.0.2.9", "203.0.113.8"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAs(client, "192.0.2.9", "203.0.113.9"));
    }

    [Fact]
    public async Task WithAPublicBaseUrlEveryLinkAndETagIsTheSameWhateverHostTheProxyForwards()
    {
        using var factory = new GovernanceApiFactory().WithSetting("PublicBaseUrl", "https://data.example.org/beijing");
        var client = factory.CreateClient();
        var answers = new List<(string? ETag, string Body)>();
        foreach (var host in new[] { "replica-1:8080", "10.0.0.7" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics/registered-volunteers-2019-01-09-pc2019");
            request.Headers.Host = host;
            using var response = await client.SendAsync(request);
            answers.Add((response.Headers.ETag?.Tag, await response.Content.ReadAsStringAsync()));
        }
        Assert.Equal(answers[0], answers[1]);
        const string permanent = "https://data.example.org/beijing/v1/statistics/registered-volunteers-2019-01-09-pc2019";
        Assert.Contains($"\"self\":\"{permanent}\"", answers[0].Body);
        Assert.Contains("https://data.example.org/beijing/en/statistics/registered-volunteers-2019-01-09-pc2019",
            System.Text.Json.JsonDocument.Parse(answers[0].Body).RootElement.GetProperty("data").GetProperty("citation").GetProperty("en").GetString());
    }

    [Theory]
    [InlineData("--ForwardedHeaders:KnownNetworks:0=10.0.0.0/33", "ForwardedHeaders:KnownNetworks", "10.0.0.0/33")]
    [InlineData("--ForwardedHeaders:KnownProxies:0=10.0.0.0/8", "ForwardedHeaders:KnownProxies", "10.0.0.0/8")]
    [InlineData("--PublicBaseUrl=data.example.org", "PublicBaseUrl", "data.example.org")]
    public async Task ASettingThatDoesNotParseStopsTheStartWithOneLineNamingIt(string setting, string name, string value)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "OpenGovernanceApi.dll"), "--urls", "http://127.0.0.1:0", setting])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(name, line);
        Assert.Contains(value, line);
    }
}
