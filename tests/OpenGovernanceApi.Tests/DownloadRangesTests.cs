using System.Net;
using System.Net.Http.Headers;

namespace OpenGovernanceApi.Tests;

/// <summary>A cut download resumes: byte ranges of the bulk files (RFC 9110 14), as `curl -C -` asks for them.</summary>
public class DownloadRangesTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<HttpResponseMessage> Get(string url, string? range = null, string? ifRange = null, string? acceptEncoding = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (range is not null) request.Headers.TryAddWithoutValidation("Range", range);
        if (ifRange is not null) request.Headers.TryAddWithoutValidation("If-Range", ifRange);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return await _client.SendAsync(request);
    }

    [Theory]
    [InlineData("/v1/downloads/governance.sqlite")]
    [InlineData("/v1/downloads/statistics.csv")]
    public async Task ADownloadCutShortResumesFromWhereItStoppedAndTheBytesAddUp(string url)
    {
        using var whole = await Get(url);
        var bytes = await whole.Content.ReadAsByteArrayAsync();
        Assert.Equal("bytes", Assert.Single(whole.Headers.AcceptRanges));
        var cut = bytes.Length / 3;
        using var rest = await Get(url, $"bytes={cut}-", ifRange: whole.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal(new ContentRangeHeaderValue(cut, bytes.Length - 1, bytes.Length), rest.Content.Headers.ContentRange);
        Assert.Equal(whole.Headers.ETag, rest.Headers.ETag);
        byte[] resumed = [.. bytes[..cut], .. await rest.Content.ReadAsByteArrayAsync()];
        Assert.Equal(bytes, resumed);
    }

    [Fact]
    public async Task ARangePastTheEndIs416SayingTheLength()
    {
        using var whole = await Get("/v1/downloads/governance.sqlite");
        var length = (await whole.Content.ReadAsByteArrayAsync()).Length;
        using var past = await Get("/v1/downloads/governance.sqlite", $"bytes={length + 10}-");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, past.StatusCode);
        Assert.Equal(length, past.Content.Headers.ContentRange?.Length);
    }

    [Fact]
    public async Task AnIfRangeForOtherBytesGetsTheWholeFileNotAPieceOfTheNewOne()
    {
        using var answer = await Get("/v1/downloads/governance.sqlite", "bytes=100-199", ifRange: "\"0123456789abcdef-an-older-release\"");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var whole = await Get("/v1/downloads/governance.sqlite");
        Assert.Equal(await whole.Content.ReadAsByteArrayAsync(), await answer.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task OnlyTheUncompressedBytesOfferRanges()
    {
        using var brotli = await Get("/v1/downloads/statistics.csv", acceptEncoding: "br");
        Assert.Equal("br", Assert.Single(brotli.Content.Headers.ContentEncoding));
        Assert.Empty(brotli.Headers.AcceptRanges);
    }
}
