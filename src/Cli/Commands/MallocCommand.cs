using System.CommandLine;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary><c>sandbox malloc INSTANCE SIZE [--align N]</c>: Malloc; prints the block's offset.</summary>
internal static class MallocCommand
{
    public static Command Create(GlobalOptions global)
    {
        var instance = new Argument<string>("instance") { Description = "The instance id." };
        var size = new Argument<ulong>("size") { Description = "Bytes to allocate.", CustomParser = NumberText.ParseUInt64 };
        var align = new Option<uint>("--align") { Description = "Alignment in bytes, a power of two. Default: 8.", CustomParser = NumberText.ParseUInt32 };
        var memory = MemoryOption.Create();
        var command = new Command("malloc", "Allocates guest memory through the instance's allocator or host heap.") { instance, size, align, memory };
        var limits = new CallLimitOptions(command);
        global.SetAction(command, async (context, parseResult) =>
        {
            var request = new MallocRequest
            {
                InstanceId = parseResult.GetRequiredValue(instance),
                Size = parseResult.GetValue(size),
                Align = parseResult.GetValue(align),
                Memory = parseResult.GetValue(memory) ?? "",
                Limits = limits.Get(parseResult),
            };
            var response = await context.Client.MallocAsync(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            await context.PrintAsync(response, (output, r) => output.WriteLine(r.Offset)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
