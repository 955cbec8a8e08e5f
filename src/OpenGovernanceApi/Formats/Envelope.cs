using System.Text.Json.Serialization;

namespace OpenGovernanceApi.Formats;

/// <summary>Text that exists in Chinese (as in the source) and English (a faithful translation).</summary>
public sealed record LocalizedText(
    [property: Description("Chinese, exactly as in the source document.")] string Zh,
    [property: Description("English translation.")] string En)
{
    public static LocalizedText? From(string? zh, string? en) => zh is null && en is null ? null : new(zh ?? "", en ?? "");
}

/// <summary>A page of a collection: the data, its meta and the links to this and the next page.</summary>
public sealed record Collection<T>(IReadOnlyList<T> Data, CollectionMeta Meta, CollectionLinks Links) : ICollectionEnvelope
{
    /// <summary>
    /// For CSV and GeoJSON, which hold every row: the rows read one by one from the database
    /// as they are written out, instead of <see cref="Data"/>, so no answer is held whole in memory.
    /// </summary>
    [JsonIgnore] public IAsyncEnumerable<T>? Streamed { get; init; }

    IAsyncEnumerable<object> ICollectionEnvelope.Items => Streamed is null ? Data.Cast<object>().ToAsyncEnumerable() : Streamed.Select(r => (object)r!);
    Type ICollectionEnvelope.ItemType => typeof(T);
}

/// <summary>What a collection's page holds.</summary>
public sealed record CollectionMeta(
    [property: Description("Number of items in this page.")] int Count,
    [property: Description("Number of items matching the filters, over all pages.")] int Total,
    [property: Description("Page size asked for (1 to 1000, default 100).")] int Limit,
    [property: Description("The data release this answer comes from.")] string DataVersion,
    [property: Description("Counts per value of each field asked for with `facet` (statistics only); absent otherwise."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<FacetValue>>? Facets = null);

/// <summary>One value of a facet (null: the field is empty, e.g. no plan) and the number of matching items that have it.</summary>
public sealed record FacetValue(string? Value, int Count);

/// <summary>Links of a page; `next` is null on the last page and is repeated in the Link header.</summary>
public sealed record CollectionLinks(string Self, string? Next);

/// <summary>A single item with the data release it comes from.</summary>
public sealed record Item<T>(T Data, ItemMeta Meta);

public sealed record ItemMeta([property: Description("The data release this answer comes from.")] string DataVersion);

/// <summary>Lets the cross-cutting filters (CSV, fields, Link header) read any collection.</summary>
public interface ICollectionEnvelope
{
    IAsyncEnumerable<object> Items { get; }
    Type ItemType { get; }
    CollectionMeta Meta { get; }
    CollectionLinks Links { get; }
}

/// <summary>A point, WGS 84 longitude and latitude (RFC 7946 order).</summary>
public sealed record GeoPoint(
    [property: Description("Longitude, WGS 84.")] double Lon,
    [property: Description("Latitude, WGS 84.")] double Lat);

/// <summary>An item that can be drawn on a map as a GeoJSON Feature (explicitly implemented, so not serialized).</summary>
public interface IGeoFeature
{
    string FeatureId { get; }
    GeoPoint FeaturePoint { get; }

    /// <summary>
    /// A geometry to write instead of the point, as RFC 7946 geometry JSON (`null` for a feature that has none),
    /// or null for the point: a region's outline when `geometry=boundary` asks for it.
    /// </summary>
    string? FeatureGeometry => null;
}
