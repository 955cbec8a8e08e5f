using System.Globalization;
using OpenGovernanceApi.Search;

namespace OpenGovernanceApi.Api;

/// <summary>Published figures: each with its hedge (comparator), period, source and exact quote.</summary>
public static class StatisticsEndpoints
{
    public static IEndpointRouteBuilder MapStatisticsEndpoints(this IEndpointRouteBuilder v1)
    {
        var statistics = v1.MapGroup("/statistics").WithTag("Statistics", "Published figures with hedge, period, source, quote and citation.").WithMetadata(new ResponseShaping.ProducesGeoJson());

        statistics.MapGet("", ListStatistics)
            .WithMetadata(new IndexedCollection("statistics"))
            .WithName("ListStatistics")
            .WithSummary("List published figures")
            .WithDescription("""
                Every figure of the source documents: value in base units, the figure as written, its comparator (the hedge:
                `approx` for 近/约, `gt` for 超过/突破, `gte` for 不少于 …), period, kind (`actual`, `target` of a plan, or `norm`: a rule a document sets, such as a pay floor), source and exact quote.
                Filters combine with AND; a filter given several values (`region=110105,110108`) matches any of them.
                `sort` by `period` or `value` (prefix `-` for descending; default `id`). `latest=true` keeps, per indicator,
                region and kind, only the most recent period: for just the current figure, add `kind=actual`
                (`?indicator=registered-volunteers&latest=true&kind=actual`), since a plan's target for 2025 is newer than any actual. `conflicts=true` keeps only figures another source contradicts.
                `facet=indicator,region,kind,comparator,source,plan` adds counts per value to `meta.facets`.
                With `Accept: application/geo+json` or `?format=geojson`, every matching figure comes as a GeoJSON Feature at its
                region's representative point, so a map draws a layer in one request.
                """);

        statistics.MapGet("/{id}", GetStatistic)
            .WithName("GetStatistic")
            .WithSummary("Get one figure with its quote and citation")
            .WithDescription("One statistic by its stable id: the value, its hedge, period, source, the exact sentence it comes from, the statistics of other sources that contradict it, and a ready-to-paste citation.");

        return v1;
    }

    /// <summary>Filters of /v1/statistics.</summary>
    public sealed class StatisticFilters
    {
        /// <summary>Indicator id(s), e.g. `registered-volunteers` (comma-separated or repeated: any of them).</summary>
        [QuerySchema(Pattern = QueryErrors.SlugPattern), FromQuery(Name = "indicator")] public string[]? Indicator { get; init; }

        /// <summary>Region adcode(s): `110000` for Beijing, `110105` for Chaoyang … (any of them).</summary>
        [QuerySchema(Pattern = QueryErrors.AdcodePattern, MaxLength = QueryErrors.AdcodeLength), FromQuery(Name = "region")] public string[]? Region { get; init; }

        /// <summary>Plan id(s): `12th`, `13th`, `14th`.</summary>
        [QuerySchema(Pattern = QueryErrors.SlugPattern), FromQuery(Name = "plan")] public string[]? Plan { get; init; }

        /// <summary>Source id(s), e.g. `pc2019`.</summary>
        [QuerySchema(Pattern = QueryErrors.SlugPattern), FromQuery(Name = "source")] public string[]? Source { get; init; }

        /// <summary>`actual` (a reported figure), `target` (a goal of a plan) or `norm` (a rule a document sets: a pay floor, a floor-area standard).</summary>
        [QuerySchema(Enum = new[] { "actual", "target", "norm" }), FromQuery(Name = "kind")] public string[]? Kind { get; init; }

        /// <summary>Comparator(s): eq, approx, gt, gte, lt, lte.</summary>
        [QuerySchema(Enum = new[] { "eq", "approx", "gt", "gte", "lt", "lte" }), FromQuery(Name = "comparator")] public string[]? Comparator { get; init; }

        /// <summary>Earliest period, ISO 8601 (`2016`, `2018-01`, `2019-01-09`), inclusive.</summary>
        [QuerySchema(Pattern = QueryErrors.PeriodPattern, MaxLength = QueryErrors.MaxPeriodLength), FromQuery(Name = "from")] public string? From { get; init; }

        /// <summary>Latest period, inclusive of everything within it (`to=2018` includes `2018-10`).</summary>
        [QuerySchema(Pattern = QueryErrors.PeriodPattern, MaxLength = QueryErrors.MaxPeriodLength), FromQuery(Name = "to")] public string? To { get; init; }

