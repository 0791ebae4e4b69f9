using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>Tables of references from host and guest: funcref identity, growth, host-set elements.</summary>
public class TableTests
{
    [WatFact]
    public void Invoke_CallIndirectThroughHostSetElement_CallsThatFunction()
    {
        var instance = Wat.Instantiate("""
            (module
              (type $unary (func (param i32) (result i32)))
              (table (export "table") 2 funcref)
              (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
              (func (export "call") (param i32 i32) (result i32) (call_indirect (type $unary) (local.get 1) (local.get 0))))
            """);
        var table = instance.GetTable("table")!;
        table[1] = instance.GetFunction("double");

        var result = instance.GetFunction("call")!.Invoke(1, 21);

        Assert.Equal(42, result[0].AsI32());
    }

    [WatFact]
    public void Invoke_RefFuncOfExport_IsTheSameFunctionObject()
    {
        var instance = Wat.Instantiate("""
            (module
              (func $f (export "f"))
              (elem declare func $f)
              (func (export "get") (result funcref) (ref.func $f)))
            """);

        var reference = instance.GetFunction("get")!.Invoke()[0].Reference;

        Assert.Same(instance.GetFunction("f"), reference);
    }

    [Fact]
    public void Grow_PastMaximum_ReturnsMinusOne()
    {
        var table = new Table(new TableType(ValueType.ExternRef, new Limits(1, 2)), initial: "x");

        Assert.Equal(1, table.Grow(1, "y"));
        Assert.Equal(-1, table.Grow(1));
        Assert.Equal(["x", "y"], new[] { table[0], table[1] });
    }

    [Fact]
    public void Indexer_NonFunctionInFuncrefTable_Throws()
    {
        var table = new Table(new TableType(ValueType.FuncRef, new Limits(1, null)));

        Assert.Throws<ArgumentException>(() => table[0] = "not a function");
    }
}
