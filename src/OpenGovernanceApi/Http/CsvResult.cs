using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace OpenGovernanceApi.Http;

/// <summary>
/// RFC 4180 CSV of any response type: UTF-8 with a byte-order mark (so Excel reads Chinese),
/// CRLF line ends, one header row. Nested objects are flattened to dotted columns
/// (`name.zh`, `source.title.en`), lists joined with `;`. Columns come from the type, not the
/// values, so every row has the same columns even where a value is null.
/// </summary>
public sealed class CsvResult(IAsyncEnumerable<object> items, Type itemType, IReadOnlyList<string>? fields, JsonSerializerOptions options, string fileName) : IResult
{
    public const string ContentType = "text/csv; charset=utf-8; header=present";

    public async Task ExecuteAsync(HttpContext http)
    {
        var columns = Columns(itemType, "", options, depth: 0)
            .Where(c => fields is null || fields.Contains(c.Split('.')[0])).ToList();
        http.Response.ContentType = ContentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024);
        await using (writer)
        {
            await writer.WriteAsync(string.Join(",", columns.Select(Escape)) + "\r\n");
            await foreach (var item in items.WithCancellation(http.RequestAborted))
            {
                using var document = JsonSerializer.SerializeToDocument(item, item.GetType(), options);
                var line = string.Join(",", columns.Select(c => Escape(Cell(document.RootElement, c))));
                await writer.WriteAsync(line + "\r\n");
            }
        }
    }

    /// <summary>Dotted column names of a type: records and classes are walked, everything else is a leaf.</summary>
    public static IEnumerable<string> Columns(Type type, string prefix, JsonSerializerOptions options, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = prefix + (options.PropertyNamingPolicy?.ConvertName(property.Name) ?? property.Name);
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsLeaf(t) || depth >= 3) yield return name;
            else foreach (var nested in Columns(t, name + ".", options, depth + 1)) yield return nested;
        }
    }

    private static bool IsLeaf(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateOnly) || t == typeof(DateTime)
        || typeof(IEnumerable).IsAssignableFrom(t);

    private static string Cell(JsonElement root, string path)
    {
        var element = root;
        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element)) return "";
        }
        return element.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            JsonValueKind.String => element.GetString()!,
            JsonValueKind.Array => string.Join(";", element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
            _ => element.GetRawText(),
        };
    }

    private static string Escape(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
