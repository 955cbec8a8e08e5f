// Serves, from memory, the exact bytes the API answered for each benchmarked URL (saved by
// run.sh as <n>.url / <n>.type / <n>.body in the folder given as the first argument, and for a
// compressed answer <n>.encoding, its Content-Encoding, asked for with the request's Accept-Encoding),
// plus a hello-world (/hello) and a bare 304 (/not-modified with any If-None-Match), so the
// benchmark can compare the API with what the framework itself costs for the same bytes.
var folder = args[0];
var responses = new Dictionary<string, (byte[] Body, string Type, string? Encoding)>(StringComparer.Ordinal);
foreach (var url in Directory.GetFiles(folder, "*.url"))
{
    var stem = Path.ChangeExtension(url, null);
    var encoding = File.Exists(stem + ".encoding") ? File.ReadAllText(stem + ".encoding").Trim() : null;
    responses[File.ReadAllText(url).Trim() + "\n" + encoding] =
        (File.ReadAllBytes(stem + ".body"), File.ReadAllText(stem + ".type").Trim(), encoding);
}

var builder = WebApplication.CreateSlimBuilder(args[1..]);
builder.Logging.ClearProviders();
var app = builder.Build();
var hello = "Hello, world"u8.ToArray();
app.Run(async http =>
{
    if (http.Request.Path == "/hello" || http.Request.Path == "/not-modified")
    {
        // The 304 ceiling: any If-None-Match is taken as a match, and echoed as the ETag.
        var ifNoneMatch = http.Request.Headers.IfNoneMatch.ToString();
        if (http.Request.Path == "/not-modified" && ifNoneMatch.Length > 0)
        {
            http.Response.Headers.ETag = ifNoneMatch;
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.Headers.ETag = "\"same\"";
        http.Response.ContentType = "text/plain";
        await http.Response.Body.WriteAsync(hello);
        return;
    }
    // The benchmark asks for a compressed answer with exactly its coding as Accept-Encoding.
    if (!responses.TryGetValue(http.Request.Path + http.Request.QueryString + "\n" + http.Request.Headers.AcceptEncoding, out var r))
    {
        http.Response.StatusCode = 404;
        return;
    }
    if (r.Encoding is not null) http.Response.Headers.ContentEncoding = r.Encoding;
    http.Response.ContentType = r.Type;
    http.Response.ContentLength = r.Body.Length;
    await http.Response.Body.WriteAsync(r.Body);
});
app.Run();
