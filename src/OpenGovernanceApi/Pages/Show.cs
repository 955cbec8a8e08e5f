using System.Globalization;

namespace OpenGovernanceApi.Pages;

/// <summary>How pages say the dataset's codes in words: hedges, kinds, statuses, units. Plain text; Razor encodes it.</summary>
public static class Show
{
    /// <summary>The figure in words, hedge included: "nearly 90%", "超过426.7万人"; never a bare number.</summary>
    public static string InWords(PageLanguage lang, double value, string unit, string comparator, string valueAsWritten) => lang.IsZh
        ? FigureWording.Zh(value, unit, comparator, valueAsWritten)
        : FigureWording.En(value, unit, comparator, valueAsWritten);

    public static string InWords(PageLanguage lang, StatisticResponse s) => InWords(lang, s.Value, s.Unit, s.Comparator, s.ValueAsWritten);

    /// <summary>The hedge's name: "nearly", "more than", "exact" …</summary>
    public static string Hedge(PageLanguage lang, string comparator, string valueAsWritten) => comparator switch
    {
        "approx" when valueAsWritten.Contains('近') => lang.T("近似(近)", "nearly"),
        "approx" => lang.T("近似(约)", "about"),
        "gt" => lang.T("超过", "more than"),
        "gte" when valueAsWritten.Contains("以上", StringComparison.Ordinal) => lang.T("以上", "or more"),
        "gte" => lang.T("不少于", "at least"),
        "lt" => lang.T("不到", "less than"),
        "lte" => lang.T("不超过", "at most"),
        _ => lang.T("确切", "exact"),
    };

    public static string HedgeMeaning(PageLanguage lang, string comparator, string valueAsWritten) =>
        lang.Of(FigureWording.HedgeMeaning(comparator, valueAsWritten));

    public static string Kind(PageLanguage lang, string kind) => kind switch
    {
        "actual" => lang.T("实际数据", "actual"),
        "target" => lang.T("规划目标", "target"),
        "norm" => lang.T("规范标准", "norm"),
        _ => kind,
    };

    public static string KindMeaning(PageLanguage lang, string kind) => kind switch
    {
        "actual" => lang.T("文件报告的已取得的数字。", "A figure the document reports as achieved."),
        "target" => lang.T("规划提出的目标,时期为其截止年份。", "An aim of a plan; its period is the deadline."),
        "norm" => lang.T("文件规定的标准(如工资下限、面积标准),不是成绩。", "A rule a document sets (a pay floor, a floor-area standard), not an achievement."),
        _ => "",
    };

    public static string Status(PageLanguage lang, string status) => status switch
    {
        "met" => lang.T("已达成", "met"),
        "not-met" => lang.T("未达成", "not met"),
        "uncertain" => lang.T("无法确定", "uncertain"),
        "not-comparable" => lang.T("不可比较", "not comparable"),
        "no-data" => lang.T("暂无数据", "no data"),
        _ => status,
    };

    public static string GoalKind(PageLanguage lang, string kind) => kind switch
    {
        "quantitative" => lang.T("量化目标", "quantitative"),
        "qualitative" => lang.T("定性目标", "qualitative"),
        _ => kind,
    };

    public static string MeasureKind(PageLanguage lang, string kind) => kind switch
    {
        "key-task" => lang.T("重点任务", "key task"),
        "project" => lang.T("工程", "project"),
        "measure" => lang.T("措施", "measure"),
        "principle" => lang.T("原则", "principle"),
        "programme" => lang.T("项目", "programme"),
        _ => kind,
    };

    public static string SourceKind(PageLanguage lang, string kind) => kind switch
    {
        "press-conference" => lang.T("新闻发布会", "press conference"),
        "news-report" => lang.T("新闻报道", "news report"),
        "report-release" => lang.T("报告发布", "report release"),
        "signed-article" => lang.T("署名文章", "signed article"),
        _ => kind,
    };

    public static string ResultType(PageLanguage lang, string type) => type switch
    {
        "statistics" => lang.T("统计数据", "Statistics"),
        "indicators" => lang.T("指标", "Indicators"),
        "goals" => lang.T("目标", "Goals"),
        "measures" => lang.T("任务与措施", "Tasks and measures"),
        "sources" => lang.T("来源文件", "Sources"),
        _ => type,
    };

    /// <summary>The value as a number in base units, grouped (4,267,000; 83.9).</summary>
    public static string Number(double value) => value.ToString("#,0.####", CultureInfo.InvariantCulture);

    /// <summary>The unit's name in the page's language (the units table's words), or its id.</summary>
    public static string Unit(PageLanguage lang, string unit, IReadOnlyDictionary<string, LocalizedText> units) =>
        units.TryGetValue(unit, out var name) ? lang.Of(name) : unit;

    /// <summary>A region's name for a page: the name when known, else its adcode.</summary>
    public static string Region(PageLanguage lang, string adcode, IReadOnlyDictionary<string, LocalizedText> regions) =>
        regions.TryGetValue(adcode, out var name) ? lang.Of(name) : adcode;
}
