using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Omnichannel.Routing.Api.Tests;

public sealed class FieldRulesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("agent-1")]
    [InlineData("9.queue_x:y@z")]
    public void Ids_of_letters_digits_and_the_allowed_marks_pass_unchanged(string id) =>
        Assert.Equal(id, FieldRules.Id(id, "agent_id"));

    [Theory]
    [InlineData("", "is required")]
    [InlineData("-leading", "may hold only")]
    [InlineData("with space", "may hold only")]
    [InlineData("agents/1", "may hold only")]
    [InlineData("é", "may hold only")]
    public void A_bad_id_is_invalid_and_names_the_field_first(string id, string why)
    {
        var error = Refused(() => FieldRules.Id(id, "queue.agent_id"));

        Assert.StartsWith("queue.agent_id: ", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(why, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_id_may_be_exactly_the_longest_allowed_and_no_longer()
    {
        Assert.Equal(FieldRules.MaxIdLength, FieldRules.Id(new string('a', FieldRules.MaxIdLength), "id").Length);
        Refused(() => FieldRules.Id(new string('a', FieldRules.MaxIdLength + 1), "id"));
    }

    [Fact]
    public void An_empty_optional_id_is_absent_but_a_bad_one_is_still_refused()
    {
        Assert.Null(FieldRules.OptionalId(null, "request_id"));
        Assert.Null(FieldRules.OptionalId(string.Empty, "request_id"));
        Refused(() => FieldRules.OptionalId("a b", "request_id"));
    }

    [Theory]
    [InlineData("chat", true)]
    [InlineData("video-2_hd", true)]
    [InlineData("Chat", false)]
    [InlineData("2chat", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", false)]
    public void Channel_names_are_lower_case_and_at_most_32_characters(string name, bool valid)
    {
        if (valid)
        {
            Assert.Equal(name, FieldRules.Channel(name, "channel"));
        }
        else
        {
            Refused(() => FieldRules.Channel(name, "channel"));
        }
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void Skill_levels_run_from_1_to_10(int level, bool valid)
    {
        if (valid)
        {
            Assert.Equal(level, FieldRules.SkillLevel(level, "level"));
        }
        else
        {
            Assert.Contains($"was {level}", Refused(() => FieldRules.SkillLevel(level, "level")).Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Text_may_be_absent_up_to_its_limit_and_never_holds_control_characters()
    {
        Assert.Null(FieldRules.Text(null, "reason", 3));
        Assert.Null(FieldRules.Text(string.Empty, "reason", 3));
        Assert.Equal("abc", FieldRules.Text("abc", "reason", 3));
        Refused(() => FieldRules.Text("abcd", "reason", 3));
        Refused(() => FieldRules.Text("a\tb", "reason", 3));
    }

    [Fact]
    public void Context_keys_are_checked_and_a_long_bad_key_is_shortened_in_the_message()
    {
        var context = new MapField<string, string> { [new string('k', 40) + " x"] = "v" };

        var error = Refused(() => FieldRules.Context(context, "context"));

        Assert.StartsWith($"context[{new string('k', 16)}...]: ", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Context_is_bounded_in_entries_and_in_size()
    {
        var full = new MapField<string, string>();
        for (var i = 0; i < FieldRules.MaxContextEntries; i++)
        {
            full.Add($"k{i}", "v");
        }

        FieldRules.Context(full, "context");
        full.Add("one-more", "v");
        Refused(() => FieldRules.Context(full, "context"));

        var large = new MapField<string, string>();
        for (var i = 0; i < 17; i++)
        {
            large.Add($"k{i}", new string('v', FieldRules.MaxContextValueLength));
        }

        Assert.Contains("larger than", Refused(() => FieldRules.Context(large, "context")).Status.Detail, StringComparison.Ordinal);
        Assert.StartsWith("context[k]: ", Refused(() => FieldRules.Context(new MapField<string, string> { ["k"] = new string('v', FieldRules.MaxContextValueLength + 1) }, "context")).Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absent_duration_is_its_lower_bound_or_zero()
    {
        Assert.Equal(TimeSpan.Zero, FieldRules.Duration(null, "wait", TimeSpan.Zero, TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.FromSeconds(1), FieldRules.Duration(null, "wait", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Durations_are_bounded_inclusively_and_must_be_well_formed()
    {
        Assert.Equal(TimeSpan.FromHours(1), FieldRules.Duration(Duration.FromTimeSpan(TimeSpan.FromHours(1)), "wait", TimeSpan.Zero, TimeSpan.FromHours(1)));
        Refused(() => FieldRules.Duration(Duration.FromTimeSpan(TimeSpan.FromHours(1) + TimeSpan.FromTicks(10)), "wait", TimeSpan.Zero, TimeSpan.FromHours(1)));
        Refused(() => FieldRules.Duration(Duration.FromTimeSpan(TimeSpan.FromSeconds(-1)), "wait", TimeSpan.Zero, TimeSpan.FromHours(1)));
        Assert.Contains("not a valid duration", Refused(() => FieldRules.Duration(new Duration { Seconds = 1, Nanos = -5 }, "wait", TimeSpan.Zero, TimeSpan.FromHours(1))).Status.Detail, StringComparison.Ordinal);
        Refused(() => FieldRules.Duration(new Duration { Seconds = 0, Nanos = 1_000_000_000 }, "wait", TimeSpan.Zero, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void A_page_size_of_zero_means_the_default_and_sizes_and_tokens_are_bounded()
    {
        Assert.Equal((FieldRules.DefaultPageSize, (string?)null), FieldRules.Page(0, string.Empty));
        Assert.Equal((FieldRules.MaxPageSize, (string?)"t"), FieldRules.Page(FieldRules.MaxPageSize, "t"));
        Refused(() => FieldRules.Page(-1, null));
        Refused(() => FieldRules.Page(FieldRules.MaxPageSize + 1, null));
        Assert.StartsWith("page_token: ", Refused(() => FieldRules.Page(10, new string('t', 513))).Status.Detail, StringComparison.Ordinal);
    }

    private static RpcException Refused(Action call)
    {
        var error = Assert.Throws<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return error;
    }
}
