using System.CommandLine;
using Google.Protobuf;
using Grpc.Core;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>config load</c>: applies a RoutingConfiguration JSON _file through AdminService.</summary>
internal sealed class ConfigCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Argument<string> _file = new("file.json") { Description = "a RoutingConfiguration as protobuf JSON" };

    public IEnumerable<Command> Commands()
    {
        yield return new Command("load", "upsert the channels, queues and agents of a RoutingConfiguration JSON file") { _file }
            .RunsOnEngine(global, LoadAsync);
    }

    private async Task<int> LoadAsync(CommandContext context)
    {
        var path = context.Argument(_file);
        var configuration = Read(path);
        var client = new AdminService.AdminServiceClient(context.Invoker);
        for (var i = 0; i < configuration.Channels.Count; i++)
        {
            var channel = configuration.Channels[i];
            var saved = await Upsert($"channels[{i}] '{channel.Name}'", () =>
                client.UpsertChannelAsync(new UpsertChannelRequest { Channel = channel }, context.Unary).ResponseAsync);
            context.Output.Item(saved, TextFormat.ChannelLine);
        }

        foreach (var (queue, index) in InDependencyOrder(configuration.Queues))
        {
            var saved = await Upsert($"queues[{index}] '{queue.QueueId}'", () =>
                client.UpsertQueueAsync(new UpsertQueueRequest { Queue = queue }, context.Unary).ResponseAsync);
            context.Output.Item(saved, q => $"queue {TextFormat.QueueLine(q)}");
        }

        for (var i = 0; i < configuration.Agents.Count; i++)
        {
            var agent = configuration.Agents[i];
            var saved = await Upsert($"agents[{i}] '{agent.AgentId}'", () =>
                client.UpsertAgentAsync(new UpsertAgentRequest { Agent = agent }, context.Unary).ResponseAsync);
            context.Output.Item(saved, a => $"agent {TextFormat.AgentLine(a)}");
        }

        context.Output.Note(
            $"loaded {path}: {configuration.Channels.Count} channel(s), {configuration.Queues.Count} queue(s), {configuration.Agents.Count} agent(s)");
        return 0;
    }

    private static RoutingConfiguration Read(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{path}: {e.Message}", e);
        }

        try
        {
            return JsonParser.Default.Parse<RoutingConfiguration>(json);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new CommandFailedException($"{path}: not a valid RoutingConfiguration: {e.Message}", e);
        }
        catch (InvalidJsonException e)
        {
            throw new CommandFailedException($"{path}: not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Queues in _file order, except that a queue overflowing into one defined later waits for it.</summary>
    private static List<(Queue Queue, int Index)> InDependencyOrder(IReadOnlyList<Queue> queues)
    {
        var pending = queues.Select((queue, index) => (Queue: queue, Index: index)).ToList();
        var ordered = new List<(Queue, int)>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var ready = pending.FindIndex(p =>
                p.Queue.Overflow is not { TargetQueueId: { Length: > 0 } target }
                || target == p.Queue.QueueId
                || placed.Contains(target)
                || pending.TrueForAll(other => other.Queue.QueueId != target));

            // An overflow cycle cannot be ordered: take the first and let the engine judge it.
            var next = pending[Math.Max(ready, 0)];
            pending.RemoveAt(Math.Max(ready, 0));
            ordered.Add(next);
            placed.Add(next.Queue.QueueId);
        }

        return ordered;
    }

    private static async Task<T> Upsert<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode is not StatusCode.Cancelled)
        {
            throw new RpcException(new Status(e.StatusCode, $"{e.Status.Detail} (upserting {what})"), e.Trailers);
        }
    }
}
