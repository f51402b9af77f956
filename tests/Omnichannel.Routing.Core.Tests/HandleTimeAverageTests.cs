namespace Omnichannel.Routing.Core.Tests;

public class HandleTimeAverageTests
{
    [Fact]
    public void There_is_no_mean_before_the_first_completion()
    {
        var average = new HandleTimeAverage();

        Assert.Null(average.Mean);
        Assert.Equal(0, average.Samples);
    }

    [Fact]
    public void The_first_completions_are_averaged_plainly()
    {
        var average = new HandleTimeAverage();

        average.Record(TimeSpan.FromSeconds(100));
        average.Record(TimeSpan.FromSeconds(200));
        average.Record(TimeSpan.FromSeconds(300));

        Assert.Equal(200, average.Mean!.Value.TotalSeconds, 6);
    }

    [Fact]
    public void Once_smoothing_takes_over_a_new_pace_moves_the_mean_by_its_weight_only()
    {
        var average = new HandleTimeAverage(smoothing: 0.5);
        average.Record(TimeSpan.FromSeconds(100));
        average.Record(TimeSpan.FromSeconds(100));

        average.Record(TimeSpan.FromSeconds(300));

        Assert.Equal(200, average.Mean!.Value.TotalSeconds, 6);
    }

    [Fact]
    public void A_long_run_at_a_new_pace_converges_to_it()
    {
        var average = new HandleTimeAverage();
        for (var i = 0; i < 50; i++)
        {
            average.Record(TimeSpan.FromSeconds(60));
        }

        for (var i = 0; i < 500; i++)
        {
            average.Record(TimeSpan.FromSeconds(240));
        }

        Assert.Equal(240, average.Mean!.Value.TotalSeconds, 0);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    public void A_smoothing_outside_zero_to_one_is_refused(double smoothing)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HandleTimeAverage(smoothing));
    }
}
