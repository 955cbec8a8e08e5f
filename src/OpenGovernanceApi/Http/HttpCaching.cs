using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OpenGovernanceApi.Data;

namespace OpenGovernanceApi.Http;

/// <summary>
/// Strong ETags, 304 revalidation, Cache-Control and HEAD for every GET answer, in one place.
/// The database never changes while the process runs, so an answer is a pure function of the
/// data release, the URL, the host (links are absolute) and the Accept header: the ETag is a
/// hash of exactly those, known before the handler runs. A matching If-None-Match is answered
/// 304 at once; a small 200 answer is kept in memory (within a byte budget) and served from
/// there; a large one (a full CSV) streams straight through and is never buffered whole.
/// </summary>
public sealed class HttpCaching(RequestDelegate next, GovernanceDb db, IConfiguration configuration)
{
    private sealed record CachedResponse(byte[] Body, string ContentType, string? Link, string? ContentDisposition);

    private readonly ConcurrentDictionary<string, CachedResponse> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _insertionOrder = new(); // oldest first, for eviction
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _inFlight = new(StringComparer.Ordinal);
    private readonly long _budgetBytes = configuration.GetValue("Caching:MemoryBudgetBytes", 64L * 1024 * 1024);
    private readonly int _maxEntryBytes = configuration.GetValue("Caching:MaxEntryBytes", 16 * 1024 * 1024);
    private readonly string _cacheControl = $"public, max-age={configuration.GetValue("Caching:MaxAgeSeconds", 300)}";
    private long _usedBytes;

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        var isHead = HttpMethods.IsHead(request.Method);
        if (!(isHead || HttpMethods.IsGet(request.Method)) || !IsCacheablePath(request.Path))
        {
            await next(http);
            return;
        }
        if (isHead) request.Method = HttpMethods.Get; // HEAD is GET without the body (routing runs after this)

        var key = $"{request.Host}{request.PathBase}{request.Path}{request.QueryString}\n{ResponseFormatNegotiation.CacheKeyOf(request.Headers.Accept.ToString())}";
        var etag = $"\"{db.DataVersion}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..20]}\"";

        if (_cache.TryGetValue(key, out var cached))
        {
            await Serve(http, cached, etag, isHead);
            return;
        }
        // Same release, same URL: same bytes. The client's copy is current; no need to compute it again.
        if (Matches(request.Headers.IfNoneMatch, etag))
        {
            SetCachingHeaders(http, etag);
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        // One computation per answer at a time: a crowd asking for the same new URL waits for the
        // first, then reads the cached copy, instead of each building it (memory, CPU).
        var gate = _inFlight.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(http.RequestAborted);
        var released = 0;
        void Release() { if (Interlocked.Exchange(ref released, 1) == 0) gate.Release(); }
        try
        {
            if (_cache.TryGetValue(key, out cached))
            {
                Release();
                await Serve(http, cached, etag, isHead);
                return;
            }
            await ComputeAsync(http, key, etag, isHead, Release);
        }
        finally
        {
            Release();
            // Nobody waiting: forget the gate, so a stream of distinct URLs does not accumulate them.
            if (gate.CurrentCount == 1) _inFlight.TryRemove(new KeyValuePair<string, SemaphoreSlim>(key, gate));
        }
    }

    private async Task ComputeAsync(HttpContext http, string key, string etag, bool isHead, Action release)
    {
        var original = http.Response.Body;
        // An answer too large to keep streams straight through; then others need not wait for it.
        await using var capped = new CappedBuffer(isHead ? Stream.Null : original, _maxEntryBytes, onSpill: release);
        http.Response.Body = capped;
        http.Response.OnStarting(() =>
        {
            if (http.Response.StatusCode == StatusCodes.Status200OK) SetCachingHeaders(http, etag);
            return Task.CompletedTask;
        });
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        if (capped.Spilled) return; // too large to keep: it has streamed through already
        var body = capped.Buffered;
        if (http.Response.StatusCode != StatusCodes.Status200OK)
        {
            // An empty error body is left unwritten, so the status-code pages can still turn it into a problem.
            if (!isHead && body.Length > 0) await original.WriteAsync(body, http.RequestAborted);
            return;
        }
        var response = new CachedResponse(body.ToArray(), http.Response.ContentType ?? "application/json",
            http.Response.Headers["Link"].ToString() is { Length: > 0 } link ? link : null,
            http.Response.Headers.ContentDisposition.ToString() is { Length: > 0 } cd ? cd : null);
        Remember(key, response);
        await Serve(http, response, etag, isHead);
    }

    /// <summary>Keeps an answer; over the byte budget, the oldest answers make room (first in, first out).</summary>
    private void Remember(string key, CachedResponse response)
    {
        if (!_cache.TryAdd(key, response)) return;
        _insertionOrder.Enqueue(key);
        Interlocked.Add(ref _usedBytes, response.Body.Length);
        while (Interlocked.Read(ref _usedBytes) > _budgetBytes && _insertionOrder.TryDequeue(out var oldest))
            if (_cache.TryRemove(oldest, out var evicted)) Interlocked.Add(ref _usedBytes, -evicted.Body.Length);
    }

    // /healthz must always run, so it reports the live process; /docs is Swagger UI's own.
    private static bool IsCacheablePath(PathString path) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/openapi");

    private void SetCachingHeaders(HttpContext http, string etag)
    {
        var headers = http.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = _cacheControl;
        headers.Vary = "Accept";
    }

    private async Task Serve(HttpContext http, CachedResponse cached, string etag, bool isHead)
    {
        SetCachingHeaders(http, etag);
        var headers = http.Response.Headers;
        if (cached.Link is not null) headers["Link"] = cached.Link;
        if (cached.ContentDisposition is not null) headers.ContentDisposition = cached.ContentDisposition;
        if (Matches(http.Request.Headers.IfNoneMatch, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = cached.ContentType;
        http.Response.ContentLength = cached.Body.Length;
        if (!isHead) await http.Response.Body.WriteAsync(cached.Body, http.RequestAborted);
    }

    /// <summary>If-None-Match uses weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored; `*` matches.</summary>
    private static bool Matches(StringValues ifNoneMatch, string etag)
    {
        if (StringValues.IsNullOrEmpty(ifNoneMatch)) return false;
        if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)) return false;
        var ours = new EntityTagHeaderValue(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(ours, useStrongComparison: false));
    }

    /// <summary>
    /// Keeps what is written in memory up to a cap; past it, writes out what it holds and
    /// passes everything else straight through, so a large answer is never held whole.
    /// </summary>
    private sealed class CappedBuffer(Stream inner, int cap, Action onSpill) : Stream
    {
        private MemoryStream? _buffer = new();

        public bool Spilled => _buffer is null;
        public ReadOnlyMemory<byte> Buffered => _buffer!.GetBuffer().AsMemory(0, (int)_buffer.Length);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            if (_buffer is not null && _buffer.Length + data.Length <= cap)
            {
                _buffer.Write(data.Span);
                return;
            }
            if (_buffer is not null)
            {
                await inner.WriteAsync(Buffered, cancellationToken);
                _buffer = null;
                onSpill();
            }
            await inner.WriteAsync(data, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override Task FlushAsync(CancellationToken cancellationToken) => _buffer is null ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
