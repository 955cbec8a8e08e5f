using Microsoft.Data.Sqlite;

namespace OpenGovernanceApi.Data;

/// <summary>
/// The read-only SQLite database the API serves. Opened with Mode=ReadOnly and, on every
/// connection, PRAGMA query_only, so no endpoint can write even by mistake.
/// </summary>
public sealed class GovernanceDb
{
    /// <summary>The schema this code was written for; any other version refuses to start.</summary>
    public const string ExpectedSchemaVersion = "4";

    private readonly string _connectionString;

    private GovernanceDb(string path, string dataVersion, string license, IReadOnlyList<IReadOnlyList<string>> synonyms)
    {
        Path = path;
        DataVersion = dataVersion;
        License = license;
        Synonyms = synonyms;
        _connectionString = ConnectionString(path);
    }

    public string Path { get; }

    /// <summary>The data release: SHA-256 (prefix) of db/ as built. Part of every ETag and cursor.</summary>
    public string DataVersion { get; }

    public string License { get; }

    /// <summary>Groups of words searched as one (社工, 社会工作), read once from the immutable database.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Synonyms { get; }

    // Counts by query, for this database only: it never changes while it is open.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>
    /// A count that grows with the data (every match of a filter), computed once per query for this
    /// database: a crawler walking a filter's pages needs it on every page. Bounded: odd queries cannot grow it.
    /// </summary>
    public async Task<int> CountOnceAsync(string query, Func<Task<int>> count)
    {
        if (_counts.TryGetValue(query, out var known)) return known;
        var total = await count();
        if (_counts.Count < 10_000) _counts[query] = total;
        return total;
    }

    // What fixed queries read, by name, for this database only: it never changes while it is open.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<object>> _reads = new(StringComparer.Ordinal);

    /// <summary>
    /// What a fixed query reads (the names of the units, how many statistics quote each source), read once for this
    /// database and shared by every request after it. Only for a few names written in the code, never for anything
    /// a client's parameters shape (that is CountOnceAsync, bounded).
    /// </summary>
    public async Task<T> ReadOnceAsync<T>(string name, Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken) where T : class =>
        (T)await _reads.GetOrAdd(name, async _ =>
        {
            await using var connection = await OpenAsync(CancellationToken.None); // shared: not one request's to cancel
            return await read(connection);
        }).WaitAsync(cancellationToken);

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // query_only is a setting of SQLite's handle, which the pool hands out again and again: set once per
        // handle, not on every open (a page's loading opens a connection five times).
        if (!QueryOnlyHandles.TryGetValue(connection.Handle!, out _))
        {
            await connection.ExecuteAsync("PRAGMA query_only = 1;");
            QueryOnlyHandles.AddOrUpdate(connection.Handle!, QueryOnly);
        }
        return connection;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> QueryOnlyHandles = new();
    private static readonly object QueryOnly = new();

    /// <summary>
    /// Opens the file and checks it is an intact database of our schema. Throws
    /// <see cref="DatabaseUnusableException"/> with a one-line reason otherwise.
    /// </summary>
    public static GovernanceDb Open(string path)
    {
        UseSqliteWithoutGlobalLocks();
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new DatabaseUnusableException(full, "file not found");
        try
        {
            using var connection = new SqliteConnection(ConnectionString(full));
            connection.Open();
            var check = connection.ExecuteScalar<string>("PRAGMA quick_check;");
            if (check != "ok") throw new DatabaseUnusableException(full, $"integrity check failed: {check}");
            var meta = connection.Query<(string Key, string Value)>("SELECT key, value FROM meta").ToDictionary(m => m.Key, m => m.Value);
            if (!meta.TryGetValue("schema_version", out var schema) || schema != ExpectedSchemaVersion)
                throw new DatabaseUnusableException(full, $"schema version {schema ?? "(none)"} does not match the expected {ExpectedSchemaVersion}; rebuild it with `dotnet build`");
            if (!meta.TryGetValue("data_version", out var version))
                throw new DatabaseUnusableException(full, "no data_version in table meta");
            var synonyms = connection.Query<(long Group, string Term)>("SELECT group_id, term FROM synonyms ORDER BY group_id, term")
                .GroupBy(s => s.Group).Select(g => (IReadOnlyList<string>)g.Select(s => s.Term).ToList()).ToList();
            return new GovernanceDb(full, version, meta.GetValueOrDefault("license") ?? "CC-BY-4.0", synonyms);
        }
        catch (SqliteException e)
        {
            throw new DatabaseUnusableException(full, $"not a usable SQLite database ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>
    /// Two process-wide locks SQLite takes by default that this API never needs. Multi-thread mode instead of
    /// serialized: a connection is never used by two threads at once here (one request at a time, from the
    /// pool), so the mutex SQLite takes on every call is pure cost. No memory statistics: else every
    /// allocation SQLite makes takes one global mutex, which two requests reading at once contend for.
    /// Measured on answers computed afresh (CPU per request): the 1000x database's regions layer 112-115 ms
    /// against 175-180 before, its search 9.3 against 11.4, a page of 100 on the real one 2.06-2.18 against
    /// 2.19-2.32. Only possible before SQLite starts; later (a second app in one process, as in tests)
    /// the calls fail harmlessly and SQLite keeps its defaults.
    /// </summary>
    private static void UseSqliteWithoutGlobalLocks()
    {
        if (Interlocked.Exchange(ref _sqliteConfigured, 1) != 0) return;
        SQLitePCL.Batteries_V2.Init();
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }

    private static int _sqliteConfigured;

    private static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadOnly,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
    }.ToString();
}

public sealed class DatabaseUnusableException(string path, string reason)
    : Exception($"cannot serve database {path}: {reason}");

public static class GovernanceDbExtensions
{
    /// <summary>
    /// Registers the database named by Database:Path (default: the bundled governance.db).
    /// Opening it here, before the app is built, makes a missing or corrupt file stop
    /// start-up instead of failing on the first request.
    /// </summary>
    public static GovernanceDb AddGovernanceDatabase(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["Database:Path"];
        var path = string.IsNullOrWhiteSpace(configured)
            ? System.IO.Path.Combine(AppContext.BaseDirectory, "governance.db")
            : configured;
        var db = GovernanceDb.Open(path);
        builder.Services.AddSingleton(db);
        return db;
    }

}
