namespace OpenGovernanceApi.Api;

/// <summary>The 12th, 13th and 14th Five-Year plans, each with its goals and measures linked.</summary>
public static class PlansEndpoints
{
    public static IEndpointRouteBuilder MapPlansEndpoints(this IEndpointRouteBuilder v1)
    {
        var plans = v1.MapGroup("/plans").WithTag("Plans", "The 12th, 13th and 14th Five-Year plans, with their goals and measures.");

        plans.MapGet("", ListPlans)
            .WithMetadata(new IndexedCollection("plans"))
            .WithName("ListPlans")
            .WithSummary("List the Five-Year plans")
            .WithDescription("Beijing's 12th Five-Year plan for social construction and its 13th and 14th plans for social governance: period, issuer, issue date (with its quote), and the plan's goals and top-level measures.");

        plans.MapGet("/{id}", GetPlan)
            .WithName("GetPlan")
            .WithSummary("Get one plan with its goals and measures")
            .WithDescription("One plan (`12th`, `13th`, `14th`) with its goals and top-level key tasks, projects and measures, each linked.");
        return v1;
    }

    private const string SelectPlans = """
        SELECT p.id AS Id, p.kind AS Kind, p.name_zh AS NameZh, p.name_en AS NameEn, p.period_start AS PeriodStart,
               p.period_end AS PeriodEnd, p.issuer_zh AS IssuerZh, p.issuer_en AS IssuerEn, p.issued_on AS IssuedOn,
               p.source_id AS SourceId, p.quote AS Quote, p.notes_zh AS NotesZh, p.notes_en AS NotesEn
        FROM plans p
        """;

    private const string SelectGoalsOfPlans = """
        SELECT plan_id AS PlanId, id AS Id, kind AS Kind, text_zh AS Zh, text_en AS En
        FROM goals WHERE plan_id IN @Ids ORDER BY plan_id, parent_id IS NOT NULL, ordinal, id
        """;

    private const string SelectTopMeasuresOfPlans = """
        SELECT plan_id AS PlanId, id AS Id, kind AS Kind, name_zh AS Zh, name_en AS En
        FROM measures WHERE plan_id IN @Ids AND parent_id IS NULL ORDER BY plan_id, ordinal, id
        """;

    public static async Task<Results<Ok<Collection<PlanResponse>>, ValidationProblem>> ListPlans(
        [AsParameters] CollectionOptions options, GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var page = PageRequest.From(options, http, db.DataVersion, "id", errors);
        if (errors.Any) return errors.ToProblem();
        await using var connection = await db.OpenAsync(cancellationToken);
        var (rows, total) = await PagedQuery.ByIdAsync<PlanRow>(connection, SelectPlans, "p.id", "1 = 1", new DynamicParameters(), page, cancellationToken);
        var data = await ToResponses(connection, rows, http, cancellationToken);
        return TypedResults.Ok(page.ToCollection(data, total, http, db.DataVersion, p => (null, p.Id)));
    }

    public static Task<Results<Ok<Item<PlanResponse>>, NotFoundProblem>> GetPlan(
        [Description("Plan id: `12th`, `13th` or `14th`."), QuerySchema(Pattern = QueryErrors.SlugPattern, MaxLength = QueryErrors.MaxValueLength)] string id, [AsParameters] ItemOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken) =>
        ItemQuery.FindAsync<PlanRow, PlanResponse>(db, $"{SelectPlans} WHERE p.id = @Id", "plan", id,
            async (connection, row) => (await ToResponses(connection, [row], http, cancellationToken))[0], cancellationToken);

