using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// Whether a replica should be sent requests (/readyz): once the database is verified (it is before the app
/// starts) and the main routes have been asked for a few times, so the first clients do not pay for the JIT
/// (a cold replica served at about half speed for its first seconds); no longer once it is stopping. On
/// SIGTERM it says so at once, answers every request with `Connection: close` so a proxy's pooled
/// connections are not reused, waits Shutdown:DrainSeconds for the proxy to notice, then Kestrel stops
/// taking connections and finishes what it has (within the host's shutdown timeout).
/// </summary>
public sealed class Readiness
{
    private volatile bool _warmed;
    private volatile bool _stopping;

    public bool Ready => _warmed && !_stopping;

    /// <summary>
    /// The warm-up's requests carry this process's own secret, never sent anywhere but to itself on loopback,
    /// so they spend no client's rate-limit budget (127.0.0.1's, shared by every replica with RateLimit:Redis).
    /// A version-4 Guid: 122 random bits from the system's secure generator, without loading OpenSSL for them
    /// (RandomNumberGenerator did: about 5 MB of resident memory for one secret).
    /// </summary>
    private static readonly string WarmUpToken = Guid.NewGuid().ToString("N");
    private const string WarmUpHeader = "X-Warm-Up";

    public static bool IsWarmUp(HttpContext http) =>
        http.Request.Headers.TryGetValue(WarmUpHeader, out var token) && token == WarmUpToken;
    public bool Stopping => _stopping;
    public void Warmed() => _warmed = true;
    public void Stop() => _stopping = true;

    /// <summary>What is asked for while warming: the routes most clients ask for, each in its common shapes.</summary>
    private static readonly string[] WarmUrls =
    [
        "/v1", "/v1/statistics?limit=100", "/v1/statistics/registered-volunteers-2019-01-09-pc2019",
        "/v1/statistics?indicator=registered-volunteers&latest=true&kind=actual", "/v1/regions?format=geojson",
        "/v1/search?q=%E5%BF%97%E6%84%BF", "/v1/goals?plan=14th&kind=quantitative", "/v1/statistics?format=csv&limit=1&indicator=registered-volunteers",
        "/statistics/registered-volunteers-2019-01-09-pc2019", // a page for people: Razor's rendering warmed too
    ];

    public static void AddReadiness(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddHostedService<WarmUp>();
    }

    /// <summary>During a drain every answer closes its connection, so a proxy opens new ones to other replicas.</summary>
    public static void UseDraining(WebApplication app)
    {
        var readiness = app.Services.GetRequiredService<Readiness>();
        var drain = TimeSpan.FromSeconds(app.Configuration.GetValue("Shutdown:DrainSeconds", 0.0));
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            readiness.Stop();
            // Runs before Kestrel stops listening: the proxy sees /readyz fail while this replica still answers.
            if (drain > TimeSpan.Zero) Thread.Sleep(drain);
        });
        app.Use((http, next) =>
        {
            if (readiness.Stopping) http.Response.Headers.Connection = "close";
            return next(http);
        });
    }

    /// <summary>Asks the running server for the warm URLs a few times each, through the whole pipeline, then says ready.</summary>
    private sealed class WarmUp(IServer server, Readiness readiness, IHostApplicationLifetime lifetime, ILogger<Readiness> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var started = new TaskCompletionSource();
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
                await started.Task.WaitAsync(stoppingToken);
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is null) { readiness.Warmed(); return; } // an in-memory test server: nothing to warm through
            var clock = Stopwatch.StartNew();
            // A wildcard address (http://+:80, 0.0.0.0, [::]) is reached on loopback.
            var uri = new Uri(address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "[::1]"));
            var failures = 0;
            for (var round = 0; round < 3; round++)
                foreach (var url in WarmUrls)
                {
                    try
                    {
                        if (await GetAsync(uri, url, stoppingToken) is < 200 or > 299) failures++;
                    }
                    catch (Exception e) when (e is SocketException or OperationCanceledException or FormatException)
                    {
                        // Stopped while warming (a quick SIGTERM, --write-openapi): nothing to warm for, and no error.
                        if (stoppingToken.IsCancellationRequested || readiness.Stopping) return;
                        failures++;
                    }
                }
            readiness.Warmed();
            logger.LogInformation("Warmed {Urls} routes in {Milliseconds} ms ({Failures} requests failed); ready", WarmUrls.Length, clock.ElapsedMilliseconds, failures);
        }

        /// <summary>
        /// One GET on a connection of its own (Connection: close), the answer read to its end; its status code.
        /// A plain socket, not HttpClient: HttpClient loads the TLS stack and OpenSSL whether or not it is used
        /// (about 7 MB of resident memory for a dozen loopback requests at start-up).
        /// </summary>
        private static async Task<int> GetAsync(Uri server, string pathAndQuery, CancellationToken cancel)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(server.DnsSafeHost, server.Port, timeout.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                $"GET {pathAndQuery} HTTP/1.1\r\nHost: {server.Authority}\r\nX-Request-Id: warm-up\r\n{WarmUpHeader}: {WarmUpToken}\r\nConnection: close\r\n\r\n"), timeout.Token);
            var buffer = new byte[16 * 1024];
            // "HTTP/1.1 200 OK": the status code is the 3 digits after the first space.
            if (await socket.ReceiveAsync(buffer, timeout.Token) < 12) throw new FormatException("no status line");
            var status = int.Parse(buffer.AsSpan(9, 3));
            while (await socket.ReceiveAsync(buffer, timeout.Token) > 0) { }
            return status;
        }
    }
}
