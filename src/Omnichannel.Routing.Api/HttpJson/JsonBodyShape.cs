using System.Globalization;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace Omnichannel.Routing.Api.HttpJson;

/// <summary>
/// Checks an HTTP/JSON request body against its proto message before the transcoder reads it, and names the first
/// field whose JSON is of the wrong kind (<c>priority: expects a number, was a string</c>) or where the JSON stops
/// parsing. The transcoder answers both with one message that names nothing; the engine's own validation then checks
/// values as it does for gRPC.
/// </summary>
public static class JsonBodyShape
{
    /// <summary>The first problem, as "field: what is wrong", or null when the body has the message's shape.</summary>
    public static string? ProblemIn(ReadOnlySpan<byte> json, MessageDescriptor message)
    {
        ArgumentNullException.ThrowIfNull(message);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            return string.Create(CultureInfo.InvariantCulture, $"request body: not valid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? ProblemInMessage(document.RootElement, message, prefix: string.Empty)
                : $"request body: expects a JSON object, was {KindName(document.RootElement.ValueKind)}";
        }
    }

    private static string? ProblemInMessage(JsonElement json, MessageDescriptor message, string prefix)
    {
        foreach (var property in json.EnumerateObject())
        {
            // Unknown names are left to the transcoder, which ignores them as proto JSON does.
            var field = message.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == property.Name || f.Name == property.Name);
            if (field is null || property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var path = prefix + field.Name;
            var problem = field.IsMap ? ProblemInMap(property.Value, field, path)
                : field.IsRepeated ? ProblemInList(property.Value, field, path)
                : ProblemInValue(property.Value, field, path);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? ProblemInList(JsonElement json, FieldDescriptor field, string path)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            return $"{path}: expects a list, was {KindName(json.ValueKind)}";
        }

        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            if (ProblemInValue(item, field, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]")) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? ProblemInMap(JsonElement json, FieldDescriptor field, string path)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return $"{path}: expects an object, was {KindName(json.ValueKind)}";
        }

        var valueField = field.MessageType.FindFieldByNumber(2);
        foreach (var entry in json.EnumerateObject())
        {
            if (ProblemInValue(entry.Value, valueField, $"{path}[{entry.Name}]") is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? ProblemInValue(JsonElement json, FieldDescriptor field, string path)
    {
        var expected = field.FieldType switch
        {
            FieldType.Bool => json.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "true or false",
            FieldType.String or FieldType.Bytes => json.ValueKind == JsonValueKind.String ? null : "a string",
            FieldType.Enum => json.ValueKind is JsonValueKind.String or JsonValueKind.Number ? null : "an enum name",
            FieldType.Message or FieldType.Group => null,
            _ => IsNumber(json) ? null : "a number",
        };
        if (expected is not null)
        {
            return $"{path}: expects {expected}, was {KindName(json.ValueKind)}";
        }

        if (field.FieldType != FieldType.Message || json.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // Well-known types have JSON forms of their own (a duration is "20s", a timestamp RFC 3339, Struct any object).
        return field.MessageType.File.Package == "google.protobuf"
            ? null
            : json.ValueKind == JsonValueKind.Object
                ? ProblemInMessage(json, field.MessageType, path + ".")
                : $"{path}: expects an object, was {KindName(json.ValueKind)}";
    }

    // Proto JSON takes numbers as JSON numbers or as strings that parse as numbers.
    private static bool IsNumber(JsonElement json) =>
        json.ValueKind == JsonValueKind.Number
        || (json.ValueKind == JsonValueKind.String && (double.TryParse(json.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out _) || json.GetString() is "NaN" or "Infinity" or "-Infinity"));

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };
}
