using System.CommandLine;
using Google.Protobuf;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary><c>sandbox compile FILE</c>: CompileModule; prints the module id, imports and exports.</summary>
internal static class CompileCommand
{
    public static Command Create(GlobalOptions global)
    {
        var file = new Argument<FileInfo>("file") { Description = "A WebAssembly binary (.wasm). Convert text with wat2wasm first." };
        file.AcceptExistingOnly();
        var command = new Command("compile", "Validates, compiles and caches a module; prints its id.") { file };
        global.SetAction(command, async (context, parseResult) =>
        {
            var bytes = await File.ReadAllBytesAsync(parseResult.GetRequiredValue(file).FullName, context.CancellationToken).ConfigureAwait(false);
            var request = new CompileModuleRequest { Wasm = ByteString.CopyFrom(bytes) };
            var response = await context.Client.CompileModuleAsync(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            await context.PrintAsync(response, (output, r) =>
            {
                output.WriteLine($"module {r.ModuleId}{(r.Cached ? " (cached)" : "")}, {r.SizeBytes} bytes, compiled in {HumanOutput.FormatDuration(r.CompileDuration)}");
                HumanOutput.WriteImportsAndExports(output, r.Imports, r.Exports);
            }).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
