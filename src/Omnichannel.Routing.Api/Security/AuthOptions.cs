namespace Omnichannel.Routing.Api.Security;

/// <summary>
/// Bearer-token settings (configuration section "Auth"). Authentication is on when an issuer, an audience and a key are
/// set; otherwise every call is open, which the host allows only on loopback (or with <c>--insecure</c>).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The <c>iss</c> every token must carry.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> every token must carry.</summary>
    public string? Audience { get; set; }

    /// <summary>A shared secret for HMAC-SHA256 tokens (development and tests): at least 32 characters.</summary>
    public string? SigningKey { get; set; }

    /// <summary>A PEM file holding the issuer's RSA or ECDSA public key (production).</summary>
    public string? PublicKeyFile { get; set; }

    /// <summary>A JWKS file (the issuer's JSON Web Key Set) holding its public keys (production, key rotation).</summary>
    public string? JwksFile { get; set; }

    /// <summary>Tolerance for clocks that disagree, on <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>True when tokens are required: an issuer, an audience and at least one key are configured.</summary>
    public bool IsEnabled =>
        !string.IsNullOrWhiteSpace(Issuer)
        && !string.IsNullOrWhiteSpace(Audience)
        && (!string.IsNullOrEmpty(SigningKey) || !string.IsNullOrEmpty(PublicKeyFile) || !string.IsNullOrEmpty(JwksFile));
}
