using System.Globalization;

namespace OpenGovernanceApi.Pages;

/// <summary>
/// The chart of an indicator's series, computed once for both places that draw it: the indicator's page (inline
/// SVG) and /v1/indicators/{id}/series?format=svg (an SVG document to embed). Time runs along x (a year-only
/// period sits mid-year, a dated one on its day), values up y from zero. Actual figures are points joined by a
/// line; a hedged figure (近, 约, 超过, 不少于 …) is an open marker, never drawn as if exact; a target is a
/// diamond at its deadline, dashed from the latest actual before it; a norm is a square. Figures in a unit other
/// than the one drawn are listed, not drawn on a scale they do not share. The slice SeriesChartSvg.cshtml renders it.
/// </summary>
public sealed class SeriesChart
{
    public const double Width = 640;
    public const double Height = 360;
    public const double Left = 76;
    public const double Right = 28;
    public const double Top = 28;
    public const double Bottom = 96; // x labels, then the legend

    public const string ActualColour = "#1f5fa8";
    public const string TargetColour = "#a34d00";
    public const string NormColour = "#4d4d4d";

    /// <summary>Which words the chart uses: one language (a page), or both (the /v1 chart, which has no language).</summary>
    public sealed record Words(PageLanguage? Language)
    {
        public string T(string zh, string en) => Language is null ? $"{zh} {en}" : Language.T(zh, en);
        public string Of(LocalizedText text) => Language is null ? $"{text.Zh} {text.En}" : Language.Of(text);
        public bool English => Language is not null && !Language.IsZh;
    }

    public sealed record Tick(double At, string Label);

    /// <summary>One figure drawn: where, which shape, open (hedged) or filled, its label and its full description.</summary>
    public sealed record Marker(StatisticResponse Statistic, double X, double Y, string Shape, bool Open, string Colour, string Label, string Description, string Href)
    {
        public string Path => MarkerPath(Shape, X, Y);
    }

    public sealed record LegendEntry(double X, double Y, string Shape, bool Open, string Colour, string Text)
    {
        public string Path => MarkerPath(Shape, X, Y - 4);
        public double TextX => X + 10;
    }

    /// <summary>The SVG document /v1/indicators/{id}/series answers with format=svg: labelled in both languages.</summary>
    public static RazorSlices.RazorSlice Document(HttpContext http, IndicatorResponse indicator, IReadOnlyList<StatisticResponse> series)
    {
        var chart = Draw(indicator, series, new Words(null), s => ApiUrls.Absolute(http, "/statistics/" + PageContext.Segment(s.Id)));
        var slice = SeriesChartSvg.Create(chart);
        slice.ContentType = ResponseFormatNegotiation.SvgMediaType + "; charset=utf-8";
        return slice;
    }

    public required string Title { get; init; }
    public required string Description { get; init; }
    /// <summary>The unit drawn (an id): the indicator's own when any figure is in it.</summary>
    public required string Unit { get; init; }
    public required string UnitLabel { get; init; }
    public required IReadOnlyList<Tick> XTicks { get; init; }
    public required IReadOnlyList<Tick> XLabels { get; init; }
    public required IReadOnlyList<Tick> YTicks { get; init; }
    public required IReadOnlyList<Marker> Markers { get; init; }
    /// <summary>Polylines joining each region's actual figures ("x,y x,y …").</summary>
    public required IReadOnlyList<string> ActualLines { get; init; }
    /// <summary>Dashed segments from the latest actual figure before a target to the target.</summary>
    public required IReadOnlyList<string> TargetLines { get; init; }
    public required IReadOnlyList<LegendEntry> Legend { get; init; }
    /// <summary>Figures not drawn: their unit is not the one the chart's scale is in.</summary>
    public required IReadOnlyList<StatisticResponse> NotDrawn { get; init; }
    public string? NotDrawnNote { get; init; }
    public string? EmptyNote { get; init; }

    public static double PlotLeft => Left;
    public static double PlotRight => Width - Right;
    public static double PlotTop => Top;
    public static double PlotBottom => Height - Bottom;

    /// <summary>Draws the series of `indicator`; `href` gives each figure's page.</summary>
    public static SeriesChart Draw(IndicatorResponse indicator, IReadOnlyList<StatisticResponse> series, Words words, Func<StatisticResponse, string> href)
    {
        // The indicator's own unit if any figure is in it, else the commonest; the rest are listed, not drawn.
        var unit = series.Any(s => s.Unit == indicator.Unit.Id) ? indicator.Unit.Id
            : series.GroupBy(s => s.Unit).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).FirstOrDefault()?.Key ?? indicator.Unit.Id;
        var drawn = series.Where(s => s.Unit == unit).ToList();
        var notDrawn = series.Where(s => s.Unit != unit).ToList();
        var title = words.Of(indicator.Name);
        var unitLabel = unit == indicator.Unit.Id ? words.Of(indicator.Unit.Name) : unit;

