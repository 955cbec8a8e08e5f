using Microsoft.AspNetCore.Routing;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// What an endpoint tells the request pipeline about itself, read from its metadata once routing has
/// matched it (routing runs first, ApiConventions): HEAD answered wherever GET is, whether its
/// answers go through the answer cache (HttpCaching), and which CORS policy it follows.
/// </summary>
public static class ReadOnlyEndpoints
{
    /// <summary>Marks endpoints whose answers are a function of the data release, URL, host and Accept: cached, with ETags.</summary>
    public sealed class CachedAnswers;

    /// <summary>
    /// Every GET route of the builder also answers HEAD (RFC 9110 9.3.2: the same answer without its body), so
    /// routing matches HEAD and its 405 lists both. Applied last, after each route's own MapGet.
    /// </summary>
    public static TBuilder AnswerHeadAsGet<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault();
            if (methods is null || !methods.HttpMethods.Contains(HttpMethods.Get) || methods.HttpMethods.Contains(HttpMethods.Head)) return;
            endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight));
        });
        return builder;
    }

    /// <summary>Marks endpoints that answer byte ranges (RFC 9110 14): a download a client resumes with `curl -C -`.</summary>
    public sealed class RangeRequests;

    /// <summary>
    /// The ETag the answer cache gives the URL's uncompressed answer, handed to an endpoint that answers a Range
    /// request itself (the cache passes those by), so `If-Range` compares with the ETag the client was given.
    /// </summary>
    public sealed record IdentityETag(string ETag);

    /// <summary>These endpoints answer `Range` (206, 416, `If-Range`); the answer cache passes such requests to them.</summary>
    public static TBuilder AnswerRanges<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RangeRequests());

    /// <summary>Marks an endpoint answered under another CORS policy than the read-only one (ApiConventions.UseReadOnlyCors).</summary>
    public sealed record CorsPolicyName(string Name);

    /// <summary>
    /// The endpoint's cross-origin requests follow this policy, and its CORS preflight (OPTIONS) is routed to it, so
    /// the policy can be read from its metadata. Not the framework's RequireCors, whose endpoint insists on UseCors().
    /// </summary>
    public static TBuilder WithCorsPolicy<TBuilder>(this TBuilder builder, string policy) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new CorsPolicyName(policy));
        builder.Finally(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault();
            if (methods is null || methods.AcceptCorsPreflight) return;
            endpoint.Metadata.Add(new HttpMethodMetadata(methods.HttpMethods, acceptCorsPreflight: true));
        });
        return builder;
    }

    /// <summary>Answers of these endpoints go through the answer cache: strong ETags, 304s, kept answers, codings.</summary>
    public static TBuilder CacheAnswers<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CachedAnswers());
}
