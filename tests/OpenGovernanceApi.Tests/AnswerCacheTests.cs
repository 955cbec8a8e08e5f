using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenGovernanceApi.Formats;
using OpenGovernanceApi.Hosting;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// The answer cache as its counters show it (meter OpenGovernanceApi.Caching, read for this app only):
/// a crowd computes a new answer once, an answer is kept from its second request, the memory budget
/// evicts the oldest, and every copy of one representation is the same bytes.
/// </summary>
public class AnswerCacheTests
{
    /// <summary>The cache's counters of one app, as they move.</summary>
    private sealed class CacheCounters : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _totals = new();

        public CacheCounters(GovernanceApiFactory factory)
        {
            _ = factory.Server; // the app is built, its meters created
            var scope = factory.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CacheMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _totals.AddOrUpdate(instrument.Name, value, (_, old) => old + value));
            _listener.Start();
        }

        public long this[string name] => _totals.GetValueOrDefault("opengovernance.cache." + name);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>
    /// The app with a door in front of it (outermost, before the cache) that holds requests marked as a
    /// crowd until all of them have arrived, then lets them in together: they are then truly at once.
    /// </summary>
    private sealed class CrowdFactory(int crowd) : GovernanceApiFactory
    {
        public const string Header = "X-Test-Crowd";
        private readonly int _crowd = crowd;
        private int _arrived;
        private readonly TaskCompletionSource _allHere = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new Door(this)));
        }

        private sealed class Door(CrowdFactory factory) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use(async (http, nextMiddleware) =>
                {
                    if (http.Request.Headers.ContainsKey(Header))
                    {
                        if (Interlocked.Increment(ref factory._arrived) == factory._crowd) factory._allHere.SetResult();
                        await factory._allHere.Task.WaitAsync(TimeSpan.FromSeconds(30));
                    }
                    await nextMiddleware(http);
                });
                next(app);
            };
        }
    }

    [Fact]
    public async Task ACrowdAskingForTheSameNewUrlAtOnceHasItComputedOnceNotOncePerClient()
    {
        const int crowd = 24;
        using var factory = new CrowdFactory(crowd);
        using var counters = new CacheCounters(factory);
        var client = factory.CreateClient();
        var answers = await Task.WhenAll(Enumerable.Range(0, crowd).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/regions?format=geojson&level=district");
            request.Headers.Add(CrowdFactory.Header, "1");
            using var response = await client.SendAsync(request);
            return (response.StatusCode, response.Headers.ETag?.Tag, Body: await response.Content.ReadAsByteArrayAsync());
        }));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(answers.Select(a => a.Tag).Distinct());
        Assert.All(answers, a => Assert.Equal(answers[0].Body, a.Body));
        // Once (the rest wait at the gate, then read the kept copy), or twice when a loaded machine lets the first
        // request finish before any other reaches the gate: a URL asked for once is sent, not kept, so the second
        // computes it again and keeps it, and every later one reads that. Without the gate: once per client (24).
        Assert.InRange(counters["computed"], 1, 2);
        Assert.Equal(1, counters["kept"]); // asked for by several: kept once
    }

    [Fact]
    public async Task AnAnswerIsKeptFromItsSecondRequestThenServedFromMemory()
    {
        using var factory = new GovernanceApiFactory();
        using var counters = new CacheCounters(factory);
        var client = factory.CreateClient();
        const string url = "/v1/statistics?limit=7&sort=-value";
        var first = await client.GetByteArrayAsync(url);
        Assert.Equal((1, 0), (counters["computed"], counters["kept"])); // asked once: sent and forgotten
        var second = await client.GetByteArrayAsync(url);
        Assert.Equal((2, 1), (counters["computed"], counters["kept"]));
        var third = await client.GetByteArrayAsync(url);
        Assert.Equal((2, 1L), (counters["computed"], counters["hits"]));
        Assert.Equal(first, second);
        Assert.Equal(first, third);
    }

    [Fact]
    public async Task OverTheMemoryBudgetTheOldestAnswerIsEvictedAndComputedAgainWhenAskedFor()
    {
        const string a = "/v1/statistics?limit=20&sort=period", b = "/v1/statistics?limit=20&sort=-period";
        int size;
        using (var measure = new GovernanceApiFactory())
            size = (await measure.CreateClient().GetByteArrayAsync(a)).Length;
        // Room for one of the two answers (of about the same size), not for both.
        using var factory = new GovernanceApiFactory().WithSetting("Caching:MemoryBudgetBytes", (size * 3 / 2).ToString());
        using var counters = new CacheCounters(factory);
        var client = factory.CreateClient();
        foreach (var url in new[] { a, a, b, b }) await client.GetByteArrayAsync(url);
        Assert.Equal(2, counters["kept"]);
        Assert.Equal(1, counters["evicted"]);
        var computed = counters["computed"];
        await client.GetByteArrayAsync(b);
        Assert.Equal(computed, counters["computed"]); // b, the newer, is still kept
        await client.GetByteArrayAsync(a);
        Assert.Equal(computed + 1, counters["computed"]); // a was evicted: computed again (and kept, b making room)
        Assert.Equal(2, counters["evicted"]);
    }

    [Fact]
    public async Task EveryCopyOfABrotliAnswerIsTheSameBytesUnderItsStrongETag()
    {
        using var factory = new GovernanceApiFactory();
        var client = factory.CreateClient();
        var copies = new List<(string? ETag, byte[] Body)>();
        // Computed for one asker, then kept and compressed on demand, then served from memory.
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics?limit=50&sort=value");
            request.Headers.AcceptEncoding.ParseAdd("br");
            using var response = await client.SendAsync(request);
            Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
            copies.Add((response.Headers.ETag?.Tag, await response.Content.ReadAsByteArrayAsync()));
        }
        Assert.Single(copies.Select(c => c.ETag).Distinct());
        Assert.All(copies, c => Assert.Equal(copies[0].Body, c.Body));
    }

    [Fact]
    public async Task TwoDatabasesServedInOneProcessEachCountTheirOwnStatistics()
    {
        var copy = Path.Combine(Directory.CreateTempSubdirectory("ogov-counts-").FullName, "governance.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "governance.db"), copy);
        using (var connection = new SqliteConnection($"Data Source={copy};Pooling=false"))
            connection.Execute("""
                DELETE FROM statistics WHERE id IN (SELECT id FROM statistics WHERE kind = 'actual'
                  AND id NOT IN (SELECT statistic_id FROM statistic_conflicts) AND id NOT IN (SELECT other_id FROM statistic_conflicts) LIMIT 10)
                """);
        using var whole = new GovernanceApiFactory();
        using var smaller = new GovernanceApiFactory().WithSetting("Database:Path", copy);
        async Task<int> Total(GovernanceApiFactory f) =>
            (await f.CreateClient().GetJsonAsync("/v1/statistics?limit=1&kind=actual")).GetProperty("meta").GetProperty("total").GetInt32();
        var all = await Total(whole);
        Assert.Equal(all - 10, await Total(smaller)); // the same data release, the same query: another database
    }
}
