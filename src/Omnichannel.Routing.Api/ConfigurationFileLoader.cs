using Google.Protobuf;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichannel.Routing.Abstractions;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api;

/// <summary>
/// Loads channels, queues and agents from a JSON file (a <c>RoutingConfiguration</c> in protobuf JSON) when the
/// host starts, through the same validation as AdminService. A file with an error stops the host with the path of
/// the offending field.
/// </summary>
public sealed partial class ConfigurationFileLoader(
    AdminOperations operations,
    IOptions<ApiOptions> options,
    ILogger<ConfigurationFileLoader> logger) : IHostedService
{
    private static readonly Actor Loader = new(ActorKind.Admin, "configuration-file");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ConfigurationFile is not { Length: > 0 } path)
        {
            return;
        }

        var json = await File.ReadAllTextAsync(path, cancellationToken);
        var configuration = Parse(json, path);
        await ApplyAsync(operations, configuration);
        LogLoaded(path, configuration.Channels.Count, configuration.Queues.Count, configuration.Agents.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static Proto.RoutingConfiguration Parse(string json, string source)
    {
        try
        {
            return new JsonParser(JsonParser.Settings.Default.WithIgnoreUnknownFields(false)).Parse<Proto.RoutingConfiguration>(json);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidOperationException($"{source}: not a valid RoutingConfiguration: {e.Message}", e);
        }
    }

    /// <summary>Channels first, then queues in an order that satisfies overflow references, then agents.</summary>
    public static async Task ApplyAsync(AdminOperations operations, Proto.RoutingConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(configuration);
        for (var i = 0; i < configuration.Channels.Count; i++)
        {
            await operations.UpsertChannelAsync(configuration.Channels[i], $"channels[{i}]", Loader);
        }

        var pending = configuration.Queues.Select((q, i) => (Queue: q, Index: i)).ToList();
        var defined = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var ready = pending.FindIndex(p => p.Queue.Overflow is null
                || defined.Contains(p.Queue.Overflow.TargetQueueId)
                || pending.All(o => o.Queue.QueueId != p.Queue.Overflow.TargetQueueId));
            var (queue, index) = pending[ready < 0 ? 0 : ready];
            await operations.UpsertQueueAsync(queue, $"queues[{index}]", Loader);
            defined.Add(queue.QueueId);
            pending.RemoveAt(ready < 0 ? 0 : ready);
        }

        for (var i = 0; i < configuration.Agents.Count; i++)
        {
            await operations.UpsertAgentAsync(configuration.Agents[i], $"agents[{i}]", Loader);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Path}: {Channels} channel(s), {Queues} queue(s), {Agents} agent(s)")]
    private partial void LogLoaded(string path, int channels, int queues, int agents);
}
