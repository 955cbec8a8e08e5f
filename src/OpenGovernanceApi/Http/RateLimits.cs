using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace OpenGovernanceApi.Http;

/// <summary>
/// Per-client rate limiting with ASP.NET Core's built-in limiter: a fixed window of one
/// minute per client address (RateLimit:PermitsPerMinute). Over it, a 429 problem with
/// Retry-After and the IETF RateLimit-Policy / RateLimit fields; /healthz is exempt so
/// monitors never see a 429. The client address is the connection's; X-Forwarded-For is
/// believed only from proxies listed in ForwardedHeaders:KnownProxies (see ApiConventions).
/// </summary>
public static class RateLimits
{
    public const string PolicyName = "per-client";
    private const int WindowSeconds = 60;

    public static IServiceCollection AddPerClientRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue("RateLimit:PermitsPerMinute", 600);
        if (permits < 1) throw new InvalidOperationException("RateLimit:PermitsPerMinute must be at least 1");
        // Partitioned by the address itself (Kestrel makes one per connection), so a request allocates no key.
        var limiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(http =>
            IsExempt(http)
                ? RateLimitPartition.GetNoLimiter(IPAddress.None)
                : RateLimitPartition.GetFixedWindowLimiter(ClientKey(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = TimeSpan.FromSeconds(WindowSeconds),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        services.AddSingleton(new ClientLimiter(limiter, permits, Policy(permits)));
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = limiter;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : WindowSeconds;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                http.Response.Headers["RateLimit-Policy"] = Policy(permits);
                http.Response.Headers["RateLimit"] = $"\"{PolicyName}\";r=0;t={retryAfter}";
                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
                    detail: $"This client made more than {permits} requests in a minute. Try again in {retryAfter} s.")
                    .ExecuteAsync(http);
            };
        });
        return services;
    }

    /// <summary>
    /// Tells every limited answer its quota and what is left of it. Runs after the limiter has
    /// granted this request its permit (a refused one is answered by OnRejected above).
    /// </summary>
    public static IApplicationBuilder UseRateLimitHeaders(this IApplicationBuilder app)
    {
        var client = app.ApplicationServices.GetRequiredService<ClientLimiter>();
        return app.Use((http, next) =>
        {
            if (!IsExempt(http))
            {
                var remaining = client.Limiter.GetStatistics(http)?.CurrentAvailablePermits ?? client.Permits;
                http.Response.Headers["RateLimit-Policy"] = client.Policy;
                http.Response.Headers["RateLimit"] = $"\"{PolicyName}\";r={remaining}";
            }
            return next(http);
        });
    }

    public sealed record ClientLimiter(PartitionedRateLimiter<HttpContext> Limiter, int Permits, string Policy);

    private static string Policy(int permits) => $"\"{PolicyName}\";q={permits};w={WindowSeconds}";

    private static bool IsExempt(HttpContext http) => http.Request.Path.StartsWithSegments("/healthz");

    private static IPAddress ClientKey(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip) : IPAddress.IPv6None;
}
