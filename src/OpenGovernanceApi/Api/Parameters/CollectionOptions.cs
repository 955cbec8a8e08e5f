using Microsoft.AspNetCore.WebUtilities;


namespace OpenGovernanceApi.Api;

/// <summary>The output options an operation binds, read by the response-shaping filter: `format` and `fields`.</summary>
public interface IOutputOptions
{
    string? Format { get; }
    string? Fields { get; }
}

/// <summary>Paging and output options every collection takes.</summary>
public sealed class CollectionOptions : IOutputOptions
{
    /// <summary>Page size, a whole number from 1 to 1000 (default 100). Ignored for CSV and GeoJSON, which always hold every page.</summary>
    [QuerySchema(Type = "integer", Minimum = PageRequest.MinLimit, Maximum = PageRequest.MaxLimit, Default = PageRequest.DefaultLimit), FromQuery(Name = "limit")] public string? Limit { get; init; }

    /// <summary>Opaque cursor from `links.next` of the previous page. A cursor from another data release or sort is a 400.</summary>
    [QuerySchema(MaxLength = PageCursor.MaxLength), FromQuery(Name = "cursor")] public string? Cursor { get; init; }

    /// <summary>Comma-separated top-level fields to keep in each item (JSON and CSV), e.g. `id,value,period`; the items then have only these. An unknown field is a 400.</summary>
    [QuerySchema(MaxLength = ResponseShaping.MaxFieldsLength), FromQuery(Name = "fields")] public string? Fields { get; init; }

    /// <summary>`json` (default), `csv` (RFC 4180, UTF-8 with BOM, every page; same as `Accept: text/csv`) or, for regions and statistics, `geojson` (RFC 7946, every page; same as `Accept: application/geo+json`).</summary>
    [QuerySchema(Enum = new[] { "json", "csv", "geojson" }), FromQuery(Name = "format")] public string? Format { get; init; }
}

/// <summary>Output options of a single item.</summary>
public sealed class ItemOptions : IOutputOptions
{
    /// <summary>Comma-separated top-level fields to keep, e.g. `id,value,quote`; the item then has only these. An unknown field is a 400.</summary>
    [QuerySchema(MaxLength = ResponseShaping.MaxFieldsLength), FromQuery(Name = "fields")] public string? Fields { get; init; }

    /// <summary>`json` (default), `csv` (one row) or, for regions and statistics, `geojson` (one Feature).</summary>
    [QuerySchema(Enum = new[] { "json", "csv", "geojson" }), FromQuery(Name = "format")] public string? Format { get; init; }
}

/// <summary>One page asked for: its size, where it starts, and how it is sorted.</summary>
public sealed record PageRequest(int Limit, PageCursor? After, string Sort, bool AllRows)
{
    public const int DefaultLimit = 100;
    public const int MinLimit = 1;
    public const int MaxLimit = 1000;

    /// <summary>
    /// Reads limit and cursor. A CSV, GeoJSON or SVG answer holds every row, so it asks for all rows at once;
    /// JSON reads one row more than the page to know whether there is a next page.
    /// </summary>
    public static PageRequest From(CollectionOptions options, HttpContext http, string dataVersion, string sort, QueryErrors errors)
    {
        var limit = errors.Int(options.Limit, "limit", MinLimit, MaxLimit, DefaultLimit);
        var after = PageCursor.Decode(options.Cursor, dataVersion, sort, errors);
        var all = ResponseFormatNegotiation.Of(http) is ResponseFormat.Csv or ResponseFormat.GeoJson or ResponseFormat.Svg;
        return new PageRequest(all ? int.MaxValue : limit, all ? null : after, sort, all);
    }

    /// <summary>The LIMIT to put in SQL: one extra row to detect a next page; -1 (none) for all rows.</summary>
    public int SqlLimit => AllRows ? -1 : Limit + 1;

    /// <summary>Cuts the extra row and builds the envelope, with links.next carrying the cursor after the last row.</summary>
    public Collection<T> ToCollection<T>(IReadOnlyList<T> rows, int total, HttpContext http, string dataVersion,
        Func<T, (string? Key, string Id)> keyOf, IReadOnlyDictionary<string, IReadOnlyList<FacetValue>>? facets = null)
    {
        var hasNext = !AllRows && rows.Count > Limit;
        var page = hasNext ? rows.Take(Limit).ToList() : rows;
        string? next = null;
        if (hasNext)
        {
            var (key, id) = keyOf(page[^1]);
            next = UrlWith(http, "cursor", new PageCursor(dataVersion, Sort, key, id).Encode());
        }
        var meta = new CollectionMeta(AllRows ? total : page.Count, total, AllRows ? total : Limit, dataVersion, facets);
        return new Collection<T>(page, meta, new CollectionLinks(SelfUrl(http), next));
    }

    public static string SelfUrl(HttpContext http) =>
        $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{http.Request.Path}{http.Request.QueryString}";

    private static string UrlWith(HttpContext http, string name, string value)
    {
        var query = http.Request.Query.Where(q => !string.Equals(q.Key, name, StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new KeyValuePair<string, string?>(name, value));
        return QueryHelpers.AddQueryString($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{http.Request.Path}", query);
    }
}
