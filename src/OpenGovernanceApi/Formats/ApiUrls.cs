namespace OpenGovernanceApi.Formats;

/// <summary>Absolute URLs of this API, as the client reached it (permanent links, citations).</summary>
public static class ApiUrls
{
    public static string Absolute(HttpContext http, string path) =>
        $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{path}";

    public static string Statistic(HttpContext http, string id) => Absolute(http, "/v1/statistics/" + Uri.EscapeDataString(id));
    /// <summary>A statistic's page for people: `/statistics/{id}` in Chinese, `/en/statistics/{id}` in English.</summary>
    public static string StatisticPage(HttpContext http, string id, bool english = false) =>
        Absolute(http, (english ? "/en" : "") + "/statistics/" + Uri.EscapeDataString(id));

    public static string Source(HttpContext http, string id) => Absolute(http, "/v1/sources/" + Uri.EscapeDataString(id));
}
