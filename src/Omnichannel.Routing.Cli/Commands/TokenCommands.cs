using System.CommandLine;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Omnichannel.Routing.Cli.CommandLine;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary>
/// <c>token issue</c>: mints a development token from the engine's symmetric key (<c>Auth:SigningKey</c>), for first
/// runs and tests. Production tokens come from the identity provider whose public key the engine is given.
/// </summary>
internal sealed class TokenCommands : ICommandGroup
{
    /// <summary>Environment variable that holds the development key.</summary>
    public const string SigningKeyVariable = "OMNICHANNEL_SIGNING_KEY";

    /// <summary>The roles the engine knows (README, Security).</summary>
    public static readonly string[] Roles = ["frontend", "agent", "workforce", "supervisor", "admin"];

    private readonly Option<string> _role = new("--role") { Description = $"the token's role: {string.Join(", ", Roles)}", HelpName = "role", Required = true };
    private readonly Option<string?> _agent = new("--agent") { Description = "the agent the token acts for (role agent; becomes its subject)", HelpName = "id" };
    private readonly Option<string?> _subject = new("--subject") { Description = "who the token names (default: the agent, else the role)", HelpName = "name" };
    private readonly Option<string?> _key = new("--signing-key") { Description = $"the engine's Auth:SigningKey (or ${SigningKeyVariable})", HelpName = "secret" };
    private readonly Option<string> _issuer = new("--issuer") { Description = "the engine's Auth:Issuer", HelpName = "name", DefaultValueFactory = _ => "omnichannel-dev" };
    private readonly Option<string> _audience = new("--audience") { Description = "the engine's Auth:Audience", HelpName = "name", DefaultValueFactory = _ => "omnichannel-routing" };
    private readonly Option<TimeSpan> _lifetime = new("--lifetime")
    {
        Description = "how long the token is valid",
        HelpName = "duration",
        CustomParser = DurationText.ParsePositive,
        DefaultValueFactory = _ => TimeSpan.FromHours(8),
    };

    public IEnumerable<Command> Commands()
    {
        var issue = new Command("issue", "print a development token signed with the engine's development key")
        {
            _role, _agent, _subject, _key, _issuer, _audience, _lifetime,
        };
        _role.AcceptOnlyFromAmong(Roles);
        issue.SetAction(parse =>
        {
            try
            {
                Console.WriteLine(Issue(parse, DateTime.UtcNow));
                return 0;
            }
            catch (CommandFailedException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return EngineCommandAction.Failure;
            }
        });
        yield return issue;
    }

    /// <summary>The token the parsed command asks for, issued at <paramref name="now"/>.</summary>
    public string Issue(ParseResult parse, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var role = parse.GetRequiredValue(_role);
        var agent = parse.GetValue(_agent);
        if (role == "agent" && string.IsNullOrEmpty(agent))
        {
            throw new CommandFailedException("an agent token needs --agent ID: an agent may act only as itself");
        }

        var key = parse.GetValue(_key) ?? Environment.GetEnvironmentVariable(SigningKeyVariable);
        if (string.IsNullOrEmpty(key) || Encoding.UTF8.GetByteCount(key) < 32)
        {
            throw new CommandFailedException($"--signing-key (or ${SigningKeyVariable}) must be the engine's Auth:SigningKey, at least 32 characters");
        }

        var subject = parse.GetValue(_subject) ?? agent ?? role;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = parse.GetValue(_issuer),
            Audience = parse.GetValue(_audience),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["role"] = role },
            IssuedAt = now,
            NotBefore = now,
            Expires = now + parse.GetValue(_lifetime),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
