namespace OpenGovernanceApi.Api;

/// <summary>Aims of the plans; a quantitative goal carries its target and its progress.</summary>
public static class GoalsEndpoints
{
    public static IEndpointRouteBuilder MapGoalsEndpoints(this IEndpointRouteBuilder v1)
    {
        var goals = v1.MapGroup("/goals").WithTag("Goals", "Aims of the plans; quantitative ones with their target and honest progress.");

        goals.MapGet("", ListGoals)
            .WithMetadata(new IndexedCollection("goals"))
            .WithName("ListGoals")
            .WithSummary("List the goals of the plans")
            .WithDescription("""
                Goals of the 12th, 13th and 14th plans, qualitative ("社会治理新格局基本形成") or quantitative ("实名注册志愿者人数将不少于全市常住人口的21%").
                A quantitative goal names its target (indicator, value, unit, comparator, deadline) and carries `progress`: the latest
                actual figure of the same indicator and region against the target, with `status` met, not-met, uncertain (when a
                hedge such as 近 or 超过 makes the answer unsure, with the reason), not-comparable (different units) or no-data.
                Only figures from the plan's own period count: an older figure is shown as `baseline`, and without a figure from
                the period the status is no-data. A goal or target stated under a task or project names it in `measure`.
                Filter by `plan`, `indicator`, `measure`, `kind`.
                """);

        goals.MapGet("/{id}", GetGoal)
            .WithName("GetGoal")
            .WithSummary("Get one goal with its progress")
            .WithDescription("One goal: its text, quote and source; for a quantitative goal, its target and honest progress.");
        return v1;
    }

    /// <summary>Filters of /v1/goals.</summary>
    public sealed class GoalFilters
    {
        /// <summary>Plan id(s): `12th`, `13th`, `14th`.</summary>
        [QuerySchema(Pattern = QueryErrors.SlugPattern), FromQuery(Name = "plan")] public string[]? Plan { get; init; }

        /// <summary>Indicator id(s) of the goals' targets, e.g. `registered-volunteers`.</summary>
        [QuerySchema(Pattern = QueryErrors.SlugPattern), FromQuery(Name = "indicator")] public string[]? Indicator { get; init; }

        /// <summary>Measure id(s): the task or project that states the goal or target, e.g. `14th-project-social-work`; `none` for goals stated outside any.</summary>
        [QuerySchema(Pattern = QueryErrors.SlugPattern), FromQuery(Name = "measure")] public string[]? Measure { get; init; }

        /// <summary>`qualitative` or `quantitative`.</summary>
        [QuerySchema(Enum = new[] { "qualitative", "quantitative" }), FromQuery(Name = "kind")] public string[]? Kind { get; init; }
    }

    private static readonly string[] Kinds = QuerySchemaAttribute.EnumOf<GoalFilters>(nameof(GoalFilters.Kind));

    private const string SelectGoals = """
        SELECT g.id AS Id, g.plan_id AS PlanId, g.parent_id AS ParentId, g.measure_id AS MeasureId, g.ordinal AS Ordinal, g.kind AS Kind,
               g.text_zh AS TextZh, g.text_en AS TextEn, g.source_id AS SourceId, g.quote AS Quote,
               t.id AS TargetId, t.indicator_id AS IndicatorId, i.name_zh AS IndicatorNameZh, i.name_en AS IndicatorNameEn,
               t.region_adcode AS RegionAdcode, t.value AS TargetValue, t.unit_id AS TargetUnit, t.comparator AS TargetComparator,
               t.period AS Deadline, t.value_as_written AS TargetAsWritten, p.period_start AS PlanStart, p.period_end AS PlanEnd
        FROM goals g
        JOIN plans p ON p.id = g.plan_id
        LEFT JOIN statistics t ON t.id = g.target_statistic_id
        LEFT JOIN indicators i ON i.id = t.indicator_id
        """;

