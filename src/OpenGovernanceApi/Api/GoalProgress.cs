using System.Globalization;

namespace OpenGovernanceApi.Api;

/// <summary>
/// How far a quantitative goal is from its target, honestly (API.md, "Progress"). Both
/// figures keep their hedges: a target "不少于6万" (gte) against an actual "近2.7万" (approx)
/// is decided only when the hedge cannot change the answer; otherwise `uncertain`, with the
/// reason. A target in percent of population against a count of persons is `not-comparable`.
/// Only a figure from the plan's own period is judged; an older one is the baseline, shown but never judged.
/// </summary>
public static class GoalProgress
{
    /// <summary>Below this relative distance, an `approx` figure could fall on either side.</summary>
    public const double ApproxTolerance = 0.05;

    /// <summary>A figure as progress reads it. `AsWritten` is the figure as the source writes it ("近90%"), so the hedge is said as it says it ("nearly"); null: said from the comparator alone.</summary>
    public sealed record Figure(double Value, string Unit, string Comparator, string Period, string? AsWritten = null);

    /// <summary>The plan's period, as years (`2021`, `2025`).</summary>
    public sealed record PlanPeriod(string Start, string End);

    public sealed record Verdict(string Status, double? Ratio, LocalizedText Reason);

    /// <param name="target">The target statistic.</param>
    /// <param name="latest">The newest actual figure from the plan's period, or null.</param>
    /// <param name="plan">The plan's period.</param>
    /// <param name="baseline">The newest actual figure from before the period, or null: shown, never judged.</param>
    public static Verdict Assess(Figure target, Figure? latest, PlanPeriod plan, Figure? baseline = null)
    {
        // A figure from before the plan (a 2019 count against a 2021-2025 plan) says where it started, not how it went.
        if (latest is not null && string.CompareOrdinal(latest.Period[..4], plan.Start) < 0)
            (latest, baseline) = (null, baseline ?? latest);
        if (latest is null)
            return new("no-data", null, baseline is null
                ? new($"规划期({plan.Start}—{plan.End}年)内尚无该指标在该地区的实际数据。",
                      $"No actual figure of this indicator for this region from the plan's period ({plan.Start}–{plan.End}) yet.")
                : new($"规划期({plan.Start}—{plan.End}年)内尚无该指标在该地区的实际数据;此前最新的数据为{baseline.Period}的“{Hedge(baseline, true)}”,仅作为基线列出,不据此判断目标是否达成。",
                      $"No actual figure of this indicator for this region from the plan's period ({plan.Start}–{plan.End}) yet; the newest earlier figure, {Hedge(baseline, false)} ({baseline.Period}), is shown as the baseline and is not judged against the target."));
        if (latest.Unit != target.Unit)
            return new("not-comparable", null, new(
                $"目标与最新实际数据的单位不同(“{Hedge(target, true)}”与“{Hedge(latest, true)}”),无法比较。",
                $"The target ({Hedge(target, false)}) and the latest actual figure ({Hedge(latest, false)}) are in different units; they cannot be compared."));
        if (target.Value == 0)
            return new("not-comparable", null, new("目标值为0,无法计算比例。", "The target is zero; no ratio can be computed."));

        var ratio = Math.Round(latest.Value / target.Value, 4);
        var asOf = latest.Period;
        var upward = target.Comparator is not ("lt" or "lte"); // most targets are floors: reach at least X
        var (met, certain, why) = upward ? Floor(target, latest) : Ceiling(target, latest);
        if (!certain)
            return new("uncertain", ratio, new(
                $"截至{asOf}的最新数据为“{Hedge(latest, true)}”,目标为“{Hedge(target, true)}”:{why.Zh}",
                $"The latest figure ({asOf}) is {Hedge(latest, false)} against a target of {Hedge(target, false)}: {why.En}"));
        return new(met ? "met" : "not-met", ratio, new(
            met ? $"截至{asOf},最新数据“{Hedge(latest, true)}”已达到目标“{Hedge(target, true)}”。"
                : $"截至{asOf},最新数据“{Hedge(latest, true)}”尚未达到目标“{Hedge(target, true)}”。",
            met ? $"As of {asOf} the latest figure, {Hedge(latest, false)}, meets the target of {Hedge(target, false)}."
                : $"As of {asOf} the latest figure, {Hedge(latest, false)}, falls short of the target of {Hedge(target, false)}."));
    }

    /// <summary>A target to reach (eq, gte, gt, approx): is the actual at or above it?</summary>
    private static (bool Met, bool Certain, LocalizedText Why) Floor(Figure target, Figure latest)
    {
        var strict = target.Comparator == "gt";
        double t = target.Value, l = latest.Value;
        var close = Math.Abs(l - t) <= ApproxTolerance * Math.Abs(t);
        return latest.Comparator switch
        {
            "eq" => (strict ? l > t : l >= t, true, None),
            // The actual is above (gt) or at least (gte) the figure: certain only when that bound already reaches.
            "gt" when l >= t => (true, true, None),
            "gte" when (strict ? l > t : l >= t) => (true, true, None),
            "gt" or "gte" => (false, false, LowerBound),
            "approx" when !close => (l > t, true, None),
            "approx" => (false, false, Approximate),
            // The actual is below (lt) or at most (lte) the figure: certainly short when that bound does not reach.
            "lt" when l <= t => (false, true, None),
            "lte" when (strict ? l <= t : l < t) => (false, true, None),
            _ => (false, false, UpperBound),
        };
    }

    /// <summary>A ceiling (lt, lte): is the actual below or at most it?</summary>
    private static (bool Met, bool Certain, LocalizedText Why) Ceiling(Figure target, Figure latest)
    {
        var strict = target.Comparator == "lt";
        double t = target.Value, l = latest.Value;
        var close = Math.Abs(l - t) <= ApproxTolerance * Math.Abs(t);
        return latest.Comparator switch
        {
            "eq" => (strict ? l < t : l <= t, true, None),
            "lt" when l <= t => (true, true, None),
            "lte" when (strict ? l < t : l <= t) => (true, true, None),
            "lt" or "lte" => (false, false, UpperBound),
            "approx" when !close => (l < t, true, None),
            "approx" => (false, false, Approximate),
            "gt" when l >= t => (false, true, None),
            "gte" when (strict ? l >= t : l > t) => (false, true, None),
            _ => (false, false, LowerBound),
        };
    }

    private static readonly LocalizedText LowerBound = new("“超过/不少于”只给出下限,实际值是否达到目标无法判断。",
        "\"more than\" or \"at least\" gives only a lower bound; whether the true value meets the target is unknown.");
    private static readonly LocalizedText UpperBound = new("“不到/不超过”只给出上限,实际值是否达到目标无法判断。",
        "\"less than\" or \"at most\" gives only an upper bound; whether the true value meets the target is unknown.");
    private static readonly LocalizedText Approximate = new("“近/约”表示接近,实际值可能略高或略低于目标。",
        "\"nearly/about\" means close to it; the true value may be just above or just below the target.");

    private static readonly LocalizedText None = new("", "");

    /// <summary>The figure said in one language, with its hedge and a unit of that language.</summary>
    private static string Hedge(Figure f, bool zh) =>
        zh ? FigureWording.Zh(f.Value, f.Unit, f.Comparator, f.AsWritten) : FigureWording.En(f.Value, f.Unit, f.Comparator, f.AsWritten);
}
