using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;

using Microsoft.Extensions.Logging;

using OpenGovernanceApi.Hosting;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// RateLimit:Redis pointing where no Redis answers: every request is still served, under this replica's own
/// limit, with the same headers, and never a 5xx. (Against a real redis-server: tests/cluster/run.sh.)
/// </summary>
public class SharedRateLimitFallbackTests : IClassFixture<SharedRateLimitFallbackTests.RedisNowhere>
{
    public sealed class RedisNowhere : GovernanceApiFactory
    {
        public RedisNowhere()
        {
            WithSetting("RateLimit:PermitsPerMinute", "3");
            WithSetting("RateLimit:Redis", $"127.0.0.1:{ClosedPort()}");
        }
    }

    private readonly RedisNowhere _factory;

    public SharedRateLimitFallbackTests(RedisNowhere factory) => _factory = factory;

    private async Task<HttpResponseMessage> Get(string url, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(GovernanceApiFactory.TestClientHeader, client);
        return await _factory.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task WithoutRedisEachReplicaStillLimitsWithTheSameHeadersAndNever5xx()
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await Get("/v1/sources", "192.0.2.40");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("\"per-client\";q=3;w=60", Assert.Single(ok.Headers.GetValues("RateLimit-Policy")));
            Assert.Equal($"\"per-client\";r={2 - i}", Assert.Single(ok.Headers.GetValues("RateLimit")));
        }
        using var refused = await Get("/v1/sources", "192.0.2.40");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After"))), 1, 60);
        Assert.StartsWith("\"per-client\";r=0;t=", Assert.Single(refused.Headers.GetValues("RateLimit")));
        // A refused connection is noticed at once: no request waits for Redis.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"4 requests took {clock.Elapsed}");
    }

    [Fact]
    public async Task WithoutRedisAnotherClientHasItsOwnBudgetAndHealthzIsExempt()
    {
        for (var i = 0; i < 4; i++) (await Get("/v1", "192.0.2.41")).Dispose();
        using var other = await Get("/v1", "192.0.2.42");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        for (var i = 0; i < 5; i++)
        {
            using var health = await Get("/healthz", "192.0.2.41");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task ManyRequestsAtOnceWithoutRedisAreAnswered200Or429Only()
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var response = await Get($"/v1/statistics?limit={1 + i % 5}", $"192.0.2.{50 + i % 4}");
            return (int)response.StatusCode;
        }));
        Assert.All(statuses, status => Assert.Contains(status, new[] { 200, 429 }));
        Assert.Equal(4 * 3, statuses.Count(status => status == 200)); // 3 for each of the 4 clients
    }

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: nothing listens there
    }
}

/// <summary>The real process: a Redis that accepts the connection and never answers (hung), and one that refuses it.</summary>
public class SharedRateLimitProcessTests
{
    private static async Task StopGracefully(RunningApi api)
    {
        using (var kill = Process.Start("kill", ["-TERM", api.Process.Id.ToString()])) await kill.WaitForExitAsync();
        await api.Process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
    }

    [Fact]
    public async Task AHungRedisDelaysNothingAndTheWarningIsLogged()
    {
        using var hung = new TcpListener(IPAddress.Loopback, 0); // accepts (the kernel's backlog), never speaks
        hung.Start();
        var port = ((IPEndPoint)hung.LocalEndpoint).Port;
        await using var api = await RunningApi.StartAsync($"--RateLimit:Redis=127.0.0.1:{port}", "--RateLimit:PermitsPerMinute=5");
        // A client of its own (127.0.0.2): the replica's warm-up asks for its routes from 127.0.0.1.
        using var client = ClientFrom(IPAddress.Parse("127.0.0.2"), api.Port);
        var statuses = new List<int>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 7; i++)
        {
            using var response = await client.GetAsync($"/v1/sources?limit={i + 1}");
            statuses.Add((int)response.StatusCode);
        }
        Assert.Equal([200, 200, 200, 200, 200, 429, 429], statuses);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"7 requests took {clock.Elapsed}");
        // The connection attempt to a Redis that never speaks ends (and the warning is written) some seconds after
        // start-up: the connect timeout is 1 s, but StackExchange.Redis's handshake stages take longer in all.
        await Task.Delay(TimeSpan.FromSeconds(6));
        await StopGracefully(api); // SIGTERM, so the console logger writes out what it queued (a kill would lose it)
        var output = await api.Output;
        Assert.Contains("\"LogLevel\":\"Warning\",\"Category\":\"OpenGovernanceApi.RateLimits\"", output);
        Assert.Contains("Redis unusable", output);
        Assert.DoesNotMatch(RunningApi.ServerErrorLogLine, output);
    }

    /// <summary>An HttpClient whose connections come from the given loopback address.</summary>
    private static HttpClient ClientFrom(IPAddress local, int port) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Bind(new IPEndPoint(local, 0));
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task AConfigurationStringItCannotReadStopsTheStartWithOneLine()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "OpenGovernanceApi.dll"),
            "--urls", "http://127.0.0.1:0", "--RateLimit:Redis=127.0.0.1:6390,noSuchOption=1"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        Assert.NotEqual(0, process.ExitCode);
        var line = Assert.Single((await error).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: setting RateLimit:Redis:", line);
        Assert.DoesNotContain("   at ", await output + await error);
    }

    [Fact]
    public async Task ARefusedRedisIsAWarningAtStartUpNotAFailure()
    {
        await using var api = await RunningApi.StartAsync($"--RateLimit:Redis=127.0.0.1:{SharedRateLimitFallbackTests.ClosedPort()}");
        using var response = await api.Client.GetAsync("/v1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The warning is written when the background connection attempt ends: at once on a quiet machine, but the
        // client's attempt against a refusing port can take its 1 s connect timeout and a retry on a busy one (CI
        // failed once at 1 s).
        await Task.Delay(TimeSpan.FromSeconds(5));
        await StopGracefully(api);
        var output = await api.Output;
        Assert.Contains("Redis unusable", output);
        Assert.DoesNotMatch(RunningApi.ServerErrorLogLine, output);
    }
}

