using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using OpenGovernanceApi.Api;
using OpenGovernanceApi.Search;

namespace OpenGovernanceApi.DataBuild;

/// <summary>Writes a validated dataset into a new SQLite file, atomically and reproducibly.</summary>
public static class DatabaseWriter
{
    /// <summary>The API refuses a database of any other schema version.</summary>
    public const string SchemaVersion = "4";

    public static string Write(Dataset data, string dbFolder, string outputFile)
    {
        var version = DataVersion(dbFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(outputFile)!);
        var temp = outputFile + ".tmp";
        if (File.Exists(temp)) File.Delete(temp);

        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp, Pooling = false }.ToString()))
        {
            connection.Open();
            Execute(connection, "PRAGMA page_size = 4096; PRAGMA journal_mode = DELETE;");
            Execute(connection, File.ReadAllText(Path.Combine(dbFolder, "schema.sql")));
            using (var tx = connection.BeginTransaction())
            {
                // Rows are inserted in id order, so a child can come before its parent; keys are checked at commit.
                Execute(connection, "PRAGMA defer_foreign_keys = ON;");
                Insert(connection, "INSERT INTO meta VALUES ($key, $value)", [
                    new() { ["key"] = "schema_version", ["value"] = SchemaVersion },
                    new() { ["key"] = "data_version", ["value"] = version },
                    new() { ["key"] = "license", ["value"] = "CC-BY-4.0" },
                ]);
                Insert(connection, "INSERT INTO units VALUES ($id, $symbol, $zh, $en)",
                    Sorted(data.Units, r => r.Id).Select(r => Row(("id", r.Id), ("symbol", r.Symbol), ("zh", r.Name.Zh), ("en", r.Name.En))));
                Insert(connection, "INSERT INTO topics VALUES ($id, $zh, $en)",
                    Sorted(data.Topics, r => r.Id).Select(r => Row(("id", r.Id), ("zh", r.Name.Zh), ("en", r.Name.En))));
                Insert(connection, "INSERT INTO regions VALUES ($adcode, $level, $parent, $zh, $en, $lon, $lat)",
                    Sorted(data.Regions, r => r.Adcode).Select(r => Row(("adcode", r.Adcode), ("level", r.Level), ("parent", r.Parent),
                        ("zh", r.Name.Zh), ("en", r.Name.En), ("lon", r.Lon), ("lat", r.Lat))));
                Insert(connection, "INSERT INTO region_boundaries VALUES ($adcode, $geometry, $source)",
                    data.Boundaries.OrderBy(b => b.Row.Adcode, StringComparer.Ordinal).Select(b => Row(("adcode", b.Row.Adcode),
                        ("geometry", Boundaries.GeometryJson(b.Row)), ("source", b.Row.Source))));
                Insert(connection, "INSERT INTO sources VALUES ($id, $kind, $tzh, $ten, $ozh, $oen, $published, $azh, $aen, $url, $nzh, $nen)",
                    Sorted(data.Sources, r => r.Id).Select(r => Row(("id", r.Id), ("kind", r.Kind), ("tzh", r.Title.Zh), ("ten", r.Title.En),
                        ("ozh", r.Outlet.Zh), ("oen", r.Outlet.En), ("published", r.PublishedOn), ("azh", r.Author?.Zh), ("aen", r.Author?.En),
                        ("url", r.Url), ("nzh", r.Notes?.Zh), ("nen", r.Notes?.En))));
                Insert(connection, "INSERT INTO plans VALUES ($id, $kind, $zh, $en, $start, $end, $izh, $ien, $issued, $source, $quote, $nzh, $nen)",
                    Sorted(data.Plans, r => r.Id).Select(r => Row(("id", r.Id), ("kind", r.Kind), ("zh", r.Name.Zh), ("en", r.Name.En),
                        ("start", r.PeriodStart), ("end", r.PeriodEnd), ("izh", r.Issuer?.Zh), ("ien", r.Issuer?.En), ("issued", r.IssuedOn),
                        ("source", r.Source), ("quote", r.Quote), ("nzh", r.Notes?.Zh), ("nen", r.Notes?.En))));
                Insert(connection, "INSERT INTO indicators VALUES ($id, $topic, $unit, $zh, $en, $dzh, $den)",
                    Sorted(data.Indicators, r => r.Id).Select(r => Row(("id", r.Id), ("topic", r.Topic), ("unit", r.Unit), ("zh", r.Name.Zh),
                        ("en", r.Name.En), ("dzh", r.Description?.Zh), ("den", r.Description?.En))));
                Insert(connection, "INSERT INTO statistics VALUES ($id, $indicator, $region, $period, $value, $unit, $written, $comparator, $kind, $plan, $source, $quote, $nzh, $nen)",
                    Sorted(data.Statistics, r => r.Id).Select(r => Row(("id", r.Id), ("indicator", r.Indicator), ("region", r.Region),
                        ("period", r.Period), ("value", r.Value), ("unit", r.Unit), ("written", r.ValueAsWritten), ("comparator", r.Comparator),
                        ("kind", r.Kind), ("plan", r.Plan), ("source", r.Source), ("quote", r.Quote), ("nzh", r.Notes?.Zh), ("nen", r.Notes?.En))));
                Insert(connection, "INSERT INTO statistic_conflicts VALUES ($a, $b)",
                    Conflicts(data).Select(c => Row(("a", c.A), ("b", c.B))));
                Insert(connection, "INSERT INTO goals VALUES ($id, $plan, $parent, $measure, $ordinal, $kind, $zh, $en, $target, $source, $quote)",
                    Sorted(data.Goals, r => r.Id).Select(r => Row(("id", r.Id), ("plan", r.Plan), ("parent", r.Parent), ("measure", r.Measure), ("ordinal", r.Ordinal),
                        ("kind", r.Kind), ("zh", r.Text.Zh), ("en", r.Text.En), ("target", r.Target), ("source", r.Source), ("quote", r.Quote))));
                Insert(connection, "INSERT INTO measures VALUES ($id, $plan, $policy, $parent, $kind, $ordinal, $zh, $en, $dzh, $den, $source, $quote)",
                    Sorted(data.Measures, r => r.Id).Select(r => Row(("id", r.Id), ("plan", r.Plan), ("policy", r.Policy), ("parent", r.Parent), ("kind", r.Kind),
                        ("ordinal", r.Ordinal), ("zh", r.Name.Zh), ("en", r.Name.En), ("dzh", r.Description?.Zh), ("den", r.Description?.En),
                        ("source", r.Source), ("quote", r.Quote))));
                Insert(connection, "INSERT INTO events VALUES ($id, $kind, $date, $tzh, $ten, $izh, $ien, $region, $source, $quote, $nzh, $nen)",
                    Sorted(data.Events, r => r.Id).Select(r => Row(("id", r.Id), ("kind", r.Kind), ("date", r.Date), ("tzh", r.Title.Zh),
                        ("ten", r.Title.En), ("izh", r.Issuer?.Zh), ("ien", r.Issuer?.En), ("region", r.Region), ("source", r.Source),
                        ("quote", r.Quote), ("nzh", r.Notes?.Zh), ("nen", r.Notes?.En))));
                Insert(connection, "INSERT INTO passages VALUES ($source, $ordinal, $text)",
                    data.Passages.Select(p => p.Row).OrderBy(p => p.Source, StringComparer.Ordinal).ThenBy(p => p.Ordinal)
                        .Select(p => Row(("source", p.Source), ("ordinal", p.Ordinal), ("text", p.Text))));
                Insert(connection, "INSERT INTO quote_places VALUES ($resource, $id, $source, $ordinal, $start)",
                    Passages.Places(data).Select(p => Row(("resource", p.Row.Resource), ("id", p.Row.Id), ("source", p.Place.Source),
                        ("ordinal", p.Place.Ordinal), ("start", p.Place.Start))));
                Insert(connection, "INSERT INTO synonyms VALUES ($group, $term)",
                    data.Synonyms.SelectMany((g, i) => g.Row.Terms.Select(t => Row(("group", i + 1), ("term", t)))));
                Insert(connection, "INSERT INTO releases VALUES ($version, $sequence, $date, $zh, $en)",
                    Releases(data).OrderBy(r => r.Row.DataVersion, StringComparer.Ordinal).Select(r => Row(("version", r.Row.DataVersion),
                        ("sequence", r.Sequence), ("date", r.Row.Date), ("zh", r.Row.Summary!.Zh), ("en", r.Row.Summary!.En))));
                Insert(connection, "INSERT INTO release_changes VALUES ($version, $kind, $ordinal, $zh, $en)",
                    ReleaseChanges(data).Select(c => Row(("version", c.Version), ("kind", c.Kind), ("ordinal", c.Ordinal), ("zh", c.Text.Zh), ("en", c.Text.En))));
                Insert(connection, "INSERT INTO search_index (resource, id, title_zh, title_en, text, head_bigrams, head_unigrams, bigrams, unigrams) VALUES ($resource, $id, $tzh, $ten, $text, $hbigrams, $hunigrams, $bigrams, $unigrams)",
                    SearchDocuments(data).Select(d =>
                    {
                        var head = SearchTerms.Segment(d.Head);
                        var segmented = SearchTerms.Segment(d.Text);
                        return Row(("resource", d.Resource), ("id", d.Id), ("tzh", d.TitleZh), ("ten", d.TitleEn), ("text", d.Text),
                            ("hbigrams", head.Bigrams), ("hunigrams", head.Unigrams), ("bigrams", segmented.Bigrams), ("unigrams", segmented.Unigrams));
                    }));
                tx.Commit();
            }
            Execute(connection, "INSERT INTO search_index(search_index) VALUES ('optimize'); PRAGMA foreign_key_check;");
            Execute(connection, "VACUUM;");
        }
        File.Move(temp, outputFile, overwrite: true);
        return version;
    }

    /// <summary>
    /// SHA-256 of schema.sql and every data file (names and bytes), in build order. db/releases.json
    /// is deliberately left out: a release note names the dataVersion it describes, which it could
    /// never do if the note were part of what is hashed.
    /// </summary>
    public static string DataVersion(string dbFolder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Dataset.DataFiles(dbFolder).Prepend(Path.Combine(dbFolder, "schema.sql")))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(dbFolder, file).Replace('\\', '/') + "\n"));
            hash.AppendData(File.ReadAllBytes(file));
        }
        hash.AppendData(Encoding.UTF8.GetBytes("schema " + SchemaVersion));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>
    /// Pairs of statistics from different sources that give different values for the same
    /// indicator, region and kind in the same year (83.9% and 83% for 2018). Both directions.
    /// </summary>
    public static IEnumerable<(string A, string B)> Conflicts(Dataset data)
    {
        var groups = data.Statistics.Select(s => s.Row)
            .GroupBy(s => (s.Indicator, s.Region, s.Kind, s.Unit, Year: s.Period[..4]));
        var pairs = new List<(string, string)>();
        foreach (var group in groups)
            foreach (var a in group)
                foreach (var b in group)
                    if (a.Source != b.Source && a.Value != b.Value)
                        pairs.Add((a.Id, b.Id));
        return pairs.Order();
    }

    /// <summary>The notes with their sequence: 1 for the oldest (last in the file), counting up to the newest.</summary>
    public static IEnumerable<(ReleaseRow Row, int Sequence)> Releases(Dataset data) =>
        data.Releases.Select((r, i) => (r.Row, data.Releases.Count - i));

    /// <summary>Every item of every note's added, corrected and removed lists, numbered from 1 within its list.</summary>
    public static IEnumerable<(string Version, string Kind, int Ordinal, Text Text)> ReleaseChanges(Dataset data)
    {
        var changes = new List<(string Version, string Kind, int Ordinal, Text Text)>();
        foreach (var r in data.Releases.Select(r => r.Row))
            foreach (var (kind, list) in new[] { ("added", r.Added), ("corrected", r.Corrected), ("removed", r.Removed) })
                for (var i = 0; i < (list?.Count ?? 0); i++) changes.Add((r.DataVersion!, kind, i + 1, list![i]!));
        return changes.OrderBy(c => c.Version, StringComparer.Ordinal).ThenBy(c => c.Kind, StringComparer.Ordinal).ThenBy(c => c.Ordinal);
    }

    /// <param name="Head">What the hit is about (ranked first): a name, a goal's text, the clause that states a figure.</param>
    /// <param name="Text">Everything searched, the head included, as shown in snippets.</param>
    private sealed record SearchDocument(string Resource, string Id, string? TitleZh, string? TitleEn, string Head, string Text);

    /// <summary>
    /// In (resource, id) order, so the search index's rowids follow it: the API breaks ties of
    /// relevance by rowid, and the order of equally relevant hits is then by resource and id.
    /// </summary>
    private static IEnumerable<SearchDocument> SearchDocuments(Dataset data)
    {
        var indicators = data.Indicators.ToDictionary(i => i.Row.Id, i => i.Row);
        var regions = data.Regions.ToDictionary(r => r.Row.Adcode, r => r.Row);
        foreach (var g in Sorted(data.Goals, r => r.Id))
            yield return new("goals", g.Id, g.Text.Zh, g.Text.En, Join(g.Text.Zh, g.Text.En), Join(g.Text.Zh, g.Text.En, g.Quote));
        foreach (var i in Sorted(data.Indicators, r => r.Id))
            yield return new("indicators", i.Id, i.Name.Zh, i.Name.En, Join(i.Name.Zh, i.Name.En), Join(i.Name.Zh, i.Name.En, i.Description?.Zh, i.Description?.En, i.Id));
        foreach (var m in Sorted(data.Measures, r => r.Id))
            yield return new("measures", m.Id, m.Name.Zh, m.Name.En, Join(m.Name.Zh, m.Name.En), Join(m.Name.Zh, m.Name.En, m.Description?.Zh, m.Description?.En, m.Quote));
        foreach (var s in Sorted(data.Sources, r => r.Id))
            yield return new("sources", s.Id, s.Title.Zh, s.Title.En, Join(s.Title.Zh, s.Title.En), Join(s.Title.Zh, s.Title.En, s.Outlet.Zh, s.Outlet.En, s.Author?.Zh, s.Author?.En));
        foreach (var s in Sorted(data.Statistics, r => r.Id))
        {
            var i = indicators[s.Indicator];
            var r = regions[s.Region];
            // English titles say the figure in English ("more than 4.267 million people", "nearly 90%"), never "426.7万";
            // Chinese ones as written, unless what is written leaves the hedge to the sentence around it.
            yield return new("statistics", s.Id, $"{i.Name.Zh}({r.Name.Zh},{s.Period}):{FigureWording.ZhAsWrittenWithHedge(s.Value, s.Unit, s.Comparator, s.ValueAsWritten)}",
                $"{i.Name.En} ({r.Name.En}, {s.Period}): {FigureWording.En(s.Value, s.Unit, s.Comparator, s.ValueAsWritten)}",
                Join(i.Name.Zh, i.Name.En, OwnClause(s.Quote, s.ValueAsWritten)),
                Join(s.Quote, s.ValueAsWritten, Format(s.Value), i.Name.Zh, i.Name.En, r.Name.Zh, r.Name.En, s.Notes?.Zh, s.Notes?.En));
        }
    }

    /// <summary>The clause of a quote that states the figure: from the punctuation before it to the one after.</summary>
    public static string OwnClause(string quote, string valueAsWritten)
    {
        var at = quote.IndexOf(valueAsWritten, StringComparison.Ordinal);
        if (at < 0) return "";
        var stops = ",。;,;:!?!?";
        var start = quote.LastIndexOfAny(stops.ToCharArray(), Math.Max(0, at - 1)) + 1;
        var end = quote.IndexOfAny(stops.ToCharArray(), at + valueAsWritten.Length);
        return quote[start..(end < 0 ? quote.Length : end)];
    }

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static string Join(params string?[] parts) => string.Join(" \n ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));

    private static IEnumerable<T> Sorted<T>(List<Located<T>> rows, Func<T, string> key) =>
        rows.Select(r => r.Row).OrderBy(key, StringComparer.Ordinal);

    private static Dictionary<string, object?> Row(params (string Name, object? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value);

    private static void Insert(SqliteConnection connection, string sql, IEnumerable<Dictionary<string, object?>> rows)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            foreach (var (name, value) in row) command.Parameters.AddWithValue("$" + name, value ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
