using System.Net;
using System.Text.Encodings.Web;

using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// The behaviour every answer shares, registered and ordered in one place: problem details
/// for every error, request logs, JSON settings, CORS, forwarded headers, rate limits, security headers,
/// HTTP caching. Program.cs calls the two methods below and nothing else of this.
/// </summary>
public static class ApiConventions
{
    public const string CorsPolicy = "read-only-any-origin";

    /// <summary>The MCP endpoint's (Mcp/McpEndpoints.cs): JSON-RPC is POSTed, so a browser-based assistant may POST from any origin.</summary>
    public const string McpCorsPolicy = "mcp-any-origin";

    /// <summary>The documented limit on the request line (method, target, version), answered by UseRequestLineLimit.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    public static WebApplicationBuilder AddApiConventions(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        RequestLogWriter.AddStructuredLogging(builder);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 0;           // a read-only API takes no bodies
            // Above our own limit, so that a line over it reaches UseRequestLineLimit and gets a problem with a
            // request id; beyond this one, Kestrel answers an empty 414 itself.
            kestrel.Limits.MaxRequestLineSize = 2 * MaxRequestLineBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        });
        // A request is handled on the thread that read it, instead of being queued to another: 304s at
        // 68-81k req/s instead of 57-71k on 2 cores (tests/benchmark/NOTES.md). Safe because nothing slow
        // runs there: whatever gets past the answer cache (SQLite, compression, a slow client's stream) is
        // moved to the thread pool (below, and HttpCaching). Server:InlineScheduling=false turns it off.
        builder.WebHost.UseSockets(sockets =>
            sockets.UnsafePreferInlineScheduling = builder.Configuration.GetValue("Server:InlineScheduling", true));

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var http = context.HttpContext;
            context.ProblemDetails.Instance ??= http.Request.Path;
            context.ProblemDetails.Extensions["requestId"] = http.TraceIdentifier;
        });
        services.AddExceptionHandler<ClientErrorExceptionHandler>();

        // Chinese text stays readable in JSON (no \uXXXX escapes). Safe: answers are application/json with nosniff, never HTML.
        services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

        services.AddCors(options => options.AddPolicy(CorsPolicy, policy => policy
            .AllowAnyOrigin()
            .WithMethods("GET", "HEAD")
            .AllowAnyHeader()
            .WithExposedHeaders(StandardHeaders.ExposedHeaders.Split(", "))
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        services.AddCors(options => options.AddPolicy(McpCorsPolicy, policy => policy
            .AllowAnyOrigin()
            .WithMethods("POST")
            .AllowAnyHeader()
            .WithExposedHeaders("Mcp-Session-Id", "Mcp-Protocol-Version", "Retry-After", "RateLimit", "RateLimit-Policy", "X-Request-Id")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));

        builder.AddPublicAddress(); // forwarded headers from known proxies only; PublicBaseUrl

        Readiness.AddReadiness(builder);
        services.AddPerClientRateLimiting(builder.Configuration);
        services.AddMetrics();
        services.AddSingleton<CacheMetrics>();
        return builder;
    }

    public static WebApplication UseApiConventions(this WebApplication app)
    {
        app.UseMiddleware<RequestLog>(); // outermost: sees the final status of every answer
        app.UseExceptionHandler();
        app.UsePublicAddress(); // the client's address and the API's public address, before anything reads them
        Readiness.UseDraining(app);
        // Routing first, so that what follows reads the endpoint's own metadata (cached answers, rate-limit
        // exemption) instead of matching path strings; HEAD is routed wherever GET is (AnswerHeadAsGet).
        app.UseRouting();
        app.UseStandardHeaders();
        app.UseReadOnlyCors();
        app.UseRequestLineLimit(); // before the answer cache, which keys on the URL
        app.UsePerClientRateLimiting();
        app.UseMiddleware<HttpCaching>();
        // What is not answered from memory is computed from SQLite or streamed: on the thread pool,
        // never on the transport's thread the request was read on (inline scheduling, above).
        app.Use(async (http, next) =>
        {
            await Task.Yield();
            await next(http);
        });
        // Only what is computed can be an empty error (a kept answer or a 304 never is), so this runs after HttpCaching.
        // Empty 404/405/406 answers become problem+json; a browser's 404 outside the API's paths, a page (Pages/).
        var problems = new StatusCodePagesOptions().HandleAsync; // the framework's own: a problem through IProblemDetailsService
        app.UseStatusCodePages(async context =>
        {
            if (!await Pages.PagesEndpoints.TryWriteNotFoundPageAsync(context.HttpContext)) await problems(context);
        });
        return app;
    }

    /// <summary>
    /// A request line over MaxRequestLineBytes is a 414 problem, carrying its request id like every other error
    /// (Kestrel's own 414 has neither body nor headers of ours).
    /// </summary>
    private static void UseRequestLineLimit(this WebApplication app)
    {
        var problems = app.Services.GetRequiredService<IProblemDetailsService>();
        app.Use((http, next) =>
        {
            var request = http.Request;
            // RFC 9112's request-line: method SP request-target SP HTTP-version (a valid target is ASCII: a byte a character).
            var length = request.Method.Length + http.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget.Length
                + request.Protocol.Length + 2;
            if (length <= MaxRequestLineBytes) return next(http);
            http.Response.StatusCode = StatusCodes.Status414UriTooLong;
            return problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails =
                {
                    Status = StatusCodes.Status414UriTooLong,
                    Title = "URI Too Long",
                    Type = "https://tools.ietf.org/html/rfc9110#section-15.5.15",
                    Detail = $"The request line is {length} bytes; at most {MaxRequestLineBytes} bytes are accepted. " +
                             "Ask for fewer values at once, or download the whole table (/v1/downloads).",
                },
            }).AsTask();
        });
    }

    /// <summary>
    /// CORS preflights by the framework's own rules (ICorsService) for the policies above, looked up once (the
    /// middleware resolves its policy provider from a per-request service scope: about 2 µs a request): the
    /// read-only one, or the one an endpoint names with WithCorsPolicy (the MCP endpoint, which takes POST). Every
    /// other answer carries the read-only policy's two headers whatever the request (StandardHeaders); an MCP
    /// answer to a browser also gets its policy's exposed headers.
    /// </summary>
    private static void UseReadOnlyCors(this WebApplication app)
    {
        var cors = app.Services.GetRequiredService<ICorsService>();
        var options = app.Services.GetRequiredService<IOptions<CorsOptions>>().Value;
        var policy = options.GetPolicy(CorsPolicy)!;
        app.Use((http, next) =>
        {
            if (!http.Request.Headers.ContainsKey(HeaderNames.Origin)) return next(http);
            // Routing has run: a preflight is routed to the endpoint whose method it asks about when that endpoint names a policy.
            var named = http.GetEndpoint()?.Metadata.GetMetadata<ReadOnlyEndpoints.CorsPolicyName>()?.Name is { } name ? options.GetPolicy(name) : null;
            if (named is null && !HttpMethods.IsOptions(http.Request.Method)) return next(http);
            var result = cors.EvaluatePolicy(http, named ?? policy);
            if (result.IsPreflightRequest)
            {
                cors.ApplyResult(result, http.Response);
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                return Task.CompletedTask;
            }
            if (named is not null)
                http.Response.OnStarting(() =>
                {
                    cors.ApplyResult(result, http.Response);
                    return Task.CompletedTask;
                });
            return next(http);
        });
    }

    /// <summary>
    /// Turns what a client can cause into a 4xx problem (a malformed request, a disconnect);
    /// anything else falls through to the generic 500 problem, which never carries a stack trace.
    /// </summary>
    private sealed class ClientErrorExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
            {
                http.Response.StatusCode = 499; // client closed the connection; nobody reads this
                return true;
            }
            if (exception is not BadHttpRequestException bad) return false;
            http.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                Exception = exception,
                ProblemDetails =
                {
                    Status = bad.StatusCode,
                    Title = ReasonPhrases.GetReasonPhrase(bad.StatusCode),
                    // Only /mcp takes a body (Mcp/McpEndpoints.cs): say its limit rather than cut Kestrel's message short.
                    Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                        ? $"The request body is too large: at most {http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0} bytes are accepted here."
                        : "The request could not be read: " + QueryErrors.Shorten(bad.Message),
                },
            });
        }
    }
}
