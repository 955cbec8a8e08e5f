using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace OpenGovernanceApi.Mcp;

/// <summary>
/// What an assistant may read besides the tools: the source documents every figure is quoted from, the data
/// dictionary (the words of docs/API.md, built into the binary so the two never differ), and the prompt
/// cite_figure, which shows how to repeat a figure without losing its hedge or its citation.
/// </summary>
[McpServerResourceType]
[McpServerPromptType]
public sealed class McpResources
{
    public const string SourcesUri = "governance://sources";
    public const string DictionaryUri = "governance://data-dictionary";
    public const string ExampleStatistic = "registered-volunteers-2019-01-09-pc2019";

    [McpServerResource(UriTemplate = SourcesUri, Name = "sources", Title = "The source documents", MimeType = "application/json")]
    [Description("The five published documents every figure is quoted from: title (Chinese and English), outlet, date, speaker or author, URL where known, how an unstated date was inferred, and how many figures each gives. The same as GET /v1/sources.")]
    public static async Task<string> Sources(GovernanceDb db, IHttpContextAccessor accessor, CancellationToken cancellationToken) =>
        JsonSerializer.Serialize(await SourcesEndpoints.ListAllAsync(db, accessor.HttpContext!, cancellationToken), McpEndpoints.Json);

    [McpServerResource(UriTemplate = SourcesUri + "/{id}", Name = "source", Title = "One source document", MimeType = "application/json")]
    [Description("One source document by id (pc2016, pc2019, art2018, rpt2019, news2021): the same as GET /v1/sources/{id}.")]
    public static async Task<string> Source(GovernanceDb db, IHttpContextAccessor accessor, string id, CancellationToken cancellationToken) =>
        (await SourcesEndpoints.ListAllAsync(db, accessor.HttpContext!, cancellationToken)).FirstOrDefault(s => s.Id == id) is { } source
            ? JsonSerializer.Serialize(source, McpEndpoints.Json)
            : throw new McpProtocolException($"There is no source with id '{QueryErrors.Shorten(id)}'; {SourcesUri} lists them.", McpErrorCode.ResourceNotFound);

    [McpServerResource(UriTemplate = DictionaryUri, Name = "data-dictionary", Title = "How a figure is recorded: the data dictionary", MimeType = "text/markdown")]
    [Description("What every field of a figure means (value, valueAsWritten, comparator and the hedge words it stands for, kind, period, quote, conflicts, citation) and how a goal's progress is judged: the sections \"A statistic\" and \"A goal and its progress\" of the API's contract, docs/API.md.")]
    public static string DataDictionary() => Dictionary.Value;

    [McpServerPrompt(Name = "cite_figure", Title = "Quote a figure with its hedge and citation")]
    [Description("How to repeat a figure of this dataset faithfully: with its hedge (近90% is \"nearly 90%\"), its period and region, the source's own words, disagreeing sources, and the citation; with a worked example from a real figure.")]
    public static async Task<GetPromptResult> CiteFigure(GovernanceDb db, IHttpContextAccessor accessor,
        [Description("Id of the figure to use as the worked example (default registered-volunteers-2019-01-09-pc2019); any id from search or get_series.")] string? id = null,
        CancellationToken cancellationToken = default)
    {
        id ??= ExampleStatistic;
        var statistic = await StatisticsEndpoints.FindAsync(db, accessor.HttpContext!, id.Trim(), cancellationToken)
            ?? throw new McpProtocolException($"There is no statistic with id '{QueryErrors.Shorten(id)}'. Find ids with the search tool.", McpErrorCode.InvalidParams);
        var f = Figure.Of(statistic);
        var text = $"""
            When you give a figure from OpenGovernanceApi (Beijing's social-governance plans):
            1. Look it up with get_statistic (find its id with search, or take it from get_series).
            2. Say it with its hedge, as `inWords` gives it: 近90% is "nearly 90%" (never "90%"), 约 or 左右 "about", 突破 or 超过 "more than",
               不少于 "at least", 以上 "or more", 不到 "less than", 不超过 "at most". An exact figure (comparator eq) has no hedge word.
            3. Say the period and the region. A `target` is a plan's aim with a deadline, not an achievement; a `norm` is a rule a document sets.
            4. When you quote the source, quote `quote` character for character, in Chinese, in quotation marks; translate it apart if needed.
            5. If `conflicting` lists figures, say that another source gives another figure, and which.
            6. End with the citation exactly as the tool gives it (`citation.en`, or `citation.zh` for a Chinese reader).

            Example, {f.Id}:
            According to "{f.Source.Title.En}" ({f.Source.PublishedOn}), {f.Indicator.Name.En} in {f.Region.Name.En}, {f.Period}: {f.InWords.En} (“{f.Quote}”).
            Citation: {f.Citation.En}

            中文示例:据《{f.Source.Title.Zh}》({f.Source.PublishedOn}),截至{f.Period},{f.Region.Name.Zh}{f.Indicator.Name.Zh}{f.InWords.Zh}(原文:“{f.Quote}”)。
            引用:{f.Citation.Zh}
            """;
        return new GetPromptResult
        {
            Description = $"Cite a figure with its hedge and citation (example: {f.Id}).",
            Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = text } }],
        };
    }

    /// <summary>The sections of docs/API.md (embedded at build) that say what a figure and a goal's progress are.</summary>
    private static readonly Lazy<string> Dictionary = new(() =>
    {
        using var stream = typeof(McpResources).Assembly.GetManifestResourceStream("API.md")!;
        var markdown = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        var sections = new StringBuilder("""
            # OpenGovernanceApi: the data dictionary

            The tools answer these records (get_statistic's `statistic` is a statistic as below, with `hedge`, the hedge in English
            words, `inWords`, the whole figure in words in both languages, and `json`, its URL on /v1; goal_progress answers goals).
            """).AppendLine().AppendLine();
        foreach (var heading in new[] { "## A statistic", "## A goal and its progress" })
        {
            var start = markdown.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
            var end = markdown.IndexOf("\n## ", start + heading.Length + 2, StringComparison.Ordinal);
            sections.AppendLine(markdown[(start + 1)..(end < 0 ? markdown.Length : end)].Trim()).AppendLine();
        }
        return sections.ToString().TrimEnd() + "\n";
    });
}