        var times = drawn.Select(s => Time(s.Period)).ToList();
        var (minX, maxX) = times.Count == 0 ? (2010.0, 2026.0) : (Math.Floor(times.Min()), Math.Ceiling(times.Max()));
        if (maxX - minX < 2) { minX -= 1; maxX += 1; }
        double X(double t) => PlotLeft + (t - minX) / (maxX - minX) * (PlotRight - PlotLeft);

        var values = drawn.Select(s => s.Value).ToList();
        var (low, high, step) = Scale(values.Count == 0 ? 0 : values.Min(), values.Count == 0 ? 1 : values.Max(), unit);
        double Y(double v) => PlotBottom - (v - low) / (high - low) * (PlotBottom - PlotTop);

        var years = (int)(maxX - minX);
        var every = years <= 12 ? 1 : years <= 24 ? 2 : 5;
        var xTicks = Enumerable.Range(0, years + 1).Select(i => new Tick(X(minX + i), "")).ToList();
        var xLabels = Enumerable.Range(0, years).Where(i => ((int)minX + i) % every == 0)
            .Select(i => new Tick(X(minX + i + 0.5), ((int)minX + i).ToString(CultureInfo.InvariantCulture))).ToList();
        var yTicks = new List<Tick>();
        for (var v = low; v <= high + step / 1000; v += step) yTicks.Add(new Tick(Y(v), Short(v, unit, words)));

        var markers = drawn.Select((s, i) =>
        {
            var (shape, colour) = s.Kind switch { "target" => ("diamond", TargetColour), "norm" => ("square", NormColour), _ => ("circle", ActualColour) };
            var label = Label(s, words) + (s.Kind == "target" ? " · " + (words.Language?.IsZh == true ? s.Period[..4] + "年" : s.Period) : "");
            return new Marker(s, X(times[i]), Y(s.Value), shape, s.Comparator != "eq", colour, label, Describe(s, words), href(s));
        }).OrderBy(m => m.X).ThenBy(m => m.Statistic.Id, StringComparer.Ordinal).ToList();

