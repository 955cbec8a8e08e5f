using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenGovernanceApi.DataBuild;

/// <summary>Bilingual text as written in the data files.</summary>
public sealed record Text(string? Zh, string? En);

public sealed record UnitRow(string Id, string Symbol, Text Name);
public sealed record TopicRow(string Id, Text Name);
public sealed record RegionRow(string Adcode, string Level, string? Parent, Text Name, double Lon, double Lat);
public sealed record SourceRow(string Id, string Kind, string File, Text Title, Text Outlet, string PublishedOn, Text? Author, string? Url, Text? Notes);
public sealed record PlanRow(string Id, Text Name, string Kind, string PeriodStart, string PeriodEnd, Text? Issuer, string? IssuedOn, string Source, string Quote, Text? Notes);
public sealed record IndicatorRow(string Id, string Topic, string Unit, Text Name, Text? Description);
public sealed record StatisticRow(string Id, string Indicator, string Region, string Period, double Value, string Unit, string ValueAsWritten,
    string Comparator, string Kind, string? Plan, string Source, string Quote, Text? Notes);
public sealed record GoalRow(string Id, string Plan, string? Parent, string? Measure, int Ordinal, string Kind, Text Text, string? Target, string Source, string Quote);
public sealed record MeasureRow(string Id, string? Plan, string? Policy, string? Parent, string Kind, int Ordinal, Text Name, Text? Description, string Source, string Quote);
/// <summary>Words a reader types for the same thing; note says why they are the same.</summary>
public sealed record SynonymGroup(List<string> Terms, Text Note);
public sealed record EventRow(string Id, string Kind, string Date, Text Title, Text? Issuer, string? Region, string Source, string Quote, Text? Notes);
/// <summary>A paragraph of a source text that holds a quote: its number among the document's paragraphs (from 1) and its text as written.</summary>
public sealed record PassageRow(string Source, int Ordinal, string Text);

/// <summary>
/// A data release note (db/releases.json). Every field is nullable here so that a missing one is
/// reported by the validator naming the entry, rather than as a bare JSON error for the file.
/// </summary>
public sealed record ReleaseRow(string? DataVersion = null, string? Date = null, Text? Summary = null,
    List<Text?>? Added = null, List<Text?>? Corrected = null, List<Text?>? Removed = null);

/// <summary>A row together with the file it came from, so every message can name both.</summary>
public sealed record Located<T>(T Row, string File);

/// <summary>Everything in db/data, as loaded, before validation.</summary>
public sealed class Dataset
{
    public List<Located<UnitRow>> Units { get; } = [];
    public List<Located<TopicRow>> Topics { get; } = [];
    public List<Located<RegionRow>> Regions { get; } = [];
    public List<Located<SourceRow>> Sources { get; } = [];
    public List<Located<PlanRow>> Plans { get; } = [];
    public List<Located<IndicatorRow>> Indicators { get; } = [];
    public List<Located<StatisticRow>> Statistics { get; } = [];
    public List<Located<GoalRow>> Goals { get; } = [];
    public List<Located<MeasureRow>> Measures { get; } = [];
    public List<Located<EventRow>> Events { get; } = [];
    public List<Located<SynonymGroup>> Synonyms { get; } = [];
    public List<Located<PassageRow>> Passages { get; } = [];

    /// <summary>Outlines of regions (db/data/boundaries/*.geojson), positions as the files give them.</summary>
    public List<Located<BoundaryRow>> Boundaries { get; } = [];

    /// <summary>The release notes, newest first, as in db/releases.json.</summary>
    public List<Located<ReleaseRow>> Releases { get; } = [];

    /// <summary>
    /// The release notes live beside data/, not in it: they are not part of the dataVersion hash
    /// (a note names the version of the data it describes, so it cannot be part of that data).
    /// </summary>
    public const string ReleasesFile = "releases.json";

    // A misspelt field must fail the build, not vanish silently.
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>The data files in the fixed order the build reads them (also the order hashed). Not db/releases.json.</summary>
    public static IEnumerable<string> DataFiles(string dbFolder)
    {
        var data = Path.Combine(dbFolder, "data");
        foreach (var name in new[] { "units.json", "topics.json", "regions.json", "sources.json", "plans.json", "synonyms.json" })
            yield return Path.Combine(data, name);
        foreach (var folder in new[] { "indicators", "statistics", "goals", "measures", "events", "passages" })
        {
            var dir = Path.Combine(data, folder);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
                yield return file;
        }
        var boundaries = Path.Combine(data, DataBuild.Boundaries.Folder);
        if (Directory.Exists(boundaries))
            foreach (var file in Directory.GetFiles(boundaries, "*" + DataBuild.Boundaries.Extension).Order(StringComparer.Ordinal))
                yield return file;
    }

    public static Dataset Load(string dbFolder, out List<string> errors)
    {
        var set = new Dataset();
        errors = [];
        var data = Path.Combine(dbFolder, "data");
        foreach (var file in DataFiles(dbFolder))
        {
            var relative = Path.GetRelativePath(Path.GetDirectoryName(dbFolder)!, file);
            var folder = Path.GetFileName(Path.GetDirectoryName(file));
            var kind = folder == "data" ? Path.GetFileNameWithoutExtension(file) : folder;
            try
            {
                using var stream = File.OpenRead(file);
                switch (kind)
                {
                    case "units": Add(set.Units, stream, relative); break;
                    case "topics": Add(set.Topics, stream, relative); break;
                    case "regions": Add(set.Regions, stream, relative); break;
                    case "sources": Add(set.Sources, stream, relative); break;
                    case "plans": Add(set.Plans, stream, relative); break;
                    case "synonyms": Add(set.Synonyms, stream, relative); break;
                    case "indicators": Add(set.Indicators, stream, relative); break;
                    case "statistics": Add(set.Statistics, stream, relative); break;
                    case "goals": Add(set.Goals, stream, relative); break;
                    case "measures": Add(set.Measures, stream, relative); break;
                    case "events": Add(set.Events, stream, relative); break;
                    case "passages": Add(set.Passages, stream, relative); break;
                    case DataBuild.Boundaries.Folder: set.Boundaries.AddRange(DataBuild.Boundaries.Read(stream, Json).Select(b => new Located<BoundaryRow>(b, relative))); break;
                }
            }
            catch (Exception e) when (e is JsonException or IOException or NotSupportedException or InvalidOperationException)
            {
                errors.Add($"{relative}: {e.Message}");
            }
        }
        if (!Directory.Exists(data)) errors.Add($"{data}: folder not found");

        var releases = Path.Combine(dbFolder, ReleasesFile);
        var releasesName = Path.GetRelativePath(Path.GetDirectoryName(dbFolder)!, releases);
        try
        {
            using var stream = File.OpenRead(releases);
            Add(set.Releases, stream, releasesName);
        }
        catch (FileNotFoundException)
        {
            errors.Add($"{releasesName}: file not found; it holds the data release notes (see db/README.md)");
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException or InvalidOperationException)
        {
            errors.Add($"{releasesName}: {e.Message}");
        }
        return set;
    }

    private static void Add<T>(List<Located<T>> list, Stream stream, string file)
    {
        var rows = JsonSerializer.Deserialize<List<T>>(stream, Json) ?? [];
        list.AddRange(rows.Select(r => new Located<T>(r, file)));
    }
}
