using System.Globalization;

namespace OpenGovernanceApi.Api;

/// <summary>
/// A figure said in words, each language in its own: "超过426.7万人" and "more than 4.267 million people",
/// never "426.7万" in English or "persons" in Chinese. The hedge is always said ("近90%" is "nearly 90%").
/// Shared with the database build, which writes search titles with it.
/// </summary>
public static class FigureWording
{
    /// <summary>The figure in Chinese: hedge, number (万 and 亿 for large ones, as the documents write them), unit.</summary>
    public static string Zh(double value, string unit, string comparator)
    {
        var hedge = comparator switch
        {
            "approx" => "约", "gt" => "超过", "gte" => "不少于", "lt" => "不到", "lte" => "不超过", _ => "",
        };
        var number = Math.Abs(value) >= 100_000_000 ? Trim(value / 100_000_000) + "亿"
            : Math.Abs(value) >= 10_000 ? Trim(value / 10_000) + "万"
            : Trim(value);
        return hedge + number + UnitZh(unit);
    }

    /// <summary>The figure in English: hedge, number (millions spelt out), unit.</summary>
    public static string En(double value, string unit, string comparator)
    {
        var hedge = comparator switch
        {
            "approx" => "about ", "gt" => "more than ", "gte" => "at least ", "lt" => "less than ", "lte" => "at most ", _ => "",
        };
        var number = Math.Abs(value) >= 1_000_000_000 ? Trim(value / 1_000_000_000) + " billion"
            : Math.Abs(value) >= 1_000_000 ? Trim(value / 1_000_000) + " million"
            : value.ToString("#,0.##", CultureInfo.InvariantCulture);
        var words = UnitEn(unit);
        return hedge + number + (unit == "percent" ? words : words.Length == 0 ? "" : " " + words);
    }

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
