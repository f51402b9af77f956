using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Omnichannel.Routing.Api.Wallboard;

/// <summary>
/// The supervisors' wallboard: a static page and its script, embedded in this assembly and served at <see cref="Path"/>.
/// It reads the live feeds through the transcoded watch RPCs (no feed of its own), so it sees what a gRPC watcher sees
/// under the same authorization.
/// </summary>
public static class WallboardPage
{
    public const string Path = "/wallboard";

    private static readonly EmbeddedFileProvider Assets = new(typeof(WallboardPage).Assembly, typeof(WallboardPage).Namespace + ".assets");
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapWallboard(this IEndpointRouteBuilder endpoints)
    {
        // The page names its assets by absolute path, so /wallboard and /wallboard/ both serve it.
        endpoints.MapGet(Path, () => Serve("index.html"));
        endpoints.MapGet(Path + "/{file}", (string file) => Serve(file));
        return endpoints;
    }

    private static IResult Serve(string file)
    {
        var asset = Assets.GetFileInfo(file);
        if (!asset.Exists || !ContentTypes.TryGetContentType(file, out var contentType))
        {
            return Results.NotFound();
        }

        // The page is small and changes only with a release; revalidating each load keeps an upgraded host's page current.
        return Results.Stream(asset.CreateReadStream(), contentType + (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("javascript", StringComparison.Ordinal) ? "; charset=utf-8" : string.Empty));
    }
}
