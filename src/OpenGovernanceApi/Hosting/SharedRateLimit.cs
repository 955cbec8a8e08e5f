using System.Diagnostics;
using System.Threading.RateLimiting;

using RedisRateLimiting;

using StackExchange.Redis;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// One client's budget shared by every replica (RateLimit:Redis): RedisRateLimiting's fixed window in Redis,
/// and while Redis cannot answer, this replica's own fixed window instead, so that an outage of Redis
/// loosens the limit (to one budget per replica) but never turns a request into an error.
/// </summary>
/// <remarks>
/// Why a wrapper and not a second middleware: the PartitionedRateLimiter in RateLimits stays the one place
/// a request takes its permit; each client's partition is this limiter, which asks Redis when
/// <see cref="SharedBudget"/> says Redis is usable and falls back on its local window when it is not or
/// when the call fails. Nothing is queued or retried per request: the connection reconnects by itself
/// (StackExchange.Redis, every second here), and a call that failed while the connection seemed up keeps
/// this replica off Redis for a short backoff (2 s), so a hung Redis costs one timeout per backoff, not one
/// per request.
/// </remarks>
public sealed class SharedOrLocalLimiter(Func<RateLimiter> newShared, Func<RateLimiter> newLocal, SharedBudget budget) : RateLimiter
{
    /// <summary>What is left of the client's budget after this request, on every lease this limiter returns.</summary>
    public static readonly MetadataName<long> Remaining = MetadataName.Create<long>("REMAINING");

