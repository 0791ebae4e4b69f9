using Sandbox.Engine;

namespace Sandbox.Fuzz.Tests.Execution;

/// <summary>Runs a module in our engine and writes its <see cref="Trace"/>.</summary>
public static class SandboxRunner
{
    public static Trace Run(byte[] wasm, TimeSpan callTimeout, EngineOptions? engineOptions = null) =>
        // Decoding and validation errors propagate: the generator only writes valid modules, so a
        // rejection is itself a finding, reported by the caller.
        Run(Module.FromBytes(wasm, engineOptions), callTimeout);

    /// <param name="stubs">The module's own imports stubbed (a mutated module); null for binaryen's fuzzing-support imports.</param>
    public static Trace Run(Module module, TimeSpan callTimeout, StubImports? stubs = null)
    {
        var trace = new Trace();
        var linker = new Linker();
        if (stubs is not null)
        {
            stubs.DefineIn(linker, trace);
        }
        else
        {
            foreach (var (name, type) in FuzzingImports.Logs)
            {
                var valueType = Parse(type);
                linker.DefineFunction(FuzzingImports.Module, name, new FuncType([valueType], []),
                    (arguments, _) => trace.Add("log " + Token(arguments[0])));
            }
        }

        var options = new CallOptions { Timeout = callTimeout };
        Instance instance;
        try
        {
            // The start function is bounded as a call is (a mutant's may loop forever).
            instance = linker.Instantiate(module, new InstanceOptions { StartOptions = options });
        }
        catch (TrapException trap) when (trap.Code is TrapCode.Interrupted or TrapCode.OutOfFuel)
        {
            trace.TimedOut = true;
            trace.Add("timeout");
            return trace;
        }
        catch (TrapException trap)
        {
            trace.Add("instantiate-trap " + TrapKinds.From(trap.Code));
            return trace;
        }
        using (instance)
        {
            trace.Add("instantiate");
            var hangLimit = instance.GetFunction(FuzzingImports.HangLimitInitializer);
            foreach (var export in module.Exports)
            {
                if (export.Name == FuzzingImports.HangLimitInitializer || instance.GetFunction(export.Name) is not { } function) continue;
                trace.Add("call " + export.Name);
                try
                {
                    hangLimit?.Invoke(options);
                    var arguments = new Value[function.Type.Parameters.Length];
                    for (var i = 0; i < arguments.Length; i++) arguments[i] = Value.Default(function.Type.Parameters[i]);
                    var results = function.Invoke(options, arguments);
                    trace.Add(Return(results));
                }
                catch (TrapException trap) when (trap.Code is TrapCode.Interrupted or TrapCode.OutOfFuel)
                {
                    trace.TimedOut = true;
                    trace.Add("timeout");
                    return trace;
                }
                catch (TrapException trap)
                {
                    trace.Add("trap " + TrapKinds.From(trap.Code));
                }
            }
            foreach (var (name, item) in instance.Exports)
            {
                if (item is Memory memory) trace.AddMemory(name, memory.GetSpan(0, checked((int)memory.ByteLength)));
            }
        }
        return trace;
    }

    private static string Return(Value[] results)
    {
        var line = "return";
        foreach (var result in results) line += " " + Token(result);
        return line;
    }

    public static string Token(Value value) => value.Type switch
    {
        Sandbox.Engine.ValueType.I32 => Trace.I32((uint)value.Bits),
        Sandbox.Engine.ValueType.I64 => Trace.I64(value.Bits),
        Sandbox.Engine.ValueType.F32 => Trace.F32((uint)value.Bits),
        Sandbox.Engine.ValueType.F64 => Trace.F64(value.Bits),
        Sandbox.Engine.ValueType.V128 => Trace.V128(System.Runtime.InteropServices.MemoryMarshal.AsBytes([value.AsV128()])),
        Sandbox.Engine.ValueType.FuncRef => Trace.Reference("funcref", value.IsNullReference),
        Sandbox.Engine.ValueType.ExternRef => Trace.Reference("externref", value.IsNullReference),
        _ => "unknown:" + value.Type,
    };

    private static Sandbox.Engine.ValueType Parse(string type) => type switch
    {
        "i32" => Sandbox.Engine.ValueType.I32,
        "i64" => Sandbox.Engine.ValueType.I64,
        "f32" => Sandbox.Engine.ValueType.F32,
        "f64" => Sandbox.Engine.ValueType.F64,
        "v128" => Sandbox.Engine.ValueType.V128,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
