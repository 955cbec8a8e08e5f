namespace OpenGovernanceApi.OpenApi;

/// <summary>
/// What a query parameter accepts, for the OpenAPI document and for the validation alike: values
/// are bound as strings so that our own validation names every bad one; this states the real type
/// and limits (integer 1–1000, an enum, a pattern) so clients and generators see them, and the
/// handlers read their allowed values from here (<see cref="EnumOf{T}"/>), so they are written once.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class QuerySchemaAttribute : Attribute
{
    /// <summary>`integer`, `boolean` or `string` (default).</summary>
    public string Type { get; init; } = "string";
    public string? Minimum { get; init; }
    public string? Maximum { get; init; }
    public string? Default { get; init; }
    public string? Pattern { get; init; }
    public string[]? Enum { get; init; }

    /// <summary>The allowed values of a parameter, as its attribute states them for the document.</summary>
    public static string[] EnumOf<T>(string property) =>
        typeof(T).GetProperty(property)?.GetCustomAttributes(typeof(QuerySchemaAttribute), false).Cast<QuerySchemaAttribute>().SingleOrDefault()?.Enum
        ?? throw new InvalidOperationException($"{typeof(T).Name}.{property} states no allowed values");
}
