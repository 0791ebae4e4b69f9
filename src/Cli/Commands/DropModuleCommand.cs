using System.CommandLine;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary><c>sandbox drop-module MODULE</c>: DropModule.</summary>
internal static class DropModuleCommand
{
    public static Command Create(GlobalOptions global)
    {
        var module = new Argument<string>("module") { Description = "The module id (its SHA-256, as compile printed it)." };
        var command = new Command("drop-module", "Removes a module from the tenant's cache; its live instances keep running.") { module };
        global.SetAction(command, async (context, parseResult) =>
        {
            var id = parseResult.GetRequiredValue(module);
            var response = await context.Client.DropModuleAsync(new DropModuleRequest { ModuleId = id }, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            await context.PrintAsync(response, (output, _) => output.WriteLine(response.LiveInstances == 0
                ? $"dropped {id}"
                : $"dropped {id}; {response.LiveInstances} live instances keep it until they are dropped")).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
