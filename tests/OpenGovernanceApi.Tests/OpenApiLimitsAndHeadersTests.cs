using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenGovernanceApi.Api;
using OpenGovernanceApi.Formats;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// The document states every limit the API enforces, with the numbers the code checks, and every header
/// each response carries; the API enforces each limit at exactly that number.
/// </summary>
public class OpenApiLimitsAndHeadersTests(GovernanceApiFactory factory, OpenApiLimitsAndHeadersTests.TwoPerMinute limited)
    : IClassFixture<GovernanceApiFactory>, IClassFixture<OpenApiLimitsAndHeadersTests.TwoPerMinute>
{
    public sealed class TwoPerMinute : GovernanceApiFactory
    {
        public TwoPerMinute() => WithSetting("RateLimit:PermitsPerMinute", "2");
    }

    private readonly HttpClient _client = factory.CreateClient();

    private async Task<JsonElement> Document() => JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json")).RootElement.Clone();

    private static IEnumerable<(string Path, JsonElement Operation, JsonElement Parameter)> Parameters(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where operation.Value.TryGetProperty("parameters", out _)
        from parameter in operation.Value.GetProperty("parameters").EnumerateArray()
        select (path.Name, operation.Value, parameter);

    private static int? Int(JsonElement schema, string keyword) => schema.TryGetProperty(keyword, out var v) ? v.GetInt32() : null;

    [Fact]
    public async Task EveryParameterStatesTheLimitsTheApiChecks()
    {
        var parameters = Parameters(await Document()).ToList();
        Assert.NotEmpty(parameters);
        foreach (var (path, _, parameter) in parameters)
        {
            var name = $"{path} {parameter.Str("name")}";
            var schema = parameter.GetProperty("schema");
            if (schema.Str("type") == "array")
            {
                Assert.True(QueryErrors.MaxValues == Int(schema, "maxItems"), $"{name}: maxItems");
                schema = schema.GetProperty("items");
            }
            if (schema.Str("type") == "string")
                Assert.True(schema.TryGetProperty("enum", out _) || Int(schema, "maxLength") is > 0, $"{name}: a string without maxLength or enum");
            if (parameter.Str("in") == "path")
                Assert.True(schema.TryGetProperty("pattern", out _), $"{name}: a path parameter without a pattern");

            switch (parameter.Str("name"))
            {
                case "limit":
                    Assert.Equal(("integer", "int32"), (schema.Str("type"), schema.Str("format")));
                    Assert.Equal((PageRequest.MinLimit, PageRequest.MaxLimit, PageRequest.DefaultLimit), (Int(schema, "minimum"), Int(schema, "maximum"), Int(schema, "default")));
                    break;
                case "q": Assert.Equal(QueryErrors.MaxSearchLength, Int(schema, "maxLength")); break;
                case "cursor": Assert.Equal(PageCursor.MaxLength, Int(schema, "maxLength")); break;
                case "fields": Assert.Equal(ResponseShaping.MaxFieldsLength, Int(schema, "maxLength")); break;
                case "region" or "adcode": Assert.Equal(QueryErrors.AdcodePattern, schema.Str("pattern")); break;
                case "id" or "indicator" or "plan" or "source" or "topic" or "parent" or "measure" or "file":
                    Assert.Equal(QueryErrors.SlugPattern, schema.Str("pattern"));
                    break;
            }
        }
    }

    public static TheoryData<string, HttpStatusCode> AtTheLimitAndBeyond() => new()
    {
        { $"/v1/statistics?limit={PageRequest.MaxLimit}", HttpStatusCode.OK },
        { $"/v1/statistics?limit={PageRequest.MaxLimit + 1}", HttpStatusCode.BadRequest },
        { $"/v1/statistics?limit={PageRequest.MinLimit - 1}", HttpStatusCode.BadRequest },
        { $"/v1/search?q={new string('a', QueryErrors.MaxSearchLength)}", HttpStatusCode.OK },
        { $"/v1/search?q={new string('a', QueryErrors.MaxSearchLength + 1)}", HttpStatusCode.BadRequest },
        { $"/v1/statistics?q={new string('a', QueryErrors.MaxSearchLength)}", HttpStatusCode.OK },
        { $"/v1/statistics?q={new string('a', QueryErrors.MaxSearchLength + 1)}", HttpStatusCode.BadRequest },
        { "/v1/statistics?region=" + string.Join(",", Enumerable.Repeat("110105", QueryErrors.MaxValues)), HttpStatusCode.OK },
        { "/v1/statistics?region=" + string.Join(",", Enumerable.Repeat("110105", QueryErrors.MaxValues + 1)), HttpStatusCode.BadRequest },
        { $"/v1/statistics?indicator={new string('a', QueryErrors.MaxValueLength)}", HttpStatusCode.OK },
        { $"/v1/statistics?indicator={new string('a', QueryErrors.MaxValueLength + 1)}", HttpStatusCode.BadRequest },
        { $"/v1/statistics?fields=id{string.Concat(Enumerable.Repeat(",id", (ResponseShaping.MaxFieldsLength - 2) / 3))}", HttpStatusCode.OK },
        { $"/v1/statistics?fields=id{string.Concat(Enumerable.Repeat(",id", (ResponseShaping.MaxFieldsLength - 2) / 3 + 1))}", HttpStatusCode.BadRequest },
        { $"/v1/statistics?cursor={new string('a', PageCursor.MaxLength + 1)}", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(AtTheLimitAndBeyond))]
    public async Task EachLimitIsEnforcedAtTheNumberTheDocumentStates(string url, HttpStatusCode expected)
    {
        using var response = await _client.GetAsync(url);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
            Assert.Contains(url.Split('?')[1].Split('=')[0], await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheWidestItemsFullListOfFieldsFitsTheFieldsLimit()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var widest = typeof(StatisticResponse).Assembly.GetTypes().Where(t => t.Name.EndsWith("Response") && t.Namespace == "OpenGovernanceApi.Api")
            .Max(t => string.Join(",", ResponseShaping.FieldNames(t, options)).Length);
        Assert.InRange(widest, 100, ResponseShaping.MaxFieldsLength / 2);
    }

    /// <summary>Every id a collection lists can be asked for by the path parameter of its item, as the document states it.</summary>
    [Fact]
    public async Task EveryIdServedMatchesThePatternOfItsPathParameter()
    {
        var document = await Document();
        var checkedIds = 0;
        foreach (var (path, _, parameter) in Parameters(document).Where(p => p.Parameter.Str("in") == "path"))
        {
            var collection = path[..path.IndexOf("/{", StringComparison.Ordinal)];
            if (path.EndsWith("/series")) continue; // the indicator's own id, checked with /v1/indicators/{id}
            var name = parameter.Str("name");
            var field = name == "file" ? "name" : name;
            var schema = parameter.GetProperty("schema");
            var pattern = new Regex(schema.Str("pattern"));
            foreach (var item in (await _client.GetJsonAsync($"{collection}?limit={PageRequest.MaxLimit}&fields={field}")).GetProperty("data").EnumerateArray())
            {
                var id = item.Str(field);
                Assert.True(pattern.IsMatch(id) && id.Length <= Int(schema, "maxLength"), $"{path}: '{id}' is outside {pattern} / maxLength");
                checkedIds++;
            }
        }
        Assert.True(checkedIds > 500, $"only {checkedIds} ids checked");
    }

    /// <summary>Answers of every status an operation documents, as a browser on another origin asks (so CORS headers come too).</summary>
    private async Task<List<(string Template, string Status, HttpResponseMessage Response)>> Answers()
    {
        async Task<HttpResponseMessage> Get(HttpClient client, string url, string? accept = null, string? ifNoneMatch = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Origin", "https://example.org");
            if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
            if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            return await client.SendAsync(request);
        }
        var answers = new List<(string, string, HttpResponseMessage)>();
        async Task Add(string template, string url, string? accept = null, string? ifNoneMatch = null, HttpClient? client = null)
        {
            var response = await Get(client ?? _client, url, accept, ifNoneMatch);
            answers.Add((template, ((int)response.StatusCode).ToString(), response));
        }
        foreach (var (template, url) in new[]
        {
            ("/v1/statistics", "/v1/statistics?limit=2"), ("/v1/statistics", "/v1/statistics?limit=1000"), ("/v1/statistics/{id}", "/v1/statistics/registered-volunteers-2019-01-09-pc2019"),
            ("/v1/regions", "/v1/regions"), ("/v1", "/v1"), ("/v1/downloads/{file}", "/v1/downloads/datapackage.json"), ("/healthz", "/healthz"),
        })
        {
            await Add(template, url);
            if (template != "/healthz")
            {
                var etag = answers[^1].Item3.Headers.ETag!.Tag;
                await Add(template, url, ifNoneMatch: etag);
            }
        }
        await Add("/v1/statistics", "/v1/statistics?region=110105&format=csv");
        await Add("/v1/statistics", "/v1/statistics?region=110105", accept: "application/geo+json");
        await Add("/v1/statistics", "/v1/statistics?limit=0");
        await Add("/v1/statistics", "/v1/statistics", accept: "text/html");
        await Add("/v1/statistics/{id}", "/v1/statistics/no-such-statistic");
        var client = limited.CreateClient();
        for (var i = 0; i < 3; i++) await Add("/v1/sources", "/v1/sources", client: client);
        return answers;
    }

    [Fact]
    public async Task EveryAnswerCarriesTheHeadersItsResponseDeclaresAndNoOtherOfThem()
    {
        var document = await Document();
        var headers = document.GetProperty("components").GetProperty("headers");
        var answers = await Answers();
        Assert.Equal(["200", "304", "400", "404", "406", "429"], answers.Select(a => a.Status).Distinct().Order());
        foreach (var (template, status, response) in answers)
        {
            using var disposed = response;
            var documented = document.GetProperty("paths").GetProperty(template).GetProperty("get").GetProperty("responses").GetProperty(status);
            var declared = documented.TryGetProperty("headers", out var h) ? h.EnumerateObject().Select(p => p.Name).ToHashSet() : [];
            foreach (var header in headers.EnumerateObject())
            {
                var sent = response.Headers.TryGetValues(header.Name, out _) || response.Content.Headers.TryGetValues(header.Name, out _);
                var at = $"GET {response.RequestMessage!.RequestUri!.PathAndQuery} {status}: {header.Name}";
                if (sent) Assert.True(declared.Contains(header.Name), $"{at} is sent but not declared");
                else if (declared.Contains(header.Name)) Assert.False(header.Value.TryGetProperty("required", out var r) && r.GetBoolean(), $"{at} is declared required but not sent");
            }
        }
    }
}
