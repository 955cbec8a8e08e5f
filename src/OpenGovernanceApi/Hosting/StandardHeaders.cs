namespace OpenGovernanceApi.Hosting;

/// <summary>
/// What every answer carries: the request id to quote in a bug report (the caller's own, when it
/// looks like one, or ours), CORS for any origin, and the security headers: those of a JSON API, or for a page
/// (text/html) the Content-Security-Policy that lets it load its own stylesheet and script. A 304
/// drops the ones that only concern a body (RFC 9110 15.4.5: a 304 carries what updates a cached copy).
/// </summary>
public static class StandardHeaders
{
    private const string RequestIdHeader = "X-Request-Id";
    private const string ReferrerPolicyHeader = "Referrer-Policy";

    /// <summary>An answer of the API: it loads nothing and may not be framed.</summary>
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// A page for people (any text/html answer outside /docs): its own stylesheet and script from this origin, its
    /// search form submitted here, nothing else: no inline script or style, nothing from elsewhere. connect-src
    /// 'self' lets a page's script read this origin only (crawlers' and Lighthouse's in-page fetch of /robots.txt;
    /// refused, Lighthouse's SEO score fell to 0.92, GoogleChrome/lighthouse#4386).
    /// </summary>
    public const string PageContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>What a script on another origin may read of an answer (besides the CORS-safelisted headers).</summary>
    public const string ExposedHeaders = "ETag, Link, Retry-After, RateLimit, RateLimit-Policy, Content-Disposition, X-Request-Id";

    public static IApplicationBuilder UseStandardHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var given = http.Request.Headers[RequestIdHeader].ToString();
        if (given.Length is > 0 and <= 64 && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            http.TraceIdentifier = given;
        http.Response.Headers[RequestIdHeader] = http.TraceIdentifier;
        http.Response.OnStarting(AddBodyHeaders, http);
        return next(http);
    });

    /// <summary>
    /// Added as the answer starts, when its status is known: a 304 goes without them (fewer bytes on the
    /// most frequent answer of all, and no header set only to be removed), and an error answer, whose
    /// headers the exception handler clears, still gets them.
    /// </summary>
    private static readonly Func<object, Task> AddBodyHeaders = state =>
    {
        var http = (HttpContext)state;
        var headers = http.Response.Headers;
        // Any origin, no credentials: the same on every answer, asked with an Origin or not, so that a copy a
        // shared cache keeps (nginx, a CDN) serves a browser's fetch() too; 304s and problems included.
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlExposeHeaders = ExposedHeaders;
        if (http.Response.StatusCode == StatusCodes.Status304NotModified) return Task.CompletedTask;
        headers.XContentTypeOptions = "nosniff";
        headers[ReferrerPolicyHeader] = "no-referrer";
        if (!http.Request.Path.StartsWithSegments("/docs")) // Swagger UI's page needs its scripts
            headers.ContentSecurityPolicy = http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true
                ? PageContentSecurityPolicy : ApiContentSecurityPolicy;
        return Task.CompletedTask;
    };

    /// <summary>Makes the answer a 304, which carries what updates a cached copy (RFC 9110 15.4.5), not the body-only headers.</summary>
    public static void NotModified(HttpResponse response) => response.StatusCode = StatusCodes.Status304NotModified;
}
