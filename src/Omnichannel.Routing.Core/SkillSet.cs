namespace Omnichannel.Routing.Core;

/// <summary>An agent's skills: name to proficiency, 1 (novice) to 10 (expert). Immutable.</summary>
public sealed class SkillSet : IEquatable<SkillSet>
{
    public const int MinLevel = 1;
    public const int MaxLevel = 10;

    private readonly Dictionary<string, int> _levels;

    public SkillSet(IEnumerable<KeyValuePair<string, int>> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        _levels = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (skill, level) in levels)
        {
            if (level is < MinLevel or > MaxLevel)
            {
                throw new ArgumentOutOfRangeException(nameof(levels), $"Skill '{skill}' has level {level}; levels are {MinLevel}..{MaxLevel}.");
            }

            if (!_levels.TryAdd(skill, level))
            {
                throw new ArgumentException($"Skill '{skill}' is listed twice.", nameof(levels));
            }
        }

        Signature = string.Join(";", _levels.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}:{s.Value}"));
    }

    public static SkillSet None { get; } = new([]);

    /// <summary>A canonical text of the set: equal sets have equal signatures.</summary>
    public string Signature { get; }

    public int Count => _levels.Count;

    public IReadOnlyDictionary<string, int> Levels => _levels;

    /// <summary>The agent's level in <paramref name="skill"/>, 0 when it lacks the skill.</summary>
    public int LevelOf(string skill) => _levels.GetValueOrDefault(skill);

    public static SkillSet Of(params (string Skill, int Level)[] skills) =>
        new(skills.Select(s => new KeyValuePair<string, int>(s.Skill, s.Level)));

    public bool Equals(SkillSet? other) => other is not null && Signature == other.Signature;

    public override bool Equals(object? obj) => Equals(obj as SkillSet);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Signature);

    public override string ToString() => Signature;
}
