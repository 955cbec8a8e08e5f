using System.Buffers;
using System.IO.Compression;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace OpenGovernanceApi.Hosting;

/// <summary>The content codings an answer can be sent in (Content-Encoding), least preferred first.</summary>
public enum ContentCoding { Identity, Gzip, Brotli }

/// <summary>
/// Compression of the answers HttpCaching keeps: which coding a client accepts (Accept-Encoding)
/// and the compressed bytes, made once per kept answer. A page of 100 statistics, 200 kB of JSON,
/// is 18 kB in Brotli: what a browser, curl --compressed or Python's requests get without asking.
/// </summary>
/// <remarks>
/// Brotli at quality 5 and gzip at its default level: measured on our answers, about 1.6 and 1 ms for
/// 200 kB, at 9% and 12% of the size; quality 11 saves another 1% and takes 200 ms. Every answer
/// kept or not is compressed alike: one strong ETag per coding must always mean the same bytes.
/// Small answers are not worth a coding: under MinimumBytes, the header costs about what is saved.
/// </remarks>
public static class ContentCodings
{
    public const int MinimumBytes = 1024;
    private const int BrotliQuality = 5;

    private static readonly HeaderValueMemo<ContentCoding> Chosen = new(Parse);

    /// <summary>
    /// The coding to send, from Accept-Encoding (RFC 9110 12.5.3): the acceptable one with the highest
    /// weight, Brotli before gzip before none on a tie. No header, or none acceptable: identity.
    /// </summary>
    public static ContentCoding Choose(StringValues acceptEncoding)
    {
        if (StringValues.IsNullOrEmpty(acceptEncoding)) return ContentCoding.Identity;
        return Chosen[acceptEncoding.Count == 1 ? acceptEncoding[0]! : acceptEncoding.ToString()];
    }

    private static ContentCoding Parse(string acceptEncoding)
    {
        if (!StringWithQualityHeaderValue.TryParseList([acceptEncoding], out var codings)) return ContentCoding.Identity;
        double? brotli = null, gzip = null, identity = null, any = null;
        foreach (var c in codings)
        {
            var q = c.Quality ?? 1;
            switch (c.Value.Value?.ToLowerInvariant())
            {
                case "br": brotli = q; break;
                case "gzip" or "x-gzip": gzip = q; break;
                case "identity": identity = q; break;
                case "*": any = q; break;
            }
        }
        var best = (Coding: ContentCoding.Identity, Weight: identity ?? any ?? 1.0);
        // Ascending preference, so a tie goes to the later (preferred) coding.
        foreach (var (candidate, weight) in new[] { (ContentCoding.Gzip, gzip ?? any ?? 0), (ContentCoding.Brotli, brotli ?? any ?? 0) })
            if (weight > 0 && weight >= best.Weight) best = (candidate, weight);
        return best.Coding;
    }

    /// <summary>The Content-Encoding token of a coding (none for identity).</summary>
    public static string? Token(ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => "br",
        ContentCoding.Gzip => "gzip",
        _ => null,
    };

    /// <summary>Whether a body of this type and size is worth compressing: text of some size (not already compressed bytes).</summary>
    public static bool Worthwhile(string? contentType, int length) =>
        length >= MinimumBytes && contentType is not null &&
        (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
         || contentType.StartsWith("application/geo+json", StringComparison.OrdinalIgnoreCase)
         || contentType.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase)
         || contentType.StartsWith("application/vnd.sqlite3", StringComparison.OrdinalIgnoreCase)
         || contentType.StartsWith("image/svg+xml", StringComparison.OrdinalIgnoreCase)
         || contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// An encoder writing into `inner`, for an answer too large to keep: it is compressed anew for
    /// every request, so at Brotli's quality 1 and gzip's fastest level (measured on the full CSV:
    /// Brotli 1 at 12% of the size, at about 300 MB/s).
    /// </summary>
    public static Stream StreamingEncoder(Stream inner, ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => new BrotliStream(inner, new BrotliCompressionOptions { Quality = 1 }, leaveOpen: true),
        ContentCoding.Gzip => new GZipStream(inner, CompressionLevel.Fastest, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(coding), coding, "not a compression"),
    };

    /// <summary>The body (given in parts, as it was buffered) compressed in the coding.</summary>
    public static byte[] Compress(IEnumerable<ReadOnlyMemory<byte>> body, int length, ContentCoding coding)
    {
        // Written to a growing buffer, never one the size of the body: a large one would land on the large object heap.
        using var output = new MemoryStream(Math.Min(length / 4 + 64, 64 * 1024));
        if (coding == ContentCoding.Brotli)
        {
            CompressBrotli(body, output, BrotliQuality, WindowBits(length));
        }
        else
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(coding, ContentCoding.Gzip);
            using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
            foreach (var part in body) gzip.Write(part.Span);
        }
        return output.ToArray();
    }

    /// <summary>
    /// Brotli's window sized to the body: BrotliStream always takes the largest default (4 MB), and an
    /// encoder then holds about 9 MB of native memory, for a 200 kB page of 100 as for anything else.
    /// A window that just holds the body compresses it to the same size (measured in NOTES.md).
    /// </summary>
    private static int WindowBits(int length) =>
        Math.Clamp(32 - int.LeadingZeroCount(length + 16), BrotliMinWindowBits, BrotliDefaultWindowBits);

    private const int BrotliMinWindowBits = 10, BrotliDefaultWindowBits = 22;

    private static void CompressBrotli(IEnumerable<ReadOnlyMemory<byte>> body, MemoryStream output, int quality, int windowBits)
    {
        var encoder = new BrotliEncoder(quality, windowBits);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            foreach (var part in body) Encode(ref encoder, part.Span, buffer, output, final: false);
            Encode(ref encoder, [], buffer, output, final: true);
        }
        finally
        {
            encoder.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }

        static void Encode(ref BrotliEncoder encoder, ReadOnlySpan<byte> source, byte[] buffer, MemoryStream output, bool final)
        {
            while (true)
            {
                var status = encoder.Compress(source, buffer, out var consumed, out var written, final);
                output.Write(buffer, 0, written);
                source = source[consumed..];
                if (status == OperationStatus.Done) return;
                if (status != OperationStatus.DestinationTooSmall) throw new InvalidOperationException($"Brotli: {status}");
            }
        }
    }
}
