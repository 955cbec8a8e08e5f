using System.Security.Cryptography;
using System.Text;

namespace OpenGovernanceApi.DataBuild;

/// <summary>
/// db/quotes.verified: a fingerprint of every (source, quote) pair, and of every passage (a paragraph
/// of db/data/passages), that a build checked character for character against the source texts. The
/// texts live outside the repository (../shared/seeds), so a fresh clone cannot read them; there the
/// build checks each quote and passage against this record instead, which catches any one edited
/// since it was last verified, and says so plainly.
/// </summary>
public static class QuoteRecord
{
    public const string FileName = "quotes.verified";

    private const string Header = "# Fingerprints (SHA-256, first 16 hex digits, of source id + newline + quote) of every quote\n" +
                                  "# verified against the source texts (../shared/seeds), and of every passage (of source id + newline +\n" +
                                  "# the passage's number + newline + its text). Written by the database build when the\n" +
                                  "# texts are at hand; read by it when they are not. Commit it with the data.\n";

    public static string Fingerprint(string source, string quote) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source + "\n" + quote)))[..16];

    /// <summary>A passage's fingerprint: its number is part of it, so a paragraph moved to another number is a change.</summary>
    public static string Fingerprint(PassageRow passage) =>
        Fingerprint(passage.Source, passage.Ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n" + passage.Text);

    /// <summary>The fingerprints in the record, or null when there is no record.</summary>
    public static HashSet<string>? Read(string dbFolder)
    {
        var path = Path.Combine(dbFolder, FileName);
        if (!File.Exists(path)) return null;
        return File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every quote of the dataset, as (source, quote).</summary>
    public static IEnumerable<(string Source, string Quote)> Quotes(Dataset data) =>
        data.Plans.Select(r => (r.Row.Source, r.Row.Quote))
            .Concat(data.Statistics.Select(r => (r.Row.Source, r.Row.Quote)))
            .Concat(data.Goals.Select(r => (r.Row.Source, r.Row.Quote)))
            .Concat(data.Measures.Select(r => (r.Row.Source, r.Row.Quote)))
            .Concat(data.Events.Select(r => (r.Row.Source, r.Row.Quote)));

    /// <summary>Writes the record of a dataset whose quotes were all just verified; true when it changed.</summary>
    public static bool Write(Dataset data, string dbFolder)
    {
        var lines = Quotes(data).Select(q => Fingerprint(q.Source, q.Quote)).Concat(data.Passages.Select(p => Fingerprint(p.Row)))
            .Distinct().Order(StringComparer.Ordinal);
        var content = Header + string.Join("\n", lines) + "\n";
        var path = Path.Combine(dbFolder, FileName);
        if (File.Exists(path) && File.ReadAllText(path) == content) return false;
        File.WriteAllText(path, content);
        return true;
    }
}
