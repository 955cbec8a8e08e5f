using Microsoft.AspNetCore.Mvc;

namespace OpenGovernanceApi.Http;

/// <summary>The 404 problem of an unknown id, naming what was looked for.</summary>
public static class NotFoundProblem
{
    public static ProblemDetails For(string resource, string id) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Not Found",
        Type = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        Detail = $"There is no {resource} with id '{QueryErrors.Shorten(id)}'.",
    };
}
