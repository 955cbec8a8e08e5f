using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace OpenGovernanceApi.Mcp;

/// <summary>
/// The MCP tools: the questions /v1 answers, asked by an assistant. Each runs the query of its /v1 operation
/// (the static methods of Api/), answers the structured content its output schema describes AND a short text
/// to quote that says every figure with its hedge ("nearly 90%", never "90%") and ends with the citation.
/// A term may be an id or a name in Chinese or English (朝阳 or Chaoyang, 十四五 or 14th, 志愿服务 or volunteering).
/// </summary>
[McpServerToolType]
public sealed class McpTools
{
    public const int MaxQueryLength = SearchEndpoints.SearchRequest.MaxQueryLength;
    public const int MaxSearchResults = 50;

    [McpServerTool(Name = "search", Title = "Search the figures, goals, measures, indicators and sources",
        ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(SearchAnswer))]
    [Description("""
        Full-text search over Beijing's social-governance dataset: published figures (statistics), plan goals, measures,
        indicators and source documents, best match first, in Chinese or English (志愿者, volunteers, 社工, "426.7").
        The same search as GET /v1/search. Use it to find ids, then get_statistic, get_series or goal_progress.
        """)]
    public static async Task<CallToolResult> Search(GovernanceDb db, IHttpContextAccessor accessor,
        [Description("Words to look for, Chinese or English, or a number as written (426.7). At most 200 characters."), MaxLength(MaxQueryLength)] string query,
        [Description("Only these kinds of result, comma-separated: statistics, goals, measures, indicators, sources (or 统计, 目标, 措施, 指标, 来源). Default: all."), MaxLength(200)] string type = "",
        [Description("How many results, 1 to 50."), Range(1, MaxSearchResults)] int limit = 10,
        CancellationToken cancellationToken = default)
    {
        var http = accessor.HttpContext!;
        var errors = new QueryErrors();
        // Optional arguments are plain strings, empty when not given (a ["string","null"] type is less portable across assistants).
        var types = type.Trim().Length == 0 ? null : type.Split(',', '，', '、').Select(t => TypeAliases.GetValueOrDefault(t.Trim(), t.Trim())).ToArray();
        var request = SearchEndpoints.SearchRequest.From(query, types, db, errors, "query", "type");
        if (request is null) return Error("Invalid arguments for search: " + errors.Describe());
        var (hits, total) = await SearchEndpoints.RankAsync(request, limit, 0, db, http, cancellationToken);

        var json = ApiUrls.Absolute(http, "/v1/search?q=" + Uri.EscapeDataString(query) + (request.Types.Count > 0 ? "&type=" + string.Join(",", request.Types) : ""));
        var text = new StringBuilder(total == 0
            ? $"No result for \"{query}\"."
            : $"{total} result{(total == 1 ? "" : "s")} for \"{query}\"{(hits.Count < total ? $", the best {hits.Count}" : "")}:");
        text.AppendLine();
        // A figure's English title says its hedge ("more than 4.267 million people"); its Chinese title gives the figure as
        // written, whose hedge may stand in the sentence instead (突破426.7万), so only the English one is said here.
        foreach (var hit in hits)
            text.AppendLine($"{hit.Rank}. [{hit.Type}] {hit.Id}: {hit.Title.En}{(hit.Type == "statistics" ? "" : " | " + hit.Title.Zh)}");
        if (hits.Any(h => h.Type == "statistics")) text.AppendLine("For a figure's quote, hedge and citation: get_statistic with its id.");
        return Answer(new SearchAnswer(query, total, hits, json), text.Append(Citation(db, json)).ToString());
    }

