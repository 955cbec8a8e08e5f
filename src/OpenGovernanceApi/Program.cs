using OpenGovernanceApi.Hosting;
using OpenGovernanceApi.Api;
using OpenGovernanceApi.Mcp;
using OpenGovernanceApi.Pages;

// Settings (appsettings.json) live beside the binary, wherever it is started from. The slim builder
// leaves out what a plain-HTTP API does not use (IIS, HTTP/3, HTTPS settings, hosting start-up
// assemblies): fewer assemblies loaded, a few MB less resident memory (tests/benchmark/NOTES.md).
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

GovernanceDb db;
try
{
    db = builder.AddGovernanceDatabase();
}
catch (DatabaseUnusableException e)
{
    // A missing or corrupt database stops start-up with one line and a non-zero exit.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

try
{
    builder.AddApiConventions();
}
catch (InvalidSettingException e)
{
    // A setting that cannot be used stops start-up with one line, as a bad database does.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
builder.AddPages();
builder.Services.AddOpenApiDocument();
builder.Services.AddSingleton<DownloadFiles>();
builder.Services.AddSingleton<RegionBoundaries>();
builder.Services.AddHostedService<NativeMemoryTrimming>();
builder.AddGovernanceMcp();

var app = builder.Build();
app.UseApiConventions();
app.UseOpenApiDocument();

app.MapHealthEndpoints();
var v1 = app.MapGroup("/v1")
    .AnswerHeadAsGet()
    .CacheAnswers()
    .RejectUndeclaredQueryParameters()
    .ShapeResponses();
v1.MapIndexEndpoints();
v1.MapSourcesEndpoints();
v1.MapPlansEndpoints();
v1.MapGoalsEndpoints();
v1.MapMeasuresEndpoints();
v1.MapIndicatorsEndpoints();
v1.MapTopicsEndpoints();
v1.MapStatisticsEndpoints();
v1.MapRegionsEndpoints();
v1.MapEventsEndpoints();
v1.MapSearchEndpoints();
v1.MapDownloadsEndpoints();
v1.MapReleasesEndpoints();
app.MapGovernanceMcp(); // /mcp: the same data for assistants (Model Context Protocol)
app.MapPages(); // the same data as HTML for people, outside /v1: /, /statistics/{id} … and under /en in English

if (Array.IndexOf(args, "--write-openapi") is var at and >= 0)
    return await OpenApiDocumentWriter.WriteAsync(app, args.ElementAtOrDefault(at + 1) ?? "openapi/v1.json");

app.Logger.LogInformation("Serving {Database} (data release {DataVersion})", db.Path, db.DataVersion);
await app.RunAsync();
return 0;

/// <summary>Visible to the test project's WebApplicationFactory.</summary>
public partial class Program;
