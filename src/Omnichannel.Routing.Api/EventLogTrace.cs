using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;
using Omnichannel.Routing.Core.Reporting;

namespace Omnichannel.Routing.Api;

/// <summary>
/// The event log's entries as the reporting core reads them: every interaction event, and agents' sign-ins and
/// sign-outs; everything else (configuration, presence notes, journeys) moves no figure of an interval report.
/// </summary>
public static class EventLogTrace
{
    public static IEnumerable<TraceEvent> From(IEnumerable<RoutingEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            if (e.Subject == RoutingEventSubject.Interaction)
            {
                yield return TraceEvent.ForInteraction(e.Time, e.Type, e.SubjectId, e.QueueId, e.AgentId, e.Channel, e.From, e.To, e.Priority ?? 0);
            }
            else if (e.Subject == RoutingEventSubject.Agent && e.Type is RoutingEventType.SignedIn or RoutingEventType.SignedOut)
            {
                yield return TraceEvent.ForAgent(e.Time, e.Type, e.SubjectId);
            }
        }
    }
}