    [McpServerTool(Name = "get_statistic", Title = "One published figure with its hedge, quote and citation",
        ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(StatisticAnswer))]
    [Description("""
        One published figure by its id (from search or get_series): value in base units, the figure as the source writes it,
        its hedge in words (近90% is "nearly 90%", 突破426.7万 "more than 4.267 million"), period, region, kind (actual,
        target or norm), source, the verbatim quote, figures of other sources that disagree, the citation and the JSON URL.
        Always state the hedge when you repeat the figure.
        """)]
    public static async Task<CallToolResult> GetStatistic(GovernanceDb db, IHttpContextAccessor accessor,
        [Description("Stable id of the statistic, e.g. registered-volunteers-2019-01-09-pc2019."), MaxLength(200)] string id,
        CancellationToken cancellationToken = default)
    {
        var http = accessor.HttpContext!;
        if (await StatisticsEndpoints.FindAsync(db, http, id.Trim(), cancellationToken) is not { } statistic)
            return Error($"There is no statistic with id '{QueryErrors.Shorten(id)}'. Find ids with the search tool (type statistics) or get_series.");
        var conflicting = new List<Figure>();
        foreach (var other in statistic.ConflictsWith)
            if (await StatisticsEndpoints.FindAsync(db, http, other, cancellationToken) is { } found) conflicting.Add(Figure.Of(found));
        var figure = Figure.Of(statistic);

        var text = new StringBuilder()
            .AppendLine($"{statistic.Indicator.Name.En} ({statistic.Indicator.Name.Zh}), {statistic.Region.Name.En}, {statistic.Period}: {figure.InWords.En} " +
                        $"(written \"{statistic.ValueAsWritten}\"; {Hedged(statistic.Comparator, figure.Hedge)}). {KindInWords(statistic.Kind, statistic.Plan)}")
            .AppendLine($"Quote ({statistic.Source.Title.Zh}, {statistic.Source.PublishedOn}): “{statistic.Quote}”");
        if (statistic.Notes is { } notes) text.AppendLine("Note: " + notes.En);
        foreach (var other in conflicting)
            text.AppendLine($"Another source disagrees: {other.InWords.En} for {other.Period} (written \"{other.ValueAsWritten}\"), {other.Source.Title.En}, {other.Source.PublishedOn} [{other.Id}].");
        text.AppendLine("JSON: " + statistic.Links.Self).Append("Citation: " + statistic.Citation.En);
        return Answer(new StatisticAnswer(figure, conflicting), text.ToString());
    }

    [McpServerTool(Name = "get_series", Title = "Every figure of one indicator, in period order",
        ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(SeriesAnswer))]
    [Description("""
        How one indicator changed: its figures across every source document in period order, the actual figures apart from
        the plans' targets (and from norms, rules a document sets), each with its hedge, source and quote. The same data as
        GET /v1/indicators/{id}/series. The indicator may be an id (registered-volunteers) or a name in Chinese or English.
        """)]
    public static async Task<CallToolResult> GetSeries(GovernanceDb db, IHttpContextAccessor accessor,
        [Description("Indicator id (registered-volunteers) or its name in Chinese or English (实名注册志愿者人数). list_indicators lists them."), MaxLength(200)] string indicator,
        [Description("Only this region: an adcode (110105) or a name (朝阳区, Chaoyang, 北京, Beijing). Default: every region."), MaxLength(200)] string region = "",
        CancellationToken cancellationToken = default)
    {
        var http = accessor.HttpContext!;
        var (found, problem) = await FindIndicatorAsync(db, http, indicator, cancellationToken);
        if (found is null) return Error(problem!);
        Names.Row? place = null;
        if (region.Trim().Length > 0 && (place = Names.Resolve(await Names.LoadAsync(db, "regions", cancellationToken), region, "region", out problem)) is null)
            return Error(problem!);
        var adcode = place?.Id;
        var errors = new QueryErrors();
        var filters = new StatisticsEndpoints.StatisticFilters { Indicator = [found.Id], Region = adcode is null ? null : [adcode], Sort = "period" };
        var statistics = await StatisticsEndpoints.ListAsync(filters, PageRequest.MaxLimit, db, http, errors, cancellationToken);
        if (statistics is null) return Error("Invalid arguments for get_series: " + errors.Describe());

        var figures = statistics.Select(Figure.Of).ToList();
        var json = found.Links.Series + (adcode is null ? "" : "?region=" + adcode);
        var answer = new SeriesAnswer(new IndicatorRef(found.Id, found.Name), adcode, figures.Where(f => f.Kind == "actual").ToList(),
            figures.Where(f => f.Kind == "target").ToList(), figures.Where(f => f.Kind == "norm").ToList(), json);
        var text = new StringBuilder($"{found.Name.En} ({found.Name.Zh}){(place is null ? "" : $", {place.En} ({place.Zh})")}: " +
                                     (figures.Count == 0 ? "no figure." : $"{figures.Count} figure{(figures.Count == 1 ? "" : "s")} in period order."));
        text.AppendLine();
        Section(text, "Actual figures", answer.Actuals, f => $"{f.Period}");
        Section(text, "Targets of the plans", answer.Targets, f => $"by {f.Period} ({f.Plan} plan)");
        Section(text, "Norms (rules a document sets)", answer.Norms, f => $"{f.Period}");
        if (figures.Count > 0) text.AppendLine("Each figure's quote and full citation: get_statistic with its id.");
        return Answer(answer, text.Append(Citation(db, json)).ToString());

        static void Section(StringBuilder text, string title, IReadOnlyList<Figure> figures, Func<Figure, string> when)
        {
            if (figures.Count == 0) return;
            text.AppendLine(title + ":");
            foreach (var f in figures)
                text.AppendLine($"- {when(f)}, {f.Region.Name.En}: {f.InWords.En} (written \"{f.ValueAsWritten}\"), {f.Source.Title.En}, {f.Source.PublishedOn} [{f.Id}]" +
                                (f.ConflictsWith.Count > 0 ? $"; another source disagrees: {string.Join(", ", f.ConflictsWith)}" : ""));
        }
    }

