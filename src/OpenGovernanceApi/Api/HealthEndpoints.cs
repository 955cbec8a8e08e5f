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
            .ProducesProblem(StatusCodes.Status500InternalServerError); // the database no longer opens: what a monitor is for
        // Monitors often probe with HEAD; it is the same operation, so it stays out of the document.
        app.MapMethods("/healthz", ["HEAD"], GetHealth).ExcludeFromDescription();
        return app;
    }

    public static async Task<Ok<HealthResponse>> GetHealth(GovernanceDb db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken); // proves the file still opens
        return TypedResults.Ok(new HealthResponse("ok", db.DataVersion));
    }
}

/// <summary>Health of the API.</summary>
/// <param name="Status">`ok` while the API serves.</param>
/// <param name="DataVersion">The data release it serves.</param>
public sealed record HealthResponse(string Status, string DataVersion);
