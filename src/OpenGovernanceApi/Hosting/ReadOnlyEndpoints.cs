using Microsoft.AspNetCore.Routing;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// What an endpoint tells the request pipeline about itself, read from its metadata once routing has
/// matched it (routing runs first, ApiConventions): HEAD answered wherever GET is, and whether its
/// answers go through the answer cache (HttpCaching).
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

    /// <summary>Answers of these endpoints go through the answer cache: strong ETags, 304s, kept answers, codings.</summary>
    public static TBuilder CacheAnswers<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CachedAnswers());
}
