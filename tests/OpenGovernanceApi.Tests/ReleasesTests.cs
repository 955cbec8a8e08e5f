using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using OpenGovernanceApi.DataBuild;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// The data release notes (db/releases.json, /v1/releases): the release served always has a note
/// (so a data change without one fails here), notes are newest first and strictly validated, and
/// what the current note claims is what the API serves.
/// </summary>
public class ReleasesTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<List<JsonElement>> Notes() =>
        (await _client.GetJsonAsync("/v1/releases?limit=1000")).GetProperty("data").EnumerateArray().ToList();

    private async Task<string> ServedVersion() => (await _client.GetJsonAsync("/healthz")).Str("dataVersion");

    private async Task<JsonElement> CurrentNote()
    {
        var served = await ServedVersion();
        var current = (await Notes()).Where(n => n.GetProperty("current").GetBoolean()).ToList();
        Assert.True(current.Count == 1 && current[0].Str("dataVersion") == served,
            $"db/releases.json has no note for the data release served, dataVersion {served}. Every change to db/data or " +
            "db/schema.sql is a new release: add its note at the top of db/releases.json (see db/README.md, 'Releasing data').");
        return current[0];
    }

    [Fact]
    public async Task TheServedDataReleaseHasANoteMarkedCurrent()
    {
        var served = await ServedVersion();
        Assert.Equal(served, (await _client.GetJsonAsync("/v1")).Str("meta.dataVersion"));
        var note = await CurrentNote();
        Assert.Equal(served, note.Str("dataVersion"));

        var item = await _client.GetJsonAsync("/v1/releases/" + served);
        Assert.True(item.GetProperty("data").GetProperty("current").GetBoolean());
        Assert.Equal(note.GetRawText(), item.GetProperty("data").GetRawText());
        Assert.Equal(served, item.Str("meta.dataVersion"));
        // The index links to it, beside the releases collection.
        var index = (await _client.GetJsonAsync("/v1")).GetProperty("data");
        Assert.Equal(note.Str("links.self"), index.Str("links.release"));
        Assert.EndsWith("/v1/releases", index.GetProperty("collections").GetProperty("releases").Str("href"));
    }

    [Fact]
    public async Task NotesAreNewestFirstNumberedAndEachHasASummaryAndItsThreeLists()
    {
        var notes = await Notes();
        Assert.NotEmpty(notes);
        Assert.Equal(Enumerable.Range(1, notes.Count).Reverse(), notes.Select(n => n.GetProperty("sequence").GetInt32()));
        var dates = notes.Select(n => DateOnly.ParseExact(n.Str("date"), "yyyy-MM-dd")).ToList();
        Assert.Equal(dates.OrderByDescending(d => d), dates);
        Assert.Single(notes, n => n.GetProperty("current").GetBoolean());
        foreach (var note in notes)
        {
            Assert.Matches("^[0-9a-f]{16}$", note.Str("dataVersion"));
            Assert.False(string.IsNullOrWhiteSpace(note.Str("summary.zh")));
            Assert.False(string.IsNullOrWhiteSpace(note.Str("summary.en")));
            foreach (var list in new[] { "added", "corrected", "removed" })
                Assert.All(note.GetProperty(list).EnumerateArray(), i => Assert.False(string.IsNullOrWhiteSpace(i.Str("zh")) || string.IsNullOrWhiteSpace(i.Str("en"))));
            Assert.EndsWith("/v1/releases/" + note.Str("dataVersion"), note.Str("links.self"));
        }
    }

    [Theory]
    [InlineData("0000000000000000")]
    [InlineData("E43AADB5B8E88E91")]
    [InlineData("latest")]
    public async Task AnUnknownReleaseIsA404ProblemNamingIt(string version)
    {
        var problem = await _client.GetProblemAsync("/v1/releases/" + version, HttpStatusCode.NotFound);
        Assert.Contains($"release with id '{version}'", problem.Str("detail"));
    }

    [Fact]
    public async Task TheReleasesComeAsCsvLikeEveryCollection()
    {
        using var response = await _client.GetAsync("/v1/releases?format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var rows = Csv.Parse((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        Assert.Equal(["dataVersion", "sequence", "date", "current", "summary.zh", "summary.en", "added", "corrected", "removed", "links.self"], rows[0]);
        Assert.Equal((await Notes()).Count, rows.Count - 1);
        var served = await ServedVersion();
        Assert.Contains(rows.Skip(1), r => r[0] == served && r[3] == "true");
    }

    [Fact]
    public async Task TheSqliteDownloadCarriesTheNotesToo()
    {
        var notes = await Notes();
        using (var download = await DownloadedDatabase.FetchAsync(_client))
        {
            Assert.Equal(notes.Select(n => n.Str("dataVersion")), download.Strings("SELECT data_version FROM releases ORDER BY sequence DESC"));
            var items = notes.Sum(n => new[] { "added", "corrected", "removed" }.Sum(l => n.GetProperty(l).GetArrayLength()));
            Assert.Equal((long)items, (long)download.Scalar("SELECT count(*) FROM release_changes")!);
        }
        var listed = (await _client.GetJsonAsync("/v1/downloads")).GetProperty("data").EnumerateArray().Select(f => f.Str("name")).ToList();
        Assert.Contains("releases.csv", listed);
        Assert.Contains("release-changes.csv", listed);
    }

    // ---------------------------------------------------------------- what the current note claims

    private static readonly (string Collection, string En, string Zh)[] Totals =
    [
        ("sources", "sources", "份来源文件"), ("plans", "plans", "部规划"), ("regions", "regions", "个地区"),
        ("indicators", "indicators", "项指标"), ("statistics", "statistics", "条统计数字"), ("goals", "goals", "项目标"),
        ("measures", "measures", "项措施"), ("events", "events", "个事件"),
    ];

    /// <summary>A note's summary says what the release holds ("It holds 136 statistics, …"), in both languages.</summary>
    [Fact]
    public async Task TheCurrentSummaryStatesTheTotalsTheApiServes()
    {
        var note = await CurrentNote();
        var collections = (await _client.GetJsonAsync("/v1")).GetProperty("data").GetProperty("collections");
        foreach (var (collection, en, zh) in Totals)
        {
            var count = collections.GetProperty(collection).GetProperty("count").GetInt32();
            Assert.True(Regex.IsMatch(note.Str("summary.en"), $@"\b{count} {en}\b"),
                $"summary.en of release {note.Str("dataVersion")} should state '{count} {en}': {note.Str("summary.en")}");
            Assert.True(note.Str("summary.zh").Contains($"{count}{zh}"),
                $"summary.zh of release {note.Str("dataVersion")} should state '{count}{zh}': {note.Str("summary.zh")}");
        }
    }

    /// <summary>Ids a note names (in `backticks`) are ids the API serves: a reader can follow them.</summary>
    [Fact]
    public async Task EveryIdTheCurrentNoteNamesExists()
    {
        var note = await CurrentNote();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var collection in new[] { "sources", "plans", "goals", "measures", "indicators", "statistics", "events" })
            known.UnionWith((await _client.GetJsonAsync($"/v1/{collection}?limit=1000")).Ids());
        known.UnionWith((await _client.GetJsonAsync("/v1/regions?limit=1000")).GetProperty("data").EnumerateArray().Select(r => r.Str("adcode")));
        var text = string.Join("\n", new[] { "added", "corrected", "removed" }.SelectMany(l => note.GetProperty(l).EnumerateArray())
            .SelectMany(i => new[] { i.Str("zh"), i.Str("en") }).Append(note.Str("summary.zh")).Append(note.Str("summary.en")));
        var named = Regex.Matches(text, "`([^`]+)`").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.All(named, id => Assert.True(known.Contains(id), $"release {note.Str("dataVersion")} names `{id}`, which the API does not serve"));
    }

    /// <summary>
    /// The first release's note describes everything it holds; while it is the release served, each
    /// figure it gives is checked against the API (afterwards it describes data no longer served).
    /// </summary>
    [Fact]
    public async Task WhileItIsServedTheFirstNoteAgreesWithTheApi()
    {
        var note = await CurrentNote();
        if (note.GetProperty("sequence").GetInt32() != 1) return;
        var added = string.Join("\n", note.GetProperty("added").EnumerateArray().Select(i => i.Str("en")));
        Match Claim(string pattern)
        {
            var match = Regex.Match(added, pattern);
            Assert.True(match.Success, $"the first note no longer says /{pattern}/; keep this test and the note in step");
            return match;
        }
        int N(Match m, int group) => int.Parse(m.Groups[group].Value);
        async Task<int> Total(string query) => (await _client.GetJsonAsync(query)).GetProperty("meta").GetProperty("total").GetInt32();
        async Task<Dictionary<string, int>> Facet(string facet) =>
            (await _client.GetJsonAsync($"/v1/statistics?limit=1&facet={facet}")).GetProperty("meta").GetProperty("facets").GetProperty(facet)
                .EnumerateArray().ToDictionary(v => v.Str("value"), v => v.GetProperty("count").GetInt32());

        // Sources: each named with its date.
        var sources = (await _client.GetJsonAsync("/v1/sources")).GetProperty("data").EnumerateArray().ToDictionary(s => s.Str("id"), s => s.Str("publishedOn"));
        var dated = Regex.Matches(added, @"`([a-z0-9]+)` \([^()]*?(\d{4}(?:-\d{2}-\d{2})?)\)").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(sources.OrderBy(s => s.Key), dated.OrderBy(s => s.Key));

        var goals = Claim(@"(\d+) goals \((\d+) quantitative");
        Assert.Equal(N(goals, 1), await Total("/v1/goals?limit=1"));
        Assert.Equal(N(goals, 2), await Total("/v1/goals?limit=1&kind=quantitative"));
        var measures = Claim(@"(\d+) measures \((\d+) key tasks, (\d+) projects, (\d+) measures\)");
        Assert.Equal(N(measures, 1), await Total("/v1/measures?limit=1"));
        Assert.Equal(N(measures, 2), await Total("/v1/measures?limit=1&kind=key-task"));
        Assert.Equal(N(measures, 3), await Total("/v1/measures?limit=1&kind=project"));
        Assert.Equal(N(measures, 4), await Total("/v1/measures?limit=1&kind=measure"));

        Assert.Equal(16, N(Claim(@"its (\d+) districts"), 1));
        Assert.Equal(16, await Total("/v1/regions?limit=1&level=district"));

        var indicators = Claim(@"(\d+) indicators in (\d+) topics");
        var all = (await _client.GetJsonAsync("/v1/indicators?limit=1000")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(N(indicators, 1), all.Count);
        Assert.Equal(N(indicators, 2), all.Select(i => i.Str("topic.id")).Distinct().Count());

        var statistics = Claim(@"(\d+) statistics \((\d+) actual figures, (\d+) targets\)");
        Assert.Equal(N(statistics, 1), await Total("/v1/statistics?limit=1"));
        var kinds = await Facet("kind");
        Assert.Equal((N(statistics, 2), N(statistics, 3)), (kinds["actual"], kinds["target"]));
        var perSource = Regex.Matches(added, @"(\d+) from `([a-z0-9]+)`").ToDictionary(m => m.Groups[2].Value, m => int.Parse(m.Groups[1].Value));
        Assert.Equal((await Facet("source")).OrderBy(s => s.Key), perSource.OrderBy(s => s.Key));
        var city = Claim(@"(\d+) for the whole city, (\d+) for");
        Assert.Equal(N(city, 1), await Total("/v1/statistics?limit=1&region=110000"));
        Assert.Equal(N(city, 2), N(statistics, 1) - N(city, 1));

        var events = Claim(@"(\d+) events \((\d+) policies, (\d+) milestones, (\d+) plans, (\d+) standard, (\d+) law\), dated (\d{4}) to (\d{4})");
        Assert.Equal(N(events, 1), await Total("/v1/events?limit=1"));
        foreach (var (group, kind) in new[] { (2, "policy"), (3, "milestone"), (4, "plan"), (5, "standard"), (6, "law") })
            Assert.Equal(N(events, group), await Total($"/v1/events?limit=1&kind={kind}"));
        var timeline = (await _client.GetJsonAsync("/v1/events?limit=1000")).GetProperty("data").EnumerateArray().Select(e => e.Str("date")[..4]).ToList();
        Assert.Equal((events.Groups[7].Value, events.Groups[8].Value), (timeline.Min(), timeline.Max()));

        // The one disagreement between sources: exactly the two statistics it names.
        var conflict = Claim(@"disagreement.*`(non-public[a-z0-9.-]+)`.*`(non-public[a-z0-9.-]+)`");
        var contradicted = (await _client.GetJsonAsync("/v1/statistics?conflicts=true&limit=1000")).Ids().Order(StringComparer.Ordinal);
        Assert.Equal(new[] { conflict.Groups[1].Value, conflict.Groups[2].Value }.Order(StringComparer.Ordinal), contradicted);
    }

    // ---------------------------------------------------------------- the build's rules for db/releases.json

    [Fact]
    public void EditingTheNotesLeavesTheDataVersionAsItIsButEditingTheDataChangesIt()
    {
        var copy = Repository.CopyOfDb();
        try
        {
            var before = DatabaseWriter.DataVersion(copy);
            Assert.Equal(before, DatabaseWriter.DataVersion(Repository.Path("db")));
            File.AppendAllText(Path.Combine(copy, Dataset.ReleasesFile), "\n");
            Assert.Equal(before, DatabaseWriter.DataVersion(copy));
            File.AppendAllText(Path.Combine(copy, "data", "units.json"), "\n");
            Assert.NotEqual(before, DatabaseWriter.DataVersion(copy));
        }
        finally { Directory.Delete(copy, recursive: true); }
    }

    [Theory]
    [InlineData("\"date\": \"2026-11-23\"", "\"date\": \"2026-02-30\"", "date '2026-02-30' is not an ISO 8601 calendar day")]
    [InlineData("\"date\": \"2026-11-23\"", "\"date\": \"23/11/2026\"", "date '23/11/2026' is not an ISO 8601 calendar day")]
    [InlineData("\"date\": \"2026-11-23\"", "\"date\": \"2026-11\"", "date '2026-11' is not an ISO 8601 calendar day")]
    [InlineData("\"dataVersion\": \"", "\"dataVersion\": \"XYZ", "is not 16 lowercase hexadecimal digits")]
    [InlineData("\"summary\": {", "\"summary\": null, \"was\": {", "'was'")] // an unknown field fails the file
    [InlineData("\"corrected\": [],", "", "no 'corrected' list")]
    public void ABrokenNoteFailsTheBuildNamingTheFileAndTheEntry(string find, string replace, string message)
    {
        var errors = ValidateEdited(text => Replace(text, find, replace));
        Assert.Contains(errors, e => e.Contains("releases.json") && e.Contains(message));
    }

    [Fact]
    public void ANoteWithoutASummaryFailsNamingItsVersion()
    {
        var version = CurrentVersionInFile();
        var errors = ValidateEdited(text => Regex.Replace(text, @"""summary"": \{[^{}]*\},", "", RegexOptions.Singleline));
        Assert.Contains(errors, e => e.Contains("releases.json") && e.Contains($"'{version}': summary needs both zh and en"));
        errors = ValidateEdited(text => Regex.Replace(text, @"(""summary"": \{\s*""zh"": )""[^""]*""", "$1\"\"", RegexOptions.Singleline));
        Assert.Contains(errors, e => e.Contains($"'{version}': summary needs both zh and en"));
    }

    [Fact]
    public void TwoNotesForOneVersionOrNotesOutOfDateOrderFailNamingTheEntry()
    {
        var version = CurrentVersionInFile();
        // The note copied below itself: the same version twice.
        var errors = ValidateEdited(text => Duplicate(text, text));
        Assert.Contains(errors, e => e.Contains("releases.json") && e.Contains($"'{version}': duplicate dataVersion '{version}'"));
        // A newer release listed below an older one.
        errors = ValidateEdited(text => Duplicate(text, Regex.Replace(text.Replace(version, "0123456789abcdef"), "\"date\": \"[0-9-]+\"", "\"date\": \"2027-01-01\"")));
        Assert.Contains(errors, e => e.Contains("releases.json") && e.Contains("'0123456789abcdef': dated 2027-01-01, after the note above it") && e.Contains("newest first"));
    }

    [Fact]
    public void AMissingNotesFileFailsTheBuild()
    {
        var copy = Repository.CopyOfDb();
        try
        {
            File.Delete(Path.Combine(copy, Dataset.ReleasesFile));
            Dataset.Load(copy, out var errors);
            Assert.Contains(errors, e => e.Contains("releases.json: file not found"));
        }
        finally { Directory.Delete(copy, recursive: true); }
    }

    private static string CurrentVersionInFile() =>
        Regex.Match(File.ReadAllText(Repository.Path("db", Dataset.ReleasesFile)), "\"dataVersion\": \"([0-9a-f]{16})\"").Groups[1].Value;

    /// <summary>The notes of <paramref name="text"/>, followed by those of <paramref name="below"/>.</summary>
    private static string Duplicate(string text, string below) =>
        "[\n" + text.TrimEnd()[1..^1].Trim() + ",\n" + below.TrimEnd()[1..^1].Trim() + "\n]\n"; // the notes inside [ … ]

    private static string Replace(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{find} not in db/releases.json");
        return text[..at] + replace + text[(at + find.Length)..];
    }

    private static List<string> ValidateEdited(Func<string, string> edit)
    {
        var copy = Repository.CopyOfDb();
        try
        {
            var file = Path.Combine(copy, Dataset.ReleasesFile);
            File.WriteAllText(file, edit(File.ReadAllText(file)));
            var dataset = Dataset.Load(copy, out var loadErrors);
            return [.. loadErrors, .. new DatasetValidator(dataset, null, QuoteRecord.Read(copy)).Validate()];
        }
        finally { Directory.Delete(copy, recursive: true); }
    }
}
