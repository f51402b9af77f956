using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Omnichannel.Routing.Api.Security;

namespace Omnichannel.Routing.Api.Tests.Security;

public sealed class SigningKeysTests
{
    [Fact]
    public void A_development_key_shorter_than_256_bits_is_refused()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => SigningKeys.Symmetric("too-short"));

        Assert.Contains("at least 32", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rsa_and_ecdsa_public_keys_in_pem_are_read()
    {
        using var rsa = RSA.Create(2048);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.IsType<RsaSecurityKey>(SigningKeys.PublicKey(rsa.ExportSubjectPublicKeyInfoPem(), "rsa.pem"));
        Assert.IsType<ECDsaSecurityKey>(SigningKeys.PublicKey(ecdsa.ExportSubjectPublicKeyInfoPem(), "ec.pem"));
        Assert.Throws<InvalidOperationException>(() => SigningKeys.PublicKey("not a key", "junk.pem"));
    }

    [Fact]
    public void A_jwks_file_gives_its_signing_keys()
    {
        using var rsa = RSA.Create(2048);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "k1" });
        var path = Path.Combine(Path.GetTempPath(), $"jwks-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, $$"""{"keys":[{"kty":"RSA","kid":"k1","use":"sig","n":"{{jwk.N}}","e":"{{jwk.E}}"}]}""");
        try
        {
            var keys = SigningKeys.Load(new AuthOptions { Issuer = "i", Audience = "a", JwksFile = path });

            Assert.Equal("k1", Assert.Single(keys).KeyId);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