    private static async Task<List<PlanResponse>> ToResponses(Microsoft.Data.Sqlite.SqliteConnection connection, List<PlanRow> rows, HttpContext http, CancellationToken cancellationToken)
    {
        var ids = new { Ids = rows.Select(r => r.Id).ToList() };
        var goals = (await connection.QueryAsync<ChildRow>(new CommandDefinition(SelectGoalsOfPlans, ids, cancellationToken: cancellationToken))).ToLookup(g => g.PlanId);
        var measures = (await connection.QueryAsync<ChildRow>(new CommandDefinition(SelectTopMeasuresOfPlans, ids, cancellationToken: cancellationToken))).ToLookup(m => m.PlanId);
        return rows.Select(r => new PlanResponse(r.Id, r.Kind, new LocalizedText(r.NameZh, r.NameEn), r.PeriodStart, r.PeriodEnd,
            LocalizedText.From(r.IssuerZh, r.IssuerEn), r.IssuedOn, r.SourceId, r.Quote, LocalizedText.From(r.NotesZh, r.NotesEn),
            goals[r.Id].Select(g => new LinkedItem(g.Id, g.Kind, new LocalizedText(g.Zh, g.En), ApiUrls.Absolute(http, "/v1/goals/" + g.Id))).ToList(),
            measures[r.Id].Select(m => new LinkedItem(m.Id, m.Kind, new LocalizedText(m.Zh, m.En), ApiUrls.Absolute(http, "/v1/measures/" + m.Id))).ToList(),
            new PlanLinks(ApiUrls.Absolute(http, "/v1/plans/" + r.Id), ApiUrls.Absolute(http, "/v1/goals?plan=" + r.Id),
                ApiUrls.Absolute(http, "/v1/measures?plan=" + r.Id), ApiUrls.Absolute(http, "/v1/statistics?plan=" + r.Id)))).ToList();
    }

    private sealed class PlanRow
    {
        public string Id { get; set; } = "";
        public string Kind { get; set; } = "";
        public string NameZh { get; set; } = "";
        public string NameEn { get; set; } = "";
        public string PeriodStart { get; set; } = "";
        public string PeriodEnd { get; set; } = "";
        public string? IssuerZh { get; set; }
        public string? IssuerEn { get; set; }
        public string? IssuedOn { get; set; }
        public string SourceId { get; set; } = "";
        public string Quote { get; set; } = "";
        public string? NotesZh { get; set; }
        public string? NotesEn { get; set; }
    }

    private sealed class ChildRow
    {
        public string PlanId { get; set; } = "";
        public string Id { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Zh { get; set; } = "";
        public string En { get; set; } = "";
    }
}

/// <summary>A Five-Year plan.</summary>
/// <param name="Id">`12th`, `13th` or `14th`.</param>
/// <param name="Kind">`social-construction` (12th) or `social-governance` (13th, 14th).</param>
/// <param name="Name">Official title in Chinese, with an English translation.</param>
/// <param name="PeriodStart">First year of the plan.</param>
/// <param name="PeriodEnd">Last year of the plan (its targets' deadline).</param>
/// <param name="Issuer">Who issued it.</param>
/// <param name="IssuedOn">When it was issued, as precisely as the sources say.</param>
/// <param name="Source">The source document that states the issue.</param>
/// <param name="Quote">The sentence of that source.</param>
/// <param name="Notes">How the date was established.</param>
/// <param name="Goals">The plan's goals, top-level first.</param>
/// <param name="Measures">The plan's top-level key tasks and measures (projects sit under them; see /v1/measures).</param>
/// <param name="Links">This plan and its goals, measures and statistics.</param>
public sealed record PlanResponse(string Id, string Kind, LocalizedText Name, string PeriodStart, string PeriodEnd, LocalizedText? Issuer,
    string? IssuedOn, string Source, string Quote, LocalizedText? Notes, IReadOnlyList<LinkedItem> Goals, IReadOnlyList<LinkedItem> Measures, PlanLinks Links);

/// <summary>A goal or measure as a plan lists it.</summary>
public sealed record LinkedItem(string Id, string Kind, LocalizedText Name, string Href);

public sealed record PlanLinks(string Self, string Goals, string Measures, string Statistics);
