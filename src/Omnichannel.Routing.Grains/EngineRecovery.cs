using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Grains.Recovery;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// After a restart, or when a silo dies, grains that lived in memory are gone until something calls them: a queue's
/// waiting line, an agent's offer and wrap-up timers. A pass, in order: activates every queue, which rebuilds its waiting line from that index without activating the interactions; resumes every agent holding
/// work (its timers re-arm; offers whose desktop never returns go back after the grace period); and activates each
/// interaction an agent holds, which checks with its agent (and a warm transfer's queue). Each step is a
/// <see cref="BoundedFanOut"/>: bounded, jittered, retrying only what failed.
/// </summary>
/// <remarks>
/// It runs when the silo becomes active and whenever the membership declares a silo dead; only in durable mode, the
/// embedded default having nothing that outlives the process. The silo answers calls meanwhile, but readiness
/// (<see cref="RecoveryStatus"/>) says NOT_SERVING until the first pass is done.
/// </remarks>
public sealed partial class EngineRecovery(
    IGrainFactory grains,
    IRoutingEventLog eventLog,
    IClusterMembershipService membership,
    RecoveryStatus status,
    IOptions<RecoveryOptions> options,
    ILogger<EngineRecovery> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly BoundedFanOut _fanOut = new(options.Value);
    private readonly CancellationTokenSource _stopping = new();
    private Task _watch = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(EngineRecovery), ServiceLifecycleStage.Active, OnActiveAsync, OnStopAsync);
    }

    /// <summary>One recovery pass; answers what it restored.</summary>
    public async Task<RecoveryReport> RecoverAsync(string why, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var retries = 0;
        void Failed(string step, FanOutFailure failure)
        {
            retries += failure.Failed;
            LogStepRetry(why, step, failure.Failed, failure.Attempted, failure.Round, failure.RetryIn, failure.FirstError);
        }

        var listed = new ConcurrentBag<string>();
        await _fanOut.RunAsync(
            Enumerable.Range(0, Registry.Shards).ToList(),
            async (shard, _) =>
            {
                foreach (var queueId in await grains.GetGrain<IRegistryShardGrain>($"{Registry.Queues}/{shard}").ListAfter(null, int.MaxValue))
                {
                    listed.Add(queueId);
                }
            },
            f => Failed("queue registry", f),
            cancellationToken);
        var queues = listed.ToList();

        var waiting = 0;
        await _fanOut.RunAsync(
            queues,
            async (queueId, _) => Interlocked.Add(ref waiting, await new QueueShards(grains).RecoverAsync(queueId)),
            f => Failed("queues", f),
            cancellationToken);

        var agents = await _fanOut.CallAsync(t => eventLog.AgentsWithWorkAsync(t).AsTask(), f => Failed("agents query", f), cancellationToken);
        await _fanOut.RunAsync(agents, (agentId, _) => grains.GetGrain<IAgentGrain>(agentId).ResumeAfterRecovery(), f => Failed("agents", f), cancellationToken);

        // Held work only: each, once active, checks with its agent and writes any event it still holds unlogged.
        var held = await _fanOut.CallAsync(t => eventLog.HeldInteractionsAsync(t).AsTask(), f => Failed("held interactions query", f), cancellationToken);
        await _fanOut.RunAsync(held, (id, _) => grains.GetGrain<IInteractionGrain>(id).GetSnapshot(), f => Failed("held interactions", f), cancellationToken);

        var report = new RecoveryReport(Stopwatch.GetElapsedTime(started), queues.Count, waiting, agents.Count, held.Count, retries);
        LogRecovered(why, report.Elapsed.TotalSeconds, report.Queues, report.Waiting, report.Agents, report.HeldInteractions, report.Retries);
        return report;
    }

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        if (!eventLog.IsDurable)
        {
            status.MarkRecovered();
            return Task.CompletedTask;
        }

        // In the background: a slow pass never blocks start-up; readiness waits for it instead.
        _watch = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _watch.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await TryRecoverAsync("silo started", cancellationToken);
        status.MarkRecovered();
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                var newlyDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).ToList();
                if (newlyDead.Count > 0)
                {
                    await TryRecoverAsync($"silo {string.Join(", ", newlyDead.Select(m => m.SiloAddress))} declared dead", cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task TryRecoverAsync(string why, CancellationToken cancellationToken)
    {
        for (var attempt = 1; !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await RecoverAsync(why, cancellationToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Each step retries its own failures; this is for anything else. Try again, backing off.
                LogRetry(why, attempt, e);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovery ({Why}) done in {Seconds:F1} s: {Queues} queue(s) with {Waiting} waiting interaction(s), {Agents} agent(s) holding work resumed, {Held} held interaction(s) checked, {Retries} call(s) retried")]
    private partial void LogRecovered(string why, double seconds, int queues, int waiting, int agents, int held, int retries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery ({Why}): {Failed} of {Attempted} call(s) to {Step} failed (round {Round}); retrying those in {RetryIn}")]
    private partial void LogStepRetry(string why, string step, int failed, int attempted, int round, TimeSpan retryIn, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery ({Why}) attempt {Attempt} failed; retrying")]
    private partial void LogRetry(string why, int attempt, Exception exception);
}

/// <summary>What one recovery pass restored, and how long it took.</summary>
/// <param name="Elapsed">From the start of the pass to its end.</param>
/// <param name="Queues">Queues activated.</param>
/// <param name="Waiting">Interactions waiting in them once activated.</param>
/// <param name="Agents">Agents holding work, resumed.</param>
/// <param name="HeldInteractions">Interactions agents hold, activated to check with their agents.</param>
/// <param name="Retries">Calls that failed and were tried again.</param>
public sealed record RecoveryReport(TimeSpan Elapsed, int Queues, int Waiting, int Agents, int HeldInteractions, int Retries);
