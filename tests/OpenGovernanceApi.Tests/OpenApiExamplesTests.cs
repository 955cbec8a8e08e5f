using System.Net;
using System.Text.Json;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// Every parameter of the served OpenAPI document has an example (OpenApi/ParameterExamples.cs),
/// and the examples work: Swagger UI's "Try it out" fills in all of an operation's examples at
/// once, so each operation answers with data when sent all of them, and when sent each alone.
/// </summary>
public class OpenApiExamplesTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private sealed record Operation(string Method, string Path, string Name, IReadOnlyList<JsonElement> Parameters, HttpStatusCode Success)
    {
        public IEnumerable<JsonElement> Query => Parameters.Where(p => p.Str("in") == "query");

        /// <summary>What every call of the operation needs: its path parameters and any required query parameter.</summary>
        public IEnumerable<JsonElement> Always => Parameters.Where(p => p.Str("in") == "path" || p.TryGetProperty("required", out var r) && r.GetBoolean());

        public override string ToString() => $"{Method.ToUpperInvariant()} {Path} ({Name})";
    }

    private async Task<List<Operation>> Operations()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        var operations = new List<Operation>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().Select(x => x.Clone()).ToList() : [];
                var success = operation.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).Where(c => c.StartsWith('2')).Min()!;
                operations.Add(new Operation(operation.Name, path.Name, operation.Value.Str("operationId"), parameters, (HttpStatusCode)int.Parse(success)));
            }
        Assert.True(operations.Count >= 20, $"only {operations.Count} operations in the document");
        return operations;
    }

    /// <summary>An example as Swagger UI sends it: a list comma-separated (style form, explode false), a number as written.</summary>
    private static string Text(JsonElement example) => example.ValueKind switch
    {
        JsonValueKind.Array => string.Join(",", example.EnumerateArray().Select(Text)),
        JsonValueKind.String => example.GetString()!,
        _ => example.GetRawText(),
    };

    /// <summary>The operation's URL with its path examples and the given query parameters' examples.</summary>
    private static string Url(Operation op, IEnumerable<JsonElement> parameters)
    {
        var list = parameters.ToList();
        var path = op.Parameters.Where(p => p.Str("in") == "path")
            .Aggregate(op.Path, (t, p) => t.Replace("{" + p.Str("name") + "}", Uri.EscapeDataString(Text(p.GetProperty("example")))));
        var query = list.Where(p => p.Str("in") == "query" && p.TryGetProperty("example", out _)).DistinctBy(p => p.Str("name"))
            .Select(p => $"{p.Str("name")}={Uri.EscapeDataString(Text(p.GetProperty("example")))}").ToList();
        return query.Count == 0 ? path : path + "?" + string.Join("&", query);
    }

    private async Task<JsonElement?> Call(Operation op, string url)
    {
        using var response = await _client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(op.Success == response.StatusCode, $"{op}: GET {url} answered {(int)response.StatusCode}, not {(int)op.Success}: {body}");
        return response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonDocument.Parse(body).RootElement.Clone() : null;
    }

    /// <summary>
    /// A collection's answer holds items. The one exception: a collection of a single item (today
    /// the data releases) asked for with a `fields` or filter example may rightly be that one item; an
    /// empty page is checked against the collection, not assumed.
    /// </summary>
    private static void AssertHoldsData(Operation op, string url, JsonElement? answer)
    {
        if (answer is not { } json || !json.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) return;
        Assert.True(data.GetArrayLength() > 0, $"{op}: GET {url} answered no data");
    }

    [Fact]
    public async Task EveryParameterOfEveryOperationHasAnExampleItsSchemaAllows()
    {
        var missing = new List<string>();
        foreach (var op in await Operations())
            foreach (var p in op.Parameters)
            {
                var name = $"{op}: {p.Str("in")} parameter '{p.Str("name")}'";
                if (p.Str("name") == "cursor") continue; // opaque, from links.next, bound to the release: no example on purpose
                if (!p.TryGetProperty("example", out var example)) { missing.Add(name); continue; }
                var schema = p.GetProperty("schema");
                var isArray = schema.TryGetProperty("type", out var type) && type.GetString() == "array";
                Assert.True(isArray == (example.ValueKind == JsonValueKind.Array), $"{name}: the example {example} does not have the schema's shape");
                var itemSchema = isArray ? schema.GetProperty("items") : schema;
                foreach (var value in isArray ? example.EnumerateArray().ToList() : [example])
                {
                    if (itemSchema.TryGetProperty("type", out var t) && t.GetString() == "integer")
                    {
                        Assert.True(value.ValueKind == JsonValueKind.Number, $"{name}: {value} is not a number");
                        if (itemSchema.TryGetProperty("minimum", out var min)) Assert.True(value.GetInt32() >= min.GetInt32(), $"{name}: {value} < {min}");
                        if (itemSchema.TryGetProperty("maximum", out var max)) Assert.True(value.GetInt32() <= max.GetInt32(), $"{name}: {value} > {max}");
                        continue;
                    }
                    Assert.True(value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0, $"{name}: {value} is not a non-empty string");
                    if (itemSchema.TryGetProperty("enum", out var allowed))
                        Assert.True(allowed.EnumerateArray().Any(a => a.GetString() == value.GetString()), $"{name}: '{value}' is not one of {allowed}");
                    if (itemSchema.TryGetProperty("pattern", out var pattern))
                        Assert.Matches(pattern.GetString()!, value.GetString()!);
                }
            }
        Assert.True(missing.Count == 0, "No example (add one to OpenApi/ParameterExamples.cs):\n" + string.Join("\n", missing));
    }

    /// <summary>What /docs sends after "Try it out" and "Execute", changing nothing: every example at once.</summary>
    [Fact]
    public async Task EveryGetOperationAnswersWithAllItsExamplesFilledInAsTryItOutSendsThem()
    {
        var gets = (await Operations()).Where(o => o.Method == "get").ToList();
        foreach (var op in gets)
        {
            var url = Url(op, op.Parameters);
            AssertHoldsData(op, url, await Call(op, url));
        }
        Assert.Contains(gets, o => o.Path == "/v1/statistics");
    }

    /// <summary>
    /// Each query example on its own (with the path's examples and any required parameter) answers
    /// with data.
    /// </summary>
    [Fact]
    public async Task EachExampleAloneAnswersWithData()
    {
        var calls = 0;
        foreach (var op in (await Operations()).Where(o => o.Method == "get"))
        {
            var always = op.Always.ToList();
            AssertHoldsData(op, Url(op, always), await Call(op, Url(op, always)));
            foreach (var p in op.Query.Where(q => q.TryGetProperty("example", out _) && !always.Any(a => a.Str("in") == "query" && a.Str("name") == q.Str("name"))))
            {
                var url = Url(op, always.Append(p));
                AssertHoldsData(op, url, await Call(op, url));
                calls++;
            }
        }
        Assert.True(calls > 50, $"only {calls} examples tried");
    }

    [Fact]
    public async Task TheReleaseExampleIsTheReleaseServed()
    {
        var served = (await _client.GetJsonAsync("/healthz")).Str("dataVersion");
        var release = (await Operations()).Single(o => o.Path == "/v1/releases/{dataVersion}");
        Assert.Equal(served, Text(release.Parameters.Single(p => p.Str("name") == "dataVersion").GetProperty("example")));
    }
}
