namespace OpenGovernanceApi.Pages;

/// <summary>A paragraph of a source that holds a quote (the passages table): its number in the document, its text, where the quote starts (code points).</summary>
public sealed record QuotedPassage(int Ordinal, string Text, int QuoteStart);

/// <summary>
/// A quote inside its paragraph, in pieces for a page to mark up: the words before it, the quote (split around the
/// figure as written, when there is one), the words after. A long paragraph is cut: at most <see cref="Context"/>
/// characters are kept on either side of the quote, the cut made where a sentence (failing that, a clause) begins or
/// ends so that no word is split when it can be helped; each cut is marked "…". All text as in the source; Razor encodes it.
/// </summary>
public sealed record PassageExcerpt(bool CutBefore, string Before, string QuoteBefore, string Figure, string QuoteAfter, string After, bool CutAfter)
{
    /// <summary>Most characters kept on either side of the quote.</summary>
    public const int Context = 120;

    private static readonly char[] SentenceEnds = ['。', '!', '?', ';', '!', '?', ';'];
    private static readonly char[] ClauseEnds = [',', ',', '、', ':', ':'];

    /// <summary>The excerpt, or null when the quote is not in the passage (it always is: the build placed it there).</summary>
    public static PassageExcerpt? Of(QuotedPassage passage, string quote, string? figure)
    {
        var text = passage.Text;
        var start = Utf16Index(text, passage.QuoteStart);
        if (start < 0 || start + quote.Length > text.Length || string.CompareOrdinal(text, start, quote, 0, quote.Length) != 0)
            start = text.IndexOf(quote, StringComparison.Ordinal);
        if (start < 0) return null;
        var end = start + quote.Length;

        var from = start <= Context ? 0 : KeptFrom(text, start);
        var to = text.Length - end <= Context ? text.Length : KeptTo(text, end);

        var at = string.IsNullOrEmpty(figure) ? -1 : quote.IndexOf(figure, StringComparison.Ordinal);
        var (quoteBefore, marked, quoteAfter) = at < 0 ? (quote, "", "") : (quote[..at], figure!, quote[(at + figure!.Length)..]);
        return new PassageExcerpt(from > 0, text[from..start], quoteBefore, marked, quoteAfter, text[end..to], to < text.Length);
    }

    /// <summary>
    /// Where the kept words before the quote begin: the earliest sentence start within reach that keeps some words, else
    /// the earliest clause start, else the quote's own start when a sentence ends just before it, else exactly at reach.
    /// </summary>
    private static int KeptFrom(string text, int quoteStart)
    {
        var reach = quoteStart - Context;
        foreach (var ends in new[] { SentenceEnds, ClauseEnds })
            if (text.IndexOfAny(ends, reach - 1, quoteStart - reach) is var mark and >= 0) return mark + 1; // marks at reach - 1 … quoteStart - 2
        return SentenceEnds.Contains(text[quoteStart - 1]) ? quoteStart : reach;
    }

    /// <summary>
    /// Where the kept words after the quote end: the latest sentence end within reach that keeps some words, else the
    /// latest clause end, else just after the mark that ends the quote's sentence, else exactly at reach.
    /// </summary>
    private static int KeptTo(string text, int quoteEnd)
    {
        var reach = quoteEnd + Context;
        foreach (var ends in new[] { SentenceEnds, ClauseEnds })
            if (text.LastIndexOfAny(ends, reach - 1, reach - quoteEnd - 1) is var mark and >= 0) return mark + 1; // marks at quoteEnd + 1 … reach - 1
        return SentenceEnds.Contains(text[quoteEnd]) ? quoteEnd + 1 : reach;
    }

    /// <summary>The UTF-16 index of a position counted in code points (as the database counts), or -1 past the end.</summary>
    private static int Utf16Index(string text, int codePoints)
    {
        var index = 0;
        for (var i = 0; i < codePoints; i++)
        {
            if (index >= text.Length) return -1;
            index += char.IsSurrogatePair(text, index) ? 2 : 1;
        }
        return index;
    }
}
