using System.CommandLine;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Omnichannel.Routing.Cli.CommandLine;
using Omnichannel.Routing.Cli.Output;

namespace Omnichannel.Routing.Cli.Commands;

/// <summary><c>health</c> and <c>services</c>: the standard gRPC health and reflection services of the engine.</summary>
internal sealed class ServerCommands(GlobalOptions global) : ICommandGroup
{
    private readonly Option<string> _service = new("--service") { Description = "check one service instead of the whole server", HelpName = "name" };

    public IEnumerable<Command> Commands()
    {
        yield return new Command("health", "check the engine's health (grpc.health.v1); exits 1 unless SERVING") { _service }
            .RunsOnEngine(global, CheckHealthAsync);
        yield return new Command("services", "list the gRPC services the engine serves (server reflection)")
            .RunsOnEngine(global, ListServicesAsync);
    }

    private async Task<int> CheckHealthAsync(CommandContext context)
    {
        var client = new Health.HealthClient(context.Invoker);
        var request = new HealthCheckRequest { Service = context.Value(_service) ?? string.Empty };
        var response = await client.CheckAsync(request, context.Unary);
        context.Output.Item(response, r => TextFormat.Name(r.Status));
        return response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
    }

    private static async Task<int> ListServicesAsync(CommandContext context)
    {
        var client = new ServerReflection.ServerReflectionClient(context.Invoker);
        using var call = client.ServerReflectionInfo(context.Unary);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty }, context.Cancellation);
        await call.RequestStream.CompleteAsync();
        await foreach (var response in call.ResponseStream.ReadAllAsync(context.Cancellation))
        {
            if (response.MessageResponseCase == ServerReflectionResponse.MessageResponseOneofCase.ErrorResponse)
            {
                throw new RpcException(new Status((StatusCode)response.ErrorResponse.ErrorCode, response.ErrorResponse.ErrorMessage));
            }

            foreach (var service in response.ListServicesResponse?.Service ?? [])
            {
                context.Output.Item(service, s => s.Name);
            }
        }

        return 0;
    }
}
