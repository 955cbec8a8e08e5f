using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace OpenGovernanceApi.Formats;

/// <summary>
/// The 404 of an unknown id: an RFC 9457 problem (application/problem+json) naming what was
/// looked for. A typed result, so the OpenAPI document lists the 404 with its schema.
/// </summary>
public sealed class NotFoundProblem : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private NotFoundProblem(ProblemDetails value) => Value = value;

    public ProblemDetails Value { get; }
    public int? StatusCode => StatusCodes.Status404NotFound;

    public static NotFoundProblem For(string resource, string id) => new(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Not Found",
        Type = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        Detail = $"There is no {resource} with id '{QueryErrors.Shorten(id)}'.",
    });

    public Task ExecuteAsync(HttpContext http)
    {
        Value.Instance = http.Request.Path;
        Value.Extensions["requestId"] = http.TraceIdentifier;
        return TypedResults.Problem(Value).ExecuteAsync(http);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status404NotFound, typeof(ProblemDetails), ["application/problem+json"]));
}
