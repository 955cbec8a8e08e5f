using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Unicode;

namespace OpenGovernanceApi.Api;

/// <summary>
/// Refuses query parameters an operation does not declare (a typo such as `?indicatr=`
/// must not silently return everything), single-valued parameters given twice, and
/// parameters whose percent-escapes are not UTF-8 text. The
/// allowed names are read from the handler's own parameters, so they never drift from the
/// OpenAPI document.
/// </summary>
public static class QueryParameterFilter
{
    public static TBuilder RejectUndeclaredQueryParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var declared = DeclaredParameters(context.MethodInfo);
            return invocation =>
            {
                var errors = new QueryErrors();
                foreach (var name in NotUtf8(invocation.HttpContext.Request.QueryString.Value))
                    errors.Add(name, "is not valid UTF-8 text.");
                foreach (var (key, values) in invocation.HttpContext.Request.Query)
                {
                    if (!declared.TryGetValue(key, out var takesMany))
                        errors.Add(QueryErrors.Shorten(key), declared.Count == 0
                            ? "is not a parameter of this operation, which takes none."
                            : $"is not a parameter of this operation; it takes {string.Join(", ", declared.Keys.Order())}.");
                    else if (!takesMany && values.Count > 1)
                        errors.Add(key, "is given more than once; give it once.");
                }
                return errors.Any ? ValueTask.FromResult<object?>(errors.ToProblem()) : next(invocation);
            };
        });

    /// <summary>
    /// Names of the parameters whose percent-escapes do not spell UTF-8 (`%FF`, a cut-short `%C3`, an overlong
    /// or a surrogate). ASP.NET leaves such escapes undecoded, so `q=%FF` would search for the text "%FF" and
    /// quietly find nothing; only the raw query tells them apart from a validly escaped "%25FF".
    /// </summary>
    public static IEnumerable<string> NotUtf8(string? query)
    {
        if (query is null || !query.Contains('%')) return []; // nothing escaped, nothing to check
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            var raw = Encoding.UTF8.GetBytes(pair);
            if (Utf8.IsValid(WebUtility.UrlDecodeToBytes(raw, 0, raw.Length))) continue;
            // Named as ASP.NET decodes the name (a '+' is a space), and cut short like any echoed text.
            names.Add(QueryErrors.Shorten(Uri.UnescapeDataString(pair.Split('=', 2)[0].Replace('+', ' '))));
        }
        return names;
    }

    /// <summary>Query names of the handler (and of its [AsParameters] types), and whether each takes several values.</summary>
    private static Dictionary<string, bool> DeclaredParameters(MethodInfo method)
    {
        var names = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in parameter.ParameterType.GetProperties())
                    if (property.GetCustomAttribute<FromQueryAttribute>() is { } q)
                        names[q.Name ?? property.Name] = property.PropertyType.IsArray;
            }
            else if (parameter.GetCustomAttribute<FromQueryAttribute>() is { } q)
            {
                names[q.Name ?? parameter.Name!] = parameter.ParameterType.IsArray;
            }
        }
        return names;
    }
}
