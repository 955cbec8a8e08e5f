using System.Text.Json.Nodes;

namespace OpenGovernanceApi.Pages;

/// <summary>schema.org descriptions of the pages (JSON-LD), one method per page kind.</summary>
public static class JsonLd
{
    public const string Licence = "https://creativecommons.org/licenses/by/4.0/";

    private static JsonObject Thing(string type, PageContext page, string name, string? description = null)
    {
        var thing = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = type,
            ["name"] = name,
            ["url"] = page.Canonical,
            ["inLanguage"] = page.Lang.HtmlLang,
        };
        if (description is not null) thing["description"] = description;
        return thing;
    }

    private static JsonObject Publisher() => new() { ["@type"] = "Organization", ["name"] = "OpenGovernanceApi" };

    private static JsonObject Source(PageContext page, SourceResponse source)
    {
        var work = new JsonObject
        {
            ["@type"] = source.Kind is "news-report" or "signed-article" ? "NewsArticle" : "CreativeWork",
            ["name"] = source.Title.Zh,
            ["alternateName"] = source.Title.En,
            ["datePublished"] = source.PublishedOn,
            ["publisher"] = new JsonObject { ["@type"] = "Organization", ["name"] = page.Of(source.Outlet) },
            ["inLanguage"] = "zh-CN",
        };
        if (source.Url is not null) work["url"] = source.Url;
        if (source.Author is not null) work["author"] = page.Of(source.Author);
        return work;
    }

    public static JsonObject Home(PageContext page, string description)
    {
        var site = Thing("WebSite", page, page.T("北京社会治理开放数据", "Beijing social governance open data"), description);
        site["potentialAction"] = new JsonObject
        {
            ["@type"] = "SearchAction",
            ["target"] = new JsonObject { ["@type"] = "EntryPoint", ["urlTemplate"] = page.Url(page.Lang, "/search") + "?q={q}" },
            ["query-input"] = "required name=q",
        };
        return site;
    }

    public static JsonObject Search(PageContext page, string title) => Thing("SearchResultsPage", page, title);

    public static JsonObject Error(PageContext page, string title) => Thing("WebPage", page, title);

    /// <summary>One figure: an Observation of its indicator, quoted from its source.</summary>
    public static JsonObject Statistic(PageContext page, StatisticResponse s, SourceResponse source, string inWords, string hedge)
    {
        var observation = Thing("Observation", page, $"{page.Of(s.Indicator.Name)} ({page.Of(s.Region.Name)}, {s.Period}): {inWords}", s.Quote);
        observation["identifier"] = s.Id;
        observation["observationDate"] = s.Period;
        observation["value"] = s.Value;
        observation["measurementQualifier"] = hedge;
        observation["variableMeasured"] = page.Of(s.Indicator.Name);
        observation["observationAbout"] = new JsonObject { ["@type"] = "AdministrativeArea", ["name"] = page.Of(s.Region.Name), ["identifier"] = s.Region.Adcode };
        observation["isBasedOn"] = Source(page, source);
        observation["citation"] = page.Of(s.Citation);
        observation["license"] = Licence;
        return observation;
    }

    /// <summary>An indicator's series: a Dataset, with its JSON, CSV and SVG as distributions.</summary>
    public static JsonObject Dataset(PageContext page, IndicatorResponse indicator, IReadOnlyList<StatisticResponse> series, string description)
    {
        var dataset = Thing("Dataset", page, page.Of(indicator.Name), description);
        dataset["identifier"] = indicator.Id;
        dataset["license"] = Licence;
        dataset["isAccessibleForFree"] = true;
        dataset["creator"] = Publisher();
        dataset["keywords"] = new JsonArray(page.Of(indicator.Topic.Name), page.T("北京", "Beijing"), page.T("社会治理", "social governance"));
        dataset["variableMeasured"] = new JsonObject { ["@type"] = "PropertyValue", ["name"] = page.Of(indicator.Name), ["unitText"] = page.Of(indicator.Unit.Name) };
        var periods = series.Select(s => s.Period).Order(StringComparer.Ordinal).ToList();
        if (periods.Count > 0) dataset["temporalCoverage"] = periods[0] == periods[^1] ? periods[0] : $"{periods[0]}/{periods[^1]}";
        dataset["spatialCoverage"] = new JsonObject { ["@type"] = "Place", ["name"] = page.T("北京市", "Beijing") };
        var seriesUrl = page.Absolute($"/v1/indicators/{PageContext.Segment(indicator.Id)}/series");
        dataset["distribution"] = new JsonArray(
            Download(seriesUrl, "application/json"), Download(seriesUrl + "?format=csv", "text/csv"), Download(seriesUrl + "?format=svg", "image/svg+xml"));
        return dataset;
    }

    private static JsonObject Download(string url, string type) => new() { ["@type"] = "DataDownload", ["contentUrl"] = url, ["encodingFormat"] = type };

    public static JsonObject Goal(PageContext page, GoalResponse goal, PlanResponse plan) => Part("CreativeWork", page, page.Of(goal.Text), goal.Quote, plan);

    public static JsonObject Measure(PageContext page, MeasureResponse measure, PlanResponse? plan) =>
        Part("CreativeWork", page, page.Of(measure.Name), measure.Quote, plan);

    private static JsonObject Part(string type, PageContext page, string name, string quote, PlanResponse? plan)
    {
        var part = Thing(type, page, name, quote);
        if (plan is not null)
            part["isPartOf"] = new JsonObject { ["@type"] = "Legislation", ["name"] = page.Of(plan.Name), ["url"] = page.Url(page.Lang, "/plans/" + PageContext.Segment(plan.Id)) };
        return part;
    }

    public static JsonObject Plan(PageContext page, PlanResponse plan)
    {
        var legislation = Thing("Legislation", page, page.Of(plan.Name), plan.Quote);
        legislation["identifier"] = plan.Id;
        legislation["temporalCoverage"] = $"{plan.PeriodStart}/{plan.PeriodEnd}";
        if (plan.IssuedOn is not null) legislation["legislationDate"] = plan.IssuedOn;
        if (plan.Issuer is not null) legislation["legislationPassedBy"] = new JsonObject { ["@type"] = "Organization", ["name"] = page.Of(plan.Issuer) };
        legislation["legislationJurisdiction"] = page.T("北京市", "Beijing");
        return legislation;
    }

    public static JsonObject SourceDocument(PageContext page, SourceResponse source)
    {
        var work = Source(page, source);
        work["@context"] = "https://schema.org";
        work["mainEntityOfPage"] = page.Canonical;
        return work;
    }

    public static JsonObject Region(PageContext page, RegionResponse region)
    {
        var area = Thing("AdministrativeArea", page, page.Of(region.Name));
        area["identifier"] = region.Adcode;
        area["geo"] = new JsonObject { ["@type"] = "GeoCoordinates", ["longitude"] = region.Point.Lon, ["latitude"] = region.Point.Lat };
        if (region.Parent is not null) area["containedInPlace"] = new JsonObject { ["@type"] = "AdministrativeArea", ["identifier"] = region.Parent };
        return area;
    }
}
