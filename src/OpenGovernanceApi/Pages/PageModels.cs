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
