using System.Text.Encodings.Web;
using System.Text.Json;

namespace OpenGovernanceApi.DataBuild;

/// <summary>
/// db/data/passages/&lt;source&gt;.json: the paragraphs of each source text that hold a quote, exactly as written,
/// so a page can show a quote inside its paragraph and a source's figures in the order the document gives them,
/// on a clean clone too (the texts themselves live outside the repository, in ../shared/seeds).
///
/// A paragraph is one line of a source text, its indentation (spaces, no-break and ideographic spaces) trimmed;
/// empty lines are not paragraphs. Paragraphs are numbered from 1 over the whole document, so a quote's place,
/// (ordinal, start), is its position in the document. A quote's passage is the first paragraph that holds it.
/// Only those paragraphs are kept: we quote the documents, we do not republish them.
/// </summary>
public static class Passages
{
    public const string Folder = "passages";

    /// <summary>Where a quote stands: the passage's ordinal and the quote's first character in it (Unicode code points, from 0).</summary>
    public sealed record Place(string Source, int Ordinal, int Start);

    /// <summary>A row of the dataset that carries a quote: its resource (table), id, file, source and quote.</summary>
    public sealed record Quoted(string Resource, string Id, string File, string Source, string Quote);

    /// <summary>The paragraphs of a source text, in order: paragraph n is element n - 1.</summary>
    public static List<string> Paragraphs(string text) =>
        text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToList();

    /// <summary>Every quote of the dataset, with the row that carries it, in resource and id order.</summary>
    public static IEnumerable<Quoted> QuotedRows(Dataset data) =>
        data.Plans.Select(r => new Quoted("plans", r.Row.Id, r.File, r.Row.Source, r.Row.Quote))
            .Concat(data.Statistics.Select(r => new Quoted("statistics", r.Row.Id, r.File, r.Row.Source, r.Row.Quote)))
            .Concat(data.Goals.Select(r => new Quoted("goals", r.Row.Id, r.File, r.Row.Source, r.Row.Quote)))
            .Concat(data.Measures.Select(r => new Quoted("measures", r.Row.Id, r.File, r.Row.Source, r.Row.Quote)))
            .Concat(data.Events.Select(r => new Quoted("events", r.Row.Id, r.File, r.Row.Source, r.Row.Quote)))
            .Where(q => !string.IsNullOrEmpty(q.Quote) && !string.IsNullOrEmpty(q.Id))
            .OrderBy(q => q.Resource, StringComparer.Ordinal).ThenBy(q => q.Id, StringComparer.Ordinal);

    /// <summary>The passages of each source, in ordinal order.</summary>
    public static Dictionary<string, List<PassageRow>> BySource(Dataset data) =>
        data.Passages.Select(p => p.Row).GroupBy(p => p.Source)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.Ordinal).ToList(), StringComparer.Ordinal);

    /// <summary>The first passage of the source that holds the quote, and where; null when none does.</summary>
    public static Place? Find(Dictionary<string, List<PassageRow>> bySource, string source, string quote)
    {
        if (!bySource.TryGetValue(source, out var passages)) return null;
        foreach (var passage in passages)
        {
            var at = passage.Text.IndexOf(quote, StringComparison.Ordinal);
            if (at >= 0) return new Place(source, passage.Ordinal, CodePoints(passage.Text, at));
        }
        return null;
    }

    /// <summary>Every quote's place, for the quote_places table (a quote in no passage is a validation error, so none is left out).</summary>
    public static IEnumerable<(Quoted Row, Place Place)> Places(Dataset data)
    {
        var bySource = BySource(data);
        foreach (var row in QuotedRows(data))
            if (Find(bySource, row.Source, row.Quote) is { } place) yield return (row, place);
    }

    /// <summary>
    /// The passages to keep, read from the source texts: for each source, the first paragraph holding each of its
    /// quotes. Quotes that stand in no paragraph (a quote across a line break, or not in the text) are returned too.
    /// </summary>
    public static (List<PassageRow> Passages, List<Quoted> Unplaced) Select(Dataset data, string seedsFolder)
    {
        var passages = new SortedDictionary<(string, int), PassageRow>();
        var unplaced = new List<Quoted>();
        var files = data.Sources.ToDictionary(s => s.Row.Id, s => s.Row.File, StringComparer.Ordinal);
        var paragraphs = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var row in QuotedRows(data))
        {
            if (!paragraphs.TryGetValue(row.Source, out var ofSource))
            {
                var path = files.TryGetValue(row.Source, out var file) ? Path.Combine(seedsFolder, file) : null;
                ofSource = paragraphs[row.Source] = path is not null && File.Exists(path) ? Paragraphs(File.ReadAllText(path)) : [];
            }
            var index = ofSource.FindIndex(p => p.Contains(row.Quote, StringComparison.Ordinal));
            if (index < 0) unplaced.Add(row);
            else passages[(row.Source, index + 1)] = new PassageRow(row.Source, index + 1, ofSource[index]);
        }
        return (passages.Values.ToList(), unplaced);
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // Chinese stays as characters, as in every other data file.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes one file per source (db/data/passages/&lt;source&gt;.json); returns the files that changed.</summary>
    public static List<string> Write(string dbFolder, IEnumerable<PassageRow> passages)
    {
        var folder = Path.Combine(dbFolder, "data", Folder);
        Directory.CreateDirectory(folder);
        var changed = new List<string>();
        foreach (var group in passages.GroupBy(p => p.Source))
        {
            var path = Path.Combine(folder, group.Key + ".json");
            var content = JsonSerializer.Serialize(group.OrderBy(p => p.Ordinal).ToList(), Json) + "\n";
            if (File.Exists(path) && File.ReadAllText(path) == content) continue;
            File.WriteAllText(path, content);
            changed.Add(path);
        }
        return changed;
    }

    /// <summary>How many Unicode code points the first <paramref name="length"/> UTF-16 units of a text hold (as SQLite's substr and Python count).</summary>
    public static int CodePoints(string text, int length)
    {
        var count = 0;
        foreach (var _ in text.AsSpan(0, length).EnumerateRunes()) count++;
        return count;
    }
}
