using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// The build refuses each kind of mistake a careful reader found in recorded figures: a bad row
/// added to a copy of db/ fails validation with a message that names the row and the mistake.
/// </summary>
public class FigureRulesTests
{
    /// <summary>A statistic that passes every figure rule; each test spoils one field.</summary>
    private static JsonObject GoodStatistic() => new()
    {
        ["id"] = "zz-bad-row",
        ["indicator"] = "service-circles-coverage",
        ["region"] = "110000",
        ["period"] = "2019-01-09",
        ["value"] = 92,
        ["unit"] = "percent",
        ["valueAsWritten"] = "92%",
        ["comparator"] = "eq",
        ["kind"] = "actual",
        ["plan"] = null,
        ["source"] = "pc2019",
        ["quote"] = "已累计建成1580个服务圈,涵盖了92%的城市社区",
        ["notes"] = null,
    };

    private static List<string> ValidateWith(params JsonObject[] statistics)
    {
        var copy = Repository.CopyOfDb();
        File.WriteAllText(Path.Combine(copy, "data", "statistics", "zz-bad.json"), new JsonArray(statistics).ToJsonString());
        return DatabaseTests.Validate(copy).Where(e => e.Contains("zz-bad")).ToList();
    }

    private static JsonObject With(JsonObject row, params (string Field, JsonNode? Value)[] changes)
    {
        foreach (var (field, value) in changes) row[field] = value;
        return row;
    }

    [Fact]
    public void TheGoodRowPassesEveryFigureRule() =>
        Assert.DoesNotContain(ValidateWith(GoodStatistic()), e => !e.Contains("quote")); // its quote is checked elsewhere

    [Fact]
    public void AFigureWrittenWithYiShangIsOrMoreNotMoreThan()
    {
        var errors = ValidateWith(With(GoodStatistic(), ("valueAsWritten", "90%以上"), ("value", 90), ("comparator", "gt")));
        Assert.Contains(errors, e => e.Contains("'zz-bad-row'") && e.Contains("'90%以上' is written with 以上") && e.Contains("its comparator is gte, not gt"));
    }

    [Fact]
    public void AZeroThatTheQuoteNeverWritesIsRefused()
    {
        var errors = ValidateWith(With(GoodStatistic(), ("indicator", "districts-adopting-community-worker-pay-rules"), ("unit", "districts"),
            ("region", "110111"), ("value", 0), ("valueAsWritten", "正在上会"), ("quote", "还有两个区房山区和平谷区正在上会的程序当中")));
        Assert.Contains(errors, e => e.Contains("'zz-bad-row'") && e.Contains("value 0 but the quote has no zero"));
    }

    [Fact]
    public void AFloorStoredAsAnAchievementIsRefused()
    {
        var errors = ValidateWith(With(GoodStatistic(), ("indicator", "community-office-space-standard-area"), ("unit", "square-metres"),
            ("value", 350), ("valueAsWritten", "不低于350平方米"), ("kind", "actual")));
        Assert.Contains(errors, e => e.Contains("'zz-bad-row'") && e.Contains("is a rule the document sets") && e.Contains("kind norm"));
        Assert.DoesNotContain(ValidateWith(With(GoodStatistic(), ("indicator", "community-office-space-standard-area"), ("unit", "square-metres"),
            ("value", 350), ("valueAsWritten", "不低于350平方米"), ("comparator", "gte"), ("kind", "norm"))), e => e.Contains("rule the document sets"));
    }

    [Fact]
    public void AFigureAsWrittenThatItsQuoteDoesNotPrintIsRefused()
    {
        // The statistic's page marks the figure inside its quote: 92% retyped as 92.0% could not be found there.
        var errors = ValidateWith(With(GoodStatistic(), ("valueAsWritten", "92.0%")));
        Assert.Contains(errors, e => e.Contains("'zz-bad-row'") && e.Contains("valueAsWritten '92.0%' does not stand in its quote"));
        Assert.DoesNotContain(ValidateWith(GoodStatistic()), e => e.Contains("does not stand in its quote"));
    }

    [Fact]
    public void ATaskStoredAsAnAchievementIsRefused()
    {
        var errors = ValidateWith(With(GoodStatistic(), ("indicator", "service-circles-new"), ("unit", "service-circles"), ("period", "2016"),
            ("value", 100), ("valueAsWritten", "100个"), ("source", "pc2016"), ("quote", "一、2016年新建100个“一刻钟社区服务圈”的任务已基本完成")));
        Assert.Contains(errors, e => e.Contains("'zz-bad-row'") && e.Contains("'100个' is stated as a task") && e.Contains("kind target"));
    }

    [Fact]
    public void AFigureInAnotherUnitThanItsIndicatorIsRefused()
    {
        var errors = ValidateWith(With(GoodStatistic(), ("indicator", "registered-volunteers"), ("unit", "percent")));
        Assert.Contains(errors, e => e.Contains("'zz-bad-row'") && e.Contains("unit 'percent' is not its indicator's ('registered-volunteers' is in persons)"));
    }

    [Fact]
    public void ASeriesMixingTwoWageBasesIsRefused()
    {
        var social = With(GoodStatistic(), ("id", "zz-bad-social"), ("indicator", "zz-bad-pay-floor"), ("value", 70), ("valueAsWritten", "70%"),
            ("kind", "norm"), ("quote", "按照不低于上年度全市社会平均工资70%的标准"));
        var employee = With(GoodStatistic(), ("id", "zz-bad-employee"), ("indicator", "zz-bad-pay-floor"), ("value", 100), ("valueAsWritten", "100%"),
            ("kind", "norm"), ("quote", "由不低于本市职工平均工资的70%提高到100%"));
        var copy = Repository.CopyOfDb();
        File.WriteAllText(Path.Combine(copy, "data", "indicators", "zz-bad.json"), JsonSerializer.Serialize(new[]
        {
            new { id = "zz-bad-pay-floor", topic = "community-workers", unit = "percent", name = new { zh = "工资下限", en = "Pay floor" }, description = (object?)null },
        }));
        File.WriteAllText(Path.Combine(copy, "data", "statistics", "zz-bad.json"), new JsonArray(social, employee).ToJsonString());
        var errors = DatabaseTests.Validate(copy);
        Assert.Contains(errors, e => e.Contains("indicator 'zz-bad-pay-floor'") && e.Contains("percentages of different bases") &&
                                     e.Contains("社会平均工资") && e.Contains("职工平均工资"));
    }

    [Theory]
    [InlineData("约27,000 persons", "about 27,000 people", "notes.zh carries the English word 'persons'")]
    [InlineData("约426.7万人", "about 426.7万 people", "notes.en carries the Chinese number '7万'")]
    [InlineData("覆盖率达到70%以上", "coverage of more than 70%", "以上 means \"or more\"")]
    public void TextInTheWrongLanguageIsRefused(string zh, string en, string message)
    {
        var errors = ValidateWith(With(GoodStatistic(), ("notes", new JsonObject { ["zh"] = zh, ["en"] = en })));
        Assert.Contains(errors, e => e.Contains("'zz-bad-row'") && e.Contains(message));
    }

    [Fact]
    public void IdsInBackticksAndFileNamesAreNotEnglishWordsInChineseText()
    {
        var errors = ValidateWith(With(GoodStatistic(), ("notes", new JsonObject { ["zh"] = "见`registered-volunteers`与plans.json及art2018。", ["en"] = "See it." })));
        Assert.DoesNotContain(errors, e => e.Contains("English word"));
    }
}
