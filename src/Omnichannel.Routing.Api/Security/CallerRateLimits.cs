using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Omnichannel.Routing.Api.Security;

/// <summary>
/// ASP.NET Core rate limiting, one token bucket per authenticated principal (its <c>sub</c>). A call over budget is
/// answered RESOURCE_EXHAUSTED at once, never HTTP 503: clients turn 503 into UNAVAILABLE and retry immediately.
/// Anonymous calls (authentication off, or about to be refused as UNAUTHENTICATED) and health checks are not counted.
/// </summary>
public static class CallerRateLimits
{
    public static void Configure(RateLimiterOptions limiter, CallerLimitOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentNullException.ThrowIfNull(limits);
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            var subject = http.User.FindFirst(CallerIdentity.SubjectClaim)?.Value;
            if (limits.RequestsPerSecond <= 0 || subject is null)
            {
                return RateLimitPartition.GetNoLimiter(string.Empty);
            }

            return RateLimitPartition.GetTokenBucketLimiter(subject, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(limits.Burst, 1),
                // Replenished ten times a second, so a principal's budget returns smoothly rather than once a second.
                TokensPerPeriod = Math.Max(limits.RequestsPerSecond / 10, 1),
                ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        limiter.OnRejected = (rejected, _) => new ValueTask(GrpcRefusal.WriteAsync(
            rejected.HttpContext,
            StatusCode.ResourceExhausted,
            $"rate limit: more than {limits.RequestsPerSecond} calls per second (Limits:RequestsPerSecond) for this principal; slow down"));
    }
}
