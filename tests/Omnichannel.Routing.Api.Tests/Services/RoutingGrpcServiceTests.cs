using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Api.Services;
using Omnichannel.Routing.Api.Tests.Support;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Tests.Services;

[Collection(SharedApiHost.Name)]
public sealed class RoutingGrpcServiceTests(ApiHost host)
{
    private readonly ApiScenario _s = new(host);

    [Fact]
    public async Task A_routed_interaction_waits_in_its_queue_and_reads_back()
    {
        var queueId = await _s.QueueAsync("route");

        var routed = await _s.RouteAsync(queueId, r =>
        {
            r.Priority = 7;
            r.Context.Add("topic", "billing");
        });
        var read = await _s.GetAsync(routed.InteractionId);

        Assert.Equal(InteractionState.Queued, routed.State);
        Assert.Equal(queueId, read.QueueId);
        Assert.Equal(7, read.BasePriority);
        Assert.Equal("billing", read.Context["topic"]);
        Assert.NotEmpty(read.History);
    }

    [Fact]
    public async Task A_retry_with_the_same_request_id_answers_the_first_interaction_and_queues_it_once()
    {
        var queueId = await _s.QueueAsync("idempotent");
        var requestId = Guid.NewGuid().ToString();

        var first = await host.CallAsync(_s.Routing.RouteInteraction, WithRequestId(_s.NewRoute(queueId), requestId));
        var retry = await host.CallAsync(_s.Routing.RouteInteraction, WithRequestId(_s.NewRoute(queueId), requestId));
        var stats = await host.CallAsync(_s.Supervisor.GetQueueStats, new GetQueueStatsRequest { QueueId = queueId });

        Assert.False(first.Replayed);
        Assert.True(retry.Replayed);
        Assert.Equal(first.Interaction.InteractionId, retry.Interaction.InteractionId);
        Assert.Equal(InteractionIds.ForRequest(requestId), first.Interaction.InteractionId);
        Assert.Equal(requestId, retry.Interaction.RequestId);
        Assert.Equal(1, stats.Waiting);
    }

    public static TheoryData<string> MalformedRouteFields => new()
    {
        "channel",
        "queue_id",
        "priority",
        "required_skills[0].minimum_level",
        "preferred_skills[0]",
        "context[bad key]",
        "preferred_agent_wait",
        "preferred_agent_id",
    };

    [Theory]
    [MemberData(nameof(MalformedRouteFields))]
    public async Task A_malformed_route_names_the_field_and_creates_nothing(string field)
    {
        var queueId = await _s.QueueAsync("strict");
        var requestId = Guid.NewGuid().ToString();
        var request = WithRequestId(_s.NewRoute(queueId), requestId);
        switch (field)
        {
            case "channel": request.Channel = "Chat"; break;
            case "queue_id": request.QueueId = "my queue"; break;
            case "priority": request.Priority = FieldRules.MaxPriority + 1; break;
            case "required_skills[0].minimum_level": request.RequiredSkills.Add(new SkillRequirement { Skill = "billing", MinimumLevel = 0 }); break;
            case "preferred_skills[0]": request.PreferredSkills.Add(string.Empty); break;
            case "context[bad key]": request.Context.Add("bad key", "x"); break;
            case "preferred_agent_wait": request.PreferredAgentWait = Duration.FromTimeSpan(TimeSpan.FromHours(2)); break;
            case "preferred_agent_id": request.PreferredAgentId = "agents/1"; break;
        }

        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, field, () => host.CallAsync(_s.Routing.RouteInteraction, request));

