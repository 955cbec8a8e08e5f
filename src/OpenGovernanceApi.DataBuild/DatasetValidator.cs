using System.Text.RegularExpressions;

namespace OpenGovernanceApi.DataBuild;

/// <summary>
/// The rules of db/README.md. Every message names the file and the row, so a reviewer can go
/// straight to it. Quotes are checked character for character against the source texts when
/// the seeds folder is available.
/// </summary>
public sealed partial class DatasetValidator(Dataset data, string? seedsFolder, HashSet<string>? verifiedQuotes = null)
{
    public const int MaxQuoteLength = 200;

    private static readonly HashSet<string> Comparators = ["eq", "approx", "gt", "gte", "lt", "lte"];
    private static readonly HashSet<string> StatisticKinds = ["actual", "target", "norm"];
    private static readonly HashSet<string> SourceKinds = ["press-conference", "news-report", "report-release", "signed-article"];
    private static readonly HashSet<string> GoalKinds = ["qualitative", "quantitative"];
    private static readonly HashSet<string> MeasureKinds = ["key-task", "project", "measure", "principle", "programme"];
    private static readonly HashSet<string> EventKinds = ["policy", "standard", "plan", "milestone", "law"];
    private static readonly HashSet<string> RegionLevels = ["province", "district"];

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*$")] private static partial Regex Slug();
    [GeneratedRegex("^11[0-9]{4}$")] private static partial Regex Adcode();
    [GeneratedRegex(@"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")] private static partial Regex IsoPeriod();
    [GeneratedRegex("^[0-9a-f]{16}$")] private static partial Regex DataVersionFormat();

    /// <summary>Longest note item: a line a reader takes in at a glance.</summary>
    public const int MaxReleaseItemLength = 300;

    private readonly List<string> _errors = [];