        /// <summary>Full-text search in quotes, indicator and region names, Chinese or English (`党建`, `volunteers`, `426.7`).</summary>
        [QuerySchema(MaxLength = QueryErrors.MaxSearchLength), FromQuery(Name = "q")] public string? Q { get; init; }

        /// <summary>`period`, `value` or `id` (default); prefix `-` for descending.</summary>
        [QuerySchema(Enum = new[] { "id", "-id", "period", "-period", "value", "-value" }), FromQuery(Name = "sort")] public string? Sort { get; init; }

        /// <summary>`true`: only the most recent period per indicator, region and kind; with `kind=actual`, just the current figure (a target's period is its deadline, so it is newer than any actual).</summary>
        [QuerySchema(Enum = new[] { "true", "false" }), FromQuery(Name = "latest")] public string? Latest { get; init; }

        /// <summary>`true`: only statistics that another source contradicts (see `conflictsWith`).</summary>
        [QuerySchema(Enum = new[] { "true", "false" }), FromQuery(Name = "conflicts")] public string? Conflicts { get; init; }

        /// <summary>Fields to count values of, in `meta.facets`: indicator, region, kind, comparator, source, plan.</summary>
        [QuerySchema(Enum = new[] { "indicator", "region", "kind", "comparator", "source", "plan" }), FromQuery(Name = "facet")] public string[]? Facet { get; init; }
    }

    // Sort and facet columns come from these fixed maps; nothing a client sends reaches SQL text.
    private static readonly Dictionary<string, string> SortColumns = new()
    {
        ["id"] = "s.id", ["period"] = "s.period", ["value"] = "s.value",
    };

    private static readonly Dictionary<string, string> FacetColumns = new()
    {
        ["indicator"] = "s.indicator_id", ["region"] = "s.region_adcode", ["kind"] = "s.kind",
        ["comparator"] = "s.comparator", ["source"] = "s.source_id", ["plan"] = "s.plan_id",
    };

    private static readonly string[] Kinds = QuerySchemaAttribute.EnumOf<StatisticFilters>(nameof(StatisticFilters.Kind));
    private static readonly string[] Comparators = QuerySchemaAttribute.EnumOf<StatisticFilters>(nameof(StatisticFilters.Comparator));

    private const string SelectStatistics = """
        SELECT s.id AS Id, s.indicator_id AS IndicatorId, i.name_zh AS IndicatorNameZh, i.name_en AS IndicatorNameEn,
               s.region_adcode AS RegionAdcode, r.name_zh AS RegionNameZh, r.name_en AS RegionNameEn, r.lon AS RegionLon, r.lat AS RegionLat,
               s.period AS Period, s.value AS Value, s.unit_id AS Unit, s.value_as_written AS ValueAsWritten,
               s.comparator AS Comparator, s.kind AS Kind, s.plan_id AS PlanId,
               src.id AS SourceId, src.title_zh AS SourceTitleZh, src.title_en AS SourceTitleEn,
               src.published_on AS SourcePublishedOn, src.url AS SourceUrl,
               src.outlet_zh AS SourceOutletZh, src.outlet_en AS SourceOutletEn,
               src.author_zh AS SourceAuthorZh, src.author_en AS SourceAuthorEn,
               s.quote AS Quote, s.notes_zh AS NotesZh, s.notes_en AS NotesEn,
               (SELECT group_concat(c.other_id, ' ') FROM statistic_conflicts c WHERE c.statistic_id = s.id) AS ConflictsWith
        FROM statistics s
        JOIN indicators i ON i.id = s.indicator_id
        JOIN regions r ON r.adcode = s.region_adcode
        JOIN sources src ON src.id = s.source_id
        """;

    public static Task<Results<Ok<Collection<StatisticResponse>>, ValidationProblem>> ListStatistics(
        [AsParameters] StatisticFilters filters, [AsParameters] CollectionOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken) =>
        QueryAsync(filters, options, db, http, cancellationToken);

