namespace Omnichannel.Routing.Core.Tests;

public class SkillDemandTests
{
    private static SkillDemand Requires(params (string Skill, int Level)[] required) =>
        new(required.Select(r => new SkillRequirement(r.Skill, r.Level)));

    [Fact]
    public void Requirement_is_met_at_exactly_the_minimum_level()
    {
        var demand = Requires(("billing", 5));

        Assert.True(demand.IsMetBy(SkillSet.Of(("billing", 5))));
        Assert.True(demand.IsMetBy(SkillSet.Of(("billing", 10))));
    }

    [Fact]
    public void Requirement_is_not_met_one_level_below_the_minimum()
    {
        Assert.False(Requires(("billing", 5)).IsMetBy(SkillSet.Of(("billing", 4))));
    }

    [Fact]
    public void Requirement_is_not_met_by_an_agent_lacking_the_skill()
    {
        Assert.False(Requires(("billing", 1)).IsMetBy(SkillSet.Of(("sales", 10))));
        Assert.Equal(0, SkillSet.Of(("sales", 10)).LevelOf("billing"));
    }

    [Fact]
    public void Every_requirement_must_be_met()
    {
        var demand = Requires(("billing", 3), ("spanish", 4));

        Assert.True(demand.IsMetBy(SkillSet.Of(("billing", 3), ("spanish", 4))));
        Assert.False(demand.IsMetBy(SkillSet.Of(("billing", 9))));
        Assert.False(demand.IsMetBy(SkillSet.Of(("billing", 9), ("spanish", 3))));
    }

    [Fact]
    public void No_requirement_is_met_by_anyone()
    {
        Assert.True(SkillDemand.None.IsMetBy(SkillSet.None));
    }

    [Fact]
    public void Same_skill_required_twice_means_the_stricter_level()
    {
        var demand = Requires(("billing", 3), ("billing", 7));

        Assert.Equal([new SkillRequirement("billing", 7)], demand.Required);
        Assert.False(demand.IsMetBy(SkillSet.Of(("billing", 6))));
    }

    [Fact]
    public void Preferred_skill_the_agent_lacks_does_not_make_it_ineligible()
    {
        var demand = new SkillDemand([new SkillRequirement("billing", 3)], ["spanish"]);

        Assert.True(demand.IsMetBy(SkillSet.Of(("billing", 3))));
    }

    [Fact]
    public void Preferred_skills_only_raise_the_score()
    {
        var required = new SkillDemand([new SkillRequirement("billing", 3)]);
        var withPreference = new SkillDemand([new SkillRequirement("billing", 3)], ["spanish"]);
        var bilingual = SkillSet.Of(("billing", 4), ("spanish", 6));
        var monolingual = SkillSet.Of(("billing", 4));

        Assert.Equal(4, required.Score(bilingual));
        Assert.Equal(10, withPreference.Score(bilingual));
        Assert.Equal(4, withPreference.Score(monolingual));
        Assert.True(withPreference.Score(bilingual) > withPreference.Score(monolingual));
    }

    [Fact]
    public void Score_sums_proficiency_over_required_skills()
    {
        var demand = Requires(("billing", 1), ("spanish", 1));

        Assert.Equal(13, demand.Score(SkillSet.Of(("billing", 8), ("spanish", 5), ("sales", 10))));
    }

    [Fact]
    public void Preferred_skill_that_is_also_required_counts_once()
    {
        var demand = new SkillDemand([new SkillRequirement("billing", 1)], ["billing", "billing"]);

        Assert.Equal(7, demand.Score(SkillSet.Of(("billing", 7))));
        Assert.Equal(["billing"], demand.Preferred);
    }

    [Fact]
    public void Levels_outside_1_to_10_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Requires(("billing", 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Requires(("billing", 11)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SkillSet.Of(("billing", 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SkillSet.Of(("billing", 11)));
        Assert.Throws<ArgumentException>(() => SkillSet.Of(("billing", 2), ("billing", 3)));
    }

    [Fact]
    public void Demands_and_skill_sets_listed_in_any_order_are_equal()
    {
        var a = new SkillDemand([new SkillRequirement("b", 2), new SkillRequirement("a", 1)], ["y", "x"]);
        var b = new SkillDemand([new SkillRequirement("a", 1), new SkillRequirement("b", 2)], ["x", "y"]);

        Assert.Equal(a, b);
        Assert.Equal(a.Signature, b.Signature);
        Assert.Equal(SkillSet.Of(("a", 1), ("b", 2)), SkillSet.Of(("b", 2), ("a", 1)));
        Assert.NotEqual(SkillSet.Of(("a", 1)), SkillSet.Of(("a", 2)));
    }
}
