using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;

namespace OpenGovernanceApi.Http;

/// <summary>
/// One structured log line per request, JSON on standard output in the same shape as the
/// console logger's other lines: method, path, query, status, duration, bytes, client and the
/// request id the answer carries in `X-Request-Id`, so an operator finds the line a user quotes.
/// Category `OpenGovernanceApi.Requests`; set its level to Warning to turn request lines off.
/// </summary>
/// <remarks>
/// Not written through ILogger's console provider, which formats and writes each line on its
/// own (measured: half the throughput of small answers). Here a request only queues a record;
/// one background task formats the lines and writes them in batches. When output cannot keep
/// up, lines are dropped (and counted) rather than requests slowed.
/// </remarks>
public sealed class RequestLog(RequestDelegate next, RequestLogWriter writer)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!writer.Enabled) { await next(http); return; }
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            // After the exception handler and forwarded headers have done their work: final status, real client.
            var request = http.Request;
            writer.Add(new RequestLine(DateTime.UtcNow, request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
                http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, http.Response.ContentLength,
                http.TraceIdentifier, http.Connection.RemoteIpAddress, http.RequestAborted.IsCancellationRequested));
        }
    }
}

/// <summary>What is logged of one request. The client's address is turned into text by the writer, not the request.</summary>
public readonly record struct RequestLine(DateTime At, string Method, string Path, string Query, int Status, double DurationMs,
    long? Bytes, string RequestId, IPAddress? Client, bool Aborted);

/// <summary>Formats queued request lines on one background task and writes them to standard output in batches.</summary>
public sealed class RequestLogWriter
{
    public const string Category = "OpenGovernanceApi.Requests";
    private const int BatchBytes = 4096; // whole lines, at most PIPE_BUF per write, so other writers' lines never interleave
    private readonly Channel<RequestLine> _queue = Channel.CreateBounded<RequestLine>(
        new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Stream _output;
    private readonly Task _writing;
    private long _dropped;

    public RequestLogWriter(ILoggerFactory loggers, IHostApplicationLifetime lifetime, Stream? output = null)
    {
        Enabled = loggers.CreateLogger(Category).IsEnabled(LogLevel.Information);
        _output = output ?? Console.OpenStandardOutput();
        _writing = Enabled ? Task.Run(WriteAsync) : Task.CompletedTask;
        // After the server has stopped, so the lines of requests finished during shutdown are written too.
        lifetime.ApplicationStopped.Register(() =>
        {
            _queue.Writer.TryComplete();
            _writing.Wait(TimeSpan.FromSeconds(5));
        });
    }

    public bool Enabled { get; }

    public void Add(in RequestLine line)
    {
        if (!_queue.Writer.TryWrite(line)) Interlocked.Increment(ref _dropped);
    }

    // Used by the one writing task only.
    private char[] _message = new char[256];
    private readonly byte[] _timestamp = "0000-00-00T00:00:00.000Z"u8.ToArray();
    private long _timestampSecond = -1;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private async Task WriteAsync()
    {
        var batch = new ArrayBufferWriter<byte>(2 * BatchBytes);
        var line = new ArrayBufferWriter<byte>(1024);
        await using var json = new Utf8JsonWriter(line, JsonOptions);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (_queue.Reader.TryRead(out var record))
            {
                line.ResetWrittenCount();
                json.Reset(line);
                Format(json, record);
                if (batch.WrittenCount + line.WrittenCount + 1 > BatchBytes) Flush(batch);
                batch.Write(line.WrittenSpan);
                batch.Write("\n"u8);
            }
            if (Interlocked.Exchange(ref _dropped, 0) is var dropped and > 0)
            {
                Flush(batch);
                line.ResetWrittenCount();
                json.Reset(line);
                StartLine(json, DateTime.UtcNow, 2, "Warning", $"{dropped} request lines dropped: output too slow");
                json.WriteNumber("dropped", dropped);
                EndLine(json);
                batch.Write(line.WrittenSpan);
                batch.Write("\n"u8);
            }
            Flush(batch);
        }
    }