        await ApiHost.RefusedAsync(StatusCode.NotFound, "interaction_id", () => _s.GetAsync(InteractionIds.ForRequest(requestId)));
        var journey = await host.CallAsync(_s.Customers.GetCustomerJourney, new GetCustomerJourneyRequest { CustomerId = request.CustomerId });
        Assert.Empty(journey.Entries);
        Assert.Equal(0, (await host.CallAsync(_s.Supervisor.GetQueueStats, new GetQueueStatsRequest { QueueId = queueId })).Waiting);
    }

    [Fact]
    public async Task Unknown_queues_and_interactions_are_not_found()
    {
        await ApiHost.RefusedAsync(StatusCode.NotFound, "queue_id", () => _s.RouteAsync(_s.Id("no-queue")));
        await ApiHost.RefusedAsync(StatusCode.NotFound, "interaction_id", () => _s.GetAsync(_s.Id("missing")));
        await ApiHost.RefusedAsync(StatusCode.NotFound, "interaction_id", () => host.CallAsync(_s.Routing.CancelInteraction, new CancelInteractionRequest { InteractionId = _s.Id("missing") }));
    }

    [Fact]
    public async Task An_abandoned_interaction_cannot_be_transferred_and_a_second_cancel_changes_nothing()
    {
        var queueId = await _s.QueueAsync("done");
        var routed = await _s.RouteAsync(queueId);
        var cancelled = await host.CallAsync(_s.Routing.CancelInteraction, new CancelInteractionRequest { InteractionId = routed.InteractionId, Reason = "caller hung up" });

        // Abandoned is where a cancel leads, so a second cancel is a no-op; a transfer of it is refused.
        var again = await host.CallAsync(_s.Routing.CancelInteraction, new CancelInteractionRequest { InteractionId = routed.InteractionId });
        await ApiHost.RefusedAsync(StatusCode.FailedPrecondition, "interaction_id", () => host.CallAsync(_s.Routing.TransferInteraction, new TransferInteractionRequest { InteractionId = routed.InteractionId, QueueId = queueId }));

        Assert.Equal(InteractionState.Abandoned, cancelled.State);
        Assert.Equal(InteractionState.Abandoned, again.State);
    }

    [Fact]
    public async Task A_transfer_without_a_target_names_the_target()
    {
        var routed = await _s.RouteAsync(await _s.QueueAsync("no-target"));

        await ApiHost.RefusedAsync(StatusCode.InvalidArgument, "target", () => host.CallAsync(_s.Routing.TransferInteraction, new TransferInteractionRequest { InteractionId = routed.InteractionId }));

        Assert.Equal(InteractionState.Queued, (await _s.GetAsync(routed.InteractionId)).State);
    }

    [Fact]
    public async Task At_capacity_a_route_is_shed_with_resource_exhausted_and_nothing_is_created()
    {
        var queueId = await _s.QueueAsync("shed");
        var admission = new RouteAdmission(Options.Create(new ApiOptions { MaxRoutesInFlight = 1 }));
        var routing = new RoutingGrpcService(host.Grains, host.Services.GetRequiredService<IRoutingEventLog>(), admission, host.Services.GetRequiredService<ObserverRenewals>());
        var requestId = Guid.NewGuid().ToString();
        Assert.True(admission.TryEnter());

        var shed = await Assert.ThrowsAsync<RpcException>(() => host.CallAsync(routing.RouteInteraction, WithRequestId(_s.NewRoute(queueId), requestId)));
        await ApiHost.RefusedAsync(StatusCode.NotFound, "interaction_id", () => _s.GetAsync(InteractionIds.ForRequest(requestId)));
        admission.Exit();
        var retried = await host.CallAsync(routing.RouteInteraction, WithRequestId(_s.NewRoute(queueId), requestId));

        Assert.Equal(StatusCode.ResourceExhausted, shed.StatusCode);
        Assert.Contains("request_id", shed.Status.Detail, StringComparison.Ordinal);
        Assert.False(retried.Replayed);
        Assert.Equal(0, admission.InFlight);
    }

    [Fact]
    public async Task A_watch_sends_the_current_state_then_each_change_and_ends_with_the_interaction()
    {
        var routed = await _s.RouteAsync(await _s.QueueAsync("watched"));
        var updates = new TestServerStreamWriter<InteractionUpdate>();
        using var client = new CancellationTokenSource();

        var watch = host.WatchAsync(_s.Routing.WatchInteraction, new WatchInteractionRequest { InteractionId = routed.InteractionId }, updates, client.Token);
        var first = await updates.NextAsync();
        await host.CallAsync(_s.Routing.CancelInteraction, new CancelInteractionRequest { InteractionId = routed.InteractionId, Reason = "gone" });
        var last = await updates.NextMatchingAsync(u => u.Interaction.State == InteractionState.Abandoned);
        await watch.WaitAsync(ApiHost.Wait);

        Assert.Equal(InteractionState.Queued, first.Interaction.State);
        Assert.Null(first.Event);
        Assert.Equal(InteractionState.Abandoned, last.Event.ToState);
        Assert.True(last.Event.Sequence > first.Interaction.History[^1].Sequence);
        Assert.False(client.IsCancellationRequested);
    }

    [Fact]
    public async Task Watching_an_unknown_interaction_is_not_found()
    {
        using var client = new CancellationTokenSource();

        await ApiHost.RefusedAsync(StatusCode.NotFound, "interaction_id", () => host.WatchAsync(_s.Routing.WatchInteraction, new WatchInteractionRequest { InteractionId = _s.Id("missing") }, new TestServerStreamWriter<InteractionUpdate>(), client.Token));
    }

    private static RouteInteractionRequest WithRequestId(RouteInteractionRequest request, string requestId)
    {
        request.RequestId = requestId;
        return request;
    }
}
