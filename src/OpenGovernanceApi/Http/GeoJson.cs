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
        var features = new JsonArray();
        foreach (var item in collection.Items)
        {
            if (item is not IGeoFeature geo) continue;
            var properties = fields is null ? JsonSerializer.SerializeToNode(item, item.GetType(), options) : ResponseShaping.Keep(item, fields, options);
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["id"] = geo.FeatureId,
                ["geometry"] = new JsonObject
                {
                    ["type"] = "Point",
                    ["coordinates"] = new JsonArray(geo.FeaturePoint.Lon, geo.FeaturePoint.Lat),
                },
                ["properties"] = properties,
            });
        }
        var document = new JsonObject
        {
            ["type"] = "FeatureCollection",
            ["features"] = features,
            ["meta"] = JsonSerializer.SerializeToNode(collection.Meta, options),
            ["links"] = JsonSerializer.SerializeToNode(collection.Links, options),
        };
        return TypedResults.Json(document, options, MediaType);
    }
}
