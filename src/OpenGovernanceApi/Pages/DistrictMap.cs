using System.Globalization;
using System.Text;

namespace OpenGovernanceApi.Pages;

/// <summary>
/// The 16 districts drawn as SVG paths, computed once per process from the outlines the database holds (they
/// change only with a data release, which is a new process): an equirectangular projection scaled by cos(latitude)
/// at the middle of Beijing, each ring simplified (Douglas-Peucker, half a unit of the 400-unit-wide drawing) and
/// written with one decimal. Two views are made of it per request, both cheap: a locator map (a region's page: the
/// district highlighted, every district a link) and a choropleth (an indicator's page: each district shaded by its
/// newest actual figure). The slice DistrictMapSvg.cshtml renders either.
/// </summary>
public sealed class DistrictMap
{
    public const double Width = 400;

    /// <summary>Largest distance, in drawing units, a simplified ring may stray from the outline.</summary>
    public const double Tolerance = 0.5;

    public const string Stroke = "#5c5c5c";
    public const string Land = "#dde5ee";
    public const string Current = SeriesChart.ActualColour;
    public const string NoData = "#eeeeee";

    /// <summary>Shades of the choropleth, light to dark, for 1 to 4 classes (ColorBrewer's Blues, each dark enough against white to be seen).</summary>
    private static readonly string[][] Ramps =
    [
        ["#2171b5"],
        ["#9ecae1", "#08519c"],
        ["#9ecae1", "#3182bd", "#08306b"],
        ["#bdd7e7", "#6baed6", "#2171b5", "#08306b"],
    ];

    /// <summary>One district's outline in drawing units.</summary>
    public sealed record Shape(string Adcode, LocalizedText Name, string Path);

    public required IReadOnlyList<Shape> Shapes { get; init; }
    public required double Height { get; init; }

    /// <summary>Projects and simplifies every outline.</summary>
    public static DistrictMap Draw(IReadOnlyDictionary<string, RegionBoundaries.Boundary> boundaries, IReadOnlyDictionary<string, LocalizedText> names)
    {
        var points = boundaries.Values.SelectMany(b => b.Rings).SelectMany(r => r).ToList();
        if (points.Count == 0) return new DistrictMap { Shapes = [], Height = 0 };
        var (minLon, maxLon, minLat, maxLat) = (points.Min(p => p.Lon), points.Max(p => p.Lon), points.Min(p => p.Lat), points.Max(p => p.Lat));
        var k = Math.Cos((minLat + maxLat) / 2 * Math.PI / 180);
        var scale = Width / ((maxLon - minLon) * k);
        (double X, double Y) Project(GeoPoint p) => ((p.Lon - minLon) * k * scale, (maxLat - p.Lat) * scale);

        var shapes = boundaries.Values.OrderBy(b => b.Adcode, StringComparer.Ordinal).Select(b =>
        {
            var path = new StringBuilder();
            foreach (var ring in b.Rings)
            {
                var kept = Simplify(ring.Select(Project).ToList(), Tolerance)
                    .Select(p => (X: Math.Round(p.X, 1), Y: Math.Round(p.Y, 1))).ToList();
                var distinct = kept.Where((p, i) => i == 0 || p != kept[i - 1]).ToList();
                if (distinct.Count > 1 && distinct[^1] == distinct[0]) distinct.RemoveAt(distinct.Count - 1); // Z closes it
                if (distinct.Count < 3) continue; // a sliver smaller than the drawing shows
                path.Append('M').Append(string.Join(' ', distinct.Select(p => N(p.X) + " " + N(p.Y)))).Append('Z');
            }
            return new Shape(b.Adcode, names.GetValueOrDefault(b.Adcode) ?? new LocalizedText(b.Adcode, b.Adcode), path.ToString());
        }).ToList();
        return new DistrictMap { Shapes = shapes, Height = Math.Ceiling((maxLat - minLat) * scale) };
    }

