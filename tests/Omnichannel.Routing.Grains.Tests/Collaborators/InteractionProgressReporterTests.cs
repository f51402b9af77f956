using Microsoft.Extensions.Time.Testing;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Interactions;
using static Omnichannel.Routing.Grains.Tests.Collaborators.InteractionCollaboratorData;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class InteractionProgressReporterTests
{
    private readonly GrainFake<IQueueGrain> _queue = GrainFake.Of<IQueueGrain>();
    private readonly GrainFake<ICustomerGrain> _customer = GrainFake.Of<ICustomerGrain>();
    private readonly List<string> _queuesAsked = [];

    private InteractionProgressReporter Reporter() =>
        new("i-1", new FakeTimeProvider(At), id => { _queuesAsked.Add(id); return _queue.Grain; }, _ => _customer.Grain);

    [Fact]
    public void The_queue_hears_the_new_state_with_the_wait_and_the_time()
    {
        Reporter().Track("sales", InteractionState.Connected, waited: TimeSpan.FromSeconds(40));

        var progress = (InteractionProgress)_queue.CallsTo(nameof(IQueueGrain.Track)).Single()[0]!;
        Assert.Equal(["sales"], _queuesAsked);
        Assert.Equal(new InteractionProgress("i-1", InteractionState.Connected, TimeSpan.FromSeconds(40), null, At), progress);
    }

    [Theory]
    [InlineData(InteractionState.Queued)]
    [InlineData(InteractionState.Offered)]
    [InlineData(InteractionState.WrapUp)]
    public void A_step_the_journey_does_not_show_is_not_written_to_the_customer(InteractionState state)
    {
        Reporter().RecordJourney(Snapshot(state, agentId: state == InteractionState.Queued ? null : "ana"));

        Assert.Empty(_customer.Calls);
    }

    [Fact]
    public void Arrival_and_transfers_are_written_even_while_waiting()
    {
        Reporter().RecordJourney(Snapshot(), force: true);

        var entry = (JourneyEntryView)_customer.CallsTo(nameof(ICustomerGrain.RecordProgress)).Single()[0]!;
        Assert.Equal(("i-1", "sales", InteractionState.Queued, "j-1"), (entry.InteractionId, entry.QueueId, entry.State, entry.JourneyId));
    }

    [Fact]
    public void A_connection_is_written_with_its_agent()
    {
        Reporter().RecordJourney(Snapshot(InteractionState.Connected, agentId: "ana"));

        Assert.Equal("ana", ((JourneyEntryView)_customer.Calls.Single().Args[0]!).AgentId);
    }
}
