using OpenGovernanceApi.Api;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// The verdict on a quantitative goal (API.md, "Progress of a quantitative goal"), as a pure
/// function: the hedges of both figures are kept, and "近90%" is never read as 90% without saying so.
/// </summary>
public class GoalProgressTests
{
    private static GoalProgress.Figure Target(double value, string comparator, string unit = "persons") => new(value, unit, comparator, "2025");

    private static GoalProgress.Figure Actual(double value, string comparator, string unit = "persons") => new(value, unit, comparator, "2023-06");

    private static readonly GoalProgress.PlanPeriod Plan14th = new("2021", "2025");

    private static GoalProgress.Verdict Assess(GoalProgress.Figure target, GoalProgress.Figure? latest) => GoalProgress.Assess(target, latest, Plan14th);

    [Fact]
    public void NoLatestFigureIsNoDataWithoutARatio()
    {
        var verdict = Assess(Target(60000, "gte"), null);
        Assert.Equal("no-data", verdict.Status);
        Assert.Null(verdict.Ratio);
        Assert.False(string.IsNullOrEmpty(verdict.Reason.Zh));
        Assert.False(string.IsNullOrEmpty(verdict.Reason.En));
    }

    [Theory]
    [InlineData(21, "percent", 4267000, "persons", "at least 21%", "4.267 million people")]
    [InlineData(500, "facilities", 520, "organisations", "at least 500", "520")]
    public void DifferentUnitsAreNotComparableAndTheReasonNamesBoth(double target, string targetUnit, double latest, string latestUnit, string targetWords, string latestWords)
    {
        var verdict = Assess(Target(target, "gte", targetUnit), Actual(latest, "eq", latestUnit));
        Assert.Equal("not-comparable", verdict.Status);
        Assert.Null(verdict.Ratio);
        Assert.Contains(targetWords, verdict.Reason.En);
        Assert.Contains(latestWords, verdict.Reason.En);
    }

    [Fact]
    public void AFigureFromBeforeThePlansPeriodIsShownAsTheBaselineAndNeverJudged()
    {
        var before = new GoalProgress.Figure(4267000, "persons", "gt", "2019-01-09");
        var verdict = GoalProgress.Assess(Target(6000000, "gte"), null, Plan14th, before);
        Assert.Equal("no-data", verdict.Status);
        Assert.Null(verdict.Ratio);
        Assert.Contains("2021–2025", verdict.Reason.En);
        Assert.Contains("more than 4.267 million people (2019-01-09), is shown as the baseline", verdict.Reason.En);
        Assert.Contains("超过426.7万人", verdict.Reason.Zh);
        Assert.Contains("基线", verdict.Reason.Zh);
    }

    [Fact]
    public void AnActualFromBeforeThePlanHandedInAsLatestIsStillOnlyABaseline()
    {
        var verdict = GoalProgress.Assess(Target(21, "gte", "percent"), new GoalProgress.Figure(30, "percent", "eq", "2019-01-09"), Plan14th);
        Assert.Equal("no-data", verdict.Status);
        Assert.Contains("baseline", verdict.Reason.En);
    }

    [Theory]
    [InlineData(27000, "approx", "persons")]
    [InlineData(4267000, "gt", "persons")]
    [InlineData(350, "gte", "square-metres")]
    [InlineData(1200, "eq", "organisations")]
    public void EachLanguageOfTheReasonIsWrittenInThatLanguage(double latest, string comparator, string unit)
    {
        var verdict = Assess(Target(60000, "gte", unit), Actual(latest, comparator, unit));
        Assert.DoesNotMatch("[a-z]{3,}", verdict.Reason.Zh);
        Assert.DoesNotMatch("[万亿\\p{IsCJKUnifiedIdeographs}]", verdict.Reason.En);
    }

    [Fact]
    public void AZeroTargetIsNotComparableRatherThanADivisionByZero()
    {
        var verdict = Assess(Target(0, "gte"), Actual(10, "eq"));
        Assert.Equal("not-comparable", verdict.Status);
        Assert.Null(verdict.Ratio);
    }

    [Theory]
    // target (at least / more than / exactly), an exact actual figure, the verdict, the ratio
    [InlineData(60000, "gte", 61000, "met", 1.0167)]
    [InlineData(60000, "gte", 60000, "met", 1.0)]
    [InlineData(60000, "gte", 59999, "not-met", 1.0)]
    [InlineData(60000, "gte", 27000, "not-met", 0.45)]
    [InlineData(500, "gt", 500, "not-met", 1.0)]
    [InlineData(500, "gt", 501, "met", 1.002)]
    [InlineData(1200, "eq", 1200, "met", 1.0)]
    [InlineData(1200, "eq", 1000, "not-met", 0.8333)]
    public void AnExactActualFigureMeetsAFloorTargetOnlyWhenItReachesIt(double target, string comparator, double latest, string status, double ratio)
    {
        var verdict = Assess(Target(target, comparator), Actual(latest, "eq"));
        Assert.Equal(status, verdict.Status);
        Assert.Equal(ratio, verdict.Ratio);
        Assert.Contains(status == "met" ? "meets" : "falls short", verdict.Reason.En);
    }

    [Theory]
    // "6万多" against 10万: more than 60000 may already be 100000 or not.
    [InlineData(100000, "eq", 60000, "gt")]
    [InlineData(60000, "gte", 50000, "gt")]
    [InlineData(60000, "gte", 50000, "gte")]
    [InlineData(500, "gt", 500, "gte")]
    public void AMoreThanActualBelowTheTargetIsUncertainWithTheReason(double target, string targetComparator, double latest, string latestComparator)
    {
        var verdict = Assess(Target(target, targetComparator), Actual(latest, latestComparator));
        Assert.Equal("uncertain", verdict.Status);
        Assert.Equal(Math.Round(latest / target, 4), verdict.Ratio);
        Assert.Contains("lower bound", verdict.Reason.En);
        Assert.Contains("下限", verdict.Reason.Zh);
    }

