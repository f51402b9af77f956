using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace Omnichannel.Routing.Api.Security;

/// <summary>
/// Remembers, for a few minutes, the tokens it has found valid, so a caller presenting the same token on every call
/// (a front-end, a desktop gateway) is validated once rather than parsed and checked on each of its calls: that was
/// 4% of the host's CPU under load. A remembered token is still refused once it expires; the signing keys are read
/// once at start, so nothing a restart would not change is held longer. Each answer carries its own copy of the
/// identity, so one request's changes to it cannot reach another's.
/// </summary>
public sealed class RecentTokenValidations : TokenHandler
{
    /// <summary>The longest a validation is remembered.</summary>
    public static readonly TimeSpan Remembered = TimeSpan.FromMinutes(5);

    /// <summary>Tokens remembered at most; beyond it the memory starts afresh (callers present few distinct tokens).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTimeOffset Until)> _valid = new(StringComparer.Ordinal);
    private readonly TokenHandler _inner;
    private readonly TimeProvider _clock;

    /// <param name="inner">The handler that really validates.</param>
    /// <param name="clock">The clock expiries are read on.</param>
    public RecentTokenValidations(TokenHandler inner, TimeProvider clock)
    {
        _inner = inner;
        _clock = clock;
    }

    /// <summary>Tokens remembered now.</summary>
    public int Count => _valid.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = _clock.GetUtcNow();
        if (_valid.TryGetValue(token, out var known))
        {
            if (known.Until > now)
            {
                return CopyOf(known.Result);
            }

            _valid.TryRemove(token, out _);
        }

        var result = await _inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } securityToken)
        {
            var until = new DateTimeOffset(DateTime.SpecifyKind(securityToken.ValidTo, DateTimeKind.Utc));
            if (now + Remembered < until)
            {
                until = now + Remembered;
            }

            if (_valid.Count >= Capacity)
            {
                _valid.Clear();
            }

            _valid[token] = (result, until);
            return CopyOf(result);
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => _inner.ReadToken(token);

    private static TokenValidationResult CopyOf(TokenValidationResult result) => new()
    {
        IsValid = true,
        ClaimsIdentity = result.ClaimsIdentity.Clone(),
        SecurityToken = result.SecurityToken,
        TokenType = result.TokenType,
        Issuer = result.Issuer,
    };
}