    /// <summary>Douglas-Peucker: the positions of `line` that keep it within `tolerance` of itself; the first and last always.</summary>
    public static List<(double X, double Y)> Simplify(List<(double X, double Y)> line, double tolerance)
    {
        if (line.Count < 3) return line;
        var keep = new bool[line.Count];
        keep[0] = keep[^1] = true;
        var stack = new Stack<(int From, int To)>();
        stack.Push((0, line.Count - 1));
        while (stack.Count > 0)
        {
            var (from, to) = stack.Pop();
            var (farthest, distance) = (-1, 0.0);
            for (var i = from + 1; i < to; i++)
            {
                var d = Distance(line[i], line[from], line[to]);
                if (d > distance) (farthest, distance) = (i, d);
            }
            if (farthest < 0 || distance <= tolerance) continue;
            keep[farthest] = true;
            stack.Push((from, farthest));
            stack.Push((farthest, to));
        }
        return line.Where((_, i) => keep[i]).ToList();
    }

    /// <summary>Distance from p to the segment a-b (to a, when a and b coincide, as the ends of a closed ring do).</summary>
    private static double Distance((double X, double Y) p, (double X, double Y) a, (double X, double Y) b)
    {
        var (dx, dy) = (b.X - a.X, b.Y - a.Y);
        var length = dx * dx + dy * dy;
        var t = length == 0 ? 0 : Math.Clamp(((p.X - a.X) * dx + (p.Y - a.Y) * dy) / length, 0, 1);
        return Math.Sqrt(Math.Pow(p.X - (a.X + t * dx), 2) + Math.Pow(p.Y - (a.Y + t * dy), 2));
    }

    // ------------------------------------------------------------------------------------------------ views

    /// <summary>One district as a view draws it.</summary>
    /// <param name="Shape">Its outline.</param>
    /// <param name="Fill">Its colour, or null for the "no data" pattern.</param>
    /// <param name="Tooltip">Its &lt;title&gt;: the name, and what the view says of it.</param>
    /// <param name="Href">Where it links, or null.</param>
    /// <param name="Current">The district whose page this is.</param>
    /// <param name="Kind">`current`, `other`, `shaded` or `no-data`: a class for the stylesheet and for tests.</param>
    public sealed record Area(Shape Shape, string? Fill, string Tooltip, string? Href, bool Current, string Kind);

    /// <summary>An entry of the choropleth's legend: a swatch (a colour, or null for the "no data" pattern) and its words.</summary>
    public sealed record LegendEntry(string? Fill, string Text);

    /// <summary>What the slice DistrictMapSvg.cshtml draws: the areas, the map's name and description, and a legend when shaded.</summary>
    public sealed record View(string Id, string Title, string Description, bool Linked, IReadOnlyList<Area> Areas, double Height,
        string? LegendTitle = null, IReadOnlyList<LegendEntry>? Legend = null, string? LegendNote = null);

    /// <summary>
    /// A region's page: every district a link to its page, the region's own highlighted (for Beijing as a whole, none:
    /// the city is all of them).
    /// </summary>
    public View Locator(PageContext page, RegionResponse region)
    {
        var current = Shapes.FirstOrDefault(s => s.Adcode == region.Adcode);
        var areas = Shapes.Select(s => new Area(s, s == current ? Current : Land,
            page.Of(s.Name) + (s == current ? page.T("(本页)", " (this page)") : ""),
            page.Href("/regions/" + PageContext.Segment(s.Adcode)), s == current, s == current ? "current" : "other")).ToList();
        var description = current is not null
            ? page.T($"北京市16个区的地图,{region.Name.Zh}以深色标出。每个区链接到它的页面。", $"A map of Beijing's 16 districts with {region.Name.En} in dark blue. Each district links to its page.")
            : page.T("北京市16个区的地图,每个区链接到它的页面。", "A map of Beijing's 16 districts; each links to its page.");
        return new View("district-map", page.T("北京市各区", "Beijing's districts"), description, Linked: true, areas, Height);
    }

