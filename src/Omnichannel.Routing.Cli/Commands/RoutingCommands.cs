using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>route</c>: what a front-end does for a new interaction (RoutingService.RouteInteraction).</summary>
internal sealed class RoutingCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Option<string> queue = new("--queue") { Description = "queue to route to", HelpName = "queue", Required = true };
    private readonly Option<string> channel = new("--channel") { Description = "channel, e.g. voice, chat, email", HelpName = "channel", Required = true };
    private readonly Option<string> customer = new("--customer") { Description = "customer id", HelpName = "customer", Required = true };
    private readonly Option<int> priority = new("--priority") { Description = "base priority 0..1000, higher first", HelpName = "n", CustomParser = ArgumentParsers.Integer() };
    private readonly Option<IReadOnlyList<KeyValuePair<string, int>>> skills = new("--skill")
    {
        Description = "required skill and minimum level (repeatable)",
        HelpName = "name:level",
        CustomParser = ArgumentParsers.SkillLevels(eachOnce: false),
    };

    private readonly Option<string[]> preferredSkills = new("--preferred-skill") { Description = "skill that only raises an agent's score (repeatable)", HelpName = "name" };
    private readonly Option<IReadOnlyList<KeyValuePair<string, string>>> context = new("--context")
    {
        Description = "context entry (repeatable)",
        HelpName = "key=value",
        CustomParser = ArgumentParsers.Pairs('='),
    };

    private readonly Option<string> requestId = new("--request-id") { Description = "idempotency key: a retry returns the same interaction", HelpName = "id" };
    private readonly Option<string> preferredAgent = new("--preferred-agent") { Description = "offer this agent first", HelpName = "agent" };
    private readonly Option<bool> preferLastAgent = new("--prefer-last-agent") { Description = "offer the customer's last agent first" };
    private readonly Option<TimeSpan?> preferredWait = new("--preferred-wait")
    {
        Description = "how long to wait for the preferred agent",
        HelpName = "30s",
        CustomParser = result => DurationText.Parse(result),
    };

    public IEnumerable<Command> Commands()
    {
        var route = new Command("route", "create and route an interaction; prints its id, state, queue position and estimated wait")
        {
            queue, channel, customer, priority, skills, preferredSkills, context, requestId, preferredAgent, preferLastAgent, preferredWait,
        };
        yield return route.RunsOnEngine(global, RouteAsync);
    }

    private async Task<int> RouteAsync(CommandContext run)
    {
        var request = new RouteInteractionRequest
        {
            QueueId = run.Required(queue),
            Channel = run.Required(channel),
            CustomerId = run.Required(customer),
            Priority = run.Value(priority),
            RequestId = run.Value(requestId) ?? string.Empty,
            PreferredAgentId = run.Value(preferredAgent) ?? string.Empty,
            PreferLastAgent = run.Flag(preferLastAgent),
        };
        foreach (var (skill, level) in run.Value(skills) ?? [])
        {
            request.RequiredSkills.Add(new SkillRequirement { Skill = skill, MinimumLevel = level });
        }

        request.PreferredSkills.AddRange(run.Value(preferredSkills) ?? []);
        foreach (var (key, value) in run.Value(context) ?? [])
        {
            request.Context[key] = value;
        }

        if (run.Value(preferredWait) is { } wait)
        {
            request.PreferredAgentWait = Duration.FromTimeSpan(wait);
        }

        var client = new RoutingService.RoutingServiceClient(run.Invoker);
        var response = await client.RouteInteractionAsync(request, run.Unary);
        run.Output.Item(response, TextFormat.RouteLine);
        return 0;
    }
}
