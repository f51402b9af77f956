namespace Omnichannel.Routing.Abstractions;

/// <summary>The kinds of refusal a grain gives; the gRPC layer maps each to its status code (contract §5).</summary>
public enum RoutingErrorCode
{
    InvalidArgument = 0,
    NotFound = 1,
    FailedPrecondition = 2,
    AlreadyExists = 3,
    ResourceExhausted = 4,
    PermissionDenied = 5,
    Unavailable = 6,
}

/// <summary>
/// A request the engine refuses, naming the field at fault where there is one. Thrown by grains and carried to
/// the caller; nothing was changed when it is thrown.
/// </summary>
[GenerateSerializer]
public sealed class RoutingException : Exception
{
    public RoutingException()
    {
    }

    public RoutingException(string message)
        : base(message)
    {
    }

    public RoutingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RoutingException(RoutingErrorCode code, string? field, string message)
        : base(message)
    {
        Code = code;
        Field = field;
    }

    [Id(0)]
    public RoutingErrorCode Code { get; private set; }

    [Id(1)]
    public string? Field { get; private set; }

    public static RoutingException NotFound(string field, string what, string id) =>
        new(RoutingErrorCode.NotFound, field, $"{field}: {what} '{id}' does not exist");

    public static RoutingException Precondition(string field, string message) =>
        new(RoutingErrorCode.FailedPrecondition, field, $"{field}: {message}");

    public static RoutingException Invalid(string field, string message) =>
        new(RoutingErrorCode.InvalidArgument, field, $"{field}: {message}");
}
