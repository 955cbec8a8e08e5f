using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// The real API over the real bundled SQLite file, through an in-memory HTTP server. Each
/// test class gets its own app; settings can be overridden per factory (rate limits).
/// </summary>
public class GovernanceApiFactory : WebApplicationFactory<Program>
{
    /// <summary>Header the tests use to play different client addresses (see ClientAddressFromTestHeader).</summary>
    public const string TestClientHeader = "X-Test-Client-Address";

    private readonly Dictionary<string, string?> _settings = new()
    {
        ["RateLimit:PermitsPerMinute"] = "100000",
    };

    public GovernanceApiFactory WithSetting(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Request lines would only fill the test run's output; the real process's are tested in ProcessTests.
        builder.UseSetting("Logging:LogLevel:OpenGovernanceApi.Requests", "Warning");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromTestHeader>());
    }

    /// <summary>
    /// The in-memory server has no client address; tests give one in a header so that
    /// per-client rate limiting can be exercised. Only the test host installs this.
    /// </summary>
    private sealed class ClientAddressFromTestHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, nextMiddleware) =>
            {
                http.Connection.RemoteIpAddress = IPAddress.TryParse(http.Request.Headers[TestClientHeader], out var ip) ? ip : IPAddress.Loopback;
                await nextMiddleware(http);
            });
            next(app);
        };
    }
}

/// <summary>Helpers named for what a client does.</summary>
public static class ClientExtensions
{
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>GET that must answer a problem+json with the given status; returns the problem.</summary>
    public static async Task<JsonElement> GetProblemAsync(this HttpClient client, string url, HttpStatusCode expected, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.DoesNotContain("   at ", body); // never a stack trace
        return problem;
    }

    public static IReadOnlyList<string> Ids(this JsonElement collection) =>
        collection.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();

    public static string Str(this JsonElement e, string path)
    {
        foreach (var part in path.Split('.')) e = e.GetProperty(part);
        return e.ValueKind == JsonValueKind.Null ? null! : e.ToString();
    }
}

/// <summary>Where the repository is, found from the test's own location.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "OpenGovernanceApi.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>A scratch copy of db/ (schema, data, release notes) for tests that edit it; the caller deletes it.</summary>
    public static string CopyOfDb()
    {
        var target = Directory.CreateTempSubdirectory("ogov-db-").FullName;
        foreach (var file in Directory.GetFiles(Path("db"), "*", SearchOption.AllDirectories))
        {
            var to = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(Path("db"), file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }
}

/// <summary>/v1/downloads/governance.sqlite saved to a scratch folder and opened read-only, as a researcher would.</summary>
public sealed class DownloadedDatabase : IDisposable
{
    private readonly DirectoryInfo _folder;
    public byte[] Bytes { get; }
    public Microsoft.Data.Sqlite.SqliteConnection Connection { get; }

    private DownloadedDatabase(DirectoryInfo folder, byte[] bytes, Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        _folder = folder;
        Bytes = bytes;
        Connection = connection;
    }

    public static async Task<DownloadedDatabase> FetchAsync(HttpClient client)
    {
        var bytes = await client.GetByteArrayAsync("/v1/downloads/governance.sqlite");
        var folder = Directory.CreateTempSubdirectory("ogov-download-");
        var path = System.IO.Path.Combine(folder.FullName, "governance.sqlite");
        await File.WriteAllBytesAsync(path, bytes);
        var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=false");
        connection.Open();
        return new DownloadedDatabase(folder, bytes, connection);
    }

    public object? Scalar(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public List<string> Strings(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }

    public void Dispose()
    {
        Connection.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
