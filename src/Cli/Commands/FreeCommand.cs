using System.CommandLine;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary><c>sandbox free INSTANCE OFFSET</c>: Free.</summary>
internal static class FreeCommand
{
    public static Command Create(GlobalOptions global)
    {
        var instance = new Argument<string>("instance") { Description = "The instance id." };
        var offset = new Argument<ulong>("offset") { Description = "An offset returned by malloc.", CustomParser = NumberText.ParseUInt64 };
        var memory = MemoryOption.Create();
        var command = new Command("free", "Frees a block returned by malloc.") { instance, offset, memory };
        var limits = new CallLimitOptions(command);
        global.SetAction(command, async (context, parseResult) =>
        {
            var request = new FreeRequest
            {
                InstanceId = parseResult.GetRequiredValue(instance),
                Offset = parseResult.GetValue(offset),
                Memory = parseResult.GetValue(memory) ?? "",
                Limits = limits.Get(parseResult),
            };
            var response = await context.Client.FreeAsync(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            await context.PrintAsync(response, (output, _) => output.WriteLine("freed")).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
