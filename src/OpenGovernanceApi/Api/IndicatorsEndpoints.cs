namespace OpenGovernanceApi.Api;

/// <summary>What is measured, and the series of each measure across documents.</summary>
public static class IndicatorsEndpoints
{
    public static IEndpointRouteBuilder MapIndicatorsEndpoints(this IEndpointRouteBuilder v1)
    {
        var indicators = v1.MapGroup("/indicators").WithTag("Indicators", "What is measured, and each indicator's series across documents.");

        indicators.MapGet("", ListIndicators)
            .WithMetadata(new IndexedCollection("indicators"))
            .WithName("ListIndicators")
            .WithSummary("List the indicators")
            .WithDescription("What the figures measure, each with a stable id, bilingual name, unit and topic, and how many statistics it has. Filter by `topic`.");

        indicators.MapGet("/{id}", GetIndicator)
            .WithName("GetIndicator")
            .WithSummary("Get one indicator")
            .WithDescription("One indicator with its unit, topic, description and links to its series and statistics.");

        indicators.MapGet("/{id}/series", GetSeries)
            .WithMetadata(new ResponseShaping.ProducesGeoJson(), new ResponseShaping.ProducesSvg())
            .WithName("GetIndicatorSeries")
            .WithSummary("The series of one indicator: every figure, by period")
            .WithDescription("""
                Every statistic of one indicator, ordered by period (then id), across all source documents: the journalist's
                "how has this changed?" in one call. Each point keeps its own comparator, source and quote, so a "近90%" is never
                read as 90%. Filter by `region` and `kind` (`actual`, `target` or `norm`).
                With `?format=svg` or `Accept: image/svg+xml`, the series drawn as a chart to embed (`<img src=…>`), labelled in
                Chinese and English: actual figures as points joined by a line, hedged ones as open markers, targets as diamonds
                at their deadline, norms as squares; the chart of the indicator's page (`/indicators/{id}`).
                """);
        return v1;
    }

    /// <summary>Filters of /v1/indicators.</summary>
    public sealed class IndicatorFilters
    {
        /// <summary>Topic id(s), e.g. `volunteering`, `party-building` (any of them).</summary>
        [QuerySchema(Pattern = QueryErrors.SlugPattern), FromQuery(Name = "topic")] public string[]? Topic { get; init; }
    }

    /// <summary>Filters of a series.</summary>
    public sealed class SeriesFilters
    {
        /// <summary>Region adcode(s): `110000` for Beijing, `110105` for Chaoyang … (any of them).</summary>
        [QuerySchema(Pattern = QueryErrors.AdcodePattern, MaxLength = QueryErrors.AdcodeLength), FromQuery(Name = "region")] public string[]? Region { get; init; }

        /// <summary>`actual`, `target` or `norm`.</summary>
        [QuerySchema(Enum = new[] { "actual", "target", "norm" }), FromQuery(Name = "kind")] public string[]? Kind { get; init; }
    }

    /// <summary>Paging and output options of a series: those of every collection, and `format=svg`, a chart.</summary>
    public sealed class SeriesOptions : IOutputOptions
    {
        /// <summary>Page size, a whole number from 1 to 1000 (default 100). Ignored for CSV, GeoJSON and SVG, which always hold every figure.</summary>
        [QuerySchema(Type = "integer", Minimum = PageRequest.MinLimit, Maximum = PageRequest.MaxLimit, Default = PageRequest.DefaultLimit), FromQuery(Name = "limit")] public string? Limit { get; init; }

        /// <summary>Opaque cursor from `links.next` of the previous page. A cursor from another data release or sort is a 400.</summary>
        [QuerySchema(MaxLength = PageCursor.MaxLength), FromQuery(Name = "cursor")] public string? Cursor { get; init; }

        /// <summary>Comma-separated top-level fields to keep in each item (JSON and CSV), e.g. `id,value,period`; the items then have only these. An unknown field is a 400.</summary>
        [QuerySchema(MaxLength = ResponseShaping.MaxFieldsLength), FromQuery(Name = "fields")] public string? Fields { get; init; }

