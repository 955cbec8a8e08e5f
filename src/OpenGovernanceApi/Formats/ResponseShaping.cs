using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace OpenGovernanceApi.Formats;

/// <summary>
/// What every /v1 answer gets, written once: format negotiation (JSON, CSV, GeoJSON), field
/// selection (`fields=`), CSV output of any collection or item, and the `Link` header that
/// repeats `links.next`. Handlers just return their typed envelope.
/// </summary>
public static class ResponseShaping
{
    /// <summary>Marks an operation whose handler itself writes GeoJSON when asked.</summary>
    public sealed class ProducesGeoJson;

    /// <summary>
    /// Marks an operation whose answers are files, each in its own media type (a download): not negotiated,
    /// so whatever `Accept` says the file comes as it is (RFC 9110 12.5.1 lets a server disregard Accept
    /// rather than answer 406), and neither `format` nor `fields` applies. Lists the media types and what
    /// comes in each, for the OpenAPI document.
    /// </summary>
    public sealed record OwnMediaTypes(IReadOnlyDictionary<string, string> Descriptions);

    /// <summary>
    /// Characters of `fields`: every field of the widest item (statistics: 16 names, about 150 characters)
    /// fits several times over; a longer list is a 400 rather than work for nothing.
    /// </summary>
    public const int MaxFieldsLength = 500;

    /// <summary>Marks an operation whose handler itself draws an SVG chart when asked (`?format=svg`, `Accept: image/svg+xml`).</summary>
    public sealed class ProducesSvg;

    public static TBuilder ShapeResponses<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            var metadata = http.GetEndpoint()?.Metadata;
            if (metadata?.GetMetadata<OwnMediaTypes>() is not null) return await next(invocation);
            var geo = metadata?.GetMetadata<ProducesGeoJson>() is not null;
            var svg = metadata?.GetMetadata<ProducesSvg>() is not null;
            // What the operation bound: `format` and `fields` of its options (none for the index).
            var (format, fields) = invocation.Arguments.OfType<IOutputOptions>().FirstOrDefault() is { } o ? (o.Format, o.Fields) : (null, null);
            if (ResponseFormatNegotiation.Negotiate(http, format, geo, svg) is { } refusal) return refusal;

            var result = await next(invocation);
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            if (inner is not IValueHttpResult { Value: { } value } || inner is not IStatusCodeHttpResult { StatusCode: 200 })
                return result;

            var jsonOptions = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            var chosen = ResponseFormatNegotiation.Of(http);

            if (value is ICollectionEnvelope collection)
            {
                var selected = SelectFields(fields, collection.ItemType, jsonOptions, out var fieldProblem);
                if (fieldProblem is not null) return fieldProblem;
                if (chosen == ResponseFormat.Csv)
                    return new CsvResult(collection.Items, collection.ItemType, selected, jsonOptions, FileName(http));
                if (chosen == ResponseFormat.GeoJson)
                    return GeoJson.FeatureCollection(collection, selected, jsonOptions);
                if (collection.Links.Next is { } nextUrl)
                    http.Response.Headers.Append("Link", $"<{nextUrl}>; rel=\"next\"");
                return selected is null ? result : new SelectedFieldsResult(value, selected, jsonOptions);
            }

