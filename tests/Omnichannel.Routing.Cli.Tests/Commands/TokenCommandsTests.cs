using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Commands;
using static Omnichannel.Routing.Cli.Tests.CommandLine.ParsedCommands;

namespace Omnichannel.Routing.Cli.Tests.Commands;

public sealed class TokenCommandsTests
{
    private const string Key = "a-development-key-of-at-least-32-characters";
    private readonly TokenCommands _tokens = new();

    [Fact]
    public async Task An_issued_agent_token_validates_against_the_key_and_names_the_agent_with_its_role()
    {
        var command = _tokens.Commands().Single();
        var parse = command.Parse(["--role", "agent", "--agent", "alice", "--signing-key", Key, "--lifetime", "1h"]);

        var token = _tokens.Issue(parse, DateTime.UtcNow);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "omnichannel-dev",
            ValidAudience = "omnichannel-routing",
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Key)),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("alice", result.Claims["sub"]);
        Assert.Equal("agent", result.Claims["role"]);
    }

    [Fact]
    public void An_agent_token_without_an_agent_and_a_short_key_are_refused()
    {
        var command = _tokens.Commands().Single();

        Assert.Throws<CommandFailedException>(() => _tokens.Issue(command.Parse(["--role", "agent", "--signing-key", Key]), DateTime.UtcNow));
        Assert.Throws<CommandFailedException>(() => _tokens.Issue(command.Parse(["--role", "admin", "--signing-key", "short"]), DateTime.UtcNow));
    }

    [Theory]
    [InlineData("token issue --role admin --signing-key k")]
    [InlineData("token issue --role agent --agent alice --issuer me --audience them --lifetime 30m")]
    [InlineData("--token abc --ca engine.crt --address https://engine.example:443 queues list")]
    public void Token_and_trust_options_parse(string commandLine)
    {
        var parse = Parse(commandLine);

        Assert.True(parse.Errors.Count == 0, Errors(parse));
    }

    [Fact]
    public void An_unknown_role_is_a_usage_error()
    {
        Assert.NotEmpty(Parse("token issue --role janitor").Errors);
    }
}
