using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// Bulk files for researchers: each listed with size and SHA-256, CSVs described by a Frictionless
/// datapackage.json whose keys hold, and the SQLite database itself.
/// </summary>
public class DownloadsTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string[] Tables =
        ["statistics", "statistic-conflicts", "indicators", "sources", "plans", "goals", "measures", "events", "regions", "units", "topics", "synonyms", "releases", "release-changes"];

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private async Task<List<JsonElement>> Listed() =>
        (await _client.GetJsonAsync("/v1/downloads")).GetProperty("data").EnumerateArray().ToList();

    private async Task<JsonElement> Package() =>
        JsonDocument.Parse(await _client.GetByteArrayAsync("/v1/downloads/datapackage.json")).RootElement.Clone();

    /// <summary>A downloaded CSV as rows, after checking it starts with the UTF-8 byte-order mark.</summary>
    private async Task<List<List<string>>> CsvRows(string file)
    {
        var bytes = await _client.GetByteArrayAsync("/v1/downloads/" + file);
        Assert.Equal(Bom, bytes[..3]);
        var rows = Csv.Parse(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[3..]));
        Assert.All(rows, r => Assert.Equal(rows[0].Count, r.Count));
        return rows;
    }

    [Fact]
    public async Task EveryTableCsvTheDatabaseAndTheDatapackageAreListed()
    {
        var names = (await Listed()).Select(f => f.Str("name")).ToList();
        string[] expected = [.. Tables.Select(t => t + ".csv"), "datapackage.json", "governance.sqlite"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.Equal(names.Order(StringComparer.Ordinal), names); // listed by name
    }

    [Fact]
    public async Task EachListedFileIsServedWithExactlyTheListedSizeHashAndMediaType()
    {
        var files = await Listed();
        Assert.NotEmpty(files);
        foreach (var f in files)
        {
            using var response = await _client.GetAsync(new Uri(f.Str("href")).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(f.GetProperty("bytes").GetInt64(), bytes.Length);
            Assert.Equal(f.Str("sha256"), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Matches("^[0-9a-f]{64}$", f.Str("sha256"));
            Assert.Equal(f.Str("mediaType").Split(';')[0], response.Content.Headers.ContentType?.MediaType);
            Assert.EndsWith("/v1/downloads/" + f.Str("name"), f.Str("href"));
            Assert.False(string.IsNullOrEmpty(f.Str("description")));
        }
    }

    [Fact]
    public async Task EveryDatapackageResourceIsAListedFileWithTheSameSizeAndHash()
    {
        var listed = (await Listed()).ToDictionary(f => f.Str("name"));
        var resources = (await Package()).GetProperty("resources").EnumerateArray().ToList();
        Assert.Equal(Tables, resources.Select(r => r.Str("name")));
        foreach (var resource in resources)
        {
            Assert.True(listed.TryGetValue(resource.Str("path"), out var file), $"{resource.Str("path")} is not listed by /v1/downloads");
            Assert.Equal(file.GetProperty("bytes").GetInt64(), resource.GetProperty("bytes").GetInt64());
            Assert.Equal("sha256:" + file.Str("sha256"), resource.Str("hash"));
            var bytes = await _client.GetByteArrayAsync("/v1/downloads/" + resource.Str("path"));
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), resource.Str("hash"));
        }
    }

    [Fact]
    public async Task EachCsvHeaderIsExactlyItsSchemaFieldsAndEveryFieldIsDescribed()
    {
        foreach (var resource in (await Package()).GetProperty("resources").EnumerateArray())
        {
            var rows = await CsvRows(resource.Str("path"));
            var fields = resource.GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
            Assert.Equal(fields.Select(f => f.Str("name")), rows[0]);
            Assert.All(fields, f =>
            {
                Assert.Contains(f.Str("type"), new[] { "string", "number", "integer" });
                Assert.False(string.IsNullOrEmpty(f.Str("description")), $"{resource.Str("name")}.{f.Str("name")} has no description");
            });
            Assert.Equal("utf-8-sig", resource.Str("encoding"));
            Assert.True(rows.Count > 1, $"{resource.Str("path")} has no rows");
            // The primary key is unique.
            var key = resource.GetProperty("schema").GetProperty("primaryKey").EnumerateArray().Select(k => rows[0].IndexOf(k.GetString()!)).ToList();
            Assert.DoesNotContain(-1, key);
            var keys = rows.Skip(1).Select(r => string.Join("\u001f", key.Select(i => r[i]))).ToList();
            Assert.Equal(keys.Count, keys.Distinct().Count());
        }
    }

    [Fact]
    public async Task StatisticsCsvNamesTheIndicatorRegionAndSourceAsForeignKeys()
    {
        var statistics = (await Package()).GetProperty("resources").EnumerateArray().Single(r => r.Str("name") == "statistics");
        var keys = statistics.GetProperty("schema").GetProperty("foreignKeys").EnumerateArray()
            .ToDictionary(k => k.Str("fields"), k => (k.GetProperty("reference").Str("resource"), k.GetProperty("reference").Str("fields")));
        Assert.Equal(("indicators", "id"), keys["indicator_id"]);
        Assert.Equal(("regions", "adcode"), keys["region_adcode"]);
        Assert.Equal(("sources", "id"), keys["source_id"]);
    }

    [Fact]
    public async Task EveryForeignKeyValueOfEveryCsvExistsInTheTableItReferences()
    {
        var resources = (await Package()).GetProperty("resources").EnumerateArray().ToList();
        var tables = new Dictionary<string, List<List<string>>>();
        foreach (var resource in resources) tables[resource.Str("name")] = await CsvRows(resource.Str("path"));
        var checkedValues = 0;
        foreach (var resource in resources)
        {
            var rows = tables[resource.Str("name")];
            foreach (var key in resource.GetProperty("schema").GetProperty("foreignKeys").EnumerateArray())
            {
                var column = rows[0].IndexOf(key.Str("fields"));
                Assert.True(column >= 0, $"{resource.Str("name")} has no column {key.Str("fields")}");
                var referenced = key.GetProperty("reference").Str("resource") is { Length: > 0 } other ? tables[other] : rows; // "" is the table itself
                var referencedColumn = referenced[0].IndexOf(key.GetProperty("reference").Str("fields"));
                Assert.True(referencedColumn >= 0);
                var known = referenced.Skip(1).Select(r => r[referencedColumn]).ToHashSet(StringComparer.Ordinal);
                foreach (var row in rows.Skip(1).Where(r => r[column] != ""))
                {
                    Assert.True(known.Contains(row[column]), $"{resource.Str("path")}: {key.Str("fields")} '{row[column]}' is not in {key.GetProperty("reference").Str("resource")}");
                    checkedValues++;
                }
            }
        }
        // The statistics alone hold an indicator, a region and a source on every row.
        Assert.True(checkedValues >= 3 * (tables["statistics"].Count - 1));
    }

    [Fact]
    public async Task TheStatisticsCsvHoldsEveryStatisticTheApiServes()
    {
        var rows = await CsvRows("statistics.csv");
        var api = (await _client.GetJsonAsync("/v1/statistics?limit=1000")).Ids().Order(StringComparer.Ordinal);
        var id = rows[0].IndexOf("id");
        Assert.Equal(api, rows.Skip(1).Select(r => r[id]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheSqliteDownloadOpensAndHoldsAsManyStatisticsAsTheApiServes()
    {
        using var download = await DownloadedDatabase.FetchAsync(_client);
        Assert.Equal("SQLite format 3\0", Encoding.ASCII.GetString(download.Bytes, 0, 16));
        var total = (await _client.GetJsonAsync("/v1/statistics?limit=1")).GetProperty("meta").GetProperty("total").GetInt32();
        Assert.Equal((long)total, (long)download.Scalar("SELECT count(*) FROM statistics")!);
        Assert.Equal("ok", download.Scalar("PRAGMA integrity_check"));
        // Every data table of the database is also published as a CSV (not the search index, not the build's meta).
        var tables = download.Strings("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'meta' AND name NOT LIKE 'search_index%' ORDER BY name")
            .Select(t => t.Replace('_', '-')).ToList();
        var listed = (await Listed()).Select(f => f.Str("name")).ToHashSet();
        Assert.All(tables, t => Assert.Contains(t + ".csv", listed));
        Assert.Equal(Tables.Order(StringComparer.Ordinal), tables.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("passwords.txt")]
    [InlineData("statistics.json")]
    [InlineData("STATISTICS.CSV")]
    [InlineData("..%2Fappsettings.json")]
    public async Task AnUnknownFileIsA404ProblemNamingIt(string file)
    {
        var problem = await _client.GetProblemAsync($"/v1/downloads/{file}", HttpStatusCode.NotFound);
        Assert.Contains("download with id", problem.Str("detail"));
    }
}