            if (IsItem(value, out var data))
            {
                var selected = SelectFields(fields, data!.GetType(), jsonOptions, out var fieldProblem);
                if (fieldProblem is not null) return fieldProblem;
                if (chosen == ResponseFormat.Csv)
                    return new CsvResult(new[] { data }.ToAsyncEnumerable(), data.GetType(), selected, jsonOptions, FileName(http));
                if (chosen == ResponseFormat.GeoJson && data is IGeoFeature feature)
                    return GeoJson.Feature(feature, selected, jsonOptions);
                return selected is null ? result : new SelectedFieldsResult(value, selected, jsonOptions);
            }
            return result;
        });

    /// <summary>The JSON names of an item type's top-level properties, as serialized.</summary>
    public static IReadOnlyList<string> FieldNames(Type type, JsonSerializerOptions options) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => options.PropertyNamingPolicy?.ConvertName(p.Name) ?? p.Name).ToList();

    private static IReadOnlyList<string>? SelectFields(string? raw, Type itemType, JsonSerializerOptions options, out IResult? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(raw)) return null;
        if (raw.Length > MaxFieldsLength)
        {
            var tooLong = new QueryErrors();
            tooLong.Add("fields", $"is longer than {MaxFieldsLength} characters.");
            problem = tooLong.ToProblem();
            return null;
        }
        var known = FieldNames(itemType, options);
        var asked = raw.Split(',').Select(f => f.Trim()).ToList();
        var unknown = asked.Where(f => !known.Contains(f, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            var errors = new QueryErrors();
            errors.Add("fields", $"unknown field(s) {string.Join(", ", unknown.Select(u => $"'{QueryErrors.Shorten(u)}'"))}; fields are {string.Join(", ", known)}.");
            problem = errors.ToProblem();
            return null;
        }
        return known.Where(asked.Contains).ToList(); // the type's order, each once
    }

    /// <summary>
    /// An item with only the fields asked for, in the type's order; a field the item does not write
    /// (a null it omits) is written as null. Each value is serialized in place: building the whole
    /// item as a JSON tree first made a page with `fields=` cost twice the page without it.
    /// </summary>
    public static void WriteSelected(Utf8JsonWriter writer, object item, IReadOnlyList<string> fields, JsonSerializerOptions options)
    {
        var properties = options.GetTypeInfo(item.GetType()).Properties;
        writer.WriteStartObject();
        foreach (var field in fields)
        {
            writer.WritePropertyName(field);
            if (properties.FirstOrDefault(p => p.Name == field) is { Get: { } get } property)
                JsonSerializer.Serialize(writer, get(item), property.PropertyType, options);
            else
                writer.WriteNullValue();
        }
        writer.WriteEndObject();
    }

    /// <summary>An answer written by hand: its Content-Type set, and a writer on its body with the API's JSON escaping.</summary>
    public static Utf8JsonWriter JsonWriterFor(HttpContext http, string contentType, JsonSerializerOptions options)
    {
        http.Response.ContentType = contentType;
        return new Utf8JsonWriter(http.Response.Body, new JsonWriterOptions { Encoder = options.Encoder });
    }

    /// <summary>A collection or item envelope as it is, its `data` with the fields asked for only.</summary>
    private sealed class SelectedFieldsResult(object envelope, IReadOnlyList<string> fields, JsonSerializerOptions options) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var data = options.PropertyNamingPolicy?.ConvertName(nameof(Item<object>.Data)) ?? nameof(Item<object>.Data);
            await using var writer = JsonWriterFor(http, "application/json; charset=utf-8", options);
            writer.WriteStartObject();
            foreach (var property in options.GetTypeInfo(envelope.GetType()).Properties)
            {
                if (property.Get is not { } get) continue; // [JsonIgnore]: listed, without a getter
                var value = get(envelope);
                if (property.ShouldSerialize?.Invoke(envelope, value) == false) continue;
                writer.WritePropertyName(property.Name);
                if (property.Name != data)
                    JsonSerializer.Serialize(writer, value, property.PropertyType, options);
                else if (envelope is ICollectionEnvelope collection)
                {
                    writer.WriteStartArray();
                    await foreach (var item in collection.Items.WithCancellation(http.RequestAborted)) WriteSelected(writer, item, fields, options);
                    writer.WriteEndArray();
                }
                else
                    WriteSelected(writer, value!, fields, options);
            }
            writer.WriteEndObject();
        }
    }

    private static bool IsItem(object value, out object? data)
    {
        var type = value.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Item<>))
        {
            data = type.GetProperty(nameof(Item<object>.Data))!.GetValue(value);
            return data is not null;
        }
        data = null;
        return false;
    }

    // Parameters that change nothing in a CSV: it always holds every page, and facets are JSON-only.
    private static readonly string[] NotInFileName = ["format", "limit", "cursor", "facet"];

    /// <summary>
    /// The name a CSV of the API's shape is saved under: the path, then "-api", so it never takes the
    /// name of the bulk download of the same table (/v1/downloads/statistics.csv, the database's own
    /// columns), then the parameters that made it (`statistics-api-source-pc2019.csv`), or "filtered"
    /// when they cannot be named in a short ASCII file name (a Chinese `q`).
    /// </summary>
    private static string FileName(HttpContext http)
    {
        var segments = http.Request.Path.Value!.Trim('/').Split('/').Skip(1); // drop "v1"
        var name = string.Join("-", segments.Select(s => new string(s.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.').ToArray())));
        var parameters = http.Request.Query.Where(q => !NotInFileName.Contains(q.Key, StringComparer.OrdinalIgnoreCase))
            .Select(q => q.Key + "-" + string.Join("+", q.Value.SelectMany(v => (v ?? "").Split(','))))
            .ToList();
        var filter = parameters.Count == 0 ? ""
            : parameters.All(p => p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '+')) && parameters.Sum(p => p.Length + 1) <= 100
                ? "-" + string.Join("-", parameters)
                : "-filtered";
        return (name.Length == 0 ? "index" : name) + "-api" + filter + ".csv";
    }
}