        /// <summary>`json` (default), `csv` (every figure; same as `Accept: text/csv`), `geojson` (same as `Accept: application/geo+json`) or `svg`: the series drawn as a chart (same as `Accept: image/svg+xml`).</summary>
        [QuerySchema(Enum = new[] { "json", "csv", "geojson", "svg" }), FromQuery(Name = "format")] public string? Format { get; init; }

        public CollectionOptions AsCollectionOptions() => new() { Limit = Limit, Cursor = Cursor, Fields = Fields, Format = Format };
    }

    private const string SelectIndicators = """
        SELECT i.id AS Id, i.name_zh AS NameZh, i.name_en AS NameEn, i.unit_id AS UnitId, u.name_zh AS UnitNameZh,
               u.name_en AS UnitNameEn, u.symbol AS UnitSymbol, i.topic_id AS TopicId, t.name_zh AS TopicNameZh,
               t.name_en AS TopicNameEn, i.description_zh AS DescriptionZh, i.description_en AS DescriptionEn,
               (SELECT count(*) FROM statistics s WHERE s.indicator_id = i.id) AS StatisticCount
        FROM indicators i
        JOIN units u ON u.id = i.unit_id
        JOIN topics t ON t.id = i.topic_id
        """;

    public static async Task<Results<Ok<Collection<IndicatorResponse>>, ValidationProblem>> ListIndicators(
        [AsParameters] IndicatorFilters filters, [AsParameters] CollectionOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var topics = errors.List(filters.Topic, "topic", QueryErrors.Slug(), "topic id");
        var page = PageRequest.From(options, http, db.DataVersion, "id", errors);
        if (errors.Any) return errors.ToProblem();

        await using var connection = await db.OpenAsync(cancellationToken);
        var (rows, total) = await PagedQuery.ByIdAsync<IndicatorRow>(connection, SelectIndicators, "i.id",
            topics.Count > 0 ? "i.topic_id IN @Topics" : "1 = 1", new DynamicParameters(new { Topics = topics }), page, cancellationToken);
        return TypedResults.Ok(page.ToCollection(rows.Select(r => r.ToResponse(http)).ToList(), total, http, db.DataVersion, i => (null, i.Id)));
    }

    public static Task<Results<Ok<Item<IndicatorResponse>>, NotFoundProblem>> GetIndicator(
        [Description("Stable id of the indicator, e.g. `registered-volunteers`."), QuerySchema(Pattern = QueryErrors.SlugPattern, MaxLength = QueryErrors.MaxValueLength)] string id, [AsParameters] ItemOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken) =>
        ItemQuery.FindAsync<IndicatorRow, IndicatorResponse>(db, $"{SelectIndicators} WHERE i.id = @Id", "indicator", id, row => row.ToResponse(http), cancellationToken);

