using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenGovernanceApi.Tests;

/// <summary>The API's own process (the build output beside the tests), on a free loopback port.</summary>
public sealed class RunningApi : IAsyncDisposable
{
    /// <summary>A JSON log line at Error or Critical (an unhandled exception), or a request answered 5xx.</summary>
    public const string ServerErrorLogLine = "\"LogLevel\":\"(Error|Critical)\"|\"status\":5\\d\\d,";

    public required Process Process { get; init; }
    public required HttpClient Client { get; init; }
    public required Task<string> Output { get; init; }
    public required int Port { get; init; }

    /// <summary>Starts it and waits until it is healthy; `settings` are extra command-line settings (`--Key=value`).</summary>
    public static async Task<RunningApi> StartAsync(params string[] settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "OpenGovernanceApi.dll"),
            "--urls", $"http://127.0.0.1:{port}", "--RateLimit:PermitsPerMinute=100000", .. settings])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory,
        };
        var process = Process.Start(start)!;
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync())
            .ContinueWith(t => string.Join("\n", t.Result));
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        var api = new RunningApi { Process = process, Client = client, Output = output, Port = port };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var health = await client.GetAsync("/healthz");
                if (health.IsSuccessStatusCode) return api;
            }
            catch (HttpRequestException) { }
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                await api.DisposeAsync();
                throw new InvalidOperationException($"the API did not become healthy on port {port}:\n{await output}");
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited) { Process.Kill(true); await Process.WaitForExitAsync(); }
        Client.Dispose();
        Process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