    [Theory]
    [InlineData(60000, "gte", 60000, "gt")]
    [InlineData(60000, "gte", 70000, "gt")]
    [InlineData(500, "gt", 500, "gt")]
    [InlineData(60000, "gte", 60000, "gte")]
    public void AMoreThanActualAtOrAboveTheTargetIsMet(double target, string targetComparator, double latest, string latestComparator)
    {
        Assert.Equal("met", Assess(Target(target, targetComparator), Actual(latest, latestComparator)).Status);
    }

    [Theory]
    // within 5% of the target on either side: "about" cannot decide
    [InlineData(60000, "gte", 58000)]
    [InlineData(60000, "gte", 57500)]
    [InlineData(60000, "gte", 61500)]
    [InlineData(90, "gt", 90)]
    public void AnApproximateActualWithinFivePercentOfTheTargetIsUncertain(double target, string targetComparator, double latest)
    {
        var verdict = Assess(Target(target, targetComparator), Actual(latest, "approx"));
        Assert.Equal("uncertain", verdict.Status);
        Assert.NotNull(verdict.Ratio);
        Assert.Contains("about", verdict.Reason.En); // the hedge is said, not dropped
        Assert.Contains("约", verdict.Reason.Zh);
    }

    [Theory]
    [InlineData(60000, "gte", 27000, "not-met", 0.45)]
    [InlineData(60000, "gte", 56000, "not-met", 0.9333)]
    [InlineData(60000, "gte", 70000, "met", 1.1667)]
    public void AnApproximateActualFarFromTheTargetIsDecided(double target, string targetComparator, double latest, string status, double ratio)
    {
        var verdict = Assess(Target(target, targetComparator), Actual(latest, "approx"));
        Assert.Equal(status, verdict.Status);
        Assert.Equal(ratio, verdict.Ratio);
        Assert.Contains("about", verdict.Reason.En);
    }

    [Theory]
    // "不到6万" against "不少于6万": certainly short; "不超过6万" might be exactly 6万
    [InlineData(60000, "gte", 40000, "lt", "not-met")]
    [InlineData(60000, "gte", 60000, "lt", "not-met")]
    [InlineData(60000, "gte", 80000, "lt", "uncertain")]
    [InlineData(60000, "gte", 60000, "lte", "uncertain")]
    [InlineData(500, "gt", 500, "lte", "not-met")]
    public void ALessThanActualIsNotMetWhenItsBoundFallsShortAndUncertainOtherwise(double target, string targetComparator, double latest, string latestComparator, string status)
    {
        Assert.Equal(status, Assess(Target(target, targetComparator), Actual(latest, latestComparator)).Status);
    }

    [Theory]
    // a ceiling ("不超过 10%"): the actual must stay at or under it
    [InlineData(10, "lte", 8, "eq", "met")]
    [InlineData(10, "lte", 10, "eq", "met")]
    [InlineData(10, "lte", 12, "eq", "not-met")]
    [InlineData(10, "lt", 10, "eq", "not-met")]
    [InlineData(10, "lt", 9.9, "eq", "met")]
    [InlineData(10, "lte", 8, "lt", "met")]
    [InlineData(10, "lte", 10, "lte", "met")]
    [InlineData(10, "lt", 10, "lt", "met")]
    [InlineData(10, "lt", 10, "lte", "uncertain")]
    [InlineData(10, "lte", 10, "gt", "not-met")]
    [InlineData(10, "lte", 10, "gte", "uncertain")]
    [InlineData(10, "lte", 15, "lt", "uncertain")]
    [InlineData(10, "lte", 12, "gt", "not-met")]
    [InlineData(10, "lte", 8, "gt", "uncertain")]
    [InlineData(10, "lte", 10.2, "approx", "uncertain")]
    [InlineData(10, "lte", 9.8, "approx", "uncertain")]
    [InlineData(10, "lte", 5, "approx", "met")]
    [InlineData(10, "lte", 20, "approx", "not-met")]
    public void ACeilingTargetIsMetWhenTheActualStaysUnderIt(double target, string targetComparator, double latest, string latestComparator, string status)
    {
        var verdict = Assess(Target(target, targetComparator, "percent"), Actual(latest, latestComparator, "percent"));
        Assert.Equal(status, verdict.Status);
        Assert.Equal(Math.Round(latest / target, 4), verdict.Ratio);
        Assert.False(string.IsNullOrEmpty(verdict.Reason.En));
    }

    [Fact]
    public void TheReasonStatesBothFiguresWithTheirHedgesAndTheDateOfTheLatest()
    {
        var verdict = Assess(Target(100000, "gte"), Actual(60000, "gt"));
        Assert.Equal("uncertain", verdict.Status);
        Assert.Contains("more than 60,000 people", verdict.Reason.En);
        Assert.Contains("at least 100,000 people", verdict.Reason.En);
        Assert.Contains("2023-06", verdict.Reason.En);
        Assert.Contains("超过6万人", verdict.Reason.Zh);
        Assert.Contains("不少于10万人", verdict.Reason.Zh);
    }

    [Fact]
    public void APercentageIsWrittenWithAPercentSignInTheReason()
    {
        var verdict = Assess(Target(90, "gt", "percent"), Actual(90, "approx", "percent"));
        Assert.Contains("about 90%", verdict.Reason.En);
        Assert.Contains("more than 90%", verdict.Reason.En);
    }
}
