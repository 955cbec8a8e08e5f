namespace OpenGovernanceApi.Api;

/// <summary>The topics indicators are grouped by (社区工作者, 志愿服务 …), each with its indicators linked.</summary>
public static class TopicsEndpoints
{
    public static IEndpointRouteBuilder MapTopicsEndpoints(this IEndpointRouteBuilder v1)
    {
        var topics = v1.MapGroup("/topics").WithTag("Topics", "The topics indicators are grouped by, each with its indicators.");

        topics.MapGet("", ListTopics)
            .WithMetadata(new IndexedCollection("topics"))
            .WithName("ListTopics")
            .WithSummary("List the topics")
            .WithDescription("The topics indicators are grouped by (Party building, volunteering, social work …), with how many indicators and statistics each has and a link to its indicators (`/v1/indicators?topic=`).");

        topics.MapGet("/{id}", GetTopic)
            .WithName("GetTopic")
            .WithSummary("Get one topic")
            .WithDescription("One topic by its stable id, with its counts and a link to its indicators.");
        return v1;
    }

    private const string SelectTopics = """
        SELECT t.id AS Id, t.name_zh AS NameZh, t.name_en AS NameEn,
               (SELECT count(*) FROM indicators i WHERE i.topic_id = t.id) AS IndicatorCount,
               (SELECT count(*) FROM statistics s JOIN indicators i ON i.id = s.indicator_id WHERE i.topic_id = t.id) AS StatisticCount
        FROM topics t
        """;

    public static async Task<Results<Ok<Collection<TopicResponse>>, ValidationProblem>> ListTopics(
        [AsParameters] CollectionOptions options, GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var page = PageRequest.From(options, http, db.DataVersion, "id", errors);
        if (errors.Any) return errors.ToProblem();
        await using var connection = await db.OpenAsync(cancellationToken);
        var (rows, total) = await PagedQuery.ByIdAsync<TopicRow>(connection, SelectTopics, "t.id", "1 = 1", new DynamicParameters(), page, cancellationToken);
        return TypedResults.Ok(page.ToCollection(rows.Select(r => r.ToResponse(http)).ToList(), total, http, db.DataVersion, t => (null, t.Id)));
    }

    public static Task<Results<Ok<Item<TopicResponse>>, NotFoundProblem>> GetTopic(
        [Description("Stable id of the topic, e.g. `volunteering`."), QuerySchema(Pattern = QueryErrors.SlugPattern, MaxLength = QueryErrors.MaxValueLength)] string id, [AsParameters] ItemOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken) =>
        ItemQuery.FindAsync<TopicRow, TopicResponse>(db, $"{SelectTopics} WHERE t.id = @Id", "topic", id, row => row.ToResponse(http), cancellationToken);

    private sealed class TopicRow
    {
        public string Id { get; set; } = "";
        public string NameZh { get; set; } = "";
        public string NameEn { get; set; } = "";
        public long IndicatorCount { get; set; }
        public long StatisticCount { get; set; }

        public TopicResponse ToResponse(HttpContext http) => new(Id, new LocalizedText(NameZh, NameEn), (int)IndicatorCount, (int)StatisticCount,
            new TopicLinks(ApiUrls.Absolute(http, "/v1/topics/" + Id), ApiUrls.Absolute(http, "/v1/indicators?topic=" + Id)));
    }
}

/// <summary>A topic indicators are grouped by.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Name">Name in Chinese and English.</param>
/// <param name="IndicatorCount">How many indicators it groups.</param>
/// <param name="StatisticCount">How many statistics those indicators have.</param>
/// <param name="Links">This topic, and its indicators.</param>
public sealed record TopicResponse(string Id, LocalizedText Name, int IndicatorCount, int StatisticCount, TopicLinks Links);

public sealed record TopicLinks(string Self, string Indicators);