    [McpServerTool(Name = "list_indicators", Title = "What is measured: the indicators",
        ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(IndicatorsAnswer))]
    [Description("""
        The indicators the figures measure (114 in all), each with its id, Chinese and English name, unit, topic and number of
        figures; narrowed by topic and by words in their names or descriptions. An id is what get_series takes.
        """)]
    public static async Task<CallToolResult> ListIndicators(GovernanceDb db, IHttpContextAccessor accessor,
        [Description("Only this topic: an id (volunteering, social-work, party-building …) or its name in Chinese or English (志愿服务, Volunteering)."), MaxLength(200)] string topic = "",
        [Description("Only indicators whose name or description has these words, Chinese or English (志愿者, volunteers). At most 200 characters."), MaxLength(MaxQueryLength)] string query = "",
        CancellationToken cancellationToken = default)
    {
        var http = accessor.HttpContext!;
        string? topicId = null;
        if (topic.Trim().Length > 0 && (topicId = Names.Resolve(await Names.LoadAsync(db, "topics", cancellationToken), topic, "topic", out var problem)?.Id) is null)
            return Error(problem!);
        List<string>? ids = null;
        if (query.Trim().Length > 0)
        {
            var errors = new QueryErrors();
            var request = SearchEndpoints.SearchRequest.From(query, ["indicators"], db, errors, "query");
            if (request is null) return Error("Invalid arguments for list_indicators: " + errors.Describe());
            ids = (await SearchEndpoints.RankAsync(request, 200, 0, db, http, cancellationToken)).Hits.Select(h => h.Id).ToList();
        }
        var indicators = await IndicatorsEndpoints.ListAsync(db, http, topicId is null ? [] : [topicId], ids, cancellationToken);

        var json = ids is not null
            ? ApiUrls.Absolute(http, "/v1/search?type=indicators&q=" + Uri.EscapeDataString(query))
            : ApiUrls.Absolute(http, "/v1/indicators" + (topicId is null ? "" : "?topic=" + topicId));
        var text = new StringBuilder($"{indicators.Count} indicators{(topicId is null ? "" : " of topic " + topicId)}{(ids is null ? "" : $" matching \"{query}\"")}:");
        text.AppendLine();
        foreach (var i in indicators)
            text.AppendLine($"- {i.Id}: {i.Name.En} ({i.Name.Zh}); unit {i.Unit.Id}; topic {i.Topic.Name.En}; {i.StatisticCount} figure{(i.StatisticCount == 1 ? "" : "s")}");
        return Answer(new IndicatorsAnswer(indicators.Count, indicators, json), text.Append(Citation(db, json)).ToString());
    }

    [McpServerTool(Name = "goal_progress", Title = "Is a plan on track? Its quantitative goals against the latest figures",
        ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(GoalsAnswer))]
    [Description("""
        Honest progress of a plan's quantitative goals (or of one goal): the target with its hedge and deadline, the latest actual
        figure from the plan's own period, a status (met, not-met, uncertain when a hedge such as 近 or 超过 leaves it open,
        not-comparable, no-data) and the reason in Chinese and English. A figure from before the plan is shown as the baseline,
        never judged. Give a plan (14th, 十四五, 13th …) or a goal id (from search, type goals).
        """)]
    public static async Task<CallToolResult> GoalProgress(GovernanceDb db, IHttpContextAccessor accessor,
        [Description("A plan: 12th, 13th, 14th, or its name (十四五, \"14th Five-Year\")."), MaxLength(200)] string plan = "",
        [Description("One goal by id, e.g. 14th-goal-certified-social-workers."), MaxLength(200)] string goal = "",
        CancellationToken cancellationToken = default)
    {
        var http = accessor.HttpContext!;
        plan = plan.Trim();
        goal = goal.Trim();
        if ((plan.Length == 0) == (goal.Length == 0)) return Error("Invalid arguments for goal_progress: give either 'plan' (12th, 13th, 14th, 十四五 …) or 'goal' (a goal id), not both or neither.");
        string? planId = null;
        if (plan.Length > 0 && (planId = Names.Resolve(await Names.LoadAsync(db, "plans", cancellationToken), plan, "plan", out var problem)?.Id) is null)
            return Error(problem!);
        var goals = await GoalsEndpoints.ListAsync(db, http, planId, goal.Length > 0 ? goal : null, onlyQuantitative: planId is not null, cancellationToken);
        if (goal.Length > 0 && goals.Count == 0)
            return Error($"There is no goal with id '{QueryErrors.Shorten(goal)}'. Find ids with the search tool (type goals), or give a plan.");

        var json = goal.Length > 0 ? goals[0].Links.Self : ApiUrls.Absolute(http, $"/v1/goals?plan={planId}&kind=quantitative");
        var text = new StringBuilder(planId is null ? "" : $"{goals.Count} quantitative goals of the {planId} plan:\n");
        foreach (var g in goals)
        {
            text.AppendLine($"- {g.Id}: {g.Text.En} ({g.Text.Zh})");
            if (g.Target is not { } target || g.Progress is not { } progress)
            {
                text.AppendLine("  A qualitative goal: no figure to measure it by.");
                continue;
            }
            text.AppendLine($"  Target: {FigureWording.En(target.Value, target.Unit, target.Comparator, target.ValueAsWritten)} by {target.Deadline} (written \"{target.ValueAsWritten}\").");
            text.AppendLine($"  Status: {progress.Status}. {progress.Reason.En} ({progress.Reason.Zh})");
            if (progress.Latest is { } latest) text.AppendLine($"  Latest: {Said(latest)}.");
            if (progress.Baseline is { } baseline) text.AppendLine($"  Baseline, not judged: {Said(baseline)}.");
        }
        return Answer(new GoalsAnswer(planId, goals.Count, goals, json), text.Append(Citation(db, json)).ToString());

        static string Said(LatestActual f) =>
            $"{FigureWording.En(f.Value, f.Unit, f.Comparator, f.ValueAsWritten)} ({f.Period}, written \"{f.ValueAsWritten}\", source {f.Source}) [{f.Statistic}]";
    }

    /// <summary>A tool error the assistant reads (isError): what was wrong and how to put it right.</summary>
    public static CallToolResult Error(string message) => new() { IsError = true, Content = [new TextContentBlock { Text = message }] };

    private static CallToolResult Answer<T>(T answer, string text) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = JsonSerializer.SerializeToElement(answer, McpEndpoints.Json),
    };

    /// <summary>The last line of a tool's text: what to cite for an answer that is not one figure (which cites its own source).</summary>
    private static string Citation(GovernanceDb db, string url) =>
        $"Citation: OpenGovernanceApi, Beijing social-governance open data (data release {db.DataVersion}): {url}";

    private static string Hedged(string comparator, string hedge) => comparator == "eq"
        ? "stated exactly" : $"hedge {comparator}: \"{hedge}\"";

    private static string KindInWords(string kind, string? plan) => kind switch
    {
        "target" => $"A target of the {plan} plan, not an achievement.",
        "norm" => "A norm: a rule the document sets, not an achievement.",
        _ => "An actual, reported figure.",
    };

    /// <summary>English and Chinese words for the kinds of search result.</summary>
    private static readonly Dictionary<string, string> TypeAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["statistic"] = "statistics", ["figures"] = "statistics", ["统计"] = "statistics", ["统计数据"] = "statistics", ["数据"] = "statistics",
        ["goal"] = "goals", ["目标"] = "goals", ["measure"] = "measures", ["措施"] = "measures", ["任务"] = "measures",
        ["indicator"] = "indicators", ["指标"] = "indicators", ["source"] = "sources", ["来源"] = "sources", ["文件"] = "sources",
    };

    /// <summary>An indicator by id, by its exact name, or the one the search finds; several candidates are an error that lists them.</summary>
    private static async Task<(IndicatorResponse? Found, string? Problem)> FindIndicatorAsync(GovernanceDb db, HttpContext http, string term, CancellationToken cancellationToken)
    {
        term = term.Trim();
        if (QueryErrors.Slug().IsMatch(term) && await IndicatorsEndpoints.FindAsync(db, http, term, cancellationToken) is { } byId) return (byId, null);
        var errors = new QueryErrors();
        if (SearchEndpoints.SearchRequest.From(term, ["indicators"], db, errors, "indicator") is not { } request)
            return (null, "Invalid arguments for get_series: " + errors.Describe());
        var hits = (await SearchEndpoints.RankAsync(request, 10, 0, db, http, cancellationToken)).Hits;
        var exact = hits.FirstOrDefault(h => h.Title.Zh == term || string.Equals(h.Title.En, term, StringComparison.OrdinalIgnoreCase));
        if (exact is not null || hits.Count == 1)
            return (await IndicatorsEndpoints.FindAsync(db, http, (exact ?? hits[0]).Id, cancellationToken), null);
        return (null, hits.Count == 0
            ? $"No indicator matches '{QueryErrors.Shorten(term)}'. list_indicators lists them (its query narrows the list)."
            : $"'{QueryErrors.Shorten(term)}' matches several indicators: {string.Join("; ", hits.Select(h => $"{h.Id} ({h.Title.En}, {h.Title.Zh})"))}. Call get_series again with one id.");
    }
}

