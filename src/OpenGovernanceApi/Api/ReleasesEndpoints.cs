namespace OpenGovernanceApi.Api;

/// <summary>
/// The data release notes (db/releases.json): one per dataVersion, newest first, saying what the
/// release added, corrected or removed, so a client that sees `meta.dataVersion` change can read why.
/// </summary>
public static class ReleasesEndpoints
{
    public static IEndpointRouteBuilder MapReleasesEndpoints(this IEndpointRouteBuilder v1)
    {
        var releases = v1.MapGroup("/releases").WithTag("Releases", "Data release notes: what each dataVersion added, corrected or removed, and which one is served.");

        releases.MapGet("", ListReleases)
            .WithMetadata(new IndexedCollection("releases"))
            .WithName("ListReleases")
            .WithSummary("List the data releases, newest first")
            .WithDescription("One note per data release (`dataVersion`, the SHA-256 prefix of the dataset's text that every answer carries in `meta.dataVersion`): its date, a summary, and what it added, corrected or removed, naming ids where useful. `current` marks the release this API serves.");

        releases.MapGet("/{dataVersion}", GetRelease)
            .WithName("GetRelease")
            .WithSummary("Get the note of one data release")
            .WithDescription("The note of one data release by its `dataVersion`, e.g. the one in `meta.dataVersion` of any answer or reported by /healthz.");
        return v1;
    }

    /// <summary>
    /// Newest first. The cursor holds the dataVersion of the last note of a page and its place in
    /// the order (sequence) is looked up, so a cursor never carries a number a client could bend.
    /// </summary>
    public const string Sort = "-sequence";

    private const string SelectReleases = """
        SELECT r.data_version AS DataVersion, r.sequence AS Sequence, r.date AS Date, r.summary_zh AS SummaryZh, r.summary_en AS SummaryEn
        FROM releases r
        """;

    private const string SelectChanges = """
        SELECT data_version AS DataVersion, kind AS Kind, text_zh AS Zh, text_en AS En
        FROM release_changes WHERE data_version IN @Versions ORDER BY data_version, kind, ordinal
        """;

    public static async Task<Results<Ok<Collection<ReleaseResponse>>, ValidationProblem>> ListReleases(
        [AsParameters] CollectionOptions options, GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var page = PageRequest.From(options, http, db.DataVersion, Sort, errors);
        if (errors.Any) return errors.ToProblem();

        var parameters = new { AfterId = page.After?.Id, Limit = page.SqlLimit };
        await using var connection = await db.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*) FROM releases", cancellationToken: cancellationToken));
        var rows = (await connection.QueryAsync<ReleaseRow>(new CommandDefinition(
            $"{SelectReleases} WHERE @AfterId IS NULL OR r.sequence < (SELECT sequence FROM releases WHERE data_version = @AfterId) " +
            "ORDER BY r.sequence DESC LIMIT @Limit", parameters, cancellationToken: cancellationToken))).ToList();
        var data = await ToResponses(connection, rows, db, http, cancellationToken);
        return TypedResults.Ok(page.ToCollection(data, total, http, db.DataVersion, r => (null, r.DataVersion)));
    }

    public static Task<Results<Ok<Item<ReleaseResponse>>, NotFoundProblem>> GetRelease(
        [Description("The release's `dataVersion` (16 hexadecimal digits), as in `meta.dataVersion` of any answer."), QuerySchema(Pattern = QueryErrors.DataVersionPattern, MaxLength = QueryErrors.DataVersionLength)] string dataVersion,
        [AsParameters] ItemOptions options, GovernanceDb db, HttpContext http, CancellationToken cancellationToken) =>
        ItemQuery.FindAsync<ReleaseRow, ReleaseResponse>(db, $"{SelectReleases} WHERE r.data_version = @Id", "release", dataVersion,
            async (connection, row) => (await ToResponses(connection, [row], db, http, cancellationToken))[0], cancellationToken);

    /// <summary>The notes with their added, corrected and removed items, read in one query for the whole page.</summary>
    private static async Task<List<ReleaseResponse>> ToResponses(Microsoft.Data.Sqlite.SqliteConnection connection, IReadOnlyList<ReleaseRow> rows,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var changes = (await connection.QueryAsync<ChangeRow>(new CommandDefinition(
                SelectChanges, new { Versions = rows.Select(r => r.DataVersion).ToList() }, cancellationToken: cancellationToken)))
            .ToLookup(c => (c.DataVersion, c.Kind), c => new LocalizedText(c.Zh, c.En));
        return rows.Select(r => new ReleaseResponse(r.DataVersion, (int)r.Sequence, r.Date, r.DataVersion == db.DataVersion,
            new LocalizedText(r.SummaryZh, r.SummaryEn),
            changes[(r.DataVersion, "added")].ToList(), changes[(r.DataVersion, "corrected")].ToList(), changes[(r.DataVersion, "removed")].ToList(),
            new SelfLink(ApiUrls.Absolute(http, "/v1/releases/" + r.DataVersion)))).ToList();
    }

    private sealed class ReleaseRow
    {
        public string DataVersion { get; set; } = "";
        public long Sequence { get; set; }
        public string Date { get; set; } = "";
        public string SummaryZh { get; set; } = "";
        public string SummaryEn { get; set; } = "";
    }

    private sealed class ChangeRow
    {
        public string DataVersion { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Zh { get; set; } = "";
        public string En { get; set; } = "";
    }
}

/// <summary>The note of one data release: what it added, corrected or removed.</summary>
/// <param name="DataVersion">The release: SHA-256 prefix of the dataset's text, as in `meta.dataVersion` of every answer.</param>
/// <param name="Sequence">Its number: 1 for the first release, counting up.</param>
/// <param name="Date">When it was released, ISO 8601.</param>
/// <param name="Current">True for the release this API serves now, false for earlier ones.</param>
/// <param name="Summary">What the release is, in a sentence or two.</param>
/// <param name="Added">What it brought that was not there before, one short item each, naming ids where useful.</param>
/// <param name="Corrected">What it changed that an earlier release had wrong (a corrected figure keeps its id).</param>
/// <param name="Removed">What it took out, and why.</param>
/// <param name="Links">This note.</param>
public sealed record ReleaseResponse(string DataVersion, int Sequence, string Date, bool Current, LocalizedText Summary,
    IReadOnlyList<LocalizedText> Added, IReadOnlyList<LocalizedText> Corrected, IReadOnlyList<LocalizedText> Removed, SelfLink Links);
