using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// Strong ETags, 304 revalidation, Cache-Control and HEAD for every GET answer, in one place.
/// The database never changes while the process runs, so an answer is a pure function of the
/// data release, the URL, the host (links are absolute) and the Accept header: the ETag is a
/// hash of exactly those, known before the handler runs. A matching If-None-Match is answered
/// 304 at once; a small 200 answer is kept in memory (within a byte budget) once it is asked for
/// a second time, or by several clients at once, and served from there (a URL asked for once, as
/// a crawler walking cursors asks, neither pushes kept answers out nor churns memory); a large
/// one (a full CSV) streams straight through and is never buffered whole, and once a URL is
/// known to be that large, later requests for it stream without buffering at all.
/// A kept answer is also sent compressed (Brotli or gzip, ContentCodings) to a client that accepts
/// it, compressed once per answer and coding; each coding is its own representation, with its own ETag.
/// </summary>
public sealed class HttpCaching(RequestDelegate next, GovernanceDb db, IConfiguration configuration, CacheMetrics metrics)
{
    /// <summary>A kept answer, and its compressed forms once a client has asked for them.</summary>
    private sealed class CachedResponse(byte[] body, string contentType, string? link, string? contentDisposition, RecentUrl url)
    {
        public byte[] Body { get; } = body;
        public string ContentType { get; } = contentType;
        public string? Link { get; } = link;
        public string? ContentDisposition { get; } = contentDisposition;
        public RecentUrl Url { get; } = url;
        public bool Compressible { get; } = ContentCodings.Worthwhile(contentType, body.Length);
        public readonly byte[]?[] Encoded = new byte[]?[3]; // by ContentCoding; written under lock (this)
        public bool Evicted; // under lock (this)
    }

    // Kept answers and recent URLs by key, each also looked up by a key written on the stack (Find).
    private readonly ConcurrentDictionary<string, CachedResponse>.AlternateLookup<ReadOnlySpan<char>> _cacheBySpan =
        new ConcurrentDictionary<string, CachedResponse>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly ConcurrentDictionary<string, RecentUrl>.AlternateLookup<ReadOnlySpan<char>> _recentBySpan =
        new ConcurrentDictionary<string, RecentUrl>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    private ConcurrentDictionary<string, CachedResponse> _cache => _cacheBySpan.Dictionary;
    private ConcurrentDictionary<string, RecentUrl> _recent => _recentBySpan.Dictionary;
    private readonly ConcurrentQueue<string> _insertionOrder = new(); // oldest first, for eviction
    private readonly ConcurrentDictionary<string, Gate> _inFlight = new(StringComparer.Ordinal);
    private readonly long _budgetBytes = configuration.GetValue("Caching:MemoryBudgetBytes", 64L * 1024 * 1024);
    private readonly int _maxEntryBytes = configuration.GetValue("Caching:MaxEntryBytes", 16 * 1024 * 1024);
    private readonly string _cacheControl = $"public, max-age={configuration.GetValue("Caching:MaxAgeSeconds", 300)}";
    private long _usedBytes;
    private const int WriteSliceBytes = 256 * 1024;
    private const int RecentUrls = 2_000;

    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        // Routing has run: the endpoint says whether its answers are cached (ReadOnlyEndpoints.CacheAnswers).
        if (http.GetEndpoint()?.Metadata.GetMetadata<ReadOnlyEndpoints.CachedAnswers>() is null) return next(http);
        var isHead = HttpMethods.IsHead(request.Method);
        if (!isHead && !HttpMethods.IsGet(request.Method)) return next(http);
        if (request.Headers.Range.Count > 0 && AnswersRanges(http)) return PassRangeRequest(http);

