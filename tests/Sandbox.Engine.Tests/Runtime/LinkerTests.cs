using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>Import resolution by (module, name), and link errors that name the import and the mismatch.</summary>
public class LinkerTests
{
    private static readonly FuncType I32ToVoid = new([ValueType.I32], []);

    [WatFact]
    public void Instantiate_FunctionImportGivenMemory_ErrorNamesImportAndKinds()
    {
        var module = Module.FromBytes(Wat.ToWasm("""(module (import "env" "log" (func (param i32))))"""));
        var linker = new Linker().Define("env", "log", new Memory(new MemoryType(new Limits(1, 1))));

        var error = Assert.Throws<LinkException>(() => linker.Instantiate(module));

        Assert.Equal("incompatible import type: import env.log: function import requires a callable, found memory", error.Message);
    }

    [WatFact]
    public void Instantiate_MissingImport_ErrorSaysUnknownImport()
    {
        var module = Module.FromBytes(Wat.ToWasm("""(module (import "env" "log" (func (param i32))))"""));

        var error = Assert.Throws<LinkException>(() => new Linker().Instantiate(module));

        Assert.Equal("unknown import: env.log has not been defined", error.Message);
    }

    [WatFact]
    public void Instantiate_FunctionOfOtherType_ErrorShowsBothTypes()
    {
        var module = Module.FromBytes(Wat.ToWasm("""(module (import "env" "log" (func (param i32))))"""));
        var linker = new Linker().DefineFunction("env", "log", new FuncType([ValueType.I64], []), (_, _) => { });

        var error = Assert.Throws<LinkException>(() => linker.Instantiate(module));

        Assert.Equal("incompatible import type: import env.log: expected function type (func (param i32)), found (func (param i64))", error.Message);
    }

    [WatFact]
    public void Instantiate_MemoryWithLargerMaximum_IsIncompatible()
    {
        var module = Module.FromBytes(Wat.ToWasm("""(module (import "env" "memory" (memory 1 2)))"""));
        var linker = new Linker().Define("env", "memory", new Memory(new MemoryType(new Limits(1, 3))));

        var error = Assert.Throws<LinkException>(() => linker.Instantiate(module));

        Assert.StartsWith("incompatible import type: import env.memory: expected a maximum of at most 2 pages", error.Message);
    }

    [WatFact]
    public void Instantiate_ImportFromRegisteredInstance_SharesMemoryAndMutableGlobal()
    {
        var provider = Wat.Instantiate("""
            (module
              (memory (export "memory") 1)
              (global (export "counter") (mut i32) (i32.const 0)))
            """);
        var linker = new Linker().DefineInstance("env", provider);
        var main = linker.Instantiate(Module.FromBytes(Wat.ToWasm("""
            (module
              (import "env" "memory" (memory 1))
              (import "env" "counter" (global $counter (mut i32)))
              (func (export "bump") (result i32)
                (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
                (i32.store (i32.const 8) (i32.const 0x01020304))
                (global.get $counter)))
            """)));

        main.GetFunction("bump")!.Invoke();
        var second = main.GetFunction("bump")!.Invoke();

        Assert.Equal(2, second[0].AsI32());
        Assert.Equal(2, provider.GetGlobal("counter")!.Value.AsI32());
        Assert.Equal(0x01020304, provider.GetMemory("memory")!.ReadInt32(8));
    }

    [WatFact]
    public void Invoke_HostFunctionImport_ReceivesArgumentsAndReturnsResults()
    {
        var seen = new List<int>();
        var linker = new Linker()
            .DefineFunction("env", "log", I32ToVoid, (arguments, _) => seen.Add(arguments[0].AsI32()))
            .DefineFunction("env", "twice", new FuncType([ValueType.I64], [ValueType.I64, ValueType.I64]), (arguments, results) =>
            {
                results[0] = Value.FromI64(arguments[0].AsI64() * 2);
                results[1] = Value.FromI64(arguments[0].AsI64() * 3);
            });
        var instance = linker.Instantiate(Module.FromBytes(Wat.ToWasm("""
            (module
              (import "env" "log" (func $log (param i32)))
              (import "env" "twice" (func $twice (param i64) (result i64 i64)))
              (func (export "run") (result i64)
                (call $log (i32.const 7))
                (call $log (i32.const 9))
                (i64.sub (call $twice (i64.const 10)))))
            """)));

        var result = instance.GetFunction("run")!.Invoke();

        Assert.Equal([7, 9], seen);
        Assert.Equal(20L - 30L, result[0].AsI64());
    }
}
