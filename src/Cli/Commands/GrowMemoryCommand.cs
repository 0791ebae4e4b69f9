using System.CommandLine;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary><c>sandbox grow-memory INSTANCE DELTA</c>: GrowMemory; prints the previous size and the memory now.</summary>
internal static class GrowMemoryCommand
{
    public static Command Create(GlobalOptions global)
    {
        var instance = new Argument<string>("instance") { Description = "The instance id." };
        var delta = new Argument<ulong>("delta") { Description = "Pages to add (in the memory's page size).", CustomParser = NumberText.ParseUInt64 };
        var memory = MemoryOption.Create();
        var command = new Command("grow-memory", "Grows an instance's memory by a number of pages.") { instance, delta, memory };
        global.SetAction(command, async (context, parseResult) =>
        {
            var request = new GrowMemoryRequest
            {
                InstanceId = parseResult.GetRequiredValue(instance),
                Memory = parseResult.GetValue(memory) ?? "",
                DeltaPages = parseResult.GetValue(delta),
            };
            var response = await context.Client.GrowMemoryAsync(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            await context.PrintAsync(response, (output, r) =>
            {
                output.WriteLine($"grew from {r.PreviousPages} pages");
                if (r.Memory is not null) output.WriteLine(HumanOutput.FormatMemory(r.Memory));
            }).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
