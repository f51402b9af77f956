using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Omnichannel.Routing.Api.Security;

/// <summary>The keys tokens are checked against, read from the configured secret, PEM public key and JWKS file.</summary>
public static class SigningKeys
{
    /// <summary>HMAC-SHA256 needs 256 bits of key.</summary>
    public const int MinimumSymmetricKeyLength = 32;

    public static IReadOnlyList<SecurityKey> Load(AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new List<SecurityKey>();
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            keys.Add(Symmetric(options.SigningKey));
        }

        if (!string.IsNullOrEmpty(options.PublicKeyFile))
        {
            keys.Add(PublicKey(File.ReadAllText(options.PublicKeyFile), options.PublicKeyFile));
        }

        if (!string.IsNullOrEmpty(options.JwksFile))
        {
            keys.AddRange(new JsonWebKeySet(File.ReadAllText(options.JwksFile)).GetSigningKeys());
        }

        return keys;
    }

    /// <summary>The development key, as the host and <c>omnichannel token issue</c> both read it.</summary>
    public static SymmetricSecurityKey Symmetric(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        if (bytes.Length < MinimumSymmetricKeyLength)
        {
            throw new InvalidOperationException($"Auth:SigningKey must be at least {MinimumSymmetricKeyLength} bytes (HMAC-SHA256 needs 256 bits)");
        }

        return new SymmetricSecurityKey(bytes);
    }

    /// <summary>An RSA or ECDSA public key in PEM (<c>BEGIN PUBLIC KEY</c> or <c>BEGIN RSA PUBLIC KEY</c>).</summary>
    public static SecurityKey PublicKey(string pem, string source)
    {
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            try
            {
                var ecdsa = ECDsa.Create();
                ecdsa.ImportFromPem(pem);
                return new ECDsaSecurityKey(ecdsa);
            }
            catch (Exception inner) when (inner is CryptographicException or ArgumentException)
            {
                throw new InvalidOperationException($"{source}: not an RSA or ECDSA public key in PEM", inner);
            }
        }
    }
}
