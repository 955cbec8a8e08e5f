namespace OpenGovernanceApi.Pages;

// What each page shows, loaded by PagesEndpoints through the same handlers /v1 answers with, so a page and its
// JSON never disagree. Names of units and regions come as lookups (the /v1 shapes carry ids).

public sealed record StatisticPageModel(StatisticResponse Statistic, SourceResponse Source, PlanResponse? Plan,
    IReadOnlyList<StatisticResponse> Conflicts, IReadOnlyList<StatisticResponse> Series, CitationFormats Citation,
    IReadOnlyDictionary<string, LocalizedText> Units, QuotedPassage? Passage);

public sealed record PlanAtAGlance(PlanResponse Plan, IReadOnlyList<GoalResponse> QuantitativeGoals);

public sealed record HomePageModel(IReadOnlyList<PlanAtAGlance> Plans, int Statistics, int Indicators, int Sources);

public sealed record SearchPageModel(string? Query, string? Type, SearchEndpoints.SearchResults? Results, string? Problem)
{
    public const int Shown = 100;
}

// Map: the districts shaded by their newest actual figure, or null when no district has one.
public sealed record IndicatorPageModel(IndicatorResponse Indicator, IReadOnlyList<StatisticResponse> Series, SeriesChart Chart,
    IReadOnlyList<GoalResponse> Goals, IReadOnlyDictionary<string, LocalizedText> Units, DistrictMap.View? Map);

public sealed record GoalPageModel(GoalResponse Goal, PlanResponse Plan, GoalResponse? Parent, MeasureResponse? Measure,
    SourceResponse Source, IReadOnlyDictionary<string, LocalizedText> Regions, QuotedPassage? Passage = null);

public sealed record PlanPageModel(PlanResponse Plan, SourceResponse Source, IReadOnlyList<GoalResponse> Goals, IReadOnlyList<MeasureResponse> Measures,
    QuotedPassage? Passage = null);

public sealed record MeasurePageModel(MeasureResponse Measure, PlanResponse? Plan, MeasureResponse? Parent, SourceResponse Source,
    IReadOnlyList<GoalResponse> Goals, QuotedPassage? Passage = null);

/// <param name="Source">The document.</param>
/// <param name="Statistics">In the order the document gives them: by paragraph, where the quote starts in it, where the figure stands in the quote, then id.</param>
/// <param name="Paragraphs">The number of the paragraph that holds each figure's quote, by statistic id.</param>
public sealed record SourcePageModel(SourceResponse Source, IReadOnlyList<StatisticResponse> Statistics, IReadOnlyDictionary<string, int> Paragraphs);

// Map: the 16 districts, this one highlighted, each a link to its page.
public sealed record RegionPageModel(RegionResponse Region, IReadOnlyList<StatisticResponse> Statistics, DistrictMap.View Map);

/// <summary>A page that could not be shown: 404 (an unknown id or path) or 400 (a bad parameter), with a search box.</summary>
public sealed record ErrorPageModel(int Status, string Title, string Message, string? Query = null);

// ---------------------------------------------------------------------------------------- what the shared parts show

// What PageShell, the layout around every page, needs from the page. Query: what the header's search box holds (the
// query of a search or error page, else nothing).
public sealed record ShellModel(PageContext Page, PageHead Head, string? Query = null);

/// <summary>How to cite a statistic (CitationBox).</summary>
public sealed record CitationBoxModel(PageContext Page, CitationFormats Citation)
{
    /// <summary>Each format: the id of its &lt;pre&gt;, its heading, the text, and the language the text is in.</summary>
    public IEnumerable<(string Id, string Label, string Text, string Lang)> Formats =>
    [
        ("cite-zh", Page.T("中文", "Chinese"), Citation.PlainZh, "zh-CN"),
        ("cite-en", Page.T("英文", "English"), Citation.PlainEn, "en"),
        ("cite-bibtex", "BibTeX", Citation.BibTeX, Page.Lang.HtmlLang),
        ("cite-ris", "RIS", Citation.Ris, Page.Lang.HtmlLang),
    ];
}

// A quote and its source (QuoteView). Passage: the paragraph of the source that holds the quote, when the page shows
// it. Figure: the figure as written, marked inside the quote (a statistic's valueAsWritten).
public sealed record QuoteModel(PageContext Page, string Quote, SourceResponse Source, QuotedPassage? Passage = null, string? Figure = null)
{
    public PassageExcerpt? Excerpt => Passage is null ? null : PassageExcerpt.Of(Passage, Quote, Figure);
}

// Figures as a table (SeriesTable). LabelledBy: the id of the heading that names the table. Current: the figure of the
// page, marked and not linked. ShowIndicator: a column naming each figure's indicator (a source's or a region's figures
// are of many). Paragraphs: a first column giving the number of the paragraph of the source that holds each figure's
// quote (a source's figures).
public sealed record SeriesTableModel(PageContext Page, IReadOnlyList<StatisticResponse> Series, string LabelledBy, string? Current = null,
    bool ShowIndicator = false, bool ShowSource = true, IReadOnlyDictionary<string, int>? Paragraphs = null);

/// <summary>A quantitative goal's target and progress (GoalProgressView).</summary>
public sealed record GoalProgressModel(PageContext Page, GoalResponse Goal);