    // The newest actual figure of an indicator in a region within the plan's period (periods are ISO strings:
    // '2021' <= period < '2026' holds '2021-03' and '2025-12-31'), and the newest before it, the baseline.
    // Ties broken by id; conflicts are visible on the statistic.
    private const string SelectLatestAndBaseline = """
        SELECT * FROM (
            SELECT 'latest' AS Role, s.id AS Id, s.value AS Value, s.unit_id AS Unit, s.comparator AS Comparator, s.period AS Period,
                   s.value_as_written AS ValueAsWritten, s.source_id AS SourceId
            FROM statistics s
            WHERE s.indicator_id = @Indicator AND s.region_adcode = @Region AND s.kind = 'actual' AND s.period >= @Start AND s.period < @End
            ORDER BY s.period DESC, s.id LIMIT 1)
        UNION ALL
        SELECT * FROM (
            SELECT 'baseline', s.id, s.value, s.unit_id, s.comparator, s.period, s.value_as_written, s.source_id
            FROM statistics s
            WHERE s.indicator_id = @Indicator AND s.region_adcode = @Region AND s.kind = 'actual' AND s.period < @Start
            ORDER BY s.period DESC, s.id LIMIT 1)
        """;

    public static async Task<Results<Ok<Collection<GoalResponse>>, ValidationProblem>> ListGoals(
        [AsParameters] GoalFilters filters, [AsParameters] CollectionOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var plans = errors.List(filters.Plan, "plan", QueryErrors.Slug(), "plan id");
        var indicators = errors.List(filters.Indicator, "indicator", QueryErrors.Slug(), "indicator id");
        var measures = errors.List(filters.Measure, "measure", QueryErrors.Slug(), "measure id or 'none'");
        var kinds = errors.List(filters.Kind, "kind", QueryErrors.Slug(), "kind", Kinds);
        var page = PageRequest.From(options, http, db.DataVersion, "id", errors);
        if (errors.Any) return errors.ToProblem();

        var where = new List<string> { "1 = 1" };
        if (plans.Count > 0) where.Add("g.plan_id IN @Plans");
        if (indicators.Count > 0) where.Add("t.indicator_id IN @Indicators");
        if (measures.Count > 0) where.Add(measures.Contains("none") ? "(g.measure_id IS NULL OR g.measure_id IN @Measures)" : "g.measure_id IN @Measures");
        if (kinds.Count > 0) where.Add("g.kind IN @Kinds");
        await using var connection = await db.OpenAsync(cancellationToken);
        var (rows, total) = await PagedQuery.ByIdAsync<GoalRow>(connection, SelectGoals, "g.id", string.Join(" AND ", where),
            new DynamicParameters(new { Plans = plans, Indicators = indicators, Measures = measures, Kinds = kinds }), page, cancellationToken);
        var data = new List<GoalResponse>();
        foreach (var row in rows) data.Add(await ToResponse(connection, row, http, cancellationToken));
        return TypedResults.Ok(page.ToCollection(data, total, http, db.DataVersion, g => (null, g.Id)));
    }

    public static Task<Results<Ok<Item<GoalResponse>>, NotFoundProblem>> GetGoal(
        [Description("Stable id of the goal, e.g. `14th-goal-1`."), QuerySchema(Pattern = QueryErrors.SlugPattern, MaxLength = QueryErrors.MaxValueLength)] string id, [AsParameters] ItemOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken) =>
        ItemQuery.FindAsync<GoalRow, GoalResponse>(db, $"{SelectGoals} WHERE g.id = @Id", "goal", id,
            (connection, row) => ToResponse(connection, row, http, cancellationToken), cancellationToken);

