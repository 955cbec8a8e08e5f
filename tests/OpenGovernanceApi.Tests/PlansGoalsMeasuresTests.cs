using System.Net;
using System.Text.Json;

namespace OpenGovernanceApi.Tests;

/// <summary>The plans, their goals (with honest progress) and their measures (in their hierarchy), all linked.</summary>
public class PlansGoalsMeasuresTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string[] ProgressStatuses = ["met", "not-met", "uncertain", "not-comparable", "no-data"];

    private async Task<List<JsonElement>> All(string collection, string query = "") =>
        (await _client.GetJsonAsync($"/v1/{collection}?limit=1000{query}")).GetProperty("data").EnumerateArray().ToList();

    private static string PathOf(string href) => new Uri(href).PathAndQuery;

    [Fact]
    public async Task ThePlansAreTheTwelfthThirteenthAndFourteenthWithTheirFiveYearPeriods()
    {
        var plans = await _client.GetJsonAsync("/v1/plans");
        Assert.Equal(3, plans.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal([("12th", "2011", "2015"), ("13th", "2016", "2020"), ("14th", "2021", "2025")],
            plans.GetProperty("data").EnumerateArray().Select(p => (p.Str("id"), p.Str("periodStart"), p.Str("periodEnd"))));
        Assert.All(plans.GetProperty("data").EnumerateArray(), p =>
        {
            Assert.False(string.IsNullOrEmpty(p.Str("name.zh")));
            Assert.False(string.IsNullOrEmpty(p.Str("name.en")));
        });
    }

    [Theory]
    [InlineData("12th")]
    [InlineData("13th")]
    [InlineData("14th")]
    public async Task APlanListsExactlyItsGoalsAndTopLevelMeasures(string id)
    {
        var plan = (await _client.GetJsonAsync($"/v1/plans/{id}")).GetProperty("data");
        Assert.Equal(id, plan.Str("id"));
        var goals = plan.GetProperty("goals").EnumerateArray().Select(g => g.Str("id")).Order(StringComparer.Ordinal);
        Assert.Equal((await All("goals")).Where(g => g.Str("plan") == id).Select(g => g.Str("id")).Order(StringComparer.Ordinal), goals);
        var measures = plan.GetProperty("measures").EnumerateArray().Select(m => m.Str("id")).Order(StringComparer.Ordinal);
        Assert.Equal((await All("measures")).Where(m => m.Str("plan") == id && m.Str("parent") is null).Select(m => m.Str("id")).Order(StringComparer.Ordinal), measures);
        Assert.NotEmpty(plan.GetProperty("goals").EnumerateArray());
        Assert.NotEmpty(plan.GetProperty("measures").EnumerateArray());
    }

    [Theory]
    [InlineData("12th")]
    [InlineData("13th")]
    [InlineData("14th")]
    public async Task EveryLinkOfAPlanResolvesToWhatItNames(string id)
    {
        var plan = (await _client.GetJsonAsync($"/v1/plans/{id}")).GetProperty("data");
        foreach (var (list, collection) in new[] { ("goals", "goals"), ("measures", "measures") })
        {
            foreach (var item in plan.GetProperty(list).EnumerateArray())
            {
                var target = (await _client.GetJsonAsync(PathOf(item.Str("href")))).GetProperty("data");
                Assert.Equal(item.Str("id"), target.Str("id"));
                Assert.Equal(id, target.Str("plan"));
                Assert.Equal(item.Str("kind"), target.Str("kind"));
                Assert.EndsWith($"/v1/{collection}/{item.Str("id")}", item.Str("href"));
            }
        }
        Assert.Equal(id, (await _client.GetJsonAsync(PathOf(plan.Str("links.self")))).GetProperty("data").Str("id"));
        foreach (var link in new[] { "goals", "measures", "statistics" })
        {
            var page = await _client.GetJsonAsync(PathOf(plan.Str($"links.{link}")));
            Assert.All(page.GetProperty("data").EnumerateArray(), x => Assert.Equal(id, x.Str("plan")));
        }
    }

    [Fact]
    public async Task EachGoalFilterKeepsExactlyTheMatchingGoals()
    {
        var all = await All("goals");
        var checks = new (string Query, Func<JsonElement, bool> Keep)[]
        {
            ("&plan=14th", g => g.Str("plan") == "14th"),
            ("&plan=12th,13th", g => g.Str("plan") is "12th" or "13th"),
            ("&plan=12th&plan=13th", g => g.Str("plan") is "12th" or "13th"),
            ("&kind=quantitative", g => g.Str("kind") == "quantitative"),
            ("&kind=qualitative", g => g.Str("kind") == "qualitative"),
            ("&indicator=certified-social-workers", g => g.GetProperty("target").ValueKind == JsonValueKind.Object && g.Str("target.indicator.id") == "certified-social-workers"),
            ("&indicator=registered-volunteers,social-work-agencies", g => g.GetProperty("target").ValueKind == JsonValueKind.Object && g.Str("target.indicator.id") is "registered-volunteers" or "social-work-agencies"),
            ("&plan=13th&kind=quantitative", g => g.Str("plan") == "13th" && g.Str("kind") == "quantitative"),
            ("&plan=15th", _ => false),
        };
        foreach (var (query, keep) in checks)
        {
            var expected = all.Where(keep).Select(g => g.Str("id")).ToList();
            var actual = (await _client.GetJsonAsync($"/v1/goals?limit=1000{query}")).Ids();
            Assert.True(expected.SequenceEqual(actual), $"{query}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
        }
        Assert.Contains(all, g => g.Str("kind") == "quantitative");
        Assert.Contains(all, g => g.Str("kind") == "qualitative");
    }

    [Fact]
    public async Task AQuantitativeGoalCarriesItsTargetAndProgressAndAQualitativeOneNeither()
    {
        foreach (var goal in await All("goals"))
        {
            if (goal.Str("kind") == "qualitative")
            {
                Assert.Equal(JsonValueKind.Null, goal.GetProperty("target").ValueKind);
                Assert.Equal(JsonValueKind.Null, goal.GetProperty("progress").ValueKind);
                continue;
            }
            var target = goal.GetProperty("target");
            Assert.False(string.IsNullOrEmpty(target.Str("indicator.id")), goal.Str("id"));
            Assert.False(string.IsNullOrEmpty(target.Str("unit")), goal.Str("id"));
            Assert.Contains(target.Str("comparator"), new[] { "eq", "approx", "gt", "gte", "lt", "lte" });
            // The target is a statistic of kind target, of this goal's plan, with the same figure.
            var statistic = (await _client.GetJsonAsync(PathOf(target.Str("href")))).GetProperty("data");
            Assert.Equal(target.Str("statistic"), statistic.Str("id"));
            Assert.Equal("target", statistic.Str("kind"));
            Assert.Equal(goal.Str("plan"), statistic.Str("plan"));
            Assert.Equal(target.GetProperty("value").GetDouble(), statistic.GetProperty("value").GetDouble());
            Assert.Equal(target.Str("deadline"), statistic.Str("period"));

            var progress = goal.GetProperty("progress");
            Assert.Contains(progress.Str("status"), ProgressStatuses);
            Assert.False(string.IsNullOrEmpty(progress.Str("reason.zh")), goal.Str("id"));
            Assert.False(string.IsNullOrEmpty(progress.Str("reason.en")), goal.Str("id"));
        }
    }

    [Fact]
    public async Task ProgressComparesTheTargetWithTheLatestActualFigureOfTheSameIndicatorAndRegionFromThePlansPeriod()
    {
        var quantitative = await All("goals", "&kind=quantitative");
        Assert.NotEmpty(quantitative);
        foreach (var goal in quantitative)
        {
            var target = goal.GetProperty("target");
            var progress = goal.GetProperty("progress");
            var plan = (await _client.GetJsonAsync("/v1/plans/" + goal.Str("plan"))).GetProperty("data");
            var (start, end) = (plan.Str("periodStart"), plan.Str("periodEnd"));
            var actuals = await All("statistics", $"&indicator={target.Str("indicator.id")}&region={target.Str("region")}&kind=actual");
            var during = actuals.Where(s => string.CompareOrdinal(s.Str("period")[..4], start) >= 0 && string.CompareOrdinal(s.Str("period")[..4], end) <= 0).ToList();
            var before = actuals.Where(s => string.CompareOrdinal(s.Str("period")[..4], start) < 0).ToList();
            if (before.Count == 0) Assert.Equal(JsonValueKind.Null, progress.GetProperty("baseline").ValueKind);
            else Assert.Equal(before.Max(s => s.Str("period")), progress.Str("baseline.period"));
            if (during.Count == 0)
            {
                Assert.Equal("no-data", progress.Str("status"));
                Assert.Equal(JsonValueKind.Null, progress.GetProperty("latest").ValueKind);
                Assert.Equal(JsonValueKind.Null, progress.GetProperty("ratio").ValueKind);
                continue;
            }
            var newest = during.Max(s => s.Str("period"));
            var latest = progress.GetProperty("latest");
            Assert.Equal(newest, latest.Str("period"));
            Assert.Contains(latest.Str("statistic"), during.Where(s => s.Str("period") == newest).Select(s => s.Str("id")));
            if (latest.Str("unit") != target.Str("unit"))
            {
                Assert.Equal("not-comparable", progress.Str("status"));
                Assert.Equal(JsonValueKind.Null, progress.GetProperty("ratio").ValueKind);
            }
            else
            {
                Assert.Equal(Math.Round(latest.GetProperty("value").GetDouble() / target.GetProperty("value").GetDouble(), 4),
                    progress.GetProperty("ratio").GetDouble());
            }
        }
    }

    [Fact]
    public async Task TheCertifiedSocialWorkersGoalOfThe14thPlanIsNotJudgedOnA2019Figure()
    {
        var goal = (await _client.GetJsonAsync("/v1/goals/14th-goal-certified-social-workers")).GetProperty("data");
        Assert.Equal("quantitative", goal.Str("kind"));
        Assert.Equal("certified-social-workers", goal.Str("target.indicator.id"));
        Assert.Equal(60000, goal.GetProperty("target").GetProperty("value").GetDouble());
        Assert.Equal("gte", goal.Str("target.comparator"));
        Assert.Equal("2025", goal.Str("target.deadline"));
        Assert.Equal("14th-project-5", goal.Str("measure"));
        var progress = goal.GetProperty("progress");
        // "将近2.7万多人" (2019) is before 2021-2025: the baseline, not a verdict of not-met.
        Assert.Equal("no-data", progress.Str("status"));
        Assert.Equal(JsonValueKind.Null, progress.GetProperty("ratio").ValueKind);
        Assert.Equal(27000, progress.GetProperty("baseline").GetProperty("value").GetDouble());
        Assert.Equal("approx", progress.Str("baseline.comparator"));
        Assert.Equal("pc2019", progress.Str("baseline.source"));
        // Said as the source says it: 将近 is "nearly" (近), not "about" (约).
        Assert.Contains("nearly 27,000 people", progress.Str("reason.en"));
        Assert.Contains("近2.7万人", progress.Str("reason.zh"));
    }

    [Fact]
    public async Task EveryChildOfAMeasureNamesItAsParentAndEveryParentListsItsChildren()
    {
        var all = await All("measures");
        var byId = all.ToDictionary(m => m.Str("id"));
        Assert.Contains(all, m => m.GetProperty("children").GetArrayLength() > 0);
        foreach (var measure in all)
        {
            foreach (var child in measure.GetProperty("children").EnumerateArray())
            {
                Assert.True(byId.TryGetValue(child.Str("id"), out var full), $"{measure.Str("id")} lists unknown child {child.Str("id")}");
                Assert.Equal(measure.Str("id"), full.Str("parent"));
                Assert.Equal(measure.Str("plan"), full.Str("plan"));
                Assert.Equal(child.Str("id"), (await _client.GetJsonAsync(PathOf(child.Str("href")))).GetProperty("data").Str("id"));
            }
            if (measure.Str("parent") is { } parent)
            {
                Assert.True(byId.TryGetValue(parent, out var parentMeasure), $"{measure.Str("id")} names unknown parent {parent}");
                Assert.Contains(measure.Str("id"), parentMeasure.GetProperty("children").EnumerateArray().Select(c => c.Str("id")));
                Assert.Equal(parent, (await _client.GetJsonAsync(PathOf(measure.Str("links.parent")))).GetProperty("data").Str("id"));
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, measure.GetProperty("links").GetProperty("parent").ValueKind);
            }
        }
    }

    [Fact]
    public async Task ParentNoneGivesOnlyTheTopLevelMeasures()
    {
        var all = await All("measures");
        var top = await _client.GetJsonAsync("/v1/measures?limit=1000&parent=none");
        Assert.Equal(all.Where(m => m.Str("parent") is null).Select(m => m.Str("id")), top.Ids());
        Assert.All(top.GetProperty("data").EnumerateArray(), m => Assert.Equal(JsonValueKind.Null, m.GetProperty("parent").ValueKind));
        Assert.True(top.GetProperty("meta").GetProperty("total").GetInt32() < all.Count);
    }

    [Fact]
    public async Task ParentGivesExactlyTheChildrenThatParentLists()
    {
        var all = await All("measures");
        var parents = all.Where(m => m.GetProperty("children").GetArrayLength() > 0).ToList();
        Assert.NotEmpty(parents);
        foreach (var parent in parents)
        {
            var listed = parent.GetProperty("children").EnumerateArray().Select(c => c.Str("id")).Order(StringComparer.Ordinal);
            var filtered = (await _client.GetJsonAsync($"/v1/measures?limit=1000&parent={parent.Str("id")}")).Ids();
            Assert.Equal(listed, filtered);
        }
    }

    [Fact]
    public async Task EachMeasureFilterKeepsExactlyTheMatchingMeasures()
    {
        var all = await All("measures");
        var checks = new (string Query, Func<JsonElement, bool> Keep)[]
        {
            ("&plan=14th", m => m.Str("plan") == "14th"),
            ("&plan=12th,13th", m => m.Str("plan") is "12th" or "13th"),
            ("&kind=project", m => m.Str("kind") == "project"),
            ("&kind=key-task,measure", m => m.Str("kind") is "key-task" or "measure"),
            ("&plan=14th&parent=none", m => m.Str("plan") == "14th" && m.Str("parent") is null),
            ("&plan=13th&kind=project", m => m.Str("plan") == "13th" && m.Str("kind") == "project"),
        };
        foreach (var (query, keep) in checks)
        {
            var expected = all.Where(keep).Select(m => m.Str("id")).ToList();
            var actual = (await _client.GetJsonAsync($"/v1/measures?limit=1000{query}")).Ids();
            Assert.True(expected.SequenceEqual(actual), $"{query}: expected {expected.Count} measures, got {actual.Count}");
        }
    }

    [Theory]
    [InlineData("/v1/plans/15th", "plan", "15th")]
    [InlineData("/v1/goals/14th-goal-99", "goal", "14th-goal-99")]
    [InlineData("/v1/measures/14th-project-99", "measure", "14th-project-99")]
    public async Task AnUnknownIdIsA404ProblemNamingTheId(string url, string resource, string id)
    {
        var problem = await _client.GetProblemAsync(url, HttpStatusCode.NotFound);
        Assert.Contains($"{resource} with id '{id}'", problem.Str("detail"));
    }

    [Theory]
    [InlineData("/v1/goals?kind=numeric", "kind")]
    [InlineData("/v1/goals?plan=14TH", "plan")]
    [InlineData("/v1/goals?indicator=certified%20social%20workers", "indicator")]
    [InlineData("/v1/goals?plann=14th", "plann")]
    [InlineData("/v1/measures?kind=task", "kind")]
    [InlineData("/v1/measures?parent=None", "parent")]
    [InlineData("/v1/measures?plan=-14th", "plan")]
    [InlineData("/v1/measures?parnet=none", "parnet")]
    [InlineData("/v1/plans?limit=0", "limit")]
    public async Task ABadFilterValueIsA400NamingTheParameter(string url, string parameter)
    {
        var problem = await _client.GetProblemAsync(url, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
        Assert.Contains($"'{parameter}'", problem.Str("detail"));
    }

    [Fact]
    public async Task AProjectListsTheTargetsItStatesAndEachTargetNamesItsProject()
    {
        var project = (await _client.GetJsonAsync("/v1/measures/14th-project-5")).GetProperty("data");
        var listed = project.GetProperty("goals").EnumerateArray().Select(g => g.Str("id")).ToList();
        Assert.Contains("14th-goal-certified-social-workers", listed);
        Assert.Contains("14th-goal-social-work-agencies", listed);
        var filtered = await All("goals", "&measure=14th-project-5");
        Assert.Equal(listed.Order(StringComparer.Ordinal), filtered.Select(g => g.Str("id")).Order(StringComparer.Ordinal));
        Assert.All(filtered, g =>
        {
            Assert.Equal("14th-project-5", g.Str("measure"));
            Assert.EndsWith("/v1/measures/14th-project-5", g.Str("links.measure"));
        });
    }

    [Fact]
    public async Task EveryQuantitativeTargetOfThe14thPlanNamesTheProjectThatStatesIt()
    {
        var targets = await All("goals", "&plan=14th&kind=quantitative");
        Assert.True(targets.Count >= 14);
        foreach (var goal in targets)
        {
            var measureId = goal.Str("measure");
            Assert.False(string.IsNullOrEmpty(measureId), goal.Str("id"));
            // Up the hierarchy from the named measure, a project of the second key task.
            var measure = (await _client.GetJsonAsync("/v1/measures/" + measureId)).GetProperty("data");
            while (measure.Str("kind") != "project")
                measure = (await _client.GetJsonAsync("/v1/measures/" + measure.Str("parent"))).GetProperty("data");
            Assert.Equal("14th-task-2", measure.Str("parent"));
        }
        Assert.Empty(await All("goals", "&plan=14th&kind=quantitative&measure=none"));
    }

    [Fact]
    public async Task APolicysTasksNameThePolicyDocumentAndNoPlan()
    {
        var opinion = (await _client.GetJsonAsync("/v1/measures/art2018-reform-opinion-2015-tasks")).GetProperty("data");
        Assert.Equal(JsonValueKind.Null, opinion.GetProperty("plan").ValueKind);
        Assert.Equal("social-governance-reform-opinion-2015-08", opinion.Str("policy"));
        Assert.Equal(6, opinion.GetProperty("children").GetArrayLength());
        var policy = await _client.GetAsync(PathOf(opinion.Str("links.policy")));
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        Assert.Contains(await All("measures", "&plan=none&parent=none"), m => m.Str("id") == "art2018-reform-opinion-2015-tasks");
        Assert.DoesNotContain(await All("measures", "&plan=13th"), m => m.Str("id") == "art2018-reform-opinion-2015-tasks");
    }

    [Fact]
    public async Task RulesADocumentSetsAreNormsNotAchievements()
    {
        var norms = await All("statistics", "&kind=norm");
        Assert.Contains(norms, s => s.Str("id") == "community-worker-pay-floor-2016-pc2016" && s.Str("comparator") == "gte");
        Assert.Contains(norms, s => s.Str("id") == "community-office-space-standard-area-2018-art2018");
        Assert.DoesNotContain(await All("statistics", "&kind=actual&indicator=community-worker-pay-floor,community-worker-pay-floor-social-average-wage,community-office-space-standard-area"),
            s => true);
    }

    [Fact]
    public async Task ThePayFloorsOfTwoWageBasesAreTwoSeries()
    {
        var employee = await All("statistics", "&indicator=community-worker-pay-floor");
        var social = await All("statistics", "&indicator=community-worker-pay-floor-social-average-wage");
        Assert.All(employee, s => Assert.Contains("职工平均工资", s.Str("quote")));
        Assert.All(social, s => Assert.Contains("社会平均工资", s.Str("quote")));
        Assert.NotEmpty(employee);
        Assert.NotEmpty(social);
    }

    [Fact]
    public async Task TheNationalChangeOfCommitteeTermsIsAnEventOfItsOwnWithNoBeijingRegion()
    {
        var events = await All("events", "&kind=law");
        var national = Assert.Single(events, e => e.Str("title.zh").Contains("5年") && e.GetProperty("region").ValueKind == JsonValueKind.Null);
        Assert.Equal("pc2019", national.Str("source"));
        Assert.Contains(await All("events", "&kind=policy"), e => e.Str("id") == "committee-terms-five-years-2017" && e.Str("region") == "110000");
    }
}