        static string Points(IEnumerable<Marker> line) => string.Join(" ", line.Select(m => $"{N(m.X)},{N(m.Y)}"));
        var actualLines = markers.Where(m => m.Statistic.Kind == "actual").GroupBy(m => m.Statistic.Region.Adcode)
            .Where(g => g.Count() > 1).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Points(g)).ToList();
        var targetLines = new List<string>();
        foreach (var target in markers.Where(m => m.Statistic.Kind == "target"))
            if (markers.Where(m => m.Statistic.Kind == "actual" && m.Statistic.Region.Adcode == target.Statistic.Region.Adcode && m.X <= target.X).LastOrDefault() is { } from)
                targetLines.Add(Points([from, target]));

        // The legend names only what is drawn; "open" is said once, for every kind.
        var entries = new List<(string Shape, bool Open, string Colour, string Text)>();
        if (markers.Any(m => m.Statistic.Kind == "actual" && !m.Open)) entries.Add(("circle", false, ActualColour, words.T("实际数据", "actual figure")));
        if (markers.Any(m => m.Open)) entries.Add(("circle", true, ActualColour, words.T("空心:有限定(近、约、超过、不少于…)", "open: hedged (nearly, about, more than, at least…)")));
        if (markers.Any(m => m.Statistic.Kind == "target")) entries.Add(("diamond", false, TargetColour, words.T("规划目标(截止年份)", "target, at its deadline")));
        if (markers.Any(m => m.Statistic.Kind == "norm")) entries.Add(("square", false, NormColour, words.T("规范标准", "norm (a rule set)")));
        var legend = new List<LegendEntry>();
        double lx = PlotLeft, ly = Height - 34;
        foreach (var (shape, open, colour, text) in entries)
        {
            var width = 22 + TextWidth(text);
            if (lx + width > Width - 8 && lx > PlotLeft) { lx = PlotLeft; ly += 20; }
            legend.Add(new LegendEntry(lx, ly, shape, open, colour, text));
            lx += width + 18;
        }

        var span = drawn.Count == 0 ? "" : $"{drawn.Min(s => s.Period)}–{drawn.Max(s => s.Period)}";
        return new SeriesChart
        {
            Title = title,
            Description = drawn.Count == 0
                ? words.T("没有可绘制的数据。", "No figures to draw.")
                : words.T($"{drawn.Count}个数据,{span},单位:{unitLabel}。", $"{drawn.Count} figures, {span}, in {unitLabel}."),
            Unit = unit,
            UnitLabel = unitLabel,
            XTicks = xTicks,
            XLabels = xLabels,
            YTicks = yTicks,
            Markers = markers,
            ActualLines = actualLines,
            TargetLines = targetLines,
            Legend = legend,
            NotDrawn = notDrawn,
            NotDrawnNote = notDrawn.Count == 0 ? null
                : words.T($"另有{notDrawn.Count}个数据的单位不同,未绘出。", $"{notDrawn.Count} more in another unit, not drawn."),
            EmptyNote = drawn.Count == 0 ? words.T("没有数据", "No figures") : null,
        };
    }

    /// <summary>A period as a point in time, in years: `2019` mid-year, `2018-01` mid-month, `2019-01-09` on its day.</summary>
    public static double Time(string period)
    {
        var year = int.Parse(period[..4], CultureInfo.InvariantCulture);
        if (period.Length == 4) return year + 0.5;
        var month = int.Parse(period[5..7], CultureInfo.InvariantCulture);
        if (period.Length == 7) return year + (month - 0.5) / 12;
        var day = DateOnly.ParseExact(period, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return year + (day.DayOfYear - 0.5) / (DateTime.IsLeapYear(year) ? 366 : 365);
    }

    /// <summary>The value axis: from zero (or below, for negative values) to a round number above the largest value.</summary>
    private static (double Low, double High, double Step) Scale(double min, double max, string unit)
    {
        var low = Math.Min(0, min);
        var top = Math.Max(max, low + 1e-9);
        if (unit == "percent" && top <= 100 && top > 60) return (low, 100, 20);
        var raw = (top - low) / 4;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var n = raw / magnitude;
        var step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * magnitude;
        var high = Math.Ceiling(top * 1.05 / step) * step;
        return (Math.Floor(low / step) * step, high, step);
    }

    /// <summary>A tick's number: 20%, 400万 or 4M.</summary>
    private static string Short(double v, string unit, Words words)
    {
        if (unit == "percent") return Number(v) + "%";
        if (words.English)
            return Math.Abs(v) >= 1e9 ? Number(v / 1e9) + "B" : Math.Abs(v) >= 1e6 ? Number(v / 1e6) + "M" : v.ToString("#,0.##", CultureInfo.InvariantCulture);
        return Math.Abs(v) >= 1e8 ? Number(v / 1e8) + "亿" : Math.Abs(v) >= 1e4 ? Number(v / 1e4) + "万" : Number(v);
    }

    /// <summary>
    /// A figure's label beside its marker, hedge included: as written in Chinese when short ("近90%"), else in
    /// words of the chart's language; in English with a sign for the hedge ("≈90%", ">4.27M", "≥21%").
    /// </summary>
    private static string Label(StatisticResponse s, Words words)
    {
        if (!words.English) return s.ValueAsWritten.Length <= 8 ? s.ValueAsWritten : FigureWording.Zh(s.Value, s.Unit, s.Comparator, s.ValueAsWritten);
        var sign = s.Comparator switch { "approx" => "≈", "gt" => ">", "gte" => "≥", "lt" => "<", "lte" => "≤", _ => "" };
        return sign + Short(s.Value, s.Unit, words);
    }

    /// <summary>What a marker's tooltip says: the period, the figure as written and in words, its kind and source.</summary>
    private static string Describe(StatisticResponse s, Words words)
    {
        var kind = s.Kind switch
        {
            "target" => words.T("规划目标", "target"), "norm" => words.T("规范标准", "norm"), _ => words.T("实际数据", "actual"),
        };
        var inWords = words.Language switch
        {
            null => FigureWording.En(s.Value, s.Unit, s.Comparator, s.ValueAsWritten),
            { IsZh: true } => null,
            _ => FigureWording.En(s.Value, s.Unit, s.Comparator, s.ValueAsWritten),
        };
        return $"{s.Period} · {words.Of(s.Region.Name)} · {s.ValueAsWritten}{(inWords is null ? "" : $" ({inWords})")} · {kind} · {words.Of(s.Source.Title)}";
    }

    private static string MarkerPath(string shape, double x, double y) => shape switch
    {
        "diamond" => $"M{N(x)},{N(y - 7)}L{N(x + 7)},{N(y)}L{N(x)},{N(y + 7)}L{N(x - 7)},{N(y)}Z",
        "square" => $"M{N(x - 5.5)},{N(y - 5.5)}h11v11h-11Z",
        _ => $"M{N(x - 5.5)},{N(y)}a5.5,5.5 0 1,0 11,0a5.5,5.5 0 1,0 -11,0Z",
    };

    /// <summary>A rough width of legend text at 12 px: CJK characters are about twice as wide as Latin ones.</summary>
    private static double TextWidth(string text) => text.Sum(c => c > 0x2E80 ? 12.0 : 6.6);

    private static string Number(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A coordinate in the SVG: two decimals, invariant culture.</summary>
    public static string N(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
