using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace OpenGovernanceApi.Pages;

/// <summary>
/// What every page knows about itself: its language, its path (without the language prefix, with its query for
/// a search), and how to write links: within the site (path base kept, so the site works behind a proxy's
/// path), absolute for canonical and alternate URLs (the public address, as /v1's links are), and to the JSON.
/// </summary>
public sealed class PageContext
{
    private readonly string _origin;
    private readonly string _pathBase;

    private PageContext(PageLanguage lang, string path, string origin, string pathBase, string dataVersion, SiteAssets assets)
    {
        Lang = lang;
        Path = path;
        _origin = origin;
        _pathBase = pathBase;
        DataVersion = dataVersion;
        Assets = assets;
    }

    public static PageContext For(HttpContext http, PageLanguage lang, string path) => new(lang, path,
        $"{http.Request.Scheme}://{http.Request.Host}", http.Request.PathBase.Value ?? "",
        http.RequestServices.GetRequiredService<GovernanceDb>().DataVersion, http.RequestServices.GetRequiredService<SiteAssets>());

    public PageLanguage Lang { get; }

    /// <summary>The page's path without the language prefix: `/`, `/statistics/{id}`, `/search?q=…`.</summary>
    public string Path { get; }

    public string DataVersion { get; }

    public SiteAssets Assets { get; }

    /// <summary>A page of this language: `/statistics/x` or `/en/statistics/x`.</summary>
    public string Href(string path) => HrefIn(Lang, path);

    /// <summary>A page of the given language.</summary>
    public string HrefIn(PageLanguage lang, string path) => _pathBase + lang.Prefix + path;

    /// <summary>Anything else the app serves (assets, /v1, /docs), from the site's root.</summary>
    public string Root(string path) => _pathBase + path;

    /// <summary>The absolute URL of a page of the given language.</summary>
    public string Url(PageLanguage lang, string path) => _origin + HrefIn(lang, path);

    /// <summary>The absolute URL of anything the app serves.</summary>
    public string Absolute(string path) => _origin + _pathBase + path;

    /// <summary>This page's own URL, the canonical one.</summary>
    public string Canonical => Url(Lang, Path);

    public string T(string zh, string en) => Lang.T(zh, en);

    public string Of(LocalizedText text) => Lang.Of(text);

    /// <summary>Path segments of ids are escaped (an id could hold anything a URL treats specially).</summary>
    public static string Segment(string id) => Uri.EscapeDataString(id);
}

/// <summary>What a page's head says about it: title, description, its JSON, and schema.org JSON-LD.</summary>
/// <param name="Title">The page's own title (the site name is added after it).</param>
/// <param name="Description">One sentence for search engines and link previews.</param>
/// <param name="Json">The absolute URL of the same thing in /v1, or null.</param>
/// <param name="OgType">Open Graph type: `website` or `article`.</param>
/// <param name="JsonLd">schema.org data of the page, or null.</param>
/// <param name="NoIndex">An error page: not to be indexed.</param>
/// <param name="Script">The page has copy buttons: load the (hashed, same-origin) script that enables them.</param>
public sealed record PageHead(string Title, string Description, string? Json, string OgType = "website", JsonObject? JsonLd = null,
    bool NoIndex = false, bool Script = false)
{
    private static readonly JsonSerializerOptions JsonLdOptions = new()
    {
        // Chinese as characters; <, >, &, ' and " always as \uXXXX escapes, so no text in the data can end the
        // <script> element that holds it or start markup: the one place a page writes text Razor does not encode.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <summary>The JSON-LD as it goes inside its script element (see JsonLdOptions).</summary>
    public string? JsonLdText => JsonLd?.ToJsonString(JsonLdOptions);
}