        var (cached, url, key) = Find(request);
        if (cached is not null)
        {
            metrics.Hits.Add(1);
            return Serve(http, cached, isHead);
        }
        key ??= KeyOf(request);
        url ??= Recent(key);
        // Same release, same URL: same bytes. The client's copy is current; no need to compute it again.
        if (MatchedETag(request.Headers.IfNoneMatch, url, request.Headers.AcceptEncoding) is { } matched)
        {
            SetCachingHeaders(http, matched);
            StandardHeaders.NotModified(http.Response);
            metrics.NotModified.Add(1);
            return Task.CompletedTask;
        }
        // Too large to keep (seen before): straight through, without buffering or waiting for others.
        return url.TooLarge ? StreamAsync(http, url, isHead) : ComputeOnceAsync(http, key, url, isHead);
    }

    /// <summary>What an answer is a function of: host (links are absolute), URL and the format the Accept header asks for.</summary>
    private static bool TryWriteKey(HttpRequest request, Span<char> destination, out int written) => destination.TryWrite(
        $"{request.Host}{request.PathBase}{request.Path}{request.QueryString}\n{ResponseFormatNegotiation.CacheKeyOf(request.Headers.Accept.ToString())}",
        out written);

    private static string KeyOf(HttpRequest request)
    {
        for (var size = 512; ; size *= 2) // a URL is bounded by Kestrel's limits on the request line and headers
        {
            var buffer = ArrayPool<char>.Shared.Rent(size);
            try
            {
                if (TryWriteKey(request, buffer, out var written)) return new string(buffer, 0, written);
            }
            finally
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// The kept answer and what is known of the URL, looked up with the key written on the stack: a
    /// kept answer or a 304, the most frequent answers, then need no string of it. The key string is
    /// made only when the URL is new or too long for the buffer.
    /// </summary>
    private (CachedResponse? Cached, RecentUrl? Url, string? Key) Find(HttpRequest request)
    {
        Span<char> buffer = stackalloc char[256];
        if (!TryWriteKey(request, buffer, out var written))
        {
            var key = KeyOf(request);
            return _cache.TryGetValue(key, out var kept) ? (kept, kept.Url, key) : (null, _recent.GetValueOrDefault(key), key);
        }
        ReadOnlySpan<char> span = buffer[..written];
        if (_cacheBySpan.TryGetValue(span, out var cached)) return (cached, cached.Url, null);
        return (null, _recentBySpan.TryGetValue(span, out var url) ? url : null, null);
    }

    /// <summary>
    /// One computation per answer at a time: a crowd asking for the same new URL waits for the
    /// first, then reads the cached copy, instead of each building it (memory, CPU).
    /// </summary>
    private async Task ComputeOnceAsync(HttpContext http, string key, RecentUrl url, bool isHead)
    {
        var gate = _inFlight.GetOrAdd(key, _ => new Gate());
        Interlocked.Increment(ref gate.Requests);
        await gate.Lock.WaitAsync(http.RequestAborted);
        var released = 0;
        void Release() { if (Interlocked.Exchange(ref released, 1) == 0) gate.Lock.Release(); }
        try
        {
            if (_cache.TryGetValue(key, out var cached))
            {
                Release();
                metrics.Hits.Add(1); // waited for another request's computation
                await Serve(http, cached, isHead);
                return;
            }
            if (url.TooLarge)
            {
                Release();
                await StreamAsync(http, url, isHead);
                return;
            }
            await ComputeAsync(http, key, url, isHead, Release, gate);
        }
        finally
        {
            Release();
            // Nobody waiting: forget the gate, so a stream of distinct URLs does not accumulate them.
            if (gate.Lock.CurrentCount == 1) _inFlight.TryRemove(new KeyValuePair<string, Gate>(key, gate));
        }
    }

    /// <summary>
    /// What is known of a URL asked for recently: its ETags (a hash per request was the main cost
    /// of a 304, since revalidations never fill the answer cache), whether its answer has been
    /// computed once already, and whether it is too large to keep.
    /// </summary>
    private sealed class RecentUrl(string tag)
    {
        /// <summary>The ETag of the uncompressed answer.</summary>
        public string ETag { get; } = $"\"{tag}\"";
        // Made when first asked for: a crawler's stream of distinct URLs seldom needs them, and each is garbage later.
        private string[]? _codingETags;

        /// <summary>The ETag of the answer in a coding: each coding is a representation of its own (RFC 9110 8.8.3).</summary>
        public string ETagOf(ContentCoding coding) => coding == ContentCoding.Identity ? ETag
            : (_codingETags ??= [ETag, $"{ETag[..^1]}-gzip\"", $"{ETag[..^1]}-br\""])[(int)coding];
        public volatile bool ComputedOnce;
        public volatile bool TooLarge;
    }

    private RecentUrl Recent(string key)
    {
        if (_recent.TryGetValue(key, out var url)) return url;
        // Bounded: a crawler of distinct URLs just starts afresh. Small, because each entry of such a crawl is
        // garbage that outlives the young generation; at 10,000, a stream of distinct URLs raised the peak
        // memory by about 8 MB (and the dictionary's arrays sat on the large object heap).
        if (_recent.Count >= RecentUrls) _recent.Clear();
        // XxHash128, not SHA-256: an ETag needs to be stable, not secret, and SHA-256 would load OpenSSL
        // (about 4 MB of resident memory) for nothing else the API serves routinely.
        return _recent.GetOrAdd(key, k => new RecentUrl($"{db.DataVersion}-{Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(k)))[..20]}"));
    }

    /// <summary>One computation per URL at a time, and how many requests have asked for it meanwhile.</summary>
    private sealed class Gate
    {
        public readonly SemaphoreSlim Lock = new(1, 1);
        public int Requests;
    }

    private async Task ComputeAsync(HttpContext http, string key, RecentUrl url, bool isHead, Action release, Gate gate)
    {
        metrics.Computed.Add(1);
        var etag = url.ETag;
        var original = http.Response.Body;
        // An answer too large to keep streams straight through. From that moment, requests for the URL
        // (those waiting at the gate too) stream it without buffering: else each would first fill a
        // buffer of Caching:MaxEntryBytes, all at once when a crowd asks for a new large answer.
        var streaming = StreamingBody(http, isHead ? Stream.Null : original, url);
        var capped = new CappedBuffer(streaming, _maxEntryBytes, onSpill: () =>
        {
            if (http.Response.StatusCode == StatusCodes.Status200OK) url.TooLarge = true;
            release();
        });
        try
        {
            await RunHandlerAsync(http, etag, capped);

            if (capped.Spilled)
            {
                await streaming.FinishAsync(); // too large to keep: it has streamed through already
                return;
            }
            if (http.Response.StatusCode != StatusCodes.Status200OK)
            {
                // An empty error body is left unwritten, so the status-code pages can still turn it into a problem.
                if (!isHead && capped.BufferedLength > 0) await WriteInSlicesAsync(http, capped);
                return;
            }
            // Kept when asked for before, or by others now; a URL asked for once is sent and forgotten.
            if (!url.ComputedOnce && Volatile.Read(ref gate.Requests) == 1)
            {
                url.ComputedOnce = true;
                var coding = ContentCodings.Choose(http.Request.Headers.AcceptEncoding);
                if (coding != ContentCoding.Identity && ContentCodings.Worthwhile(http.Response.ContentType, capped.BufferedLength))
                {
                    // Compressed as a kept answer is: one strong ETag, one set of bytes (RFC 9110 8.8.1).
                    var encoded = ContentCodings.Compress(capped.BufferedParts(), capped.BufferedLength, coding);
                    SetRepresentationHeaders(http, url, coding);
                    http.Response.ContentLength = encoded.Length;
                    if (!isHead) await WriteInSlicesAsync(http, encoded);
                    return;
                }
                SetCachingHeaders(http, etag);
                http.Response.ContentLength = capped.BufferedLength;
                if (!isHead) await WriteInSlicesAsync(http, capped);
                return;
            }
            var response = new CachedResponse(capped.BufferedToArray(), http.Response.ContentType ?? "application/json",
                http.Response.Headers["Link"].ToString() is { Length: > 0 } link ? link : null,
                http.Response.Headers.ContentDisposition.ToString() is { Length: > 0 } cd ? cd : null, url);
            Remember(key, response);
            await Serve(http, response, isHead);
        }
        finally
        {
            capped.ReturnChunks();
        }
    }

    /// <summary>An answer known to be too large to keep: computed and sent as it is written.</summary>
    private async Task StreamAsync(HttpContext http, RecentUrl url, bool isHead)
    {
        metrics.Computed.Add(1);
        var streaming = StreamingBody(http, isHead ? Stream.Null : http.Response.Body, url);
        await RunHandlerAsync(http, url.ETag, streaming);
        await streaming.FinishAsync();
    }

    /// <summary>
    /// Where an answer too large to keep is written: compressed on the way (quickly: it is compressed
    /// anew for every request) when the client accepts a coding and the answer is a 200 worth
    /// compressing, which is known at its first byte; else straight to the client.
    /// </summary>
    private StreamingEncoder StreamingBody(HttpContext http, Stream inner, RecentUrl url) =>
        new(http, inner, ContentCodings.Choose(http.Request.Headers.AcceptEncoding), coding =>
        {
            SetRepresentationHeaders(http, url, coding);
            http.Response.ContentLength = null; // the compressed length is not known in advance
        });

    private sealed class StreamingEncoder(HttpContext http, Stream inner, ContentCoding coding, Action<ContentCoding> onEncode) : WriteOnlyStream
    {
        private Stream? _target; // inner, or an encoder writing into it; chosen at the first byte
        private long _sinceYield; // bytes written since the writer last gave its thread back
        private const int YieldEveryBytes = 64 * 1024;

        private Stream Target()
        {
            if (_target is not null) return _target;
            var response = http.Response;
            if (coding != ContentCoding.Identity && response.StatusCode == StatusCodes.Status200OK && !response.HasStarted
                && ContentCodings.Worthwhile(response.ContentType, int.MaxValue))
            {
                onEncode(coding);
                // HEAD: the headers of the compressed GET, without compressing the body for nobody.
                return _target = inner == Stream.Null ? inner : ContentCodings.StreamingEncoder(inner, coding);
            }
            return _target = inner;
        }

        /// <summary>Writes the encoder's last block; nothing to do for an answer sent as it is.</summary>
        public async ValueTask FinishAsync()
        {
            if (_target is not null && _target != inner) await _target.DisposeAsync();
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
            YieldIfDue(Target().WriteAsync(data, cancellationToken), data.Length);

        public override void Write(byte[] buffer, int offset, int count) => Target().Write(buffer, offset, count);
        // A flush of the encoder ends a block and compresses worse; it writes out as its buffer fills anyway.
        public override Task FlushAsync(CancellationToken cancellationToken) =>
            _target == inner ? YieldIfDue(new ValueTask(inner.FlushAsync(cancellationToken)), 0).AsTask() : Task.CompletedTask;

        /// <summary>
        /// A long answer gives its thread back every 64 KiB, as it would while waiting for Kestrel to send
        /// what it wrote, were Kestrel not sending it inline (ApiConventions: inline scheduling), and a
        /// write the client was too slow for resumes on the thread that sent the last bytes, the
        /// transport's: either way the writer, still reading SQLite, goes to the back of the thread
        /// pool's queue instead of holding a thread the requests behind it need. Measured: with four
        /// clients downloading the 1000x database's full CSV, a 304's p99 was over a second without this.
        /// </summary>
        private ValueTask YieldIfDue(ValueTask write, int bytes)
        {
            _sinceYield += bytes;
            return write.IsCompletedSuccessfully && _sinceYield < YieldEveryBytes ? default : WriteThenYieldAsync(write);
        }

        private async ValueTask WriteThenYieldAsync(ValueTask write)
        {
            await write;
            _sinceYield = 0;
            await Task.Yield();
        }
    }

    /// <summary>Runs the endpoint writing into `body`; a 200 goes out with its ETag and caching headers.</summary>
    private async Task RunHandlerAsync(HttpContext http, string etag, Stream body)
    {
        var original = http.Response.Body;
        http.Response.Body = body;
        http.Response.OnStarting(() =>
        {
            // Unless the answer was given its caching headers already (a compressed one has its own ETag).
            if (http.Response.StatusCode == StatusCodes.Status200OK && StringValues.IsNullOrEmpty(http.Response.Headers.ETag))
                SetCachingHeaders(http, etag);
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
    }

    /// <summary>
    /// Keeps an answer; over the byte budget (which counts the compressed forms too), the oldest
    /// answers make room (first in, first out).
    /// </summary>
    private void Remember(string key, CachedResponse response)
    {
        if (!_cache.TryAdd(key, response)) return;
        metrics.Kept.Add(1);
        _insertionOrder.Enqueue(key);
        Interlocked.Add(ref _usedBytes, response.Body.Length);
        MakeRoom();
    }

    private void MakeRoom()
    {
        while (Interlocked.Read(ref _usedBytes) > _budgetBytes && _insertionOrder.TryDequeue(out var oldest))
        {
            if (!_cache.TryRemove(oldest, out var evicted)) continue;
            metrics.Evicted.Add(1);
            long bytes = evicted.Body.Length;
            lock (evicted)
            {
                evicted.Evicted = true;
                foreach (var encoded in evicted.Encoded) bytes += encoded?.Length ?? 0;
            }
            Interlocked.Add(ref _usedBytes, -bytes);
        }
    }

    /// <summary>A kept answer in a coding: compressed on first demand, then kept beside it.</summary>
    private byte[] EncodedBody(CachedResponse cached, ContentCoding coding)
    {
        if (Volatile.Read(ref cached.Encoded[(int)coding]) is { } done) return done;
        // Outside the lock: two first askers may both compress.
        var encoded = ContentCodings.Compress([cached.Body], cached.Body.Length, coding);
        lock (cached)
        {
            if (cached.Encoded[(int)coding] is { } raced) return raced;
            Volatile.Write(ref cached.Encoded[(int)coding], encoded);
            if (cached.Evicted) return encoded;
            Interlocked.Add(ref _usedBytes, encoded.Length);
        }
        MakeRoom();
        return encoded;
    }

    private void SetCachingHeaders(HttpContext http, string etag)
    {
        var headers = http.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = _cacheControl;
        headers.Vary = "Accept, Accept-Encoding";
        // Ranges are of the uncompressed bytes only: an answer in a coding (its own ETag) does not offer them.
        if (AnswersRanges(http) && !etag.EndsWith("-gzip\"", StringComparison.Ordinal) && !etag.EndsWith("-br\"", StringComparison.Ordinal))
            headers.AcceptRanges = "bytes";
    }

    private static bool AnswersRanges(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<ReadOnlyEndpoints.RangeRequests>() is not null;

    /// <summary>
    /// A Range request goes to the endpoint, which answers it (206, 416, If-Range) from the uncompressed bytes
    /// under the ETag this cache gives them, with the usual caching headers; the part is never kept.
    /// </summary>
    private Task PassRangeRequest(HttpContext http)
    {
        var url = Recent(KeyOf(http.Request));
        http.Features.Set(new ReadOnlyEndpoints.IdentityETag(url.ETag));
        SetCachingHeaders(http, url.ETag);
        metrics.Computed.Add(1);
        return next(http);
    }

    /// <summary>The caching headers of the answer in a coding, with that coding's ETag, and its Content-Encoding.</summary>
    private void SetRepresentationHeaders(HttpContext http, RecentUrl url, ContentCoding coding)
    {
        SetCachingHeaders(http, url.ETagOf(coding));
        if (coding != ContentCoding.Identity) http.Response.Headers.ContentEncoding = ContentCodings.Token(coding);
    }

    private async Task Serve(HttpContext http, CachedResponse cached, bool isHead)
    {
        var acceptEncoding = cached.Compressible ? http.Request.Headers.AcceptEncoding : StringValues.Empty;
        if (MatchedETag(http.Request.Headers.IfNoneMatch, cached.Url, acceptEncoding) is { } matched)
        {
            SetCachingHeaders(http, matched);
            // A 304 carries the validators and caching headers, not the representation's own (RFC 9110 15.4.5).
            StandardHeaders.NotModified(http.Response);
            metrics.NotModified.Add(1);
            return;
        }
        var coding = ContentCodings.Choose(acceptEncoding);
        SetRepresentationHeaders(http, cached.Url, coding);
        var headers = http.Response.Headers;
        if (cached.Link is not null) headers["Link"] = cached.Link;
        if (cached.ContentDisposition is not null) headers.ContentDisposition = cached.ContentDisposition;
        // The first request for a coding compresses the answer (milliseconds): on the thread pool, not the transport's thread.
        if (coding != ContentCoding.Identity && Volatile.Read(ref cached.Encoded[(int)coding]) is null) await Task.Yield();
        var body = coding == ContentCoding.Identity ? cached.Body : EncodedBody(cached, coding);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = cached.ContentType;
        http.Response.ContentLength = body.Length;
        if (isHead) return;
        await WriteInSlicesAsync(http, body);
    }

    /// <summary>
    /// Sends an answer held in memory, in slices: Kestrel copies what it is given into its own buffers
    /// before sending, so a whole large answer given at once would be copied once per connection
    /// sending it. 256 KiB sends a page of 100 (200 kB) in one piece: 64 KiB slices cost about 7% more
    /// CPU per page (paired runs). An answer of several slices goes to the back of the thread pool's
    /// queue before each: with inline scheduling Kestrel sends as we write, so a 4 MB answer would hold
    /// the thread the requests behind it need, and one started inline would jump ahead of those
    /// already sending (StreamingEncoder does the same for answers written as they are computed).
    /// </summary>
    private static Task WriteInSlicesAsync(HttpContext http, ReadOnlyMemory<byte> body) =>
        WriteSlicesAsync(http, body, yieldBeforeEach: body.Length > WriteSliceBytes);

    /// <summary>An answer computed for one asker and not kept (or an error): sent from its buffer, as a kept one is.</summary>
    private static async Task WriteInSlicesAsync(HttpContext http, CappedBuffer buffered)
    {
        var several = buffered.BufferedLength > WriteSliceBytes;
        foreach (var part in buffered.BufferedParts()) await WriteSlicesAsync(http, part, several);
    }

    private static async Task WriteSlicesAsync(HttpContext http, ReadOnlyMemory<byte> body, bool yieldBeforeEach)
    {
        for (var at = 0; at < body.Length; at += WriteSliceBytes)
        {
            if (yieldBeforeEach) await Task.Yield();
            await http.Response.Body.WriteAsync(body.Slice(at, Math.Min(WriteSliceBytes, body.Length - at)), http.RequestAborted);
        }
    }

    /// <summary>
    /// The ETag to answer 304 with, if the client's copy is current: the uncompressed answer's (always
    /// acceptable), or that of the coding it would be sent now (a copy in a coding the client no longer
    /// accepts, as a shared cache may hold, is not current for it).
    /// </summary>
    private static string? MatchedETag(StringValues ifNoneMatch, RecentUrl url, StringValues acceptEncoding)
    {
        if (StringValues.IsNullOrEmpty(ifNoneMatch)) return null;
        if (Matches(ifNoneMatch, url.ETag)) return url.ETag;
        var coding = ContentCodings.Choose(acceptEncoding);
        if (coding != ContentCoding.Identity && Matches(ifNoneMatch, url.ETagOf(coding))) return url.ETagOf(coding);
        return null;
    }

    /// <summary>If-None-Match uses weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored; `*` matches.</summary>
    private static bool Matches(StringValues ifNoneMatch, string etag)
    {
        if (StringValues.IsNullOrEmpty(ifNoneMatch)) return false;
        if (ifNoneMatch.Count == 1 && string.Equals(ifNoneMatch[0], etag, StringComparison.Ordinal)) return true; // the usual case, unparsed
        if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)) return false;
        var ours = new EntityTagHeaderValue(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(ours, useStrongComparison: false));
    }

    /// <summary>
    /// Keeps what is written in memory up to a cap, in pooled 64 KiB chunks (no doubling copies);
    /// past the cap, writes out what it holds and passes everything else straight through, so a
    /// large answer is never held whole.
    /// </summary>
    private sealed class CappedBuffer(Stream inner, int cap, Action onSpill) : WriteOnlyStream
    {
        private const int ChunkSize = 64 * 1024;
        private readonly List<byte[]> _chunks = [];
        private int _length;

        public bool Spilled { get; private set; }
        public int BufferedLength => _length;

        public byte[] BufferedToArray()
        {
            var all = new byte[_length];
            var at = 0;
            foreach (var (chunk, used) in Chunks()) { chunk.AsSpan(0, used).CopyTo(all.AsSpan(at)); at += used; }
            return all;
        }

        public IEnumerable<ReadOnlyMemory<byte>> BufferedParts() => Chunks().Select(c => (ReadOnlyMemory<byte>)c.Chunk.AsMemory(0, c.Used));

        private IEnumerable<(byte[] Chunk, int Used)> Chunks()
        {
            for (var i = 0; i < _chunks.Count; i++)
                yield return (_chunks[i], i < _chunks.Count - 1 ? ChunkSize : _length - ChunkSize * (_chunks.Count - 1));
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            if (!Spilled && (long)_length + data.Length <= cap)
            {
                Append(data.Span);
                return;
            }
            if (!Spilled)
            {
                Spilled = true;
                // Into the streaming body, which gives the thread back as it sends (StreamingEncoder).
                foreach (var part in BufferedParts()) await inner.WriteAsync(part, cancellationToken);
                ReturnChunks();
                onSpill();
            }
            await inner.WriteAsync(data, cancellationToken);
        }

        private void Append(ReadOnlySpan<byte> data)
        {
            while (data.Length > 0)
            {
                var offset = _length % ChunkSize;
                if (offset == 0 && _length / ChunkSize == _chunks.Count) _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
                var n = Math.Min(ChunkSize - offset, data.Length);
                data[..n].CopyTo(_chunks[^1].AsSpan(offset));
                _length += n;
                data = data[n..];
            }
        }

        /// <summary>Gives the chunks back to the pool once the answer is done with them (not on Dispose: a writer that disposes its stream must not lose what was kept).</summary>
        public void ReturnChunks()
        {
            foreach (var chunk in _chunks) ArrayPool<byte>.Shared.Return(chunk);
            _chunks.Clear();
            _length = 0;
        }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override Task FlushAsync(CancellationToken cancellationToken) => Spilled ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;
    }
}
