using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Grains.Interactions;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class OverflowAdmissionTests
{
    private readonly Dictionary<string, GrainFake<IQueueGrain>> _queues = [];

    private OverflowAdmission Admission(int maxHops = 3) => new(id => Queue(id).Grain, maxHops);

    private GrainFake<IQueueGrain> Queue(string id)
    {
        if (!_queues.TryGetValue(id, out var queue))
        {
            _queues[id] = queue = GrainFake.Of<IQueueGrain>();
        }

        return queue;
    }

    private void Answers(string queueId, EnqueueResult result) =>
        Queue(queueId).Answers[nameof(IQueueGrain.CheckAdmission)] = _ => Task.FromResult(result);

    private static EnqueueResult Overflow(string target) => new(EnqueueOutcome.Overflow, 0, null, target, "full");

    private static readonly EnqueueResult Queued = new(EnqueueOutcome.Queued, 1, null, null, null);

    [Fact]
    public async Task A_full_queue_hands_the_interaction_to_its_overflow_target()
    {
        Answers("sales", Overflow("backup"));
        Answers("backup", Queued);

        var (result, queueId, overflowedFrom) = await Admission().AdmitAsync("sales", "chat");

        Assert.Equal(EnqueueOutcome.Queued, result.Outcome);
        Assert.Equal("backup", queueId);
        Assert.Equal(["sales"], overflowedFrom.ToArray());
        Assert.Equal(["sales"], ((ImmutableArray<string>)Queue("backup").CallsTo(nameof(IQueueGrain.CheckAdmission)).Single()[1]!).ToArray());
    }

    [Fact]
    public async Task Overflow_that_leads_back_to_a_queue_already_tried_is_full_not_an_endless_loop()
    {
        Answers("sales", Overflow("backup"));
        Answers("backup", Overflow("sales"));

        var (result, queueId, _) = await Admission().AdmitAsync("sales", "chat");

        Assert.Equal(EnqueueOutcome.Full, result.Outcome);
        Assert.Equal("backup", queueId);
        Assert.Single(Queue("sales").Calls);
    }

    [Fact]
    public async Task Overflow_stops_after_the_configured_number_of_hops()
    {
        Answers("q0", Overflow("q1"));
        Answers("q1", Overflow("q2"));
        Answers("q2", Queued);

        var (result, _, _) = await Admission(maxHops: 1).AdmitAsync("q0", "chat");

        Assert.Equal(EnqueueOutcome.Full, result.Outcome);
        Assert.Empty(Queue("q2").Calls);
    }

    [Fact]
    public async Task A_transfer_to_a_full_queue_is_refused_as_exhausted_even_when_it_could_overflow()
    {
        Queue("billing").Answers[nameof(IQueueGrain.GetConfig)] = _ => Task.FromResult<QueueConfig?>(null);
        Answers("sales", Overflow("backup"));

        var missing = await Assert.ThrowsAsync<RoutingException>(() => Admission().EnsureTransferTargetAsync("billing", "chat"));
        var full = await Assert.ThrowsAsync<RoutingException>(() => Admission().EnsureAdmitsAsync("sales", "chat"));

        Assert.Equal(RoutingErrorCode.NotFound, missing.Code);
        Assert.Equal(RoutingErrorCode.ResourceExhausted, full.Code);
        Assert.Empty(Queue("backup").Calls);
    }

    [Fact]
    public void A_queue_overflow_to_a_queue_it_already_left_would_loop()
    {
        var admission = Admission(maxHops: 2);

        Assert.True(admission.WouldLoop(["sales", "backup"], "sales"));
        Assert.True(admission.WouldLoop(["a", "b", "c"], "d"));
        Assert.False(admission.WouldLoop(["sales"], "backup"));
    }
}
