using System.Text.Encodings.Web;
using System.Text.Unicode;
using RazorSlices;
using Microsoft.Data.Sqlite;

namespace OpenGovernanceApi.Pages;

/// <summary>
/// Pages for people, outside /v1: the same data as HTML, rendered on the server from RazorSlices templates (Razor
/// .cshtml compiled into classes that write straight into the response: no Blazor renderer, no MVC), in Chinese at
/// the root and in English under /en. Each page reads its data through the very handlers /v1 answers with (or, for
/// a statistic's figure and series, the same queries), goes through the answer cache (strong ETags, 304s, Brotli
/// and gzip) and HEAD like /v1, and links its JSON, the other language, a canonical URL and schema.org JSON-LD. An unknown id is
/// a 404 page and a bad parameter a 400 page, in the page's language, with a search box.
/// </summary>
public static class PagesEndpoints
{
    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        // The slices encode everything they write with the HtmlEncoder they find here (RazorSlice's IResult asks the
        // request's services for it; without one it would use HtmlEncoder.Default, which writes Chinese as &#x…;
        // references). Every Unicode range allowed: Chinese stays as characters; <, >, &, quotes are still encoded.
        builder.Services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddSingleton<SiteAssets>();
        builder.Services.AddSingleton<DistrictMaps>();
        return builder;
    }

    public static WebApplication MapPages(this WebApplication app)
    {
        app.MapGet("/assets/{file}", SiteAssets.Serve).AnswerHeadAsGet().ExcludeFromDescription();
        app.MapGet("/robots.txt", () => TypedResults.Text(RobotsTxt, "text/plain; charset=utf-8")).AnswerHeadAsGet().CacheAnswers().ExcludeFromDescription();
        foreach (var lang in new[] { PageLanguage.Zh, PageLanguage.En })
        {
            var pages = app.MapGroup(lang.Prefix).AnswerHeadAsGet().CacheAnswers().ExcludeFromDescription();
            pages.MapGet("/", (GovernanceDb db, HttpContext http, CancellationToken ct) => Home(lang, db, http, ct));
            pages.MapGet("/search", (GovernanceDb db, HttpContext http, CancellationToken ct) => Search(lang, db, http, ct));
            pages.MapGet("/statistics/{id}", (string id, GovernanceDb db, HttpContext http, CancellationToken ct) => Statistic(lang, id, db, http, ct));
            pages.MapGet("/indicators/{id}", (string id, GovernanceDb db, DistrictMaps maps, HttpContext http, CancellationToken ct) => Indicator(lang, id, db, maps, http, ct));
            pages.MapGet("/goals/{id}", (string id, GovernanceDb db, HttpContext http, CancellationToken ct) => Goal(lang, id, db, http, ct));
            pages.MapGet("/plans/{id}", (string id, GovernanceDb db, HttpContext http, CancellationToken ct) => Plan(lang, id, db, http, ct));
            pages.MapGet("/measures/{id}", (string id, GovernanceDb db, HttpContext http, CancellationToken ct) => Measure(lang, id, db, http, ct));
            pages.MapGet("/sources/{id}", (string id, GovernanceDb db, HttpContext http, CancellationToken ct) => Source(lang, id, db, http, ct));
            pages.MapGet("/regions/{adcode}", (string adcode, GovernanceDb db, RegionBoundaries boundaries, DistrictMaps maps, HttpContext http, CancellationToken ct) =>
                Region(lang, adcode, db, boundaries, maps, http, ct));
        }
        return app;
    }

    // ------------------------------------------------------------------------------------------------ the pages

    private static async Task<IResult> Statistic(PageLanguage lang, string id, GovernanceDb db, HttpContext http, CancellationToken ct)
    {
        var page = PageContext.For(http, lang, "/statistics/" + PageContext.Segment(id));
        // The figure is one of its indicator's series, and so, in this data, are the figures it conflicts with:
        // one query reads them all (a page costs a few queries more than the figure's JSON, not many).
        var series = await StatisticsEndpoints.SeriesOfStatisticAsync(db, http, id, ct);
        var statistic = series.FirstOrDefault(s => s.Id == id)
            ?? (series.Count == StatisticsEndpoints.SeriesLimit ? await StatisticsEndpoints.FindAsync(db, http, id, ct) : null); // beyond the series shown
        if (statistic is null)
            return NotFound(page, lang.T($"没有编号为“{QueryErrors.Shorten(id)}”的统计数据。", $"There is no statistic with id '{QueryErrors.Shorten(id)}'."));
        var source = Found(await SourcesEndpoints.GetSource(statistic.Source.Id, new(), db, http, ct))!;
        var plan = statistic.Plan is null ? null : Found(await PlansEndpoints.GetPlan(statistic.Plan, new(), db, http, ct));
        var conflicts = new List<StatisticResponse>();
        foreach (var other in statistic.ConflictsWith)
            if ((series.FirstOrDefault(s => s.Id == other) ?? await StatisticsEndpoints.FindAsync(db, http, other, ct)) is { } figure) conflicts.Add(figure);
        var model = new StatisticPageModel(statistic, source, plan, conflicts, series, CitationFormats.For(statistic, source, page), await Units(db, ct),
            await Passage("statistics", id, db, ct));
        return Render<StatisticPage, StatisticPageModel>(page, model);
    }

    private static async Task<IResult> Home(PageLanguage lang, GovernanceDb db, HttpContext http, CancellationToken ct)
    {
        var page = PageContext.For(http, lang, "/");
        var plans = Listed(await PlansEndpoints.ListPlans(All, db, http, ct)).OrderByDescending(p => p.PeriodStart, StringComparer.Ordinal).ToList();
        var glance = new List<PlanAtAGlance>();
        foreach (var plan in plans)
            glance.Add(new(plan, Listed(await GoalsEndpoints.ListGoals(new() { Plan = [plan.Id], Kind = ["quantitative"] }, All, db, http, ct))));
        await using var connection = await db.OpenAsync(ct);
        var (statistics, indicators, sources) = await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition(
            "SELECT (SELECT count(*) FROM statistics), (SELECT count(*) FROM indicators), (SELECT count(*) FROM sources)", cancellationToken: ct));
        return Render<HomePage, HomePageModel>(page, new HomePageModel(glance, (int)statistics, (int)indicators, (int)sources));
    }

    /// <summary>
    /// /search?q=…&amp;type=…: the search /v1/search runs (SearchEndpoints.SearchRequest.From and FindAsync), its hits grouped by
    /// type with the matched words marked. No q: the form alone. A q that cannot be searched, a bad type, a
    /// parameter given twice or escapes that are not UTF-8: a 400 page saying which.
    /// </summary>
    private static async Task<IResult> Search(PageLanguage lang, GovernanceDb db, HttpContext http, CancellationToken ct)
    {
        var query = http.Request.Query;
        string? q = query["q"].Count == 1 ? query["q"][0] : null, type = query["type"].Count == 1 ? query["type"][0] : null;
        var path = "/search" + (q is null ? "" : "?q=" + Uri.EscapeDataString(q) + (type is null ? "" : "&type=" + Uri.EscapeDataString(type)));
        var page = PageContext.For(http, lang, path);
        if (QueryParameterFilter.NotUtf8(http.Request.QueryString.Value).Any())
            return BadRequest(page, lang.T("搜索地址中有无法读取的字符(不是 UTF-8 编码)。", "The address holds characters that cannot be read (not UTF-8)."), null);
        if (query["q"].Count > 1 || query["type"].Count > 1)
            return BadRequest(page, lang.T("q 和 type 各只能给一次。", "Give q and type once each."), null);
        if (string.IsNullOrWhiteSpace(q))
            return Render<SearchPage, SearchPageModel>(page, new SearchPageModel(null, type, null, null));
        if (q.Length > SearchEndpoints.SearchRequest.MaxQueryLength)
            return BadRequest(page, lang.T("搜索词最多200个字符。", "A search is at most 200 characters."), q[..200]);
        var errors = new QueryErrors();
        if (SearchEndpoints.SearchRequest.From(q, type is null ? null : [type], db, errors) is not { } parsed)
            return BadRequest(page, errors.Has("type")
                ? lang.T("type 只能是 statistics、indicators、goals、measures 或 sources。", "type is one of statistics, indicators, goals, measures and sources.")
                : lang.T("搜索词里没有可以搜索的字词(汉字、字母或数字)。", "The search has no word to look for (Chinese characters, letters or digits)."), q);
        var results = await SearchEndpoints.FindAsync(db, parsed, SearchPageModel.Shown, 0, ct);
        return Render<SearchPage, SearchPageModel>(page, new SearchPageModel(q, type, results, null));
    }

    private static async Task<IResult> Indicator(PageLanguage lang, string id, GovernanceDb db, DistrictMaps maps, HttpContext http, CancellationToken ct)
    {
        var page = PageContext.For(http, lang, "/indicators/" + PageContext.Segment(id));
        if (Found(await IndicatorsEndpoints.GetIndicator(id, new(), db, http, ct)) is not { } indicator)
            return NotFound(page, lang.T($"没有编号为“{QueryErrors.Shorten(id)}”的指标。", $"There is no indicator with id '{QueryErrors.Shorten(id)}'."));
        var series = await StatisticsEndpoints.SeriesAsync(db, http, id, ct);
        var chart = SeriesChart.Draw(indicator, series, new SeriesChart.Words(lang), s => page.Href("/statistics/" + PageContext.Segment(s.Id)));
        var goals = Listed(await GoalsEndpoints.ListGoals(new() { Indicator = [id] }, All, db, http, ct));
        var map = (await maps.GetAsync(ct)).Choropleth(page, series, chart.Unit, chart.UnitLabel);
        return Render<IndicatorPage, IndicatorPageModel>(page, new IndicatorPageModel(indicator, series, chart, goals, await Units(db, ct), map));
    }

    private static async Task<IResult> Goal(PageLanguage lang, string id, GovernanceDb db, HttpContext http, CancellationToken ct)
    {
        var page = PageContext.For(http, lang, "/goals/" + PageContext.Segment(id));
        if (Found(await GoalsEndpoints.GetGoal(id, new(), db, http, ct)) is not { } goal)
            return NotFound(page, lang.T($"没有编号为“{QueryErrors.Shorten(id)}”的目标。", $"There is no goal with id '{QueryErrors.Shorten(id)}'."));
        var plan = Found(await PlansEndpoints.GetPlan(goal.Plan, new(), db, http, ct))!;
        var parent = goal.Parent is null ? null : Found(await GoalsEndpoints.GetGoal(goal.Parent, new(), db, http, ct));
        var measure = goal.Measure is null ? null : Found(await MeasuresEndpoints.GetMeasure(goal.Measure, new(), db, http, ct));
        var source = Found(await SourcesEndpoints.GetSource(goal.Source, new(), db, http, ct))!;
        return Render<GoalPage, GoalPageModel>(page, new GoalPageModel(goal, plan, parent, measure, source, await Regions(db, ct), await Passage("goals", id, db, ct)));
    }

    private static async Task<IResult> Plan(PageLanguage lang, string id, GovernanceDb db, HttpContext http, CancellationToken ct)
    {
        var page = PageContext.For(http, lang, "/plans/" + PageContext.Segment(id));
        if (Found(await PlansEndpoints.GetPlan(id, new(), db, http, ct)) is not { } plan)
            return NotFound(page, lang.T($"没有编号为“{QueryErrors.Shorten(id)}”的规划。", $"There is no plan with id '{QueryErrors.Shorten(id)}'."));
        var source = Found(await SourcesEndpoints.GetSource(plan.Source, new(), db, http, ct))!;
        var goals = Listed(await GoalsEndpoints.ListGoals(new() { Plan = [id] }, All, db, http, ct));
        var measures = Listed(await MeasuresEndpoints.ListMeasures(new() { Plan = [id] }, All, db, http, ct));
        return Render<PlanPage, PlanPageModel>(page, new PlanPageModel(plan, source, goals, measures, await Passage("plans", id, db, ct)));
    }

    private static async Task<IResult> Measure(PageLanguage lang, string id, GovernanceDb db, HttpContext http, CancellationToken ct)
    {
        var page = PageContext.For(http, lang, "/measures/" + PageContext.Segment(id));
        if (Found(await MeasuresEndpoints.GetMeasure(id, new(), db, http, ct)) is not { } measure)
            return NotFound(page, lang.T($"没有编号为“{QueryErrors.Shorten(id)}”的任务或措施。", $"There is no task or measure with id '{QueryErrors.Shorten(id)}'."));
        var plan = measure.Plan is null ? null : Found(await PlansEndpoints.GetPlan(measure.Plan, new(), db, http, ct));
        var parent = measure.Parent is null ? null : Found(await MeasuresEndpoints.GetMeasure(measure.Parent, new(), db, http, ct));
        var source = Found(await SourcesEndpoints.GetSource(measure.Source, new(), db, http, ct))!;
        var goals = Listed(await GoalsEndpoints.ListGoals(new() { Measure = [id] }, All, db, http, ct));
        return Render<MeasurePage, MeasurePageModel>(page, new MeasurePageModel(measure, plan, parent, source, goals, await Passage("measures", id, db, ct)));
    }

    private static async Task<IResult> Source(PageLanguage lang, string id, GovernanceDb db, HttpContext http, CancellationToken ct)
    {
        var page = PageContext.For(http, lang, "/sources/" + PageContext.Segment(id));
        if (Found(await SourcesEndpoints.GetSource(id, new(), db, http, ct)) is not { } source)
            return NotFound(page, lang.T($"没有编号为“{QueryErrors.Shorten(id)}”的来源文件。", $"There is no source with id '{QueryErrors.Shorten(id)}'."));
        var statistics = Listed(await StatisticsEndpoints.ListStatistics(new() { Source = [id] }, All, db, http, ct));
        var places = await QuotePlaces("statistics", id, db, ct);
        // Document order: the paragraph, where the quote starts in it, then where the figure stands in the quote (one
        // sentence often gives several figures), then id. Every quote has its place (the build refuses one in no passage);
        // were one missing, its figure would come last.
        var inDocumentOrder = statistics
            .OrderBy(s => places.TryGetValue(s.Id, out var p) ? p.Ordinal : int.MaxValue)
            .ThenBy(s => places.TryGetValue(s.Id, out var p) ? p.Start : int.MaxValue)
            .ThenBy(s => s.Quote.IndexOf(s.ValueAsWritten, StringComparison.Ordinal))
            .ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        return Render<SourcePage, SourcePageModel>(page, new SourcePageModel(source, inDocumentOrder, places.ToDictionary(p => p.Key, p => p.Value.Ordinal)));
    }

    private static async Task<IResult> Region(PageLanguage lang, string adcode, GovernanceDb db, RegionBoundaries boundaries, DistrictMaps maps,
        HttpContext http, CancellationToken ct)
    {
        var page = PageContext.For(http, lang, "/regions/" + PageContext.Segment(adcode));
        if ((await RegionsEndpoints.GetRegion(adcode, new(), new(), db, boundaries, http, ct)).Result is not Ok<Item<RegionResponse>> { Value.Data: var region })
            return NotFound(page, lang.T($"没有行政区划代码为“{QueryErrors.Shorten(adcode)}”的地区。", $"There is no region with adcode '{QueryErrors.Shorten(adcode)}'."));
        var statistics = Listed(await StatisticsEndpoints.ListStatistics(new() { Region = [adcode], Sort = "period" }, All, db, http, ct));
        return Render<RegionPage, RegionPageModel>(page, new RegionPageModel(region, statistics, (await maps.GetAsync(ct)).Locator(page, region)));
    }

    // ------------------------------------------------------------------------------------------------ loading

    /// <summary>The item of a /v1 get-by-id, or null for its 404.</summary>
    private static T? Found<T>(Results<Ok<Item<T>>, NotFoundProblem> result) where T : class =>
        result.Result is Ok<Item<T>> ok ? ok.Value!.Data : null;

    /// <summary>The rows of a /v1 collection asked for with fixed, valid filters (a problem here is a bug, not a client's doing).</summary>
    private static IReadOnlyList<T> Listed<T>(Results<Ok<Collection<T>>, ValidationProblem> result) =>
        result.Result is Ok<Collection<T>> ok ? ok.Value!.Data : throw new InvalidOperationException($"unexpected {result.Result}");

    private static CollectionOptions All => new() { Limit = "1000" };

    /// <summary>The paragraph of its source that holds an item's quote, and where the quote starts in it; null if it has none.</summary>
    private static async Task<QuotedPassage?> Passage(string resource, string id, GovernanceDb db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Ordinal, string Text, long QuoteStart)>(new CommandDefinition("""
            SELECT p.ordinal, p.text, q.quote_start
            FROM quote_places q JOIN passages p ON p.source_id = q.source_id AND p.ordinal = q.passage_ordinal
            WHERE q.resource = @Resource AND q.item_id = @Id
            """, new { Resource = resource, Id = id }, cancellationToken: ct));
        return rows.Select(r => new QuotedPassage((int)r.Ordinal, r.Text, (int)r.QuoteStart)).SingleOrDefault();
    }

    /// <summary>Where the quote of each item of a kind from one source stands: paragraph number and start, by item id.</summary>
    private static async Task<IReadOnlyDictionary<string, (int Ordinal, int Start)>> QuotePlaces(string resource, string source, GovernanceDb db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Id, long Ordinal, long Start)>(new CommandDefinition(
            "SELECT item_id, passage_ordinal, quote_start FROM quote_places WHERE source_id = @Source AND resource = @Resource",
            new { Source = source, Resource = resource }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => ((int)r.Ordinal, (int)r.Start), StringComparer.Ordinal);
    }

    /// <summary>Names of the units, which /v1's shapes give by id.</summary>
    private static Task<IReadOnlyDictionary<string, LocalizedText>> Units(GovernanceDb db, CancellationToken ct) =>
        db.ReadOnceAsync("unit names", c => NamesAsync(c, "SELECT id, name_zh, name_en FROM units"), ct);

    /// <summary>Names of the regions, which a goal's target and the district map give by adcode.</summary>
    internal static Task<IReadOnlyDictionary<string, LocalizedText>> Regions(GovernanceDb db, CancellationToken ct) =>
        db.ReadOnceAsync("region names", c => NamesAsync(c, "SELECT adcode, name_zh, name_en FROM regions"), ct);

    private static async Task<IReadOnlyDictionary<string, LocalizedText>> NamesAsync(SqliteConnection connection, string sql)
    {
        var rows = await connection.QueryAsync<(string Id, string Zh, string En)>(sql);
        return rows.ToDictionary(r => r.Id, r => new LocalizedText(r.Zh, r.En));
    }

    // ------------------------------------------------------------------------------------------------ answers

    /// <summary>
    /// The answer of every page: the page's slice with its model and PageContext, with the status code to send. The
    /// slice is an IResult: it sets the status and `text/html; charset=utf-8` and writes itself, inside its layout
    /// (PageShell), into the response body, which the answer cache holds (ETag, compression, HEAD without a body).
    /// </summary>
    private static RazorSlice Render<TPage, TModel>(PageContext page, TModel model, int status = StatusCodes.Status200OK)
        where TPage : IRazorSliceProxy<TModel>
    {
        var slice = (PageSlice<TModel>)TPage.CreateSlice(model);
        slice.Page = page;
        slice.StatusCode = status;
        return slice;
    }

    private static RazorSlice NotFound(PageContext page, string message) =>
        Render<ErrorPage, ErrorPageModel>(page, new ErrorPageModel(404, page.T("没有找到", "Not found"), message), StatusCodes.Status404NotFound);

    private static RazorSlice BadRequest(PageContext page, string message, string? query) =>
        Render<ErrorPage, ErrorPageModel>(page, new ErrorPageModel(400, page.T("无法处理这个请求", "This request cannot be answered"), message, query), StatusCodes.Status400BadRequest);

    /// <summary>
    /// The 404 of a path nothing serves, as a page for a browser (a GET that accepts HTML, outside /v1 and the
    /// API's other paths), in the language of the path; other clients keep the problem+json. False when not.
    /// </summary>
    public static async Task<bool> TryWriteNotFoundPageAsync(HttpContext http)
    {
        var request = http.Request;
        if (http.Response.StatusCode != StatusCodes.Status404NotFound || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))) return false;
        if (ApiPaths.Any(p => request.Path.StartsWithSegments(p))) return false;
        if (!request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)) return false;
        var lang = PageLanguage.Of(request.Path);
        var path = lang.IsZh ? request.Path.Value ?? "/" : request.Path.Value!["/en".Length..];
        var page = PageContext.For(http, lang, path.Length == 0 ? "/" : path);
        await ((IResult)NotFound(page, lang.T("这个地址没有页面。", "There is no page at this address."))).ExecuteAsync(http);
        return true;
    }

    private static readonly string[] ApiPaths = ["/v1", "/openapi", "/docs", "/healthz", "/readyz", "/assets", "/robots.txt"];

    /// <summary>Crawlers are welcome everywhere but the search results, which are endless and say nothing new.</summary>
    private const string RobotsTxt = """
        User-agent: *
        Disallow: /search
        Disallow: /en/search

        """;
}