/// <summary>The wrapper itself, with a stand-in for Redis that fails and then answers again.</summary>
public class SharedOrLocalLimiterTests
{
    [Fact]
    public async Task FallsBackWhenTheSharedWindowThrowsAndIsSharedAgainAfterTheBackoff()
    {
        var log = new ListLogger();
        var redis = new StandIn();
        var budget = new SharedBudget(log, () => true, TimeSpan.FromMilliseconds(200));
        using var limiter = new SharedOrLocalLimiter(() => redis, () => LocalWindow(2), budget);

        redis.Throw = new TimeoutException("Redis did not answer");
        Assert.True((await limiter.AcquireAsync()).IsAcquired);          // local: 1 of 2
        Assert.Equal(1, redis.Calls);
        Assert.Single(log.Lines, line => line.StartsWith("Warning: Rate limit: Redis unusable (TimeoutException"));
        Assert.True((await limiter.AcquireAsync()).IsAcquired);          // within the backoff: Redis not asked
        Assert.Equal(1, redis.Calls);
        using (var refused = await limiter.AcquireAsync())               // local budget spent: refused, not failed
        {
            Assert.False(refused.IsAcquired);
            Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out _));
        }

        redis.Throw = null;
        await Task.Delay(300);                                           // the backoff passes: shared again
        using (var shared = await limiter.AcquireAsync())
        {
            Assert.True(shared.IsAcquired);
            Assert.True(shared.TryGetMetadata(SharedOrLocalLimiter.Remaining, out var left));
            Assert.Equal(StandIn.Left, left);
        }
        Assert.Equal(2, redis.Calls);
        Assert.Single(log.Lines, line => line.StartsWith("Information: Rate limit: Redis answers again"));
        Assert.Single(log.Lines, line => line.StartsWith("Warning:"));  // one warning per outage, not per request
    }

    [Fact]
    public async Task WhileDisconnectedRedisIsNotAskedAtAll()
    {
        var log = new ListLogger();
        var redis = new StandIn();
        var connected = false;
        var budget = new SharedBudget(log, () => connected, TimeSpan.FromSeconds(2));
        using var limiter = new SharedOrLocalLimiter(() => redis, () => LocalWindow(10), budget);
        for (var i = 0; i < 3; i++) Assert.True((await limiter.AcquireAsync()).IsAcquired);
        Assert.Equal(0, redis.Calls);
        Assert.Single(log.Lines, line => line.Contains("Redis unusable (not connected)"));
        connected = true;                                                // reconnected: asked at once
        Assert.True((await limiter.AcquireAsync()).IsAcquired);
        Assert.Equal(1, redis.Calls);
    }

    [Fact]
    public void TheConfigurationStringIsReadAtStartUpWithShortTimeoutsUnlessItSetsThem()
    {
        var options = RedisBudgetConnection.Options("127.0.0.1:6390");
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(500, options.AsyncTimeout);
        Assert.Equal(1000, options.ConnectTimeout);
        Assert.Equal(2000, RedisBudgetConnection.Options("redis.internal:6379,asyncTimeout=2000,password=x").AsyncTimeout);
        Assert.Throws<InvalidSettingException>(() => RedisBudgetConnection.Options("127.0.0.1:6390,noSuchOption=1"));
        Assert.Throws<InvalidSettingException>(() => RedisBudgetConnection.Options("password=x"));
    }

    private static FixedWindowRateLimiter LocalWindow(int permits) => new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
    });

    /// <summary>Answers like RedisFixedWindowRateLimiter (its metadata names), or throws what it is told to.</summary>
    private sealed class StandIn : RateLimiter
    {
        public const long Left = 41;
        public Exception? Throw;
        public int Calls;

        public override TimeSpan? IdleDuration => null;
        public override RateLimiterStatistics? GetStatistics() => null;
        protected override RateLimitLease AttemptAcquireCore(int permitCount) => throw new NotSupportedException();

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            Calls++;
            if (Throw is not null) throw Throw;
            return ValueTask.FromResult<RateLimitLease>(new Granted());
        }

        private sealed class Granted : RateLimitLease
        {
            public override bool IsAcquired => true;
            public override IEnumerable<string> MetadataNames => [RedisRateLimiting.RateLimitMetadataName.Remaining.Name];

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = metadataName == RedisRateLimiting.RateLimitMetadataName.Remaining.Name ? Left : null;
                return metadata is not null;
            }
        }
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