/// <summary>
/// Ids and names of the small tables an argument may name in Chinese or English (regions, topics, plans).
/// An id, an exact name, or a name without its suffix (朝阳 for 朝阳区, Chaoyang for Chaoyang District) is
/// that row; otherwise a name that contains the words, when only one does; else an error that lists the choices.
/// </summary>
public static class Names
{
    public sealed record Row(string Id, string Zh, string En);

    // Table names are fixed here, never from a request.
    private static readonly Dictionary<string, string> Sql = new()
    {
        ["regions"] = "SELECT adcode AS Id, name_zh AS Zh, name_en AS En FROM regions ORDER BY adcode",
        ["topics"] = "SELECT id AS Id, name_zh AS Zh, name_en AS En FROM topics ORDER BY id",
        ["plans"] = "SELECT id AS Id, name_zh AS Zh, name_en AS En FROM plans ORDER BY id",
    };

    public static async Task<IReadOnlyList<Row>> LoadAsync(GovernanceDb db, string table, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Row>(new CommandDefinition(Sql[table], cancellationToken: cancellationToken))).ToList();
    }

    public static Row? Resolve(IReadOnlyList<Row> rows, string term, string what, out string? problem)
    {
        var t = term.Trim();
        problem = null;
        bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        var exact = rows.Where(r => Same(r.Id, t) || Same(r.Id, t + "th") || r.Zh == t || r.Zh == t + "区" || r.Zh == t + "市"
                                    || Same(r.En, t) || Same(r.En, t + " District")).ToList();
        var matches = exact.Count > 0 ? exact
            : t.Length < 2 ? []
            : rows.Where(r => r.Zh.Contains(t, StringComparison.Ordinal) || r.En.Contains(t, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 1) return matches[0];
        var choices = string.Join("; ", (matches.Count > 1 ? matches : rows).Select(r => $"{r.Id} ({r.En}, {r.Zh})"));
        problem = matches.Count > 1
            ? $"'{QueryErrors.Shorten(t)}' matches several of {what}s: {choices}. Give one id."
            : $"No {what} is '{QueryErrors.Shorten(t)}'. The {what}s: {choices}.";
        return null;
    }
}

