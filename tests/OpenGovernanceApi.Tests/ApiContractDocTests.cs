using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenGovernanceApi.Tests;

/// <summary>docs/API.md, the contract's human form, names exactly the paths the API serves.</summary>
public class ApiContractDocTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task EveryPathServedIsInTheHumanContractAndEveryPathThereIsServed()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));
        var served = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        var written = Regex.Matches(File.ReadAllText(Repository.Path("docs", "API.md")), "`GET (/[^` ]*)`")
            .Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Empty(served.Except(written));
        // The two pages that are not operations of the document: the document itself and Swagger UI.
        foreach (var path in written.Except(served))
        {
            Assert.Contains(path, new[] { "/openapi/v1.json", "/docs" });
            using var response = await _client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
