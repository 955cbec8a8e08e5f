namespace OpenGovernanceApi.Api;

/// <summary>The source documents every figure is quoted from.</summary>
public static class SourcesEndpoints
{
    public static IEndpointRouteBuilder MapSourcesEndpoints(this IEndpointRouteBuilder v1)
    {
        var sources = v1.MapGroup("/sources").WithTag("Sources", "The five documents every figure is quoted from.");

        sources.MapGet("", ListSources)
            .WithMetadata(new IndexedCollection("sources"))
            .WithName("ListSources")
            .WithSummary("List the source documents")
            .WithDescription("The published documents the dataset is built from: press conferences, news reports, a report release and a signed article, each with its date (and how an unstated date was inferred), outlet, speaker or author and URL where known. Filter by `kind`.");

        sources.MapGet("/{id}", GetSource)
            .WithName("GetSource")
            .WithSummary("Get one source document")
            .WithDescription("One source document by its stable id, with a link to its statistics.");

        return v1;
    }

    /// <summary>Filters of /v1/sources.</summary>
    public sealed class SourceFilters
    {
        /// <summary>Only sources of these kinds: press-conference, news-report, report-release, signed-article (comma-separated).</summary>
        [QuerySchema(Enum = new[] { "press-conference", "news-report", "report-release", "signed-article" }), FromQuery(Name = "kind")] public string[]? Kind { get; init; }
    }

    private static readonly string[] Kinds = QuerySchemaAttribute.EnumOf<SourceFilters>(nameof(SourceFilters.Kind));

    private const string SelectSources = """
        SELECT src.id AS Id, src.kind AS Kind, src.title_zh AS TitleZh, src.title_en AS TitleEn,
               src.outlet_zh AS OutletZh, src.outlet_en AS OutletEn, src.published_on AS PublishedOn,
               src.author_zh AS AuthorZh, src.author_en AS AuthorEn, src.url AS Url,
               src.notes_zh AS NotesZh, src.notes_en AS NotesEn
        FROM sources src
        """;

    // Counted once per database, not on every answer (a count over every statistic of one source took 2.8 ms per
    // answer on the benchmark's 1000-fold database, the most of a statistic's page there).
    private static Task<Dictionary<string, int>> StatisticCountsAsync(GovernanceDb db, CancellationToken cancellationToken) =>
        db.ReadOnceAsync("statistics per source", async connection =>
        {
            var rows = await connection.QueryAsync<(string Source, long Count)>("SELECT source_id, count(*) FROM statistics GROUP BY source_id");
            return rows.ToDictionary(r => r.Source, r => (int)r.Count, StringComparer.Ordinal);
        }, cancellationToken);

    public static async Task<Results<Ok<Collection<SourceResponse>>, ValidationProblem>> ListSources(
        [AsParameters] SourceFilters filters, [AsParameters] CollectionOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var kinds = errors.List(filters.Kind, "kind", QueryErrors.Slug(), "source kind", Kinds);
        var page = PageRequest.From(options, http, db.DataVersion, "id", errors);
        if (errors.Any) return errors.ToProblem();

        await using var connection = await db.OpenAsync(cancellationToken);
        var (rows, total) = await PagedQuery.ByIdAsync<SourceRow>(connection, SelectSources, "src.id",
            kinds.Count > 0 ? "src.kind IN @Kinds" : "1 = 1", new DynamicParameters(new { Kinds = kinds }), page, cancellationToken);
        var counts = await StatisticCountsAsync(db, cancellationToken);
        var data = rows.Select(r => r.ToResponse(http, counts)).ToList();
        return TypedResults.Ok(page.ToCollection(data, total, http, db.DataVersion, s => (null, s.Id)));
    }

    public static Task<Results<Ok<Item<SourceResponse>>, NotFoundProblem>> GetSource(
        [Description("Stable id of the source, e.g. `pc2019`."), QuerySchema(Pattern = QueryErrors.SlugPattern, MaxLength = QueryErrors.MaxValueLength)] string id, [AsParameters] ItemOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken) =>
        ItemQuery.FindAsync<SourceRow, SourceResponse>(db, $"{SelectSources} WHERE src.id = @Id", "source", id,
            async (_, row) => row.ToResponse(http, await StatisticCountsAsync(db, cancellationToken)), cancellationToken);

    /// <summary>Every source document, by id: for the MCP resource that lists them.</summary>
    public static async Task<IReadOnlyList<SourceResponse>> ListAllAsync(GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SourceRow>(new CommandDefinition($"{SelectSources} ORDER BY src.id", cancellationToken: cancellationToken));
        var counts = await StatisticCountsAsync(db, cancellationToken);
        return rows.Select(r => r.ToResponse(http, counts)).ToList();
    }

    private sealed class SourceRow
    {
        public string Id { get; set; } = "";
        public string Kind { get; set; } = "";
        public string TitleZh { get; set; } = "";
        public string TitleEn { get; set; } = "";
        public string OutletZh { get; set; } = "";
        public string OutletEn { get; set; } = "";
        public string PublishedOn { get; set; } = "";
        public string? AuthorZh { get; set; }
        public string? AuthorEn { get; set; }
        public string? Url { get; set; }
        public string? NotesZh { get; set; }
        public string? NotesEn { get; set; }
        public SourceResponse ToResponse(HttpContext http, IReadOnlyDictionary<string, int> statisticCounts) => new(
            Id, Kind, new LocalizedText(TitleZh, TitleEn), new LocalizedText(OutletZh, OutletEn), PublishedOn,
            LocalizedText.From(AuthorZh, AuthorEn), Url, LocalizedText.From(NotesZh, NotesEn), statisticCounts.GetValueOrDefault(Id),
            new SourceLinks(ApiUrls.Source(http, Id), ApiUrls.Absolute(http, "/v1/statistics?source=" + Uri.EscapeDataString(Id))));
    }
}

/// <summary>A published document the dataset quotes.</summary>
/// <param name="Id">Stable id, never reused.</param>
/// <param name="Kind">press-conference, news-report, report-release or signed-article.</param>
/// <param name="Title">Title in Chinese (as published) and English (translation).</param>
/// <param name="Outlet">Outlet or publisher.</param>
/// <param name="PublishedOn">Publication date, ISO 8601 of the precision known (`2016`, `2019-01-09`); see `notes` when inferred.</param>
/// <param name="Author">Speaker or author, with their role, when named.</param>
/// <param name="Url">Address of the document when it states one.</param>
/// <param name="Notes">How the date or outlet was established, and anything else a reader should know.</param>
/// <param name="StatisticCount">Number of statistics quoted from this document.</param>
/// <param name="Links">This source and its statistics.</param>
public sealed record SourceResponse(string Id, string Kind, LocalizedText Title, LocalizedText Outlet, string PublishedOn,
    LocalizedText? Author, string? Url, LocalizedText? Notes, int StatisticCount, SourceLinks Links);

public sealed record SourceLinks(string Self, string Statistics);
