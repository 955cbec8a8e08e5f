namespace OpenGovernanceApi.Api;

/// <summary>Key tasks, projects (工程), measures (措施) and programmes of the plans and policy documents, in their hierarchy.</summary>
public static class MeasuresEndpoints
{
    public static IEndpointRouteBuilder MapMeasuresEndpoints(this IEndpointRouteBuilder v1)
    {
        var measures = v1.MapGroup("/measures").WithTag("Measures", "Key tasks, projects (工程) and measures (措施), in their hierarchy.");

        measures.MapGet("", ListMeasures)
            .WithMetadata(new IndexedCollection("measures"))
            .WithName("ListMeasures")
            .WithSummary("List key tasks, projects and measures")
            .WithDescription("""
                What the plans and policy documents commit to do, in their hierarchy: key tasks, the ten projects of the 14th plan
                under its second key task, the concrete measures under each project, the five safeguard measures of the 13th plan,
                the tasks of a policy such as the 2015 Opinion on deepening social-governance reform (`policy`, an event id), and
                programmes and pilots the sources name. Each names its parent, its children and the goals and targets it states
                (`goals`). Filter by `plan` (`none`: outside any plan), `parent` (`none` for top level) and `kind` (key-task,
                project, measure, principle, programme).
                """);

        measures.MapGet("/{id}", GetMeasure)
            .WithName("GetMeasure")
            .WithSummary("Get one measure with its parent and children")
            .WithDescription("One key task, project, measure or programme with its quote, its parent, its children and the goals and targets it states.");
        return v1;
    }

    /// <summary>Filters of /v1/measures.</summary>
    public sealed class MeasureFilters
    {
        /// <summary>Plan id(s): `12th`, `13th`, `14th`; `none` for measures outside any plan (a policy's tasks, a programme).</summary>
        [QuerySchema(Pattern = QueryErrors.SlugPattern), FromQuery(Name = "plan")] public string[]? Plan { get; init; }

        /// <summary>Parent measure id(s); `none` for the top level.</summary>
        [QuerySchema(Pattern = QueryErrors.SlugPattern), FromQuery(Name = "parent")] public string[]? Parent { get; init; }

        /// <summary>`key-task`, `project`, `measure`, `principle` or `programme` (a named programme, pilot or training scheme).</summary>
        [QuerySchema(Enum = new[] { "key-task", "project", "measure", "principle", "programme" }), FromQuery(Name = "kind")] public string[]? Kind { get; init; }
    }

    private static readonly string[] Kinds = QuerySchemaAttribute.EnumOf<MeasureFilters>(nameof(MeasureFilters.Kind));

    private const string SelectMeasures = """
        SELECT m.id AS Id, m.plan_id AS PlanId, m.policy_id AS PolicyId, m.parent_id AS ParentId, m.kind AS Kind, m.ordinal AS Ordinal,
               m.name_zh AS NameZh, m.name_en AS NameEn, m.description_zh AS DescriptionZh, m.description_en AS DescriptionEn,
               m.source_id AS SourceId, m.quote AS Quote
        FROM measures m
        """;

    private const string SelectChildren = """
        SELECT parent_id AS ParentId, id AS Id, kind AS Kind, name_zh AS Zh, name_en AS En
        FROM measures WHERE parent_id IN @Ids ORDER BY parent_id, ordinal, id
        """;

    private const string SelectGoals = """
        SELECT measure_id AS ParentId, id AS Id, kind AS Kind, text_zh AS Zh, text_en AS En
        FROM goals WHERE measure_id IN @Ids ORDER BY measure_id, ordinal, id
        """;

    public static async Task<Results<Ok<Collection<MeasureResponse>>, ValidationProblem>> ListMeasures(
        [AsParameters] MeasureFilters filters, [AsParameters] CollectionOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var plans = errors.List(filters.Plan, "plan", QueryErrors.Slug(), "plan id or 'none'");
        var parents = errors.List(filters.Parent, "parent", QueryErrors.Slug(), "measure id or 'none'");
        var kinds = errors.List(filters.Kind, "kind", QueryErrors.Slug(), "kind", Kinds);
        var page = PageRequest.From(options, http, db.DataVersion, "id", errors);
        if (errors.Any) return errors.ToProblem();

        var where = new List<string> { "1 = 1" };
        if (plans.Count > 0) where.Add(plans.Contains("none") ? "(m.plan_id IS NULL OR m.plan_id IN @Plans)" : "m.plan_id IN @Plans");
        if (parents.Count > 0) where.Add(parents.Contains("none") ? "(m.parent_id IS NULL OR m.parent_id IN @Parents)" : "m.parent_id IN @Parents");
        if (kinds.Count > 0) where.Add("m.kind IN @Kinds");
        await using var connection = await db.OpenAsync(cancellationToken);
        var (rows, total) = await PagedQuery.ByIdAsync<MeasureRow>(connection, SelectMeasures, "m.id", string.Join(" AND ", where),
            new DynamicParameters(new { Plans = plans, Parents = parents, Kinds = kinds }), page, cancellationToken);
        var data = await ToResponses(connection, rows, http, cancellationToken);
        return TypedResults.Ok(page.ToCollection(data, total, http, db.DataVersion, m => (null, m.Id)));
    }