    public static async Task<Results<Ok<Collection<StatisticResponse>>, ValidationProblem, NotFoundProblem, RazorSlices.RazorSlice>> GetSeries(
        [Description("Stable id of the indicator, e.g. `service-circles`."), QuerySchema(Pattern = QueryErrors.SlugPattern, MaxLength = QueryErrors.MaxValueLength)] string id,
        [AsParameters] SeriesFilters filters, [AsParameters] SeriesOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, http, id, cancellationToken) is not { } indicator) return NotFoundProblem.For("indicator", id);
        var query = new StatisticsEndpoints.StatisticFilters { Indicator = [id], Region = filters.Region, Kind = filters.Kind, Sort = "period" };
        switch (await StatisticsEndpoints.QueryAsync(query, options.AsCollectionOptions(), db, http, cancellationToken))
        {
            case { Result: Ok<Collection<StatisticResponse>> ok } when ResponseFormatNegotiation.Of(http) == ResponseFormat.Svg:
                var series = ok.Value!.Streamed is { } rows ? await rows.ToListAsync(cancellationToken) : ok.Value.Data;
                return Pages.SeriesChart.Document(http, indicator, series);
            case { Result: Ok<Collection<StatisticResponse>> ok }:
                return ok;
            case { Result: ValidationProblem problem }:
                return problem;
            case var other:
                throw new InvalidOperationException($"unexpected result {other.Result}");
        }
    }

    /// <summary>One indicator by id, or null: for GetSeries and the MCP tools.</summary>
    public static async Task<IndicatorResponse?> FindAsync(GovernanceDb db, HttpContext http, string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<IndicatorRow>(new CommandDefinition(
            $"{SelectIndicators} WHERE i.id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToResponse(http);
    }

    /// <summary>
    /// Indicators of any of the topics (none: every topic), and only those of `ids` when given (in that order; else by id),
    /// without paging: the query of /v1/indicators for the MCP tool list_indicators (114 indicators in all).
    /// </summary>
    public static async Task<IReadOnlyList<IndicatorResponse>> ListAsync(GovernanceDb db, HttpContext http, IReadOnlyList<string> topics,
        IReadOnlyList<string>? ids, CancellationToken cancellationToken)
    {
        var where = new List<string> { "1 = 1" };
        if (topics.Count > 0) where.Add("i.topic_id IN @Topics");
        if (ids is not null) where.Add("i.id IN @Ids");
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IndicatorRow>(new CommandDefinition(
            $"{SelectIndicators} WHERE {string.Join(" AND ", where)} ORDER BY i.id", new { Topics = topics, Ids = ids ?? [] }, cancellationToken: cancellationToken));
        var indicators = rows.Select(r => r.ToResponse(http)).ToList();
        if (ids is null) return indicators;
        var byId = indicators.ToDictionary(i => i.Id);
        return ids.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
    }

    private sealed class IndicatorRow
    {
        public string Id { get; set; } = "";
        public string NameZh { get; set; } = "";
        public string NameEn { get; set; } = "";
        public string UnitId { get; set; } = "";
        public string UnitNameZh { get; set; } = "";
        public string UnitNameEn { get; set; } = "";
        public string UnitSymbol { get; set; } = "";
        public string TopicId { get; set; } = "";
        public string TopicNameZh { get; set; } = "";
        public string TopicNameEn { get; set; } = "";
        public string? DescriptionZh { get; set; }
        public string? DescriptionEn { get; set; }
        public long StatisticCount { get; set; }

        public IndicatorResponse ToResponse(HttpContext http) => new(Id, new LocalizedText(NameZh, NameEn),
            new UnitResponse(UnitId, UnitSymbol, new LocalizedText(UnitNameZh, UnitNameEn)),
            new TopicRef(TopicId, new LocalizedText(TopicNameZh, TopicNameEn)),
            LocalizedText.From(DescriptionZh, DescriptionEn), (int)StatisticCount,
            new IndicatorLinks(ApiUrls.Absolute(http, "/v1/indicators/" + Uri.EscapeDataString(Id)),
                ApiUrls.Absolute(http, "/v1/indicators/" + Uri.EscapeDataString(Id) + "/series"),
                ApiUrls.Absolute(http, "/v1/statistics?indicator=" + Uri.EscapeDataString(Id))));
    }
}

/// <summary>What is measured.</summary>
/// <param name="Id">Stable id, shared by every document's figures for the same measure (that is what makes a series).</param>
/// <param name="Name">Name in Chinese and English.</param>
/// <param name="Unit">The indicator's usual unit. A statistic states its own unit, which can differ (a target as a share of population).</param>
/// <param name="Topic">The field it belongs to.</param>
/// <param name="Description">What exactly is counted, when the name is not enough.</param>
/// <param name="StatisticCount">Number of statistics of this indicator.</param>
/// <param name="Links">This indicator, its series, its statistics.</param>
public sealed record IndicatorResponse(string Id, LocalizedText Name, UnitResponse Unit, TopicRef Topic, LocalizedText? Description,
    int StatisticCount, IndicatorLinks Links);

/// <summary>A unit of measure.</summary>
public sealed record UnitResponse(string Id, string Symbol, LocalizedText Name);

public sealed record TopicRef(string Id, LocalizedText Name);

public sealed record IndicatorLinks(string Self, string Series, string Statistics);
