using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains.PersonalData;

/// <summary>
/// The retention job: every <see cref="RetentionOptions.PurgeInterval"/>, the interactions that ended more than
/// <see cref="RetentionOptions.ContextDays"/> days ago forget their context, at most
/// <see cref="RetentionOptions.PurgeBatch"/> a pass, and so do their customers' journeys and the event log. Off while
/// ContextDays is 0. Each silo runs it; forgetting twice is harmless.
/// </summary>
public sealed partial class ContextRetention(
    IGrainFactory grains,
    IRoutingEventLog eventLog,
    IOptions<RetentionOptions> options,
    [FromKeyedServices(RoutingOptions.ClockKey)] TimeProvider clock,
    ILogger<ContextRetention> logger) : BackgroundService
{
    private readonly RetentionOptions _options = options.Value;

    /// <summary>One pass: answers how many interactions forgot their context.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken = default)
    {
        if (_options.ContextDays <= 0)
        {
            return 0;
        }

        var cutoff = clock.GetUtcNow() - TimeSpan.FromDays(_options.ContextDays);
        var expired = await eventLog.EndedWithContextAsync(cutoff, Math.Max(1, _options.PurgeBatch), cancellationToken);
        if (expired.Count == 0)
        {
            return 0;
        }

        var customers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var chunk in expired.Chunk(Math.Max(1, _options.Parallelism)))
        {
            var held = await Task.WhenAll(chunk.Select(id => grains.GetGrain<IInteractionGrain>(id).ForgetPersonalData(ContextErasure.ContextOnly)));
            for (var i = 0; i < chunk.Length; i++)
            {
                if (held[i] is { } customerId)
                {
                    (customers.TryGetValue(customerId, out var ids) ? ids : customers[customerId] = []).Add(chunk[i]);
                }
            }
        }

        foreach (var chunk in customers.Chunk(Math.Max(1, _options.Parallelism)))
        {
            await Task.WhenAll(chunk.Select(c => grains.GetGrain<ICustomerGrain>(c.Key).ForgetContext([.. c.Value])));
        }

        await eventLog.ContextForgottenAsync(expired, cancellationToken);
        return expired.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.ContextDays <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.PurgeInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var forgotten = await PurgeOnceAsync(stoppingToken);
                if (forgotten > 0)
                {
                    LogPurged(forgotten, _options.ContextDays);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next pass finds the same interactions: nothing was marked forgotten.
                LogPassFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Interactions} interaction(s) that ended over {Days} day(s) ago forgot their context")]
    private partial void LogPurged(int interactions, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: a pass failed; the next one tries again")]
    private partial void LogPassFailed(Exception exception);
}