    /// <summary>
    /// Written synchronously: the console stream has no asynchronous write of its own, and the base
    /// class's hands each write to another thread behind a semaphore (in a profile of 304s, writing
    /// went from 2.6% of the server's CPU samples to 0.8%).
    /// </summary>
    private void Flush(ArrayBufferWriter<byte> batch)
    {
        if (batch.WrittenCount == 0) return;
        try { _output.Write(batch.WrittenSpan); _output.Flush(); }
        catch (IOException) { } // stdout closed: nothing to log to
        batch.ResetWrittenCount();
    }

    private void Format(Utf8JsonWriter json, in RequestLine r)
    {
        var duration = Math.Round(r.DurationMs, 3);
        // The message is built in a reused buffer: this runs once per request, on the same cores as the requests.
        var length = r.Method.Length + r.Path.Length + r.Query.Length + 64;
        if (_message.Length < length) _message = new char[Math.Max(length, 2 * _message.Length)];
        _message.AsSpan().TryWrite(CultureInfo.InvariantCulture, $"{r.Method} {r.Path}{r.Query} {r.Status} {duration} ms", out var written);
        StartLine(json, r.At, 1, "Information", _message.AsSpan(0, written));
        json.WriteString("method"u8, r.Method);
        json.WriteString("path"u8, r.Path);
        json.WriteString("query"u8, r.Query);
        json.WriteNumber("status"u8, r.Status);
        json.WriteNumber("durationMs"u8, duration);
        if (r.Bytes is { } bytes) json.WriteNumber("bytes"u8, bytes); else json.WriteNull("bytes"u8);
        json.WriteString("requestId"u8, r.RequestId);
        json.WriteString("client"u8, ClientText(r.Client));
        json.WriteBoolean("aborted"u8, r.Aborted);
        EndLine(json);
    }

    // Used by the one writing task only: most lines in a row come from the same few clients.
    private IPAddress? _lastClient;
    private string? _lastClientText;

    private string? ClientText(IPAddress? client)
    {
        if (client is null) return null;
        if (!client.Equals(_lastClient)) (_lastClient, _lastClientText) = (client, client.ToString());
        return _lastClientText;
    }

    /// <summary>The console logger's JSON shape, up to the opening of `State`.</summary>
    private void StartLine(Utf8JsonWriter json, DateTime at, int eventId, string level, ReadOnlySpan<char> message)
    {
        json.WriteStartObject();
        json.WriteString("Timestamp"u8, Timestamp(at));
        json.WriteNumber("EventId"u8, eventId);
        json.WriteString("LogLevel"u8, level);
        json.WriteString("Category"u8, Category);
        json.WriteString("Message"u8, message);
        json.WriteStartObject("State"u8);
    }

    /// <summary>
    /// yyyy-MM-ddTHH:mm:ss.fffZ, as the console logger writes it; the part up to the second is
    /// formatted once a second rather than once a line.
    /// </summary>
    private ReadOnlySpan<byte> Timestamp(DateTime at)
    {
        var second = at.Ticks / TimeSpan.TicksPerSecond;
        if (second != _timestampSecond)
        {
            at.TryFormat(_timestamp, out _, "yyyy-MM-ddTHH:mm:ss.", CultureInfo.InvariantCulture);
            _timestampSecond = second;
        }
        var milliseconds = (int)(at.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMillisecond);
        _timestamp[20] = (byte)('0' + milliseconds / 100);
        _timestamp[21] = (byte)('0' + milliseconds / 10 % 10);
        _timestamp[22] = (byte)('0' + milliseconds % 10);
        return _timestamp;
    }

    private static void EndLine(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>The other log lines as JSON too, so an operator's tools read one format.</summary>
    public static void AddStructuredLogging(WebApplicationBuilder builder)
    {
        builder.Logging.AddJsonConsole(options =>
        {
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Services.AddSingleton<RequestLogWriter>();
    }
}
