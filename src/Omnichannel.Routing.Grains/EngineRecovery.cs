using Microsoft.Extensions.Logging;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Grains;

/// <summary>
/// After a restart, or when a silo dies, grains that lived in memory are gone until something calls them: a queue's
/// waiting list, an agent's offer and wrap-up timers. This pass calls them. Every queue is activated (a queue
/// recovers its waiting interactions from the event log and asks its members for snapshots), and every agent holding
/// work by the log is resumed (its timers re-arm; offers whose desktop never returns go back after the grace period).
/// It runs when the silo becomes active and whenever the membership declares a silo dead; only in durable mode, the
/// embedded default having nothing that outlives the process.
/// </summary>
public sealed partial class EngineRecovery(
    IGrainFactory grains,
    IRoutingEventLog eventLog,
    IClusterMembershipService membership,
    ILogger<EngineRecovery> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private const int Parallelism = 16;
    private readonly CancellationTokenSource _stopping = new();
    private Task _watch = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(EngineRecovery), ServiceLifecycleStage.Active, OnActiveAsync, OnStopAsync);
    }

    /// <summary>One recovery pass: activates every queue, resumes every agent that holds work.</summary>
    public async Task RecoverAsync(string why, CancellationToken cancellationToken)
    {
        var queues = new List<string>();
        for (var shard = 0; shard < Registry.Shards; shard++)
        {
            queues.AddRange(await grains.GetGrain<IRegistryShardGrain>($"{Registry.Queues}/{shard}").ListAfter(null, int.MaxValue));
        }

        var agents = await eventLog.AgentsWithWorkAsync(cancellationToken);
        var interactions = await eventLog.OpenInteractionsAsync(cancellationToken);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(queues, options, async (queueId, _) => await grains.GetGrain<IQueueGrain>(queueId).GetConfig());
        await Parallel.ForEachAsync(agents, options, async (agentId, _) => await grains.GetGrain<IAgentGrain>(agentId).ResumeAfterRecovery());

        // Each unfinished interaction, once active, rejoins its queue or checks with its agent, and writes to the log
        // any committed event a crash kept from it.
        await Parallel.ForEachAsync(interactions, options, async (interactionId, _) => await grains.GetGrain<IInteractionGrain>(interactionId).GetSnapshot());
        LogRecovered(why, queues.Count, agents.Count, interactions.Count);
    }

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        if (!eventLog.IsDurable)
        {
            return Task.CompletedTask;
        }

        // In the background: the silo serves while recovery runs, and a slow pass never blocks start-up.
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
                // The database may be down: try again, backing off, until it answers.
                LogRetry(why, attempt, e);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovery ({Why}): activated {Queues} queue(s), resumed {Agents} agent(s) holding work, checked {Interactions} unfinished interaction(s)")]
    private partial void LogRecovered(string why, int queues, int agents, int interactions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery ({Why}) attempt {Attempt} failed; retrying")]
    private partial void LogRetry(string why, int attempt, Exception exception);
}
