using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Omnichannel.Routing.Grains.PersonalData;

/// <summary>
/// An erased customer's pseudonymous id: an HMAC-SHA256 of the customer id under <see cref="RetentionOptions.PseudonymKey"/>.
/// Keyed, so nobody without the key can test a guessed id against it; stable under one key, so reports can still
/// tell one erased customer's interactions from another's.
/// </summary>
public sealed class CustomerPseudonyms
{
    /// <summary>Every pseudonymous id starts with this, so nobody mistakes one for a customer's id.</summary>
    public const string Prefix = "erased-";

    private readonly byte[] _key;

    public CustomerPseudonyms(IOptions<RetentionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = string.IsNullOrEmpty(options.Value.PseudonymKey) ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(options.Value.PseudonymKey);
    }

    public string Of(string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        var hash = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(customerId));
        return Prefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
