using System.Text.Json;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// Figures journalists will print, pinned end to end through the API: value in base units,
/// the hedge, the period, the source and the quote. Each was checked by reading the source
/// document again (../shared/seeds).
/// </summary>
public class DataFidelityTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<JsonElement> OneStatistic(string indicator, string source, string kind = "actual", string? region = null)
    {
        var page = await _client.GetJsonAsync($"/v1/statistics?indicator={indicator}&source={source}&kind={kind}" + (region is null ? "" : $"&region={region}"));
        return Assert.Single(page.GetProperty("data").EnumerateArray());
    }

    [Theory]
    // indicator, source, kind, value, unit, comparator, period, as written, a piece of the quote
    [InlineData("registered-volunteers", "pc2019", "actual", 4267000, "persons", "gt", "2019-01-09", "426.7万", "全市实名注册志愿者数突破426.7万")]
    [InlineData("basic-grids", "pc2019", "actual", 41800, "grids", "eq", "2019-01-09", "4.18万个", "4.18万个基础网格")]
    [InlineData("grid-workers-full-time", "pc2019", "actual", 6800, "persons", "eq", "2019-01-09", "0.68万", "其中专职人员0.68万")]
    [InlineData("certified-social-workers-national-share", "pc2019", "actual", 8.2, "percent", "eq", "2019-01-09", "8.2%", "全国总人数的8.2%")]
    [InlineData("certified-social-workers", "pc2019", "actual", 27000, "persons", "approx", "2019-01-09", "将近2.7万多人", "将近2.7万多人")]
    [InlineData("social-work-professionals", "pc2019", "actual", 60000, "persons", "gt", "2019-01-09", "6万多人", "6万多人")]
    [InlineData("service-circles", "pc2016", "actual", 1336, "service-circles", "eq", "2016", "1336个", "总量达到1336个")]
    [InlineData("service-circles-coverage", "art2018", "actual", 90, "percent", "approx", "2018", "近90%", "覆盖率近90%")]
    [InlineData("community-workers", "art2018", "actual", 35000, "persons", "approx", "2018", "近3.5万人", "社区专职工作者近3.5万人")]
    [InlineData("non-public-enterprise-party-coverage", "art2018", "actual", 83.9, "percent", "eq", "2018", "83.9%", "非公企业党组织覆盖率达83.9%")]
    [InlineData("volunteer-service-hours", "pc2019", "actual", 300000000, "hours", "gt", "2019-01-09", "3亿多小时", "志愿服务工时累计3亿多小时")]
    [InlineData("registered-volunteers-share-of-residents", "news2021", "target", 21, "percent", "gte", "2025", "不少于全市常住人口的21%", "实名注册志愿者人数将不少于全市常住人口的21%")]
    [InlineData("certified-social-workers", "news2021", "target", 60000, "persons", "gte", "2025", "不少于6万人", "不少于6万人")]
    [InlineData("social-work-agencies", "news2021", "target", 1200, "organisations", "eq", "2025", "1200家", "将达到1200家")]
    [InlineData("social-psychological-service-centres", "news2021", "target", 500, "facilities", "gte", "2025", "500个以上", "500个以上社会心理服务中心")]
    [InlineData("junior-secondary-nearby-enrolment", "rpt2019", "actual", 95, "percent", "gte", "2018", "95%以上", "99%和95%以上")]
    [InlineData("non-public-enterprise-party-coverage", "rpt2019", "actual", 83, "percent", "eq", "2018", "83%", "分别达到83%和75%")]
    public async Task APinnedFigureComesOutWithItsValueHedgePeriodSourceAndQuote(string indicator, string source, string kind,
        double value, string unit, string comparator, string period, string asWritten, string quotePiece)
    {
        var s = await OneStatistic(indicator, source, kind);
        Assert.Equal(value, s.GetProperty("value").GetDouble());
        Assert.Equal(unit, s.Str("unit"));
        Assert.Equal(comparator, s.Str("comparator"));
        Assert.Equal(period, s.Str("period"));
        Assert.Equal(asWritten, s.Str("valueAsWritten"));
        Assert.Contains(quotePiece, s.Str("quote"));
        Assert.Equal(source, s.Str("source.id"));
        Assert.False(string.IsNullOrEmpty(s.Str("source.publishedOn")));
        // A pasted citation opens for a person: the statistic's page, Chinese in zh and English in en.
        Assert.Contains(s.Str("links.html"), s.Str("citation.zh"));
        Assert.Contains(s.Str("links.html").Replace("/statistics/", "/en/statistics/"), s.Str("citation.en"));
        Assert.Contains(s.Str("source.title.zh"), s.Str("citation.zh"));
    }

    [Fact]
    public async Task ServiceCirclesFormOneSeriesAcrossThreeDocumentsAsCountAndCoverage()
    {
        var count = (await _client.GetJsonAsync("/v1/indicators/service-circles/series?region=110000&kind=actual")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([("2016", 1336.0), ("2019-01-09", 1580.0)], count.Select(s => (s.Str("period"), s.GetProperty("value").GetDouble())));
        var coverage = (await _client.GetJsonAsync("/v1/indicators/service-circles-coverage/series?region=110000")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([("2016", 83.0, "eq", "pc2016"), ("2018", 90.0, "approx", "art2018"), ("2019-01-09", 92.0, "eq", "pc2019")],
            coverage.Select(s => (s.Str("period"), s.GetProperty("value").GetDouble(), s.Str("comparator"), s.Str("source.id"))));
    }

    [Fact]
    public async Task CommunityWorkersFormASeriesThatKeepsEachHedge()
    {
        var series = (await _client.GetJsonAsync("/v1/indicators/community-workers/series")).GetProperty("data").EnumerateArray().ToList();
        Assert.Contains(series, s => s.Str("period") == "2018" && s.Str("comparator") == "approx" && s.Str("source.id") == "art2018");
        Assert.Contains(series, s => s.Str("period") == "2019-01-09" && s.Str("comparator") == "eq" && s.Str("source.id") == "pc2019");
    }

    [Fact]
    public async Task TheTwoPartyCoverageFiguresOf2018StayVisibleAndPointAtEachOther()
    {
        var a = await OneStatistic("non-public-enterprise-party-coverage", "art2018");
        var b = await OneStatistic("non-public-enterprise-party-coverage", "rpt2019");
        Assert.Equal([b.Str("id")], a.GetProperty("conflictsWith").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal([a.Str("id")], b.GetProperty("conflictsWith").EnumerateArray().Select(x => x.GetString()));
        var conflicting = (await _client.GetJsonAsync("/v1/statistics?conflicts=true&indicator=non-public-enterprise-party-coverage")).Ids();
        Assert.Equal(new[] { a.Str("id"), b.Str("id") }.Order(), conflicting.Order());
    }

    [Fact]
    public async Task AStatisticAgreedOnBySeveralSourcesIsNoConflict()
    {
        // 75% for social organisations, in both art2018 and rpt2019.
        var a = await OneStatistic("social-organisation-party-coverage", "art2018");
        Assert.Empty(a.GetProperty("conflictsWith").EnumerateArray());
    }

    [Fact]
    public async Task ChaoyangsServiceBasesCarryChaoyangsAdcode()
    {
        var s = await OneStatistic("subdistrict-social-organisation-service-bases", "rpt2019", region: "110105");
        Assert.Equal(43, s.GetProperty("value").GetDouble());
        Assert.Equal("朝阳区", s.Str("region.name.zh"));
    }

    [Fact]
    public async Task TheVolunteerTargetIsAShareOfResidentsWithAnIndicatorOfItsOwnNotACountOfPeople()
    {
        var goal = (await _client.GetJsonAsync("/v1/goals/14th-goal-volunteers-21pct")).GetProperty("data");
        Assert.Equal("registered-volunteers-share-of-residents", goal.Str("target.indicator.id"));
        Assert.Equal("percent", goal.Str("target.unit"));
        var indicator = (await _client.GetJsonAsync("/v1/indicators/registered-volunteers-share-of-residents")).GetProperty("data");
        Assert.Equal("percent", indicator.Str("unit.id"));
        // No document gives the share itself; the count of people is another indicator and never stands in for it.
        Assert.Equal("no-data", goal.Str("progress.status"));
        Assert.Equal(JsonValueKind.Null, goal.GetProperty("progress").GetProperty("latest").ValueKind);
    }

    [Fact]
    public async Task TheSocialWorkerGoalIsJudgedOnlyOnFiguresFromThePlansPeriodAndShowsThe2019FigureAsItsBaseline()
    {
        var goal = (await _client.GetJsonAsync("/v1/goals?plan=14th&indicator=social-work-professionals")).GetProperty("data")[0];
        Assert.Equal("no-data", goal.Str("progress.status"));
        Assert.Equal(JsonValueKind.Null, goal.GetProperty("progress").GetProperty("latest").ValueKind);
        Assert.Equal("2019-01-09", goal.Str("progress.baseline.period"));
        Assert.Equal("gt", goal.Str("progress.baseline.comparator"));
        Assert.Contains("baseline", goal.Str("progress.reason.en"));
        Assert.Contains("more than 60,000 people", goal.Str("progress.reason.en"));
        Assert.Contains("超过6万人", goal.Str("progress.reason.zh"));
    }

    [Fact]
    public async Task TheFourteenthPlanHasTwoKeyTasksTheThreeMajorTasksAndTenProjectsUnderTheSecondKeyTask()
    {
        var plan = (await _client.GetJsonAsync("/v1/plans/14th")).GetProperty("data");
        Assert.Equal(["14th-task-1", "14th-task-2", "14th-major-tasks", "14th-principles"], plan.GetProperty("measures").EnumerateArray().Select(m => m.Str("id")));
        var major = (await _client.GetJsonAsync("/v1/measures/14th-major-tasks")).GetProperty("data");
        Assert.Equal(["社会服务", "社会管理", "社会动员"], major.GetProperty("children").EnumerateArray().Select(c => c.Str("name.zh")));
        var projects = (await _client.GetJsonAsync("/v1/measures?parent=14th-task-2")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(10, projects.Count);
        Assert.All(projects, p => Assert.Equal("project", p.Str("kind")));
        Assert.Contains(projects, p => p.Str("name.zh") == "社工人才培养工程");
    }

    [Fact]
    public async Task TheFiveSafeguardMeasuresOfTheThirteenthPlanStandOnTheirOwn()
    {
        // The five measures of pc2016's title, apart from the actions the conference names beside them.
        var measures = (await _client.GetJsonAsync("/v1/measures?plan=13th&kind=measure&parent=none")).GetProperty("data").EnumerateArray()
            .Where(m => m.Str("id").StartsWith("13th-measure-")).ToList();
        Assert.Equal(5, measures.Count);
        Assert.Equal("加强督导检查", measures.Single(m => m.GetProperty("ordinal").GetInt32() == 5).Str("name.zh"));
    }

    [Fact]
    public async Task TheTwoDistrictsStillPuttingThePayRulesToTheirMeetingsHaveNoFigureOnlyANote()
    {
        // "房山区和平谷区正在上会": a status, not a value of 0.
        foreach (var adcode in new[] { "110111", "110117" })
            Assert.Empty((await _client.GetJsonAsync($"/v1/statistics?region={adcode}")).GetProperty("data").EnumerateArray());
        var reviewing = (await _client.GetJsonAsync("/v1/statistics/districts-reviewing-community-worker-pay-rules-2019-01-09-pc2019")).GetProperty("data");
        Assert.Equal(2, reviewing.GetProperty("value").GetDouble());
        Assert.Contains("正在上会", reviewing.Str("notes.zh"));
    }

    [Fact]
    public async Task EachSourceCountsTheStatisticsQuotedFromIt()
    {
        var sources = (await _client.GetJsonAsync("/v1/sources")).GetProperty("data").EnumerateArray().ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var id = source.Str("id");
            var statistics = await _client.GetJsonAsync(new Uri(source.Str("links.statistics")).PathAndQuery + "&limit=1000");
            var total = statistics.GetProperty("meta").GetProperty("total").GetInt32();
            Assert.True(total > 0, id);
            Assert.Equal(total, source.GetProperty("statisticCount").GetInt32());
            Assert.Equal(total, (await _client.GetJsonAsync($"/v1/sources/{id}")).GetProperty("data").GetProperty("statisticCount").GetInt32());
        }
    }

    [Fact]
    public async Task EveryStatisticHasASourceAQuoteAKnownComparatorAndAnIsoPeriod()
    {
        var all = (await _client.GetJsonAsync("/v1/statistics?limit=1000")).GetProperty("data").EnumerateArray().ToList();
        Assert.True(all.Count >= 100, $"only {all.Count} statistics");
        foreach (var s in all)
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Str("quote")), s.Str("id"));
            Assert.Contains(s.Str("comparator"), new[] { "eq", "approx", "gt", "gte", "lt", "lte" });
            Assert.Matches(@"^\d{4}(-\d{2}(-\d{2})?)?$", s.Str("period"));
            Assert.False(string.IsNullOrWhiteSpace(s.Str("source.id")), s.Str("id"));
            if (s.Str("kind") == "target") Assert.NotNull(s.GetProperty("plan").GetString());
        }
    }
}
