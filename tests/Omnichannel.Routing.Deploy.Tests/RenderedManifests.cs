using System.Collections.Concurrent;
using YamlDotNet.RepresentationModel;

namespace Omnichannel.Routing.Deploy.Tests;

/// <summary>The Kubernetes objects an overlay renders to (<c>kubectl kustomize</c>), parsed.</summary>
public sealed class RenderedManifests
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<RenderedManifests>>> Rendered = new();

    private RenderedManifests(string overlay, IReadOnlyList<YamlMappingNode> objects)
    {
        Overlay = overlay;
        Objects = objects;
    }

    public string Overlay { get; }

    public IReadOnlyList<YamlMappingNode> Objects { get; }

    /// <summary>The overlay's rendering, made once per test run.</summary>
    public static Task<RenderedManifests> OfOverlayAsync(string overlay) =>
        Rendered.GetOrAdd(overlay, name => new Lazy<Task<RenderedManifests>>(() => RenderAsync(name))).Value;

    public IEnumerable<YamlMappingNode> OfKind(string kind) => Objects.Where(o => o.Text("kind") == kind);

    public YamlMappingNode Sole(string kind) =>
        Assert.Single(OfKind(kind), o => o.Text("metadata", "name") is not null);

    /// <summary>The generated ConfigMap's data: the settings every silo gets as environment variables.</summary>
    public IReadOnlyDictionary<string, string> Settings() =>
        Sole("ConfigMap").Child("data")!.Map().Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);

    /// <summary>Every container of every pod template (the silos' and the migrate Job's).</summary>
    public IEnumerable<(YamlMappingNode Owner, YamlMappingNode Container)> Containers() =>
        Objects.SelectMany(o => o.Items("spec", "template", "spec", "containers").Select(c => (o, c.Map())));

    private static async Task<RenderedManifests> RenderAsync(string overlay)
    {
        var directory = Repository.PathOf(Path.Combine("deploy", "kubernetes", "overlays", overlay));
        var run = await CommandRun.RunAsync("kubectl", ["kustomize", directory], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, $"kubectl kustomize {directory} failed: {run}");
        var stream = new YamlStream();
        stream.Load(new StringReader(run.Output));
        return new RenderedManifests(overlay, [.. stream.Documents.Select(d => d.RootNode.Map())]);
    }
}

/// <summary>Walking a parsed YAML tree by key path; a missing key is null, not an exception.</summary>
public static class YamlPaths
{
    public static YamlNode? Child(this YamlNode node, params string[] path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.Child(path) as YamlScalarNode)?.Value;

    public static int? Number(this YamlNode node, params string[] path) =>
        node.Text(path) is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;

    public static IReadOnlyList<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.Child(path) is YamlSequenceNode sequence ? [.. sequence.Children] : [];

    public static YamlMappingNode Map(this YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node as YamlMappingNode ?? throw new InvalidOperationException($"expected a mapping at {node.Start}, found {node.NodeType}");
    }
}