    /// <summary>
    /// One goal by id, or the goals of a plan (only its quantitative ones, which carry progress, when asked), in id order,
    /// each with its target and progress: the query of /v1/goals for the MCP tool goal_progress.
    /// </summary>
    public static async Task<IReadOnlyList<GoalResponse>> ListAsync(GovernanceDb db, HttpContext http, string? plan, string? goal,
        bool onlyQuantitative, CancellationToken cancellationToken)
    {
        var where = new List<string> { "1 = 1" };
        if (plan is not null) where.Add("g.plan_id = @Plan");
        if (goal is not null) where.Add("g.id = @Goal");
        if (onlyQuantitative) where.Add("g.kind = 'quantitative'");
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<GoalRow>(new CommandDefinition(
            $"{SelectGoals} WHERE {string.Join(" AND ", where)} ORDER BY g.id", new { Plan = plan, Goal = goal }, cancellationToken: cancellationToken));
        var goals = new List<GoalResponse>();
        foreach (var row in rows) goals.Add(await ToResponse(connection, row, http, cancellationToken));
        return goals;
    }

    private static async Task<GoalResponse> ToResponse(Microsoft.Data.Sqlite.SqliteConnection connection, GoalRow row, HttpContext http, CancellationToken cancellationToken)
    {
        GoalTarget? target = null;
        ProgressResponse? progress = null;
        if (row.TargetId is not null)
        {
            target = new GoalTarget(row.TargetId, new IndicatorRef(row.IndicatorId!, new LocalizedText(row.IndicatorNameZh!, row.IndicatorNameEn!)),
                row.RegionAdcode!, row.TargetValue!.Value, row.TargetUnit!, row.TargetAsWritten!, row.TargetComparator!, row.Deadline!,
                ApiUrls.Statistic(http, row.TargetId));
            var figures = (await connection.QueryAsync<LatestRow>(new CommandDefinition(SelectLatestAndBaseline,
                new { Indicator = row.IndicatorId, Region = row.RegionAdcode, Start = row.PlanStart, End = PeriodAfter(row.PlanEnd) },
                cancellationToken: cancellationToken))).ToList();
            var latest = figures.FirstOrDefault(f => f.Role == "latest");
            var baseline = figures.FirstOrDefault(f => f.Role == "baseline");
            var verdict = GoalProgress.Assess(
                new GoalProgress.Figure(target.Value, target.Unit, target.Comparator, target.Deadline, target.ValueAsWritten),
                latest is null ? null : new GoalProgress.Figure(latest.Value, latest.Unit, latest.Comparator, latest.Period, latest.ValueAsWritten),
                new GoalProgress.PlanPeriod(row.PlanStart, row.PlanEnd),
                baseline is null ? null : new GoalProgress.Figure(baseline.Value, baseline.Unit, baseline.Comparator, baseline.Period, baseline.ValueAsWritten));
            progress = new ProgressResponse(verdict.Status, verdict.Ratio, verdict.Reason,
                latest?.ToActual(http), baseline?.ToActual(http));
        }
        return new GoalResponse(row.Id, row.PlanId, row.ParentId, row.MeasureId, (int)row.Ordinal, row.Kind, new LocalizedText(row.TextZh, row.TextEn),
            row.SourceId, row.Quote, target, progress,
            new GoalLinks(ApiUrls.Absolute(http, "/v1/goals/" + row.Id), ApiUrls.Absolute(http, "/v1/plans/" + row.PlanId),
                row.MeasureId is null ? null : ApiUrls.Absolute(http, "/v1/measures/" + row.MeasureId),
                row.IndicatorId is null ? null : ApiUrls.Absolute(http, "/v1/indicators/" + row.IndicatorId + "/series")));
    }

