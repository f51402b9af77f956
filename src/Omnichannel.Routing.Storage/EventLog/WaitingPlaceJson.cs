using System.Text.Json;
using Omnichannel.Routing.Abstractions;

namespace Omnichannel.Routing.Storage.EventLog;

/// <summary>
/// A <see cref="WaitingPlace"/> as the latest-state index stores it: JSON, so the index can be read (and its
/// "also" queues searched) by SQL, and a field added to the entry later reads back from older rows as its default.
/// </summary>
internal static class WaitingPlaceJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public static string? Write(WaitingPlace? place) => place is null ? null : JsonSerializer.Serialize(place, Options);

    public static WaitingPlace? Read(string json) => JsonSerializer.Deserialize<WaitingPlace>(json, Options);
}
