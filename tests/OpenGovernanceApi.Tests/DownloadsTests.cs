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
        ["statistics", "statistic-conflicts", "indicators", "sources", "plans", "goals", "measures", "events", "passages", "quote-places", "regions", "region-boundaries", "units", "topics", "synonyms", "releases", "release-changes"];

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

    /// <summary>
    /// Each file in its own media type, as listed and as the OpenAPI document declares the download: a file is
    /// not negotiated, so a client asking for exactly that type (as a generated client does) gets it, and one
    /// asking for another gets the file anyway rather than a 406.
    /// </summary>
    [Theory]
    [InlineData("statistics.csv", "text/csv")]
    [InlineData("datapackage.json", "application/json")]
    [InlineData("governance.sqlite", "application/vnd.sqlite3")]
    public async Task EachDownloadComesInItsOwnMediaTypeWhateverAcceptAsks(string file, string mediaType)
    {
        Assert.Equal(mediaType, (await Listed()).Single(f => f.Str("name") == file).Str("mediaType").Split(';')[0]);
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        var declared = document.RootElement.GetProperty("paths").GetProperty("/v1/downloads/{file}").GetProperty("get").GetProperty("responses");
        Assert.True(declared.GetProperty("200").GetProperty("content").TryGetProperty(mediaType, out _), $"{mediaType} is not declared");
        Assert.False(declared.TryGetProperty("406", out _), "a download is never refused for its Accept");
        foreach (var accept in new[] { mediaType, "*/*", "text/html", "application/json", "" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/downloads/" + file);
            if (accept.Length > 0) request.Headers.TryAddWithoutValidation("Accept", accept);
            using var response = await _client.SendAsync(request);
            Assert.True(HttpStatusCode.OK == response.StatusCode, $"Accept: {accept} answered {(int)response.StatusCode}");
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        }
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
                // A key is one field, or a list of fields (a quote's passage: source_id and passage_ordinal) whose values hold together.
                var fields = Fields(key.GetProperty("fields"));
                var columns = fields.Select(f => rows[0].IndexOf(f)).ToList();
                Assert.True(!columns.Contains(-1), $"{resource.Str("name")} has no column {string.Join(", ", fields)}");
                var referenced = key.GetProperty("reference").Str("resource") is { Length: > 0 } other ? tables[other] : rows; // "" is the table itself
                var referencedFields = Fields(key.GetProperty("reference").GetProperty("fields"));
                Assert.Equal(fields.Count, referencedFields.Count);
                var referencedColumns = referencedFields.Select(f => referenced[0].IndexOf(f)).ToList();
                Assert.DoesNotContain(-1, referencedColumns);
                var known = referenced.Skip(1).Select(r => string.Join("\u001f", referencedColumns.Select(c => r[c]))).ToHashSet(StringComparer.Ordinal);
                foreach (var row in rows.Skip(1).Where(r => columns.All(c => r[c] != "")))
                {
                    var value = string.Join("\u001f", columns.Select(c => row[c]));
                    Assert.True(known.Contains(value), $"{resource.Str("path")}: {string.Join(", ", fields)} '{value}' is not in {key.GetProperty("reference").Str("resource")}");
                    checkedValues++;
                }
            }
        }
        // The statistics alone hold an indicator, a region and a source on every row.
        Assert.True(checkedValues >= 3 * (tables["statistics"].Count - 1));
    }

    private static List<string> Fields(JsonElement fields) =>
        fields.ValueKind == JsonValueKind.Array ? fields.EnumerateArray().Select(f => f.GetString()!).ToList() : [fields.GetString()!];

    [Fact]
    public async Task AQuotesPlaceNamesItsPassageByBothColumnsOfThePassagesKey()
    {
        var places = (await Package()).GetProperty("resources").EnumerateArray().Single(r => r.Str("name") == "quote-places");
        var key = Assert.Single(places.GetProperty("schema").GetProperty("foreignKeys").EnumerateArray());
        Assert.Equal(["source_id", "passage_ordinal"], Fields(key.GetProperty("fields")));
        Assert.Equal("passages", key.GetProperty("reference").Str("resource"));
        Assert.Equal(["source_id", "ordinal"], Fields(key.GetProperty("reference").GetProperty("fields")));
        var passages = (await Package()).GetProperty("resources").EnumerateArray().Single(r => r.Str("name") == "passages");
        Assert.Equal(["source_id", "ordinal"], passages.GetProperty("schema").GetProperty("primaryKey").EnumerateArray().Select(k => k.GetString()!));
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

    private static string? FileName(HttpResponseMessage response) =>
        response.Content.Headers.ContentDisposition is { } d ? d.FileNameStar ?? d.FileName?.Trim('"') : null;

    /// <summary>
    /// The bulk statistics.csv (the database's columns) and /v1/statistics as CSV (the JSON shape,
    /// flattened) are two different tables; saved under one name, one would overwrite the other.
    /// </summary>
    [Fact]
    public async Task TheBulkCsvAndTheCollectionAsCsvOfOneTableAreSavedUnderDifferentNames()
    {
        using var bulk = await _client.GetAsync("/v1/downloads/statistics.csv");
        using var collection = await _client.GetAsync("/v1/statistics?format=csv");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics");
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/csv"));
        using var accepted = await _client.SendAsync(request);
        Assert.Equal("statistics.csv", FileName(bulk));
        Assert.Equal("statistics-api.csv", FileName(collection));
        Assert.Equal("statistics-api.csv", FileName(accepted));
    }

    /// <summary>Extracts saved side by side keep apart: the name says which filter made each; what cannot be named in ASCII is "filtered".</summary>
    [Theory]
    [InlineData("/v1/statistics?format=csv&limit=1", "statistics-api.csv")] // limit does not apply to CSV
    [InlineData("/v1/statistics?format=csv&source=pc2019", "statistics-api-source-pc2019.csv")]
    [InlineData("/v1/statistics?region=110105,110108&kind=actual&format=csv", "statistics-api-region-110105+110108-kind-actual.csv")]
    [InlineData("/v1/statistics?format=csv&fields=id,value", "statistics-api-fields-id+value.csv")]
    [InlineData("/v1/statistics?format=csv&q=%E5%BF%97%E6%84%BF%E8%80%85", "statistics-api-filtered.csv")]
    [InlineData("/v1/statistics/registered-volunteers-2019-01-09-pc2019?format=csv", "statistics-registered-volunteers-2019-01-09-pc2019-api.csv")]
    public async Task ACsvOfTheApiShapeIsNamedForWhatItHolds(string url, string expected)
    {
        using var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, FileName(response));
    }

    /// <summary>
    /// Adcodes (110105), periods (2016) and ids read as numbers lose what they are (110000.0 in
    /// pandas for a column with gaps); the schema says string, so frictionless-py, and a reader
    /// given the schema's types, keeps them as written. Dates may be a bare year too.
    /// </summary>
    [Fact]
    public async Task TheDatapackageDeclaresEveryAdcodePeriodIdAndDateColumnAString()
    {
        var checkedFields = 0;
        foreach (var resource in (await Package()).GetProperty("resources").EnumerateArray())
            foreach (var field in resource.GetProperty("schema").GetProperty("fields").EnumerateArray())
            {
                var name = field.Str("name");
                var keyLike = name is "id" or "parent" or "date" or "data_version" || name.EndsWith("_id") || name.Contains("adcode")
                    || name.StartsWith("period") || name.EndsWith("_on");
                if (!keyLike || (resource.Str("name"), name) == ("synonyms", "group_id")) continue; // group_id: a number, 1, 2, 3…
                Assert.True(field.Str("type") == "string", $"{resource.Str("name")}.{name} is declared {field.Str("type")}");
                checkedFields++;
            }
        Assert.True(checkedFields > 30, $"only {checkedFields} fields checked");
    }

    /// <summary>
    /// Every text cell is written in quotes, numbers and nulls (empty) never, so a reader that
    /// honours quoting (Python 3.13's csv with QUOTE_STRINGS, LibreOffice's "quoted field as text")
    /// keeps 110105 and 2016 as text and tells a null from an empty text.
    /// </summary>
    [Fact]
    public async Task EveryTextCellOfTheBulkCsvsIsQuotedAndNoNumberOrNullIs()
    {
        var cells = 0;
        foreach (var resource in (await Package()).GetProperty("resources").EnumerateArray())
        {
            var bytes = await _client.GetByteArrayAsync("/v1/downloads/" + resource.Str("path"));
            var rows = Csv.ParseCells(Encoding.UTF8.GetString(bytes[3..]));
            var types = resource.GetProperty("schema").GetProperty("fields").EnumerateArray().Select(f => f.Str("type")).ToList();
            Assert.All(rows[0], header => Assert.True(header.Quoted, $"{resource.Str("path")}: header {header.Value} is not quoted"));
            foreach (var row in rows.Skip(1))
                for (var i = 0; i < types.Count; i++)
                {
                    var shouldQuote = types[i] == "string" && row[i].Value != "";
                    Assert.True(row[i].Quoted == shouldQuote, $"{resource.Str("path")}: {rows[0][i].Value} '{row[i].Value}' quoted: {row[i].Quoted}");
                    cells++;
                }
        }
        Assert.True(cells > 1000);
    }

    /// <summary>
    /// The search index holds Chinese as character pairs, so MATCH '志愿者' finds nothing in plain
    /// sqlite3; the query README and the download's description show (the word's pairs, as a phrase) does.
    /// </summary>
    [Fact]
    public async Task TheDocumentedFullTextQueryFindsTheRegisteredVolunteersInTheDownloadedDatabase()
    {
        const string documented = """SELECT resource, id, title_en FROM search_index WHERE search_index MATCH '{head_bigrams bigrams} : "志愿 愿者"' ORDER BY rank;""";
        Assert.Contains(documented, await File.ReadAllTextAsync(Repository.Path("README.md")));
        var listed = (await Listed()).Single(f => f.Str("name") == "governance.sqlite");
        Assert.Contains(documented, listed.Str("description"));

        using var download = await DownloadedDatabase.FetchAsync(_client);
        Assert.Equal(0L, download.Scalar("SELECT count(*) FROM search_index WHERE search_index MATCH '志愿者'"));
        var found = new List<(string Resource, string Id)>();
        using (var command = download.Connection.CreateCommand())
        {
            command.CommandText = documented;
            using var reader = command.ExecuteReader();
            while (reader.Read()) found.Add((reader.GetString(0), reader.GetString(1)));
        }
        var volunteers = download.Strings("SELECT id FROM statistics WHERE indicator_id = 'registered-volunteers'");
        Assert.NotEmpty(volunteers);
        Assert.All(volunteers, id => Assert.Contains(("statistics", id), found));
        Assert.Contains(("indicators", "registered-volunteers"), found);
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
