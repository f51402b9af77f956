// The queue answers an agent's peek with Core's QueueCandidate (the former PeekResult copy is gone). AgentGrain,
// split separately, still spells it PeekResult; this name keeps it compiling until it says QueueCandidate.
global using PeekResult = Omnichannel.Routing.Core.QueueCandidate;
