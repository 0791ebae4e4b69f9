using System.CommandLine;
using System.Text;
using Google.Protobuf;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary>
/// <c>sandbox write-memory INSTANCE OFFSET (--hex HEX | --text TEXT | --file FILE)</c>:
/// WriteMemory, or WriteMemoryStream for data over the unary limit.
/// </summary>
internal static class WriteMemoryCommand
{
    /// <summary>Data up to this size goes in one WriteMemory; more is streamed.</summary>
    internal const int UnaryLimit = 4 * 1024 * 1024 - 64 * 1024;

    public static Command Create(GlobalOptions global)
    {
        var instance = new Argument<string>("instance") { Description = "The instance id." };
        var offset = new Argument<ulong>("offset") { Description = "Where the first byte goes (decimal or 0x hex).", CustomParser = NumberText.ParseUInt64 };
        var memory = MemoryOption.Create();
        var hex = new Option<string?>("--hex") { Description = "The bytes as hex digits, e.g. 48656c6c6f." };
        var text = new Option<string?>("--text") { Description = "The bytes as UTF-8 text." };
        var file = new Option<FileInfo>("--file") { Description = "The bytes of this file." };
        file.AcceptExistingOnly();
        var command = new Command("write-memory", "Writes bytes into an instance's memory.") { instance, offset, memory, hex, text, file };
        command.Validators.Add(result =>
        {
            var given = new Option[] { hex, text, file }.Count(o => result.GetResult(o) is not null);
            if (given != 1)
            {
                result.AddError("Give exactly one of --hex, --text or --file.");
            }
        });
        global.SetAction(command, async (context, parseResult) =>
        {
            var instanceId = parseResult.GetRequiredValue(instance);
            var at = parseResult.GetValue(offset);
            var memoryName = parseResult.GetValue(memory) ?? "";
            WriteMemoryResponse response;
            if (parseResult.GetValue(file) is { } path && path.Length > UnaryLimit)
            {
                await using var stream = path.OpenRead();
                response = await context.Client.WriteMemoryStreamAsync(instanceId, at, stream, memoryName, deadline: context.Deadline, cancellationToken: context.CancellationToken).ConfigureAwait(false);
            }
            else
            {
                var data = parseResult.GetValue(file) is { } small
                    ? await File.ReadAllBytesAsync(small.FullName, context.CancellationToken).ConfigureAwait(false)
                    : parseResult.GetValue(hex) is { } digits ? Convert.FromHexString(digits)
                    : Encoding.UTF8.GetBytes(parseResult.GetValue(text) ?? "");
                var request = new WriteMemoryRequest { InstanceId = instanceId, Memory = memoryName, Offset = at, Data = ByteString.CopyFrom(data) };
                response = await context.Client.WriteMemoryAsync(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            }
            await context.PrintAsync(response, (output, r) => output.WriteLine($"wrote {r.BytesWritten} bytes at {at}")).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
