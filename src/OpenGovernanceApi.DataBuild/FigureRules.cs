using System.Text.RegularExpressions;

namespace OpenGovernanceApi.DataBuild;

/// <summary>
/// Rules for the kinds of mistake a careful reader found in recorded figures (issue 21). Each
/// rule names what is wrong in words a data author can act on; DatasetValidator adds the file
/// and the row. FigureRulesTests shows each rule catching a bad row.
/// </summary>
public static partial class FigureRules
{
    /// <summary>Words that set a floor the number itself meets: "or more", the number included.</summary>
    private static readonly string[] AtLeastWords = ["以上", "不少于", "不低于", "至少"];

    /// <summary>Words that make a figure a rule the document sets, not an achievement.</summary>
    private static readonly string[] NormWords = ["不低于", "不少于", "不超过"];

    /// <summary>Indicators that are rules by what they measure: a pay floor, a floor-area standard.</summary>
    private static readonly string[] NormIndicatorSuffixes = ["-floor", "-standard-area"];

    /// <summary>Bases a percentage can be taken of that must never be mixed within one indicator.</summary>
    private static readonly string[] ReferenceBases = ["社会平均工资", "职工平均工资", "常住人口"];

    [GeneratedRegex("[,。;,;::!?!?]")] private static partial Regex ClauseEnd();
    [GeneratedRegex(@"\d\s*[万亿]|[〇零一二三四五六七八九十百千万亿]+[个人家项元]")] private static partial Regex ChineseNumber();
    [GeneratedRegex(@"`[^`]*`|https?://\S+|[A-Za-z0-9.-]+\.(org|com|cn|gov|json)(?![A-Za-z0-9])")] private static partial Regex CodeOrAddress();
    [GeneratedRegex(@"(?<![A-Za-z0-9-])[a-z][a-zA-Z]{2,}(?![A-Za-z0-9-])")] private static partial Regex EnglishWord();
    [GeneratedRegex(@"\bmore than\b|\bover\b|\babove\b", RegexOptions.IgnoreCase)] private static partial Regex MoreThan();

    /// <summary>The problems of one statistic, given its indicator (null when the reference dangles).</summary>
    public static IEnumerable<string> Check(StatisticRow s, IndicatorRow? indicator)
    {
        var written = s.ValueAsWritten ?? "";
        if (AtLeastWords.Any(written.Contains) && s.Comparator != "gte")
            yield return $"'{written}' is written with {AtLeastWords.First(written.Contains)} (the number included: \"or more\"); its comparator is gte, not {s.Comparator}";
        if (s.Value == 0 && !(s.Quote ?? "").Any(c => c is '0' or '零' or '〇'))
            yield return $"value 0 but the quote has no zero: a status ('{written}') is not a figure; leave it out or say it in notes";
        var normWord = NormWords.FirstOrDefault(written.Contains);
        var normIndicator = indicator is not null && NormIndicatorSuffixes.Any(indicator.Id.EndsWith);
        if (s.Kind == "actual" && (normWord is not null || normIndicator))
            yield return $"'{written}' is a rule the document sets ({(normWord is null ? $"indicator '{indicator!.Id}' is a floor or a standard" : $"written with {normWord}")}), not an achievement: kind norm (or target, for a plan's aim)";
        if (s.Kind == "actual" && ClauseAfter(s.Quote, written) is { } clause && clause.Contains("的任务"))
            yield return $"'{written}' is stated as a task (\"…{clause}\"): kind target, with the plan and the deadline";
        if (indicator is not null && indicator.Unit != s.Unit)
            yield return $"unit '{s.Unit}' is not its indicator's ('{indicator.Id}' is in {indicator.Unit}); a figure that measures something else needs its own indicator";
    }

    /// <summary>A series holds one measure of one thing: a percentage of one base, never of two.</summary>
    public static IEnumerable<string> CheckSeries(IEnumerable<StatisticRow> statistics)
    {
        foreach (var series in statistics.Where(s => s.Unit == "percent").GroupBy(s => s.Indicator).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var bases = series.Select(s => (s.Id, Base: ReferenceBases.FirstOrDefault(b => (s.Quote ?? "").Contains(b)))).Where(x => x.Base is not null).ToList();
            var distinct = bases.Select(b => b.Base).Distinct().ToList();
            if (distinct.Count > 1)
                yield return $"indicator '{series.Key}': its statistics are percentages of different bases ({string.Join(", ", bases.Select(b => $"{b.Id}: {b.Base}"))}); give each base its own indicator";
        }
    }

    /// <summary>
    /// Chinese text carries no English words or units, English text no Chinese numbers, and an
    /// "以上" (or more) is never rendered "more than". Ids in `backticks` and web addresses are exempt.
    /// </summary>
    public static IEnumerable<string> CheckLanguage(string field, Text text)
    {
        var zh = CodeOrAddress().Replace(text.Zh ?? "", "");
        var en = CodeOrAddress().Replace(text.En ?? "", "");
        if (EnglishWord().Match(zh) is { Success: true } word)
            yield return $"{field}.zh carries the English word '{word.Value}'; write it in Chinese";
        if (ChineseNumber().Match(en) is { Success: true } number)
            yield return $"{field}.en carries the Chinese number '{number.Value}'; write it in English (426.7万 is 4.267 million)";
        // 规模以上 ("above designated size") is a term of statistics about enterprises, not about a number.
        if (zh.Replace("规模以上", "").Contains("以上") && !zh.Contains("超过") && MoreThan().Match(en) is { Success: true } more)
            yield return $"{field}: 以上 means \"or more\" (the number included), but the English says '{more.Value}'";
    }

    /// <summary>The words after a figure in its quote, up to the end of the clause.</summary>
    private static string? ClauseAfter(string? quote, string written)
    {
        if (string.IsNullOrEmpty(quote) || string.IsNullOrEmpty(written)) return null;
        var at = quote.IndexOf(written, StringComparison.Ordinal);
        if (at < 0) return null;
        var rest = quote[(at + written.Length)..];
        var end = ClauseEnd().Match(rest);
        return end.Success ? rest[..end.Index] : rest;
    }
}
