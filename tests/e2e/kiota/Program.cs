// A client Kiota generated from openapi/v1.json, used against the running API (run.sh passes its URL):
// it must read every answer the document describes (nulls, trimmed items, problems) without an exception
// and with the values the contract gives them. Exits 0 when every check holds, 1 naming the first that does not.
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using OpenGovernance.Client;
using OpenGovernance.Client.Models;
using OpenGovernance.Client.V1.Statistics;

var baseUrl = args.Length > 0 ? args[0] : throw new ArgumentException("usage: dotnet run -- <base URL of the API>");
using var http = new HttpClient();
var client = new GovernanceClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = baseUrl });
var checks = 0;

void Check(bool holds, string what)
{
    if (!holds) throw new Exception("kiota client: " + what);
    checks++;
}

// A page of two typed statistics, and the link to the next.
var page = await client.V1.Statistics.GetAsync(r => r.QueryParameters.Limit = 2);
Check(page?.Data?.Count == 2 && page.Meta?.Count == 2 && page.Meta.Limit == 2, "GET /v1/statistics?limit=2 gives two statistics");
Check(page!.Data!.All(s => s.Value is double v && double.IsFinite(v) && !string.IsNullOrEmpty(s.Quote) && s.Indicator?.Name?.Zh is { Length: > 0 }), "each with its value, quote and indicator");
Check(page.Links?.Next?.Contains("cursor=") == true, "links.next carries a cursor");
var dataVersion = page.Meta!.DataVersion;

// Several values of one filter, as the document declares them (style form, explode false: indicator=a,b).
var filtered = await client.V1.Statistics.GetAsync(r =>
{
    r.QueryParameters.Indicator = ["registered-volunteers", "service-circles-coverage"];
    r.QueryParameters.Kind = [GetKindQueryParameterType.Actual]; // the enum the document declares
    r.QueryParameters.Limit = 1000;
});
Check(filtered?.Data is { Count: > 0 } items && items.All(s => s.Kind == "actual" && s.Indicator?.Id is "registered-volunteers" or "service-circles-coverage"),
    "a multi-valued filter matches any of its values");

// Every statistic and every goal in full: nullable parts (notes, plan, target, progress) are null on some.
var all = await client.V1.Statistics.GetAsync(r => r.QueryParameters.Limit = 1000);
Check(all?.Data is { Count: > 100 } && all.Data.Any(s => s.Notes is null) && all.Data.Any(s => s.Plan is null), "every statistic reads, nulls included");
var goals = await client.V1.Goals.GetAsync(r => r.QueryParameters.Limit = 1000);
Check(goals?.Data is { Count: > 10 } && goals.Data.Any(g => g.Progress is null) && goals.Data.Any(g => g.Progress?.Status is { Length: > 0 }), "every goal reads, with and without progress");

// One item; a trimmed one (fields=); an unknown id as the 404 problem the document lists.
var one = await client.V1.Statistics["registered-volunteers-2019-01-09-pc2019"].GetAsync();
Check(one?.Data?.Value == 4267000 && one.Data.Comparator == "gt" && one.Meta?.DataVersion == dataVersion, "GET /v1/statistics/{id}");
var trimmed = await client.V1.Statistics.GetAsync(r => { r.QueryParameters.Fields = "id,value"; r.QueryParameters.Limit = 5; });
Check(trimmed?.Data?.All(s => s.Id is not null && s.Value is not null && s.Quote is null) == true, "fields=id,value gives items with only those");
try
{
    await client.V1.Statistics["no-such-statistic"].GetAsync();
    Check(false, "an unknown id is a 404");
}
catch (ProblemDetails problem)
{
    Check(problem.ResponseStatusCode == 404 && problem.Status == 404, "an unknown id is a typed 404 problem");
}

// Search, the index, the downloads, health.
var hits = await client.V1.Search.GetAsync(r => r.QueryParameters.Q = "志愿者");
Check(hits?.Data is { Count: > 0 } h && h.All(x => x.Rank > 0 && x.Title?.En is { Length: > 0 }), "GET /v1/search?q=志愿者");
var index = await client.V1.GetAsync();
Check(index?.Data?.Links is not null && index.Meta?.DataVersion == dataVersion, "GET /v1");
var downloads = await client.V1.Downloads.GetAsync();
Check(downloads?.Data?.Any(d => d.Name == "governance.sqlite" && d.MediaType == "application/vnd.sqlite3") == true, "GET /v1/downloads");
var health = await client.Healthz.GetAsync();
Check(health?.Status == "ok" && health.DataVersion == dataVersion, "GET /healthz");

Console.WriteLine($"kiota client: {checks} checks passed");
