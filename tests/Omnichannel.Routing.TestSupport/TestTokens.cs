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
    public const string Issuer = "omnichannel-tests";
    public const string Audience = "omnichannel-routing";

    /// <summary>A development key of 64 characters, new for each instance.</summary>
    public string SigningKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The host's settings that make it require these tokens.</summary>
    public IReadOnlyList<string> HostSettings => [$"--Auth:Issuer={Issuer}", $"--Auth:Audience={Audience}", $"--Auth:SigningKey={SigningKey}"];

    /// <summary>A token for <paramref name="subject"/> holding <paramref name="roles"/>, valid for an hour.</summary>
    public string For(string subject, params string[] roles) => Mint(subject, roles, SigningKey, Audience, DateTime.UtcNow.AddHours(1));

    public string Expired(string subject, string role) => Mint(subject, [role], SigningKey, Audience, DateTime.UtcNow.AddHours(-1));

    public static string SignedWithAnotherKey(string subject, string role) => Mint(subject, [role], Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), Audience, DateTime.UtcNow.AddHours(1));

    public string ForAnotherAudience(string subject, string role) => Mint(subject, [role], SigningKey, "someone-else", DateTime.UtcNow.AddHours(1));

    private static string Mint(string subject, string[] roles, string key, string audience, DateTime expires)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["role"] = roles };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expires.AddHours(-2),
            NotBefore = expires.AddHours(-2),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
