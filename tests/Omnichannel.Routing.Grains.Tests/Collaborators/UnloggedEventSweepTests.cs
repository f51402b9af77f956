using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Grains.Recovery;
using Orleans.Serialization;
using Orleans.Storage;

namespace Omnichannel.Routing.Grains.Tests.Collaborators;

public sealed class UnloggedEventSweepTests : IDisposable
{
    private static readonly StateSweep Sweep = new(null, DateTimeOffset.UnixEpoch);
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private readonly IGrainStorageSerializer _serializer;

    public UnloggedEventSweepTests() => _serializer = new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>());

    public void Dispose() => _services.Dispose();

    private static RoutingEvent Event(string subjectId, long sequence) =>
        RoutingEvent.ForQueue(DateTimeOffset.UnixEpoch, subjectId, sequence, RoutingEventType.Configured, Actor.Engine, null);

    /// <summary>Every grain state that keeps an outbox (a record with UnloggedEvents), under the name its grain stores it by.</summary>
    public static TheoryData<string, Type> OutboxStates()
    {
        var data = new TheoryData<string, Type>();
        var grains = typeof(EngineRecovery).Assembly.GetTypes().Where(t => typeof(Grain).IsAssignableFrom(t) && !t.IsAbstract);
        foreach (var parameter in grains.SelectMany(g => g.GetConstructors()).SelectMany(c => c.GetParameters()))
        {
            if (parameter.GetCustomAttribute<PersistentStateAttribute>() is { } state
                && parameter.ParameterType.GetGenericArguments().SingleOrDefault() is { } record
                && record.GetProperty("UnloggedEvents") is not null)
            {
                data.Add(state.StateName, record);
            }
        }

        return data;
    }

    [Fact]
    public void Every_grain_with_an_outbox_is_found()
    {
        Assert.Equal(["agent", "channels", "customer", "interaction", "queue"], OutboxStates().Select(row => (string)row[0]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(OutboxStates))]
    public async Task The_unlogged_events_of_each_kind_of_stored_state_are_found_without_activating_its_grain(string stateName, Type recordType)
    {
        var record = Activator.CreateInstance(recordType)!;
        var unlogged = (List<RoutingEvent>)recordType.GetProperty("UnloggedEvents")!.GetValue(record)!;
        unlogged.Add(Event("x", 4));
        unlogged.Add(Event("x", 5));
        var payload = Serialize(record, recordType);

        var findings = await new UnloggedEventSweep(new States([new StoredGrainState(stateName, payload)]), _serializer).FindAsync(Sweep, CancellationToken.None);

        var events = Assert.Single(findings.Unlogged);
        Assert.Equal([4L, 5L], events.Select(e => e.Sequence));
        Assert.Equal(1, findings.Read);
    }

    [Fact]
    public async Task States_with_nothing_unlogged_states_without_an_outbox_and_unreadable_states_give_nothing()
    {
        var clean = Serialize(new InteractionRecord(), typeof(InteractionRecord));
        var states = new States(
        [
            new StoredGrainState("interaction", clean),
            new StoredGrainState("registry", clean),
            new StoredGrainState("queue", new byte[] { 1, 2, 3 }),
        ]);

        var findings = await new UnloggedEventSweep(states, _serializer).FindAsync(Sweep, CancellationToken.None);

        Assert.Empty(findings.Unlogged);
        Assert.Equal(3, findings.Read);
        Assert.Equal(1, findings.Unreadable);
    }

    private byte[] Serialize(object record, Type recordType)
    {
        var serialize = typeof(IGrainStorageSerializer).GetMethod(nameof(IGrainStorageSerializer.Serialize))!.MakeGenericMethod(recordType);
        return ((BinaryData)serialize.Invoke(_serializer, [record])!).ToArray();
    }

    private sealed class States(IReadOnlyList<StoredGrainState> stored) : IStoredGrainStates
    {
        public Task<StateSweep> BeginSweepAsync(CancellationToken cancellationToken = default) => Task.FromResult(Sweep);

        public async IAsyncEnumerable<StoredGrainState> ReadAsync(StateSweep sweep, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var state in stored)
            {
                await Task.Yield();
                yield return state;
            }
        }

        public Task FinishSweepAsync(StateSweep sweep, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
