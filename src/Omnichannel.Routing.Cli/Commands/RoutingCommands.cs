using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>route</c>: what a front-end does for a new interaction (RoutingService.RouteInteraction).</summary>
internal sealed class RoutingCommands : ICommandGroup
{
    public void Register(CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.Add(new CommandDefinition(
            "route",
            [],
            "create and route an interaction; prints its id, state, queue position and estimated wait",
            [
                new("queue", "queue", "queue to route to (required)"),
                new("channel", "channel", "channel, e.g. voice, chat, email (required)"),
                new("customer", "customer", "customer id (required)"),
                new("priority", "n", "base priority 0..1000, higher first"),
                new("skill", "name:level", "required skill and minimum level", Repeatable: true),
                new("preferred-skill", "name", "skill that only raises an agent's score", Repeatable: true),
                new("context", "key=value", "context entry", Repeatable: true),
                new("request-id", "id", "idempotency key: a retry returns the same interaction"),
                new("preferred-agent", "agent", "offer this agent first"),
                new("prefer-last-agent", null, "offer the customer's last agent first"),
                new("preferred-wait", "30s", "how long to wait for the preferred agent"),
            ],
            RouteAsync));
    }

    private static async Task<int> RouteAsync(CommandContext context)
    {
        var line = context.CommandLine;
        var request = new RouteInteractionRequest
        {
            QueueId = line.Required("queue"),
            Channel = line.Required("channel"),
            CustomerId = line.Required("customer"),
            Priority = line.Integer("priority") ?? 0,
            RequestId = line.Value("request-id") ?? string.Empty,
            PreferredAgentId = line.Value("preferred-agent") ?? string.Empty,
            PreferLastAgent = line.Flag("prefer-last-agent"),
        };
        foreach (var (skill, level) in line.Pairs("skill", ':'))
        {
            request.RequiredSkills.Add(new SkillRequirement { Skill = skill, MinimumLevel = SkillLevel(level) });
        }

        request.PreferredSkills.AddRange(line.Values("preferred-skill"));
        foreach (var (key, value) in line.Pairs("context", '='))
        {
            request.Context[key] = value;
        }

        if (line.Duration("preferred-wait") is { } wait)
        {
            request.PreferredAgentWait = Duration.FromTimeSpan(wait);
        }

        var client = new RoutingService.RoutingServiceClient(context.Invoker);
        var response = await client.RouteInteractionAsync(request, context.Unary);
        context.Output.Item(response, TextFormat.RouteLine);
        return 0;
    }

    private static int SkillLevel(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var level)
            ? level
            : throw new UsageException($"--skill: level '{text}' is not an integer");
}
