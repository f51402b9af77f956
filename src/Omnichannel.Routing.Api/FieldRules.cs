using System.Text.RegularExpressions;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Omnichannel.Routing.Api;

/// <summary>
/// The bounds every request field must respect (contract §7). A violation is answered with INVALID_ARGUMENT and a
/// message that starts with the field's path, before anything is changed.
/// </summary>
// Hand-written: the rules check generated proto classes (no attributes to hang) and must name the full field path.
public static partial class FieldRules
{
    public const int MaxIdLength = 128;
    public const int MaxSkillNameLength = 64;
    public const int MaxContextEntries = 64;
    public const int MaxContextKeyLength = 64;
    public const int MaxContextValueLength = 2048;
    public const int MaxContextBytes = 32 * 1024;
    public const int MaxSkills = 64;
    public const int MaxReasonLength = 256;
    public const int MaxDispositionLength = 64;
    public const int MaxDisplayNameLength = 256;
    public const int MaxQueuesPerAgent = 64;
    public const int MaxPriority = 1000;
    public const int MaxPageSize = 1000;
    public const int DefaultPageSize = 100;
    public static readonly TimeSpan MaxPreferredAgentWait = TimeSpan.FromHours(1);

    /// <summary>The refusal of a value holding a card number; it never repeats the value.</summary>
    private const string CardNumberRefusal = "holds what looks like a payment card number; card data is not accepted (contract §7)";

    public static RpcException Invalid(string field, string message) =>
        new(new Status(StatusCode.InvalidArgument, $"{field}: {message}"));

    /// <summary>An id: letters, digits and <c>. _ : @ -</c>, starting with a letter or digit, at most 128 characters.</summary>
    public static string Id(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw Invalid(field, "is required");
        }

        if (value.Length > MaxIdLength)
        {
            throw Invalid(field, $"is longer than {MaxIdLength} characters");
        }

        if (!IdPattern().IsMatch(value))
        {
            throw Invalid(field, "may hold only letters, digits and . _ : @ -, and must start with a letter or digit");
        }

        return value;
    }

    public static string? OptionalId(string? value, string field) => string.IsNullOrEmpty(value) ? null : Id(value, field);

    /// <summary>A channel name: lower-case letters, digits, '-' and '_', starting with a letter, at most 32 characters.</summary>
    public static string Channel(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw Invalid(field, "is required");
        }

        if (!ChannelPattern().IsMatch(value))
        {
            throw Invalid(field, "must be lower-case letters, digits, '-' or '_', start with a letter, at most 32 characters");
        }

        return value;
    }

    public static string SkillName(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw Invalid(field, "is required");
        }

        if (value.Length > MaxSkillNameLength || !IdPattern().IsMatch(value))
        {
            throw Invalid(field, $"must be at most {MaxSkillNameLength} letters, digits or . _ : @ -, starting with a letter or digit");
        }

        return value;
    }

    public static int SkillLevel(int value, string field) =>
        value is >= 1 and <= 10 ? value : throw Invalid(field, $"must be 1..10, was {value}");

    public static string? Text(string? value, string field, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            throw Invalid(field, $"is longer than {maxLength} characters");
        }

        if (value.Any(char.IsControl))
        {
            throw Invalid(field, "may not contain control characters");
        }

        if (CardNumbers.Contains(value))
        {
            throw Invalid(field, CardNumberRefusal);
        }

        return value;
    }

    public static void Context(MapField<string, string> context, string field)
    {
        if (context.Count > MaxContextEntries)
        {
            throw Invalid(field, $"has {context.Count} entries; at most {MaxContextEntries}");
        }

        var bytes = 0;
        foreach (var (key, value) in context)
        {
            if (string.IsNullOrEmpty(key) || key.Length > MaxContextKeyLength || !IdPattern().IsMatch(key))
            {
                throw Invalid($"{field}[{Shorten(key)}]", $"keys must be 1..{MaxContextKeyLength} letters, digits or . _ : @ -");
            }

            if (value.Length > MaxContextValueLength)
            {
                throw Invalid($"{field}[{key}]", $"value is longer than {MaxContextValueLength} characters");
            }

            if (CardNumbers.Contains(value))
            {
                throw Invalid($"{field}[{key}]", CardNumberRefusal);
            }

            bytes += key.Length + value.Length;
        }

        if (bytes > MaxContextBytes)
        {
            throw Invalid(field, $"is larger than {MaxContextBytes} characters in all");
        }
    }

    public static TimeSpan Duration(Duration? value, string field, TimeSpan min, TimeSpan max)
    {
        if (value is null)
        {
            return TimeSpan.Zero < min ? min : TimeSpan.Zero;
        }

        if (value.Nanos is < -999_999_999 or > 999_999_999 || (value.Seconds > 0 && value.Nanos < 0) || (value.Seconds < 0 && value.Nanos > 0))
        {
            throw Invalid(field, "is not a valid duration");
        }

        var span = value.ToTimeSpan();
        if (span < min || span > max)
        {
            throw Invalid(field, $"must be between {min} and {max}, was {span}");
        }

        return span;
    }

    public static (int PageSize, string? Token) Page(int pageSize, string? pageToken, string sizeField = "page_size", string tokenField = "page_token")
    {
        if (pageSize < 0 || pageSize > MaxPageSize)
        {
            throw Invalid(sizeField, $"must be 0..{MaxPageSize}, was {pageSize}");
        }

        if (pageToken is { Length: > 512 })
        {
            throw Invalid(tokenField, "is not a token this service issued");
        }

        return (pageSize == 0 ? DefaultPageSize : pageSize, string.IsNullOrEmpty(pageToken) ? null : pageToken);
    }

    private static string Shorten(string key) => key.Length > 16 ? key[..16] + "..." : key;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:@-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelPattern();
}
