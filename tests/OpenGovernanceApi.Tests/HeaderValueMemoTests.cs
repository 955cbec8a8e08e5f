using OpenGovernanceApi.Formats;
using OpenGovernanceApi.Hosting;

namespace OpenGovernanceApi.Tests;

/// <summary>A header's value is parsed once per distinct value, and odd values cannot grow the memo without bound.</summary>
public class HeaderValueMemoTests
{
    [Fact]
    public void AValueIsParsedOnceAndItsMeaningReusedAfter()
    {
        var parses = 0;
        var memo = new HeaderValueMemo<int>(value => { parses++; return value.Length; });
        Assert.Equal(4, memo["gzip"]);
        Assert.Equal(4, memo["gzip"]);
        Assert.Equal(2, memo["br"]);
        Assert.Equal(2, parses);
    }

    [Fact]
    public void PastItsCapacityTheMemoStartsAfreshRatherThanGrow()
    {
        var parsed = new List<string>();
        var memo = new HeaderValueMemo<string>(value => { parsed.Add(value); return value.ToUpperInvariant(); }, capacity: 2);
        foreach (var value in new[] { "a", "b", "c", "a" }) Assert.Equal(value.ToUpperInvariant(), memo[value]);
        // "c" found it full and cleared it, so "a" is parsed again.
        Assert.Equal(["a", "b", "c", "a"], parsed);
    }
}
