using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using OpenGovernanceApi.Search;

namespace OpenGovernanceApi.Api;

/// <summary>One search over statistics, goals, measures, indicators and sources, in Chinese or English.</summary>
public static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearchEndpoints(this IEndpointRouteBuilder v1)
    {
        v1.MapGet("/search", Search)
            .WithTag("Search", "One full-text search over everything, in Chinese or English.")
            .WithName("Search")
            .WithSummary("Search everything, in Chinese or English")
            .WithDescription("""
                Full-text search (SQLite FTS5) over statistics (quotes, indicator and region names), goals, measures, indicators and
                sources, ranked by relevance (BM25): a word in what a hit is about (an indicator's name, the clause that states the
                figure, a goal's text, a measure's name) ranks well above a mention in passing. The matched words are marked
                `<mark>…</mark>` in a snippet. Chinese is indexed as character pairs, so two-character words match exactly (社工, 党建,
                养老, 网格); a word with a synonym in the dataset's reviewed table also finds it (社工 finds 社会工作, 党建 finds
                党的建设); English words match by prefix ("volunteer" finds "volunteers"); numbers match as written ("426.7").
                Several words: all must match.
                Narrow with `type` (statistics, goals, measures, indicators, sources).
                """);
        return v1;
    }

    /// <summary>Parameters of /v1/search.</summary>
    public sealed class SearchParameters
    {
        /// <summary>What to look for: Chinese or English words, or a number as written. Required, at most 200 characters.</summary>
        /// <example>党建</example>
        [Required, QuerySchema(MinLength = 1, MaxLength = QueryErrors.MaxSearchLength), FromQuery(Name = "q")] public string? Q { get; init; }

        /// <summary>Only these kinds of result: statistics, goals, measures, indicators, sources (any of them).</summary>
        [QuerySchema(Enum = new[] { "statistics", "goals", "measures", "indicators", "sources" }), FromQuery(Name = "type")] public string[]? Type { get; init; }
    }

    public static readonly string[] Types = QuerySchemaAttribute.EnumOf<SearchParameters>(nameof(SearchParameters.Type));

    public static async Task<Results<Ok<Collection<SearchHit>>, ValidationProblem>> Search(
        [AsParameters] SearchParameters parameters, [AsParameters] CollectionOptions options,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new QueryErrors();
        var request = SearchRequest.From(parameters.Q, parameters.Type, db, errors);
        var page = PageRequest.From(options, http, db.DataVersion, "relevance", errors);
        if (errors.Any) return errors.ToProblem();

        // Ranked results have no stable key to seek from; the data never changes within a release, so the cursor holds an offset.
        var offset = page.After?.Key is { } key && int.TryParse(key, CultureInfo.InvariantCulture, out var o) && o >= 0 ? o : 0;
        var (hits, total) = await RankAsync(request!, page.SqlLimit, offset, db, http, cancellationToken);
        return TypedResults.Ok(page.ToCollection(hits, total, http, db.DataVersion,
            h => ((h.Rank).ToString(CultureInfo.InvariantCulture), h.Id)));
    }

    /// <summary>What a search asks for, checked: the words as given, the full-text expression they make, the words to mark in snippets, and the types.</summary>
    public sealed record SearchRequest(string Query, string Match, IReadOnlyList<string> Terms, IReadOnlyList<string> Types)
    {
        public const int MaxQueryLength = QueryErrors.MaxSearchLength;

        /// <summary>Null after recording in `errors` what is wrong with `q` or `type`, under the names the caller gives them.</summary>
        public static SearchRequest? From(string? q, string[]? type, GovernanceDb db, QueryErrors errors, string qName = "q", string typeName = "type")
        {
            string? match = null;
            if (string.IsNullOrWhiteSpace(q)) errors.Add(qName, "is required: the words to search for.");
            else if (q.Length > MaxQueryLength) errors.Add(qName, $"is longer than {MaxQueryLength} characters.");
            else if ((match = SearchTerms.ToMatchExpression(q, db.Synonyms)) is null) errors.Add(qName, "has no word to search for (letters, digits or Chinese characters).");
            var types = errors.List(type, typeName, QueryErrors.Slug(), "type", SearchEndpoints.Types);
            if (match is null || errors.Any) return null;
            var terms = SearchTerms.ParseQuery(q!).SelectMany(t => SearchTerms.Alternatives(t.Text, db.Synonyms)).ToList();
            return new SearchRequest(q!, match, terms, types);
        }
    }

    /// <summary>One ranked hit, its snippet as text and marked words (the API writes it as HTML, a page renders it).</summary>
    public sealed record FoundHit(string Type, string Id, LocalizedText Title, IReadOnlyList<SnippetPart> Snippet, double Score, int Rank);

    /// <summary>A piece of a snippet: plain text, or a matched word.</summary>
    public readonly record struct SnippetPart(string Text, bool Marked);

    public sealed record SearchResults(int Total, IReadOnlyList<FoundHit> Hits);

    /// <summary>
    /// Hits `offset + 1` to `offset + limit` of the ranking as the API writes them, and how many match in all:
    /// the search behind /v1/search and the MCP tool `search`.
    /// </summary>
    public static async Task<(IReadOnlyList<SearchHit> Hits, int Total)> RankAsync(SearchRequest request, int limit, int offset,
        GovernanceDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await FindAsync(db, request, limit, offset, cancellationToken);
        var hits = found.Hits.Select(h => new SearchHit(h.Type, h.Id, h.Title, MarkedHtml(h.Snippet), h.Score,
            ApiUrls.Absolute(http, $"/v1/{h.Type}/{Uri.EscapeDataString(h.Id)}"), h.Rank)).ToList();
        return (hits, found.Total);
    }

    /// <summary>The search itself, shared by the API, MCP and the search page: `limit` hits from `offset`, ranked, and the total.</summary>
    public static async Task<SearchResults> FindAsync(GovernanceDb db, SearchRequest request, int limit, int offset, CancellationToken cancellationToken)
    {
        var where = "search_index MATCH @Match" + (request.Types.Count > 0 ? " AND resource IN @Types" : "");
        var sqlParameters = new { request.Match, request.Types, Limit = limit, Offset = offset };
        await using var connection = await db.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT count(*) FROM search_index WHERE {where}", sqlParameters, cancellationToken: cancellationToken));
        // Ranked on rowid and score alone, then the page's rows read by rowid: sorting every match with its
        // text is what made a common word slow on a large database (39 ms -> 11 ms for 8 000 matches).
        // Ties keep rowid order, which the build makes the order of (resource, id).
        var rows = (await connection.QueryAsync<HitRow>(new CommandDefinition(
            $"""
            SELECT s.resource AS Resource, s.id AS Id, s.title_zh AS TitleZh, s.title_en AS TitleEn, s.text AS Text, ranked.Score
            FROM (SELECT rowid AS hit, bm25(search_index, {RankWeights}) AS Score FROM search_index WHERE {where}
                  ORDER BY Score, rowid LIMIT @Limit OFFSET @Offset) AS ranked
            JOIN search_index s ON s.rowid = ranked.hit
            ORDER BY ranked.Score, ranked.hit
            """, sqlParameters, cancellationToken: cancellationToken))).ToList();
        var hits = rows.Select((r, i) => new FoundHit(r.Resource, r.Id, new LocalizedText(r.TitleZh ?? r.Id, r.TitleEn ?? r.Id),
            Snippet(r.Text, request.Terms), Math.Round(-r.Score, 4), offset + i + 1)).ToList();
        return new SearchResults(total, hits);
    }

    /// <summary>
    /// BM25 weights of the index's columns, in order (resource, id, title_zh, title_en, text, head_bigrams,
    /// head_unigrams, bigrams, unigrams): a word in what a hit is about (an indicator's name, the clause that
    /// states the figure) counts ten times a mention in passing elsewhere in its quote.
    /// </summary>
    private const string RankWeights = "0, 0, 0, 0, 0, 10.0, 10.0, 1.0, 1.0";

    /// <summary>A snippet as the API writes it: matched words in &lt;mark&gt;, all text HTML-escaped.</summary>
    public static string MarkedHtml(IReadOnlyList<SnippetPart> parts)
    {
        var html = new StringBuilder();
        foreach (var part in parts)
            if (part.Marked) html.Append("<mark>").Append(Escape(part.Text)).Append("</mark>");
            else html.Append(Escape(part.Text));
        return html.ToString();
    }

    /// <summary>The text around the first match (40 characters before, 120 after, "…" where cut), in plain and matched pieces.</summary>
    public static IReadOnlyList<SnippetPart> Snippet(string text, IReadOnlyList<string> terms)
    {
        var flat = text.Replace(" \n ", " | ");
        var matches = new List<(int Start, int Length)>();
        foreach (var term in terms.Where(t => t.Length > 0))
        {
            var at = 0;
            while ((at = flat.IndexOf(term, at, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                matches.Add((at, term.Length));
                at += term.Length;
            }
        }
        matches = matches.OrderBy(m => m.Start).ThenByDescending(m => m.Length).ToList();
        var first = matches.Count > 0 ? matches[0].Start : 0;
        var start = Math.Max(0, first - 40);
        var end = Math.Min(flat.Length, first + 120);
        var parts = new List<SnippetPart>();
        var plain = new StringBuilder(start > 0 ? "…" : "");
        var position = start;
        foreach (var (s, length) in matches)
        {
            if (s < position || s + length > end) continue;
            plain.Append(flat[position..s]);
            if (plain.Length > 0) parts.Add(new SnippetPart(plain.ToString(), false));
            plain.Clear();
            parts.Add(new SnippetPart(flat.Substring(s, length), true));
            position = s + length;
        }
        plain.Append(flat[position..end]);
        if (end < flat.Length) plain.Append('…');
        if (plain.Length > 0) parts.Add(new SnippetPart(plain.ToString(), false));
        return parts;
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private sealed class HitRow
    {
        public string Resource { get; set; } = "";
        public string Id { get; set; } = "";
        public string? TitleZh { get; set; }
        public string? TitleEn { get; set; }
        public string Text { get; set; } = "";
        public double Score { get; set; }
    }
}

/// <summary>One search result.</summary>
/// <param name="Type">statistics, goals, measures, indicators or sources.</param>
/// <param name="Id">Id of the result within its type.</param>
/// <param name="Title">What the result is, in Chinese and English.</param>
/// <param name="Snippet">The matched text around the first hit, query words in &lt;mark&gt;…&lt;/mark&gt;, other text HTML-escaped.</param>
/// <param name="Score">Relevance (higher is better; BM25).</param>
/// <param name="Href">URL of the result.</param>
/// <param name="Rank">Position in the whole ranking, from 1.</param>
public sealed record SearchHit(string Type, string Id, LocalizedText Title, string Snippet, double Score, string Href, int Rank);
