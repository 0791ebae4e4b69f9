using System.CommandLine;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary><c>sandbox memory-info INSTANCE</c>: GetMemoryInfo.</summary>
internal static class MemoryInfoCommand
{
    public static Command Create(GlobalOptions global)
    {
        var instance = new Argument<string>("instance") { Description = "The instance id." };
        var memory = MemoryOption.Create();
        var command = new Command("memory-info", "Describes an instance's memory: size, page size, limits, shared.") { instance, memory };
        global.SetAction(command, async (context, parseResult) =>
        {
            var request = new GetMemoryInfoRequest { InstanceId = parseResult.GetRequiredValue(instance), Memory = parseResult.GetValue(memory) ?? "" };
            var response = await context.Client.GetMemoryInfoAsync(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            await context.PrintAsync(response, (output, r) => output.WriteLine(r.Memory is null ? "no memory" : HumanOutput.FormatMemory(r.Memory))).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
