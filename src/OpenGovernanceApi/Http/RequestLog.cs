using System.Buffers;
using System.Diagnostics;
using System.Globalization;
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
                http.TraceIdentifier, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted.IsCancellationRequested));
        }
    }
}

/// <summary>What is logged of one request.</summary>
public readonly record struct RequestLine(DateTime At, string Method, string Path, string Query, int Status, double DurationMs,
    long? Bytes, string RequestId, string? Client, bool Aborted);

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
                if (batch.WrittenCount + line.WrittenCount + 1 > BatchBytes) await FlushAsync(batch);
                batch.Write(line.WrittenSpan);
                batch.Write("\n"u8);
            }
            if (Interlocked.Exchange(ref _dropped, 0) is var dropped and > 0)
            {
                await FlushAsync(batch);
                line.ResetWrittenCount();
                json.Reset(line);
                StartLine(json, DateTime.UtcNow, 2, "Warning", $"{dropped} request lines dropped: output too slow");
                json.WriteNumber("dropped", dropped);
                EndLine(json);
                batch.Write(line.WrittenSpan);
                batch.Write("\n"u8);
            }
            await FlushAsync(batch);
        }
    }

    private async Task FlushAsync(ArrayBufferWriter<byte> batch)
    {
        if (batch.WrittenCount == 0) return;
        try { await _output.WriteAsync(batch.WrittenMemory); await _output.FlushAsync(); }
        catch (IOException) { } // stdout closed: nothing to log to
        batch.ResetWrittenCount();
    }

    private static void Format(Utf8JsonWriter json, in RequestLine r)
    {
        var duration = Math.Round(r.DurationMs, 3);
        StartLine(json, r.At, 1, "Information", $"{r.Method} {r.Path}{r.Query} {r.Status} {duration.ToString(CultureInfo.InvariantCulture)} ms");
        json.WriteString("method", r.Method);
        json.WriteString("path", r.Path);
        json.WriteString("query", r.Query);
        json.WriteNumber("status", r.Status);
        json.WriteNumber("durationMs", duration);
        if (r.Bytes is { } bytes) json.WriteNumber("bytes", bytes); else json.WriteNull("bytes");
        json.WriteString("requestId", r.RequestId);
        json.WriteString("client", r.Client);
        json.WriteBoolean("aborted", r.Aborted);
        EndLine(json);
    }

    /// <summary>The console logger's JSON shape, up to the opening of `State`.</summary>
    private static void StartLine(Utf8JsonWriter json, DateTime at, int eventId, string level, string message)
    {
        json.WriteStartObject();
        json.WriteString("Timestamp", at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        json.WriteNumber("EventId", eventId);
        json.WriteString("LogLevel", level);
        json.WriteString("Category", Category);
        json.WriteString("Message", message);
        json.WriteStartObject("State");
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
