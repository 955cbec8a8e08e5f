using System.Globalization;
using System.Text;

namespace OpenGovernanceApi.Search;

/// <summary>
/// Splits text into the tokens of the full-text index, for both the database build and the
/// queries, so that the two always agree. Latin words and numbers ("426.7") are tokens as
/// they are (lower-cased); a run of CJK characters becomes its overlapping character pairs
/// (社会工作 → 社会 会工 工作) and its single characters. FTS5 then matches a two-character
/// Chinese word as one token, which its own tokenizers cannot do.
/// </summary>
public static class SearchTerms
{
    public sealed record Segmented(string Bigrams, string Unigrams);

    /// <summary>One query word: either a CJK run (as bigrams, or one character) or a Latin word.</summary>
    public sealed record QueryTerm(string Text, bool IsCjk, IReadOnlyList<string> Tokens);

    public static Segmented Segment(string? text)
    {
        var bigrams = new StringBuilder();
        var unigrams = new StringBuilder();
        foreach (var run in Runs(text ?? ""))
        {
            if (run.IsCjk)
            {
                var chars = Elements(run.Text);
                for (var i = 0; i < chars.Count; i++)
                {
                    Append(unigrams, chars[i]);
                    if (i + 1 < chars.Count) Append(bigrams, chars[i] + chars[i + 1]);
                }
                if (chars.Count == 1) Append(bigrams, chars[0]);
            }
            else
            {
                Append(bigrams, run.Text);
            }
        }
        return new Segmented(bigrams.ToString(), unigrams.ToString());
    }

    /// <summary>The words of a query, each with the index tokens it must match in sequence.</summary>
    public static IReadOnlyList<QueryTerm> ParseQuery(string query)
    {
        var terms = new List<QueryTerm>();
        foreach (var run in Runs(query))
        {
            if (run.IsCjk)
            {
                var chars = Elements(run.Text);
                var tokens = chars.Count == 1
                    ? new List<string> { chars[0] }
                    : Enumerable.Range(0, chars.Count - 1).Select(i => chars[i] + chars[i + 1]).ToList();
                terms.Add(new QueryTerm(run.Text, true, tokens));
            }
            else
            {
                terms.Add(new QueryTerm(run.Text, false, [run.Text]));
            }
        }
        return terms;
    }

    /// <summary>
    /// An FTS5 MATCH expression for the query: every word must match (AND), in what a hit is about
    /// (`head_*`) or anywhere in its text. A word containing a member of a synonym group (社工 in
    /// 社工机构) also matches with each other member in its place (社会工作机构). Tokens are quoted,
    /// so no client text is ever read as FTS5 syntax.
    /// </summary>
    public static string? ToMatchExpression(string query, IReadOnlyList<IReadOnlyList<string>>? synonyms = null)
    {
        var parts = new List<string>();
        foreach (var term in ParseQuery(query))
        {
            var alternatives = Alternatives(term.Text, synonyms).Select(text => Phrase(term.IsCjk ? ParseQuery(text)[0] : term)).Distinct().ToList();
            parts.Add(alternatives.Count == 1 ? alternatives[0] : "(" + string.Join(" OR ", alternatives) + ")");
        }
        return parts.Count == 0 ? null : string.Join(" AND ", parts);
    }

    /// <summary>The words to search for one query word: itself, and itself with each synonym swapped in.</summary>
    public static IReadOnlyList<string> Alternatives(string word, IReadOnlyList<IReadOnlyList<string>>? synonyms)
    {
        var result = new List<string> { word };
        foreach (var group in synonyms ?? [])
            foreach (var member in group.Where(m => word.Contains(m, StringComparison.Ordinal)))
                result.AddRange(group.Where(other => other != member).Select(other => word.Replace(member, other, StringComparison.Ordinal)));
        return result.Distinct().ToList();
    }

    // One CJK character is looked up among single characters; a longer run as a phrase of its
    // pairs; a Latin word as a prefix, so "volunteer" finds "volunteers".
    private static string Phrase(QueryTerm term)
    {
        var phrase = string.Join(" ", term.Tokens.Select(t => t.Replace("\"", "\"\"")));
        return term.IsCjk && Elements(term.Text).Count == 1 ? $"{{head_unigrams unigrams}} : \"{phrase}\""
            : term.IsCjk ? $"{{head_bigrams bigrams}} : \"{phrase}\""
            : $"{{head_bigrams bigrams}} : \"{phrase}\"*";
    }

    private readonly record struct Run(string Text, bool IsCjk);

    private static IEnumerable<Run> Runs(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var current = new StringBuilder();
        bool? currentIsCjk = null;
        var elements = StringInfo.GetTextElementEnumerator(normalized);
        var list = new List<string>();
        while (elements.MoveNext()) list.Add((string)elements.Current);
        for (var i = 0; i < list.Count; i++)
        {
            var e = list[i];
            var isCjk = IsCjk(e);
            // A dot is part of a number only between two digits ("426.7").
            var isWordChar = isCjk || IsLatinWordChar(e)
                || (e == "." && i > 0 && i + 1 < list.Count && IsDigit(list[i - 1]) && IsDigit(list[i + 1]));
            if (!isWordChar || (currentIsCjk is not null && currentIsCjk != isCjk))
            {
                if (current.Length > 0) yield return new Run(current.ToString(), currentIsCjk == true);
                current.Clear();
                currentIsCjk = null;
                if (!isWordChar) continue;
            }
            current.Append(e);
            currentIsCjk = isCjk;
        }
        if (current.Length > 0) yield return new Run(current.ToString(), currentIsCjk == true);
    }

    private static List<string> Elements(string text)
    {
        var list = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext()) list.Add((string)e.Current);
        return list;
    }

    private static bool IsDigit(string e) => e.Length == 1 && char.IsAsciiDigit(e[0]);

    private static bool IsLatinWordChar(string e)
    {
        var c = char.ConvertToUtf32(e, 0);
        if (c < 128) return char.IsAsciiLetterOrDigit((char)c);
        var cat = CharUnicodeInfo.GetUnicodeCategory(c);
        return !IsCjk(e) && cat is UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.OtherLetter;
    }

    private static bool IsCjk(string e)
    {
        var c = char.ConvertToUtf32(e, 0);
        return c is >= 0x3400 and <= 0x4DBF      // CJK Extension A
            or >= 0x4E00 and <= 0x9FFF           // CJK Unified Ideographs
            or >= 0xF900 and <= 0xFAFF           // CJK Compatibility Ideographs
            or >= 0x20000 and <= 0x3FFFF;        // Extensions B and later (rare characters)
    }

    private static void Append(StringBuilder sb, string token)
    {
        if (sb.Length > 0) sb.Append(' ');
        sb.Append(token);
    }
}
