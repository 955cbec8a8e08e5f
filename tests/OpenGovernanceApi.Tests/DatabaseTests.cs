using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenGovernanceApi.Data;
using OpenGovernanceApi.DataBuild;

namespace OpenGovernanceApi.Tests;

/// <summary>The database: built reproducibly from db/, validated, opened read-only, refused when unusable.</summary>
public class DatabaseTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    [Fact]
    public async Task TheApiCannotWriteThroughItsConnection()
    {
        _ = factory.CreateClient();
        var db = factory.Services.GetRequiredService<GovernanceDb>();
        await using var connection = await db.OpenAsync(CancellationToken.None);
        var e = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("DELETE FROM statistics"));
        Assert.Contains("readonly", e.Message.Replace("-", "").Replace(" ", ""), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA query_only"));
    }

    [Fact]
    public async Task AConnectionTheSamePoolHandsOutAgainStillCannotWrite()
    {
        _ = factory.CreateClient();
        var db = factory.Services.GetRequiredService<GovernanceDb>();
        for (var open = 0; open < 3; open++)
        {
            await using var connection = await db.OpenAsync(CancellationToken.None);
            Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA query_only"));
            // Mode=ReadOnly alone would let a temporary table be written; query_only does not.
            await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("CREATE TEMP TABLE scratch (x)"));
        }
    }

    [Fact]
    public void BuildingTwiceFromTheSameTextGivesTheSameBytes()
    {
        var dir = Directory.CreateTempSubdirectory("ogov-build-");
        var dataset = Dataset.Load(Repository.Path("db"), out var errors);
        Assert.Empty(errors);
        var a = Path.Combine(dir.FullName, "a.db");
        var b = Path.Combine(dir.FullName, "b.db");
        var versionA = DatabaseWriter.Write(dataset, Repository.Path("db"), a);
        var versionB = DatabaseWriter.Write(dataset, Repository.Path("db"), b);
        Assert.Equal(versionA, versionB);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        dir.Delete(recursive: true);
    }

    [Fact]
    public void TheBundledDatabaseIsTheOneBuiltFromTheRepositoryText()
    {
        _ = factory.CreateClient();
        var db = factory.Services.GetRequiredService<GovernanceDb>();
        Assert.Equal(DatabaseWriter.DataVersion(Repository.Path("db")), db.DataVersion);
    }

    [Theory]
    [InlineData("\"unit\": \"persons\"", "\"unit\": \"people\"", "unit 'people' does not exist")]
    [InlineData("\"comparator\": \"eq\"", "\"comparator\": \"about\"", "unknown comparator 'about'")]
    [InlineData("\"source\": \"pc2019\"", "\"source\": \"pc2099\"", "source 'pc2099' does not exist")]
    public void ABrokenRowFailsValidationNamingTheFileAndTheRow(string find, string replace, string message)
    {
        var copy = Repository.CopyOfDb();
        var file = Path.Combine(copy, "data", "statistics", "pc2019.json");
        var text = File.ReadAllText(file);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{find} not in {file}");
        File.WriteAllText(file, text[..at] + replace + text[(at + find.Length)..]);
        var errors = Validate(copy);
        Assert.Contains(errors, e => e.Contains("statistics/pc2019.json") && e.Contains(message));
    }

    /// <summary>
    /// The texts are checked when they are at hand (../shared/seeds, outside the repository); the record of
    /// verified quotes (db/quotes.verified) always. Which of the two ran shows in the test list.
    /// </summary>
    public static IEnumerable<object[]> QuoteChecks()
    {
        yield return ["record"];
        if (SeedsFolder() is not null) yield return ["texts"];
    }

    [Theory]
    [MemberData(nameof(QuoteChecks))]
    public void AQuoteThatIsNotInTheSourceTextFailsValidation(string against)
    {
        var copy = Repository.CopyOfDb();
        var file = Path.Combine(copy, "data", "statistics", "pc2019.json");
        var text = File.ReadAllText(file);
        Assert.Contains("426.7万", text);
        File.WriteAllText(file, text.Replace("426.7万", "462.7万"));
        var errors = Validate(copy, against == "texts" ? SeedsFolder() : null);
        Assert.Contains(errors, e => e.Contains(against == "texts" ? "does not stand character for character" : "was never checked against source 'pc2019'") && e.Contains("462.7万"));
    }

    [Fact]
    public void TheCountsInDbReadmeAreTheDatasets()
    {
        var readme = File.ReadAllText(Repository.Path("db/README.md"));
        var start = readme.IndexOf("<!-- counts:begin -->\n", StringComparison.Ordinal) + "<!-- counts:begin -->\n".Length;
        var end = readme.IndexOf("<!-- counts:end -->", StringComparison.Ordinal);
        var dataset = Dataset.Load(Repository.Path("db"), out var errors);
        Assert.Empty(errors);
        Assert.Equal(DatasetCounts.Table(dataset), readme[start..end]);
    }

    [Theory]
    [InlineData("goals", "14th-goal-certified-social-workers", "\"measure\": \"14th-project-5\"", "\"measure\": \"13th-measure-1\"", "measure '13th-measure-1' is not a measure of plan '14th'")]
    [InlineData("measures", "art2018-reform-opinion-2015-tasks-1", "\"policy\": \"social-governance-reform-opinion-2015-08\"", "\"policy\": \"community-building-launched-2000\"", "is an event of kind 'milestone', not a policy document")]
    public void AStructureThatDoesNotHoldTogetherFailsValidation(string folder, string id, string find, string replace, string message)
    {
        var copy = Repository.CopyOfDb();
        var file = Directory.GetFiles(Path.Combine(copy, "data", folder), "*.json").Single(f => File.ReadAllText(f).Contains($"\"id\": \"{id}\""));
        var text = File.ReadAllText(file);
        var at = text.IndexOf(find, text.IndexOf($"\"id\": \"{id}\"", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(at >= 0, $"{find} not after {id}");
        File.WriteAllText(file, text[..at] + replace + text[(at + find.Length)..]);
        Assert.Contains(Validate(copy), e => e.Contains($"'{id}'") && e.Contains(message));
    }

    [Fact]
    public void ADuplicateIdFailsValidation()
    {
        var copy = Repository.CopyOfDb();
        var file = Path.Combine(copy, "data", "indicators", "zz-duplicate.json");
        File.WriteAllText(file, File.ReadAllText(Path.Combine(copy, "data", "indicators", "core.json")));
        Assert.Contains(Validate(copy), e => e.Contains("duplicate indicator id 'community-workers'"));
    }

    [Theory]
    [MemberData(nameof(QuoteChecks))]
    public void EveryQuoteStandsInItsSourceText(string against) =>
        Assert.Empty(Validate(Repository.Path("db"), against == "texts" ? SeedsFolder() : null));

    [Theory]
    [InlineData("missing", "file not found")]
    [InlineData("garbage", "not a usable SQLite database")]
    [InlineData("truncated", "not a usable SQLite database")]
    [InlineData("old-schema", "schema version 0 does not match")]
    public async Task AnUnusableDatabaseStopsStartUpWithOneLineAndANonZeroExit(string kind, string message)
    {
        var dir = Directory.CreateTempSubdirectory("ogov-bad-");
        var path = Path.Combine(dir.FullName, "governance.db");
        var bundled = Path.Combine(AppContext.BaseDirectory, "governance.db");
        switch (kind)
        {
            case "garbage": File.WriteAllText(path, "this is not a database, just text"); break;
            case "truncated": File.WriteAllBytes(path, File.ReadAllBytes(bundled)[..5000]); break;
            case "old-schema":
                File.Copy(bundled, path);
                using (var c = new SqliteConnection($"Data Source={path};Pooling=false"))
                    c.Execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'");
                break;
        }
        var (exit, stdout, stderr) = await RunApi(path);
        Assert.NotEqual(0, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line);
        Assert.Contains(path, line);
        dir.Delete(recursive: true);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunApi(string databasePath)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "OpenGovernanceApi.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["Database__Path"] = databasePath;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(true); throw new Xunit.Sdk.XunitException("the API kept running on an unusable database"); }
        return (process.ExitCode, await stdout, await stderr);
    }

    internal static string? SeedsFolder()
    {
        var seeds = Path.GetFullPath(Path.Combine(Repository.Root, "..", "shared", "seeds"));
        return Directory.Exists(seeds) ? seeds : null;
    }

    internal static List<string> Validate(string dbFolder, string? seeds = null)
    {
        var dataset = Dataset.Load(dbFolder, out var loadErrors);
        return [.. loadErrors, .. new DatasetValidator(dataset, seeds, QuoteRecord.Read(dbFolder)).Validate()];
    }
}
