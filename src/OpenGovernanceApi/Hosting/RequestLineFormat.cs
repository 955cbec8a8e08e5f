using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// Turns request records into the JSON lines of the request log, in the console logger's shape.
/// Used by one writing task at a time (it keeps memos of the last second and the last client).
/// </summary>
/// <remarks>
/// Nearly every line has nothing to escape: method, path, query, request id and address are
/// printable ASCII. Those are written byte by byte, which measured about half the cost of
/// Utf8JsonWriter; any other line is written by Utf8JsonWriter. Both give the same bytes, which
/// RequestLogTests checks character by character.
/// </remarks>
public sealed class RequestLineFormat
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Printable ASCII but the two characters JSON escapes in it.
    private static readonly SearchValues<char> Plain =
        SearchValues.Create(string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c is not ('"' or '\\'))));

    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Utf8JsonWriter _json;
    private char[] _message = new char[256];
    private readonly byte[] _timestamp = "0000-00-00T00:00:00.000Z"u8.ToArray();
    private long _timestampSecond = -1;
    // Most lines in a row come from the same few clients.
    private IPAddress? _lastClient;
    private string? _lastClientText;

    public RequestLineFormat() => _json = new Utf8JsonWriter(_line, JsonOptions);

    /// <summary>The line of one request, without its newline; valid until the next call.</summary>
    public ReadOnlySpan<byte> Format(in RequestLine r)
    {
        var client = ClientText(r.Client);
        return IsPlain(r.Method) && IsPlain(r.Path) && IsPlain(r.Query) && IsPlain(r.RequestId) && (client is null || IsPlain(client))
            ? FormatPlain(r, client)
            : FormatEscaped(r);
    }

    /// <summary>The same line written by Utf8JsonWriter, whatever it holds.</summary>
    public ReadOnlySpan<byte> FormatEscaped(in RequestLine r)
    {
        Reset();
        var duration = Math.Round(r.DurationMs, 3);
        var length = r.Method.Length + r.Path.Length + r.Query.Length + 64;
        if (_message.Length < length) _message = new char[Math.Max(length, 2 * _message.Length)];
        _message.AsSpan().TryWrite(CultureInfo.InvariantCulture, $"{r.Method} {r.Path}{r.Query} {r.Status} {duration} ms", out var written);
        StartLine(r.At, 1, "Information", _message.AsSpan(0, written));
        _json.WriteString("method"u8, r.Method);
        _json.WriteString("path"u8, r.Path);
        _json.WriteString("query"u8, r.Query);
        _json.WriteNumber("status"u8, r.Status);
        _json.WriteNumber("durationMs"u8, duration);
        if (r.Bytes is { } bytes) _json.WriteNumber("bytes"u8, bytes); else _json.WriteNull("bytes"u8);
        _json.WriteString("requestId"u8, r.RequestId);
        _json.WriteString("client"u8, ClientText(r.Client));
        _json.WriteBoolean("aborted"u8, r.Aborted);
        return EndLine();
    }

    /// <summary>The warning line that says how many request lines were dropped.</summary>
    public ReadOnlySpan<byte> FormatDropped(DateTime at, long dropped)
    {
        Reset();
        StartLine(at, 2, "Warning", $"{dropped} request lines dropped: output too slow");
        _json.WriteNumber("dropped", dropped);
        return EndLine();
    }

    private ReadOnlySpan<byte> FormatPlain(in RequestLine r, string? client)
    {
        Span<byte> duration = stackalloc byte[32];
        // As Utf8JsonWriter writes a double: the shortest text that reads back as the same number.
        Math.Round(r.DurationMs, 3).TryFormat(duration, out var durationLength, default, CultureInfo.InvariantCulture);
        duration = duration[..durationLength];
        _line.ResetWrittenCount();
        var text = r.Method.Length + r.Path.Length + r.Query.Length;
        // The fixed text, timestamp and numbers come to under 360 bytes at their longest (two int32s, two
        // durations, an int64); each piece of request text appears at most twice.
        var span = _line.GetSpan(512 + 2 * text + r.RequestId.Length + (client?.Length ?? 0));
        var at = 0;
        Put(span, ref at, "{\"Timestamp\":\""u8);
        Put(span, ref at, Timestamp(r.At));
        Put(span, ref at, "\",\"EventId\":1,\"LogLevel\":\"Information\",\"Category\":\"OpenGovernanceApi.Requests\",\"Message\":\""u8);
        Put(span, ref at, r.Method);
        Put(span, ref at, " "u8);
        Put(span, ref at, r.Path);
        Put(span, ref at, r.Query);
        Put(span, ref at, " "u8);
        Utf8Formatter.TryFormat(r.Status, span[at..], out var n);
        at += n;
        Put(span, ref at, " "u8);
        Put(span, ref at, duration);
        Put(span, ref at, " ms\",\"State\":{\"method\":\""u8);
        Put(span, ref at, r.Method);
        Put(span, ref at, "\",\"path\":\""u8);
        Put(span, ref at, r.Path);
        Put(span, ref at, "\",\"query\":\""u8);
        Put(span, ref at, r.Query);
        Put(span, ref at, "\",\"status\":"u8);
        Utf8Formatter.TryFormat(r.Status, span[at..], out n);
        at += n;
        Put(span, ref at, ",\"durationMs\":"u8);
        Put(span, ref at, duration);
        Put(span, ref at, ",\"bytes\":"u8);
        if (r.Bytes is { } bytes)
        {
            Utf8Formatter.TryFormat(bytes, span[at..], out n);
            at += n;
        }
        else Put(span, ref at, "null"u8);
        Put(span, ref at, ",\"requestId\":\""u8);
        Put(span, ref at, r.RequestId);
        if (client is null) Put(span, ref at, "\",\"client\":null"u8);
        else
        {
            Put(span, ref at, "\",\"client\":\""u8);
            Put(span, ref at, client);
            Put(span, ref at, "\""u8);
        }
        Put(span, ref at, r.Aborted ? ",\"aborted\":true}}"u8 : ",\"aborted\":false}}"u8);
        _line.Advance(at);
        return _line.WrittenSpan;
    }

    private static bool IsPlain(string text) => !text.AsSpan().ContainsAnyExcept(Plain);

    private static void Put(Span<byte> span, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[at..]);
        at += bytes.Length;
    }

    /// <summary>Text already checked to be printable ASCII: one byte per character.</summary>
    private static void Put(Span<byte> span, ref int at, string ascii) => at += Encoding.ASCII.GetBytes(ascii, span[at..]);

    private void Reset()
    {
        _line.ResetWrittenCount();
        _json.Reset(_line);
    }

    /// <summary>The console logger's JSON shape, up to the opening of `State`.</summary>
    private void StartLine(DateTime at, int eventId, string level, ReadOnlySpan<char> message)
    {
        _json.WriteStartObject();
        _json.WriteString("Timestamp"u8, Timestamp(at));
        _json.WriteNumber("EventId"u8, eventId);
        _json.WriteString("LogLevel"u8, level);
        _json.WriteString("Category"u8, RequestLogWriter.Category);
        _json.WriteString("Message"u8, message);
        _json.WriteStartObject("State"u8);
    }

    private ReadOnlySpan<byte> EndLine()
    {
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
        return _line.WrittenSpan;
    }

    private string? ClientText(IPAddress? client)
    {
        if (client is null) return null;
        if (!client.Equals(_lastClient)) (_lastClient, _lastClientText) = (client, client.ToString());
        return _lastClientText;
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
}
