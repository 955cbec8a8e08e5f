using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OpenGovernanceApi.OpenApi;

/// <summary>
/// The headers each response carries, declared in the document as the API sends them: each defined once
/// under `components/headers` and referenced by every response that has it. Who sets them: HttpCaching
/// (ETag, Cache-Control, Vary on a 200 or 304 of /v1), RateLimits (RateLimit, RateLimit-Policy on every /v1
/// answer; Retry-After on a 429), StandardHeaders (X-Request-Id on every answer), ResponseShaping (Link when
/// there is a next page; Content-Disposition on CSV), ApiConventions (Access-Control-Allow-Origin for a CORS request).
/// </summary>
public static class ResponseHeaders
{
    private const string ETag = "ETag", CacheControl = "Cache-Control", Vary = "Vary", Link = "Link", RateLimit = "RateLimit",
        RateLimitPolicy = "RateLimit-Policy", RetryAfter = "Retry-After", RequestId = "X-Request-Id",
        ContentDisposition = "Content-Disposition", AllowOrigin = "Access-Control-Allow-Origin";

    /// <summary>Every header any response declares, as components/headers holds it.</summary>
    private static readonly Dictionary<string, OpenApiHeader> Definitions = new()
    {
        [ETag] = Header("Strong validator of this representation (data release, URL, `Accept` and content coding: each coding has its own, `…-br\"`, `…-gzip\"`). Send it back in `If-None-Match` for a 304.",
            "\"18f243bb499ea4d1-5c3ba8849aa565b75e45\"", required: true),
        [CacheControl] = Header("`public, max-age=300` (the seconds are the operator's `Caching:MaxAgeSeconds`).", "public, max-age=300", required: true),
        [Vary] = Header("The answer depends on `Accept` (JSON, CSV, GeoJSON) and `Accept-Encoding` (Brotli, gzip).", "Accept, Accept-Encoding", required: true),
        [Link] = Header("RFC 8288: the next page, as in `links.next`, when there is one (JSON only; CSV and GeoJSON hold every page).",
            "<https://example.org/v1/statistics?limit=20&cursor=eyJWIjoi…>; rel=\"next\"", required: false),
        [RateLimit] = Header($"IETF RateLimit fields: what is left of this client's quota in the current window (`r`), and on a 429 the seconds until it is renewed (`t`).",
            $"\"{RateLimits.PolicyName}\";r=599", required: true),
        [RateLimitPolicy] = Header($"IETF RateLimit-Policy: the quota (`q`, `RateLimit:PermitsPerMinute`, 600 by default) per window of `w` = {RateLimits.WindowSeconds} seconds, per client address.",
            $"\"{RateLimits.PolicyName}\";q=600;w={RateLimits.WindowSeconds}", required: true),
        [RetryAfter] = new OpenApiHeader
        {
            Description = "Seconds until this client's window is renewed and it may ask again.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = RateLimits.WindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Example = JsonValue.Create(RateLimits.WindowSeconds),
        },
        [RequestId] = Header("This request's id, yours when you sent a sane `X-Request-Id` (up to 64 letters, digits, `-`, `_`, `.`), otherwise ours; a problem repeats it as `requestId`. Quote it in a bug report.",
            "0HNQJIJ89DNNE:00000001", required: true),
        [ContentDisposition] = Header("On a CSV answer and a download: `attachment` with the file name to save it under (`statistics-api-source-pc2019.csv`, `governance.sqlite`).",
            "attachment; filename=\"statistics-api.csv\"", required: false),
        [AllowOrigin] = Header("`*` when the request carries an `Origin` (CORS): any web page may read every answer, without credentials.", "*", required: false),
    };

    private static OpenApiHeader Header(string description, string example, bool required) => new()
    {
        Description = description,
        Required = required,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        Example = JsonValue.Create(example),
    };

    /// <summary>Puts the definitions under components/headers (after the operations, which refer to them by name).</summary>
    public sealed class Components : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
            foreach (var (name, header) in Definitions) document.Components.Headers[name] = header;
        }
    }

    /// <summary>Adds to each response of an operation the headers it carries, by status.</summary>
    public sealed class OnResponses : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (operation.Responses is null) return;
            var path = "/" + context.ApiDescription.RelativePath;
            var v1 = path.StartsWith("/v1", StringComparison.Ordinal);
            var collection = context.ApiDescription.SupportedResponseTypes.Any(r => r.StatusCode == 200 && r.Type is { IsGenericType: true } t
                && t.GetGenericTypeDefinition() == typeof(Collection<>));
            foreach (var (status, response) in operation.Responses)
            {
                if (response is not OpenApiResponse r) continue;
                var names = new List<string> { RequestId, AllowOrigin };
                if (v1) names.AddRange([RateLimit, RateLimitPolicy]); // /healthz is exempt from rate limits
                if (v1 && status is "200" or "304") names.AddRange([ETag, CacheControl, Vary]);
                if (v1 && status == "200")
                {
                    if (collection) names.Add(Link);
                    if (r.Content?.Keys.Any(k => k != "application/json" && k != "application/geo+json") == true) names.Add(ContentDisposition);
                }
                if (status == "429") names.Add(RetryAfter);
                r.Headers ??= new Dictionary<string, IOpenApiHeader>();
                foreach (var name in names) r.Headers[name] = new OpenApiHeaderReference(name, context.Document);
            }
        }
    }
}
