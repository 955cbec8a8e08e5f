using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenGovernanceApi.Data;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// Hostile input generated from the served OpenAPI document: every parameter of every
/// operation gets a corpus of bad values, from several threads at once. Nothing may answer
/// 5xx; every 4xx is problem+json, a 400 names the parameter; the database's bytes are unchanged.
/// </summary>
public class HostileInputTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    internal static readonly string[] Corpus =
    [
        "", " ", "0", "-1", "1.5", "1e309", "99999999999999999999999", "NaN", "true", "null", "[]", "{}",
        new string('9', 5000), new string('a', 3000), "abc", "%", "%25", "%00", "\u0000", "\t\r\n", "\u001b[31m",
        "' OR '1'='1", "1; DROP TABLE statistics; --", "\" OR 1=1 --", "UNION SELECT * FROM sqlite_master",
        "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "/", "\\", "<script>alert(1)</script>", "${jndi:ldap://x}",
        "😀", "𠀀𪚥", "党建", "社工 养老", "a,b,,c", ",", "-", "-id", "--", "*", "NEAR(a b)", "\"", "a OR b", "col:val",
        "\uFFFF", "\uD800", "2018-02-30", "2018-13", "0000", "99999",
    ];

    [Fact]
    public async Task NoParameterOfAnyOperationCanBreakTheApiOrItsDatabase()
    {
        var client = factory.CreateClient();
        var db = factory.Services.GetRequiredService<GovernanceDb>();
        var before = SHA256.HashData(await File.ReadAllBytesAsync(db.Path));
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var requests = new List<(string Url, string? Parameter, bool IsQuery)>();
        var random = new Random(20261123); // fixed seed: a failure replays
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out var get)) continue;
            var parameters = get.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
            // Required query parameters keep their documented example, so each request tests one bad value.
            string Fill(string template, string? name = null, string? value = null) =>
                parameters.Where(x => x.Str("in") == "path").Aggregate(template, (t, x) =>
                    t.Replace("{" + x.Str("name") + "}", x.Str("name") == name ? value! : "pc2019"))
                + string.Concat(parameters.Where(x => x.Str("in") == "query" && x.TryGetProperty("required", out var r) && r.GetBoolean() && x.Str("name") != name)
                    .Select(x => $"&{x.Str("name")}={Uri.EscapeDataString(x.GetProperty("example").GetString()!)}"));
            foreach (var parameter in parameters)
            {
                var name = parameter.Str("name");
                var inQuery = parameter.Str("in") == "query";
                foreach (var value in Corpus.OrderBy(_ => random.Next()))
                {
                    // The in-memory test server cannot carry a NUL in a path (Kestrel answers 400 itself).
                    if (!inQuery && value.Contains('\u0000') || !inQuery && value == "%00") continue;
                    var encoded = Uri.EscapeDataString(value.Length > 0 && char.IsSurrogate(value[^1]) ? value + "x" : value);
                    requests.Add(inQuery
                        ? (Url(Fill(path.Name, name), $"{name}={encoded}"), name, true)
                        : (Url(Fill(path.Name, name, encoded), ""), name, false));
                }
                if (inQuery) requests.Add((Url(Fill(path.Name, name), $"{name}=1&{name}=2&{name}=3"), name, true));
            }
            requests.Add((Url(Fill(path.Name), $"{Uri.EscapeDataString("no such parameter")}=1"), "no such parameter", true));
        }

        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (r, ct) =>
        {
            using var response = await client.GetAsync(r.Url, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            if (status >= 500) failures.Add($"{status} for {r.Url}: {body}");
            else if (status >= 400)
            {
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{status} without problem+json for {r.Url}");
                else if (status == 400 && r.IsQuery && !body.Contains(r.Parameter!))
                    failures.Add($"400 not naming '{r.Parameter}' for {r.Url}: {body}");
                if (body.Contains("   at ") || body.Contains("/work/") || body.Contains("Exception"))
                    failures.Add($"internals leaked for {r.Url}: {body}");
            }
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {requests.Count} requests failed:\n" + string.Join("\n", failures.Take(20)));

        // The server still answers, and not one byte of the database changed.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(db.Path)));
    }

    /// <summary>"/v1/search&amp;q=x" + "limit=0" → "/v1/search?q=x&amp;limit=0".</summary>
    private static string Url(string pathAndRequired, string query)
    {
        var at = pathAndRequired.IndexOf('&');
        var path = at < 0 ? pathAndRequired : pathAndRequired[..at];
        var required = at < 0 ? "" : pathAndRequired[(at + 1)..];
        var all = string.Join("&", new[] { required, query }.Where(q => q.Length > 0));
        return all.Length == 0 ? path : path + "?" + all;
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml;q=1, */*;q=0")]
    [InlineData("garbage///")]
    [InlineData("*/*;q=abc")]
    [InlineData("")]
    public async Task OddAcceptHeadersGetJsonOrA406NeverA500(string accept)
    {
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics?limit=1");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await client.SendAsync(request);
        Assert.Contains((int)response.StatusCode, new[] { 200, 406 });
    }

    [Theory]
    [InlineData("*")]
    [InlineData("garbage")]
    [InlineData("W/\"weak\"")]
    [InlineData("\"unterminated")]
    [InlineData("\"a\", \"b\", *")]
    public async Task OddIfNoneMatchValuesAreNeverAnError(string value)
    {
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/sources");
        request.Headers.TryAddWithoutValidation("If-None-Match", value);
        using var response = await client.SendAsync(request);
        Assert.Contains((int)response.StatusCode, new[] { 200, 304 });
    }
}
