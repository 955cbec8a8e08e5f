namespace OpenGovernanceApi.OpenApi;

/// <summary>
/// What a query (or path) parameter accepts, for the OpenAPI document and for the validation alike: values
/// are bound as strings so that our own validation names every bad one; this states the real type
/// and limits (integer 1–1000, an enum, a pattern, a length) so clients and generators see them, and the
/// handlers read their allowed values from here (<see cref="EnumOf{T}"/>), so they are written once.
/// Numbers are given as the constants the validation checks (PageRequest.MaxLimit, QueryErrors.MaxSearchLength …).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class QuerySchemaAttribute : Attribute
{
    // An attribute cannot take an int?; these say whether a limit was given at all.
    private int? _minimum, _maximum, _minLength, _maxLength;

    /// <summary>`integer`, `boolean` or `string` (default).</summary>
    public string Type { get; init; } = "string";
    public int Minimum { get => _minimum ?? 0; init => _minimum = value; }
    public int Maximum { get => _maximum ?? 0; init => _maximum = value; }
    /// <summary>Of the value, or of each value of a parameter that takes several.</summary>
    public int MinLength { get => _minLength ?? 0; init => _minLength = value; }
    /// <summary>Of the value, or of each value of a parameter that takes several.</summary>
    public int MaxLength { get => _maxLength ?? 0; init => _maxLength = value; }
    /// <summary>A string, or an int for an integer parameter.</summary>
    public object? Default { get; init; }
    public string? Pattern { get; init; }
    public string[]? Enum { get; init; }

    public int? MinimumOrNull => _minimum;
    public int? MaximumOrNull => _maximum;
    public int? MinLengthOrNull => _minLength;
    public int? MaxLengthOrNull => _maxLength;

    /// <summary>The allowed values of a parameter, as its attribute states them for the document.</summary>
    public static string[] EnumOf<T>(string property) =>
        typeof(T).GetProperty(property)?.GetCustomAttributes(typeof(QuerySchemaAttribute), false).Cast<QuerySchemaAttribute>().SingleOrDefault()?.Enum
        ?? throw new InvalidOperationException($"{typeof(T).Name}.{property} states no allowed values");
}
