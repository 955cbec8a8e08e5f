using System.Net;

namespace OpenGovernanceApi.Tests;

/// <summary>/v1/topics: the groups indicators belong to, each counted and linked to its indicators.</summary>
public class TopicsTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task EveryTopicCountsAndLinksTheIndicatorsThatBelongToIt()
    {
        var topics = (await _client.GetJsonAsync("/v1/topics")).GetProperty("data").EnumerateArray().ToList();
        Assert.Contains(topics, t => t.Str("id") == "volunteering" && t.Str("name.zh") == "志愿服务");
        var indicators = (await _client.GetJsonAsync("/v1/indicators?limit=1000")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(indicators.Count, topics.Sum(t => t.GetProperty("indicatorCount").GetInt32()));
        foreach (var topic in topics)
        {
            var linked = (await _client.GetJsonAsync(new Uri(topic.Str("links.indicators")).PathAndQuery + "&limit=1000")).Ids();
            Assert.Equal(topic.GetProperty("indicatorCount").GetInt32(), linked.Count);
            Assert.All(linked, id => Assert.Equal(topic.Str("id"), indicators.Single(i => i.Str("id") == id).Str("topic.id")));
        }
    }

    [Fact]
    public async Task TheIndexListsTopicsWithTheirCount()
    {
        var index = (await _client.GetJsonAsync("/v1")).GetProperty("data").GetProperty("collections");
        var total = (await _client.GetJsonAsync("/v1/topics")).GetProperty("meta").GetProperty("total").GetInt32();
        Assert.Equal(total, index.GetProperty("topics").GetProperty("count").GetInt32());
        Assert.EndsWith("/v1/topics", index.GetProperty("topics").Str("href"));
    }

    [Fact]
    public async Task AnUnknownTopicIsA404ProblemNamingIt()
    {
        var problem = await _client.GetProblemAsync("/v1/topics/no-such-topic", HttpStatusCode.NotFound);
        Assert.Contains("topic", problem.Str("detail"));
        Assert.Contains("no-such-topic", problem.Str("detail"));
    }
}
