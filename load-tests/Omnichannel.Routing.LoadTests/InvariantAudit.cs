using System.Collections.Concurrent;
using Grpc.Core;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.LoadTests;

/// <summary>One invariant and what the audit found.</summary>
/// <param name="Name">The invariant, in words.</param>
/// <param name="Checked">How many things were checked.</param>
/// <param name="Problems">Violations (the first ones, if many).</param>
/// <param name="ProblemCount">How many violations in all.</param>
internal sealed record AuditCheck(string Name, long Checked, IReadOnlyList<string> Problems, long ProblemCount)
{
    public bool Passed => ProblemCount == 0;
}

/// <summary>The invariant audit of one run.</summary>
internal sealed record AuditResult(IReadOnlyList<AuditCheck> Checks, IReadOnlyDictionary<string, long> FinalStates, TimeSpan Took)
{
    public bool Passed => Checks.All(c => c.Passed);
}

/// <summary>
/// The end-of-run audit of the contract (§4), from the engine's own state and event log, through gRPC only:
/// no agent over its capacity (every status the streams carried, samples taken during the run, every agent at the
/// end), no interaction with two agents at once (each routed interaction's recorded history, walked event by event),
/// and every routed interaction accounted for (found, its history starting with "routed", and its final state the
/// one the desks left it in).
/// </summary>
internal sealed class InvariantAudit
{
    private const int MaxListed = 20;
    private readonly EngineClients _clients;
    private readonly RunState _run;
    private readonly ConcurrentQueue<string> _samplingProblems = new();
    private long _sampled;

    public InvariantAudit(EngineClients clients, RunState run)
    {
        _clients = clients;
        _run = run;
    }

