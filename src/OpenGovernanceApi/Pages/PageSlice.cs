using RazorSlices;

namespace OpenGovernanceApi.Pages;

/// <summary>
/// The base of every page (a RazorSlice with its model): adds the page's <see cref="PageContext"/> (language, path,
/// how to link), which every page writes with. PagesEndpoints.Render sets it before the page is rendered; a page passes
/// it on to its shared parts in their models.
/// </summary>
public abstract class PageSlice<TModel> : RazorSlice<TModel>
{
    public PageContext Page { get; set; } = default!;
}
