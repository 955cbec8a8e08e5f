using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OpenGovernanceApi.Tests;

/// <summary>The real process on Kestrel: what only a real server shows (limits, signals, disconnects).</summary>
public class ProcessTests
{
    [Fact]
    public async Task SigtermStopsTheServerCleanlyWithExitCodeZero()
    {
        await using var api = await RunningApi.StartAsync();
        using var ok = await api.Client.GetAsync("/v1/statistics?limit=5");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.False(ok.Headers.Contains("Server")); // Kestrel's own header is switched off
        using (var kill = Process.Start("kill", ["-TERM", api.Process.Id.ToString()])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await api.Process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, api.Process.ExitCode);
        Assert.Contains("Application is shutting down", await api.Output);
    }

    [Fact]
    public void TheApiIsCompiledWithOptimizationsInThisConfigurationToo()
    {
        // `dotnet run` builds Debug: without <Optimize> the JIT would not optimize the API's own code
        // (measured: about 3 µs more CPU on every 304). These tests build the same configuration.
        var debuggable = typeof(Program).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .Cast<DebuggableAttribute>().SingleOrDefault();
        Assert.False(debuggable?.IsJITOptimizerDisabled ?? false, "the API assembly is built with the JIT optimizer disabled");
    }

    [Fact]
    public async Task EveryRequestIsLoggedAsOneJsonLineCarryingTheRequestIdOfItsAnswer()
    {
        await using var api = await RunningApi.StartAsync();
        using var ours = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics?limit=2");
        ours.Headers.Add("X-Request-Id", "log-test-42");
        using var ok = await api.Client.SendAsync(ours);
        using var missing = await api.Client.GetAsync("/v1/statistics/no-such-statistic");
        var missingId = missing.Headers.GetValues("X-Request-Id").Single();
        using var head = new HttpRequestMessage(HttpMethod.Head, "/v1/statistics?limit=3");
        head.Headers.Add("X-Request-Id", "log-test-head");
        using var headAnswer = await api.Client.SendAsync(head);
        using (var kill = Process.Start("kill", ["-TERM", api.Process.Id.ToString()])) await kill.WaitForExitAsync();
        await api.Process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        var requestLines = RequestLogStates(await api.Output);
        var first = Assert.Single(requestLines, s => s.GetProperty("requestId").GetString() == "log-test-42");
        Assert.Equal("GET", first.GetProperty("method").GetString());
        Assert.Equal("/v1/statistics", first.GetProperty("path").GetString());
        Assert.Equal("?limit=2", first.GetProperty("query").GetString());
        Assert.Equal(200, first.GetProperty("status").GetInt32());
        Assert.True(first.GetProperty("durationMs").GetDouble() >= 0);
        Assert.Equal(ok.Content.Headers.ContentLength, first.GetProperty("bytes").GetInt64());
        Assert.Equal("127.0.0.1", first.GetProperty("client").GetString());
        var second = Assert.Single(requestLines, s => s.GetProperty("requestId").GetString() == missingId);
        Assert.Equal(404, second.GetProperty("status").GetInt32());
        var third = Assert.Single(requestLines, s => s.GetProperty("requestId").GetString() == "log-test-head");
        Assert.Equal("HEAD", third.GetProperty("method").GetString()); // answered as a GET without its body, logged as what it was
        Assert.Equal(200, third.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task WithASampleRateOfZeroSuccessfulRequestsAreNotLoggedButErrorsAre()
    {
        // Slow requests are always logged; a loaded test machine must not make these two slow by its clock.
        await using var api = await RunningApi.StartAsync("--Logging:Requests:SampleRate=0", "--Logging:Requests:SlowMs=600000");
        using var ours = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics?limit=2");
        ours.Headers.Add("X-Request-Id", "sampled-out-1");
        using var ok = await api.Client.SendAsync(ours);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var missing = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics/no-such-statistic");
        missing.Headers.Add("X-Request-Id", "always-logged-404");
        using var notFound = await api.Client.SendAsync(missing);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        using (var kill = Process.Start("kill", ["-TERM", api.Process.Id.ToString()])) await kill.WaitForExitAsync();
        await api.Process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        var requestLines = RequestLogStates(await api.Output);
        Assert.DoesNotContain(requestLines, s => s.GetProperty("status").GetInt32() < 400); // nor the start-up's /healthz polls
        var logged = Assert.Single(requestLines, s => s.GetProperty("status").GetInt32() >= 400);
        Assert.Equal("always-logged-404", logged.GetProperty("requestId").GetString());
        Assert.Equal(404, logged.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task McpTakesABodyUpTo64KiBWhileV1TakesNoneAndEveryMcpRequestIsLogged()
    {
        await using var api = await RunningApi.StartAsync();
        static HttpRequestMessage Post(string url, string json, string id)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Add("X-Request-Id", id);
            return request;
        }
        using var ok = await api.Client.SendAsync(Post("/mcp", """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", "mcp-log-1"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("get_statistic", await ok.Content.ReadAsStringAsync());

        var padding = new string('a', 70 * 1024);
        using var large = await api.Client.SendAsync(Post("/mcp", """{"jsonrpc":"2.0","id":2,"method":"ping","params":{"x":"PAD"}}""".Replace("PAD", padding), "mcp-log-2"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        var problem = JsonDocument.Parse(await large.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Payload Too Large", problem.Str("title"));
        Assert.Contains("at most 65536 bytes", problem.Str("detail"));

        using var write = await api.Client.SendAsync(Post("/v1/statistics", "{}", "mcp-log-3"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, write.StatusCode);

        using (var kill = Process.Start("kill", ["-TERM", api.Process.Id.ToString()])) await kill.WaitForExitAsync();
        await api.Process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        var output = await api.Output;
        var lines = RequestLogStates(output);
        var logged = Assert.Single(lines, s => s.Str("requestId") == "mcp-log-1");
        Assert.Equal("POST", logged.Str("method"));
        Assert.Equal("/mcp", logged.Str("path"));
        Assert.Equal(413, Assert.Single(lines, s => s.Str("requestId") == "mcp-log-2").GetProperty("status").GetInt32());
        Assert.DoesNotMatch(RunningApi.ServerErrorLogLine, output);
    }

    /// <summary>The `State` of each request log line in the process's output.</summary>
    private static List<System.Text.Json.JsonElement> RequestLogStates(string output) =>
        output.Split('\n').Where(l => l.StartsWith('{'))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("Category").GetString() == "OpenGovernanceApi.Requests")
            .Select(e => e.GetProperty("State")).ToList();

    [Fact]
    public async Task ARequestLineOverEightKibIsA414ProblemCarryingItsRequestId()
    {
        await using var api = await RunningApi.StartAsync();
        using var response = await api.Client.GetAsync("/v1/statistics?q=" + new string('a', 9 * 1024));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(414, problem.GetProperty("status").GetInt32());
        Assert.Equal("URI Too Long", problem.GetProperty("title").GetString());
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.15", problem.GetProperty("type").GetString());
        Assert.Contains("8192 bytes", problem.GetProperty("detail").GetString());
        Assert.Equal(requestId, problem.GetProperty("requestId").GetString());
        Assert.Equal("/v1/statistics", problem.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task OversizedUrlsAndHeadersAreRefusedByTheServerNotAnsweredWith5xx()
    {
        await using var api = await RunningApi.StartAsync();
        // Beyond Kestrel's own limit (16 KiB) the server refuses the line before the API sees it: an empty 414.
        using var longUrl = await api.Client.GetAsync("/v1/statistics?q=" + new string('a', 20_000));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, longUrl.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1");
        request.Headers.Add("X-Big", new string('b', 40_000));
        using var bigHeader = await api.Client.SendAsync(request);
        Assert.InRange((int)bigHeader.StatusCode, 400, 499);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task AClientThatHangsUpInTheMiddleOfACsvLeavesTheServerHealthy()
    {
        await using var api = await RunningApi.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            using var cts = new CancellationTokenSource();
            using var response = await api.Client.GetAsync("/v1/statistics?format=csv", HttpCompletionOption.ResponseHeadersRead, cts.Token);
            await using var body = await response.Content.ReadAsStreamAsync(cts.Token);
            var buffer = new byte[64];
            _ = await body.ReadAsync(buffer, cts.Token);
            cts.Cancel(); // hang up after the first bytes
        }
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/healthz")).StatusCode);
        var csv = await api.Client.GetByteArrayAsync("/v1/statistics?format=csv");
        Assert.Equal("\uFEFFid,"u8.ToArray(), csv[..6]);
        using (var kill = Process.Start("kill", ["-TERM", api.Process.Id.ToString()])) await kill.WaitForExitAsync();
        await api.Process.WaitForExitAsync();
        Assert.DoesNotMatch(RunningApi.ServerErrorLogLine, await api.Output);
        Assert.Equal(0, api.Process.ExitCode);
    }

    [Fact]
    public async Task AReplicaIsReadyOnceWarmedAndOnSigtermSaysSoClosesConnectionsAndStillAnswers()
    {
        await using var api = await RunningApi.StartAsync("--Shutdown:DrainSeconds=4");
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        while ((status = (await api.Client.GetAsync("/readyz")).StatusCode) != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(100);
        Assert.Equal(HttpStatusCode.OK, status);

        using (var kill = Process.Start("kill", ["-TERM", api.Process.Id.ToString()])) await kill.WaitForExitAsync();
        await Task.Delay(500);
        // Draining: not ready, every answer closes its connection, and requests are still answered.
        using var ready = await api.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("application/problem+json", ready.Content.Headers.ContentType?.MediaType);
        using var answer = await api.Client.GetAsync("/v1/statistics?limit=2");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.True(answer.Headers.ConnectionClose);
        await api.Process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.Equal(0, api.Process.ExitCode);
        Assert.Contains("routes in", await api.Output); // the warm-up's line: how long it took
    }
}
