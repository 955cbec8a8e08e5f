namespace OpenGovernanceApi.Pages;

/// <summary>The language a page is written in: Chinese at the root, English under /en.</summary>
public sealed class PageLanguage
{
    public static readonly PageLanguage Zh = new("zh", "zh-CN", "", "zh_CN");
    public static readonly PageLanguage En = new("en", "en", "/en", "en_US");

    private PageLanguage(string code, string htmlLang, string prefix, string ogLocale)
    {
        Code = code;
        HtmlLang = htmlLang;
        Prefix = prefix;
        OgLocale = ogLocale;
    }

    /// <summary>`zh` or `en`.</summary>
    public string Code { get; }

    /// <summary>The BCP 47 tag of the page: `zh-CN` or `en`.</summary>
    public string HtmlLang { get; }

    /// <summary>Where the language's pages live: "" (Chinese) or "/en".</summary>
    public string Prefix { get; }

    /// <summary>Open Graph's locale: `zh_CN` or `en_US`.</summary>
    public string OgLocale { get; }

    public bool IsZh => ReferenceEquals(this, Zh);

    public PageLanguage Other => IsZh ? En : Zh;

    /// <summary>The text in this language.</summary>
    public string T(string zh, string en) => IsZh ? zh : en;

    public string Of(LocalizedText text) => IsZh ? text.Zh : text.En;

    public string Of((string Zh, string En) text) => IsZh ? text.Zh : text.En;

    /// <summary>The language of a path: English under /en, else Chinese.</summary>
    public static PageLanguage Of(PathString path) => path.StartsWithSegments("/en") ? En : Zh;
}
