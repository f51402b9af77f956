using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Orleans.Serialization;
using Orleans.Storage;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class InProcessGrainStorageTests : IDisposable
{
    private const string StateName = "agent";
    private const string CustomerState = "customer";
    private static readonly GrainId Agent = GrainId.Create("agent", "ana");
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private readonly InMemoryRoutingEventLog _log = new();
    private readonly InProcessGrainStorage _storage;

    public InProcessGrainStorageTests()
    {
        _storage = new InProcessGrainStorage(_services.GetRequiredService<DeepCopier>(), _log, finishedKept: 3, restingCustomersKept: 3);
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_reactivated_grain_reads_the_state_as_it_was_written_not_as_the_activation_changed_it_since()
    {
        var record = new AgentRecord { SignedIn = true, Work = [Item("i-1")] };
        var written = new GrainState<AgentRecord>(record);
        await _storage.WriteStateAsync(StateName, Agent, written);

        record.Work.Add(Item("i-2"));
        record.SignedIn = false;
        var read = new GrainState<AgentRecord>(new AgentRecord());
        await _storage.ReadStateAsync(StateName, Agent, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        var stored = Assert.IsType<AgentRecord>(read.State);
        Assert.True(stored.SignedIn);
        Assert.Equal(["i-1"], stored.Work.Select(w => w.InteractionId));
        Assert.NotSame(record, stored);
    }

    [Fact]
    public async Task A_state_never_written_reads_as_absent()
    {
        var read = new GrainState<AgentRecord>(new AgentRecord());

        await _storage.ReadStateAsync(StateName, Agent, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task A_write_over_a_version_that_is_no_longer_stored_is_refused_and_stores_nothing()
    {
        var first = new GrainState<AgentRecord>(new AgentRecord { SignedIn = true });
        await _storage.WriteStateAsync(StateName, Agent, first);
        var stale = new GrainState<AgentRecord>(new AgentRecord { Presence = Presence.Available }) { ETag = first.ETag };
        await _storage.WriteStateAsync(StateName, Agent, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, Agent, stale));
        var fresh = new GrainState<AgentRecord>(new AgentRecord { Presence = Presence.Available });
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, Agent, fresh));

        var read = new GrainState<AgentRecord>(new AgentRecord());
        await _storage.ReadStateAsync(StateName, Agent, read);
        Assert.Equal(first.ETag, read.ETag);
        Assert.Equal(Presence.Offline, Assert.IsType<AgentRecord>(read.State).Presence);
    }

    [Fact]
    public async Task A_cleared_state_reads_as_absent_and_a_writer_from_before_the_clear_is_refused()
    {
        var state = new GrainState<AgentRecord>(new AgentRecord { SignedIn = true });
        await _storage.WriteStateAsync(StateName, Agent, state);
        var before = new GrainState<AgentRecord>(new AgentRecord()) { ETag = state.ETag };

        await _storage.ClearStateAsync(StateName, Agent, state);

        var read = new GrainState<AgentRecord>(new AgentRecord());
        await _storage.ReadStateAsync(StateName, Agent, read);
        Assert.False(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, Agent, before));
    }

    private static WorkItem Item(string interactionId) =>
        new(interactionId, "chat", "sales", WorkPhase.Connected, DateTimeOffset.UnixEpoch, Deadline: null);

    [Fact]
    public async Task Beyond_the_bound_the_oldest_ended_interactions_are_forgotten_and_unfinished_ones_never()
    {
        var waiting = GrainId.Create("interaction", "waiting");
        await _storage.WriteStateAsync("interaction", waiting, new GrainState<InteractionRecord>(new InteractionRecord { Current = AgentTestData.Interaction("waiting", InteractionState.Queued, null) }));
        var ended = Enumerable.Range(1, 5).Select(i => GrainId.Create("interaction", $"ended-{i}")).ToList();
        foreach (var id in ended)
        {
            var state = new GrainState<InteractionRecord>(new InteractionRecord { Current = AgentTestData.Interaction(id.Key.ToString()!, InteractionState.Completed, "ana") });
            await _storage.WriteStateAsync("interaction", id, state);

            // Written again once ended (a late note): still one place in the line.
            await _storage.WriteStateAsync("interaction", id, state);
        }

        Assert.False(await ExistsAsync(ended[0]));
        Assert.False(await ExistsAsync(ended[1]));
        Assert.True(await ExistsAsync(ended[2]));
        Assert.True(await ExistsAsync(ended[4]));
        Assert.True(await ExistsAsync(waiting));
        Assert.Equal(4, _storage.Count);
    }

    [Fact]
    public async Task Beyond_the_bound_the_customers_at_rest_longest_are_forgotten_and_one_with_an_interaction_open_never()
    {
        var open = await CustomerAsync("open", InteractionState.Connected);
        var resting = await CustomersAtRestAsync("resting", 5);

        Assert.False(await ExistsAsync(resting[0]));
        Assert.False(await ExistsAsync(resting[1]));
        Assert.True(await ExistsAsync(resting[2]));
        Assert.True(await ExistsAsync(resting[4]));
        Assert.True(await ExistsAsync(open));
    }

    [Fact]
    public async Task A_customer_active_again_leaves_the_count_and_at_rest_again_counts_as_the_newest()
    {
        var returning = GrainId.Create("customer", "returning");
        var record = Customer(InteractionState.Completed);
        var state = await WrittenAsync(returning, record);
        var before = await CustomersAtRestAsync("before", 2);

        record.Journey.Insert(0, Entry("second", InteractionState.Queued));
        await _storage.WriteStateAsync(CustomerState, returning, state);
        var during = await CustomersAtRestAsync("during", 3);

        // Active, it was not counted: five others came to rest, the oldest two went.
        Assert.True(await ExistsAsync(returning));
        Assert.False(await ExistsAsync(before[1]));
        Assert.True(await ExistsAsync(during[0]));

        record.Journey[0] = Entry("second", InteractionState.Completed);
        await _storage.WriteStateAsync(CustomerState, returning, state);
        await CustomersAtRestAsync("after", 2);

        Assert.True(await ExistsAsync(returning));
        Assert.False(await ExistsAsync(during[2]));
    }

    [Fact]
    public async Task A_customer_with_no_interaction_yet_is_kept()
    {
        var profile = GrainId.Create("customer", "profile");
        await WrittenAsync(profile, new CustomerRecord { DisplayName = "Ada" });

        await CustomersAtRestAsync("resting", 5);

        Assert.True(await ExistsAsync(profile));
    }

    [Fact]
    public async Task A_write_logs_the_states_unlogged_events_so_a_copy_that_still_lists_them_is_at_rest_and_logged_once()
    {
        var record = Customer(InteractionState.Completed);
        record.UnloggedEvents.Add(RoutingEvent.ForCustomerJourney(DateTimeOffset.UnixEpoch, "logged", 1, record.Journey[0], "{}"));
        var customer = GrainId.Create("customer", "logged");

        await WrittenAsync(customer, record);
        var logged = await _log.ReadRangeAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10);
        Assert.Equal("logged", Assert.Single(logged).SubjectId);

        // Reactivated from the copy that lists the event: the log commits with the state, so the outbox appends nothing.
        var read = new GrainState<CustomerRecord>(new CustomerRecord());
        await _storage.ReadStateAsync(CustomerState, customer, read);
        var reread = Assert.IsType<CustomerRecord>(read.State);
        Assert.Single(reread.UnloggedEvents);
        var outbox = new EventOutbox(_log, () => reread.UnloggedEvents, NullLogger.Instance, "Customer logged");
        Assert.True(await outbox.FlushAsync());
        Assert.Single(await _log.ReadRangeAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10));

        // At rest with the event still listed: the oldest at rest, it is forgotten first.
        await CustomersAtRestAsync("resting", 3);
        Assert.False(await ExistsAsync(customer));
    }

    [Fact]
    public async Task Ended_interactions_and_customers_at_rest_count_against_their_own_bounds()
    {
        var customers = await CustomersAtRestAsync("resting", 3);
        for (var i = 0; i < 3; i++)
        {
            var ended = GrainId.Create("interaction", $"i-{i}");
            await _storage.WriteStateAsync("interaction", ended, new GrainState<InteractionRecord>(new InteractionRecord { Current = AgentTestData.Interaction($"i-{i}", InteractionState.Completed, "ana") }));
        }

        Assert.True(await ExistsAsync(customers[0]));
        Assert.True(await ExistsAsync(GrainId.Create("interaction", "i-0")));
        Assert.Equal(6, _storage.Count);
    }

    [Fact]
    public async Task An_erased_customer_is_never_forgotten_so_a_writer_from_before_the_erasure_is_still_refused()
    {
        var erased = GrainId.Create("customer", "erased");
        var state = await WrittenAsync(erased, Customer(InteractionState.Completed));
        var before = new GrainState<CustomerRecord>(Customer(InteractionState.Completed)) { ETag = state.ETag };
        await _storage.ClearStateAsync(CustomerState, erased, state);

        await CustomersAtRestAsync("resting", 5);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(CustomerState, erased, before));
        Assert.False(await ExistsAsync(erased));
    }

    [Fact]
    public async Task An_activation_that_outlived_its_forgotten_record_stores_it_again_as_it_holds_it()
    {
        var lasting = GrainId.Create("customer", "lasting");
        var record = Customer(InteractionState.Completed);
        var state = await WrittenAsync(lasting, record);
        await CustomersAtRestAsync("resting", 3);

        Assert.False(await ExistsAsync(lasting));

        record.Journey.Insert(0, Entry("again", InteractionState.Queued));
        await _storage.WriteStateAsync(CustomerState, lasting, state);

        var read = new GrainState<CustomerRecord>(new CustomerRecord());
        await _storage.ReadStateAsync(CustomerState, lasting, read);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(["again", "first"], Assert.IsType<CustomerRecord>(read.State).Journey.Select(e => e.InteractionId));
    }

    [Theory]
    [InlineData(0, 20_000)]
    [InlineData(20_000, 0)]
    [InlineData(20_000, -1)]
    public void Each_bound_must_be_more_than_zero(int finishedInteractions, int restingCustomers)
    {
        var options = Options.Create(new RoutingOptions { EmbeddedFinishedInteractions = finishedInteractions, EmbeddedRestingCustomers = restingCustomers });

        Assert.Throws<ArgumentOutOfRangeException>(() => new InProcessGrainStorage(_services.GetRequiredService<DeepCopier>(), _log, options));
    }

    private async Task<GrainId> CustomerAsync(string customerId, InteractionState state)
    {
        var customer = GrainId.Create("customer", customerId);
        await WrittenAsync(customer, Customer(state));
        return customer;
    }

    // Customers whose one interaction ended, each coming to rest after the one before.
    private async Task<List<GrainId>> CustomersAtRestAsync(string prefix, int count)
    {
        var customers = new List<GrainId>();
        for (var i = 0; i < count; i++)
        {
            customers.Add(await CustomerAsync($"{prefix}-{i}", InteractionState.Completed));
        }

        return customers;
    }

    private async Task<GrainState<CustomerRecord>> WrittenAsync(GrainId customer, CustomerRecord record)
    {
        var state = new GrainState<CustomerRecord>(record);
        await _storage.WriteStateAsync(CustomerState, customer, state);
        return state;
    }

    private static CustomerRecord Customer(InteractionState state) => new() { Journey = [Entry("first", state)] };

    private static JourneyEntryView Entry(string interactionId, InteractionState state) =>
        new(interactionId, "chat", "sales", null, state, DateTimeOffset.UnixEpoch, null, null, null, ImmutableDictionary<string, string>.Empty, null, null);

    private async Task<bool> ExistsAsync(GrainId grain)
    {
        var read = new GrainState<object>(new object());
        await _storage.ReadStateAsync(grain.Type.ToString(), grain, read);
        return read.RecordExists;
    }
}
