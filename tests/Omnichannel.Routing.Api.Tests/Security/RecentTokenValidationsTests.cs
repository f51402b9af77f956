using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Omnichannel.Routing.Api.Security;

namespace Omnichannel.Routing.Api.Tests.Security;

public sealed class RecentTokenValidationsTests
{
    private const string Issuer = "omnichannel-tests";
    private const string Audience = "omnichannel-routing";

    private static readonly string[] AgentRole = ["agent"];
    private static readonly SymmetricSecurityKey Key = new(RandomNumberGenerator.GetBytes(32));

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly CountingHandler _inner = new();
    private readonly RecentTokenValidations _validations;

    public RecentTokenValidationsTests() => _validations = new RecentTokenValidations(_inner, _clock);

    private static TokenValidationParameters Parameters => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = Key,
        RequireExpirationTime = true,
        NameClaimType = "sub",
        RoleClaimType = "role",
    };

    [Fact]
    public async Task A_valid_token_is_checked_once_then_remembered_with_a_copy_of_its_identity_each_time()
    {
        var token = Mint(Key, DateTime.UtcNow.AddHours(1));

        var first = await _validations.ValidateTokenAsync(token, Parameters);
        var second = await _validations.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _inner.Checked);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal("desk-1", second.ClaimsIdentity.Name);
        Assert.True(new System.Security.Claims.ClaimsPrincipal(second.ClaimsIdentity).IsInRole("agent"));
    }

    [Fact]
    public async Task A_remembered_token_is_checked_again_once_the_memory_runs_out()
    {
        var token = Mint(Key, DateTime.UtcNow.AddHours(1));
        await _validations.ValidateTokenAsync(token, Parameters);

        _clock.Advance(RecentTokenValidations.Remembered - TimeSpan.FromSeconds(1));
        await _validations.ValidateTokenAsync(token, Parameters);
        Assert.Equal(1, _inner.Checked);

        _clock.Advance(TimeSpan.FromSeconds(2));
        await _validations.ValidateTokenAsync(token, Parameters);
        Assert.Equal(2, _inner.Checked);
    }

    [Fact]
    public async Task A_token_is_never_remembered_past_its_own_expiry()
    {
        var token = Mint(Key, DateTime.UtcNow.AddMinutes(2));
        await _validations.ValidateTokenAsync(token, Parameters);

        _clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        await _validations.ValidateTokenAsync(token, Parameters);

        Assert.Equal(2, _inner.Checked);
    }

    [Fact]
    public async Task A_refused_token_is_never_remembered()
    {
        var forged = Mint(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), DateTime.UtcNow.AddHours(1));

        var first = await _validations.ValidateTokenAsync(forged, Parameters);
        var second = await _validations.ValidateTokenAsync(forged, Parameters);

        Assert.False(first.IsValid);
        Assert.False(second.IsValid);
        Assert.Equal(2, _inner.Checked);
        Assert.Equal(0, _validations.Count);
    }

    private static string Mint(SecurityKey key, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Claims = new Dictionary<string, object> { ["sub"] = "desk-1", ["role"] = AgentRole },
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        Expires = expires,
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
    });

    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

        public int Checked { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Checked++;
            return _handler.ValidateTokenAsync(token, validationParameters);
        }
    }
}
