namespace OpenGovernanceApi.OpenApi;

/// <summary>What a tag (a resource's group of operations) is for, in one line for the OpenAPI document.</summary>
public sealed record TagDescription(string Tag, string Description);

public static class TagDescriptionExtensions
{
    /// <summary>Tags the operations and says, once, what the tag is for.</summary>
    public static TBuilder WithTag<TBuilder>(this TBuilder builder, string tag, string description) where TBuilder : IEndpointConventionBuilder =>
        builder.WithTags(tag).WithMetadata(new TagDescription(tag, description));
}
