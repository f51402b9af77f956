using Microsoft.Playwright;

namespace Omnichannel.Routing.EndToEnd.Tests.Wallboard;

/// <summary>
/// One engine host (embedded default, authentication on, as every end-to-end host) and one headless Debian chromium per
/// test class, driven by Playwright; never a downloaded browser build (tests/chromium.sh installs the package). Each
/// page holds a supervisor token, as a supervisor who pasted theirs would.
/// </summary>
public sealed class WallboardFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public HostProcess Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where each test saves its screenshot: beside the test assembly.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private static string ChromiumPath => Environment.GetEnvironmentVariable("OMNICHANNEL_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"no chromium at {ChromiumPath}: run tests/chromium.sh (installs Debian's chromium package)");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        Host = await HostProcess.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>A fresh page at 1280×720 on the wallboard, once its queue feed is live.</summary>
    public async Task<IPage> OpenWallboardAsync(string query = "")
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        page.SetDefaultTimeout((float)EngineClient.Wait.TotalMilliseconds);
        if (Host.Tokens is { } tokens)
        {
            await page.AddInitScriptAsync($"sessionStorage.setItem('wallboard.token', '{tokens.For("wallboard-supervisor", "supervisor")}')");
        }

        await page.GotoAsync(new Uri(Host.WebAddress, "/wallboard" + query).ToString());
        await Assertions.Expect(page.Locator("#feed")).ToHaveTextAsync("live", new LocatorAssertionsToHaveTextOptions { Timeout = (float)EngineClient.Wait.TotalMilliseconds });
        return page;
    }

    /// <summary>How far the page scrolls sideways (0 when it fits its viewport).</summary>
    public static Task<int> SidewaysScrollAsync(IPage page) =>
        page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}
