using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace OpenGovernanceApi.Api;

/// <summary>
/// The opaque keyset cursor of a collection: where the last page ended (sort key and id),
/// under which sort and which data release. A cursor that does not decode, or that comes
/// from another sort or data release, is refused with a 400 rather than giving a wrong page.
/// </summary>
public sealed record PageCursor(string DataVersion, string Sort, string? Key, string Id)
{
    /// <summary>Characters of a cursor: those this API issues are well under it; a longer one is not decoded at all.</summary>
    public const int MaxLength = 2000;

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(
        new Payload(DataVersion, Sort, Key, Id)));

    public static PageCursor? Decode(string? raw, string dataVersion, string sort, QueryErrors errors)
    {
        if (raw is null) return null;
        try
        {
            if (raw.Length > MaxLength) throw new FormatException();
            var payload = JsonSerializer.Deserialize<Payload>(Base64Url.DecodeFromChars(raw));
            if (payload is null || payload.V is null || payload.S is null || payload.I is null) throw new FormatException();
            if (payload.V != dataVersion)
            {
                errors.Add("cursor", "comes from another data release; start again from the first page.");
                return null;
            }
            if (payload.S != sort)
            {
                errors.Add("cursor", $"was made for sort '{payload.S}', not '{sort}'; keep the same sort while paging.");
                return null;
            }
            return new PageCursor(payload.V, payload.S, payload.K, payload.I);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or DecoderFallbackException)
        {
            errors.Add("cursor", "is not a cursor this API issued; use links.next of a previous page.");
            return null;
        }
    }

    private sealed record Payload(string? V, string? S, string? K, string? I);
}
