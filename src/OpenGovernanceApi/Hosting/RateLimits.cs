using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// Per-client rate limiting with .NET's built-in limiter (System.Threading.RateLimiting): a fixed window of one
/// minute per client address (RateLimit:PermitsPerMinute). Over it, a 429 problem with
/// Retry-After and the IETF RateLimit-Policy / RateLimit fields; /healthz is exempt so
/// monitors never see a 429. The client address is the connection's; X-Forwarded-For is
/// believed only from proxies listed in ForwardedHeaders:KnownProxies (see ApiConventions).
/// </summary>
public static class RateLimits
{
    public const string PolicyName = "per-client";
    public const int WindowSeconds = 60;

    public static IServiceCollection AddPerClientRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue("RateLimit:PermitsPerMinute", 600);
        if (permits < 1) throw new InvalidOperationException("RateLimit:PermitsPerMinute must be at least 1");
        // Partitioned by the address itself (Kestrel makes one per connection), so a request allocates no key,
        // and by one factory made here, not a new delegate on each of the two lookups a request makes.
        var options = new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromSeconds(WindowSeconds),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        Func<IPAddress, RateLimiter> newWindow = _ => new FixedWindowRateLimiter(options);
        var limiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(http => RateLimitPartition.Get(ClientKey(http), newWindow));
        services.AddSingleton(new ClientLimiter(limiter, permits, Policy(permits)));
        return services;
    }

    /// <summary>
    /// Takes a permit for the request from its client's window and tells the answer its quota
    /// and what is left of it; with none left, answers the 429 problem.
    /// </summary>
    /// <remarks>
    /// The limiter is System.Threading.RateLimiting's, called here directly rather than through
    /// UseRateLimiter's middleware, which looks up endpoint policies we do not have and then
    /// needed a second middleware for these headers (measured: together about 5% of the CPU time
    /// of a 304; this one step, about half of that).
    /// </remarks>
    public static IApplicationBuilder UsePerClientRateLimiting(this IApplicationBuilder app)
    {
        var client = app.ApplicationServices.GetRequiredService<ClientLimiter>();
        return app.Use((http, next) =>
        {
            if (IsExempt(http)) return next(http);
            // A fixed window counts permits taken, so the lease need not be held while the request runs.
            using var lease = client.Limiter.AttemptAcquire(http);
            var headers = http.Response.Headers;
            headers["RateLimit-Policy"] = client.Policy;
            if (!lease.IsAcquired) return RejectAsync(http, lease, client.Permits);
            var remaining = client.Limiter.GetStatistics(http)?.CurrentAvailablePermits ?? client.Permits;
            headers["RateLimit"] = $"\"{PolicyName}\";r={remaining}";
            return next(http);
        });
    }

    private static Task RejectAsync(HttpContext http, RateLimitLease lease, int permits)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : WindowSeconds;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit"] = $"\"{PolicyName}\";r=0;t={retryAfter}";
        // The framework has no default type for 429 (RFC 9110 does not define it): RFC 6585 does.
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
            type: "https://tools.ietf.org/html/rfc6585#section-4",
            detail: $"This client made more than {permits} requests in a minute. Try again in {retryAfter} s.")
            .ExecuteAsync(http);
    }

    public sealed record ClientLimiter(PartitionedRateLimiter<HttpContext> Limiter, int Permits, string Policy);

    private static string Policy(int permits) => $"\"{PolicyName}\";q={permits};w={WindowSeconds}";

    private static bool IsExempt(HttpContext http) => http.Request.Path.StartsWithSegments("/healthz");

    private static IPAddress ClientKey(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip) : IPAddress.IPv6None;
}
