using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi.Models;

namespace Omnichannel.Routing.Api.HttpJson;

/// <summary>
/// The OpenAPI document of the HTTP/JSON surface: every RPC's transcoded route (from its google.api.http annotation),
/// described from the protos' comments, served at <see cref="DocumentPath"/>.
/// </summary>
public static class RoutingOpenApi
{
    public const string DocumentName = "v1";

    /// <summary>Where the host serves the document.</summary>
    public const string DocumentPath = "/openapi/v1.json";

    private const string BearerScheme = "Bearer";

    public static IServiceCollection AddRoutingOpenApi(this IServiceCollection services)
    {
        services.AddGrpcSwagger();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Omnichannel.Routing HTTP/JSON",
                Version = DocumentName,
                Description = "Every gRPC method, transcoded to HTTP/JSON. Errors answer a google.rpc.Status body with the HTTP status of its code.",
            });
            o.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "Required when the host has authentication on (Auth:Issuer, Auth:Audience, a key).",
            });
            o.AddSecurityRequirement(new OpenApiSecurityRequirement
            {
                [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = BearerScheme } }] = [],
            });
            // The generated messages carry the protos' comments as XML docs.
            var comments = Path.Combine(AppContext.BaseDirectory, typeof(RoutingOpenApi).Assembly.GetName().Name + ".xml");
            if (File.Exists(comments))
            {
                o.IncludeXmlComments(comments);
                o.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            }
        });
        return services;
    }

    public static IEndpointRouteBuilder MapRoutingOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSwagger("/openapi/{documentName}.json");
        return endpoints;
    }
}
