using System.CommandLine;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary><c>sandbox drop INSTANCE</c>: DropInstance.</summary>
internal static class DropCommand
{
    public static Command Create(GlobalOptions global)
    {
        var instance = new Argument<string>("instance") { Description = "The instance id." };
        var command = new Command("drop", "Drops an instance and frees its memory and registration name.") { instance };
        global.SetAction(command, async (context, parseResult) =>
        {
            var id = parseResult.GetRequiredValue(instance);
            var response = await context.Client.DropInstanceAsync(new DropInstanceRequest { InstanceId = id }, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            await context.PrintAsync(response, (output, _) => output.WriteLine($"dropped {id}")).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