/// <summary>The answer of search: the ranked hits, as /v1/search gives them.</summary>
/// <param name="Query">The words searched for.</param>
/// <param name="Total">How many results match in all.</param>
/// <param name="Hits">The best ones, best first.</param>
/// <param name="Json">The same search on /v1.</param>
public sealed record SearchAnswer(string Query, int Total, IReadOnlyList<SearchHit> Hits, string Json);

/// <summary>The answer of get_statistic.</summary>
/// <param name="Statistic">The figure.</param>
/// <param name="Conflicting">Figures of other sources that give another value for the same indicator, region, kind and year.</param>
public sealed record StatisticAnswer(Figure Statistic, IReadOnlyList<Figure> Conflicting);

/// <summary>The answer of get_series: one indicator's figures in period order, by kind.</summary>
/// <param name="Indicator">What is measured.</param>
/// <param name="Region">The adcode asked for, or null for every region.</param>
/// <param name="Actuals">Reported figures.</param>
/// <param name="Targets">Targets of the plans (their period is the deadline).</param>
/// <param name="Norms">Rules a document sets (a pay floor, a floor-area standard).</param>
/// <param name="Json">The same series on /v1.</param>
public sealed record SeriesAnswer(IndicatorRef Indicator, string? Region, IReadOnlyList<Figure> Actuals, IReadOnlyList<Figure> Targets,
    IReadOnlyList<Figure> Norms, string Json);

