using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;

using RedisRateLimiting;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// Per-client rate limiting with .NET's built-in limiter (System.Threading.RateLimiting): a fixed window of one
/// minute per client address (RateLimit:PermitsPerMinute). Over it, a 429 problem with
/// Retry-After and the IETF RateLimit-Policy / RateLimit fields; /healthz is exempt so
/// monitors never see a 429. The client address is the connection's; X-Forwarded-For is
/// believed only from proxies listed in ForwardedHeaders:KnownProxies (see ApiConventions).
/// With RateLimit:Redis (a StackExchange.Redis configuration string), every replica counts against one
/// budget per client in Redis, and against its own while Redis is unusable (SharedOrLocalLimiter).
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
        var redis = configuration["RateLimit:Redis"];
        if (string.IsNullOrWhiteSpace(redis))
        {
            Func<IPAddress, RateLimiter> newWindow = _ => new FixedWindowRateLimiter(options);
            var limiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(http => RateLimitPartition.Get(ClientKey(http), newWindow));
            services.AddSingleton(new ClientLimiter(limiter, permits, Policy(permits), Shared: false));
            return services;
        }
        return services.AddSharedRateLimiting(redis, permits, options);
    }

    /// <summary>
    /// Shared: each client's partition asks Redis (RedisRateLimiting's fixed window, keyed by the address) and
    /// falls back on a window of this replica's own. The connection is one for the process, disposed with it.
    /// </summary>
    /// <remarks>
    /// A method of its own, never inlined, so a replica without Redis does not load StackExchange.Redis
    /// (the JIT loads the assemblies of the types a method names when it compiles that method).
    /// </remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IServiceCollection AddSharedRateLimiting(this IServiceCollection services, string redis, int permits, FixedWindowRateLimiterOptions options)
    {
        var redisOptions = RedisBudgetConnection.Options(redis);
        services.AddSingleton(provider => new RedisBudgetConnection(redisOptions,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("OpenGovernanceApi.RateLimits")));
        services.AddSingleton(provider =>
        {
            var connection = provider.GetRequiredService<RedisBudgetConnection>();
            var windowOptions = new RedisFixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = TimeSpan.FromSeconds(WindowSeconds),
                ConnectionMultiplexerFactory = () => connection.Multiplexer,
            };
            Func<IPAddress, RateLimiter> newClient = address => new SharedOrLocalLimiter(
                () => new RedisFixedWindowRateLimiter<string>("ogov:" + address, windowOptions),
                () => new FixedWindowRateLimiter(options),
                connection.Budget);
            var limiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(http => RateLimitPartition.Get(ClientKey(http), newClient));
            return new ClientLimiter(limiter, permits, Policy(permits), Shared: true);
        });
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
        if (client.Shared) return app.Use(async (http, next) =>
        {
            if (IsExempt(http)) { await next(http); return; }
            // Asynchronous: the shared window is a round trip to Redis (RedisRateLimiting refuses AttemptAcquire).
            using (var lease = await client.Limiter.AcquireAsync(http))
            {
                http.Response.Headers["RateLimit-Policy"] = client.Policy;
                if (!lease.IsAcquired) { await RejectAsync(http, lease, client.Permits); return; }
                lease.TryGetMetadata(SharedOrLocalLimiter.Remaining, out var remaining);
                http.Response.Headers["RateLimit"] = $"\"{PolicyName}\";r={remaining}";
            }
            await next(http);
        });
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

    // Shared: the partitions are SharedOrLocalLimiter (RateLimit:Redis), so permits are taken asynchronously.
    public sealed record ClientLimiter(PartitionedRateLimiter<HttpContext> Limiter, int Permits, string Policy, bool Shared);

    private static string Policy(int permits) => $"\"{PolicyName}\";q={permits};w={WindowSeconds}";

    // An endpoint mapped with .DisableRateLimiting() (the framework's own marker), e.g. /healthz; routing has run.
    private static bool IsExempt(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.DisableRateLimitingAttribute>() is not null
        || Readiness.IsWarmUp(http); // the replica's own warm-up spends no client's budget

    private static IPAddress ClientKey(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip) : IPAddress.IPv6None;
}
