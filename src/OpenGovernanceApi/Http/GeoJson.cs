using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGovernanceApi.Http;

/// <summary>
/// RFC 7946 GeoJSON of anything with a point: a FeatureCollection of a collection (one Feature
/// per item, id = the item's id, geometry = its representative point, properties = the item as
/// in JSON after `fields=`; `meta` and `links` ride along as foreign members), or one Feature.
/// Features are written as they are read, so a large layer is never held whole.
/// </summary>
public static class GeoJson
{
    public const string MediaType = "application/geo+json";

    public static IResult FeatureCollection(ICollectionEnvelope collection, IReadOnlyList<string>? fields, JsonSerializerOptions options) =>
        new FeatureCollectionResult(collection, fields, options);

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

    private sealed class FeatureCollectionResult(ICollectionEnvelope collection, IReadOnlyList<string>? fields, JsonSerializerOptions options) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.ContentType = MediaType;
            await using var writer = new Utf8JsonWriter(http.Response.Body, new JsonWriterOptions { Encoder = options.Encoder });
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            writer.WriteStartArray("features");
            var written = 0;
            await foreach (var item in collection.Items.WithCancellation(http.RequestAborted))
            {
                if (item is not IGeoFeature feature) continue;
                ToFeature(feature, fields, options).WriteTo(writer, options);
                if (++written % 500 == 0) await writer.FlushAsync(http.RequestAborted);
            }
            writer.WriteEndArray();
            writer.WritePropertyName("meta");
            JsonSerializer.Serialize(writer, collection.Meta, options);
            writer.WritePropertyName("links");
            JsonSerializer.Serialize(writer, collection.Links, options);
            writer.WriteEndObject();
        }
    }
}
