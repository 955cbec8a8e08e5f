using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenGovernanceApi.Api;

/// <summary>
/// Reads query values and collects what is wrong with them, so one 400 problem names every
/// bad parameter at once. Parsers return a usable default after recording an error.
/// </summary>
public sealed partial class QueryErrors
{
    // The limits below are checked here and stated in the OpenAPI document from these same constants
    // ([QuerySchema] and OpenApiSetup.QueryParameterSchemas), so the two cannot disagree.

    /// <summary>Values a filter of several values takes at once (`region=a,b,…`, counted after splitting on commas).</summary>
    public const int MaxValues = 100;

    /// <summary>Characters of one value of such a filter, and of an id in a path: the longest id served is 66.</summary>
    public const int MaxValueLength = 100;

    /// <summary>Characters of a full-text query (`q`).</summary>
    public const int MaxSearchLength = 200;

    /// <summary>Characters of an ISO 8601 period of day precision, the longest there is (`2019-01-09`).</summary>
    public const int MaxPeriodLength = 10;

    /// <summary>Ids (and the values of filters by id): the build of the database refuses any other (DatasetValidator).</summary>
    public const string SlugPattern = "^[a-z0-9][a-z0-9.-]*$";
    public const string AdcodePattern = "^11[0-9]{4}$";
    public const int AdcodeLength = 6;
    /// <summary>A data release: the first 16 hexadecimal digits of the SHA-256 of the dataset's text.</summary>
    public const string DataVersionPattern = "^[0-9a-f]{16}$";
    public const int DataVersionLength = 16;
    public const string PeriodPattern = @"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$";

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>Whether this parameter has an error.</summary>
    public bool Has(string parameter) => _errors.ContainsKey(parameter);

    public void Add(string parameter, string message)
    {
        if (!_errors.TryGetValue(parameter, out var list)) _errors[parameter] = list = [];
        list.Add(message);
    }

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
        title: "Invalid query parameter",
        detail: "Query parameter(s) " + string.Join(", ", _errors.Keys.Select(k => $"'{k}'")) + " invalid: " + Describe());

    /// <summary>Every error in one line, each naming its parameter ("q: is longer than 200 characters."): the problem's detail, and an MCP tool's error text.</summary>
    public string Describe() => string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));

    public int Int(string? raw, string name, int min, int max, int fallback)
    {
        if (raw is null) return fallback;
        // ASCII digits only: int.TryParse would also take trailing NULs ("1\0") and other digits (١).
        if (raw.Length is > 0 and <= 9 && raw.All(char.IsAsciiDigit)
            && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        Add(name, $"must be a whole number from {min} to {max}; got '{Shorten(raw)}'.");
        return fallback;
    }

    public bool Bool(string? raw, string name)
    {
        switch (raw)
        {
            case null: return false;
            case "true": return true;
            case "false": return false;
            default: Add(name, $"must be 'true' or 'false'; got '{Shorten(raw)}'."); return false;
        }
    }

    public string? OneOf(string? raw, string name, IReadOnlyCollection<string> allowed)
    {
        if (raw is null || allowed.Contains(raw)) return raw;
        Add(name, $"must be one of {string.Join(", ", allowed)}; got '{Shorten(raw)}'.");
        return null;
    }

    /// <summary>Values of a filter that takes several: repeated (`a&amp;a`) or comma-separated (`a,b`).</summary>
    public IReadOnlyList<string> List(string[]? raw, string name, Regex valid, string what, IReadOnlyCollection<string>? allowed = null)
    {
        if (raw is null || raw.Length == 0) return [];
        var values = raw.SelectMany(v => v.Split(',')).Select(v => v.Trim()).ToList();
        if (values.Count > MaxValues) { Add(name, $"takes at most {MaxValues} values."); return []; }
        foreach (var value in values)
        {
            if (value.Length == 0 || value.Length > MaxValueLength || !valid.IsMatch(value))
                Add(name, $"'{Shorten(value)}' is not a valid {what}.");
            else if (allowed is not null && !allowed.Contains(value))
                Add(name, $"'{Shorten(value)}' is not one of {string.Join(", ", allowed)}.");
        }
        return values.Distinct().ToList();
    }

    /// <summary>An ISO 8601 year, month or day: 2016, 2018-01, 2019-01-09.</summary>
    public string? Period(string? raw, string name)
    {
        if (raw is null) return null;
        if (IsoPeriod().IsMatch(raw) && (raw.Length < 10 || DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
            return raw;
        Add(name, $"must be an ISO 8601 date of year, month or day precision (2016, 2018-01, 2019-01-09); got '{Shorten(raw)}'.");
        return null;
    }

    /// <summary>
    /// An exclusive upper bound for `to`: it sorts after every date within `period` and before every
    /// later one, whatever their precision ('2018' → '2018~', after '2018-12-31' and before '2019';
    /// '2018-12-31~' is before '2019' and '2019-01'). Dates are compared as ISO strings, and '~' sorts
    /// after every digit and '-'. Never overflows (9999-12-31).
    /// </summary>
    public static string PeriodEnd(string period) => period + "~";

    /// <summary>Client text echoed in messages is cut short and stripped of control characters.</summary>
    public static string Shorten(string value)
    {
        var clean = new string(value.Where(c => !char.IsControl(c)).Take(60).ToArray());
        return value.Length > 60 ? clean + "…" : clean;
    }

    [GeneratedRegex(PeriodPattern)]
    private static partial Regex IsoPeriod();

    [GeneratedRegex(SlugPattern)]
    public static partial Regex Slug();

    [GeneratedRegex(AdcodePattern)]
    public static partial Regex Adcode();
}
