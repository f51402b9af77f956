using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Omnichannel.Routing.TestSupport;

/// <summary>
/// Bearer tokens for a host started with authentication on: a fresh development key, issuer and audience, and the
/// tokens a test needs (by role, expired, signed with another key, for another audience).
/// </summary>
public sealed class TestTokens
{
    public const string TestIssuer = "omnichannel-tests";
    public const string Audience = "omnichannel-routing";

    /// <summary>The issuer the CLI's <c>token issue</c> and the README's secure run use by default.</summary>
    public const string DevelopmentIssuer = "omnichannel-dev";

    public TestTokens()
        : this(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), TestIssuer)
    {
    }

    private TestTokens(string signingKey, string issuer)
    {
        SigningKey = signingKey;
        Issuer = issuer;
    }

    /// <summary>The tokens every <see cref="HostProcess"/> of this test run requires unless told otherwise: one key, so a client outlives a restart.</summary>
    public static TestTokens Shared { get; } = new();

    /// <summary>A development key of 64 characters, new for each instance made with <c>new</c>.</summary>
    public string SigningKey { get; }

    public string Issuer { get; }

    /// <summary>Tokens for a host started as the README's secure run starts it, with <paramref name="signingKey"/>.</summary>
    public static TestTokens ForDevelopmentKey(string signingKey) => new(signingKey, DevelopmentIssuer);

    /// <summary>The host's settings that make it require these tokens.</summary>
    public IReadOnlyList<string> HostSettings => [$"--Auth:Issuer={Issuer}", $"--Auth:Audience={Audience}", $"--Auth:SigningKey={SigningKey}"];

    /// <summary>A token for <paramref name="subject"/> holding <paramref name="roles"/>, valid for an hour.</summary>
    public string For(string subject, params string[] roles) => Mint(subject, roles, SigningKey, Issuer, Audience, DateTime.UtcNow.AddHours(1));

    public string Expired(string subject, string role) => Mint(subject, [role], SigningKey, Issuer, Audience, DateTime.UtcNow.AddHours(-1));

    public static string SignedWithAnotherKey(string subject, string role) => Mint(subject, [role], Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), TestIssuer, Audience, DateTime.UtcNow.AddHours(1));

    public string ForAnotherAudience(string subject, string role) => Mint(subject, [role], SigningKey, Issuer, "someone-else", DateTime.UtcNow.AddHours(1));

    private static string Mint(string subject, string[] roles, string key, string issuer, string audience, DateTime expires)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["role"] = roles };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expires.AddHours(-2),
            NotBefore = expires.AddHours(-2),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
