using System.Diagnostics.Metrics;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// What the answer cache does, as counters an operator reads with dotnet-counters or an OpenTelemetry
/// exporter (meter `OpenGovernanceApi.Caching`), and the tests read to see that a crowd computes an
/// answer once, that an answer is kept from its second request, and that the budget evicts.
/// </summary>
public sealed class CacheMetrics
{
    public const string MeterName = "OpenGovernanceApi.Caching";

    public CacheMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Computed = meter.CreateCounter<long>("opengovernance.cache.computed", description: "Answers computed by their endpoint (not served from memory).");
        Kept = meter.CreateCounter<long>("opengovernance.cache.kept", description: "Answers kept in memory.");
        Hits = meter.CreateCounter<long>("opengovernance.cache.hits", description: "Answers served from memory.");
        NotModified = meter.CreateCounter<long>("opengovernance.cache.not_modified", description: "304s: the client's copy was current.");
        Evicted = meter.CreateCounter<long>("opengovernance.cache.evicted", description: "Kept answers dropped to stay within the memory budget.");
    }

    public Counter<long> Computed { get; }
    public Counter<long> Kept { get; }
    public Counter<long> Hits { get; }
    public Counter<long> NotModified { get; }
    public Counter<long> Evicted { get; }
}