    public static Task<Results<Ok<Item<MeasureResponse>>, NotFoundProblem>> GetMeasure(
        [Description("Stable id of the measure."), QuerySchema(Pattern = QueryErrors.SlugPattern, MaxLength = QueryErrors.MaxValueLength)] string id, [AsParameters] ItemOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken) =>
        ItemQuery.FindAsync<MeasureRow, MeasureResponse>(db, $"{SelectMeasures} WHERE m.id = @Id", "measure", id,
            async (connection, row) => (await ToResponses(connection, [row], http, cancellationToken))[0], cancellationToken);

    private static async Task<List<MeasureResponse>> ToResponses(Microsoft.Data.Sqlite.SqliteConnection connection, List<MeasureRow> rows, HttpContext http, CancellationToken cancellationToken)
    {
        var ids = new { Ids = rows.Select(r => r.Id).ToList() };
        var children = (await connection.QueryAsync<ChildRow>(new CommandDefinition(SelectChildren, ids, cancellationToken: cancellationToken))).ToLookup(c => c.ParentId);
        var goals = (await connection.QueryAsync<ChildRow>(new CommandDefinition(SelectGoals, ids, cancellationToken: cancellationToken))).ToLookup(c => c.ParentId);
        string Url(string id) => ApiUrls.Absolute(http, "/v1/measures/" + id);
        string GoalUrl(string id) => ApiUrls.Absolute(http, "/v1/goals/" + id);
        return rows.Select(r => new MeasureResponse(r.Id, r.PlanId, r.PolicyId, r.ParentId, r.Kind, (int)r.Ordinal, new LocalizedText(r.NameZh, r.NameEn),
            LocalizedText.From(r.DescriptionZh, r.DescriptionEn), r.SourceId, r.Quote,
            children[r.Id].Select(c => new LinkedItem(c.Id, c.Kind, new LocalizedText(c.Zh, c.En), Url(c.Id))).ToList(),
            goals[r.Id].Select(g => new LinkedItem(g.Id, g.Kind, new LocalizedText(g.Zh, g.En), GoalUrl(g.Id))).ToList(),
            new MeasureLinks(Url(r.Id), r.PlanId is null ? null : ApiUrls.Absolute(http, "/v1/plans/" + r.PlanId),
                r.PolicyId is null ? null : ApiUrls.Absolute(http, "/v1/events/" + r.PolicyId), r.ParentId is null ? null : Url(r.ParentId)))).ToList();
    }

    private sealed class MeasureRow
    {
        public string Id { get; set; } = "";
        public string? PlanId { get; set; }
        public string? PolicyId { get; set; }
        public string? ParentId { get; set; }
        public string Kind { get; set; } = "";
        public long Ordinal { get; set; }
        public string NameZh { get; set; } = "";
        public string NameEn { get; set; } = "";
        public string? DescriptionZh { get; set; }
        public string? DescriptionEn { get; set; }
        public string SourceId { get; set; } = "";
        public string Quote { get; set; } = "";
    }

    private sealed class ChildRow
    {
        public string ParentId { get; set; } = "";
        public string Id { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Zh { get; set; } = "";
        public string En { get; set; } = "";
    }
}

/// <summary>A key task, project, measure or programme of a plan or a policy document.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Plan">The plan: `12th`, `13th`, `14th`; null for a policy's task or a programme outside any plan.</param>
/// <param name="Policy">The policy document (an event id, see /v1/events) whose task this is, or null.</param>
/// <param name="Parent">Id of the task or project it belongs to, or null at the top level.</param>
/// <param name="Kind">`key-task`, `project` (工程), `measure` (措施), `principle` or `programme` (a named programme, pilot or training scheme).</param>
/// <param name="Ordinal">Position among its siblings, as in the source.</param>
/// <param name="Name">Name in Chinese (as in the source) and English.</param>
/// <param name="Description">More detail, when the source gives it.</param>
/// <param name="Source">Source document id.</param>
/// <param name="Quote">The exact sentence of the source.</param>
/// <param name="Children">The measures under it, in order.</param>
/// <param name="Goals">The goals and targets it states (those whose `measure` is this one), in order.</param>
/// <param name="Links">This measure, its plan or policy, its parent.</param>
public sealed record MeasureResponse(string Id, string? Plan, string? Policy, string? Parent, string Kind, int Ordinal, LocalizedText Name, LocalizedText? Description,
    string Source, string Quote, IReadOnlyList<LinkedItem> Children, IReadOnlyList<LinkedItem> Goals, MeasureLinks Links);

public sealed record MeasureLinks(string Self, string? Plan, string? Policy, string? Parent);
