namespace OpenGovernanceApi.OpenApi;

/// <summary>
/// What a query parameter accepts, for the OpenAPI document. Values are bound as strings so
/// that our own validation names every bad one; this states the real type and limits
/// (integer 1–1000, an enum, a pattern) so clients and generators see them.
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
}
