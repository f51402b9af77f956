namespace Omnichannel.Routing.Core;

/// <summary>A skill an interaction needs, at <paramref name="MinimumLevel"/> or better.</summary>
public readonly record struct SkillRequirement(string Skill, int MinimumLevel);

/// <summary>
/// What an interaction asks of an agent's skills: requirements that must all be met, and preferred skills that
/// only raise an agent's score (used by the best-skill policy).
/// </summary>
public sealed class SkillDemand : IEquatable<SkillDemand>
{
    private readonly SkillRequirement[] _required;
    private readonly string[] _preferred;

    public SkillDemand(IEnumerable<SkillRequirement> required, IEnumerable<string>? preferred = null)
    {
        ArgumentNullException.ThrowIfNull(required);
        var byName = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in required)
        {
            if (r.MinimumLevel is < SkillSet.MinLevel or > SkillSet.MaxLevel)
            {
                throw new ArgumentOutOfRangeException(nameof(required), $"Skill '{r.Skill}' requires level {r.MinimumLevel}; levels are {SkillSet.MinLevel}..{SkillSet.MaxLevel}.");
            }

            // The same skill twice means the stricter level.
            byName[r.Skill] = Math.Max(byName.GetValueOrDefault(r.Skill), r.MinimumLevel);
        }

        _required = byName.Select(kv => new SkillRequirement(kv.Key, kv.Value)).ToArray();
        _preferred = (preferred ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        Signature = string.Join(";", _required.Select(r => $"{r.Skill}>={r.MinimumLevel}"))
            + "|" + string.Join(";", _preferred);
    }

    public static SkillDemand None { get; } = new([]);

    public IReadOnlyList<SkillRequirement> Required => _required;

    public IReadOnlyList<string> Preferred => _preferred;

    /// <summary>A canonical text of the demand: equal demands have equal signatures.</summary>
    public string Signature { get; }

    /// <summary>True when <paramref name="skills"/> meets every requirement at its minimum level.</summary>
    public bool IsMetBy(SkillSet skills)
    {
        ArgumentNullException.ThrowIfNull(skills);
        foreach (var r in _required)
        {
            if (skills.LevelOf(r.Skill) < r.MinimumLevel)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The best-skill score: the agent's proficiency summed over required and preferred skills. A preferred skill
    /// the agent lacks adds nothing, so it can only raise a score.
    /// </summary>
    public int Score(SkillSet skills)
    {
        ArgumentNullException.ThrowIfNull(skills);
        var score = 0;
        foreach (var r in _required)
        {
            score += skills.LevelOf(r.Skill);
        }

        foreach (var p in _preferred)
        {
            if (!IsRequired(p))
            {
                score += skills.LevelOf(p);
            }
        }

        return score;
    }

    private bool IsRequired(string skill)
    {
        foreach (var r in _required)
        {
            if (string.Equals(r.Skill, skill, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The demand after one relaxation step: the skill drops to a lower level, or is removed.</summary>
    public SkillDemand Relax(RelaxationStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var changed = false;
        var next = new List<SkillRequirement>(_required.Length);
        foreach (var r in _required)
        {
            if (!string.Equals(r.Skill, step.Skill, StringComparison.Ordinal))
            {
                next.Add(r);
                continue;
            }

            if (step.Level is not { } level)
            {
                changed = true;
                continue;
            }

            // A step only ever lowers a requirement; a step above the current level leaves it alone.
            if (level < r.MinimumLevel)
            {
                changed = true;
                next.Add(r with { MinimumLevel = level });
            }
            else
            {
                next.Add(r);
            }
        }

        return changed ? new SkillDemand(next, _preferred) : this;
    }

    public bool Equals(SkillDemand? other) => other is not null && Signature == other.Signature;

    public override bool Equals(object? obj) => Equals(obj as SkillDemand);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Signature);

    public override string ToString() => Signature;
}
