namespace Omnichannel.Routing.Core;

/// <summary>
/// One step of a queue's relaxation ("bullseye") plan: after <paramref name="After"/> of waiting,
/// <paramref name="Skill"/> drops to <paramref name="Level"/>, or is removed when the level is null.
/// </summary>
public sealed record RelaxationStep(TimeSpan After, string Skill, int? Level);

/// <summary>
/// Applies a queue's relaxation steps (contract §3.4). Steps apply in order of their delay and are never undone: the
/// count of applied steps only grows, so a later, stricter configuration cannot re-tighten a waiting interaction.
/// </summary>
public sealed class SkillRelaxation
{
    private readonly RelaxationStep[] _steps;

    public SkillRelaxation(IEnumerable<RelaxationStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        // Stable order: steps with the same delay keep the order the queue lists them in.
        _steps = steps.Select((s, i) => (s, i)).OrderBy(x => x.s.After).ThenBy(x => x.i).Select(x => x.s).ToArray();
        if (_steps.Any(s => s.After < TimeSpan.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(steps), "A relaxation step cannot apply before the interaction arrives.");
        }
    }

    public static SkillRelaxation None { get; } = new([]);

    public IReadOnlyList<RelaxationStep> Steps => _steps;

    /// <summary>How many steps are due after waiting <paramref name="waited"/>.</summary>
    public int StepsDue(TimeSpan waited)
    {
        var due = 0;
        while (due < _steps.Length && _steps[due].After <= waited)
        {
            due++;
        }

        return due;
    }

    /// <summary>The wait at which the step after <paramref name="applied"/> applied ones falls due, if any.</summary>
    public TimeSpan? NextStepAt(int applied) => applied < _steps.Length ? _steps[applied].After : null;

    /// <summary>The base demand with the first <paramref name="count"/> steps applied, in order.</summary>
    public SkillDemand Apply(SkillDemand baseDemand, int count)
    {
        ArgumentNullException.ThrowIfNull(baseDemand);
        var demand = baseDemand;
        for (var i = 0; i < Math.Min(count, _steps.Length); i++)
        {
            demand = demand.Relax(_steps[i]);
        }

        return demand;
    }
}
