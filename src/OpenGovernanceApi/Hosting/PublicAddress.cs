using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace OpenGovernanceApi.Hosting;

/// <summary>
/// Who the client is and where the API is, behind proxies. X-Forwarded-For (and -Proto, -Host) is believed
/// only from the proxies and networks an operator names (ForwardedHeaders:KnownProxies, :KnownNetworks);
/// PublicBaseUrl fixes the scheme and host of every absolute link, citation and cache key, so every replica
/// behind any proxy answers the same bytes and ETags. A value that does not parse stops the start.
/// </summary>
public static class PublicAddress
{
    public static void AddPublicAddress(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var proxies = configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        var networks = configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        var parsedProxies = proxies.Select(p => IPAddress.TryParse(p, out var address) ? address
            : throw new InvalidSettingException("ForwardedHeaders:KnownProxies", $"'{p}' is not an IP address (a network such as 10.0.0.0/8 goes in ForwardedHeaders:KnownNetworks)")).ToList();
        var parsedNetworks = networks.Select(n => System.Net.IPNetwork.TryParse(n, out var network) ? network
            : throw new InvalidSettingException("ForwardedHeaders:KnownNetworks", $"'{n}' is not a network in CIDR notation (10.0.0.0/8, fd00::/8)")).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in parsedProxies) options.KnownProxies.Add(proxy);
            foreach (var network in parsedNetworks) options.KnownIPNetworks.Add(network);
        });

        var publicBase = configuration["PublicBaseUrl"];
        if (string.IsNullOrWhiteSpace(publicBase)) return;
        if (!Uri.TryCreate(publicBase, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new InvalidSettingException("PublicBaseUrl", $"'{publicBase}' is not an http(s) URL of a scheme, host and optional path (https://data.example.org)");
        builder.Services.AddSingleton(new PublicBaseUrl(uri.Scheme, new HostString(uri.Authority), PathString.FromUriComponent(uri.AbsolutePath.TrimEnd('/'))));
    }

    /// <summary>The scheme, host and path prefix every absolute link says.</summary>
    public sealed record PublicBaseUrl(string Scheme, HostString Host, PathString PathBase);

    /// <summary>
    /// Believes forwarded headers from known proxies only, then, with PublicBaseUrl set, makes the request say
    /// the public scheme and host: links (ApiUrls), paging URLs and the answer cache's key all read them there.
    /// </summary>
    public static void UsePublicAddress(this WebApplication app)
    {
        var forwarded = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        // With no trusted proxy, X-Forwarded-* is never believed: no need to look at it.
        if (forwarded.KnownProxies.Count > 0 || forwarded.KnownIPNetworks.Count > 0) app.UseForwardedHeaders();
        if (app.Services.GetService<PublicBaseUrl>() is not { } publicBase) return;
        app.Use((http, next) =>
        {
            http.Request.Scheme = publicBase.Scheme;
            http.Request.Host = publicBase.Host;
            http.Request.PathBase = publicBase.PathBase;
            return next(http);
        });
    }
}
