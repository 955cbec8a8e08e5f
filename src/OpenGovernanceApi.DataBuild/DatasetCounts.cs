using System.Text;

namespace OpenGovernanceApi.DataBuild;

/// <summary>
/// The table of db/README.md ("What the dataset holds"): goals, targets, measures, statistics,
/// events and passages (the paragraphs quoted) per source document, and goals, targets and measures
/// per plan. Printed by `--counts`; DatabaseTests compares it with the README.
/// </summary>
public static class DatasetCounts
{
    public static string Table(Dataset data)
    {
        var goals = data.Goals.Select(g => g.Row).ToList();
        var measures = data.Measures.Select(m => m.Row).ToList();
        var statistics = data.Statistics.Select(s => s.Row).ToList();
        var events = data.Events.Select(e => e.Row).ToList();
        var passages = data.Passages.Select(p => p.Row).ToList();
        var text = new StringBuilder();
        text.Append("| document | goals | targets | measures | statistics | events | passages |\n");
        text.Append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var source in data.Sources.Select(s => s.Row.Id))
            text.Append($"| {source} | {goals.Count(g => g.Source == source)} | {statistics.Count(s => s.Source == source && s.Kind == "target")} | " +
                        $"{measures.Count(m => m.Source == source)} | {statistics.Count(s => s.Source == source)} | {events.Count(e => e.Source == source)} | " +
                        $"{passages.Count(p => p.Source == source)} |\n");
        text.Append($"| all | {goals.Count} | {statistics.Count(s => s.Kind == "target")} | {measures.Count} | {statistics.Count} | {events.Count} | {passages.Count} |\n");
        text.Append('\n');
        text.Append("| plan | goals | targets | measures |\n");
        text.Append("| --- | ---: | ---: | ---: |\n");
        foreach (var plan in data.Plans.Select(p => (string?)p.Row.Id).Append(null))
            text.Append($"| {plan ?? "outside a plan"} | {goals.Count(g => g.Plan == plan)} | {statistics.Count(s => s.Plan == plan && s.Kind == "target")} | " +
                        $"{measures.Count(m => m.Plan == plan)} |\n");
        return text.ToString();
    }
}