    public List<string> Validate()
    {
        var units = Ids(data.Units, r => r.Id, "unit");
        var topics = Ids(data.Topics, r => r.Id, "topic");
        var regions = Ids(data.Regions, r => r.Adcode, "region");
        var sources = Ids(data.Sources, r => r.Id, "source");
        var plans = Ids(data.Plans, r => r.Id, "plan");
        var indicators = Ids(data.Indicators, r => r.Id, "indicator");
        var statistics = Ids(data.Statistics, r => r.Id, "statistic");
        var goals = Ids(data.Goals, r => r.Id, "goal");
        var measures = Ids(data.Measures, r => r.Id, "measure");
        var events = Ids(data.Events, r => r.Id, "event");

        var texts = LoadSourceTexts();
        var indicatorRows = data.Indicators.GroupBy(i => i.Row.Id).ToDictionary(g => g.Key, g => g.First().Row);
        var measureRows = data.Measures.GroupBy(m => m.Row.Id).ToDictionary(g => g.Key, g => g.First().Row);
        var eventRows = data.Events.GroupBy(e => e.Row.Id).ToDictionary(g => g.Key, g => g.First().Row);

        foreach (var (r, f) in Unpack(data.Units)) { Bilingual(f, r.Id, "name", r.Name); Require(f, r.Id, "symbol", r.Symbol); }
        foreach (var (r, f) in Unpack(data.Topics)) Bilingual(f, r.Id, "name", r.Name);
        foreach (var (r, f) in Unpack(data.Regions))
        {
            Check(Adcode().IsMatch(r.Adcode), f, r.Adcode, $"adcode '{r.Adcode}' is not a Beijing GB/T 2260 code (11xxxx)");
            Check(RegionLevels.Contains(r.Level), f, r.Adcode, $"unknown level '{r.Level}'");
            Check(r.Parent is null || regions.Contains(r.Parent), f, r.Adcode, $"parent '{r.Parent}' is not a region");
            Check(r.Lon is > 115 and < 118 && r.Lat is > 39 and < 42, f, r.Adcode, "representative point is outside Beijing");
            Bilingual(f, r.Adcode, "name", r.Name);
        }
        ValidateBoundaries();
        foreach (var (r, f) in Unpack(data.Sources))
        {
            Check(SourceKinds.Contains(r.Kind), f, r.Id, $"unknown source kind '{r.Kind}'");
            Check(IsoPeriod().IsMatch(r.PublishedOn), f, r.Id, $"publishedOn '{r.PublishedOn}' is not an ISO date");
            Bilingual(f, r.Id, "title", r.Title);
            Bilingual(f, r.Id, "outlet", r.Outlet);
            if (r.Author is not null) Bilingual(f, r.Id, "author", r.Author);
            if (r.Notes is not null) Bilingual(f, r.Id, "notes", r.Notes);
            Check(texts is null || texts.ContainsKey(r.Id), f, r.Id, $"source text '{r.File}' not found in {seedsFolder}");
        }
        foreach (var (r, f) in Unpack(data.Plans))
        {
            Bilingual(f, r.Id, "name", r.Name);
            if (r.Notes is not null) Bilingual(f, r.Id, "notes", r.Notes);
            Ref(sources, r.Source, f, r.Id, "source");
            Quote(texts, f, r.Id, r.Source, r.Quote);
        }
        foreach (var (r, f) in Unpack(data.Indicators))
        {
            Ref(topics, r.Topic, f, r.Id, "topic");
            Ref(units, r.Unit, f, r.Id, "unit");
            Bilingual(f, r.Id, "name", r.Name);
            if (r.Description is not null) Bilingual(f, r.Id, "description", r.Description);
        }
        foreach (var (r, f) in Unpack(data.Statistics))
        {
            Ref(indicators, r.Indicator, f, r.Id, "indicator");
            Ref(regions, r.Region, f, r.Id, "region");
            Ref(units, r.Unit, f, r.Id, "unit");
            Ref(sources, r.Source, f, r.Id, "source");
            if (r.Plan is not null) Ref(plans, r.Plan, f, r.Id, "plan");
            Check(Comparators.Contains(r.Comparator), f, r.Id, $"unknown comparator '{r.Comparator}' (eq, approx, gt, gte, lt, lte)");
            Check(StatisticKinds.Contains(r.Kind), f, r.Id, $"unknown kind '{r.Kind}' (actual, target, norm)");
            Check(r.Kind != "target" || r.Plan is not null, f, r.Id, "a target must name its plan");
            Check(IsoPeriod().IsMatch(r.Period), f, r.Id, $"period '{r.Period}' is not an ISO 8601 date of year, month or day precision");
            Check(double.IsFinite(r.Value), f, r.Id, "value is not a finite number");
            Require(f, r.Id, "valueAsWritten", r.ValueAsWritten);
            // The statistic's page marks the figure inside its quote.
            Check(string.IsNullOrEmpty(r.ValueAsWritten) || string.IsNullOrEmpty(r.Quote) || r.Quote.Contains(r.ValueAsWritten, StringComparison.Ordinal), f, r.Id,
                $"valueAsWritten '{r.ValueAsWritten}' does not stand in its quote; write the figure as the quote prints it");
            Quote(texts, f, r.Id, r.Source, r.Quote);
            if (r.Notes is not null) Bilingual(f, r.Id, "notes", r.Notes);
            foreach (var problem in FigureRules.Check(r, indicatorRows.GetValueOrDefault(r.Indicator))) _errors.Add($"{f}: '{r.Id}': {problem}");
        }
        foreach (var problem in FigureRules.CheckSeries(data.Statistics.Select(s => s.Row))) _errors.Add(problem);
        foreach (var (r, f) in Unpack(data.Goals))
        {
            Ref(plans, r.Plan, f, r.Id, "plan");
            if (r.Parent is not null) Ref(goals, r.Parent, f, r.Id, "parent");
            if (r.Measure is not null)
            {
                Ref(measures, r.Measure, f, r.Id, "measure");
                var measure = measureRows.GetValueOrDefault(r.Measure);
                Check(measure is null || measure.Plan == r.Plan, f, r.Id, $"measure '{r.Measure}' is not a measure of plan '{r.Plan}'");
            }
            Check(GoalKinds.Contains(r.Kind), f, r.Id, $"unknown goal kind '{r.Kind}'");
            Check((r.Kind == "quantitative") == (r.Target is not null), f, r.Id, "a quantitative goal, and only one, names its target statistic");
            if (r.Target is not null)
            {
                Ref(statistics, r.Target, f, r.Id, "target");
                var target = data.Statistics.FirstOrDefault(s => s.Row.Id == r.Target)?.Row;
                Check(target is null || (target.Kind == "target" && target.Plan == r.Plan), f, r.Id, $"target '{r.Target}' is not a target of plan '{r.Plan}'");
            }
            Bilingual(f, r.Id, "text", r.Text);
            Ref(sources, r.Source, f, r.Id, "source");
            Quote(texts, f, r.Id, r.Source, r.Quote);
        }
        foreach (var (r, f) in Unpack(data.Measures))
        {
            // A measure belongs to a plan, or to a policy document (an event of kind policy), or, when a
            // source states it on its own (a programme, the city's directions), to neither; a child belongs where its parent does.
            if (r.Plan is not null) Ref(plans, r.Plan, f, r.Id, "plan");
            if (r.Policy is not null)
            {
                Ref(events, r.Policy, f, r.Id, "policy");
                Check(eventRows.GetValueOrDefault(r.Policy) is not { } policy || policy.Kind is "policy" or "law", f, r.Id, $"policy '{r.Policy}' is an event of kind '{eventRows.GetValueOrDefault(r.Policy)?.Kind}', not a policy document");
            }
            Check(r.Plan is null || r.Policy is null, f, r.Id, "a measure belongs to a plan or to a policy document, not both");
            if (r.Parent is not null)
            {
                Ref(measures, r.Parent, f, r.Id, "parent");
                var parent = measureRows.GetValueOrDefault(r.Parent);
                Check(parent is null || (parent.Plan == r.Plan && parent.Policy == r.Policy), f, r.Id, $"belongs to plan '{r.Plan}' / policy '{r.Policy}' but its parent '{r.Parent}' to plan '{parent?.Plan}' / policy '{parent?.Policy}'");
            }
            Check(r.Parent != r.Id, f, r.Id, "a measure cannot be its own parent");
            Check(MeasureKinds.Contains(r.Kind), f, r.Id, $"unknown measure kind '{r.Kind}'");
            Bilingual(f, r.Id, "name", r.Name);
            if (r.Description is not null) Bilingual(f, r.Id, "description", r.Description);
            Ref(sources, r.Source, f, r.Id, "source");
            Quote(texts, f, r.Id, r.Source, r.Quote);
        }
        foreach (var (r, f) in Unpack(data.Events))
        {
            Check(EventKinds.Contains(r.Kind), f, r.Id, $"unknown event kind '{r.Kind}'");
            Check(IsoPeriod().IsMatch(r.Date), f, r.Id, $"date '{r.Date}' is not an ISO 8601 date");
            if (r.Region is not null) Ref(regions, r.Region, f, r.Id, "region"); // null: a national event
            Bilingual(f, r.Id, "title", r.Title);
            if (r.Issuer is not null) Bilingual(f, r.Id, "issuer", r.Issuer);
            if (r.Notes is not null) Bilingual(f, r.Id, "notes", r.Notes);
            Ref(sources, r.Source, f, r.Id, "source");
            Quote(texts, f, r.Id, r.Source, r.Quote);
        }
        var synonymTerms = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < data.Synonyms.Count; i++)
        {
            var (r, f) = (data.Synonyms[i].Row, data.Synonyms[i].File);
            var name = $"group {i + 1}";
            Check(r.Terms.Count >= 2, f, name, "a synonym group needs at least two terms");
            foreach (var term in r.Terms)
            {
                Check(!string.IsNullOrWhiteSpace(term) && term == term.Trim() && !term.Contains(' '), f, name, $"term '{term}' is empty or has spaces; one word per term");
                Check(synonymTerms.Add(term), f, name, $"term '{term}' is in two groups; a word has one group");
            }
            Bilingual(f, name, "note", r.Note);
        }
        ValidatePassages(texts, sources);
        ValidateReleases();
        return _errors;
    }

    /// <summary>
    /// db/data/passages: each passage is paragraph `ordinal` of its source text, exactly (checked against the texts when
    /// they are at hand, else against db/quotes.verified); every quote stands in a passage of its source; every passage
    /// holds a quote (we keep the paragraphs we quote from, not the documents).
    /// </summary>
    private void ValidatePassages(Dictionary<string, string>? texts, HashSet<string> sources)
    {
        var seen = new HashSet<(string, int)>();
        var paragraphs = texts?.ToDictionary(t => t.Key, t => Passages.Paragraphs(t.Value));
        foreach (var (r, f) in Unpack(data.Passages))
        {
            var name = $"passage {r.Ordinal}";
            Ref(sources, r.Source, f, name, "source");
            Check(r.Ordinal >= 1, f, name, "ordinal must be 1 or more: paragraphs are numbered from 1");
            Check(seen.Add((r.Source, r.Ordinal)), f, name, $"duplicate passage {r.Ordinal} of source '{r.Source}'");
            Check(!string.IsNullOrWhiteSpace(r.Text) && r.Text == r.Text.Trim() && !r.Text.Contains('\n'), f, name,
                "text must be one paragraph (one line of the source text, without its indentation)");
            if (paragraphs is not null && paragraphs.TryGetValue(r.Source, out var ofSource))
                Check(r.Ordinal >= 1 && r.Ordinal <= ofSource.Count && ofSource[r.Ordinal - 1] == r.Text, f, name,
                    $"is not paragraph {r.Ordinal} of source '{r.Source}' as its text has it; write the passages again with --passages (db/README.md)");
            else if (texts is null)
                Check(verifiedQuotes?.Contains(QuoteRecord.Fingerprint(r)) == true, f, name,
                    $"was never checked against source '{r.Source}' (it is not in db/{QuoteRecord.FileName}) and the source texts are not at hand to check it; build once with ../shared/seeds present");
        }

        var bySource = Passages.BySource(data);
        var holding = new HashSet<(string, int)>();
        foreach (var q in Passages.QuotedRows(data))
        {
            if (!sources.Contains(q.Source)) continue; // reported as a dangling source
            if (Passages.Find(bySource, q.Source, q.Quote) is { } place) holding.Add((place.Source, place.Ordinal));
            else _errors.Add($"{q.File}: '{q.Id}': quote is in no passage of source '{q.Source}' (db/data/{Passages.Folder}/{q.Source}.json): \"{q.Quote}\"; " +
                             "write the passages again with --passages (db/README.md)");
        }
        foreach (var (r, f) in Unpack(data.Passages))
            Check(holding.Contains((r.Source, r.Ordinal)), f, $"passage {r.Ordinal}",
                "holds no quote of any record (or only quotes an earlier passage holds too); keep only the paragraphs quoted");
    }

    /// <summary>
    /// db/data/boundaries: each outline keyed by the adcode of a region (its id and properties.adcode agreeing,
    /// the name it carries that region's Chinese name, so a polygon under the wrong code is caught), at most one
    /// per region, a valid RFC 7946 polygon inside Beijing that holds the region's representative point; and
    /// every district has one (Beijing as a whole may go without: the API then says so rather than draw a union).
    /// </summary>
    private void ValidateBoundaries()
    {
        var regions = data.Regions.GroupBy(r => r.Row.Adcode).ToDictionary(g => g.Key, g => g.First().Row);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (b, f) in Unpack(data.Boundaries))
        {
            var name = string.IsNullOrEmpty(b.Adcode) ? $"feature '{b.Id}'" : b.Adcode;
            if (!regions.TryGetValue(b.Adcode, out var region))
            {
                _errors.Add($"{f}: '{name}': a boundary for adcode '{b.Adcode}', which is not a region of regions.json");
                continue;
            }
            Check(b.Id == b.Adcode, f, name, $"the feature's id '{b.Id}' is not its properties.adcode '{b.Adcode}'");
            Check(b.Name == region.Name.Zh, f, name, $"named '{b.Name}', but adcode {b.Adcode} is {region.Name.Zh}: is the polygon under the right code?");
            Check(seen.Add(b.Adcode), f, name, $"a second boundary for adcode '{b.Adcode}'; a region has one");
            var problems = Boundaries.Problems(b).ToList();
            foreach (var problem in problems) _errors.Add($"{f}: '{name}': boundary {problem}");
            if (problems.Count == 0)
                Check(Boundaries.Contains(Boundaries.InWgs84(b), new Position(region.Lon, region.Lat)), f, name,
                    $"the representative point of {region.Name.Zh} ({region.Lon}, {region.Lat}) is not inside its boundary");
        }
        foreach (var (r, f) in Unpack(data.Regions))
            Check(r.Level != "district" || seen.Contains(r.Adcode), f, r.Adcode,
                $"district {r.Name.Zh} has no boundary in db/data/{Boundaries.Folder}; every district needs one");
    }

    /// <summary>
    /// db/releases.json: newest first; each note names a distinct dataVersion (16 lowercase hex
    /// digits), is dated with a real ISO day, has a bilingual summary and the three lists
    /// (added, corrected, removed; empty when there is nothing to say), each item bilingual.
    /// </summary>
    private void ValidateReleases()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        DateOnly? newer = null;
        string? newerName = null;
        for (var index = 0; index < data.Releases.Count; index++)
        {
            var (r, f) = (data.Releases[index].Row, data.Releases[index].File);
            var name = string.IsNullOrEmpty(r.DataVersion) ? $"entry {index + 1}" : r.DataVersion;
            if (string.IsNullOrEmpty(r.DataVersion)) _errors.Add($"{f}: entry {index + 1}: no dataVersion");
            else
            {
                Check(DataVersionFormat().IsMatch(r.DataVersion), f, name, $"dataVersion '{r.DataVersion}' is not 16 lowercase hexadecimal digits (as /healthz reports it)");
                Check(seen.Add(r.DataVersion), f, name, $"duplicate dataVersion '{r.DataVersion}': one note per release");
            }
            if (r.Date is null || !DateOnly.TryParseExact(r.Date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
                _errors.Add($"{f}: '{name}': date '{r.Date}' is not an ISO 8601 calendar day (2026-11-23)");
            else
            {
                Check(newer is null || date <= newer, f, name, $"dated {r.Date}, after the note above it ('{newerName}', {newer:yyyy-MM-dd}); notes are newest first");
                newer = date;
                newerName = name;
            }
            Bilingual(f, name, "summary", r.Summary, checkLanguage: false);
            foreach (var (list, field) in new[] { (r.Added, "added"), (r.Corrected, "corrected"), (r.Removed, "removed") })
            {
                if (list is null) { _errors.Add($"{f}: '{name}': no '{field}' list (write [] when there is nothing to say)"); continue; }
                for (var i = 0; i < list.Count; i++)
                {
                    Bilingual(f, name, $"{field}[{i}]", list[i], checkLanguage: false);
                    Check(list[i] is null || Math.Max(list[i]!.Zh?.Length ?? 0, list[i]!.En?.Length ?? 0) <= MaxReleaseItemLength, f, name,
                        $"{field}[{i}] is longer than {MaxReleaseItemLength} characters; keep each item to one line");
                }
            }
        }
    }

    private Dictionary<string, string>? LoadSourceTexts()
    {
        if (seedsFolder is null) return null;
        var texts = new Dictionary<string, string>();
        foreach (var s in data.Sources)
        {
            var path = Path.Combine(seedsFolder, s.Row.File);
            if (File.Exists(path)) texts[s.Row.Id] = File.ReadAllText(path);
        }
        return texts;
    }

    private HashSet<string> Ids<T>(List<Located<T>> rows, Func<T, string> id, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (row, file) in Unpack(rows))
        {
            var value = id(row);
            if (string.IsNullOrEmpty(value)) { _errors.Add($"{file}: a {what} has no id"); continue; }
            Check(Slug().IsMatch(value), file, value, $"{what} id '{value}' is not a lowercase slug");
            Check(seen.Add(value), file, value, $"duplicate {what} id '{value}'");
        }
        return seen;
    }

    private void Quote(Dictionary<string, string>? texts, string file, string id, string source, string? quote)
    {
        if (string.IsNullOrWhiteSpace(quote)) { _errors.Add($"{file}: '{id}': empty quote"); return; }
        Check(quote.Length <= MaxQuoteLength, file, id, $"quote is {quote.Length} characters; keep it to one clause or sentence");
        if (texts is not null && texts.TryGetValue(source, out var text))
            Check(text.Contains(quote, StringComparison.Ordinal), file, id, $"quote does not stand character for character in source '{source}': \"{quote}\"");
        else if (texts is null)
            // Without the texts, a quote must be one a build with the texts verified (db/quotes.verified).
            Check(verifiedQuotes?.Contains(QuoteRecord.Fingerprint(source, quote)) == true, file, id,
                $"quote was never checked against source '{source}' (it is not in db/{QuoteRecord.FileName}) and the source texts are not at hand to check it: \"{quote}\"; build once with ../shared/seeds present");
    }

    private void Ref(HashSet<string> ids, string? value, string file, string id, string field) =>
        Check(value is not null && ids.Contains(value), file, id, $"{field} '{value}' does not exist");

    /// <summary>Both languages present, and (for the data, not the release notes) each in its own language.</summary>
    private void Bilingual(string file, string id, string field, Text? text, bool checkLanguage = true)
    {
        Check(text is not null && !string.IsNullOrWhiteSpace(text.Zh) && !string.IsNullOrWhiteSpace(text.En), file, id, $"{field} needs both zh and en");
        if (checkLanguage && text is not null)
            foreach (var problem in FigureRules.CheckLanguage(field, text)) _errors.Add($"{file}: '{id}': {problem}");
    }

    private void Require(string file, string id, string field, string? value) =>
        Check(!string.IsNullOrWhiteSpace(value), file, id, $"{field} is empty");

    private void Check(bool ok, string file, string id, string message)
    {
        if (!ok) _errors.Add($"{file}: '{id}': {message}");
    }

    private static IEnumerable<(T Row, string File)> Unpack<T>(List<Located<T>> rows) => rows.Select(r => (r.Row, r.File));
}
