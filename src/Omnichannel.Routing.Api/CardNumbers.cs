namespace Omnichannel.Routing.Api;

/// <summary>
/// Finds payment card numbers (PANs) in free text, so they are refused before anything stores or logs them (PCI DSS
/// keeps card data out of systems like this one): a run of 13 to 19 digits, single spaces or dashes allowed between
/// them, that does not start with 0 and passes the Luhn check. A run written after '+' is an international phone
/// number (callers' numbers are common context), not a card; longer runs are other identifiers.
/// </summary>
// Hand-written: a regular expression cannot run Luhn; one pass over the text, no allocation.
public static class CardNumbers
{
    public const int MinDigits = 13;
    public const int MaxDigits = 19;

    /// <summary>True if <paramref name="text"/> holds a card number anywhere in it.</summary>
    public static bool Contains(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        for (var start = 0; start < text.Length; start++)
        {
            // A candidate starts at a digit that does not continue a longer run or follow a '+'.
            if (!char.IsAsciiDigit(text[start]) || (start > 0 && (char.IsAsciiDigit(text[start - 1]) || text[start - 1] == '+' || IsJoinedRun(text, start))))
            {
                continue;
            }

            if (RunHoldsCardNumber(text, start))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True if <paramref name="start"/> continues a run across a single space or dash.</summary>
    private static bool IsJoinedRun(string text, int start) =>
        start > 1 && (text[start - 1] is ' ' or '-') && char.IsAsciiDigit(text[start - 2]);

    /// <summary>True if the whole run that starts at <paramref name="start"/> is 13..19 digits, not led by 0, and passes Luhn.</summary>
    private static bool RunHoldsCardNumber(string text, int start)
    {
        Span<int> digits = stackalloc int[MaxDigits];
        var count = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (count == MaxDigits)
                {
                    return false;
                }

                digits[count++] = c - '0';
            }
            else if ((c is ' ' or '-') && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && i > start && char.IsAsciiDigit(text[i - 1]))
            {
                continue;
            }
            else
            {
                break;
            }
        }

        return count >= MinDigits && digits[0] != 0 && PassesLuhn(digits[..count]);
    }

    public static bool PassesLuhn(ReadOnlySpan<int> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }
}
