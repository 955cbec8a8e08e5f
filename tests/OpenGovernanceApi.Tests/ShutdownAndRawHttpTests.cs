using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// The real process on Kestrel, spoken to over raw sockets: a graceful SIGTERM while a large answer
/// is still being written, and request bytes that no HttpClient (nor the in-memory TestServer)
/// would send: invalid percent-encoding, raw non-ASCII bytes, bare LF line ends.
/// </summary>
public class ShutdownAndRawHttpTests
{
    private static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SigtermLetsAnInFlightCsvAnswerFinishThenExitsWithCodeZero()
    {
        await using var api = await RunningApi.StartAsync();
        var total = await StatisticsTotalAsync(api.Client);
        Assert.True(total > 0, "no statistics to download");

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.ReceiveBufferSize = 4096; // before Connect: the window we advertise stays small
        if (OperatingSystem.IsLinux())
        {
            // On loopback the peer MSS is 65483 and Linux sizes the server's send buffer from it: the
            // first ACK grows it to tcp_wmem's maximum (4 MiB), which swallows the whole ~230 KB CSV, so
            // Kestrel finishes and closes before SIGTERM and nothing is in flight any more (seen: server
            // socket in FIN-WAIT-1 with 220 KB unsent). An Ethernet-sized MSS keeps that buffer ~60-100 KB.
            socket.SetRawSocketOption(6 /* IPPROTO_TCP */, 2 /* TCP_MAXSEG */, BitConverter.GetBytes(1460));
        }
        await socket.ConnectAsync(IPAddress.Loopback, api.Port);
        await socket.SendAsync("GET /v1/statistics?format=csv HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"u8.ToArray());

        // The first few KB only: the answer has started, and the server's writes now wait on us.
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (received.Length < 4096)
        {
            var n = await ReceiveAsync(socket, buffer);
            Assert.True(n > 0, "the server closed the connection after " + received.Length + " bytes, before SIGTERM");
            received.Write(buffer, 0, n);
        }
        Assert.StartsWith("HTTP/1.1 200 ", Encoding.ASCII.GetString(received.GetBuffer(), 0, 13));

        using (var kill = Process.Start("kill", ["-TERM", api.Process.Id.ToString()])) await kill.WaitForExitAsync();

        // Shutdown has begun (Kestrel stops listening first) ...
        await PollUntilAsync(async () => !await AcceptsConnectionsAsync(api.Port), TimeSpan.FromSeconds(10),
            "the listener still accepts connections 10 s after SIGTERM");
        // ... yet the process waits for the answer we are still holding unread.
        using (var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)))
        {
            try { await api.Process.WaitForExitAsync(shortWait.Token); }
            catch (OperationCanceledException) { }
        }
        Assert.False(api.Process.HasExited,
            $"the process exited (code {(api.Process.HasExited ? api.Process.ExitCode : 0)}) while {received.Length} bytes of the answer had been read: " +
            "either the answer was not in flight any more (it fit in the socket buffers) or shutdown did not wait for it");

        // Slowly, in small reads, to the end.
        while (true)
        {
            int n;
            try { n = await ReceiveAsync(socket, buffer); }
            catch (SocketException e) { Assert.Fail($"the connection broke ({e.SocketErrorCode}) after {received.Length} bytes of the answer, during shutdown"); throw; }
            if (n == 0) break;
            received.Write(buffer, 0, n);
            await Task.Delay(2);
        }

        var response = HttpAnswer.Parse(received.ToArray());
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/csv", response.Header("Content-Type"));
        Assert.True(response.Complete, response.Incomplete);
        var csv = Encoding.UTF8.GetString(response.Body);
        Assert.StartsWith("\uFEFFid,", csv);
        Assert.EndsWith("\r\n", csv);
        Assert.Equal(total + 1, CsvRecordCount(csv));

        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await api.Process.WaitForExitAsync(exit.Token);
        Assert.Equal(0, api.Process.ExitCode);
        var output = await api.Output;
        Assert.Contains("Application is shutting down", output);
        Assert.DoesNotMatch(RunningApi.ServerErrorLogLine, output);
    }

    private sealed record RawCase(string Name, byte[] Request, int? ExpectedStatus = null, bool MustNotSucceed = false);

    private static RawCase Line(string requestLine, int? expectedStatus = null, bool mustNotSucceed = false) =>
        new(requestLine, Encoding.ASCII.GetBytes(requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), expectedStatus, mustNotSucceed);

    private static RawCase RawLine(string name, byte[] requestLine) =>
        new(name, [.. requestLine, .. "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"u8]);

    private static readonly RawCase[] OddRequests =
    [
        Line("GET /v1/statistics?q=%E4%ZZ HTTP/1.1"),
        Line("GET /v1/statistics?indicator=%FF%FE HTTP/1.1"),
        Line("GET /v1/statistics/%FF HTTP/1.1"),
        Line("GET /v1/statistics/%2e%2e%2fetc%2fpasswd HTTP/1.1", mustNotSucceed: true),
        Line("GET /v1/downloads/%2e%2e%2f%2e%2e%2fappsettings.json HTTP/1.1", mustNotSucceed: true),
        Line("GET /v1/downloads/..%2f..%2fgovernance.db HTTP/1.1", mustNotSucceed: true),
        Line("GET /v1/search?q=%00 HTTP/1.1"),
        Line("GET /v1/search?q=% HTTP/1.1"),
        Line("GET /v1/search?q=%C0%80 HTTP/1.1"),      // overlong NUL
        Line("GET /v1/search?q=%ED%A0%80 HTTP/1.1"),   // a UTF-16 surrogate, UTF-8 encoded
        Line("GET /v1/statistics?limit=%31%30%30%30%30 HTTP/1.1", expectedStatus: 400), // 10000, decoded, over the cap
        Line("GET /v1/statistics?limit=%EF%BC%91 HTTP/1.1", expectedStatus: 400),       // a full-width digit one
        Line("GET /v1/statistics?%ZZ=1 HTTP/1.1"),
        Line("GET /v1/statistics?cursor=%FF HTTP/1.1"),
        Line("GET /v1/statistics?format=%FF HTTP/1.1"),
        Line("GET /v1/statistics?limit=1#fragment HTTP/1.1"),
        Line("GET /v1/%C0%AE%C0%AE/ HTTP/1.1"),
        Line("GET /v1/regions/%2F HTTP/1.1"),
        Line("GET /v1/statistics/%00 HTTP/1.1"),
        Line("GET //v1/statistics HTTP/1.1"),
        Line("GET * HTTP/1.1"),
        Line("OPTIONS * HTTP/1.1"),
        RawLine("raw UTF-8 in the path", "GET /v1/statistics/é HTTP/1.1"u8.ToArray()),
        RawLine("truncated raw UTF-8 in the query", [.. "GET /v1/search?q="u8, 0xE4, 0xB8, .. " HTTP/1.1"u8]),
        RawLine("raw DEL in the query", [.. "GET /v1/statistics?q=a"u8, 0x7F, .. "b HTTP/1.1"u8]),
        new("bare LF line ends", "GET /v1/statistics?limit=1 HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n"u8.ToArray()),
        new("bare LF line ends, bad query", "GET /v1/statistics?limit=%FF HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n"u8.ToArray()),
        new("CR and LF mixed", "GET /v1/statistics?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\nConnection: close\r\n\r\n"u8.ToArray()),
        new("bare CR line end", "GET /v1/statistics?limit=1 HTTP/1.1\rHost: 127.0.0.1\r\n\r\n"u8.ToArray()),
    ];

    [Fact]
    public async Task OddRequestBytesOnTheWireAreAnsweredBelow500WithProblemDetailsAndNoStackTraces()
    {
        await using var api = await RunningApi.StartAsync();
        var failures = new List<string>();
        foreach (var odd in OddRequests)
        {
            HttpAnswer answer;
            try
            {
                answer = HttpAnswer.Parse(await ExchangeAsync(api.Port, odd.Request));
            }
            catch (Exception e) when (e is FormatException or SocketException or OperationCanceledException)
            {
                failures.Add($"{odd.Name}: no readable answer ({e.GetType().Name}: {e.Message})");
                continue;
            }
            var body = Encoding.UTF8.GetString(answer.Body);
            var said = $"{odd.Name} -> {answer.Status} {answer.Header("Content-Type")} {Shorten(body)}";

            if (!answer.Complete) failures.Add($"{said}: {answer.Incomplete}");
            if (answer.Status >= 500) failures.Add($"{said}: 5xx");
            if (odd.ExpectedStatus is { } expected && answer.Status != expected) failures.Add($"{said}: expected {expected}");
            if (odd.MustNotSucceed && answer.Status is >= 200 and < 300) failures.Add($"{said}: must not be served");
            foreach (var leak in new[] { "   at ", ".cs:line", "/work/", "Exception" })
                if (body.Contains(leak, StringComparison.Ordinal)) failures.Add($"{said}: body contains '{leak}'");

            // The app stamps X-Request-Id on every answer it makes; Kestrel's own refusals have none (and no body).
            var reachedApp = answer.Header("X-Request-Id") is not null;
            if (!reachedApp)
            {
                if (answer.Status is < 400 or >= 500) failures.Add($"{said}: an answer without X-Request-Id that is not a 4xx refusal");
                if (answer.Body.Length > 0) failures.Add($"{said}: a server-level refusal with a body");
            }
            else if (answer.Status is >= 400 and < 500)
            {
                if (answer.Header("Content-Type") != "application/problem+json") failures.Add($"{said}: 4xx from the app is not application/problem+json");
                else
                {
                    try
                    {
                        using var problem = JsonDocument.Parse(answer.Body);
                        if (!problem.RootElement.TryGetProperty("status", out var status) || status.GetInt32() != answer.Status)
                            failures.Add($"{said}: problem status does not match the HTTP status");
                    }
                    catch (JsonException e) { failures.Add($"{said}: problem body is not JSON ({e.Message})"); }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        using var health = await api.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // Nothing above was logged as an error, and the process still stops cleanly.
        using (var kill = Process.Start("kill", ["-TERM", api.Process.Id.ToString()])) await kill.WaitForExitAsync();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await api.Process.WaitForExitAsync(exit.Token);
        Assert.Equal(0, api.Process.ExitCode);
        Assert.DoesNotMatch(RunningApi.ServerErrorLogLine, await api.Output);
    }

    // ---- helpers ----

    private static async Task<int> StatisticsTotalAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/v1/statistics?limit=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("meta").GetProperty("total").GetInt32();
    }

    /// <summary>RFC 4180 records: CRLFs outside double-quoted fields.</summary>
    private static int CsvRecordCount(string csv)
    {
        var records = 0;
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            if (csv[i] == '"') quoted = !quoted; // an escaped "" flips twice
            else if (!quoted && csv[i] == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n') records++;
        }
        return records;
    }

    private static async Task<int> ReceiveAsync(Socket socket, byte[] buffer)
    {
        using var timeout = new CancellationTokenSource(IoTimeout);
        return await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
    }

    /// <summary>Sends raw bytes on a fresh connection and reads until the server closes it.</summary>
    private static async Task<byte[]> ExchangeAsync(int port, byte[] request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync(request);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int n;
            try { n = await ReceiveAsync(socket, buffer); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset && received.Length > 0) { break; }
            if (n == 0) break;
            received.Write(buffer, 0, n);
        }
        return received.ToArray();
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (SocketException) { return false; }
    }

    private static async Task PollUntilAsync(Func<Task<bool>> condition, TimeSpan within, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < within, failure);
            await Task.Delay(20);
        }
    }

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";

    /// <summary>One HTTP/1.1 answer read to the end of the connection: status, headers, de-chunked body.</summary>
    private sealed class HttpAnswer
    {
        public int Status { get; private init; }
        public required Dictionary<string, string> Headers { get; init; }
        public required byte[] Body { get; init; }
        /// <summary>Null when the body is whole (Content-Length met, or the chunked terminator seen).</summary>
        public string? Incomplete { get; private init; }
        public bool Complete => Incomplete is null;

        public string? Header(string name) => Headers.GetValueOrDefault(name);

        public static HttpAnswer Parse(byte[] raw)
        {
            var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
            if (end < 0) throw new FormatException($"no end of headers in {raw.Length} bytes: '{Encoding.UTF8.GetString(raw[..Math.Min(raw.Length, 200)])}'");
            var lines = Encoding.Latin1.GetString(raw, 0, end).Split("\r\n");
            var statusLine = lines[0].Split(' ', 3);
            if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.") || !int.TryParse(statusLine[1], out var status))
                throw new FormatException($"not a status line: '{lines[0]}'");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':');
                if (colon <= 0) throw new FormatException($"not a header: '{line}'");
                headers[line[..colon]] = line[(colon + 1)..].Trim();
            }
            var rest = raw.AsSpan(end + 4);

            if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                var body = new MemoryStream();
                while (true)
                {
                    var lineEnd = rest.IndexOf("\r\n"u8);
                    if (lineEnd < 0) return new() { Status = status, Headers = headers, Body = body.ToArray(), Incomplete = "chunked body ends without its terminating chunk" };
                    var size = Convert.ToInt32(Encoding.ASCII.GetString(rest[..lineEnd]).Split(';')[0].Trim(), 16);
                    rest = rest[(lineEnd + 2)..];
                    if (size == 0)
                        return new() { Status = status, Headers = headers, Body = body.ToArray(), Incomplete = rest.StartsWith("\r\n"u8) ? null : "no CRLF after the last chunk" };
                    if (rest.Length < size + 2) return new() { Status = status, Headers = headers, Body = body.ToArray(), Incomplete = $"a {size}-byte chunk is cut short" };
                    body.Write(rest[..size]);
                    rest = rest[(size + 2)..];
                }
            }
            if (headers.TryGetValue("Content-Length", out var cl))
            {
                var length = long.Parse(cl);
                return new()
                {
                    Status = status, Headers = headers, Body = rest[..(int)Math.Min(length, rest.Length)].ToArray(),
                    Incomplete = rest.Length == length ? null : $"Content-Length {length} but {rest.Length} bytes followed the headers",
                };
            }
            return new() { Status = status, Headers = headers, Body = rest.ToArray() }; // delimited by the close
        }
    }
}
