using System.CommandLine;
using Grpc.Health.V1;
using Sandbox.Cli.Internal;

namespace Sandbox.Cli.Commands;

/// <summary><c>sandbox health [--service NAME]</c>: the standard gRPC health check. Exits 1 unless SERVING.</summary>
internal static class HealthCommand
{
    public static Command Create(GlobalOptions global)
    {
        var service = new Option<string>("--service")
        {
            Description = "The service to ask about, e.g. sandbox.v1.Sandbox. Default: the whole server.",
            DefaultValueFactory = _ => "",
        };
        var command = new Command("health", "Checks that the server is up (grpc.health.v1.Health/Check); prints SERVING.") { service };
        global.SetAction(command, async (context, parseResult) =>
        {
            var status = await context.Client.CheckHealthAsync(parseResult.GetValue(service) ?? "", context.Deadline, context.CancellationToken).ConfigureAwait(false);
            var response = new HealthCheckResponse { Status = status };
            await context.PrintAsync(response, (output, r) => output.WriteLine(ServingStatusName(r.Status))).ConfigureAwait(false);
            return status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : GlobalOptions.Failure;
        });
        return command;
    }

    /// <summary>The proto's own name (SERVING, NOT_SERVING, ...), as grpc_health_probe prints it.</summary>
    private static string ServingStatusName(HealthCheckResponse.Types.ServingStatus status) => ProtoEnum.Name(status);
}
