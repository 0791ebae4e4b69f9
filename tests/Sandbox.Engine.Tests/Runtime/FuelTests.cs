using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>Fuel metering (EngineOptions.ConsumeFuel): one unit per function entry and loop iteration.</summary>
public class FuelTests
{
    private const string Loops = """
        (module
          (func (export "spin") (loop (br 0)))
          (func (export "count") (param i32)
            (loop (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))
        """;

    private static Instance Metered() =>
        new Linker().Instantiate(Module.FromBytes(Wat.ToWasm(Loops), new EngineOptions { ConsumeFuel = true }));

    [WatFact]
    public void Invoke_InfiniteLoopWithFuel_TrapsOutOfFuel()
    {
        var trap = Assert.Throws<TrapException>(() => Metered().GetFunction("spin")!.Invoke(new CallOptions { Fuel = 10_000 }));

        Assert.Equal(TrapCode.OutOfFuel, trap.Code);
    }

    [WatTheory]
    [InlineData(99, true)]   // entry + 99 iterations = 100 units
    [InlineData(100, false)] // one unit short
    public void Invoke_LoopAtTheBudgetEdge_StopsExactlyWhereTheCostModelSays(int iterations, bool completes)
    {
        var count = Metered().GetFunction("count")!;
        var options = new CallOptions { Fuel = 100 };

        var exception = Record.Exception(() => count.Invoke(options, iterations));

        if (completes) Assert.Null(exception);
        else Assert.Equal(TrapCode.OutOfFuel, Assert.IsType<TrapException>(exception).Code);
    }

    [WatTheory]
    [InlineData(10, 11)] // entry + 10 iterations
    [InlineData(1, 2)]
    public void Invoke_WithUsage_ReportsTheFuelBurned(int iterations, long expected)
    {
        var usage = new CallUsage();

        Metered().GetFunction("count")!.Invoke(new CallOptions { Fuel = 1_000, Usage = usage }, iterations);

        Assert.Equal(expected, usage.FuelConsumed);
    }

    [WatFact]
    public void Invoke_OutOfFuelWithUsage_ReportsTheWholeBudget()
    {
        var usage = new CallUsage();

        Assert.Throws<TrapException>(() => Metered().GetFunction("spin")!.Invoke(new CallOptions { Fuel = 500, Usage = usage }));

        Assert.Equal(500, usage.FuelConsumed);
    }

    [WatFact]
    public void Invoke_FuelOnUnmeteredModule_ThrowsInsteadOfIgnoringTheBudget()
    {
        var spin = Wat.Instantiate(Loops).GetFunction("spin")!;

        Assert.Throws<InvalidOperationException>(() => spin.Invoke(new CallOptions { Fuel = 10 }));
    }
}
