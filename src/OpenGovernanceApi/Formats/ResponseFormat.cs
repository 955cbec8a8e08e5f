using Microsoft.Net.Http.Headers;

namespace OpenGovernanceApi.Formats;

/// <summary>
/// Which representation a client asked for: `?format=` wins, then the Accept header.
/// Negotiated once per request by the response-shaping filter, which hands it on as a typed
/// feature of the request (<see cref="NegotiatedFormat"/>) to the paging (a CSV holds every row).
/// </summary>
public enum ResponseFormat { Json, Csv, GeoJson, Svg }

/// <summary>The format the response-shaping filter chose for this request.</summary>
public sealed record NegotiatedFormat(ResponseFormat Format);

public static class ResponseFormatNegotiation
{
    public const string CsvMediaType = "text/csv";
    public const string GeoJsonMediaType = "application/geo+json";
    public const string SvgMediaType = "image/svg+xml";

    public static ResponseFormat Of(HttpContext http) => http.Features.Get<NegotiatedFormat>()?.Format ?? ResponseFormat.Json;

    /// <summary>
    /// Decides the format from the bound `format` parameter (null where the operation takes none) and the
    /// Accept header, or returns the problem to answer instead (400 for a bad `format`, 406 for an Accept we cannot meet).
    /// </summary>
    public static IResult? Negotiate(HttpContext http, string? format, bool geoJsonAvailable, bool svgAvailable = false)
    {
        string[] allowed = ["json", "csv", .. geoJsonAvailable ? new[] { "geojson" } : [], .. svgAvailable ? new[] { "svg" } : []];
        ResponseFormat? chosen = null;
        if (!string.IsNullOrEmpty(format))
        {
            chosen = format switch
            {
                "json" => ResponseFormat.Json,
                "csv" => ResponseFormat.Csv,
                "geojson" when geoJsonAvailable => ResponseFormat.GeoJson,
                "svg" when svgAvailable => ResponseFormat.Svg,
                _ => null,
            };
            if (chosen is null)
            {
                var errors = new QueryErrors();
                errors.Add("format", $"must be one of {string.Join(", ", allowed)}; got '{QueryErrors.Shorten(format)}'.");
                return errors.ToProblem();
            }
        }
        else
        {
            chosen = FromAccept(http.Request.Headers.Accept.ToString(), geoJsonAvailable, svgAvailable);
            if (chosen is null)
                return TypedResults.Problem(statusCode: StatusCodes.Status406NotAcceptable, title: "Not Acceptable",
                    detail: $"This resource is available as application/json, {CsvMediaType}" + (geoJsonAvailable ? $", {GeoJsonMediaType}" : "") +
                            (svgAvailable ? $", {SvgMediaType}" : "") + "; the Accept header asks for none of them. Or use ?format=.");
        }
        http.Features.Set(new NegotiatedFormat(chosen.Value));
        return null;
    }

    /// <summary>
    /// The representation an Accept header selects, as a cache key: `*/*`, `application/json`
    /// and no header at all are the same answer and must share one ETag.
    /// </summary>
    public static string CacheKeyOf(string accept) => CacheKeys[accept];

    private static readonly HeaderValueMemo<string> CacheKeys =
        new(accept => FromAccept(accept, geoJsonAvailable: true, svgAvailable: true)?.ToString() ?? "unacceptable:" + accept);

    private static ResponseFormat? FromAccept(string accept, bool geoJsonAvailable, bool svgAvailable)
    {
        if (string.IsNullOrWhiteSpace(accept)) return ResponseFormat.Json;
        if (!MediaTypeHeaderValue.TryParseList(accept.Split(','), out var types)) return ResponseFormat.Json; // unreadable: the default
        ResponseFormat? best = null;
        double bestQuality = 0;
        foreach (var type in types)
        {
            var quality = type.Quality ?? 1;
            if (quality <= 0 || quality <= bestQuality) continue;
            ResponseFormat? format = type.MediaType.Value?.ToLowerInvariant() switch
            {
                "application/json" or "application/*" or "*/*" or "application/problem+json" => ResponseFormat.Json,
                "text/csv" or "text/*" => ResponseFormat.Csv,
                "application/geo+json" when geoJsonAvailable => ResponseFormat.GeoJson,
                "application/geo+json" => ResponseFormat.Json, // GeoJSON asked of a non-spatial resource: plain JSON
                // A chart where the resource draws one (a browser's <img> asks for image/svg+xml beside */*).
                "image/svg+xml" when svgAvailable => ResponseFormat.Svg,
                _ => null,
            };
            if (format is null) continue;
            best = format;
            bestQuality = quality;
        }
        return best;
    }
}
