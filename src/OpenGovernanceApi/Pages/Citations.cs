using System.Text;

namespace OpenGovernanceApi.Pages;

/// <summary>A statistic's citation in the forms a researcher pastes: plain text (both languages), BibTeX and RIS.</summary>
/// <param name="PlainZh">The API's `citation.zh`, pointing to the Chinese page.</param>
/// <param name="PlainEn">The API's `citation.en`, pointing to the English page.</param>
/// <param name="BibTeX">A BibTeX `@misc` entry in the page's language.</param>
/// <param name="Ris">An RIS record in the page's language.</param>
public sealed record CitationFormats(string PlainZh, string PlainEn, string BibTeX, string Ris)
{
    /// <summary>
    /// What is cited is the source document, as the plain citation does, with the figure and the permanent page
    /// of this statistic in the dataset (the URL the plain citation of the same language gives).
    /// </summary>
    public static CitationFormats For(StatisticResponse s, SourceResponse source, PageContext page)
    {
        var lang = page.Lang;
        var url = page.Canonical;
        var author = source.Author is { } a ? lang.Of(a) : lang.Of(source.Outlet);
        var title = lang.Of(source.Title);
        var outlet = lang.Of(source.Outlet);
        var year = source.PublishedOn.Length >= 4 ? source.PublishedOn[..4] : source.PublishedOn;
        var figure = lang.IsZh
            ? $"{s.Indicator.Name.Zh}({s.Region.Name.Zh},{s.Period}):{s.ValueAsWritten}"
            : $"{s.Indicator.Name.En} ({s.Region.Name.En}, {s.Period}): {FigureWording.En(s.Value, s.Unit, s.Comparator, s.ValueAsWritten)} ({s.ValueAsWritten})";
        var via = lang.IsZh
            ? $"引自 OpenGovernanceApi 统计数据 {s.Id}(数据版本 {page.DataVersion})。{figure}"
            : $"Via OpenGovernanceApi, statistic {s.Id} (data release {page.DataVersion}). {figure}";

        var bib = new StringBuilder();
        bib.Append("@misc{").Append(s.Id).Append(",\n");
        Field(bib, "author", "{" + Bib(author) + "}"); // braced twice: an organisation or a full name, not "Last, First"
        Field(bib, "title", "{" + Bib(title) + "}");
        Field(bib, "howpublished", Bib(outlet));
        Field(bib, "year", Bib(year));
        Field(bib, "date", Bib(source.PublishedOn));
        Field(bib, "language", lang.IsZh ? "chinese" : "english");
        Field(bib, "note", Bib(via));
        Field(bib, "url", Bib(url), last: true);
        bib.Append('}');

        var ris = new StringBuilder();
        Tag(ris, "TY", source.Kind switch { "news-report" or "signed-article" => "NEWS", "report-release" => "RPRT", _ => "GEN" });
        Tag(ris, "AU", author);
        Tag(ris, "TI", title);
        Tag(ris, "PB", outlet);
        Tag(ris, "PY", year);
        Tag(ris, "DA", source.PublishedOn.Replace('-', '/'));
        Tag(ris, "LA", lang.IsZh ? "zh" : "en");
        Tag(ris, "DB", "OpenGovernanceApi");
        Tag(ris, "N1", via);
        Tag(ris, "UR", url);
        ris.Append("ER  - ");
        return new CitationFormats(s.Citation.Zh, s.Citation.En, bib.ToString(), ris.ToString());
    }

    private static void Field(StringBuilder bib, string name, string value, bool last = false) =>
        bib.Append("  ").Append(name.PadRight(12)).Append(" = {").Append(value).Append('}').Append(last ? "\n" : ",\n");

    /// <summary>Text as BibTeX reads it literally: its special characters escaped, on one line.</summary>
    private static string Bib(string text)
    {
        var escaped = new StringBuilder();
        foreach (var c in OneLine(text))
            escaped.Append(c switch
            {
                '\\' => @"\textbackslash{}",
                '{' or '}' or '%' or '&' or '$' or '#' or '_' => "\\" + c,
                '^' => @"\^{}",
                '~' => @"\~{}",
                _ => c.ToString(),
            });
        return escaped.ToString();
    }

    private static void Tag(StringBuilder ris, string tag, string value) => ris.Append(tag).Append("  - ").Append(OneLine(value)).Append('\n');

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
