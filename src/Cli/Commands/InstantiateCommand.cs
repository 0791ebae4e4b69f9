using System.CommandLine;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary>
/// <c>sandbox instantiate MODULE [--register NAME] [--import MODULE=NAME]... [--host-heap BYTES]
/// [--malloc EXPORT --free EXPORT] [--fuel N] [--call-timeout T]</c>: Instantiate.
/// </summary>
internal static class InstantiateCommand
{
    public static Command Create(GlobalOptions global)
    {
        var module = new Argument<string>("module") { Description = "A module id from `compile`, or a .wasm file." };
        var register = new Option<string?>("--register") { Description = "Register the instance under this name, so later instances can import from it." };
        var imports = new Option<string[]>("--import")
        {
            Description = "Resolve imports of module name MODULE from the instance registered as NAME (MODULE=NAME). Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var hostHeap = new Option<ulong>("--host-heap")
        {
            Description = "Bytes of host heap for malloc when the module exports no allocator.",
            CustomParser = NumberText.ParseUInt64,
        };
        var malloc = new Option<string?>("--malloc") { Description = "The export to use as malloc (default: `malloc`)." };
        var free = new Option<string?>("--free") { Description = "The export to use as free (default: `free`)." };
        var command = new Command("instantiate", "Instantiates a module; prints the instance id, exports and memories.")
        {
            module, register, imports, hostHeap, malloc, free,
        };
        var limits = new CallLimitOptions(command);
        var wasi = new WasiOptions(command);
        global.SetAction(command, async (context, parseResult) =>
        {
            var name = parseResult.GetRequiredValue(module);
            var source = await ModuleSource.ResolveAsync(name, context.CancellationToken).ConfigureAwait(false);
            var request = new InstantiateRequest
            {
                RegisterAs = parseResult.GetValue(register) ?? "",
                HostHeapSize = parseResult.GetValue(hostHeap),
                Limits = limits.Get(parseResult),
            };
            if (source.Wasm is { } wasm) request.Wasm = wasm; else request.ModuleId = source.ModuleId;
            // The instance's WASI context lives with it; Invoke of _start runs a command later.
            if (wasi.Given(parseResult)) request.Wasi = await wasi.GetAsync(parseResult, Path.GetFileName(name), context.CancellationToken).ConfigureAwait(false);
            foreach (var binding in parseResult.GetValue(imports) ?? [])
            {
                var equals = binding.IndexOf('=');
                if (equals <= 0 || equals == binding.Length - 1)
                {
                    throw new FormatException($"--import '{binding}' is not MODULE=NAME.");
                }
                request.Imports.Add(new ImportBinding { Module = binding[..equals], InstanceName = binding[(equals + 1)..] });
            }
            if (parseResult.GetValue(malloc) is not null || parseResult.GetValue(free) is not null)
            {
                request.Allocator = new AllocatorExports { Malloc = parseResult.GetValue(malloc) ?? "malloc", Free = parseResult.GetValue(free) ?? "" };
            }

            var response = await context.Client.InstantiateAsync(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            if (response.Wasi is { } setUp && !context.Json)
            {
                // What a reactor's _initialize (or the start function) wrote, as `invoke` prints a call's.
                await using var guest = new GuestOutput(context.Output, parseResult.InvocationConfiguration.Error);
                await guest.WriteResultAsync(setUp, context.CancellationToken).ConfigureAwait(false);
            }
            await context.PrintAsync(response, (output, r) =>
            {
                output.WriteLine($"instance {r.InstanceId} of module {r.ModuleId}, {r.ChargedBytes} bytes charged");
                HumanOutput.WriteImportsAndExports(output, [], r.Exports);
                foreach (var memory in r.Memories)
                {
                    output.WriteLine("  " + HumanOutput.FormatMemory(memory));
                }
            }).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