    /// <summary>The first period after a plan's last year ('2025' → '2026'), the exclusive end of its period.</summary>
    private static string PeriodAfter(string year) => (int.Parse(year, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class GoalRow
    {
        public string Id { get; set; } = "";
        public string PlanId { get; set; } = "";
        public string? ParentId { get; set; }
        public string? MeasureId { get; set; }
        public long Ordinal { get; set; }
        public string Kind { get; set; } = "";
        public string TextZh { get; set; } = "";
        public string TextEn { get; set; } = "";
        public string SourceId { get; set; } = "";
        public string Quote { get; set; } = "";
        public string? TargetId { get; set; }
        public string? IndicatorId { get; set; }
        public string? IndicatorNameZh { get; set; }
        public string? IndicatorNameEn { get; set; }
        public string? RegionAdcode { get; set; }
        public double? TargetValue { get; set; }
        public string? TargetUnit { get; set; }
        public string? TargetComparator { get; set; }
        public string? Deadline { get; set; }
        public string? TargetAsWritten { get; set; }
        public string PlanStart { get; set; } = "";
        public string PlanEnd { get; set; } = "";
    }

    private sealed class LatestRow
    {
        public string Role { get; set; } = "";
        public string Id { get; set; } = "";
        public double Value { get; set; }
        public string Unit { get; set; } = "";
        public string Comparator { get; set; } = "";
        public string Period { get; set; } = "";
        public string ValueAsWritten { get; set; } = "";
        public string SourceId { get; set; } = "";

        public LatestActual ToActual(HttpContext http) =>
            new(Id, Period, Value, Unit, ValueAsWritten, Comparator, SourceId, ApiUrls.Statistic(http, Id));
    }
}

/// <summary>An aim of a plan.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Plan">The plan: `12th`, `13th`, `14th`.</param>
/// <param name="Parent">The goal this one details, or null.</param>
/// <param name="Measure">The task or project (a measure of the same plan) that states this goal or target, or null.</param>
/// <param name="Ordinal">Position among its siblings, as in the source.</param>
/// <param name="Kind">`qualitative` or `quantitative`.</param>
/// <param name="Text">The goal in Chinese (as in the source) and English.</param>
/// <param name="Source">Source document id.</param>
/// <param name="Quote">The exact sentence of the source.</param>
/// <param name="Target">For a quantitative goal: indicator, region, value, unit, comparator and deadline (the target statistic).</param>
/// <param name="Progress">For a quantitative goal: the latest actual figure against the target, honestly.</param>
/// <param name="Links">This goal, its plan, and the series of its indicator.</param>
public sealed record GoalResponse(string Id, string Plan, string? Parent, string? Measure, int Ordinal, string Kind, LocalizedText Text, string Source, string Quote,
    GoalTarget? Target, ProgressResponse? Progress, GoalLinks Links);

/// <summary>The target of a quantitative goal.</summary>
/// <param name="Statistic">Id of the target statistic.</param>
/// <param name="Indicator">What is measured.</param>
/// <param name="Region">Adcode the target applies to.</param>
/// <param name="Value">Target value in base units.</param>
/// <param name="Unit">Unit of the target (may differ from the indicator's: a share of population).</param>
/// <param name="ValueAsWritten">The target as printed.</param>
/// <param name="Comparator">`gte` for 不少于 and 以上 (the number included), `gt` for 超过, `eq` for 达到 …</param>
/// <param name="Deadline">When it is due (ISO 8601).</param>
/// <param name="Href">URL of the target statistic.</param>
public sealed record GoalTarget(string Statistic, IndicatorRef Indicator, string Region, double Value, string Unit, string ValueAsWritten,
    string Comparator, string Deadline, string Href);

/// <summary>Progress of a quantitative goal.</summary>
/// <param name="Status">`met`, `not-met`, `uncertain` (a hedge makes the answer unsure), `not-comparable` (units differ) or `no-data` (no actual figure from the plan's period).</param>
/// <param name="Ratio">Latest value / target value (null when not comparable or no data). Read with the comparators.</param>
/// <param name="Reason">Why the status is what it is, in Chinese and English, with both figures and their hedges.</param>
/// <param name="Latest">The latest actual figure from the plan's period, or null.</param>
/// <param name="Baseline">The newest actual figure from before the plan's period, shown for reference and never judged against the target; or null.</param>
public sealed record ProgressResponse(string Status, double? Ratio, LocalizedText Reason, LatestActual? Latest, LatestActual? Baseline);

/// <summary>The latest actual figure a goal is measured against.</summary>
public sealed record LatestActual(string Statistic, string Period, double Value, string Unit, string ValueAsWritten, string Comparator, string Source, string Href);

public sealed record GoalLinks(string Self, string Plan, string? Measure, string? Series);
