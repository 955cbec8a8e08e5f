namespace OpenGovernanceApi.Api;

/// <summary>GET /healthz: the process is up and which data release it serves. Exempt from rate limits.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", GetHealth)
            .WithTag("Health", "Liveness and the data release served.")
            .WithName("GetHealth")
            .WithSummary("Liveness and data release")
            .WithDescription("Answers 200 while the API can serve; reports the data release (`dataVersion`) it serves. Never rate-limited. HEAD works too.")
            .ProducesProblem(StatusCodes.Status500InternalServerError) // the database no longer opens: what a monitor is for
            .DisableRateLimiting() // monitors must never see a 429
            .AnswerHeadAsGet();    // monitors often probe with HEAD
        app.MapGet("/readyz", GetReadiness)
            .WithTag("Health", "Liveness and the data release served; readiness for proxies.")
            .WithName("GetReadiness")
            .WithSummary("Readiness: send this replica requests?")
            .WithDescription("200 once the database is verified and the main routes are warmed; 503 before that and from the moment the replica is asked to stop (it then drains: every answer closes its connection). For proxies and orchestrators. Never rate-limited; HEAD works too.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableRateLimiting()
            .AnswerHeadAsGet();
        return app;
    }

    public static Results<Ok<HealthResponse>, ProblemHttpResult> GetReadiness(GovernanceDb db, Readiness readiness) =>
        readiness.Ready
            ? TypedResults.Ok(new HealthResponse("ready", db.DataVersion))
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
                type: "https://tools.ietf.org/html/rfc9110#section-15.6.4",
                detail: readiness.Stopping ? "This replica is stopping: send requests to another." : "This replica is warming up: not ready yet.");

    public static async Task<Ok<HealthResponse>> GetHealth(GovernanceDb db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken); // proves the file still opens
        return TypedResults.Ok(new HealthResponse("ok", db.DataVersion));
    }
}

/// <summary>Health of the API.</summary>
/// <param name="Status">`ok` while the API serves (`/healthz`); `ready` once it should be sent requests (`/readyz`).</param>
/// <param name="DataVersion">The data release it serves.</param>
public sealed record HealthResponse(string Status, string DataVersion);