    /// <summary>
    /// An indicator's page: each district shaded by its newest actual figure in `unit` (the unit the chart draws), in up
    /// to four classes of about equal counts; districts without one are "no data". A hedged figure is shaded by its
    /// number, and its tooltip and the legend keep the hedge. Null when no district has an actual figure.
    /// </summary>
    public View? Choropleth(PageContext page, IReadOnlyList<StatisticResponse> series, string unit, string unitLabel)
    {
        var newest = series.Where(s => s.Kind == "actual" && s.Unit == unit && Shapes.Any(d => d.Adcode == s.Region.Adcode))
            .GroupBy(s => s.Region.Adcode)
            .ToDictionary(g => g.Key, g =>
            {
                var period = g.Select(s => s.Period).Max(StringComparer.Ordinal)!;
                return g.Where(s => s.Period == period).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
            });
        if (newest.Count == 0) return null;

        // Classes of about equal counts over the distinct values (one class per value while there are at most four).
        var values = newest.Values.Select(f => f[0].Value).Distinct().Order().ToList();
        var classes = Math.Min(Ramps.Length, values.Count);
        var bins = Enumerable.Range(0, classes).Select(i => values.Skip(i * values.Count / classes).Take((i + 1) * values.Count / classes - i * values.Count / classes).ToList()).ToList();
        var ramp = Ramps[classes - 1];
        string FillOf(double v) => ramp[bins.FindIndex(b => b.Contains(v))];

        var areas = Shapes.Select(s =>
        {
            if (!newest.TryGetValue(s.Adcode, out var figures))
                return new Area(s, null, page.T($"{s.Name.Zh}:无数据", $"{s.Name.En}: no data"), null, false, "no-data");
            var said = string.Join(page.T(";", "; "), figures.Select(f => page.T(
                $"{f.ValueAsWritten}({f.Period})", $"{Show.InWords(page.Lang, f)} ({f.Period}, written “{f.ValueAsWritten}”)")));
            return new Area(s, FillOf(figures[0].Value), page.T($"{s.Name.Zh}:{said}", $"{s.Name.En}: {said}"), null, false, "shaded");
        }).ToList();

        var legend = bins.Select((b, i) => new LegendEntry(ramp[i], b.Count == 1 || b[0] == b[^1] ? Number(b[0]) : $"{Number(b[0])}–{Number(b[^1])}")).ToList();
        legend.Add(new LegendEntry(null, page.T($"无数据({Shapes.Count - newest.Count}个区)", $"no data ({Shapes.Count - newest.Count} districts)")));
        var hedged = newest.Values.Any(f => f.Any(x => x.Comparator != "eq"));
        var shaded = string.Join(page.T("、", ", "), Shapes.Where(s => newest.ContainsKey(s.Adcode)).Select(s => page.Of(s.Name)));
        return new View("district-choropleth",
            page.T("各区最新的实际数据", "The newest actual figure of each district"),
            page.T($"北京市16个区的地图,有数据的区按最新的实际数据着色:{shaded};其余{Shapes.Count - newest.Count}个区无数据。下表列出每一个数字。",
                $"A map of Beijing's 16 districts, shaded by each district's newest actual figure where there is one: {shaded}; the other {Shapes.Count - newest.Count} have no data. The table below lists every figure."),
            Linked: false, areas, Height,
            LegendTitle: page.T($"各区最新的实际数据,单位:{unitLabel}", $"Newest actual figure of each district, in {unitLabel}"),
            Legend: legend,
            LegendNote: hedged
                ? page.T("带限定词的数字(近、约、超过、不少于……)按其数字着色;悬停可见原文,下表亦然。", "Hedged figures (nearly, about, more than, at least…) are shaded by their number; the tooltip and the table give the hedge.")
                : null);
    }

    private static string Number(double v) => v.ToString("#,0.##", CultureInfo.InvariantCulture);

    /// <summary>A coordinate in the SVG: one decimal, invariant culture.</summary>
    public static string N(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>The district map of this process, drawn on first use from the outlines and the regions' names.</summary>
public sealed class DistrictMaps(RegionBoundaries boundaries, GovernanceDb db)
{
    private readonly Lazy<Task<DistrictMap>> _map = new(async () =>
    {
        var outlines = await boundaries.GetAsync(CancellationToken.None);
        return DistrictMap.Draw(outlines, await PagesEndpoints.Regions(db, CancellationToken.None));
    });

    public Task<DistrictMap> GetAsync(CancellationToken cancellationToken) => _map.Value.WaitAsync(cancellationToken);
}
