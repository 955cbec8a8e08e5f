using System.Globalization;

namespace OpenGovernanceApi.Api;

/// <summary>
/// A figure said in words, each language in its own: "超过426.7万人" and "more than 4.267 million people",
/// never "426.7万" in English or "persons" in Chinese. The hedge is always said ("近90%" is "nearly 90%").
/// Given the figure as written, the hedge is said as the source says it: 近 and 将近 are "nearly", 约 and
/// 左右 "about"; 以上 is "or more" after the number, 不少于 and 不低于 "at least" before it.
/// Shared with the database build, which writes search titles with it.
/// </summary>
public static class FigureWording
{
    /// <summary>The figure in Chinese: hedge, number (万 and 亿 for large ones, as the documents write them), unit.</summary>
    public static string Zh(double value, string unit, string comparator, string? asWritten = null)
    {
        var hedge = comparator switch
        {
            "approx" => Nearly(asWritten) ? "近" : "约", "gt" => "超过", "gte" => OrMore(asWritten) ? "" : "不少于",
            "lt" => "不到", "lte" => "不超过", _ => "",
        };
        var number = Math.Abs(value) >= 100_000_000 ? Trim(value / 100_000_000) + "亿"
            : Math.Abs(value) >= 10_000 ? Trim(value / 10_000) + "万"
            : Trim(value);
        return hedge + number + UnitZh(unit) + (comparator == "gte" && OrMore(asWritten) ? "以上" : "");
    }

    /// <summary>The figure in English: hedge, number (millions spelt out), unit.</summary>
    public static string En(double value, string unit, string comparator, string? asWritten = null)
    {
        var hedge = comparator switch
        {
            "approx" => Nearly(asWritten) ? "nearly " : "about ", "gt" => "more than ", "gte" => OrMore(asWritten) ? "" : "at least ",
            "lt" => "less than ", "lte" => "at most ", _ => "",
        };
        var number = Math.Abs(value) >= 1_000_000_000 ? Trim(value / 1_000_000_000) + " billion"
            : Math.Abs(value) >= 1_000_000 ? Trim(value / 1_000_000) + " million"
            : value.ToString("#,0.##", CultureInfo.InvariantCulture);
        var words = UnitEn(unit);
        return hedge + number + (unit == "percent" ? words : words.Length == 0 ? "" : " " + words)
            + (comparator == "gte" && OrMore(asWritten) ? " or more" : "");
    }

    /// <summary>The hedge alone, in English, as the figure as written says it: "nearly", "more than", "or more" …; "" for an exact figure.</summary>
    public static string HedgeEn(string comparator, string? asWritten = null) => comparator switch
    {
        "approx" => Nearly(asWritten) ? "nearly" : "about", "gt" => "more than", "gte" => OrMore(asWritten) ? "or more" : "at least",
        "lt" => "less than", "lte" => "at most", _ => "",
    };

    /// <summary>
    /// The figure as the document wrote it when that says its hedge ("近90%", "7.4万多个", "90%以上"), else in words with
    /// the hedge ("426.7万" after "超过" in the sentence is "超过426.7万人"): a title never drops a hedge.
    /// </summary>
    public static string ZhAsWrittenWithHedge(double value, string unit, string comparator, string asWritten) =>
        comparator == "eq" || ZhHedgeWords.Any(w => asWritten.Contains(w, StringComparison.Ordinal)) ? asWritten : Zh(value, unit, comparator, asWritten);

    private static readonly string[] ZhHedgeWords = ["近", "约", "左右", "超过", "多", "以上", "不少于", "不低于", "至少", "不到", "不足", "不超过", "以内", "内", "余", "逾", "突破"];

    // 近 covers 将近; "以上" is "X or more", said after the number.
    private static bool Nearly(string? asWritten) => asWritten?.Contains('近') == true;
    private static bool OrMore(string? asWritten) => asWritten?.Contains("以上", StringComparison.Ordinal) == true;

    /// <summary>What the hedge means for a reader, in Chinese and English: what the true figure may be.</summary>
    public static (string Zh, string En) HedgeMeaning(string comparator, string valueAsWritten) => comparator switch
    {
        "eq" => ("原文给出的数字,未加限定。", "The figure as the document states it, without a hedge."),
        "approx" when valueAsWritten.Contains('近') => ("近似值:原文作“近”,实际数字接近此数,可能略低。",
            "Approximate: the document says 近 (nearly); the true figure is close to this, probably a little below it."),
        "approx" => ("近似值:实际数字可能略高或略低于此数。", "Approximate: the true figure may be a little above or below this."),
        "gt" => ("下限:实际数字高于此数,高出多少原文未说。", "A lower bound: the true figure is above this, by an amount the document does not say."),
        "gte" => ("下限:实际数字等于或高于此数。", "A floor: the true figure is this or more."),
        "lt" => ("上限:实际数字低于此数。", "An upper bound: the true figure is below this."),
        "lte" => ("上限:实际数字等于或低于此数。", "A ceiling: the true figure is this or less."),
        _ => ("", ""),
    };

    private static string Trim(double value) => Math.Round(value, 4).ToString("0.####", CultureInfo.InvariantCulture);

    private static string UnitZh(string unit) => unit switch
    {
        "percent" => "%", "persons" => "人", "organisations" or "websites" => "家", "items" => "项", "hours" => "小时",
        "years" => "年", "editions" => "届", "yuan" => "元", "square-metres" => "平方米",
        _ => "个",
    };

    /// <summary>Unit words that read well after a number; other counts are named by their indicator.</summary>
    private static string UnitEn(string unit) => unit switch
    {
        "percent" => "%", "persons" => "people", "hours" => "hours", "years" => "years", "yuan" => "yuan",
        "square-metres" => "m²", "editions" => "editions", "districts" => "districts",
        _ => "",
    };
}
