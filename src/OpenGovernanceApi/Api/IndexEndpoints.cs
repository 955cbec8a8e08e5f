namespace OpenGovernanceApi.Api;

/// <summary>GET /v1: where everything is, what release it is, under which licence.</summary>
public static class IndexEndpoints
{
    public static IEndpointRouteBuilder MapIndexEndpoints(this IEndpointRouteBuilder v1)
    {
        v1.MapGet("", GetIndex)
            .WithTag("Index", "Where everything is: collections, counts, the data release, the licence.")
            .WithName("GetIndex")
            .WithSummary("Index of the API")
            .WithDescription("Links to every collection with its item count, the data release (`dataVersion`) and its release note, the licence, and the OpenAPI document.");
        return v1;
    }

    public static async Task<Ok<Item<IndexResponse>>> GetIndex(GovernanceDb db, EndpointDataSource endpoints, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var counts = new Dictionary<string, CollectionLink>();
        // Each collection says so where it is mapped (IndexedCollection); its name is its table's, fixed in code, never from a request.
        foreach (var name in endpoints.Endpoints.Select(e => e.Metadata.GetMetadata<IndexedCollection>()?.Name).OfType<string>().Distinct())
        {
            var count = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT count(*) FROM {name}", cancellationToken: cancellationToken));
            counts[name] = new CollectionLink(ApiUrls.Absolute(http, "/v1/" + name), count);
        }
        var index = new IndexResponse(
            new LocalizedText("北京社会治理开放数据接口", "OpenGovernanceApi: Beijing social-governance plans as open data"),
            new LocalizedText("北京市社会建设与社会治理五年规划的目标、措施、指标与公开数据,每个数字均附出处与原文引语。",
                "Goals, measures, indicators and published figures of Beijing's Five-Year plans for social construction and governance; every figure with its source and exact quote."),
            db.DataVersion,
            new LicenseInfo(db.License, "https://creativecommons.org/licenses/by/4.0/"),
            counts,
            new IndexLinks(ApiUrls.Absolute(http, "/v1"), ApiUrls.Absolute(http, "/v1/releases/" + db.DataVersion),
                ApiUrls.Absolute(http, "/openapi/v1.json"), ApiUrls.Absolute(http, "/docs"), ApiUrls.Absolute(http, "/healthz"),
                ApiUrls.Absolute(http, OpenGovernanceApi.Mcp.McpEndpoints.Path)));
        return TypedResults.Ok(new Item<IndexResponse>(index, new ItemMeta(db.DataVersion)));
    }
}

/// <summary>Marks the list operation of a collection that /v1 links and counts: `name` is its path under /v1 and its table.</summary>
public sealed record IndexedCollection(string Name);

/// <summary>The index of /v1.</summary>
/// <param name="Name">Name of the API.</param>
/// <param name="Description">What it serves.</param>
/// <param name="DataVersion">The data release: SHA-256 prefix of the dataset's text; changes whenever any figure changes.</param>
/// <param name="License">Licence of the data.</param>
/// <param name="Collections">Every collection: its URL and number of items.</param>
/// <param name="Links">This index, the note of the data release served, the OpenAPI document, its documentation and the health check.</param>
public sealed record IndexResponse(LocalizedText Name, LocalizedText Description, string DataVersion, LicenseInfo License,
    IReadOnlyDictionary<string, CollectionLink> Collections, IndexLinks Links);

public sealed record LicenseInfo(string Id, string Url);

public sealed record CollectionLink(string Href, int Count);

/// <summary>Where to go from the index.</summary>
/// <param name="Self">This index.</param>
/// <param name="Release">The note of the data release served (`dataVersion`): what it added, corrected or removed.</param>
/// <param name="OpenApi">The OpenAPI document.</param>
/// <param name="Docs">Its documentation (Swagger UI).</param>
/// <param name="Health">The health check.</param>
/// <param name="Mcp">The MCP server (Model Context Protocol, Streamable HTTP): the same data as tools for an assistant (search, get_statistic, get_series, list_indicators, goal_progress).</param>
public sealed record IndexLinks(string Self, string Release, string OpenApi, string Docs, string Health, string Mcp);
