using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OpenGovernanceApi.Data;

namespace OpenGovernanceApi.Http;

/// <summary>
/// Strong ETags, 304 revalidation, Cache-Control and HEAD for every GET answer, in one place.
/// The database never changes while the process runs, so a 200 answer is a pure function of
/// the URL and the negotiated format: it is computed once, kept in memory (within a byte
/// budget) and served from there. The ETag is the data release plus a hash of the bytes.
/// </summary>
public sealed class HttpCaching(RequestDelegate next, GovernanceDb db, IConfiguration configuration)
{
    private sealed record CachedResponse(byte[] Body, string ContentType, string ETag, string? Link, string? ContentDisposition);

    private readonly ConcurrentDictionary<string, CachedResponse> _cache = new(StringComparer.Ordinal);
    private readonly long _budgetBytes = configuration.GetValue("Caching:MemoryBudgetBytes", 64L * 1024 * 1024);
    private readonly int _maxAgeSeconds = configuration.GetValue("Caching:MaxAgeSeconds", 300);
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
        if (isHead) request.Method = HttpMethods.Get; // HEAD is GET without the body

        var key = $"{request.Path}{request.QueryString}\n{request.Headers.Accept}";
        if (_cache.TryGetValue(key, out var cached))
        {
            await Serve(http, cached, isHead);
            return;
        }

        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        if (http.Response.StatusCode != StatusCodes.Status200OK)
        {
            buffer.Position = 0;
            if (!isHead) await buffer.CopyToAsync(original, http.RequestAborted);
            return;
        }

        var body = buffer.ToArray();
        var response = new CachedResponse(body, http.Response.ContentType ?? "application/json",
            $"\"{db.DataVersion}-{Convert.ToHexStringLower(SHA256.HashData(body))[..20]}\"",
            http.Response.Headers["Link"].ToString() is { Length: > 0 } link ? link : null,
            http.Response.Headers.ContentDisposition.ToString() is { Length: > 0 } cd ? cd : null);
        if (Interlocked.Add(ref _usedBytes, body.Length) <= _budgetBytes) _cache.TryAdd(key, response);
        else Interlocked.Add(ref _usedBytes, -body.Length);
        await Serve(http, response, isHead);
    }

    // The OpenAPI document and Swagger UI are served by their own middleware; caching them
    // too is harmless, but /healthz must always run so it reports the live process.
    private static bool IsCacheablePath(PathString path) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/openapi");

    private async Task Serve(HttpContext http, CachedResponse cached, bool isHead)
    {
        var headers = http.Response.Headers;
        headers.ETag = cached.ETag;
        headers.CacheControl = $"public, max-age={_maxAgeSeconds}";
        headers.Vary = "Accept";
        if (cached.Link is not null) headers["Link"] = cached.Link;
        if (cached.ContentDisposition is not null) headers.ContentDisposition = cached.ContentDisposition;

        if (Matches(http.Request.Headers.IfNoneMatch, cached.ETag))
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
}
