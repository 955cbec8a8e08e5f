using System.Diagnostics;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenGovernanceApi.Data;
using OpenGovernanceApi.DataBuild;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// db/data/passages: the paragraphs of the source texts that hold a quote, committed so that a clean clone (without
/// ../shared/seeds) can still show a quote inside its paragraph. The build places every quote in one and refuses
/// what does not hold together; the placements in the database are exact.
/// </summary>
public class PassagesTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    public static IEnumerable<object[]> QuoteChecks() => DatabaseTests.QuoteChecks();

    private static string? Seeds(string against) => against == "texts" ? DatabaseTests.SeedsFolder() : null;

    /// <summary>Edits the JSON array of a data file of a scratch copy of db/.</summary>
    private static void Edit(string copy, string relative, Action<JsonArray> edit)
    {
        var path = Path.Combine(copy, relative);
        var rows = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        edit(rows);
        File.WriteAllText(path, rows.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(QuoteChecks))]
    public void AStatisticWhoseQuoteIsInNoPassageIsRefusedNamingTheRow(string against)
    {
        var copy = Repository.CopyOfDb();
        // Paragraph 13 of pc2019 stands in the text, but no record quoted it until now, so it is no passage.
        const string quote = "同时,改革开放40年来首先在北京实现了城市社区基本公共服务全覆盖";
        Edit(copy, "data/statistics/pc2019.json", rows => rows.Add(new JsonObject
        {
            ["id"] = "zz-unplaced-2019-01-09-pc2019", ["indicator"] = "social-construction-years", ["region"] = "110000", ["period"] = "2019-01-09",
            ["value"] = 40, ["unit"] = "years", ["valueAsWritten"] = "40年", ["comparator"] = "eq", ["kind"] = "actual", ["plan"] = null,
            ["source"] = "pc2019", ["quote"] = quote, ["notes"] = null,
        }));
        var errors = DatabaseTests.Validate(copy, Seeds(against));
        Assert.Contains(errors, e => e.Contains("statistics/pc2019.json: 'zz-unplaced-2019-01-09-pc2019': quote is in no passage of source 'pc2019'") && e.Contains(quote));
        if (against == "texts") // the quote itself is right: only the passage is missing
            Assert.DoesNotContain(errors, e => e.Contains("zz-unplaced") && e.Contains("does not stand character for character"));
        Directory.Delete(copy, recursive: true);
    }

    [Theory]
    [MemberData(nameof(QuoteChecks))]
    public void APassageTakenAwayLeavesItsQuotesInNoPassageAndTheBuildSaysWhich(string against)
    {
        var copy = Repository.CopyOfDb();
        var dataset = Dataset.Load(copy, out _);
        var place = Passages.Places(dataset).Single(p => p.Row.Id == "registered-volunteers-2019-01-09-pc2019").Place;
        var placed = Passages.Places(dataset).Where(p => p.Place.Source == place.Source && p.Place.Ordinal == place.Ordinal).Select(p => p.Row.Id).ToList();
        Edit(copy, "data/passages/pc2019.json", rows => rows.Remove(rows.Single(r => (int)r!["ordinal"]! == place.Ordinal)));
        var errors = DatabaseTests.Validate(copy, Seeds(against));
        Assert.True(placed.Count > 1, "the volunteers' paragraph holds the quotes of several records");
        foreach (var id in placed) Assert.Contains(errors, e => e.Contains($"'{id}': quote is in no passage of source 'pc2019'"));
        Directory.Delete(copy, recursive: true);
    }

    [Theory]
    [MemberData(nameof(QuoteChecks))]
    public void APassageThatIsNotThatParagraphOfTheSourceTextIsRefused(string against)
    {
        var copy = Repository.CopyOfDb();
        // One character of art2018's paragraph 12 outside its quotes: 步行一刻钟 becomes 步行十分钟.
        Edit(copy, "data/passages/art2018.json", rows =>
        {
            var row = rows.Single(r => (int)r!["ordinal"]! == 12)!;
            Assert.StartsWith("步行一刻钟,", (string)row["text"]!);
            row["text"] = "步行十分钟," + ((string)row["text"]!)["步行一刻钟,".Length..];
        });
        var errors = DatabaseTests.Validate(copy, Seeds(against));
        Assert.Contains(errors, e => e.Contains("passages/art2018.json: 'passage 12'") &&
            e.Contains(against == "texts" ? "is not paragraph 12 of source 'art2018'" : "was never checked against source 'art2018'"));
        Assert.DoesNotContain(errors, e => e.Contains("quote is in no passage")); // its quotes still stand in it
        Directory.Delete(copy, recursive: true);
    }

    [Fact]
    public void APassageWithTheRightTextUnderAnotherNumberIsRefusedToo()
    {
        var seeds = DatabaseTests.SeedsFolder();
        if (seeds is null) return; // the numbers are checked against the texts; without them, the fingerprint of number and text is (test above)
        var copy = Repository.CopyOfDb();
        Edit(copy, "data/passages/art2018.json", rows => rows.Single(r => (int)r!["ordinal"]! == 12)!["ordinal"] = 11);
        Assert.Contains(DatabaseTests.Validate(copy, seeds), e => e.Contains("passages/art2018.json: 'passage 11'") && e.Contains("is not paragraph 11 of source 'art2018'"));
        Directory.Delete(copy, recursive: true);
    }

    [Fact]
    public void APassageThatHoldsNoQuoteIsRefused()
    {
        var copy = Repository.CopyOfDb();
        // Paragraph 8 of pc2016, which no record quotes.
        Edit(copy, "data/passages/pc2016.json", rows => rows.Add(new JsonObject
        {
            ["source"] = "pc2016", ["ordinal"] = 8, ["text"] = "2016年是“十三五”第一年,本市社会治理工作已经取得可喜成绩,基本实现“十三五”良好开局。",
        }));
        Assert.Contains(DatabaseTests.Validate(copy, DatabaseTests.SeedsFolder()), e => e.Contains("passages/pc2016.json: 'passage 8': holds no quote of any record"));
        Directory.Delete(copy, recursive: true);
    }

    [Fact]
    public void TheCommittedPassagesAreExactlyWhatTheToolWritesFromTheSourceTexts()
    {
        var seeds = DatabaseTests.SeedsFolder();
        if (seeds is null) return; // a clean clone cannot read the texts; the build checks the passages against quotes.verified there
        var dataset = Dataset.Load(Repository.Path("db"), out var errors);
        Assert.Empty(errors);
        var (passages, unplaced) = Passages.Select(dataset, seeds);
        Assert.Empty(unplaced);
        Assert.Equal(passages, dataset.Passages.Select(p => p.Row).OrderBy(p => p.Source, StringComparer.Ordinal).ThenBy(p => p.Ordinal));
        // And written to a copy, they are the committed bytes: nothing changes.
        var copy = Repository.CopyOfDb();
        Assert.Empty(Passages.Write(copy, passages));
        Directory.Delete(copy, recursive: true);
    }

    [Fact]
    public async Task TheBuildWithoutTheSourceTextsStillSucceedsAndPlacesEveryQuote()
    {
        var copy = Repository.CopyOfDb();
        var output = Path.Combine(copy, "governance.db");
        var builder = Path.Combine(AppContext.BaseDirectory, "OpenGovernanceApi.DataBuild.dll");
        var start = new ProcessStartInfo("dotnet", [builder, "--db", copy, "--out", output, "--seeds", Path.Combine(copy, "no-such-seeds")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var verified = File.ReadAllText(Path.Combine(copy, "quotes.verified"));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"the build failed: {await stderr}");
        Assert.Contains("warning: the source texts", await stdout);
        Assert.Equal(verified, File.ReadAllText(Path.Combine(copy, "quotes.verified"))); // only a build with the texts writes the record

        var dataset = Dataset.Load(copy, out _);
        using (var connection = new SqliteConnection($"Data Source={output};Mode=ReadOnly;Pooling=false"))
        {
            Assert.Equal(dataset.Passages.Count, connection.ExecuteScalar<int>("SELECT count(*) FROM passages"));
            Assert.Equal(Passages.QuotedRows(dataset).Count(), connection.ExecuteScalar<int>("SELECT count(*) FROM quote_places"));
        }
        Directory.Delete(copy, recursive: true);
    }

    /// <summary>Every quote of every table stands in the database exactly where quote_places says, in its source's passage.</summary>
    [Theory]
    [InlineData("plans")]
    [InlineData("statistics")]
    [InlineData("goals")]
    [InlineData("measures")]
    [InlineData("events")]
    public async Task EveryQuoteStandsInItsPassageAtItsPlace(string table)
    {
        _ = factory.CreateClient();
        await using var connection = await factory.Services.GetRequiredService<GovernanceDb>().OpenAsync(CancellationToken.None);
        var rows = (await connection.QueryAsync<(string Id, string Quote, string? Placed)>($"""
            SELECT t.id, t.quote, substr(p.text, q.quote_start + 1, length(t.quote))
            FROM {table} t
            LEFT JOIN quote_places q ON q.resource = '{table}' AND q.item_id = t.id AND q.source_id = t.source_id
            LEFT JOIN passages p ON p.source_id = q.source_id AND p.ordinal = q.passage_ordinal
            """)).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(r.Quote == r.Placed, $"{table} '{r.Id}': the quote is not at its place in its passage ({r.Placed})"));
    }

    [Fact]
    public async Task APassageIsTheFirstThatHoldsItsQuoteAndEveryPassageHoldsOne()
    {
        _ = factory.CreateClient();
        await using var connection = await factory.Services.GetRequiredService<GovernanceDb>().OpenAsync(CancellationToken.None);
        // No earlier passage of the same source holds the quote.
        var earlier = await connection.QueryAsync<string>("""
            SELECT q.item_id FROM quote_places q
            JOIN statistics s ON q.resource = 'statistics' AND s.id = q.item_id
            JOIN passages p ON p.source_id = q.source_id AND p.ordinal < q.passage_ordinal
            WHERE instr(p.text, s.quote) > 0
            """);
        Assert.Empty(earlier);
        var idle = await connection.QueryAsync<string>("""
            SELECT p.source_id || ' ' || p.ordinal FROM passages p
            WHERE NOT EXISTS (SELECT 1 FROM quote_places q WHERE q.source_id = p.source_id AND q.passage_ordinal = p.ordinal)
            """);
        Assert.Empty(idle);
    }
}
