using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace OpenGovernanceApi.Mcp;

/// <summary>
/// The MCP server (Model Context Protocol, the official C# SDK) at /mcp: the same data as /v1 for an assistant,
/// as tools (McpTools), resources and a prompt (McpResources). Streamable HTTP, stateless (every POST stands
/// alone: nothing is kept between requests), read-only. It goes through the same request log, CORS and
/// rate limit as /v1 (ApiConventions), not through the answer cache, which only /v1 asks for (CacheAnswers).
/// </summary>
public static class McpEndpoints
{
    public const string Path = "/mcp";

    /// <summary>A JSON-RPC message is small: a tool call with a 200-character query is well under 2 KiB.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>How tools write their structured content, and how the SDK describes it: camelCase like /v1, Chinese unescaped.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public static WebApplicationBuilder AddGovernanceMcp(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor(); // tools write absolute URLs of the host the client reached, as /v1 does
        builder.Services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "OpenGovernanceApi", Version = "1" };
                options.ServerInstructions = """
                    Beijing's social-governance plans (12th, 13th, 14th Five-Year plans) as open data. Every figure has a hedge
                    (comparator: "近90%" is approx 90, "nearly 90%", never "90%"), a period, a source and the exact quote.
                    When you state a figure, say its hedge, period and source, quote the source's words when useful, and end with
                    the citation the tool gives (prompt cite_figure shows how). Search first (search) when you do not know an id.
                    """;
            })
            .WithHttpTransport(options => options.SessionMode = HttpServerSessionMode.Stateless)
            .WithTools<McpTools>(Json)
            .WithResources<McpResources>()
            .WithPrompts<McpResources>(Json)
            .WithRequestFilters(filters => filters.AddCallToolFilter(next => (request, cancellationToken) =>
                ToolArguments.Check(request) is { } refused ? ValueTask.FromResult(refused) : next(request, cancellationToken)));
        return builder;
    }

    /// <summary>
    /// POST /mcp. Kept out of the OpenAPI document, which describes /v1; listed in /v1's links and docs/API.md.
    /// The SDK's own endpoint (MapMcp) is made on the first MCP request rather than at start-up, where MapMcp
    /// would build the server and its tools' schemas: measured after start-up and 50 requests to /v1, 105-107 MB
    /// resident against 112-113 (103-104 without the MCP server at all), for a process that no assistant asks;
    /// the peak-memory target of tests/benchmark is 150 MB.
    /// </summary>
    public static IEndpointConventionBuilder MapGovernanceMcp(this IEndpointRouteBuilder app)
    {
        var sdk = new Lazy<RequestDelegate>(() => SdkEndpoint(app.ServiceProvider));
        return app.MapPost(Path, (RequestDelegate)(http => sdk.Value(http)))
            .ExcludeFromDescription()
            // The one endpoint that takes a body (Kestrel's limit is 0 everywhere else), and POSTs from any origin.
            .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBodyBytes))
            .WithCorsPolicy(ApiConventions.McpCorsPolicy);
    }

    /// <summary>The request delegate of the POST endpoint MapMcp maps (Streamable HTTP; stateless, it maps no other).</summary>
    private static RequestDelegate SdkEndpoint(IServiceProvider services)
    {
        var routes = new Routes(services);
        routes.MapMcp();
        return routes.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Single(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Post) == true).RequestDelegate!;
    }

    private sealed class Routes(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;
        public ICollection<EndpointDataSource> DataSources { get; } = [];
        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}

/// <summary>
/// A tool call's arguments checked against the tool's own input schema before it runs: an unknown argument, a
/// missing one, a wrong type, a text over its maxLength or a number out of range is a tool error (isError) that
/// names the argument, so the assistant can correct it. Without this, the SDK's binder would answer a wrong type
/// with a bare "An error occurred invoking 'search'." that names nothing.
/// </summary>
public static class ToolArguments
{
    public static CallToolResult? Check(RequestContext<CallToolRequestParams> request)
    {
        if (request.MatchedPrimitive is not McpServerTool tool) return null; // an unknown tool: the SDK's own JSON-RPC error names it
        var schema = tool.ProtocolTool.InputSchema;
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        var arguments = request.Params?.Arguments ?? new Dictionary<string, JsonElement>();
        var errors = new List<string>();
        foreach (var (name, value) in arguments)
        {
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out var property))
                errors.Add($"'{QueryErrors.Shorten(name)}' is not an argument of {tool.ProtocolTool.Name}; it takes {Names(properties)}.");
            else if (Problem(value, property) is { } problem)
                errors.Add($"'{name}' {problem}");
        }
        if (schema.TryGetProperty("required", out var required))
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                if (!arguments.ContainsKey(name)) errors.Add($"'{name}' is required.");
        return errors.Count == 0 ? null : McpTools.Error($"Invalid arguments for {tool.ProtocolTool.Name}: {string.Join(" ", errors)}");
    }

    private static string A(string type) => type switch
    {
        "integer" => "a whole number", "array" or "object" => "an " + type, _ => "a " + type,
    };

    private static string Names(JsonElement properties) => properties.ValueKind == JsonValueKind.Object
        ? string.Join(", ", properties.EnumerateObject().Select(p => p.Name)) : "no arguments";

    /// <summary>What is wrong with one value for its schema (the few keywords our tools' schemas use), or null.</summary>
    private static string? Problem(JsonElement value, JsonElement schema)
    {
        var types = !schema.TryGetProperty("type", out var type) ? []
            : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray() : [type.GetString()!];
        var kind = value.ValueKind switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Null => "null",
            JsonValueKind.Array => "array",
            _ => "object",
        };
        if (types.Length > 0 && !types.Contains(kind) && !(kind == "integer" && types.Contains("number")))
            return $"must be {string.Join(" or ", types.Where(t => t != "null").Select(A))}; got {A(kind == "integer" ? "number" : kind)}.";
        if (kind == "string" && schema.TryGetProperty("maxLength", out var max) && value.GetString()!.Length > max.GetInt32())
            return $"is longer than {max.GetInt32()} characters ({value.GetString()!.Length}).";
        if (kind == "integer" && schema.TryGetProperty("minimum", out var min) && schema.TryGetProperty("maximum", out var top)
            && (value.GetInt64() < min.GetDouble() || value.GetInt64() > top.GetDouble()))
            return $"must be from {min} to {top}; got {value.GetInt64()}.";
        if (kind == "string" && schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => a.GetString() == value.GetString()))
            return $"must be one of {string.Join(", ", allowed.EnumerateArray().Select(a => a.GetString()))}; got '{QueryErrors.Shorten(value.GetString()!)}'.";
        return null;
    }
}
