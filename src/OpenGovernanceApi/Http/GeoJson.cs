using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGovernanceApi.Http;

/// <summary>
/// RFC 7946 FeatureCollection of any collection whose items have a point: one Feature per
/// item, id = the item's id, geometry = its representative point, properties = the item
/// as in JSON (after `fields=`). `meta` and `links` ride along as foreign members.
/// </summary>
public static class GeoJson
{
    public const string MediaType = "application/geo+json";

    public static IResult FeatureCollection(ICollectionEnvelope collection, IReadOnlyList<string>? fields, JsonSerializerOptions options)
    {
        var features = new JsonArray(collection.Items.OfType<IGeoFeature>().Select(f => (JsonNode)ToFeature(f, fields, options)).ToArray());
        var document = new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = features,
            ["meta"] = JsonSerializer.SerializeToNode(collection.Meta, options),
            ["links"] = JsonSerializer.SerializeToNode(collection.Links, options),
        };
        return TypedResults.Json(document, options, MediaType);
    }

    /// <summary>One item as a GeoJSON Feature (GET /v1/regions/{adcode} with GeoJSON asked for).</summary>
    public static IResult Feature(IGeoFeature item, IReadOnlyList<string>? fields, JsonSerializerOptions options) =>
        TypedResults.Json(ToFeature(item, fields, options), options, MediaType);

    private static JsonObject ToFeature(IGeoFeature item, IReadOnlyList<string>? fields, JsonSerializerOptions options) => new()
    {
        ["type"] = "Feature",
        ["id"] = item.FeatureId,
        ["geometry"] = new JsonObject
        {
            ["type"] = "Point",
            ["coordinates"] = new JsonArray(item.FeaturePoint.Lon, item.FeaturePoint.Lat),
        },
        ["properties"] = fields is null ? JsonSerializer.SerializeToNode(item, item.GetType(), options) : ResponseShaping.Keep(item, fields, options),
    };
}
