using System.CommandLine;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary><c>sandbox usage</c>: GetUsage.</summary>
internal static class UsageCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("usage", "Shows the tenant's usage against its limits.");
        global.SetAction(command, async (context, parseResult) =>
        {
            var response = await context.Client.GetUsageAsync(new GetUsageRequest(), null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            await context.PrintAsync(response, (output, r) =>
            {
                output.WriteLine($"tenant {r.TenantId}");
                HumanOutput.WriteUsage(output, r.Usage, r.Limits);
            }).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
