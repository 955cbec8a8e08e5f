using System.Text.Json;

namespace OpenGovernanceApi.Tests;

/// <summary>The committed openapi/v1.json is exactly what the API serves, and the docs page is there.</summary>
public class OpenApiDocumentTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task TheServedDocumentIsTheCommittedOne()
    {
        var served = (await _client.GetStringAsync("/openapi/v1.json")).ReplaceLineEndings("\n").TrimEnd() + "\n";
        var committed = await File.ReadAllTextAsync(Repository.Path("openapi", "v1.json"));
        Assert.True(served == committed,
            "openapi/v1.json differs from the served document. Regenerate it with: " +
            "dotnet run --project src/OpenGovernanceApi -- --write-openapi openapi/v1.json");
    }

    [Fact]
    public async Task EveryOperationHasASummaryADescriptionATagAndItsProblemResponses()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/statistics", out _));
        Assert.True(paths.TryGetProperty("/v1/statistics/{id}", out _));
        foreach (var path in paths.EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                var op = operation.Value;
                var name = $"{operation.Name} {path.Name}";
                Assert.False(string.IsNullOrWhiteSpace(op.GetProperty("summary").GetString()), name);
                Assert.False(string.IsNullOrWhiteSpace(op.GetProperty("description").GetString()), name);
                Assert.True(op.GetProperty("tags").GetArrayLength() > 0, name);
                if (path.Name.StartsWith("/v1"))
                    Assert.True(op.GetProperty("responses").TryGetProperty("429", out _), name);
                if (op.TryGetProperty("parameters", out var parameters) && parameters.EnumerateArray().Any(p => p.Str("in") == "query"))
                    Assert.True(op.GetProperty("responses").TryGetProperty("400", out _), name + " takes query parameters but documents no 400");
                if (path.Name.Contains("{id}"))
                    Assert.True(op.GetProperty("responses").TryGetProperty("404", out _), name);
            }
    }

    /// <summary>
    /// OpenAPI 3.1, where "this object or null" is a type union. `allOf: [$ref]` beside `type: null` (or
    /// 3.0's `nullable`) is read by a strict validator as "null and the object at once": never null.
    /// </summary>
    [Fact]
    public async Task TheDocumentIsOpenApi31AndSaysNullOnlyAsATypeUnion()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        Assert.StartsWith("3.1.", document.RootElement.Str("openapi"));
        var wrong = new List<string>();
        void Walk(JsonElement e, string at)
        {
            if (e.ValueKind == JsonValueKind.Array)
                foreach (var (item, i) in e.EnumerateArray().Select((x, i) => (x, i))) Walk(item, $"{at}[{i}]");
            if (e.ValueKind != JsonValueKind.Object) return;
            if (e.TryGetProperty("nullable", out _)) wrong.Add($"{at}: `nullable` is OpenAPI 3.0");
            if (e.TryGetProperty("allOf", out _) && e.TryGetProperty("type", out var type) && type.ToString().Contains("null"))
                wrong.Add($"{at}: allOf beside type null can never be null");
            foreach (var p in e.EnumerateObject()) Walk(p.Value, $"{at}/{p.Name}");
        }
        Walk(document.RootElement, "#");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));

        var statistic = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("StatisticResponse").GetProperty("properties");
        var notes = statistic.GetProperty("notes").GetProperty("oneOf");
        Assert.Equal("#/components/schemas/LocalizedText", notes[0].Str("$ref"));
        Assert.Equal("null", notes[1].Str("type"));
        Assert.Equal("#/components/schemas/IndicatorRef", statistic.GetProperty("indicator").Str("$ref")); // never null
        Assert.Equal(["null", "string"], statistic.GetProperty("plan").GetProperty("type").EnumerateArray().Select(t => t.GetString()));
    }

    /// <summary>
    /// `fields=` leaves out of each item every property not asked for, so a validating client must not expect
    /// any: the items of an operation that takes `fields` mark none required, while their envelope stays whole.
    /// </summary>
    [Fact]
    public async Task AnItemThatFieldsCanTrimMarksNoPropertyRequired()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        JsonElement Resolve(JsonElement s) => s.TryGetProperty("$ref", out var r) ? schemas.GetProperty(r.GetString()!.Split('/')[^1]) : s;
        var checkedItems = 0;
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            var get = path.Value.GetProperty("get");
            if (!get.TryGetProperty("parameters", out var parameters) || !parameters.EnumerateArray().Any(p => p.Str("name") == "fields")) continue;
            var envelope = Resolve(get.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
            Assert.Contains("data", envelope.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
            var data = envelope.GetProperty("properties").GetProperty("data");
            var item = Resolve(data.TryGetProperty("items", out var items) ? items : data);
            Assert.False(item.TryGetProperty("required", out _), $"{path.Name}: its items mark properties required, which fields= can leave out");
            Assert.Contains("fields=", item.Str("description"));
            checkedItems++;
        }
        Assert.True(checkedItems >= 20, $"only {checkedItems} operations take fields");

        // Untrimmed answers are whole: /v1 has no fields=, and its index keeps every property required.
        Assert.True(schemas.GetProperty("IndexResponse").GetProperty("required").GetArrayLength() > 3);
    }

    [Fact]
    public async Task SwaggerUiIsServedAtDocs()
    {
        var html = await _client.GetStringAsync("/docs/index.html");
        Assert.Contains("swagger-ui", html);
    }
}