/// <summary>The answer of list_indicators.</summary>
public sealed record IndicatorsAnswer(int Count, IReadOnlyList<IndicatorResponse> Indicators, string Json);

/// <summary>The answer of goal_progress: goals as /v1/goals gives them, each with its target and progress.</summary>
/// <param name="Plan">The plan asked for, or null when one goal was.</param>
/// <param name="Count">How many goals.</param>
/// <param name="Goals">The goals, by id: a quantitative one with `target` and `progress` (status, ratio, reason in both languages, latest, baseline).</param>
/// <param name="Json">The same on /v1.</param>
public sealed record GoalsAnswer(string? Plan, int Count, IReadOnlyList<GoalResponse> Goals, string Json);

/// <summary>A published figure, as /v1/statistics/{id} gives it, with its hedge said in words.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Indicator">What is measured.</param>
/// <param name="Region">Where.</param>
/// <param name="Period">The date the figure describes (a target's deadline), ISO 8601.</param>
/// <param name="Kind">actual, target (of a plan) or norm (a rule a document sets).</param>
/// <param name="Plan">The plan a target belongs to, or null.</param>
/// <param name="Value">The figure in base units (426.7万 is 4267000). Read it with comparator: never without its hedge.</param>
/// <param name="Unit">Unit id: persons, percent, …</param>
/// <param name="ValueAsWritten">The figure exactly as the source prints it ("近90%").</param>
/// <param name="Comparator">The hedge: eq, approx, gt, gte, lt, lte.</param>
/// <param name="Hedge">The hedge in English words as the source says it: "nearly", "about", "more than", "at least", "or more", "less than", "at most"; "" for an exact figure.</param>
/// <param name="InWords">The whole figure in words, hedge included: "近90%" / "nearly 90%", "超过426.7万人" / "more than 4.267 million people".</param>
/// <param name="Source">The document it is quoted from.</param>
/// <param name="Quote">The source's sentence, character for character.</param>
/// <param name="Notes">What a reader must know (how a date was inferred …), or null.</param>
/// <param name="ConflictsWith">Ids of figures of other sources that disagree.</param>
/// <param name="Citation">A ready-to-paste citation, Chinese and English.</param>
/// <param name="Json">The permanent URL of the figure on /v1.</param>
public sealed record Figure(string Id, IndicatorRef Indicator, RegionRef Region, string Period, string Kind, string? Plan,
    double Value, string Unit, string ValueAsWritten, string Comparator, string Hedge, LocalizedText InWords,
    SourceRef Source, string Quote, LocalizedText? Notes, IReadOnlyList<string> ConflictsWith, LocalizedText Citation, string Json)
{
    public static Figure Of(StatisticResponse s) => new(s.Id, s.Indicator, s.Region, s.Period, s.Kind, s.Plan,
        s.Value, s.Unit, s.ValueAsWritten, s.Comparator, FigureWording.HedgeEn(s.Comparator, s.ValueAsWritten),
        new LocalizedText(FigureWording.Zh(s.Value, s.Unit, s.Comparator, s.ValueAsWritten), FigureWording.En(s.Value, s.Unit, s.Comparator, s.ValueAsWritten)),
        s.Source, s.Quote, s.Notes, s.ConflictsWith, s.Citation, s.Links.Self);
}
