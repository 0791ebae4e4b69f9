using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sandbox.Cli.Internal;
using Sandbox.Engine;
using Sandbox.Engine.Validation;
using Sandbox.Engine.Wasi;

namespace Sandbox.Cli.Commands;

/// <summary>
/// <c>sandbox run [--dir HOST[::GUEST]]... [--env NAME=VALUE]... [--preload NAME=FILE]...
/// [--timeout T] [--invoke NAME [--repeat N]] FILE.wasm [ARGS...]</c>: runs a module in this
/// process with the engine, no server, as <c>wasmtime run</c> does. A WASI command runs
/// <c>_start</c> with FILE as argv[0] and ARGS after it, stdin, stdout and stderr passed through,
/// and the process exits with the guest's exit code. With <c>--invoke NAME</c> the export NAME is
/// called instead (after <c>_initialize</c> for a reactor), ARGS read by its parameter types and
/// its results printed one per line; <c>--repeat N</c> also prints the first call's time,
/// compilation included, and the best of N, the engine warmed up first (<see cref="EngineWarmup"/>).
/// </summary>
internal static class RunCommand
{
    // As wasmtime run: the threads proposal (shared memories, atomics) is on, so a provider's
    // shared memory preloaded as env can be used by the main module's atomics.
    private static readonly EngineOptions WithThreads = new() { Features = WasmFeatures.Threads };

    // The options taking a value, for finding where the module's path is (see SeparateGuestArguments).
    private static readonly string[] ValueOptions = ["--dir", "--env", "--preload", "--timeout", "--invoke", "--repeat"];

