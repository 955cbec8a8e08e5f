using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;

namespace OpenGovernanceApi.Tests;

/// <summary>
/// Answers are sent compressed to clients that accept it (browsers, curl --compressed, Python's
/// requests all do), decode to exactly the uncompressed bytes, and revalidate per coding.
/// </summary>
public class CompressionTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<HttpResponseMessage> GetAsync(string url, string? acceptEncoding, EntityTagHeaderValue? ifNoneMatch = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(ifNoneMatch);
        return await _client.SendAsync(request);
    }

    private static byte[] Decode(byte[] body, string coding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = coding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData("/v1/statistics?limit=100", "gzip, deflate, br", "br")]   // a browser
    [InlineData("/v1/statistics?format=csv", "gzip, deflate", "gzip")]     // Python's requests
    [InlineData("/v1/regions?format=geojson", "br;q=0, gzip", "gzip")]     // Brotli refused
    [InlineData("/v1/sources", "*", "br")]
    public async Task AClientThatAcceptsACodingGetsTheSameBytesCompressedEveryTime(string url, string acceptEncoding, string expected)
    {
        // Twice before the plain answer: the first is computed for the asker alone, the second is kept and served from memory.
        var compressed = new List<(HttpResponseMessage Response, byte[] Body)>();
        for (var i = 0; i < 2; i++)
        {
            var response = await GetAsync(url, acceptEncoding);
            compressed.Add((response, await response.Content.ReadAsByteArrayAsync()));
        }
        using var plain = await GetAsync(url, null);
        var bytes = await plain.Content.ReadAsByteArrayAsync();
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", plain.Headers.Vary);

        foreach (var (response, body) in compressed)
        {
            using var _ = response;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal([expected], response.Content.Headers.ContentEncoding);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            Assert.True(body.Length < bytes.Length / 2, $"{url}: {body.Length} bytes compressed, {bytes.Length} plain");
            Assert.Equal(bytes, Decode(body, expected));
            Assert.Equal(plain.Content.Headers.ContentType, response.Content.Headers.ContentType);
            // Another representation, so another ETag: a cache never hands compressed bytes for plain ones.
            Assert.NotEqual(plain.Headers.ETag, response.Headers.ETag);
            Assert.False(response.Headers.ETag!.IsWeak);
        }
        Assert.Equal(compressed[0].Response.Headers.ETag, compressed[1].Response.Headers.ETag);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("identity")]
    [InlineData("gzip;q=0.5, identity")]
    [InlineData("deflate, zstd")] // codings we do not offer
    [InlineData("not a header ;;; q=")]
    public async Task WithoutAnAcceptedCodingTheAnswerIsPlain(string? acceptEncoding)
    {
        using var plain = await GetAsync("/v1/statistics?limit=50", null);
        using var response = await GetAsync("/v1/statistics?limit=50", acceptEncoding);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(plain.Headers.ETag, response.Headers.ETag);
    }

    [Fact]
    public async Task ASmallAnswerIsNotWorthCompressing()
    {
        using var response = await GetAsync("/v1/statistics?limit=1&fields=id", "gzip, br");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length < 1024);
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task ACompressedCopyRevalidatesOnlyForAClientThatCanReadIt()
    {
        const string url = "/v1/statistics?limit=20&sort=-period";
        using var brotli = await GetAsync(url, "br");
        var etag = brotli.Headers.ETag!;
        Assert.Equal(["br"], brotli.Content.Headers.ContentEncoding);

        using var same = await GetAsync(url, "gzip, br", etag);
        Assert.Equal(HttpStatusCode.NotModified, same.StatusCode);
        Assert.Equal(etag, same.Headers.ETag);

        // A shared cache holding the Brotli copy must not serve it to a client that cannot decode it.
        using var plainClient = await GetAsync(url, null, etag);
        Assert.Equal(HttpStatusCode.OK, plainClient.StatusCode);
        Assert.Empty(plainClient.Content.Headers.ContentEncoding);
        Assert.NotEqual(etag, plainClient.Headers.ETag);

        // The plain copy is current for anyone: every client can read it.
        using var plainCopy = await GetAsync(url, "br", plainClient.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, plainCopy.StatusCode);
    }

    [Fact]
    public async Task HeadAnswersTheHeadersOfTheCompressedGet()
    {
        const string url = "/v1/regions?format=geojson&level=district";
        using var head = await GetAsync(url, "gzip", method: HttpMethod.Head);
        using var get = await GetAsync(url, "gzip");
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(["gzip"], head.Content.Headers.ContentEncoding);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
    }

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br", "br")]
    public async Task AnAnswerTooLargeToKeepIsCompressedAsItStreams(string acceptEncoding, string expected)
    {
        // With a 16 kB cap the full CSV (about 230 kB) is too large to keep: it streams on every
        // request (the first, which finds it out, and the later ones), compressed on the way.
        using var small = new GovernanceApiFactory().WithSetting("Caching:MaxEntryBytes", "16384");
        var client = small.CreateClient();
        using var plain = await client.GetAsync("/v1/statistics?format=csv");
        var bytes = await plain.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length > 16384);
        foreach (var first in new[] { true, false })
        {
            using var fresh = first ? new GovernanceApiFactory().WithSetting("Caching:MaxEntryBytes", "16384") : null;
            var asker = fresh?.CreateClient() ?? client; // a new process finds out on this very request
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics?format=csv");
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            using var response = await asker.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal([expected], response.Content.Headers.ContentEncoding);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(body.Length < bytes.Length / 4, $"{body.Length} bytes compressed, {bytes.Length} plain");
            Assert.Equal(bytes, Decode(body, expected));
            Assert.NotEqual(plain.Headers.ETag, response.Headers.ETag);

            using var again = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics?format=csv");
            again.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var revalidated = await asker.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        }

        using var head = new HttpRequestMessage(HttpMethod.Head, "/v1/statistics?format=csv");
        head.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        using var headResponse = await client.SendAsync(head);
        Assert.Equal([expected], headResponse.Content.Headers.ContentEncoding);
        Assert.Empty(await headResponse.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TheDatabaseDownloadIsCompressedToo()
    {
        using var plain = await GetAsync("/v1/downloads/governance.sqlite", null);
        using var gzip = await GetAsync("/v1/downloads/governance.sqlite", "gzip");
        Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(), Decode(await gzip.Content.ReadAsByteArrayAsync(), "gzip"));
        Assert.Equal(plain.Content.Headers.ContentDisposition?.FileName, gzip.Content.Headers.ContentDisposition?.FileName);
    }
}
