namespace OpenGovernanceApi.Api;

/// <summary>A timeline: policy documents, standards and milestones the sources name, with dates.</summary>
public static class EventsEndpoints
{
    public static IEndpointRouteBuilder MapEventsEndpoints(this IEndpointRouteBuilder v1)
    {
        var events = v1.MapGroup("/events").WithTag("Events", "A timeline of policies, standards and milestones named in the sources.");

        events.MapGet("", ListEvents)
            .WithMetadata(new IndexedCollection("events"))
            .WithName("ListEvents")
            .WithSummary("Timeline of policies and milestones")
            .WithDescription("Policy documents, standards, plans and milestones named in the sources (an opinion issued in 2015-08, a wage rule effective 2018-01-01 …), in date order, each with its quote. Filter by `kind`, `region`, `from`, `to`.");

        events.MapGet("/{id}", GetEvent)
            .WithName("GetEvent")
            .WithSummary("Get one event")
            .WithDescription("One policy document or milestone with its date, issuer, quote and source.");
        return v1;
    }

    /// <summary>Filters of /v1/events.</summary>
    public sealed class EventFilters
    {
        /// <summary>`policy`, `standard`, `plan`, `milestone` or `law`.</summary>
        [QuerySchema(Enum = new[] { "policy", "standard", "plan", "milestone", "law" }), FromQuery(Name = "kind")] public string[]? Kind { get; init; }

        /// <summary>Region adcode(s).</summary>
        [QuerySchema(Pattern = QueryErrors.AdcodePattern, MaxLength = QueryErrors.AdcodeLength), FromQuery(Name = "region")] public string[]? Region { get; init; }

        /// <summary>Earliest date, ISO 8601, inclusive.</summary>
        [QuerySchema(Pattern = QueryErrors.PeriodPattern, MaxLength = QueryErrors.MaxPeriodLength), FromQuery(Name = "from")] public string? From { get; init; }

        /// <summary>Latest date, inclusive of everything within it (`to=2018` includes `2018-10`).</summary>
        [QuerySchema(Pattern = QueryErrors.PeriodPattern, MaxLength = QueryErrors.MaxPeriodLength), FromQuery(Name = "to")] public string? To { get; init; }
    }

    private static readonly string[] Kinds = QuerySchemaAttribute.EnumOf<EventFilters>(nameof(EventFilters.Kind));

    private const string SelectEvents = """
        SELECT e.id AS Id, e.kind AS Kind, e.date AS Date, e.title_zh AS TitleZh, e.title_en AS TitleEn,
               e.issuer_zh AS IssuerZh, e.issuer_en AS IssuerEn, e.region_adcode AS Region, e.source_id AS SourceId,
               e.quote AS Quote, e.notes_zh AS NotesZh, e.notes_en AS NotesEn
        FROM events e
        """;

    public static async Task<Results<Ok<Collection<EventResponse>>, ValidationProblem>> ListEvents(
        [AsParameters] EventFilters filters, [AsParameters] CollectionOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var kinds = errors.List(filters.Kind, "kind", QueryErrors.Slug(), "kind", Kinds);
        var regions = errors.List(filters.Region, "region", QueryErrors.Adcode(), "adcode (110000, 110105 …)");
        var from = errors.Period(filters.From, "from");
        var to = errors.Period(filters.To, "to");
        var page = PageRequest.From(options, http, db.DataVersion, "date", errors);
        if (errors.Any) return errors.ToProblem();

        var where = new List<string> { "1 = 1" };
        if (kinds.Count > 0) where.Add("e.kind IN @Kinds");
        if (regions.Count > 0) where.Add("e.region_adcode IN @Regions");
        if (from is not null) where.Add("e.date >= @From");
        if (to is not null) where.Add("e.date < @ToEnd");
        var condition = string.Join(" AND ", where);
        var parameters = new DynamicParameters(new
        {
            Kinds = kinds, Regions = regions, From = from, ToEnd = to is null ? null : QueryErrors.PeriodEnd(to),
            AfterKey = page.After?.Key, AfterId = page.After?.Id, Limit = page.SqlLimit,
        });
        await using var connection = await db.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT count(*) FROM events e WHERE {condition}", parameters, cancellationToken: cancellationToken));
        var rows = (await connection.QueryAsync<EventRow>(new CommandDefinition(
            $"{SelectEvents} WHERE {condition} AND (@AfterId IS NULL OR e.date > @AfterKey OR (e.date = @AfterKey AND e.id > @AfterId)) " +
            "ORDER BY e.date, e.id LIMIT @Limit", parameters, cancellationToken: cancellationToken))).ToList();
        return TypedResults.Ok(page.ToCollection(rows.Select(r => r.ToResponse(http)).ToList(), total, http, db.DataVersion, e => (e.Date, e.Id)));
    }

    public static Task<Results<Ok<Item<EventResponse>>, NotFoundProblem>> GetEvent(
        [Description("Stable id of the event."), QuerySchema(Pattern = QueryErrors.SlugPattern, MaxLength = QueryErrors.MaxValueLength)] string id, [AsParameters] ItemOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken) =>
        ItemQuery.FindAsync<EventRow, EventResponse>(db, $"{SelectEvents} WHERE e.id = @Id", "event", id, row => row.ToResponse(http), cancellationToken);

    private sealed class EventRow
    {
        public string Id { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Date { get; set; } = "";
        public string TitleZh { get; set; } = "";
        public string TitleEn { get; set; } = "";
        public string? IssuerZh { get; set; }
        public string? IssuerEn { get; set; }
        public string? Region { get; set; }
        public string SourceId { get; set; } = "";
        public string Quote { get; set; } = "";
        public string? NotesZh { get; set; }
        public string? NotesEn { get; set; }

        public EventResponse ToResponse(HttpContext http) => new(Id, Kind, Date, new LocalizedText(TitleZh, TitleEn),
            LocalizedText.From(IssuerZh, IssuerEn), Region, SourceId, Quote, LocalizedText.From(NotesZh, NotesEn),
            new SelfLink(ApiUrls.Absolute(http, "/v1/events/" + Id)));
    }
}

/// <summary>A policy document, standard, plan or milestone, dated.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Kind">`policy`, `standard`, `plan`, `milestone` or `law`.</param>
/// <param name="Date">When, ISO 8601 of the precision known.</param>
/// <param name="Title">What, in Chinese (as in the source) and English.</param>
/// <param name="Issuer">Who issued it, when named.</param>
/// <param name="Region">Adcode it concerns (110000 for the whole city), or null for a national event (a law of the National People's Congress).</param>
/// <param name="Source">Source document id.</param>
/// <param name="Quote">The exact sentence of the source.</param>
/// <param name="Notes">How the date was established, when not stated outright.</param>
/// <param name="Links">This event.</param>
public sealed record EventResponse(string Id, string Kind, string Date, LocalizedText Title, LocalizedText? Issuer, string? Region,
    string Source, string Quote, LocalizedText? Notes, SelfLink Links);
