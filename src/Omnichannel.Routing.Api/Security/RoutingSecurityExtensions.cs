using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Omnichannel.Routing.Api.Security;

/// <summary>Wires authentication, the role policies, the audit trail and the per-principal limits (contract §7).</summary>
public static class RoutingSecurityExtensions
{
    public static IServiceCollection AddRoutingSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var limits = configuration.GetSection(CallerLimitOptions.Section).Get<CallerLimitOptions>() ?? new CallerLimitOptions();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        services.AddOptions<CallerLimitOptions>().Bind(configuration.GetSection(CallerLimitOptions.Section));
        services.AddSingleton<CallerIdentity>();
        services.AddSingleton<RoutingAudit>();
        services.AddSingleton<AuditInterceptor>();
        services.AddSingleton<WatchStreamLimit>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        services.AddAuthorization(o => RoutingPolicies.Configure(o, auth.IsEnabled));
        services.AddRateLimiter(o => CallerRateLimits.Configure(o, limits));
        if (auth.IsEnabled)
        {
            var keys = SigningKeys.Load(auth);
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
            {
                // Claims keep their JWT names (sub, role) rather than being mapped to long XML URIs.
                o.MapInboundClaims = false;
                o.TokenHandlers.Clear();
                o.TokenHandlers.Add(new RecentTokenValidations(new JsonWebTokenHandler { MapInboundClaims = false }, TimeProvider.System));
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Issuer,
                    ValidAudience = auth.Audience,
                    IssuerSigningKeys = keys,
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = auth.ClockSkew,
                    NameClaimType = CallerIdentity.SubjectClaim,
                    RoleClaimType = CallerIdentity.RoleClaim,
                };
            });
        }
        else
        {
            services.AddAuthentication();
        }

        return services;
    }

    /// <summary>Authentication, then the per-principal rate limit, then the policies; before the services are mapped.</summary>
    public static IApplicationBuilder UseRoutingSecurity(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }
}
