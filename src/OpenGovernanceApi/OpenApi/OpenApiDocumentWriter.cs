namespace OpenGovernanceApi.OpenApi;

/// <summary>
/// `dotnet run --project src/OpenGovernanceApi -- --write-openapi openapi/v1.json` starts the
/// API on a free loopback port, fetches the document it serves and writes it to the file,
/// so the committed copy is exactly what clients get (the drift test compares the two).
/// </summary>
public static class OpenApiDocumentWriter
{
    public static async Task<int> WriteAsync(WebApplication app, string file)
    {
        app.Urls.Clear();
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var document = await client.GetStringAsync("/openapi/v1.json");
            var path = Path.IsPathRooted(file) ? file : Path.Combine(RepositoryRoot(), file);
            await File.WriteAllTextAsync(path, document.ReplaceLineEndings("\n").TrimEnd() + "\n");
            Console.WriteLine($"wrote {path}");
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>`dotnet run` may start in the project folder; relative paths mean the repository's.</summary>
    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenGovernanceApi.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
