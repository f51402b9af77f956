using System.Collections.Immutable;
using Omnichannel.Routing.Abstractions;
using Omnichannel.Routing.Core;

namespace Omnichannel.Routing.Grains.Agents;

/// <summary>
/// The offers an agent's desktops were shown and have not answered, as they were shown, so a desktop that attaches
/// later sees the same offers. Not stored: an activation that never made an offer rebuilds its view from the
/// interaction.
/// </summary>
internal sealed class OfferViewBook
{
    private readonly Dictionary<string, OfferView> _views = new(StringComparer.Ordinal);

    public void Remember(string interactionId, OfferView view) => _views[interactionId] = view;

    public void Forget(string interactionId) => _views.Remove(interactionId);

    /// <summary>
    /// The views of <paramref name="offers"/>, oldest first; an offer this book never saw is rebuilt from its
    /// interaction's snapshot (and skipped when the interaction is gone).
    /// </summary>
    public async Task<ImmutableArray<OfferView>> OutstandingAsync(IEnumerable<WorkItem> offers, Func<string, Task<InteractionSnapshot?>> snapshotOf)
    {
        ArgumentNullException.ThrowIfNull(snapshotOf);
        var views = ImmutableArray.CreateBuilder<OfferView>();
        foreach (var offer in offers.OrderBy(o => o.Since))
        {
            if (!_views.TryGetValue(offer.InteractionId, out var view))
            {
                var snapshot = await snapshotOf(offer.InteractionId);
                if (snapshot is null)
                {
                    continue;
                }

                view = new OfferView(snapshot with { History = [] }, offer.Since, offer.Deadline ?? offer.Since, false, []);
                _views[offer.InteractionId] = view;
            }

            views.Add(view);
        }

        return views.ToImmutable();
    }
}
