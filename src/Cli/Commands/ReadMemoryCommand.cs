using System.CommandLine;
using Google.Protobuf;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary>
/// <c>sandbox read-memory INSTANCE OFFSET LENGTH [--out FILE]</c>: ReadMemory, or
/// ReadMemoryStream for ranges over the unary limit. Prints a hex dump, or writes the raw bytes.
/// </summary>
internal static class ReadMemoryCommand
{
    /// <summary>The largest unary read (sandbox.proto, ReadMemoryRequest.length).</summary>
    internal const ulong UnaryLimit = 4 * 1024 * 1024 - 64 * 1024;

    public static Command Create(GlobalOptions global)
    {
        var instance = new Argument<string>("instance") { Description = "The instance id." };
        var offset = new Argument<ulong>("offset") { Description = "The first byte (decimal or 0x hex).", CustomParser = NumberText.ParseUInt64 };
        var length = new Argument<ulong>("length") { Description = "How many bytes.", CustomParser = NumberText.ParseUInt64 };
        var memory = MemoryOption.Create();
        var outFile = new Option<FileInfo?>("--out") { Description = "Write the raw bytes to this file instead of printing them." };
        var command = new Command("read-memory", "Reads a byte range of an instance's memory.") { instance, offset, length, memory, outFile };
        global.SetAction(command, async (context, parseResult) =>
        {
            var request = new ReadMemoryRequest
            {
                InstanceId = parseResult.GetRequiredValue(instance),
                Memory = parseResult.GetValue(memory) ?? "",
                Offset = parseResult.GetValue(offset),
                Length = parseResult.GetValue(length),
            };
            var data = await ReadAsync(context, request).ConfigureAwait(false);
            if (parseResult.GetValue(outFile) is { } file)
            {
                await File.WriteAllBytesAsync(file.FullName, data, context.CancellationToken).ConfigureAwait(false);
                await context.Output.WriteLineAsync($"wrote {data.Length} bytes to {file.FullName}").ConfigureAwait(false);
                return 0;
            }
            var response = new ReadMemoryResponse { Data = ByteString.CopyFrom(data) };
            await context.PrintAsync(response, (output, r) => HumanOutput.WriteHexDump(output, request.Offset, r.Data.Span)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task<byte[]> ReadAsync(CliContext context, ReadMemoryRequest request)
    {
        if (request.Length <= UnaryLimit)
        {
            var response = await context.Client.ReadMemoryAsync(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            return response.Data.ToByteArray();
        }
        if (request.Length > int.MaxValue)
        {
            throw new ArgumentException($"{request.Length} bytes is more than this command holds in memory; read in parts.");
        }
        var data = new byte[request.Length];
        await foreach (var chunk in context.Client.ReadMemoryStream(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false))
        {
            var at = chunk.Offset - request.Offset;
            if (at > (ulong)data.Length || (ulong)chunk.Data.Length > (ulong)data.Length - at)
            {
                throw new IOException($"The server sent a chunk at {chunk.Offset} outside the range asked for.");
            }
            chunk.Data.Span.CopyTo(data.AsSpan((int)at));
        }
        return data;
    }
}
