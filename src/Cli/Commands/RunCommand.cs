using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sandbox.Cli.Internal;
using Sandbox.Engine;
using Sandbox.Engine.Validation;

namespace Sandbox.Cli.Commands;

/// <summary>
/// <c>sandbox run FILE.wasm --invoke NAME [ARGS...] [--repeat N] [--preload NAME=FILE]</c>: runs a
/// module in this process with the engine, no server (as <c>wasmtime run --invoke</c>). Arguments
/// are read by the function's parameter types; results are printed one per line. With
/// <c>--repeat N</c> it also prints the first call's time, compilation included, and the best of
/// N; the engine is warmed up first (<see cref="EngineWarmup"/>) and that time printed apart.
/// </summary>
internal static class RunCommand
{
    // As wasmtime run: the threads proposal (shared memories, atomics) is on, so a provider's
    // shared memory preloaded as env can be used by the main module's atomics.
    private static readonly EngineOptions WithThreads = new() { Features = WasmFeatures.Threads };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The .wasm module to run." };
        var arguments = new Argument<string[]>("args")
        {
            Description = "Arguments for the function, read by its parameter types (42, -1, 0x10, 1.5, nan, inf; a v128 as 32 hex digits or i32x4:1,2,3,4).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var invoke = new Option<string>("--invoke")
        {
            Description = "The exported function to call. Default: _start.",
            DefaultValueFactory = _ => "_start",
        };
        var repeat = new Option<int>("--repeat")
        {
            Description = "Call the function N times; print the first call's time (compilation included) and the best.",
            DefaultValueFactory = _ => 1,
        };
        var preload = new Option<string[]>("--preload")
        {
            Description = "NAME=FILE: instantiate FILE first and make its exports importable as module NAME (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = new Option<string?>("--timeout") { Description = "Interrupt each call after this long (e.g. 500ms, 10s)." };
        var lanes = ValueArguments.CreateLanesOption();
        var command = new Command("run", "Runs a WebAssembly module in process with the engine (no server).")
        {
            file, arguments, invoke, repeat, preload, timeout, lanes,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                TimeSpan? limit = null;
                if (parseResult.GetValue(timeout) is { } text)
                {
                    if (!DurationText.TryParse(text, out var parsed)) throw new ArgumentException($"'{text}' is not a duration: write e.g. 500ms or 10s");
                    limit = parsed;
                }
                var options = new CallOptions { CancellationToken = cancellationToken, Timeout = limit };
                var times = Math.Max(1, parseResult.GetValue(repeat));
                Run(parseResult.GetRequiredValue(file), parseResult.GetValue(invoke)!, parseResult.GetValue(arguments) ?? [],
                    parseResult.GetValue(preload) ?? [], times, options, output, parseResult.GetValue(lanes));
                return Task.FromResult(0);
            }
            catch (TrapException trap)
            {
                error.WriteLine($"error: wasm trap: {trap.Message}");
                for (var i = 0; i < trap.Backtrace.Count; i++) error.WriteLine($"  {i}: {trap.Backtrace[i]}");
                return Task.FromResult(GlobalOptions.Failure);
            }
            catch (Exception e) when (e is WasmException or ArgumentException or FormatException or OverflowException or IOException)
            {
                error.WriteLine($"error: {e.Message}");
                return Task.FromResult(GlobalOptions.Failure);
            }
        });
        return command;
    }

    private static void Run(FileInfo file, string name, string[] arguments, string[] preloads, int times, CallOptions options, TextWriter output, string? lanes)
    {
        var linker = new Linker();
        // --timeout and Ctrl+C stop a start function that never returns, as they stop the call.
        var startOptions = new InstanceOptions { StartOptions = options };
        foreach (var preload in preloads)
        {
            var separator = preload.IndexOf('=');
            if (separator <= 0) throw new ArgumentException($"--preload '{preload}': write NAME=FILE");
            var provider = linker.Instantiate(Module.FromFile(preload[(separator + 1)..], WithThreads), startOptions);
            linker.DefineInstance(preload[..separator], provider);
        }

        // When timing, start the engine first (JIT-compile its own code), as V8 is started before
        // node times a first call; the warm-up time is printed apart.
        var warmup = times > 1 ? EngineWarmup.Run() : TimeSpan.Zero;
        var stopwatch = Stopwatch.StartNew();
        var instance = linker.Instantiate(Module.FromFile(file.FullName, WithThreads), startOptions);
        var function = instance.GetFunction(name) ?? throw new ArgumentException($"the module exports no function named '{name}'");
        var parameters = function.Type.Parameters;
        if (arguments.Length != parameters.Length)
        {
            throw new ArgumentException($"{name} takes {parameters.Length} arguments {function.Type}, {arguments.Length} given");
        }
        var values = new Value[parameters.Length];
        for (var i = 0; i < values.Length; i++) values[i] = ParseValue(arguments[i], parameters[i]);
        var results = new Value[function.Type.Results.Length];

        function.Invoke(values, results, options);
        var first = stopwatch.Elapsed;
        var best = first;
        for (var i = 1; i < times; i++)
        {
            stopwatch.Restart();
            function.Invoke(values, results, options);
            if (stopwatch.Elapsed < best) best = stopwatch.Elapsed;
        }

        foreach (var result in results) output.WriteLine(lanes is not null && result.Type == Engine.ValueType.V128 ? V1.Value.FromV128(result.AsV128()).ToLaneText(lanes) : result.ToString());
        if (times > 1)
        {
            output.WriteLine($"first call: {Milliseconds(first)} (compilation and instantiation included)");
            output.WriteLine($"best of {times}: {Milliseconds(best)}");
            output.WriteLine($"engine warm-up: {Milliseconds(warmup)} (before the first call, not included)");
        }
    }

    private static string Milliseconds(TimeSpan time) => time.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture) + " ms";

    /// <summary>A command-line argument as a value of <paramref name="type"/>: decimal or 0x-hex integers, floats with nan/inf.</summary>
    internal static Value ParseValue(string text, Engine.ValueType type)
    {
        var invariant = CultureInfo.InvariantCulture;
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.StartsWith("-0x", StringComparison.OrdinalIgnoreCase);
        return type switch
        {
            Engine.ValueType.I32 => Value.FromI32(hex ? (int)ParseHex(text, 32) : text.StartsWith('-') ? int.Parse(text, invariant) : (int)uint.Parse(text, invariant)),
            Engine.ValueType.I64 => Value.FromI64(hex ? (long)ParseHex(text, 64) : text.StartsWith('-') ? long.Parse(text, invariant) : (long)ulong.Parse(text, invariant)),
            Engine.ValueType.F32 => Value.FromF32(float.Parse(NormalizeFloat(text), NumberStyles.Float, invariant)),
            Engine.ValueType.F64 => Value.FromF64(double.Parse(NormalizeFloat(text), NumberStyles.Float, invariant)),
            Engine.ValueType.V128 => ParseV128(text),
            _ => throw new ArgumentException($"cannot pass a {type.ToWat()} on the command line"),
        };
    }

    // A v128 argument: 32 hex digits in memory order, or any v128 text form (v128:HEX, i32x4:1,2,3,4, ...).
    private static Value ParseV128(string text)
    {
        var parsed = V1.Value.Parse(text.Contains(':') ? text : "v128:" + text);
        if (parsed.KindCase != V1.Value.KindOneofCase.V128) throw new FormatException($"'{text}' is not a v128");
        return Value.FromV128(parsed.V128.Span);
    }

    private static ulong ParseHex(string text, int bits)
    {
        var negative = text.StartsWith('-');
        var magnitude = ulong.Parse(text.AsSpan(negative ? 3 : 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        if (bits == 32 && magnitude > uint.MaxValue) throw new OverflowException($"'{text}' does not fit in 32 bits");
        return negative ? 0 - magnitude : magnitude;
    }

    private static string NormalizeFloat(string text) => text.ToLowerInvariant() switch
    {
        "nan" or "+nan" => "NaN",
        "-nan" => "NaN",
        "inf" or "+inf" or "infinity" => "Infinity",
        "-inf" or "-infinity" => "-Infinity",
        _ => text,
    };
}
