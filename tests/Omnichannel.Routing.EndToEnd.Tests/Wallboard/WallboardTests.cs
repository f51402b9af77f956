using Omnichannel.Routing.V1;
using static Microsoft.Playwright.Assertions;

namespace Omnichannel.Routing.EndToEnd.Tests.Wallboard;

/// <summary>
/// The wallboard in a real headless chromium: live queue figures, an agent's load, one interaction's history, a
/// previewed then confirmed rebalance, and the large-type mode at 1280×720. Each test saves a screenshot.
/// </summary>
public sealed class WallboardTests(WallboardFixture fixture) : IClassFixture<WallboardFixture>
{
    private readonly EngineClient _c = new(fixture.Host.Channel);

    [Fact]
    public async Task A_queue_s_waiting_count_changes_live_as_interactions_are_routed_over_gRPC_without_moving_its_row()
    {
        var queue = await _c.QueueAsync("board-live");
        var page = await fixture.OpenWallboardAsync();
        var waiting = page.Locator($"tr[data-queue='{queue}'] td.waiting");
        await Expect(waiting).ToHaveTextAsync("0");
        var before = await page.Locator($"tr[data-queue='{queue}']").BoundingBoxAsync();

        await _c.RouteAsync(queue);
        await _c.RouteAsync(queue);

        await Expect(waiting).ToHaveTextAsync("2");
        await Expect(page.Locator($"tr[data-queue='{queue}'] td.sl .sl")).ToBeVisibleAsync();
        await Expect(page.Locator($"tr[data-queue='{queue}'] .chart canvas")).ToBeVisibleAsync();
        var after = await page.Locator($"tr[data-queue='{queue}']").BoundingBoxAsync();
        Assert.Equal((before!.X, before.Y, before.Width, before.Height), (after!.X, after.Y, after.Width, after.Height));
        await WallboardFixture.ScreenshotAsync(page, "queue-live");
    }

    [Fact]
    public async Task An_agent_s_load_changes_when_it_accepts_and_the_queue_is_chosen_from_the_keyboard()
    {
        var queue = await _c.QueueAsync("board-agents");
        var agent = await _c.AgentAsync("board-agent", [queue]);
        await using var desk = await _c.SignInAsync(agent);
        var page = await fixture.OpenWallboardAsync();

        await page.Locator($"tr[data-queue='{queue}'] button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var load = page.Locator($"tr[data-agent='{agent}'] td.load");
        await Expect(load).ToContainTextAsync("chat 0/3");
        await Expect(page.Locator($"tr[data-agent='{agent}'] td.presence")).ToHaveTextAsync("available");

        var chat = await _c.RouteAsync(queue);
        await desk.NextOfferAsync(chat.InteractionId);
        await desk.AcceptAsync(chat.InteractionId);

        await Expect(load).ToContainTextAsync("chat 1/3");
        await Expect(page.Locator($"tr[data-agent='{agent}'] td.activity")).ToHaveTextAsync("busy");
        await WallboardFixture.ScreenshotAsync(page, "agent-load");
    }

    [Fact]
    public async Task An_interaction_s_history_and_journey_open_on_demand()
    {
        var queue = await _c.QueueAsync("board-history");
        var interaction = await _c.RouteAsync(queue);
        var page = await fixture.OpenWallboardAsync();

        await page.Locator("#interaction-id").FillAsync(interaction.InteractionId);
        await page.Locator("#interaction-form button").ClickAsync();

        await Expect(page.Locator("#interaction .state")).ToHaveTextAsync("queued");
        await Expect(page.Locator("#interaction .history li").First).ToContainTextAsync("routed");
        await Expect(page.Locator("#interaction .journey li").First).ToContainTextAsync(queue);
        await WallboardFixture.ScreenshotAsync(page, "interaction-history");
    }

    [Fact]
    public async Task A_validate_only_rebalance_shows_its_prediction_and_changes_nothing_until_confirmed()
    {
        var source = await _c.QueueAsync("board-source");
        var target = await _c.QueueAsync("board-target");
        var first = await _c.RouteAsync(source);
        await _c.RouteAsync(source);
        var page = await fixture.OpenWallboardAsync();
        await Expect(page.Locator($"tr[data-queue='{source}'] td.waiting")).ToHaveTextAsync("2");

        await page.Locator("#action").SelectOptionAsync("rebalance");
        await page.Locator("#field-sourceQueueId").FillAsync(source);
        await page.Locator("#field-targetQueueId").FillAsync(target);
        await page.Locator("#preview").ClickAsync();

        await Expect(page.Locator($"#prediction .impact tr[data-queue='{source}']")).ToContainTextAsync("2 → 0");
        await Expect(page.Locator("#confirm")).ToBeEnabledAsync();
        Assert.Equal(0, await WallboardFixture.SidewaysScrollAsync(page));
        await WallboardFixture.ScreenshotAsync(page, "rebalance-preview");
        Assert.Equal(2, (await _c.Supervisor.GetQueueStatsAsync(new GetQueueStatsRequest { QueueId = source })).Waiting);
        Assert.Equal(source, (await _c.GetAsync(first.InteractionId)).QueueId);

        await page.Locator("#confirm").ClickAsync();

        await Expect(page.Locator("#prediction .done")).ToBeVisibleAsync();
        await _c.WaitForAsync(first.InteractionId, i => i.QueueId == target, "moved to the target queue");
        await Expect(page.Locator($"tr[data-queue='{target}'] td.waiting")).ToHaveTextAsync("2");
        await Expect(page.Locator("#confirm")).ToBeDisabledAsync();
    }

    [Theory]
    [InlineData("?large", "large-type-1280x720")]
    [InlineData("", "normal-type-1280x720")]
    public async Task Each_type_size_fits_1280x720_without_horizontal_scroll_or_overlap(string query, string screenshot)
    {
        foreach (var name in new[] { "board-wall-a", "board-wall-b", "board-wall-c" })
        {
            await _c.RouteAsync(await _c.QueueAsync(name));
        }

        var page = await fixture.OpenWallboardAsync(query);
        await Expect(page.Locator("#large")).ToHaveAttributeAsync("aria-pressed", query.Length > 0 ? "true" : "false");
        await Expect(page.Locator("tr[data-queue] td.waiting").First).ToBeVisibleAsync();

        var overflow = await WallboardFixture.SidewaysScrollAsync(page);
        Assert.True(overflow <= 0, $"the page scrolls {overflow}px sideways");
        var overlaps = await page.EvaluateAsync<string[]>("""
            (() => {
              const boxes = [...document.querySelectorAll('header, main > section, .lower > section')].map(e => [e, e.getBoundingClientRect()]);
              const found = [];
              for (let i = 0; i < boxes.length; i++)
                for (let j = i + 1; j < boxes.length; j++) {
                  const [a, r] = boxes[i], [b, s] = boxes[j];
                  if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1) found.push(`${a.id || a.tagName} / ${b.querySelector('h2')?.textContent}`);
                }
              const cells = [...document.querySelectorAll('td, th')].filter(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1);
              return found.concat(cells.map(c => 'cell beyond the viewport: ' + c.className));
            })()
            """);
        Assert.Empty(overlaps);
        await WallboardFixture.ScreenshotAsync(page, screenshot);
    }
}
