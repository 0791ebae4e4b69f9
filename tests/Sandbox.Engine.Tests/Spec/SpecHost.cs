namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// The <c>spectest</c> host module the scripts import (WebAssembly/spec interpreter/host/spectest.ml):
/// <c>print*</c> functions that do nothing, globals of 666 / 666.6, a 10..20 funcref table and a
/// 1..2 page memory.
/// </summary>
public static class SpecHost
{
    public static Linker CreateLinker()
    {
        var linker = new Linker();
        void Print(string name, params ValueType[] parameters) =>
            linker.DefineFunction("spectest", name, new FuncType(parameters, []), static (_, _) => { });
        Print("print");
        Print("print_i32", ValueType.I32);
        Print("print_i64", ValueType.I64);
        Print("print_f32", ValueType.F32);
        Print("print_f64", ValueType.F64);
        Print("print_i32_f32", ValueType.I32, ValueType.F32);
        Print("print_f64_f64", ValueType.F64, ValueType.F64);
        linker.Define("spectest", "global_i32", new Global(new GlobalType(ValueType.I32, false), Value.FromI32(666)));
        linker.Define("spectest", "global_i64", new Global(new GlobalType(ValueType.I64, false), Value.FromI64(666)));
        linker.Define("spectest", "global_f32", new Global(new GlobalType(ValueType.F32, false), Value.FromF32(666.6f)));
        linker.Define("spectest", "global_f64", new Global(new GlobalType(ValueType.F64, false), Value.FromF64(666.6)));
        linker.Define("spectest", "table", new Table(new TableType(ValueType.FuncRef, new Limits(10, 20))));
        linker.Define("spectest", "memory", new Memory(new MemoryType(new Limits(1, 2))));
        // The threads testsuite's spectest also has a shared memory (interpreter/host/spectest.ml).
        linker.Define("spectest", "shared_memory", new Memory(new MemoryType(new Limits(1, 2), Shared: true)));
        return linker;
    }
}

/// <summary>The host value standing for <c>(ref.extern N)</c> in scripts; equal numbers are equal references.</summary>
public sealed record ExternHandle(ulong Number);
