using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OpenGovernanceApi.OpenApi;

/// <summary>
/// An `example` on every parameter of every operation but `cursor`, from the one map below, with real ids of
/// the data. Swagger UI's "Try it out" fills in every example of an operation at once, so the
/// examples of an operation are chosen to hold together: sent all at once (what /docs does) they
/// find data, and each one alone does too. OpenApiExamplesTests holds both to that, and fails
/// naming any parameter left without an example.
/// </summary>
/// <remarks>
/// The `/v1/releases/{dataVersion}` example is the data release served, so the document changes with
/// each data release: regenerate openapi/v1.json then (the drift test says so).
/// </remarks>
public sealed class ParameterExamples(GovernanceDb db) : IOperationFilter
{
    /// <summary>
    /// Query string text (several values comma-separated). Looked up as "{route} {name}", then, for
    /// an item (`/v1/events/{id}`), as its collection's "{route} {name}", then as "{name}" alone.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Examples = new Dictionary<string, string>
    {
        // Every collection and item.
        ["limit"] = "20",
        ["format"] = "json",

        // Filters several collections share; each route's set below keeps at least one item.
        ["plan"] = "14th",
        ["indicator"] = "registered-volunteers,certified-social-workers", // a filter takes several values: any of them
        ["region"] = "110000",
        ["from"] = "2016",
        ["to"] = "2025",

        // Statistics: together, the 14th plan's targets for registered volunteers (不少于21%) and certified
        // social workers (不少于6万人), both from news2021.
        ["/v1/statistics source"] = "news2021",
        ["/v1/statistics kind"] = "target",
        ["/v1/statistics comparator"] = "gte",
        ["/v1/statistics q"] = "十四五",
        ["/v1/statistics sort"] = "-period",
        ["/v1/statistics latest"] = "true",
        ["/v1/statistics conflicts"] = "false", // `true` keeps only contradicted figures, and no target is contradicted
        ["/v1/statistics facet"] = "kind,source",
        ["/v1/statistics fields"] = "id,indicator,period,value,valueAsWritten,comparator,quote",
        ["/v1/statistics/{id} id"] = "registered-volunteers-2019-01-09-pc2019",

        // One indicator's series: the coverage of the 15-minute community service circles, 2016-2019.
        ["/v1/indicators/{id}/series id"] = "service-circles-coverage",
        ["/v1/indicators/{id}/series kind"] = "actual",
        ["/v1/indicators/{id}/series fields"] = "id,period,value,valueAsWritten,comparator,source",

        ["/v1/indicators topic"] = "volunteering",
        ["/v1/indicators fields"] = "id,name,unit,statisticCount",
        ["/v1/indicators/{id} id"] = "registered-volunteers",

        ["/v1/goals kind"] = "quantitative",
        ["/v1/goals measure"] = "14th-project-5", // the social-work talent project, which states the certified-social-workers target
        ["/v1/goals fields"] = "id,kind,text,target,progress",
        ["/v1/goals/{id} id"] = "14th-goal-volunteers-21pct",

        // The measures of the 14th plan's community-governance project (社区治理优化工程).
        ["/v1/measures parent"] = "14th-project-6",
        ["/v1/measures kind"] = "measure",
        ["/v1/measures fields"] = "id,kind,name,parent",
        ["/v1/measures/{id} id"] = "14th-project-6",

        ["/v1/topics fields"] = "id,name,indicatorCount",
        ["/v1/topics/{id} id"] = "volunteering",

        ["/v1/plans fields"] = "id,name,periodStart,periodEnd",
        ["/v1/plans/{id} id"] = "14th",

        ["/v1/events kind"] = "policy",
        ["/v1/events fields"] = "id,date,title,issuer",
        ["/v1/events/{id} id"] = "community-worker-pay-rule-2018",

        ["/v1/regions level"] = "district",
        ["/v1/regions geometry"] = "boundary", // the outlines, in GeoJSON (JSON, the example format, carries no geometry)
        ["/v1/regions fields"] = "adcode,name,statisticCount",
        ["/v1/regions/{adcode} adcode"] = "110105",

        ["/v1/sources kind"] = "press-conference",
        ["/v1/sources fields"] = "id,title,publishedOn,statisticCount",
        ["/v1/sources/{id} id"] = "pc2019",

        ["/v1/search q"] = "党建",
        ["/v1/search type"] = "measures",
        ["/v1/search fields"] = "type,id,title,snippet",

        ["/v1/downloads fields"] = "name,bytes,sha256",
        ["/v1/downloads/{file} file"] = "statistics.csv",

        ["/v1/releases fields"] = "dataVersion,date,current,summary",
    };

    /// <summary>The example of one parameter as query or path text, or null when the map has none.</summary>
    private string? Find(string route, string name)
    {
        // A cursor is opaque and belongs to one release: it comes from `links.next`. An example would
        // make "Try it out" start on page 2, and expire with the data.
        if (name == "cursor") return null;
        if (route == "/v1/releases/{dataVersion}" && name == "dataVersion") return db.DataVersion;
        if (Examples.TryGetValue($"{route} {name}", out var value)) return value;
        var item = route.LastIndexOf("/{", StringComparison.Ordinal);
        if (item > 0 && route.EndsWith('}') && Examples.TryGetValue($"{route[..item]} {name}", out value)) return value;
        return Examples.GetValueOrDefault(name);
    }

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Parameters is null) return;
        var route = "/" + context.ApiDescription.RelativePath?.TrimEnd('/'); // a group's own route ends in "/"
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            if (parameter.Name is not { } name || Find(route, name) is not { } text) continue;
            // The example has the parameter's own type: a list for a filter of several values, a number for limit.
            parameter.Example = parameter.Schema?.Type switch
            {
                { } t when t.HasFlag(JsonSchemaType.Array) => new JsonArray(text.Split(',').Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                { } t when t.HasFlag(JsonSchemaType.Integer) => JsonValue.Create(int.Parse(text, System.Globalization.CultureInfo.InvariantCulture)),
                _ => JsonValue.Create(text),
            };
        }
    }
}
