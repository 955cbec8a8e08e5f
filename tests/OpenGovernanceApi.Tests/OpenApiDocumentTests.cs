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

    [Fact]
    public async Task SwaggerUiIsServedAtDocs()
    {
        var html = await _client.GetStringAsync("/docs/index.html");
        Assert.Contains("swagger-ui", html);
    }
}
