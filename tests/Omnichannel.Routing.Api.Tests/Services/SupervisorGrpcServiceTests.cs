using Grpc.Core;
using Omnichannel.Routing.Api.Tests.Support;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Tests.Services;

[Collection(SharedApiHost.Name)]
public sealed class SupervisorGrpcServiceTests(ApiHost host)
{
    private readonly ApiScenario _s = new(host);

    [Fact]
    public async Task Queue_statistics_count_the_interactions_waiting()
    {
        var queueId = await _s.QueueAsync("stats");
        await _s.RouteAsync(queueId);
        await _s.RouteAsync(queueId);

        var stats = await host.CallAsync(_s.Supervisor.GetQueueStats, new GetQueueStatsRequest { QueueId = queueId });

        Assert.Equal(queueId, stats.QueueId);
        Assert.True(stats.Open);
        Assert.Equal(2, stats.Waiting);
    }

    [Fact]
    public async Task Closing_a_queue_with_validate_only_changes_nothing_and_without_it_closes_the_queue()
    {
        var queueId = await _s.QueueAsync("closing");

        var validated = await host.CallAsync(_s.Supervisor.SetQueueOpen, new SetQueueOpenRequest { QueueId = queueId, Open = false, ValidateOnly = true });
        var stillOpen = await host.CallAsync(_s.Supervisor.GetQueueStats, new GetQueueStatsRequest { QueueId = queueId });
        var applied = await host.CallAsync(_s.Supervisor.SetQueueOpen, new SetQueueOpenRequest { QueueId = queueId, Open = false });
        var closed = await host.CallAsync(_s.Supervisor.GetQueueStats, new GetQueueStatsRequest { QueueId = queueId });

        Assert.True(validated.ValidatedOnly);
        Assert.Equal(queueId, Assert.Single(validated.Impacts).QueueId);
        Assert.True(stillOpen.Open);
        Assert.False(applied.ValidatedOnly);
        Assert.False(closed.Open);
    }

    [Fact]
    public async Task Moving_an_interaction_to_its_own_queue_is_a_failed_precondition()
    {
        var queueId = await _s.QueueAsync("move-same");
        var routed = await _s.RouteAsync(queueId);

        await ApiHost.RefusedAsync(StatusCode.FailedPrecondition, "target_queue_id", () => host.CallAsync(_s.Supervisor.MoveInteraction, new MoveInteractionRequest { InteractionId = routed.InteractionId, TargetQueueId = queueId }));

        Assert.Equal(queueId, (await _s.GetAsync(routed.InteractionId)).QueueId);
    }

    [Fact]
    public async Task Moving_an_interaction_puts_it_in_the_target_queue()
    {
        var source = await _s.QueueAsync("move-from");
        var target = await _s.QueueAsync("move-to");
        var routed = await _s.RouteAsync(source);

        var moved = await host.CallAsync(_s.Supervisor.MoveInteraction, new MoveInteractionRequest { InteractionId = routed.InteractionId, TargetQueueId = target });

        Assert.Equal([routed.InteractionId], moved.AffectedInteractionIds);
        Assert.Equal(target, (await _s.GetAsync(routed.InteractionId)).QueueId);
    }

    [Fact]
    public async Task Reprioritising_an_ended_interaction_is_a_failed_precondition()
    {
        var routed = await _s.RouteAsync(await _s.QueueAsync("ended"));
        await host.CallAsync(_s.Routing.CancelInteraction, new CancelInteractionRequest { InteractionId = routed.InteractionId });

        await ApiHost.RefusedAsync(StatusCode.FailedPrecondition, "interaction_id", () => host.CallAsync(_s.Supervisor.SetInteractionPriority, new SetInteractionPriorityRequest { InteractionId = routed.InteractionId, Priority = 5 }));
        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "priority", () => host.CallAsync(_s.Supervisor.SetInteractionPriority, new SetInteractionPriorityRequest { InteractionId = routed.InteractionId, Priority = -1 }));
    }

    [Fact]
    public async Task Unknown_queues_are_not_found_naming_the_field()
    {
        await ApiHost.RefusedAsync(StatusCode.NotFound, "queue_id", () => host.CallAsync(_s.Supervisor.GetQueueStats, new GetQueueStatsRequest { QueueId = _s.Id("missing") }));
        await ApiHost.RefusedAsync(StatusCode.NotFound, "queue_ids[0]", () => host.WatchAsync(_s.Supervisor.WatchQueueStats, new WatchQueueStatsRequest { QueueIds = { _s.Id("missing") } }, new TestServerStreamWriter<QueueStats>(), CancellationToken.None));
    }

    [Fact]
    public async Task A_queue_statistics_watch_sends_the_current_figures_then_each_change()
    {
        var queueId = await _s.QueueAsync("watched-stats");
        var stream = new TestServerStreamWriter<QueueStats>();
        using var wallboard = new CancellationTokenSource();

        var watch = host.WatchAsync(_s.Supervisor.WatchQueueStats, new WatchQueueStatsRequest { QueueIds = { queueId } }, stream, wallboard.Token);
        var first = await stream.NextAsync();
        await _s.RouteAsync(queueId);
        var changed = await stream.NextMatchingAsync(s => s.Waiting == 1);
        await wallboard.CancelAsync();
        await watch;

        Assert.Equal(queueId, first.QueueId);
        Assert.Equal(0, first.Waiting);
        Assert.Equal(queueId, changed.QueueId);
    }
}
