namespace Omnichannel.Routing.Core;

/// <summary>
/// A queue's measured handle time: an exponentially weighted mean of completed interactions' handle times, so it
/// follows a change of pace without keeping every sample.
/// </summary>
/// <remarks>
/// <see cref="ServiceRate"/> counts departures per second over a window; this averages durations, so it is a type
/// of its own. The first samples carry equal weight (a plain mean) until the smoothing takes over, so a new queue
/// is not led by its first completion alone.
/// </remarks>
public sealed class HandleTimeAverage
{
    /// <summary>About the last 50 completions carry the weight.</summary>
    public const double DefaultSmoothing = 0.02;

    private readonly double _smoothing;
    private double _seconds;

    public HandleTimeAverage(double smoothing = DefaultSmoothing)
    {
        if (smoothing is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "The smoothing must be in (0, 1].");
        }

        _smoothing = smoothing;
    }

    /// <summary>How many handle times were recorded.</summary>
    public long Samples { get; private set; }

    /// <summary>The mean so far; null before the first completion.</summary>
    public TimeSpan? Mean => Samples == 0 ? null : TimeSpan.FromSeconds(_seconds);

    public void Record(TimeSpan handleTime)
    {
        Samples++;
        var weight = Math.Max(_smoothing, 1.0 / Samples);
        _seconds += weight * (handleTime.TotalSeconds - _seconds);
    }
}
