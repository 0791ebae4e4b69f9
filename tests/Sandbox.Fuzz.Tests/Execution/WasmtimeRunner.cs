using Wasmtime;

namespace Sandbox.Fuzz.Tests.Execution;

/// <summary>
/// Runs a module in Wasmtime 50.0.1 (Cranelift) and writes its <see cref="Trace"/>, and answers
/// whether Wasmtime accepts a module, with its features set to ours (see <see cref="CreateConfig"/>).
/// </summary>
public sealed class WasmtimeRunner : IDisposable
{
    private readonly Wasmtime.Engine engine;

    public WasmtimeRunner()
    {
        using var config = CreateConfig();
        engine = new Wasmtime.Engine(config);
    }

    /// <summary>
    /// WebAssembly 2.0 as our engine implements it: SIMD, bulk memory, reference types and
    /// multi-value on; the later proposals Wasmtime enables by default off where the C API lets
    /// them be turned off (threads, tail calls, multi-memory, GC, typed function references,
    /// exceptions, relaxed SIMD, wide arithmetic). Fuel bounds every call.
    /// </summary>
    public static Config CreateConfig() => new Config()
        .WithFuelConsumption(true)
        .WithSIMD(true)
        .WithBulkMemory(true)
        .WithReferenceTypes(true)
        .WithMultiValue(true)
        .WithWasmThreads(false)
        .WithTailCalls(false)
        .WithMultiMemory(false)
        .WithGc(false)
        .WithFunctionReferences(false)
        .WithExceptions(false)
        .WithRelaxedSIMD(false, false)
        .WithWideArithmetic(false);

    /// <summary>Null when Wasmtime decodes and validates <paramref name="wasm"/>; its error otherwise.</summary>
    public string? Validate(byte[] wasm) => Wasmtime.Module.Validate(engine, wasm);

    /// <param name="stubs">The module's own imports stubbed (a mutated module); null for binaryen's fuzzing-support imports.</param>
    /// <param name="fuel">Fuel per call (and for the start function); the default is the generated modules' bound.</param>
    public Trace Run(byte[] wasm, StubImports? stubs = null, ulong fuel = FuzzSettingsFuel)
    {
        var trace = new Trace();
        using var module = Wasmtime.Module.FromBytes(engine, "fuzz", wasm);
        using var store = new Store(engine);
        using var linker = new Linker(engine);
        if (stubs is not null) stubs.DefineIn(linker, store, trace);
        else DefineLogs(linker, trace);

        store.Fuel = fuel;
        Instance instance;
        try
        {
            instance = linker.Instantiate(store, module);
        }
        catch (TrapException trap)
        {
            if (trap.Type == Wasmtime.TrapCode.OutOfFuel) return TimedOut(trace);
            trace.Add("instantiate-trap " + TrapKinds.From(trap.Type));
            return trace;
        }
        trace.Add("instantiate");
        var hangLimit = instance.GetFunction(FuzzingImports.HangLimitInitializer);
        foreach (var export in module.Exports)
        {
            if (export is not FunctionExport signature || export.Name == FuzzingImports.HangLimitInitializer) continue;
            var function = instance.GetFunction(export.Name)!;
            trace.Add("call " + export.Name);
            store.Fuel = fuel;
            try
            {
                hangLimit?.Invoke();
                var arguments = new ValueBox[signature.Parameters.Count];
                for (var i = 0; i < arguments.Length; i++) arguments[i] = Zero(signature.Parameters[i]);
                var result = function.Invoke(arguments);
                trace.Add(Return(signature.Results, result));
            }
            catch (TrapException trap) when (trap.Type == Wasmtime.TrapCode.OutOfFuel)
            {
                return TimedOut(trace);
            }
            catch (TrapException trap)
            {
                trace.Add("trap " + TrapKinds.From(trap.Type));
            }
        }
        foreach (var export in module.Exports)
        {
            if (export is MemoryExport && instance.GetMemory(export.Name) is { } memory)
            {
                trace.AddMemory(export.Name, memory.GetSpan(0, checked((int)memory.GetLength())));
            }
        }
        return trace;
    }

