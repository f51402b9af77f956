namespace Omnichannel.Routing.Core.Tests;

public class SkillRelaxationTests
{
    private static readonly SkillDemand Expert = new([new SkillRequirement("billing", 8), new SkillRequirement("spanish", 5)]);

    // Listed out of order on purpose: steps apply in order of their delay.
    private static readonly SkillRelaxation Plan = new(
    [
        new RelaxationStep(TimeSpan.FromSeconds(30), "billing", 3),
        new RelaxationStep(TimeSpan.FromSeconds(10), "billing", 5),
        new RelaxationStep(TimeSpan.FromSeconds(60), "spanish", null),
    ]);

    [Fact]
    public void Steps_are_ordered_by_delay()
    {
        Assert.Equal([10d, 30d, 60d], Plan.Steps.Select(s => s.After.TotalSeconds));
    }

    [Fact]
    public void StepsDue_counts_steps_whose_delay_has_passed()
    {
        Assert.Equal(0, Plan.StepsDue(TimeSpan.Zero));
        Assert.Equal(0, Plan.StepsDue(TimeSpan.FromSeconds(9.9)));
        Assert.Equal(1, Plan.StepsDue(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, Plan.StepsDue(TimeSpan.FromSeconds(29)));
        Assert.Equal(2, Plan.StepsDue(TimeSpan.FromSeconds(30)));
        Assert.Equal(3, Plan.StepsDue(TimeSpan.FromHours(1)));
    }

    [Fact]
    public void NextStepAt_gives_the_delay_of_the_next_step_and_null_after_the_last()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), Plan.NextStepAt(0));
        Assert.Equal(TimeSpan.FromSeconds(30), Plan.NextStepAt(1));
        Assert.Equal(TimeSpan.FromSeconds(60), Plan.NextStepAt(2));
        Assert.Null(Plan.NextStepAt(3));
        Assert.Null(SkillRelaxation.None.NextStepAt(0));
    }

    [Fact]
    public void Apply_lowers_requirements_step_by_step_in_delay_order()
    {
        Assert.Equal(Expert, Plan.Apply(Expert, 0));
        Assert.Equal(new SkillDemand([new SkillRequirement("billing", 5), new SkillRequirement("spanish", 5)]), Plan.Apply(Expert, 1));
        Assert.Equal(new SkillDemand([new SkillRequirement("billing", 3), new SkillRequirement("spanish", 5)]), Plan.Apply(Expert, 2));
    }

    [Fact]
    public void Step_without_a_level_removes_the_requirement()
    {
        var relaxed = Plan.Apply(Expert, 3);

        Assert.Equal([new SkillRequirement("billing", 3)], relaxed.Required);
        Assert.True(relaxed.IsMetBy(SkillSet.Of(("billing", 3))));
    }

    [Fact]
    public void Applying_more_steps_than_exist_applies_them_all()
    {
        Assert.Equal(Plan.Apply(Expert, 3), Plan.Apply(Expert, 99));
    }

    [Fact]
    public void Step_never_raises_a_requirement()
    {
        var plan = new SkillRelaxation(
        [
            new RelaxationStep(TimeSpan.FromSeconds(10), "billing", 3),
            new RelaxationStep(TimeSpan.FromSeconds(20), "billing", 6), // would tighten: ignored
        ]);

        Assert.Equal([new SkillRequirement("billing", 3), new SkillRequirement("spanish", 5)], plan.Apply(Expert, 2).Required);
        Assert.Same(Expert, new SkillRelaxation([new RelaxationStep(TimeSpan.Zero, "billing", 9)]).Apply(Expert, 1));
    }

    [Fact]
    public void Removed_requirement_is_never_restored_by_a_later_step()
    {
        var plan = new SkillRelaxation(
        [
            new RelaxationStep(TimeSpan.FromSeconds(10), "spanish", null),
            new RelaxationStep(TimeSpan.FromSeconds(20), "spanish", 2),
        ]);

        Assert.Equal([new SkillRequirement("billing", 8)], plan.Apply(Expert, 2).Required);
    }

    [Fact]
    public void Each_further_step_only_widens_who_qualifies()
    {
        var agents = new[]
        {
            SkillSet.Of(("billing", 8), ("spanish", 5)),
            SkillSet.Of(("billing", 5), ("spanish", 5)),
            SkillSet.Of(("billing", 3), ("spanish", 5)),
            SkillSet.Of(("billing", 3)),
            SkillSet.Of(("billing", 2)),
        };
        var qualified = Enumerable.Range(0, 4)
            .Select(n => agents.Count(a => Plan.Apply(Expert, n).IsMetBy(a)))
            .ToArray();

        Assert.Equal([1, 2, 3, 4], qualified);
    }

    [Fact]
    public void Step_on_a_skill_not_required_changes_nothing()
    {
        var plan = new SkillRelaxation([new RelaxationStep(TimeSpan.Zero, "french", null)]);

        Assert.Same(Expert, plan.Apply(Expert, 1));
    }

    [Fact]
    public void Steps_with_the_same_delay_keep_the_order_the_queue_lists_them_in()
    {
        var plan = new SkillRelaxation(
        [
            new RelaxationStep(TimeSpan.FromSeconds(5), "b", 2),
            new RelaxationStep(TimeSpan.FromSeconds(5), "a", 1),
            new RelaxationStep(TimeSpan.FromSeconds(1), "c", 1),
        ]);

        Assert.Equal(["c", "b", "a"], plan.Steps.Select(s => s.Skill));
    }

    [Fact]
    public void Step_before_arrival_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkillRelaxation([new RelaxationStep(TimeSpan.FromSeconds(-1), "billing", 1)]));
    }
}
