using System.Net;
using System.Text;
using System.Text.Json;
using OpenGovernanceApi.Formats;
using OpenGovernanceApi.Hosting;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// The request log's lines: written byte by byte when nothing needs escaping, by Utf8JsonWriter
/// otherwise; an operator's tools must read the same JSON either way.
/// </summary>
public class RequestLogTests
{
    private static readonly DateTime At = new(2026, 11, 24, 3, 4, 5, 678, DateTimeKind.Utc);

    private static readonly string EveryPrintableAscii =
        string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c));

    // What a line written byte by byte may hold: all but the two that JSON escapes.
    private static readonly string PrintableAsciiButQuoteAndBackslash =
        EveryPrintableAscii.Replace("\"", "").Replace("\\", "");

    public static TheoryData<string, string, string, int, double, long?, string, string?, bool> Lines => new()
    {
        { "GET", "/v1/statistics", "?limit=100", 200, 0.4321, 203_456, "0HNABC:00000001", "127.0.0.1", false },
        { "HEAD", "/v1/statistics/registered-volunteers-2019-01-09-pc2019", "", 304, 0.0004, null, "a-request.id_1", "::1", false },
        { "GET", "/v1/search", "?q=%E5%85%9A%E5%BB%BA", 499, 1234567.89123, 0, "x", null, true },
        { "GET", "/v1/regions", "?format=geojson", 200, 0.0005, 40_000, "id", "2001:db8::1", false },
        { "GET", "/v1/statistics", "?limit=7", 200, 0.1 + 0.2, 7, "id", "10.0.0.1", false },
        { "GET", "/v1/statistics", "?limit=7", 200, 0, 7, "id", "10.0.0.1", false },
        { "OPTIONS", "/", "", 599, 123456789012.345, long.MaxValue, "id", "255.255.255.255", true }, // the longest numbers
        { "GET", "/" + PrintableAsciiButQuoteAndBackslash, "?" + PrintableAsciiButQuoteAndBackslash, 404, 3.25, 300, "id", "127.0.0.1", false },
        // Each of these has something to escape, or is not ASCII: written by Utf8JsonWriter.
        { "GET", "/" + EveryPrintableAscii, "?" + EveryPrintableAscii, 404, 3.25, 300, "id", "127.0.0.1", false },
        { "GET", "/v1/regions/北京", "", 404, 1, 100, "id", "127.0.0.1", false },
        { "GET", "/v1/\"quoted\"", "?a=\\b", 404, 1, 100, "id", "127.0.0.1", false },
        { "GET", "/v1/tab\there", "?del=\u007f", 400, 1, 100, "id", "127.0.0.1", false },
        { "GET", "/v1/sources", "", 200, 1, 100, "id-with-\u2028-separator", "127.0.0.1", false },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void ALineIsTheSameBytesWhicheverWayItIsWritten(string method, string path, string query, int status,
        double durationMs, long? bytes, string requestId, string? client, bool aborted)
    {
        var record = Record(method, path, query, status, durationMs, bytes, requestId, client, aborted);
        var written = Encoding.UTF8.GetString(new RequestLineFormat().Format(record));
        var byJsonWriter = Encoding.UTF8.GetString(new RequestLineFormat().FormatEscaped(record));
        Assert.Equal(byJsonWriter, written);
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void ALineSaysWhatTheRequestWas(string method, string path, string query, int status,
        double durationMs, long? bytes, string requestId, string? client, bool aborted)
    {
        var record = Record(method, path, query, status, durationMs, bytes, requestId, client, aborted);
        using var line = JsonDocument.Parse(new RequestLineFormat().Format(record).ToArray());
        var root = line.RootElement;
        Assert.Equal("2026-11-24T03:04:05.678Z", root.GetProperty("Timestamp").GetString());
        Assert.Equal("Information", root.GetProperty("LogLevel").GetString());
        Assert.Equal(RequestLogWriter.Category, root.GetProperty("Category").GetString());
        var duration = Math.Round(durationMs, 3);
        Assert.Equal(FormattableString.Invariant($"{method} {path}{query} {status} {duration} ms"), root.GetProperty("Message").GetString());
        var state = root.GetProperty("State");
        Assert.Equal(method, state.GetProperty("method").GetString());
        Assert.Equal(path, state.GetProperty("path").GetString());
        Assert.Equal(query, state.GetProperty("query").GetString());
        Assert.Equal(status, state.GetProperty("status").GetInt32());
        Assert.Equal(duration, state.GetProperty("durationMs").GetDouble());
        if (bytes is null) Assert.Equal(JsonValueKind.Null, state.GetProperty("bytes").ValueKind);
        else Assert.Equal(bytes, state.GetProperty("bytes").GetInt64());
        Assert.Equal(requestId, state.GetProperty("requestId").GetString());
        Assert.Equal(client is null ? null : IPAddress.Parse(client).ToString(), state.GetProperty("client").GetString());
        Assert.Equal(aborted, state.GetProperty("aborted").GetBoolean());
    }

    private static RequestLine Record(string method, string path, string query, int status, double durationMs,
        long? bytes, string requestId, string? client, bool aborted) =>
        new(At, method, path, query, status, durationMs, bytes, requestId, client is null ? null : IPAddress.Parse(client), aborted);

    [Fact]
    public void TheWarningOfDroppedLinesSaysHowMany()
    {
        using var line = JsonDocument.Parse(new RequestLineFormat().FormatDropped(At, 42).ToArray());
        Assert.Equal("Warning", line.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal("42 request lines dropped: output too slow", line.RootElement.GetProperty("Message").GetString());
        Assert.Equal(42, line.RootElement.GetProperty("State").GetProperty("dropped").GetInt64());
    }
}