    /// <summary>During the run: reads <paramref name="count"/> random agents and checks their load against their profile.</summary>
    public async Task SampleAgentsAsync(int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var model = _run.Model;
        var picks = Enumerable.Range(0, count).Select(_ => random.Next(0, model.AgentCount)).Distinct().ToList();
        await Parallel.ForEachAsync(picks, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (index, _) =>
        {
            var agent = await EngineClients.CallAsync(_run.Metrics, "GetAgent", () =>
                _clients.Admin.GetAgentAsync(new GetAgentRequest { AgentId = model.AgentId(index) }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync).ConfigureAwait(false);
            if (agent is null)
            {
                return;
            }

            Interlocked.Increment(ref _sampled);
            foreach (var problem in CapacityCheck.Problems(agent.Status, agent.Capacity))
            {
                _samplingProblems.Enqueue($"{agent.AgentId} (GetAgent during the run): {problem}");
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks again, with the same request_id, for every route whose answer was lost: the engine answers the
    /// interaction it created (replayed) or creates it now, so none of them goes unaccounted.
    /// </summary>
    public async Task ResolveAmbiguousAsync()
    {
        foreach (var request in _run.Ledger.AmbiguousRequests.DistinctBy(r => r.RequestId, StringComparer.Ordinal).ToList())
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    var answer = await _clients.Routing.RouteInteractionAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ConfigureAwait(false);
                    var tracked = _run.Ledger[answer.Interaction.InteractionId];
                    tracked.Channel ??= answer.Interaction.Channel;
                    tracked.Acknowledged = true;
                    _run.Metrics.Count(answer.Replayed ? "lost answers replayed" : "lost answers routed on retry");
                    break;
                }
                catch (RpcException)
                {
                    await Task.Delay(500).ConfigureAwait(false);
                }
            }
        }
    }

    public async Task<AuditResult> RunAsync(int sample, int seed, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var started = DateTime.UtcNow;
        var checks = new List<AuditCheck>();

        // 1. Capacity: statuses seen on the streams and samples taken during the run, then every agent now.
        var clientProblems = _run.Ledger.Problems.ToList();
        var streamCapacity = clientProblems.Where(p => p.Contains("(offer stream)", StringComparison.Ordinal)).ToList();
        var finalAgents = await ReadAllAgentsAsync().ConfigureAwait(false);
        var finalCapacity = new List<string>();
        var leftLoaded = new List<string>();
        foreach (var agent in finalAgents)
        {
            finalCapacity.AddRange(CapacityCheck.Problems(agent.Status, agent.Capacity).Select(p => $"{agent.AgentId} (at the end): {p}"));
            if (agent.Status.Loads.Any(l => l.Active > 0))
            {
                leftLoaded.Add($"{agent.AgentId} still holds {string.Join(", ", agent.Status.Work.Select(w => $"{w.InteractionId} {w.State}"))}");
            }
        }

        var capacityProblems = streamCapacity.Concat(_samplingProblems).Concat(finalCapacity).ToList();
        var statusesChecked = _run.Metrics.Counters().GetValueOrDefault("statuses checked");
        checks.Add(Check(
            "No agent ever over its capacity (every status pushed on the offer streams, GetAgent samples during the run, every agent at the end)",
            statusesChecked + Interlocked.Read(ref _sampled) + finalAgents.Count,
            capacityProblems));

        // 2. and 3. Every routed interaction: its history and its final state.
        var acknowledged = _run.Ledger.Acknowledged.ToList();
        var audited = acknowledged;
        if (sample > 0 && sample < acknowledged.Count)
        {
            var random = new Random(seed);
            audited = acknowledged.OrderBy(_ => random.Next()).Take(sample).ToList();
        }

        var assignment = new ConcurrentQueue<string>();
        var accounting = new ConcurrentQueue<string>();
        var states = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long done = 0;
        using var progress = new Timer(_ => log.WriteLine($"  audit: {Interlocked.Read(ref done):N0} / {audited.Count:N0} interactions read"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        await Parallel.ForEachAsync(audited, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (tracked, cancel) =>
        {
            Interaction? interaction = null;
            for (var attempt = 0; attempt < 3 && interaction is null; attempt++)
            {
                try
                {
                    interaction = await _clients.Routing.GetInteractionAsync(new GetInteractionRequest { InteractionId = tracked.Id }, deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cancel).ResponseAsync.ConfigureAwait(false);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    accounting.Enqueue($"{tracked.Id}: acknowledged to the front-end but NOT_FOUND");
                    break;
                }
                catch (RpcException e) when (attempt == 2)
                {
                    accounting.Enqueue($"{tracked.Id}: GetInteraction failed with {e.StatusCode}");
                }
                catch (RpcException)
                {
                    await Task.Delay(200, cancel).ConfigureAwait(false);
                }
            }

            Interlocked.Increment(ref done);
            if (interaction is null)
            {
                return;
            }

            states.AddOrUpdate(interaction.State.ToString(), 1, static (_, n) => n + 1);
            foreach (var problem in AssignmentHistory.Problems(interaction))
            {
                assignment.Enqueue(problem);
            }

            if (tracked.CompletedBy is { } agent && (interaction.State != InteractionState.Completed || interaction.AgentId != agent))
            {
                accounting.Enqueue($"{tracked.Id}: {agent} ended its wrap-up, but the engine has it {interaction.State} with '{interaction.AgentId}'");
            }
            else if (tracked.CompletedBy is null && interaction.State != InteractionState.Completed)
            {
                // Every desk takes every offer: after the drain nothing should be left waiting or held.
                accounting.Enqueue($"{tracked.Id}: still {interaction.State} after the drain (agent '{interaction.AgentId}', {tracked.Offers} offers seen{Trail(tracked)})");
            }
        }).ConfigureAwait(false);

        var clientAssignment = clientProblems.Where(p => p.Contains("(client view)", StringComparison.Ordinal)).ToList();
        checks.Add(Check(
            "No interaction offered to or connected with two agents at once (each routed interaction's recorded history, event by event)",
            audited.Count,
            [.. assignment]));
        var stateTotal = states.Values.Sum();
        var accountingProblems = accounting.ToList();
        if (stateTotal + accountingProblems.Count(p => p.Contains("NOT_FOUND", StringComparison.Ordinal) || p.Contains("failed with", StringComparison.Ordinal)) != audited.Count)
        {
            accountingProblems.Add($"final states add up to {stateTotal} of {audited.Count} audited");
        }

        accountingProblems.AddRange(leftLoaded.Select(l => $"capacity not given back: {l}"));
        checks.Add(Check(
            "Every routed interaction accounted for (found, history starts with 'routed', final state as the desks left it, no capacity left held)",
            audited.Count,
            accountingProblems));

        if (clientAssignment.Count > 0)
        {
            // Informative: the streams' own order can show an offer before the previous holder's withdrawal.
            _run.Metrics.Count("client-view overlaps (informative)", clientAssignment.Count);
        }

        return new AuditResult(checks, new SortedDictionary<string, long>(states, StringComparer.Ordinal), DateTime.UtcNow - started);
    }

    private async Task<List<Agent>> ReadAllAgentsAsync()
    {
        // Pages of ListAgents over the whole registry, then only this run's agents.
        var agents = new List<Agent>();
        var token = string.Empty;
        do
        {
            var page = await _clients.Admin.ListAgentsAsync(new ListAgentsRequest { PageSize = 1000, PageToken = token }, deadline: DateTime.UtcNow.AddSeconds(120)).ResponseAsync.ConfigureAwait(false);
            agents.AddRange(page.Agents.Where(a => a.AgentId.StartsWith(_run.Model.RunId + "-", StringComparison.Ordinal)));
            token = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(token));
        return agents;
    }

    private static string Trail(TrackedInteraction tracked) =>
        tracked.Trail.Count == 0 ? "" : "; the desks saw: " + string.Join("; ", tracked.Trail);

    private static AuditCheck Check(string name, long count, List<string> problems) =>
        new(name, count, problems.Take(MaxListed).ToList(), problems.Count);
}

/// <summary>Walks an interaction's recorded history: events in sequence order, one holder at a time.</summary>
internal static class AssignmentHistory
{
    public static IEnumerable<string> Problems(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        if (interaction.History.Count == 0 || interaction.History[0].Type != "routed")
        {
            yield return $"{interaction.InteractionId}: history does not start with 'routed'";
        }

        string? holder = null;
        long previous = 0;
        foreach (var e in interaction.History)
        {
            if (e.Sequence <= previous)
            {
                yield return $"{interaction.InteractionId}: event {e.Sequence} ({e.Type}) out of order after {previous}";
            }

            previous = e.Sequence;
            switch (e.ToState)
            {
                // A new offer: nobody may hold it still (a transfer hands it from one agent straight to the next).
                case InteractionState.Offered when e.FromState != InteractionState.Offered || e.Type == "transferred":
                    if (holder is not null && e.Type != "transferred")
                    {
                        yield return $"{interaction.InteractionId}: offered to {e.AgentId} while {holder} held it (event {e.Sequence})";
                    }

                    holder = e.AgentId;
                    break;
                case InteractionState.Connected or InteractionState.WrapUp or InteractionState.Completed:
                    if (holder is null || holder != e.AgentId)
                    {
                        yield return $"{interaction.InteractionId}: {e.Type} by {e.AgentId} but {holder ?? "no one"} held it (event {e.Sequence})";
                    }

                    break;
                case InteractionState.Queued or InteractionState.Abandoned:
                    holder = null;
                    break;
            }
        }
    }
}
