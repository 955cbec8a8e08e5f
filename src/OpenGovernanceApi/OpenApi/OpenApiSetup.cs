using System.Reflection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OpenGovernanceApi.OpenApi;

/// <summary>
/// The OpenAPI document (Swashbuckle) at /openapi/v1.json and Swagger UI at /docs. Schema and
/// parameter descriptions come from the XML comments of the response records and query
/// classes; the responses every operation shares (CSV, 406, 429) are added here, once.
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddOpenApiDocument(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "OpenGovernanceApi",
                Version = "v1",
                Description = """
                    Beijing's social-governance plans as open data: plans, goals, measures, indicators, regions, sources and
                    published statistics. Every figure carries its hedge (`comparator`), its period, its source and the exact
                    sentence it is quoted from. Read-only; JSON by default, CSV of any collection (`?format=csv`), strong ETags,
                    CORS for any origin, per-client rate limits. Errors are RFC 9457 problem details.
                    """,
                License = new OpenApiLicense { Name = "Data: CC BY 4.0", Url = new Uri("https://creativecommons.org/licenses/by/4.0/") },
            });
            options.IncludeXmlComments(Assembly.GetExecutingAssembly(), includeControllerXmlComments: false);
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
            options.UseAllOfToExtendReferenceSchemas(); // lets a nullable reference (notes, progress …) say so
            // HEAD is answered wherever GET is (RFC 9110 9.3.2): one operation in the document, not two.
            options.DocInclusionPredicate((_, api) => api.HttpMethod != "HEAD");
            options.OperationFilter<SharedResponses>();
            options.OperationFilter<ParameterExamples>(); // an example on every parameter, from one map (ParameterExamples.cs)
            options.ParameterFilter<QueryParameterSchemas>();
            options.SchemaFilter<NullableReferences>();
            options.DocumentFilter<TagDescriptions>();
            options.CustomSchemaIds(type => type.IsGenericType
                ? type.Name[..type.Name.IndexOf('`')] + "Of" + string.Join("", type.GetGenericArguments().Select(a => a.Name))
                : type.Name);
        });
        return services;
    }

    public static WebApplication UseOpenApiDocument(this WebApplication app)
    {
        // An endpoint, so the answer cache and HEAD apply to it as to /v1.
        app.MapSwagger("openapi/{documentName}.json").CacheAnswers().AnswerHeadAsGet();
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "docs";
            options.SwaggerEndpoint("/openapi/v1.json", "OpenGovernanceApi v1");
            options.DocumentTitle = "OpenGovernanceApi — documentation";
        });
        return app;
    }

    /// <summary>
    /// Query values are bound as strings (so that bad ones get our own 400 naming them), which
    /// makes them all optional to the framework; [Required] states which the handler insists on.
    /// </summary>
    private sealed class QueryParameterSchemas : IParameterFilter
    {
        public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
        {
            if (parameter is not OpenApiParameter p || context.PropertyInfo is not { } property) return;
            if (property.GetCustomAttribute<System.ComponentModel.DataAnnotations.RequiredAttribute>() is not null) p.Required = true;
            if (property.GetCustomAttribute<QuerySchemaAttribute>() is not { } constraints) return;
            var schema = new OpenApiSchema
            {
                Type = constraints.Type switch { "integer" => JsonSchemaType.Integer, "boolean" => JsonSchemaType.Boolean, _ => JsonSchemaType.String },
                Minimum = constraints.Minimum,
                Maximum = constraints.Maximum,
                Pattern = constraints.Pattern,
                Default = constraints.Default is null ? null : constraints.Type == "integer"
                    ? System.Text.Json.Nodes.JsonValue.Create(int.Parse(constraints.Default)) : System.Text.Json.Nodes.JsonValue.Create(constraints.Default),
                Enum = constraints.Enum?.Select(e => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(e)!).ToList(),
            };
            // A parameter that takes several values (indicator=a,b) keeps its array shape; the constraint is on each item.
            p.Schema = property.PropertyType.IsArray ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = schema } : schema;
            if (property.PropertyType.IsArray) { p.Style = ParameterStyle.Form; p.Explode = false; }
        }
    }

    /// <summary>
    /// One line per resource, so a reader of /docs knows what each group is for: each resource file says
    /// it beside its tag (<see cref="TagDescription"/>), so a new resource is one file and its registration.
    /// </summary>
    private sealed class TagDescriptions : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            if (document.Tags is null) return;
            var descriptions = context.ApiDescriptions.SelectMany(d => d.ActionDescriptor.EndpointMetadata.OfType<TagDescription>())
                .GroupBy(t => t.Tag).ToDictionary(g => g.Key, g => g.First().Description);
            foreach (var tag in document.Tags)
                if (tag is OpenApiTag t && t.Name is { } name && descriptions.TryGetValue(name, out var description)) t.Description = description;
        }
    }

    /// <summary>
    /// A nullable reference property is written `allOf: [$ref] + nullable`; OpenAPI 3.0 wants a
    /// `type` beside `nullable`, so it says `object`. The `data` of an envelope is never null.
    /// </summary>
    private sealed class NullableReferences : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema { Properties: { } properties }) return;
            foreach (var (name, property) in properties)
            {
                if (property is not OpenApiSchema { AllOf.Count: > 0 } composed) continue;
                if (context.Type.IsGenericType && name == "data") composed.Type = JsonSchemaType.Object;
                else if (composed.Type is null or JsonSchemaType.Null) composed.Type = JsonSchemaType.Object | JsonSchemaType.Null;
            }
        }
    }

    /// <summary>Responses every /v1 operation can give, whatever its handler returns.</summary>
    private sealed class SharedResponses : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var path = "/" + context.ApiDescription.RelativePath;
            if (!path.StartsWith("/v1", StringComparison.Ordinal)) return;
            operation.Responses ??= new OpenApiResponses();

            if (operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse okResponse && path != "/v1")
            {
                okResponse.Content ??= new Dictionary<string, IOpenApiMediaType>();
                okResponse.Content["text/csv"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "RFC 4180 CSV, UTF-8 with byte-order mark, one header row; nested fields flattened (`name.zh`). Every page, not just the first." },
                };
                if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ResponseShaping.ProducesGeoJson>().Any())
                    okResponse.Content["application/geo+json"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "RFC 7946 GeoJSON: a FeatureCollection (one Point Feature per item, at the region's representative point; properties = the item as in JSON; every page), or one Feature for a single item." },
                    };
                if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ResponseShaping.ProducesSvg>().Any())
                    okResponse.Content[ResponseFormatNegotiation.SvgMediaType] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "An SVG chart of every figure, to embed (`<img src=…>`): actual figures as points joined by a line, hedged ones as open markers, targets as diamonds at their deadline, norms as squares; labels in Chinese and English." },
                    };
            }
            var problem = new OpenApiSchemaReference("ProblemDetails", context.Document);
            // Any operation refuses unknown or repeated query parameters (QueryParameterFilter).
            if (!operation.Responses.ContainsKey("400"))
            {
                context.SchemaGenerator.GenerateSchema(typeof(HttpValidationProblemDetails), context.SchemaRepository);
                operation.Responses["400"] = Problem("A query parameter is unknown, repeated or has a bad value; `errors` names each one.",
                    new OpenApiSchemaReference(nameof(HttpValidationProblemDetails), context.Document));
            }
            operation.Responses.TryAdd("406", Problem("The Accept header asks for a format this resource does not have.", problem));
            operation.Responses.TryAdd("429", Problem("Too many requests from this client address; see Retry-After and RateLimit.", problem));
        }

        private static OpenApiResponse Problem(string description, IOpenApiSchema schema) => new()
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = schema } },
        };
    }
}
