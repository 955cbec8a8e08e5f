using System.IO.Hashing;
using System.Reflection;

namespace OpenGovernanceApi.Pages;

/// <summary>
/// The site's own stylesheet, script and icon, embedded in the assembly and served under names that carry a hash of
/// their bytes (`/assets/site.3f2a….css`), so they can be cached for a year: a change is a new name.
/// Precompressed once at start-up. Nothing is loaded from elsewhere (no web fonts, no CDN).
/// </summary>
public sealed class SiteAssets
{
    public const string CacheControl = "public, max-age=31536000, immutable";

    public SiteAssets()
    {
        Stylesheet = Load("site.css", "site", ".css", "text/css; charset=utf-8");
        Script = Load("copy.js", "copy", ".js", "text/javascript; charset=utf-8");
        Icon = Load("icon.svg", "icon", ".svg", "image/svg+xml");
        ByPath = new[] { Stylesheet, Script, Icon }.ToDictionary(a => a.Path, StringComparer.Ordinal);
    }

    public Asset Stylesheet { get; }
    public Asset Script { get; }
    /// <summary>The site's icon, so a browser does not ask for /favicon.ico.</summary>
    public Asset Icon { get; }
    public IReadOnlyDictionary<string, Asset> ByPath { get; }

    /// <summary>One asset: its hashed path, type, bytes and their Brotli and gzip forms.</summary>
    public sealed record Asset(string Path, string ContentType, byte[] Body, byte[] Brotli, byte[] Gzip, string ETag);

    private static Asset Load(string resource, string name, string extension, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var body = memory.ToArray();
        var hash = Convert.ToHexStringLower(XxHash128.Hash(body))[..16];
        return new Asset($"/assets/{name}.{hash}{extension}", contentType, body,
            ContentCodings.Compress([body], body.Length, ContentCoding.Brotli), ContentCodings.Compress([body], body.Length, ContentCoding.Gzip),
            $"\"{hash}\"");
    }

    /// <summary>Serves /assets/{file}: the current name answers with the bytes (or 304), any other name is a 404.</summary>
    public static IResult Serve(string file, SiteAssets assets, HttpContext http)
    {
        if (!assets.ByPath.TryGetValue("/assets/" + file, out var asset)) return Results.NotFound();
        var headers = http.Response.Headers;
        var coding = ContentCodings.Choose(http.Request.Headers.AcceptEncoding);
        // Each coding is its own representation with its own strong ETag (RFC 9110 8.8.3), as in the answer cache.
        var etag = coding == ContentCoding.Identity ? asset.ETag : $"{asset.ETag[..^1]}-{ContentCodings.Token(coding)}\"";
        headers.CacheControl = CacheControl;
        headers.ETag = etag;
        headers.Vary = "Accept-Encoding";
        var ifNoneMatch = http.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && (ifNoneMatch.Trim() == "*" || ifNoneMatch.Contains(etag, StringComparison.Ordinal)))
        {
            StandardHeaders.NotModified(http.Response);
            return Results.Empty;
        }
        var body = coding switch { ContentCoding.Brotli => asset.Brotli, ContentCoding.Gzip => asset.Gzip, _ => asset.Body };
        if (coding != ContentCoding.Identity) headers.ContentEncoding = ContentCodings.Token(coding);
        return Results.Bytes(body, asset.ContentType);
    }
}
