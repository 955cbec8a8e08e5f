using System.Reflection;

namespace OpenGovernanceApi.Http;

/// <summary>
/// Refuses query parameters an operation does not declare (a typo such as `?indicatr=`
/// must not silently return everything) and single-valued parameters given twice. The
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
