// Builds governance.db from the reviewable text in db/ (schema.sql and data/**/*.json).
// Runs as part of `dotnet build` of the API (see OpenGovernanceApi.csproj); fails the build,
// naming the file and the row, when the data breaks a rule of db/README.md.
//
//   dotnet OpenGovernanceApi.DataBuild.dll --db <repo>/db --out <file> [--seeds <dir>]
//   dotnet OpenGovernanceApi.DataBuild.dll --db <repo>/db --counts     (the table of db/README.md)
//   dotnet OpenGovernanceApi.DataBuild.dll --db <repo>/db [--seeds <dir>] --passages
//       (writes db/data/passages/<source>.json, the paragraphs that hold the quotes, from the source texts;
//        the seeds folder defaults to ../shared/seeds beside the repository, as the build's)
//
// The output is byte-for-byte reproducible: rows are inserted in a fixed order, nothing
// time-dependent is stored, and the file is VACUUMed. dataVersion is the SHA-256 of the input
// (schema.sql and data/; not releases.json, the notes that name each dataVersion).
using OpenGovernanceApi.DataBuild;

if (args is ["--db", var countsDb, "--counts"])
{
    var counted = Dataset.Load(Path.GetFullPath(countsDb), out var countErrors);
    foreach (var error in countErrors) Console.Error.WriteLine($"error: {error}");
    Console.Write(DatasetCounts.Table(counted));
    return countErrors.Count == 0 ? 0 : 1;
}

if (args is [.. var passageArgs, "--passages"])
{
    var dbFolder = passageArgs is ["--db", var d, ..] ? Path.GetFullPath(d) : null;
    var seedsFolder = passageArgs switch
    {
        ["--db", _] when dbFolder is not null => Path.GetFullPath(Path.Combine(dbFolder, "..", "..", "shared", "seeds")),
        ["--db", _, "--seeds", var s] => Path.GetFullPath(s),
        _ => null,
    };
    if (dbFolder is null || seedsFolder is null)
    {
        Console.Error.WriteLine("usage: OpenGovernanceApi.DataBuild --db <db folder> [--seeds <seeds folder>] --passages");
        return 2;
    }
    if (!Directory.Exists(seedsFolder))
    {
        Console.Error.WriteLine($"error: the source texts are not at hand ({seedsFolder}); passages are written from them");
        return 2;
    }
    var quoted = Dataset.Load(dbFolder, out var passageErrors);
    foreach (var error in passageErrors) Console.Error.WriteLine($"error: {error}");
    if (passageErrors.Count > 0) return 1;
    var (passages, unplaced) = Passages.Select(quoted, seedsFolder);
    foreach (var row in unplaced)
        Console.Error.WriteLine($"error: {row.File}: '{row.Id}': quote stands in no paragraph (line) of source '{row.Source}': \"{row.Quote}\"");
    foreach (var file in Passages.Write(dbFolder, passages)) Console.WriteLine($"wrote {Path.GetRelativePath(Path.GetDirectoryName(dbFolder)!, file)}");
    foreach (var source in passages.GroupBy(p => p.Source))
        Console.WriteLine($"{source.Key}: {source.Count()} passages");
    return unplaced.Count == 0 ? 0 : 1;
}

var options = BuildOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: OpenGovernanceApi.DataBuild --db <db folder> --out <database file> [--seeds <seeds folder>]");
    return 2;
}

var dataset = Dataset.Load(options.DbFolder, out var loadErrors);
if (loadErrors.Count > 0)
{
    foreach (var error in loadErrors) Console.Error.WriteLine($"error: {error}");
    return 1;
}

var seeds = options.SeedsFolder is not null && Directory.Exists(options.SeedsFolder) ? options.SeedsFolder : null;
var verified = QuoteRecord.Read(options.DbFolder);
// Printed as an MSBuild warning ("warning: …"), so it shows in every build's summary, never silently.
if (seeds is null)
    Console.WriteLine($"warning: the source texts ({options.SeedsFolder ?? "--seeds"}) are not at hand: quotes are checked against db/{QuoteRecord.FileName}, " +
                      "the record of the last build that read the texts, not against the texts themselves");

var errors = new DatasetValidator(dataset, seeds, verified).Validate();
if (errors.Count > 0)
{
    foreach (var error in errors) Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine($"error: {errors.Count} problem(s) in db/data or db/releases.json; the database was not built");
    return 1;
}

var version = DatabaseWriter.Write(dataset, options.DbFolder, options.OutputFile);
if (seeds is not null && QuoteRecord.Write(dataset, options.DbFolder))
    Console.WriteLine($"note: db/{QuoteRecord.FileName} updated: every quote was verified against the source texts; commit it with the data");
Console.WriteLine($"built {options.OutputFile}: {dataset.Statistics.Count} statistics, {dataset.Indicators.Count} indicators, " +
                  $"{dataset.Goals.Count} goals, {dataset.Measures.Count} measures, {dataset.Events.Count} events; dataVersion {version}");
// Not an error, so data can be edited and served while the note is written; the tests fail until it is.
if (dataset.Releases.All(r => r.Row.DataVersion != version))
    Console.WriteLine($"note: db/{Dataset.ReleasesFile} has no note for dataVersion {version}; add one at the top (see db/README.md)");
return 0;

internal sealed record BuildOptions(string DbFolder, string OutputFile, string? SeedsFolder)
{
    public static BuildOptions? Parse(string[] args)
    {
        string? db = null, output = null, seeds = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--db": db = args[i + 1]; break;
                case "--out": output = args[i + 1]; break;
                case "--seeds": seeds = args[i + 1]; break;
                default: return null;
            }
        }
        return db is null || output is null ? null : new BuildOptions(Path.GetFullPath(db), Path.GetFullPath(output), seeds);
    }
}
