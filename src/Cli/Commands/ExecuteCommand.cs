using System.CommandLine;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary>
/// <c>sandbox execute MODULE [FUNCTION] [ARGS...]</c>: Execute on a fresh pooled instance; with
/// WASI options (<see cref="WasiOptions"/>) a WASI command on the server, as <c>sandbox run</c>
/// runs one in process: the guest's stdout and stderr become this tool's and its exit code the
/// tool's, and the files named by <c>--output</c> are written under <c>--output-dir</c>. A WASI
/// command's output is streamed (ExecuteStream) as it is written unless <c>--stream false</c> or
/// <c>--json</c> without <c>--stream</c>.
/// </summary>
internal static class ExecuteCommand
{
    public static Command Create(GlobalOptions global)
    {
        var module = new Argument<string>("module") { Description = "A module id from `compile`, or a .wasm file." };
        var function = new Argument<string?>("function") { Description = "The exported function's name (with WASI, default _start).", Arity = ArgumentArity.ZeroOrOne };
        var args = ValueArguments.Create();
        var output = new Option<string[]>("--output") { Description = "GUEST: return this file of the guest's filesystem (a path ending in / for a directory, / for all) (repeatable; implies --wasi).", AllowMultipleArgumentsPerToken = false };
        var outputDir = new Option<string>("--output-dir") { Description = "Where --output files are written, under their guest paths. Default: the current directory.", DefaultValueFactory = _ => "." };
        var stream = new Option<bool?>("--stream")
        {
            Description = "Stream the guest's stdout and stderr as it writes them (ExecuteStream). Default: on for a WASI command without --json; --stream false waits for one response. With --json, prints each event as a line of JSON.",
        };
        var command = new Command("execute", "Runs an exported function statelessly, on a fresh instance from the pool; or, with WASI options, a WASI command.") { module, function, args, output, outputDir, stream };
        var limits = new CallLimitOptions(command);
        var wasi = new WasiOptions(command);
        var lanes = ValueArguments.CreateLanesOption();
        command.Options.Add(lanes);
        global.SetAction(command, async (context, parseResult) =>
        {
            var name = parseResult.GetRequiredValue(module);
            var source = await ModuleSource.ResolveAsync(name, context.CancellationToken).ConfigureAwait(false);
            var outputs = parseResult.GetValue(output) ?? [];
            var request = new ExecuteRequest
            {
                Function = parseResult.GetValue(function) ?? "",
                Args = { parseResult.GetValue(args) ?? [] },
                Limits = limits.Get(parseResult),
            };
            if (wasi.Given(parseResult) || outputs.Length > 0)
            {
                // argv[0] as `sandbox run` gives it: the module's file name (or its id).
                request.Wasi = await wasi.GetAsync(parseResult, Path.GetFileName(name), context.CancellationToken).ConfigureAwait(false);
                request.Wasi.OutputFiles.AddRange(outputs);
            }
            else if (request.Function.Length == 0)
            {
                throw new ArgumentException("give FUNCTION, or WASI options (--wasi) to run _start");
            }
            if (source.Wasm is { } wasm) request.Wasm = wasm; else request.ModuleId = source.ModuleId;
            // A WASI command streams its output as `sandbox run` passes it through; --json keeps
            // one response (the output in it) unless --stream asks for one JSON event per line.
            var streaming = parseResult.GetValue(stream) ?? (request.Wasi is not null && !context.Json);
            var error = parseResult.InvocationConfiguration.Error;
            await using var guest = new GuestOutput(context.Output, error);
            var response = streaming
                ? await StreamAsync(context, request, guest).ConfigureAwait(false)
                : await context.Client.ExecuteAsync(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            if (response.Wasi is not { } result)
            {
                if (!(streaming && context.Json))
                {
                    await context.PrintAsync(response, (writer, r) => ValueArguments.WriteValues(writer, r.Results, parseResult.GetValue(lanes))).ConfigureAwait(false);
                }
                return 0;
            }
            var directory = parseResult.GetValue(outputDir)!;
            foreach (var file in result.Files) await WriteOutputAsync(directory, file, context.CancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                if (!streaming) await context.PrintAsync(response, (_, _) => { }).ConfigureAwait(false);
            }
            else if (streaming)
            {
                await guest.ReportTruncationAsync(result).ConfigureAwait(false);
            }
            else
            {
                await guest.WriteResultAsync(result, context.CancellationToken).ConfigureAwait(false);
            }
            return result.ExitCode;
        });
        return command;
    }

    // ExecuteStream: each output event goes to this tool's stdout or stderr as it arrives (with
    // --json, each event is printed as a line of JSON); returns the final event's response.
    private static async Task<ExecuteResponse> StreamAsync(CliContext context, ExecuteRequest request, GuestOutput guest)
    {
        ExecuteResponse? response = null;
        await foreach (var item in context.Client.ExecuteStream(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false))
        {
            if (context.Json)
            {
                await context.PrintAsync(item, (_, _) => { }).ConfigureAwait(false);
                if (item.EventCase == ExecuteEvent.EventOneofCase.Result) response = item.Result;
                continue;
            }
            switch (item.EventCase)
            {
                case ExecuteEvent.EventOneofCase.Stdout:
                    await guest.WriteStdoutAsync(item.Stdout, context.CancellationToken).ConfigureAwait(false);
                    break;
                case ExecuteEvent.EventOneofCase.Stderr:
                    await guest.WriteStderrAsync(item.Stderr, context.CancellationToken).ConfigureAwait(false);
                    break;
                case ExecuteEvent.EventOneofCase.Result:
                    response = item.Result;
                    break;
            }
        }
        return response ?? throw new IOException("the server ended ExecuteStream without its result event");
    }

    // The server names the file; a path that would land outside the output directory is refused.
    private static async Task WriteOutputAsync(string directory, WasiFile file, CancellationToken cancellationToken)
    {
        var names = file.Path.Split('/');
        if (Path.IsPathRooted(file.Path) || names.Any(n => n is "" or "." or ".." || n.Contains('\\')))
        {
            throw new IOException($"the server returned a file path that is not relative: '{file.Path}'");
        }
        var target = Path.Combine([directory, .. names]);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        await File.WriteAllBytesAsync(target, file.Contents.Memory, cancellationToken).ConfigureAwait(false);
    }
}