    /// <summary>The statistics query behind /v1/statistics and /v1/indicators/{id}/series.</summary>
    public static async Task<Results<Ok<Collection<StatisticResponse>>, ValidationProblem>> QueryAsync(
        StatisticFilters filters, CollectionOptions options, GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var sort = errors.OneOf(filters.Sort, "sort", SortColumns.Keys.SelectMany(k => new[] { k, "-" + k }).ToArray()) ?? "id";
        var query = StatisticQuery.From(filters, errors, db.Synonyms);
        var facets = errors.List(filters.Facet, "facet", QueryErrors.Slug(), "facet", FacetColumns.Keys);
        var page = PageRequest.From(options, http, db.DataVersion, sort, errors);
        object? afterKey = page.After?.Key;
        if (sort.TrimStart('-') == "value" && page.After?.Key is { } k)
        {
            // Values are compared as numbers; a hand-made cursor whose place is not one is refused, not parsed.
            if (double.TryParse(k, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) afterKey = v;
            else errors.Add("cursor", "is not a cursor this API issued; use links.next of a previous page.");
        }
        if (errors.Any) return errors.ToProblem();

        var column = SortColumns[sort.TrimStart('-')];
        var descending = sort.StartsWith('-');
        var keyset = page.After is null ? "" : sort.TrimStart('-') == "id"
            ? (descending ? " AND s.id < @AfterId" : " AND s.id > @AfterId")
            : descending
                ? $" AND ({column} < @AfterKey OR ({column} = @AfterKey AND s.id < @AfterId))"
                : $" AND ({column} > @AfterKey OR ({column} = @AfterKey AND s.id > @AfterId))";
        var direction = descending ? "DESC" : "ASC";
        var parameters = new DynamicParameters(query.Parameters);
        parameters.Add("AfterId", page.After?.Id);
        parameters.Add("AfterKey", afterKey);
        parameters.Add("Limit", page.SqlLimit);

        // A CSV or GeoJSON answer reads its rows while it writes them; the connection lives until the answer is sent.
        var connection = await db.OpenAsync(cancellationToken);
        http.Response.RegisterForDisposeAsync(connection);
        var total = await CountAsync(db, connection, query, parameters, cancellationToken);
        var sql = $"{SelectStatistics} WHERE {query.Where}{keyset} ORDER BY {column} {direction}, s.id {direction} LIMIT @Limit";
        if (page.AllRows)
        {
            var everything = page.ToCollection<StatisticResponse>([], total, http, db.DataVersion, s => (null, s.Id))
                with { Streamed = Stream(connection, sql, parameters, http, db.DataVersion) };
            return TypedResults.Ok(everything);
        }
        var rows = (await connection.QueryAsync<StatisticRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();

        Dictionary<string, IReadOnlyList<FacetValue>>? facetCounts = null;
        if (facets.Count > 0)
        {
            facetCounts = [];
            foreach (var facet in facets)
            {
                var values = await connection.QueryAsync<(string? Value, long Count)>(new CommandDefinition(
                    $"SELECT {FacetColumns[facet]} AS Value, count(*) AS Count FROM statistics s WHERE {query.Where} " +
                    $"GROUP BY {FacetColumns[facet]} ORDER BY Count DESC, Value", parameters, cancellationToken: cancellationToken));
                facetCounts[facet] = values.Select(v => new FacetValue(v.Value, (int)v.Count)).ToList();
            }
        }

        var data = rows.Select(r => r.ToResponse(http, db.DataVersion)).ToList();
        return TypedResults.Ok(page.ToCollection(data, total, http, db.DataVersion, s => (SortKey(s, sort), s.Id), facetCounts));
    }

    public static async Task<Results<Ok<Item<StatisticResponse>>, NotFoundProblem>> GetStatistic(
        [Description("Stable id of the statistic, e.g. `registered-volunteers-2019-01-09-pc2019`."), QuerySchema(Pattern = QueryErrors.SlugPattern, MaxLength = QueryErrors.MaxValueLength)] string id,
        [AsParameters] ItemOptions options, GovernanceDb db, HttpContext http, CancellationToken cancellationToken) =>
        await FindAsync(db, http, id, cancellationToken) is { } statistic
            ? TypedResults.Ok(new Item<StatisticResponse>(statistic, new ItemMeta(db.DataVersion)))
            : NotFoundProblem.For("statistic", id);

    /// <summary>One statistic by id, or null: the query behind GetStatistic and the MCP tool get_statistic.</summary>
    public static async Task<StatisticResponse?> FindAsync(GovernanceDb db, HttpContext http, string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StatisticRow>(new CommandDefinition(
            $"{SelectStatistics} WHERE s.id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToResponse(http, db.DataVersion);
    }

    /// <summary>
    /// The first `limit` statistics the filters match, in the order of their `sort`, without paging or facets: the
    /// query of /v1/statistics for callers that want a short whole list (the MCP tools). Null after recording in
    /// `errors` what is wrong with a filter.
    /// </summary>
    public static async Task<IReadOnlyList<StatisticResponse>?> ListAsync(StatisticFilters filters, int limit,
        GovernanceDb db, HttpContext http, QueryErrors errors, CancellationToken cancellationToken)
    {
        var sort = errors.OneOf(filters.Sort, "sort", SortColumns.Keys.SelectMany(k => new[] { k, "-" + k }).ToArray()) ?? "id";
        var query = StatisticQuery.From(filters, errors, db.Synonyms);
        if (errors.Any) return null;
        var direction = sort.StartsWith('-') ? "DESC" : "ASC";
        var parameters = new DynamicParameters(query.Parameters);
        parameters.Add("Limit", limit);
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StatisticRow>(new CommandDefinition(
            $"{SelectStatistics} WHERE {query.Where} ORDER BY {SortColumns[sort.TrimStart('-')]} {direction}, s.id {direction} LIMIT @Limit",
            parameters, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToResponse(http, db.DataVersion)).ToList();
    }

    /// <summary>The most figures a page's series shows (a chart of more is no longer read point by point).</summary>
    public const int SeriesLimit = 1000;

    /// <summary>The figures of one indicator, oldest period first: the series a page draws, in one fixed query.</summary>
    public static Task<IReadOnlyList<StatisticResponse>> SeriesAsync(GovernanceDb db, HttpContext http, string indicator, CancellationToken cancellationToken) =>
        ReadAsync(db, http, $"{SelectStatistics} WHERE s.indicator_id = @Key ORDER BY s.period, s.id LIMIT {SeriesLimit}", indicator, cancellationToken);

    /// <summary>
    /// The series of the indicator a statistic measures, found from the statistic's id (empty when no statistic has
    /// that id): the figure is one of them, so a statistic's page reads the figure and its series in one query.
    /// </summary>
    public static Task<IReadOnlyList<StatisticResponse>> SeriesOfStatisticAsync(GovernanceDb db, HttpContext http, string id, CancellationToken cancellationToken) =>
        ReadAsync(db, http, $"{SelectStatistics} WHERE s.indicator_id = (SELECT indicator_id FROM statistics WHERE id = @Key) ORDER BY s.period, s.id LIMIT {SeriesLimit}",
            id, cancellationToken);

    private static async Task<IReadOnlyList<StatisticResponse>> ReadAsync(GovernanceDb db, HttpContext http, string sql, string key, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StatisticRow>(new CommandDefinition(sql, new { Key = key }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToResponse(http, db.DataVersion)).ToList();
    }

    private static Task<int> CountAsync(GovernanceDb db, Microsoft.Data.Sqlite.SqliteConnection connection, StatisticQuery query,
        DynamicParameters parameters, CancellationToken cancellationToken) =>
        db.CountOnceAsync(query.Where + "\n" + System.Text.Json.JsonSerializer.Serialize(query.Parameters), () =>
            connection.ExecuteScalarAsync<int>(new CommandDefinition(
                $"SELECT count(*) FROM statistics s WHERE {query.Where}", parameters, cancellationToken: cancellationToken)));

    private static async IAsyncEnumerable<StatisticResponse> Stream(Microsoft.Data.Sqlite.SqliteConnection connection, string sql,
        DynamicParameters parameters, HttpContext http, string dataVersion)
    {
        await foreach (var row in connection.QueryUnbufferedAsync<StatisticRow>(sql, parameters).WithCancellation(http.RequestAborted))
            yield return row.ToResponse(http, dataVersion);
    }

    private static string? SortKey(StatisticResponse s, string sort) => sort.TrimStart('-') switch
    {
        "period" => s.Period,
        "value" => s.Value.ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The WHERE clause of a statistics query, assembled from fixed fragments, and its parameters.</summary>
    private sealed record StatisticQuery(string Where, object Parameters)
    {
        public static StatisticQuery From(StatisticFilters f, QueryErrors errors, IReadOnlyList<IReadOnlyList<string>> synonyms)
        {
            var indicators = errors.List(f.Indicator, "indicator", QueryErrors.Slug(), "indicator id");
            var regions = errors.List(f.Region, "region", QueryErrors.Adcode(), "adcode (110000, 110105 …)");
            var plans = errors.List(f.Plan, "plan", QueryErrors.Slug(), "plan id");
            var sources = errors.List(f.Source, "source", QueryErrors.Slug(), "source id");
            var kinds = errors.List(f.Kind, "kind", QueryErrors.Slug(), "kind", Kinds);
            var comparators = errors.List(f.Comparator, "comparator", QueryErrors.Slug(), "comparator", Comparators);
            var from = errors.Period(f.From, "from");
            var to = errors.Period(f.To, "to");
            var latest = errors.Bool(f.Latest, "latest");
            var onlyConflicts = errors.Bool(f.Conflicts, "conflicts");
            string? match = null;
            if (f.Q is not null)
            {
                if (f.Q.Length > QueryErrors.MaxSearchLength) errors.Add("q", $"is longer than {QueryErrors.MaxSearchLength} characters.");
                else if ((match = SearchTerms.ToMatchExpression(f.Q, synonyms)) is null) errors.Add("q", "has no word to search for.");
            }

            var where = new List<string> { "1 = 1" };
            if (indicators.Count > 0) where.Add("s.indicator_id IN @Indicators");
            if (regions.Count > 0) where.Add("s.region_adcode IN @Regions");
            if (plans.Count > 0) where.Add("s.plan_id IN @Plans");
            if (sources.Count > 0) where.Add("s.source_id IN @Sources");
            if (kinds.Count > 0) where.Add("s.kind IN @Kinds");
            if (comparators.Count > 0) where.Add("s.comparator IN @Comparators");
            if (from is not null) where.Add("s.period >= @From");
            if (to is not null) where.Add("s.period < @ToEnd");
            if (match is not null) where.Add("s.id IN (SELECT id FROM search_index WHERE search_index MATCH @Match AND resource = 'statistics')");
            if (onlyConflicts) where.Add("EXISTS (SELECT 1 FROM statistic_conflicts c WHERE c.statistic_id = s.id)");
            if (latest) where.Add("""
                NOT EXISTS (SELECT 1 FROM statistics newer
                            WHERE newer.indicator_id = s.indicator_id AND newer.region_adcode = s.region_adcode
                              AND newer.kind = s.kind AND newer.period > s.period)
                """);
            return new StatisticQuery(string.Join(" AND ", where), new
            {
                Indicators = indicators, Regions = regions, Plans = plans, Sources = sources, Kinds = kinds,
                Comparators = comparators, From = from, ToEnd = to is null ? null : QueryErrors.PeriodEnd(to), Match = match,
            });
        }
    }

    private sealed class StatisticRow
    {
        public string Id { get; set; } = "";
        public string IndicatorId { get; set; } = "";
        public string IndicatorNameZh { get; set; } = "";
        public string IndicatorNameEn { get; set; } = "";
        public string RegionAdcode { get; set; } = "";
        public string RegionNameZh { get; set; } = "";
        public string RegionNameEn { get; set; } = "";
        public double RegionLon { get; set; }
        public double RegionLat { get; set; }
        public string Period { get; set; } = "";
        public double Value { get; set; }
        public string Unit { get; set; } = "";
        public string ValueAsWritten { get; set; } = "";
        public string Comparator { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? PlanId { get; set; }
        public string SourceId { get; set; } = "";
        public string SourceTitleZh { get; set; } = "";
        public string SourceTitleEn { get; set; } = "";
        public string SourcePublishedOn { get; set; } = "";
        public string? SourceUrl { get; set; }
        public string SourceOutletZh { get; set; } = "";
        public string SourceOutletEn { get; set; } = "";
        public string? SourceAuthorZh { get; set; }
        public string? SourceAuthorEn { get; set; }
        public string Quote { get; set; } = "";
        public string? NotesZh { get; set; }
        public string? NotesEn { get; set; }
        public string? ConflictsWith { get; set; }

        public StatisticResponse ToResponse(HttpContext http, string dataVersion)
        {
            var self = ApiUrls.Statistic(http, Id);
            var page = ApiUrls.StatisticPage(http, Id);
            var by = SourceAuthorZh is null ? "" : SourceAuthorZh + ":";
            var byEn = SourceAuthorEn is null ? "" : SourceAuthorEn + ", ";
            // A pasted citation opens for a person: each language's points to the page in that language.
            var citation = new LocalizedText(
                $"{by}《{SourceTitleZh}》,{SourceOutletZh},{SourcePublishedOn}。引自 OpenGovernanceApi 统计数据 {Id}(数据版本 {dataVersion}):{page}",
                $"{byEn}\"{SourceTitleEn}\", {SourceOutletEn}, {SourcePublishedOn}. Via OpenGovernanceApi, statistic {Id} (data release {dataVersion}): {ApiUrls.StatisticPage(http, Id, english: true)}");
            return new StatisticResponse(Id,
                new IndicatorRef(IndicatorId, new LocalizedText(IndicatorNameZh, IndicatorNameEn)),
                new RegionRef(RegionAdcode, new LocalizedText(RegionNameZh, RegionNameEn), new GeoPoint(RegionLon, RegionLat)),
                Period, Value, Unit, ValueAsWritten, Comparator, Kind, PlanId,
                new SourceRef(SourceId, new LocalizedText(SourceTitleZh, SourceTitleEn), SourcePublishedOn, SourceUrl),
                Quote, LocalizedText.From(NotesZh, NotesEn), ConflictsWith?.Split(' ') ?? [], citation, new StatisticLinks(self, page));
        }
    }
}

/// <summary>One published figure.</summary>
/// <param name="Id">Stable id; the permanent URL is `links.self`.</param>
/// <param name="Indicator">What is measured.</param>
/// <param name="Region">Where: Beijing (110000) or a district, by GB/T 2260 adcode.</param>
/// <param name="Period">The date the figure describes, ISO 8601 of the precision known (`2016`, `2018-01`, `2019-01-09`). A target's period is its deadline.</param>
/// <param name="Value">The figure in base units (426.7万 → 4267000); a percentage stays a percentage (83.9). Read it with `comparator`.</param>
/// <param name="Unit">Unit id: persons, percent, organisations, yuan, … (see the indicator).</param>
/// <param name="ValueAsWritten">The figure exactly as printed in the source ("426.7万", "近90%").</param>
/// <param name="Comparator">The hedge: `eq` (as stated), `approx` (约, 近, 将近), `gt` (超过, 突破, 逾, 多), `gte` (不少于, 不低于, 以上: the number included), `lt` (不到), `lte` (不超过).</param>
/// <param name="Kind">`actual` (reported), `target` (a plan's goal) or `norm` (a rule a document sets, such as a pay floor or a floor-area standard).</param>
/// <param name="Plan">The plan a target belongs to (`12th`, `13th`, `14th`), or null.</param>
/// <param name="Source">The document the figure is quoted from.</param>
/// <param name="Quote">The exact sentence or clause of the source that holds the figure, character for character.</param>
/// <param name="Notes">What a reader must know: how a period was inferred, an unusual hedge.</param>
/// <param name="ConflictsWith">Ids of statistics from other sources that give another value for the same indicator, region, kind and year.</param>
/// <param name="Citation">A ready-to-paste reference: source, date, and the permanent URL of this statistic's page (the Chinese page in `zh`, the English one in `en`), which a reader can open.</param>
/// <param name="Links">The permanent URL of this statistic, and its page for people.</param>
public sealed record StatisticResponse(string Id, IndicatorRef Indicator, RegionRef Region, string Period, double Value, string Unit,
    string ValueAsWritten, string Comparator, string Kind, string? Plan, SourceRef Source, string Quote, LocalizedText? Notes,
    IReadOnlyList<string> ConflictsWith, LocalizedText Citation, StatisticLinks Links) : IGeoFeature
{
    string IGeoFeature.FeatureId => Id;
    GeoPoint IGeoFeature.FeaturePoint => Region.Point;
}

public sealed record IndicatorRef(string Id, LocalizedText Name);

/// <summary>A region as a statistic names it: adcode, name and representative point (for maps).</summary>
public sealed record RegionRef(string Adcode, LocalizedText Name, GeoPoint Point);

public sealed record SourceRef(string Id, LocalizedText Title, string PublishedOn, string? Url);

public sealed record SelfLink(string Self);

/// <summary>Where a statistic lives.</summary>
/// <param name="Self">Its permanent URL in the API.</param>
/// <param name="Html">Its page for people, in Chinese (`/statistics/{id}`; the English one is `/en/statistics/{id}`): the figure, its hedge in words, the quote, conflicts, the series and the citation.</param>
public sealed record StatisticLinks(string Self, string Html);
