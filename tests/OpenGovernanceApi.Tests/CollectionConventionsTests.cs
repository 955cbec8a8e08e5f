using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OpenGovernanceApi.Tests;

/// <summary>The envelope, paging, fields and CSV every collection shares (API.md, Conventions).</summary>
public class CollectionConventionsTests(GovernanceApiFactory factory) : IClassFixture<GovernanceApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task ACollectionAnswersDataMetaAndLinks()
    {
        var page = await _client.GetJsonAsync("/v1/statistics?limit=5");
        Assert.Equal(5, page.GetProperty("data").GetArrayLength());
        var meta = page.GetProperty("meta");
        Assert.Equal(5, meta.GetProperty("count").GetInt32());
        Assert.Equal(5, meta.GetProperty("limit").GetInt32());
        Assert.True(meta.GetProperty("total").GetInt32() > 5);
        Assert.Matches("^[0-9a-f]{16}$", meta.GetProperty("dataVersion").GetString());
        Assert.EndsWith("/v1/statistics?limit=5", page.Str("links.self"));
        Assert.Contains("cursor=", page.Str("links.next"));
    }

    [Fact]
    public async Task TheDefaultPageHoldsAHundredItems()
    {
        var page = await _client.GetJsonAsync("/v1/statistics");
        Assert.Equal(100, page.GetProperty("meta").GetProperty("limit").GetInt32());
        Assert.Equal(Math.Min(100, page.GetProperty("meta").GetProperty("total").GetInt32()), page.GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("")]
    [InlineData("&sort=period")]
    [InlineData("&sort=-value")]
    [InlineData("&sort=-id")]
    public async Task FollowingNextVisitsEveryItemOnceInTheSameOrderAsOneBigPage(string sort)
    {
        var all = (await _client.GetJsonAsync($"/v1/statistics?limit=1000{sort}")).Ids();
        var seen = new List<string>();
        var url = $"/v1/statistics?limit=7{sort}";
        while (url is not null)
        {
            using var response = await _client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            seen.AddRange(page.Ids());
            var next = page.GetProperty("links").GetProperty("next");
            if (next.ValueKind == JsonValueKind.Null)
            {
                Assert.False(response.Headers.Contains("Link"));
                url = null;
            }
            else
            {
                // RFC 8288: the Link header repeats links.next.
                Assert.Equal($"<{next.GetString()}>; rel=\"next\"", Assert.Single(response.Headers.GetValues("Link")));
                url = new Uri(next.GetString()!).PathAndQuery;
            }
        }
        Assert.Equal(all, seen);
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("eyJ2IjoiMSJ9")]
    [InlineData("%00%01")]
    public async Task AMalformedCursorIsA400NamingCursor(string cursor)
    {
        var problem = await _client.GetProblemAsync($"/v1/statistics?cursor={cursor}", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _));
    }

    [Fact]
    public async Task ACursorFromAnotherDataReleaseIsA400()
    {
        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"V":"0000000000000000","S":"id","K":null,"I":"a"}"""))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var problem = await _client.GetProblemAsync($"/v1/statistics?cursor={cursor}", HttpStatusCode.BadRequest);
        Assert.Contains("another data release", problem.GetProperty("errors").GetProperty("cursor")[0].GetString());
    }

    [Theory]
    [InlineData("value", "abc")]
    [InlineData("-value", "NaN")]
    [InlineData("value", "1e999")]
    public async Task AHandMadeCursorWhosePlaceIsNotANumberIsA400NotACrash(string sort, string key)
    {
        var release = (await _client.GetJsonAsync("/healthz")).Str("dataVersion");
        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"V":"{{release}}","S":"{{sort}}","K":"{{key}}","I":"a"}"""))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var problem = await _client.GetProblemAsync($"/v1/statistics?sort={sort}&cursor={cursor}", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _));
    }

    [Fact]
    public async Task ACursorUsedWithAnotherSortIsA400()
    {
        var next = (await _client.GetJsonAsync("/v1/statistics?limit=2&sort=period")).Str("links.next");
        var cursor = System.Web.HttpUtility.ParseQueryString(new Uri(next).Query)["cursor"];
        var problem = await _client.GetProblemAsync($"/v1/statistics?sort=value&cursor={cursor}", HttpStatusCode.BadRequest);
        Assert.Contains("sort", problem.GetProperty("errors").GetProperty("cursor")[0].GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("-1")]
    [InlineData("ten")]
    [InlineData("1e2")]
    [InlineData("99999999999999999999")]
    [InlineData("1%00")]          // int.TryParse alone would take "1\0" as 1
    [InlineData("%D9%A1%D9%A0")]  // Arabic-Indic digits
    [InlineData("%2B1")]
    [InlineData("%201")]
    public async Task ALimitOutsideOneToAThousandIsA400NamingLimit(string limit)
    {
        var problem = await _client.GetProblemAsync($"/v1/statistics?limit={limit}", HttpStatusCode.BadRequest);
        Assert.Contains("1 to 1000", problem.GetProperty("errors").GetProperty("limit")[0].GetString());
    }

    [Fact]
    public async Task AnUnknownQueryParameterIsA400NamingIt()
    {
        var problem = await _client.GetProblemAsync("/v1/statistics?indicatr=community-workers", HttpStatusCode.BadRequest);
        Assert.Contains("indicator", problem.GetProperty("errors").GetProperty("indicatr")[0].GetString());
        Assert.Contains("indicatr", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/v1/search?q=%FF%FE", "q")]
    [InlineData("/v1/statistics?q=%C3", "q")]                 // a sequence cut short
    [InlineData("/v1/statistics?q=%C0%80", "q")]              // an overlong NUL
    [InlineData("/v1/search?q=%ED%A0%80", "q")]               // a UTF-16 surrogate
    [InlineData("/v1/statistics?limit=2&indicator=%FF", "indicator")]
    public async Task QueryTextThatIsNotValidUtf8IsA400NamingTheParameter(string url, string parameter)
    {
        // Decoded, the bad bytes would become U+FFFD and match nothing: a 200 with no hits that hides the mistake.
        var problem = await _client.GetProblemAsync(url, HttpStatusCode.BadRequest);
        Assert.Equal(["is not valid UTF-8 text."], problem.GetProperty("errors").GetProperty(parameter).EnumerateArray().Select(e => e.GetString()));
        Assert.Contains($"'{parameter}'", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("%EF%BF%BDab")]       // U+FFFD itself, validly encoded
    [InlineData("%25FF")]             // the text "%FF", its percent sign escaped
    [InlineData("%E5%BF%97%E6%84%BF")] // 志愿
    public async Task ValidlyEncodedTextIsAcceptedWhateverItSpells(string q)
    {
        await _client.GetJsonAsync($"/v1/statistics?q={q}&limit=1");
    }

    [Fact]
    public async Task ASingleValuedParameterGivenTwiceIsA400()
    {
        var problem = await _client.GetProblemAsync("/v1/statistics?limit=1&limit=2", HttpStatusCode.BadRequest);
        Assert.Contains("more than once", problem.GetProperty("errors").GetProperty("limit")[0].GetString());
    }

    [Fact]
    public async Task FieldsKeepsOnlyTheNamedFieldsInTheirOrder()
    {
        var page = await _client.GetJsonAsync("/v1/statistics?limit=3&fields=value,id");
        foreach (var item in page.GetProperty("data").EnumerateArray())
            Assert.Equal(["id", "value"], item.EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, page.GetProperty("meta").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task AnUnknownFieldIsA400NamingIt()
    {
        var problem = await _client.GetProblemAsync("/v1/statistics?fields=id,valeu", HttpStatusCode.BadRequest);
        Assert.Contains("'valeu'", problem.GetProperty("errors").GetProperty("fields")[0].GetString());
    }

    [Fact]
    public async Task CsvHoldsEveryRowNotJustTheFirstPageWithABomAndOneHeader()
    {
        var total = (await _client.GetJsonAsync("/v1/statistics?limit=1")).GetProperty("meta").GetProperty("total").GetInt32();
        using var response = await _client.GetAsync("/v1/statistics?format=csv&limit=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var rows = Csv.Parse(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(total + 1, rows.Count);
        Assert.Equal(["id", "indicator.id", "indicator.name.zh", "indicator.name.en"], rows[0].Take(4));
        Assert.Contains("quote", rows[0]);
        Assert.All(rows, r => Assert.Equal(rows[0].Count, r.Count));
    }

    /// <summary>
    /// A spreadsheet user reads the same figures as a JSON user: every cell of the CSV is the JSON
    /// value at its dotted column (numbers as JSON writes them, true/false, null as empty, lists
    /// joined with ';'), row by row, for every collection.
    /// </summary>
    [Theory]
    [InlineData("/v1/statistics")]
    [InlineData("/v1/goals")]
    [InlineData("/v1/measures")]
    [InlineData("/v1/indicators")]
    [InlineData("/v1/regions")]
    [InlineData("/v1/sources")]
    [InlineData("/v1/plans")]
    [InlineData("/v1/events")]
    [InlineData("/v1/releases")]
    [InlineData("/v1/search?q=%E5%85%9A%E5%BB%BA")]
    public async Task EveryCsvCellIsTheJsonValueAtItsColumn(string url)
    {
        var separator = url.Contains('?') ? '&' : '?';
        var items = (await _client.GetJsonAsync($"{url}{separator}limit=1000")).GetProperty("data").EnumerateArray().ToList();
        var rows = Csv.Parse((await _client.GetStringAsync($"{url}{separator}format=csv")).TrimStart('\uFEFF'));
        Assert.Equal(items.Count + 1, rows.Count);
        var header = rows[0];
        var cells = 0;
        for (var r = 0; r < items.Count; r++)
            for (var c = 0; c < header.Count; c++)
            {
                Assert.True(Expected(items[r], header[c]) == rows[r + 1][c],
                    $"{url} row {r + 1} column {header[c]}: CSV '{rows[r + 1][c]}', JSON '{Expected(items[r], header[c])}'");
                cells++;
            }
        Assert.True(cells > items.Count, $"{url}: only {cells} cells compared");

        static string Expected(JsonElement item, string column)
        {
            var element = item;
            foreach (var part in column.Split('.'))
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element)) return "";
            return element.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => "",
                JsonValueKind.String => element.GetString()!,
                JsonValueKind.Array => string.Join(";", element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
                _ => element.GetRawText(),
            };
        }
    }

    [Fact]
    public async Task AcceptTextCsvGivesCsvAndFieldsApplyToIt()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/statistics?fields=id,valueAsWritten,source");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await _client.SendAsync(request);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var rows = Csv.Parse((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        Assert.Equal(["id", "valueAsWritten", "source.id", "source.title.zh", "source.title.en", "source.publishedOn", "source.url"], rows[0]);
    }

    [Fact]
    public async Task AnAcceptHeaderWeCannotMeetIsA406Problem()
    {
        var problem = await _client.GetProblemAsync("/v1/statistics", HttpStatusCode.NotAcceptable, accept: "application/xml");
        Assert.Contains("text/csv", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnUnknownFormatIsA400NamingFormat()
    {
        var problem = await _client.GetProblemAsync("/v1/statistics?format=xml", HttpStatusCode.BadRequest);
        Assert.Contains("json, csv", problem.GetProperty("errors").GetProperty("format")[0].GetString());
    }

    [Fact]
    public async Task ASingleItemCanBeCsvToo()
    {
        var id = (await _client.GetJsonAsync("/v1/sources?limit=1")).Ids()[0];
        var csv = await _client.GetStringAsync($"/v1/sources/{id}?format=csv");
        var rows = Csv.Parse(csv.TrimStart('\uFEFF'));
        Assert.Equal(2, rows.Count);
        Assert.Equal(id, rows[1][0]);
    }
}

/// <summary>A small RFC 4180 reader, so tests check what a spreadsheet would read.</summary>
public static class Csv
{
    public static List<List<string>> Parse(string text) =>
        ParseCells(text).Select(row => row.Select(cell => cell.Value).ToList()).ToList();

    /// <summary>Each cell with whether it was written in quotes (what a reader that honours quoting sees).</summary>
    public static List<List<(string Value, bool Quoted)>> ParseCells(string text)
    {
        var rows = new List<List<(string, bool)>>();
        var row = new List<(string, bool)>();
        var cell = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = wasQuoted = true;
            else if (c == ',') { row.Add((cell.ToString(), wasQuoted)); cell.Clear(); wasQuoted = false; }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add((cell.ToString(), wasQuoted)); cell.Clear(); wasQuoted = false; rows.Add(row); row = []; i++;
            }
            else cell.Append(c);
        }
        if (cell.Length > 0 || row.Count > 0 || wasQuoted) { row.Add((cell.ToString(), wasQuoted)); rows.Add(row); }
        return rows;
    }
}
