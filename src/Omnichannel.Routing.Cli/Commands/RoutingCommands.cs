using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;
using Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>route</c>: what a front-end does for a new interaction (RoutingService.RouteInteraction).</summary>
internal sealed class RoutingCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Option<string> _queue = new("--queue") { Description = "queue to route to", HelpName = "queue", Required = true };
    private readonly Option<string> _channel = new("--channel") { Description = "channel, e.g. voice, chat, email", HelpName = "channel", Required = true };
    private readonly Option<string> _customer = new("--customer") { Description = "customer id", HelpName = "customer", Required = true };
    private readonly Option<int> _priority = new("--priority") { Description = "base priority 0..1000, higher first", HelpName = "n", CustomParser = ArgumentParsers.Integer() };
    private readonly Option<IReadOnlyList<KeyValuePair<string, int>>> _skills = new("--skill")
    {
        Description = "required skill and minimum level (repeatable)",
        HelpName = "name:level",
        CustomParser = ArgumentParsers.SkillLevels(eachOnce: false),
    };

    private readonly Option<string[]> _preferredSkills = new("--preferred-skill") { Description = "skill that only raises an agent's score (repeatable)", HelpName = "name" };
    private readonly Option<IReadOnlyList<KeyValuePair<string, string>>> _context = new("--context")
    {
        Description = "context entry (repeatable)",
        HelpName = "key=value",
        CustomParser = ArgumentParsers.Pairs('='),
    };

    private readonly Option<string> _requestId = new("--request-id") { Description = "idempotency key: a retry returns the same interaction", HelpName = "id" };
    private readonly Option<string> _preferredAgent = new("--preferred-agent") { Description = "offer this agent first", HelpName = "agent" };
    private readonly Option<bool> _preferLastAgent = new("--prefer-last-agent") { Description = "offer the customer's last agent first" };
    private readonly Option<TimeSpan?> _preferredWait = new("--preferred-wait")
    {
        Description = "how long to wait for the preferred agent",
        HelpName = "30s",
        CustomParser = result => DurationText.Parse(result),
    };

    public IEnumerable<Command> Commands()
    {
        var route = new Command("route", "create and route an interaction; prints its id, state, queue position and estimated wait")
        {
            _queue, _channel, _customer, _priority, _skills, _preferredSkills, _context, _requestId, _preferredAgent, _preferLastAgent, _preferredWait,
        };
        yield return route.RunsOnEngine(global, RouteAsync);
    }

    private async Task<int> RouteAsync(CommandContext run)
    {
        var request = new RouteInteractionRequest
        {
            QueueId = run.Required(_queue),
            Channel = run.Required(_channel),
            CustomerId = run.Required(_customer),
            Priority = run.Value(_priority),
            RequestId = run.Value(_requestId) ?? string.Empty,
            PreferredAgentId = run.Value(_preferredAgent) ?? string.Empty,
            PreferLastAgent = run.Flag(_preferLastAgent),
        };
        foreach (var (skill, level) in run.Value(_skills) ?? [])
        {
            request.RequiredSkills.Add(new SkillRequirement { Skill = skill, MinimumLevel = level });
        }

        request.PreferredSkills.AddRange(run.Value(_preferredSkills) ?? []);
        foreach (var (key, value) in run.Value(_context) ?? [])
        {
            request.Context[key] = value;
        }

        if (run.Value(_preferredWait) is { } wait)
        {
            request.PreferredAgentWait = Duration.FromTimeSpan(wait);
        }

        var client = new RoutingService.RoutingServiceClient(run.Invoker);
        var response = await client.RouteInteractionAsync(request, run.Unary);
        run.Output.Item(response, TextFormat.RouteLine);
        return 0;
    }
}