    // Made on first use: a client seen only while Redis is up never needs the local window (and its timer),
    // one seen only while Redis is down never needs the Redis one.
    private RateLimiter? _shared;
    private RateLimiter? _local;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (budget.ShouldAskRedis)
        {
            try
            {
                var shared = LazyInitializer.EnsureInitialized(ref _shared, newShared);
                using var lease = await shared.AcquireAsync(permitCount, cancellationToken);
                budget.Succeeded();
                return new ClientLease(lease.IsAcquired,
                    lease.TryGetMetadata(RateLimitMetadataName.Remaining, out var left) ? left : 0,
                    lease.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var seconds) ? TimeSpan.FromSeconds(seconds) : null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // RedisConnectionException, RedisTimeoutException (a TimeoutException), a server error while Redis
                // loads its data, or anything else: the request is served under the local limit, never failed.
                budget.Failed(e);
            }
        }
        return AttemptAcquireCore(permitCount);
    }

    /// <summary>The local window alone (also what a synchronous caller gets: Redis is only asked asynchronously).</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        var local = LazyInitializer.EnsureInitialized(ref _local, newLocal);
        using var lease = local.AttemptAcquire(permitCount);
        return new ClientLease(lease.IsAcquired, local.GetStatistics()?.CurrentAvailablePermits ?? 0,
            lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null);
    }

    public override RateLimiterStatistics? GetStatistics() => _local?.GetStatistics();

    /// <summary>Idle (and so removable by the partitioned limiter) only when each window made is idle: the shortest.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            TimeSpan? shared = _shared?.IdleDuration, local = _local?.IdleDuration;
            if ((_shared is not null && shared is null) || (_local is not null && local is null)) return null;
            return shared is { } s && local is { } l ? (s < l ? s : l) : shared ?? local ?? TimeSpan.Zero;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _shared?.Dispose();
        _local?.Dispose();
    }

    private sealed class ClientLease(bool acquired, long remaining, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames =>
            retryAfter is null ? [Remaining.Name] : [Remaining.Name, MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == Remaining.Name ? remaining
                : metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}

/// <summary>
/// Whether this replica asks Redis for permits now, and the log lines when that changes: a warning when it
/// falls back to its own limit, an information line when the budget is shared again. One per process.
/// `connected` tells whether the connection is up (null while it is first being made: no warning then);
/// after a call fails, Redis is not asked again for `backoff`.
/// </summary>
public sealed class SharedBudget(ILogger logger, Func<bool?> connected, TimeSpan backoff)
{
    private long _retryAt;        // Stopwatch timestamp; Redis is not asked before it (after a failed call)
    private int _local;           // 1 while this replica counts on its own

    /// <summary>The connection is up and no call failed within the backoff.</summary>
    public bool ShouldAskRedis
    {
        get
        {
            switch (connected())
            {
                case null: return false;
                case false: FallBack("not connected"); return false;
            }
            return Stopwatch.GetTimestamp() >= Volatile.Read(ref _retryAt);
        }
    }

    public void Succeeded()
    {
        if (Interlocked.Exchange(ref _local, 0) == 1)
            logger.LogInformation("Rate limit: Redis answers again; every replica counts against one shared budget");
    }

    public void Failed(Exception e)
    {
        Volatile.Write(ref _retryAt, Stopwatch.GetTimestamp() + (long)(backoff.TotalSeconds * Stopwatch.Frequency));
        FallBack($"{e.GetType().Name}: {e.Message}");
    }

    private void FallBack(string why)
    {
        if (Interlocked.Exchange(ref _local, 1) == 0)
            logger.LogWarning("Rate limit: Redis unusable ({Reason}); each replica counts its clients on its own until it is back", why);
    }
}

/// <summary>
/// The connection to Redis for the shared budget, opened in the background at start-up: the API starts and
/// serves (under the local limit) whether or not Redis is there, and the connection comes up when Redis does.
/// </summary>
public sealed class RedisBudgetConnection : IAsyncDisposable
{
    private readonly Task<ConnectionMultiplexer> _connecting;

    /// <summary>
    /// RateLimit:Redis as StackExchange.Redis options, with what a per-request permit needs; throws on a string
    /// it cannot read (called at start-up, so a typo stops the API there instead of loosening its limit).
    /// </summary>
    public static ConfigurationOptions Options(string configuration)
    {
        ConfigurationOptions options;
        try { options = ConfigurationOptions.Parse(configuration); }
        catch (ArgumentException e) { throw new InvalidSettingException("RateLimit:Redis", e.Message); }
        if (options.EndPoints.Count == 0) throw new InvalidSettingException("RateLimit:Redis", "names no endpoint (host:port)");
        // Never fail for want of Redis: start without it and keep reconnecting (every second: LinearRetry) ...
        options.AbortOnConnectFail = false;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        // ... and while disconnected fail a command at once instead of queueing it until its timeout.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        // A permit is asked for on every request: a Redis that does not answer within these is treated as down.
        // The configuration string can set them (connectTimeout=, asyncTimeout=); the library's 5 s each is too long here.
        if (!Mentions(configuration, "connectTimeout")) options.ConnectTimeout = 1000;
        if (!Mentions(configuration, "asyncTimeout")) options.AsyncTimeout = 500;
        return options;
    }

    public RedisBudgetConnection(ConfigurationOptions options, ILogger logger)
    {
        _connecting = ConnectionMultiplexer.ConnectAsync(options);
        Budget = new SharedBudget(logger,
            () => _connecting.IsCompleted ? _connecting.IsCompletedSuccessfully && _connecting.Result.IsConnected : null,
            TimeSpan.FromSeconds(2));
        // Say at start-up which it is (a refused connection completes at once, an unanswered one after connectTimeout).
        _connecting.ContinueWith(connecting =>
        {
            if (connecting.IsCompletedSuccessfully && connecting.Result.IsConnected)
                logger.LogInformation("Rate limit: one budget per client shared by every replica, in Redis at {Endpoints}",
                    string.Join(", ", options.EndPoints));
            else _ = Budget.ShouldAskRedis; // logs the warning
        }, TaskScheduler.Default);
    }

    public SharedBudget Budget { get; }

    /// <summary>The multiplexer, once made (ShouldAskRedis is false before, so RedisRateLimiting asks only then).</summary>
    public IConnectionMultiplexer Multiplexer => _connecting.Result;

    public async ValueTask DisposeAsync()
    {
        if (_connecting.IsCompletedSuccessfully) await _connecting.Result.DisposeAsync();
    }

    private static bool Mentions(string configuration, string key) =>
        configuration.Contains(key + "=", StringComparison.OrdinalIgnoreCase);
}
