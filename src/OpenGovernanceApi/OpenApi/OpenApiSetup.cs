using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
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
            options.UseAllOfToExtendReferenceSchemas(); // marks a nullable reference (notes, progress …); NullableReferences rewrites it for 3.1
            // HEAD is answered wherever GET is (RFC 9110 9.3.2): one operation in the document, not two.
            options.DocInclusionPredicate((_, api) => api.HttpMethod != "HEAD");
            options.OperationFilter<SharedResponses>();
            options.OperationFilter<ResponseHeaders.OnResponses>(); // after SharedResponses, which adds responses
            options.OperationFilter<ParameterExamples>(); // an example on every parameter, from one map (ParameterExamples.cs)
            options.ParameterFilter<QueryParameterSchemas>();
            options.SchemaFilter<NullableReferences>();
            options.DocumentFilter<TagDescriptions>();
            options.DocumentFilter<ResponseHeaders.Components>();
            options.DocumentFilter<PartialItems>();
            options.CustomSchemaIds(type => type.IsGenericType
                ? type.Name[..type.Name.IndexOf('`')] + "Of" + string.Join("", type.GetGenericArguments().Select(a => a.Name))
                : type.Name);
        });
        return services;
    }

    public static WebApplication UseOpenApiDocument(this WebApplication app)
    {
        // An endpoint, so the answer cache and HEAD apply to it as to /v1.
        app.MapSwagger("openapi/{documentName}.json", options => options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1)
            .CacheAnswers().AnswerHeadAsGet();
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
    /// [QuerySchema] on a query property or a path parameter gives the real type and limits.
    /// </summary>
    private sealed class QueryParameterSchemas : IParameterFilter
    {
        public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
        {
            if (parameter is not OpenApiParameter p) return;
            var member = (ICustomAttributeProvider?)context.PropertyInfo ?? context.ParameterInfo;
            var type = context.PropertyInfo?.PropertyType ?? context.ParameterInfo?.ParameterType;
            if (member is null || type is null) return;
            if (member.IsDefined(typeof(System.ComponentModel.DataAnnotations.RequiredAttribute), true)) p.Required = true;
            if (member.GetCustomAttributes(typeof(QuerySchemaAttribute), true).SingleOrDefault() is not QuerySchemaAttribute constraints) return;
            var integer = constraints.Type == "integer";
            var schema = new OpenApiSchema
            {
                Type = integer ? JsonSchemaType.Integer : constraints.Type == "boolean" ? JsonSchemaType.Boolean : JsonSchemaType.String,
                Format = integer ? "int32" : null, // bound to an int
                Minimum = constraints.MinimumOrNull?.ToString(CultureInfo.InvariantCulture),
                Maximum = constraints.MaximumOrNull?.ToString(CultureInfo.InvariantCulture),
                MinLength = constraints.MinLengthOrNull,
                Pattern = constraints.Pattern,
                Default = constraints.Default switch
                {
                    int i => JsonValue.Create(i),
                    string text => JsonValue.Create(text),
                    _ => null,
                },
                Enum = constraints.Enum?.Select(e => (JsonNode)JsonValue.Create(e)!).ToList(),
            };
            if (!type.IsArray)
            {
                schema.MaxLength = constraints.MaxLengthOrNull;
                p.Schema = schema;
                return;
            }
            // A parameter that takes several values (indicator=a,b) keeps its array shape, comma-separated; the
            // constraints are on each value, and QueryErrors.List takes at most MaxValues of at most MaxValueLength.
            schema.MaxLength = constraints.Enum is null ? constraints.MaxLengthOrNull ?? QueryErrors.MaxValueLength : null;
            p.Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = schema, MaxItems = QueryErrors.MaxValues };
            p.Style = ParameterStyle.Form;
            p.Explode = false;
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
    /// `fields=` trims each item to the fields asked for, so an item of an operation that takes it may lack any
    /// property: its schema marks none required (a validating client then accepts a trimmed item) and says
    /// so. The envelope around it (`data`, `meta`, `links`) and the objects inside an item are always whole.
    /// Chosen over a second, partial schema per item: the answer's schema cannot depend on a query parameter,
    /// so a client would be handed the union of the two, which is the partial one anyway.
    /// </summary>
    private sealed class PartialItems : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            var schemas = document.Components?.Schemas;
            if (schemas is null || document.Paths is null) return;
            var items = new HashSet<string>();
            foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
            {
                if (operation.Parameters?.Any(p => p.Name == "fields") != true) continue;
                if (operation.Responses is null || !operation.Responses.TryGetValue("200", out var ok) || ok.Content is null
                    || !ok.Content.TryGetValue("application/json", out var json) || json.Schema is not OpenApiSchemaReference { Reference.Id: { } envelope }) continue;
                if (!schemas.TryGetValue(envelope, out var envelopeSchema) || envelopeSchema.Properties is null || !envelopeSchema.Properties.TryGetValue("data", out var data)) continue;
                if ((data is OpenApiSchema { Items: { } each } ? each : data) is OpenApiSchemaReference { Reference.Id: { } item }) items.Add(item);
            }
            foreach (var item in items)
            {
                if (schemas[item] is not OpenApiSchema schema) continue;
                schema.Required = null;
                schema.Description = (schema.Description is { Length: > 0 } d ? d + " " : "")
                    + "Every property is present (a null one as null) unless `fields=` names the ones to keep: then only those are.";
            }
        }
    }

    /// <summary>
    /// "This object, or null" as OpenAPI 3.1 says it: `oneOf: [{$ref}, {type: null}]`. Swashbuckle writes a
    /// reference property as `allOf: [{$ref}]` and marks a nullable one with `type: null` beside it, which
    /// strict validators read as "null and the referenced object at once", that is, never null. A
    /// non-nullable one becomes the bare `$ref` (3.1 lets a description stand beside it). Every property
    /// is written, a null one as null, so each is required; the exceptions are left out when null
    /// (`meta.facets`, a problem's `detail`), so they are absent, never null. The `data` of an envelope is never null.
    /// </summary>
    private sealed class NullableReferences : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema { Properties: { } properties } owner) return;
            var envelope = context.Type.IsGenericType;
            foreach (var (name, property) in properties.ToList())
            {
                if (property is not OpenApiSchema concrete) continue;
                var omitted = OmittedWhenNull(context.Type, name);
                var nullable = concrete.Type?.HasFlag(JsonSchemaType.Null) == true && !(envelope && name == "data") && !omitted;
                if (concrete.AllOf is [OpenApiSchemaReference reference])
                {
                    var id = reference.Reference.Id!;
                    properties[name] = nullable
                        ? new OpenApiSchema
                        {
                            OneOf = [new OpenApiSchemaReference(id, reference.Reference.HostDocument), new OpenApiSchema { Type = JsonSchemaType.Null }],
                            Description = concrete.Description,
                        }
                        : new OpenApiSchemaReference(id, reference.Reference.HostDocument) { Description = concrete.Description };
                }
                else if (!nullable && concrete.Type is { } type)
                    concrete.Type = type & ~JsonSchemaType.Null;
                if (!omitted && context.Type.GetProperties().Any(p => JsonName(p.Name) == name))
                    (owner.Required ??= new HashSet<string>()).Add(name);
            }
        }

        private static string JsonName(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);

        private static bool OmittedWhenNull(Type type, string name) =>
            type.GetProperties().Any(p => JsonName(p.Name) == name
                && p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true)
                    .Cast<System.Text.Json.Serialization.JsonIgnoreAttribute>().Any(a => a.Condition == System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull));
    }

    /// <summary>Responses every /v1 operation can give, whatever its handler returns.</summary>
    private sealed class SharedResponses : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var path = "/" + context.ApiDescription.RelativePath;
            if (!path.StartsWith("/v1", StringComparison.Ordinal)) return;
            operation.Responses ??= new OpenApiResponses();
            var geoJson = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ResponseShaping.ProducesGeoJson>().Any();

            var ownMediaTypes = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ResponseShaping.OwnMediaTypes>().SingleOrDefault();
            if (ownMediaTypes is not null)
            {
                // A file in its own media type: text for CSV, an object for JSON, and any bytes (no schema) for the rest.
                operation.Responses["200"] = new OpenApiResponse
                {
                    Description = "The file, in its own media type. " + string.Join(" ", ownMediaTypes.Descriptions.Select(d => $"`{d.Key}`: {d.Value}")),
                    Content = ownMediaTypes.Descriptions.Keys.ToDictionary(type => type, type => (IOpenApiMediaType)new OpenApiMediaType
                    {
                        Schema = type switch
                        {
                            "application/json" => new OpenApiSchema { Type = JsonSchemaType.Object },
                            ResponseFormatNegotiation.CsvMediaType => Csv(context),
                            _ => null,
                        },
                    }),
                };
            }
            else if (operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse okResponse && path != "/v1")
            {
                okResponse.Content ??= new Dictionary<string, IOpenApiMediaType>();
                okResponse.Content[ResponseFormatNegotiation.CsvMediaType] = new OpenApiMediaType { Schema = Csv(context) };
                if (geoJson)
                    okResponse.Content["application/geo+json"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "RFC 7946 GeoJSON (WGS 84): a FeatureCollection (one Feature per item, a Point at the region's representative point, or for regions with `geometry=boundary` the district's Polygon or MultiPolygon and a null geometry for Beijing as a whole; properties = the item as in JSON; every page), or one Feature for a single item." },
                    };
                if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ResponseShaping.ProducesSvg>().Any())
                    okResponse.Content[ResponseFormatNegotiation.SvgMediaType] = new OpenApiMediaType
                    {
                        Schema = TextComponent(context, "SvgChart", "An SVG chart of every figure, to embed (`<img src=…>`): actual figures as points joined by a line, "
                            + "hedged ones as open markers, targets as diamonds at their deadline, norms as squares; labels in Chinese and English."),
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
            if (ownMediaTypes is null) // a file is not negotiated: never a 406
                operation.Responses.TryAdd("406", Problem("The Accept header asks for a format this resource does not have.", problem));
            operation.Responses.TryAdd("429", Problem("Too many requests from this client address; see Retry-After and RateLimit.", problem));
            // Never for anything a client sends (HostileInputTests); a fault of the API itself is a problem too.
            operation.Responses.TryAdd("500", Problem("An error of the API itself, never caused by what a request sends; quote `requestId` in a bug report.", problem));
            // Every /v1 answer has a strong ETag (HttpCaching): If-None-Match with it is answered 304, without a body.
            operation.Responses.TryAdd("304", new OpenApiResponse { Description = "Not Modified: `If-None-Match` named this representation's `ETag`; keep the copy you have." });

            // `format=geojson` is a 400 where there is no GeoJSON: the allowed values are this operation's own.
            if (!geoJson && operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == "format") is { Schema: OpenApiSchema { Enum: { } formats } })
                formats.Remove(formats.First(f => f.GetValue<string>() == "geojson"));
        }

        /// <summary>The text of every CSV answer, described once (components/schemas/Csv).</summary>
        private static OpenApiSchemaReference Csv(OperationFilterContext context) => TextComponent(context, "Csv",
            "RFC 4180 CSV, UTF-8 with byte-order mark, one header row. Of a collection or an item: the JSON answer flattened "
            + "(nested fields as `name.zh`), every page, not just the first. Of a table in /v1/downloads: the table as stored, its own columns, every text cell quoted.");

        /// <summary>A text answer the API writes (never a request body), described once under components/schemas.</summary>
        private static OpenApiSchemaReference TextComponent(OperationFilterContext context, string name, string description)
        {
            if (!context.SchemaRepository.Schemas.ContainsKey(name))
                context.SchemaRepository.AddDefinition(name, new OpenApiSchema { Type = JsonSchemaType.String, Description = description });
            return new OpenApiSchemaReference(name, context.Document);
        }

        private static OpenApiResponse Problem(string description, IOpenApiSchema schema) => new()
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = schema } },
        };
    }
}
