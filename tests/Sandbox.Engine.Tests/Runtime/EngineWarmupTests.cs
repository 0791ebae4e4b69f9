namespace Sandbox.Engine.Tests.Runtime;

public class EngineWarmupTests
{
    [Fact]
    public void Run_BuiltInModule_ComputesItsChecksumAndReportsTime()
    {
        // Run throws when the built-in module's result is wrong, so this exercises the whole pipeline.
        var elapsed = EngineWarmup.Run();

        Assert.True(elapsed > TimeSpan.Zero);
    }
}