    // binaryen's fuzzing-support imports, each writing its one value to the trace.
    private static void DefineLogs(Linker linker, Trace trace)
    {
        foreach (var (name, type) in FuzzingImports.Logs)
        {
            var kind = type switch
            {
                "i32" => ValueKind.Int32,
                "i64" => ValueKind.Int64,
                "f32" => ValueKind.Float32,
                "f64" => ValueKind.Float64,
                _ => ValueKind.V128,
            };
            linker.DefineFunction(FuzzingImports.Module, name, (Caller _, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> _) =>
                trace.Add("log " + kind switch
                {
                    ValueKind.Int32 => Trace.I32((uint)arguments[0].AsInt32()),
                    ValueKind.Int64 => Trace.I64((ulong)arguments[0].AsInt64()),
                    ValueKind.Float32 => Trace.F32(BitConverter.SingleToUInt32Bits(arguments[0].AsSingle())),
                    ValueKind.Float64 => Trace.F64(BitConverter.DoubleToUInt64Bits(arguments[0].AsDouble())),
                    _ => Trace.V128(arguments[0].AsV128().AsSpan()),
                }), [kind], []);
        }
    }

    /// <summary>The export plan node/run.mjs needs (signatures in text names), from Wasmtime's decoder.</summary>
    public NodeRunner.Plan Plan(byte[] wasm)
    {
        using var module = Wasmtime.Module.FromBytes(engine, "fuzz", wasm);
        var plan = new NodeRunner.Plan([], []);
        foreach (var export in module.Exports)
        {
            if (export is FunctionExport function)
            {
                plan.Exports.Add(new NodeRunner.PlanExport(export.Name, Names(function.Parameters), Names(function.Results)));
            }
            else if (export is MemoryExport)
            {
                plan.Memories.Add(export.Name);
            }
        }
        return plan;
    }

    private static string[] Names(IReadOnlyList<ValueKind> kinds)
    {
        var names = new string[kinds.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = kinds[i] switch
            {
                ValueKind.Int32 => "i32",
                ValueKind.Int64 => "i64",
                ValueKind.Float32 => "f32",
                ValueKind.Float64 => "f64",
                ValueKind.V128 => "v128",
                ValueKind.FuncRef => "funcref",
                ValueKind.ExternRef => "externref",
                _ => kinds[i].ToString(),
            };
        }
        return names;
    }

    private const ulong FuzzSettingsFuel = Support.FuzzSettings.WasmtimeFuelPerCall;

    private static Trace TimedOut(Trace trace)
    {
        trace.TimedOut = true;
        trace.Add("timeout");
        return trace;
    }

    internal static ValueBox Zero(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => 0,
        ValueKind.Int64 => 0L,
        ValueKind.Float32 => 0f,
        ValueKind.Float64 => 0d,
        ValueKind.V128 => new V128(new byte[16]),
        ValueKind.FuncRef => Function.Null,
        _ => ValueBox.AsBox<object>(null),
    };

    private static string Return(IReadOnlyList<ValueKind> kinds, object? result)
    {
        if (kinds.Count == 0) return "return";
        if (kinds.Count == 1) return "return " + Token(kinds[0], result);
        var values = (object?[])result!;
        var line = "return";
        for (var i = 0; i < kinds.Count; i++) line += " " + Token(kinds[i], values[i]);
        return line;
    }

    private static string Token(ValueKind kind, object? value) => kind switch
    {
        ValueKind.Int32 => Trace.I32((uint)(int)value!),
        ValueKind.Int64 => Trace.I64((ulong)(long)value!),
        ValueKind.Float32 => Trace.F32(BitConverter.SingleToUInt32Bits((float)value!)),
        ValueKind.Float64 => Trace.F64(BitConverter.DoubleToUInt64Bits((double)value!)),
        ValueKind.V128 => Trace.V128(((V128)value!).AsSpan()),
        ValueKind.FuncRef => Trace.Reference("funcref", value is null || (value is Function f && f.IsNull)),
        ValueKind.ExternRef => Trace.Reference("externref", value is null),
        _ => "unknown:" + kind,
    };

    public void Dispose() => engine.Dispose();
}