    // Where a guest's output goes when the command's writers are not the console (tests): captured, then written out.
    private const int CapturedOutputBytes = 64 << 20;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The .wasm module to run." };
        var arguments = new Argument<string[]>("args")
        {
            Description = "The guest's arguments (argv[1..]); with --invoke, the function's, read by its parameter types (42, -1, 0x10, 1.5, nan, inf; a v128 as 32 hex digits or i32x4:1,2,3,4).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var invoke = new Option<string?>("--invoke")
        {
            Description = "Call this export instead of running the WASI command (_start); a reactor's _initialize runs first.",
        };
        var repeat = new Option<int>("--repeat")
        {
            Description = "With --invoke: call the function N times; print the first call's time (compilation included) and the best.",
            DefaultValueFactory = _ => 1,
        };
        var preload = new Option<string[]>("--preload")
        {
            Description = "NAME=FILE: instantiate FILE first (with WASI) and make its exports importable as module NAME (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var dir = new Option<string[]>("--dir")
        {
            Description = "HOST[::GUEST]: give the guest the host directory HOST as GUEST (default the same path); nothing outside it is reachable (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var env = new Option<string[]>("--env")
        {
            Description = "NAME=VALUE: set an environment variable for the guest (repeatable); NAME alone passes the host's value.",
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = new Option<string?>("--timeout") { Description = "Interrupt the run (or each call) after this long (e.g. 500ms, 10s)." };
        var lanes = ValueArguments.CreateLanesOption();
        var command = new Command("run", "Runs a WebAssembly module in process with the engine (no server), as wasmtime run.")
        {
            file, arguments, invoke, repeat, preload, dir, env, timeout, lanes,
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
                var request = new Request(
                    parseResult.GetRequiredValue(file),
                    parseResult.GetValue(invoke),
                    parseResult.GetValue(arguments) ?? [],
                    parseResult.GetValue(preload) ?? [],
                    parseResult.GetValue(dir) ?? [],
                    parseResult.GetValue(env) ?? [],
                    Math.Max(1, parseResult.GetValue(repeat)),
                    new CallOptions { CancellationToken = cancellationToken, Timeout = limit },
                    parseResult.GetValue(lanes));
                return Task.FromResult(Run(request, output, error));
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

    /// <summary>
    /// For <c>run</c>, puts "--" after the module's path so that every token after it is the
    /// guest's even when it looks like an option (<c>sandbox run prog.wasm -v</c> gives
    /// <c>-v</c> to prog, as <c>wasmtime run</c> does). Other command lines are returned as they
    /// are, and so is one with <c>--invoke</c> anywhere: its earlier form
    /// <c>sandbox run FILE --invoke NAME ARGS --repeat N</c> (bench/sandbox/run.sh) keeps working.
    /// </summary>
    public static string[] SeparateGuestArguments(string[] args)
    {
        if (args.Length == 0 || args[0] != "run" || Array.IndexOf(args, "--invoke") >= 0) return args;
        for (var i = 1; i < args.Length; i++)
        {
            var token = args[i];
            if (token == "--") return args;
            if (token.StartsWith('-'))
            {
                if (Array.IndexOf(ValueOptions, token) >= 0) i++; // its value is the next token
                continue;
            }
            if (i == args.Length - 1) return args;
            return [.. args[..(i + 1)], "--", .. args[(i + 1)..]];
        }
        return args;
    }

    private sealed record Request(FileInfo File, string? Invoke, string[] Arguments, string[] Preloads, string[] Directories,
        string[] Environment, int Times, CallOptions Options, string? Lanes);

    private static int Run(Request request, TextWriter output, TextWriter error)
    {
        // The console's own streams pass through byte for byte; other writers (tests) get the
        // output captured and written out when the guest ends.
        var console = ReferenceEquals(output, Console.Out);
        var configuration = new WasiConfiguration
        {
            Arguments = request.Invoke is null ? [request.File.ToString(), .. request.Arguments] : [request.File.ToString()],
            Environment = ParseEnvironment(request.Environment),
            Preopens = ParseDirectories(request.Directories),
            Stdin = console ? WasiInput.FromStream(Console.OpenStandardInput()) : WasiInput.Empty,
            Stdout = console ? WasiOutput.ToStream(Console.OpenStandardOutput()) : WasiOutput.Capture(CapturedOutputBytes),
            Stderr = console ? WasiOutput.ToStream(Console.OpenStandardError()) : WasiOutput.Capture(CapturedOutputBytes),
        };
        using var context = new WasiContext(configuration);
        try
        {
            return Run(request, context, output);
        }
        catch (TrapException trap) when (WasiExitException.TryGetExitCode(trap, out var code))
        {
            // proc_exit from a start function, _initialize or an invoked export.
            return code;
        }
        finally
        {
            if (!console) CopyCaptured(context.Result(0), output, error);
        }
    }

    private static int Run(Request request, WasiContext context, TextWriter output)
    {
        var linker = new Linker();
        // --timeout and Ctrl+C stop a start function that never returns, as they stop the call.
        var instanceOptions = new InstanceOptions { StartOptions = request.Options };
        foreach (var preload in request.Preloads)
        {
            var separator = preload.IndexOf('=');
            if (separator <= 0) throw new ArgumentException($"--preload '{preload}': write NAME=FILE");
            var provider = context.Instantiate(linker, Module.FromFile(preload[(separator + 1)..], WithThreads), instanceOptions);
            context.Initialize(provider, request.Options);
            linker.DefineInstance(preload[..separator], provider);
        }

        // When timing, start the engine first (JIT-compile its own code), as V8 is started before
        // node times a first call; the warm-up time is printed apart.
        var warmup = request.Times > 1 ? EngineWarmup.Run() : TimeSpan.Zero;
        var stopwatch = Stopwatch.StartNew();
        var instance = context.Instantiate(linker, Module.FromFile(request.File.FullName, WithThreads), instanceOptions);
        if (request.Invoke is null)
        {
            if (instance.GetFunction("_start") is null)
            {
                throw new ArgumentException(instance.GetFunction("_initialize") is null
                    ? "the module exports no _start: name a function with --invoke"
                    : "the module is a reactor (it exports _initialize, no _start): name a function with --invoke");
            }
            return context.Run(instance, request.Options).ExitCode;
        }

        context.Initialize(instance, request.Options);
        var name = request.Invoke;
        var function = instance.GetFunction(name) ?? throw new ArgumentException($"the module exports no function named '{name}'");
        var parameters = function.Type.Parameters;
        if (request.Arguments.Length != parameters.Length)
        {
            throw new ArgumentException($"{name} takes {parameters.Length} arguments {function.Type}, {request.Arguments.Length} given");
        }
        var values = new Value[parameters.Length];
        for (var i = 0; i < values.Length; i++) values[i] = ParseValue(request.Arguments[i], parameters[i]);
        var results = new Value[function.Type.Results.Length];

        function.Invoke(values, results, request.Options);
        var first = stopwatch.Elapsed;
        var best = first;
        for (var i = 1; i < request.Times; i++)
        {
            stopwatch.Restart();
            function.Invoke(values, results, request.Options);
            if (stopwatch.Elapsed < best) best = stopwatch.Elapsed;
        }

        foreach (var result in results)
        {
            output.WriteLine(request.Lanes is not null && result.Type == Engine.ValueType.V128 ? V1.Value.FromV128(result.AsV128()).ToLaneText(request.Lanes) : result.ToString());
        }
        if (request.Times > 1)
        {
            output.WriteLine($"first call: {Milliseconds(first)} (compilation and instantiation included)");
            output.WriteLine($"best of {request.Times}: {Milliseconds(best)}");
            output.WriteLine($"engine warm-up: {Milliseconds(warmup)} (before the first call, not included)");
        }
        return 0;
    }

    private static void CopyCaptured(WasiResult result, TextWriter output, TextWriter error)
    {
        if (!result.Stdout.IsEmpty) output.Write(Encoding.UTF8.GetString(result.Stdout.Span));
        if (!result.Stderr.IsEmpty) error.Write(Encoding.UTF8.GetString(result.Stderr.Span));
        if (result.StdoutTruncated || result.StderrTruncated) error.WriteLine($"warning: guest output past {CapturedOutputBytes} bytes was dropped");
    }

    /// <summary>--dir HOST[::GUEST] (wasmtime's syntax): the guest name defaults to HOST as written.</summary>
    internal static IReadOnlyList<WasiPreopen> ParseDirectories(string[] directories)
    {
        var preopens = new List<WasiPreopen>();
        foreach (var text in directories)
        {
            var separator = text.IndexOf("::", StringComparison.Ordinal);
            var host = separator < 0 ? text : text[..separator];
            var guest = separator < 0 ? text : text[(separator + 2)..];
            if (host.Length == 0 || guest.Length == 0) throw new ArgumentException($"--dir '{text}': write HOST or HOST::GUEST");
            if (!Directory.Exists(host)) throw new ArgumentException($"--dir '{text}': no directory '{host}'");
            preopens.Add(new WasiPreopen(guest, new HostFileSystem(host)));
        }
        return preopens;
    }

    /// <summary>--env NAME=VALUE, or NAME alone for the host's value (as wasmtime).</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> ParseEnvironment(string[] variables)
    {
        var environment = new List<KeyValuePair<string, string>>();
        foreach (var text in variables)
        {
            var separator = text.IndexOf('=');
            if (separator == 0) throw new ArgumentException($"--env '{text}': write NAME=VALUE");
            var name = separator < 0 ? text : text[..separator];
            var value = separator < 0 ? System.Environment.GetEnvironmentVariable(name) ?? "" : text[(separator + 1)..];
            environment.Add(KeyValuePair.Create(name, value));
        }
        return environment;
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
