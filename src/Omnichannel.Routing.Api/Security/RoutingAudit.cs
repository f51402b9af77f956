using Microsoft.Extensions.Logging;
using Proto = Omnichannel.Routing.V1;

namespace Omnichannel.Routing.Api.Security;

/// <summary>
/// The audit trail of supervisor and administrator calls: one structured log line per call (category
/// <c>Omnichannel.Routing.Api.Security.RoutingAudit</c>, level Information) with the principal, the method, the
/// request and the outcome, refused calls included. Requests to these two services carry ids and settings, never
/// customer context, so they may be logged whole.
/// </summary>
public sealed partial class RoutingAudit(ILogger<RoutingAudit> logger)
{
    private static readonly HashSet<string> AuditedServices =
    [
        Proto.SupervisorService.Descriptor.FullName,
        Proto.AdminService.Descriptor.FullName,
    ];

    /// <summary>True for a method path (<c>/package.Service/Method</c>) of an audited service.</summary>
    public static bool Covers(string? methodPath) =>
        methodPath is { Length: > 1 } && methodPath.IndexOf('/', 1) is var end and > 1 && AuditedServices.Contains(methodPath[1..end]);

    public void Record(string principal, string method, string request, string outcome) => LogCall(principal, method, request, outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "audit: {Principal} called {Method} {Request} -> {Outcome}")]
    private partial void LogCall(string principal, string method, string request, string outcome);
}
