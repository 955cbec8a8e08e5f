using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace OpenGovernanceApi.Formats;

/// <summary>
/// RFC 4180 CSV of any response type: UTF-8 with a byte-order mark (so Excel reads Chinese),
/// CRLF line ends, one header row. Nested objects are flattened to dotted columns
/// (`name.zh`, `source.title.en`), lists joined with `;`. Columns come from the type, not the
/// values, so every row has the same columns even where a value is null. Cells are written as
/// the JSON answer writes the same values (names by the JSON naming policy, numbers shortest
/// round-trip, `true`/`false`).
/// </summary>
public sealed class CsvResult(IAsyncEnumerable<object> items, Type itemType, IReadOnlyList<string>? fields, JsonSerializerOptions options, string fileName) : IResult
{
    public const string ContentType = "text/csv; charset=utf-8; header=present";

    /// <summary>
    /// The CSV writers' buffer. Small enough that neither of the two arrays a StreamWriter makes (the
    /// chars, 32 KB; their UTF-8, 48 KB) lands on the large object heap, which only a full collection
    /// frees: at 64K chars, they made 12% of all bytes allocated while answers were computed afresh.
    /// </summary>
    public const int WriterBufferChars = 16 * 1024;

    public async Task ExecuteAsync(HttpContext http)
    {
        var columns = ColumnsOf(itemType, options).Where(c => fields is null || fields.Contains(c.Name.Split('.')[0])).ToList();
        http.Response.ContentType = ContentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), WriterBufferChars);
        await using (writer)
        {
            var line = new StringBuilder(4096);
            for (var i = 0; i < columns.Count; i++) line.Append(i > 0 ? "," : "").Append(Escape(columns[i].Name));
            await writer.WriteAsync(line.Append("\r\n"), http.RequestAborted);
            await foreach (var item in items.WithCancellation(http.RequestAborted))
            {
                line.Clear();
                for (var i = 0; i < columns.Count; i++)
                {
                    if (i > 0) line.Append(',');
                    line.Append(Escape(Format(columns[i].ValueOf(item), options)));
                }
                await writer.WriteAsync(line.Append("\r\n"), http.RequestAborted);
            }
        }
    }

    /// <summary>A dotted column and how to read its value from a row (null when any step is null).</summary>
    private sealed record Column(string Name, Func<object, object?> ValueOf);

    // Columns of a type never change: worked out once per type and naming policy, with compiled getters.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, JsonNamingPolicy?), IReadOnlyList<Column>> ColumnCache = new();

    private static IReadOnlyList<Column> ColumnsOf(Type type, JsonSerializerOptions options) =>
        ColumnCache.GetOrAdd((type, options.PropertyNamingPolicy), _ =>
            Walk(type, "", [], options, depth: 0).Select(c => new Column(c.Name, Compile(c.Path))).ToList());

    /// <summary>Dotted column names of a type: records and classes are walked, everything else is a leaf.</summary>
    private static IEnumerable<(string Name, PropertyInfo[] Path)> Walk(Type type, string prefix, PropertyInfo[] path, JsonSerializerOptions options, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            var name = prefix + (options.PropertyNamingPolicy?.ConvertName(property.Name) ?? property.Name);
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            PropertyInfo[] here = [.. path, property];
            if (IsLeaf(t) || depth >= 3) yield return (name, here);
            else foreach (var nested in Walk(t, name + ".", here, options, depth + 1)) yield return nested;
        }
    }

    /// <summary>row => row.A?.B?.C as object, compiled once.</summary>
    private static Func<object, object?> Compile(PropertyInfo[] path)
    {
        var row = Expression.Parameter(typeof(object), "row");
        var result = Expression.Label(typeof(object));
        var body = new List<Expression>();
        Expression current = Expression.Convert(row, path[0].DeclaringType!);
        for (var i = 0; i < path.Length; i++)
        {
            var step = Expression.Variable(path[i].PropertyType, "step" + i);
            body.Add(Expression.Assign(step, Expression.Property(current, path[i])));
            if (i < path.Length - 1 && !path[i].PropertyType.IsValueType)
                body.Add(Expression.IfThen(Expression.Equal(step, Expression.Constant(null, path[i].PropertyType)), Expression.Return(result, Expression.Constant(null))));
            current = step;
        }
        body.Add(Expression.Label(result, Expression.Convert(current, typeof(object))));
        var variables = body.OfType<BinaryExpression>().Select(b => b.Left).OfType<ParameterExpression>();
        return Expression.Lambda<Func<object, object?>>(Expression.Block(variables, body), row).Compile();
    }

    private static bool IsLeaf(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateOnly) || t == typeof(DateTime)
        || typeof(IEnumerable).IsAssignableFrom(t);

    private static string Format(object? value, JsonSerializerOptions options) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString(CultureInfo.InvariantCulture),
        float f => f.ToString(CultureInfo.InvariantCulture),
        IFormattable number when value.GetType().IsPrimitive || value is decimal => number.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable list => string.Join(";", list.Cast<object?>().Select(e => e switch
        {
            null => "null",
            string s => s,
            _ when e.GetType().IsPrimitive || e is decimal => Format(e, options),
            _ => JsonSerializer.Serialize(e, e.GetType(), options),
        })),
        _ => JsonSerializer.Serialize(value, value.GetType(), options).Trim('"'),
    };

    /// <summary>A cell as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, quote or line end.</summary>
    public static string Escape(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : Quote(value);

    /// <summary>A cell in quotes whatever it holds, quotes doubled (RFC 4180 allows any field quoted).</summary>
    public static string Quote(string value) => "\"" + value.Replace("\"", "\"\"") + "\"";
}
