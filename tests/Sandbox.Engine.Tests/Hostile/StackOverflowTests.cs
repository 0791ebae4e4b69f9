namespace Sandbox.Engine.Tests.Hostile;

/// <summary>
/// Issue 13 item 1: no module overflows the native stack, whatever its frame. Each scenario runs
/// in a child process, so a regression shows as a failed test (the child's "Stack overflow." and
/// exit code) rather than a dead test run.
/// </summary>
public class StackOverflowTests
{
    public static TheoryData<string> Scenarios => new(StackScenarios.All.Keys);

    [Fact]
    public void Invoke_ThirtyThousandI64LocalsRecursing_TrapsInsteadOfKillingTheProcess()
    {
        Assert.InRange(StackScenarios.Repro().Length, 1, 57); // the module was 57 bytes with its names

        var outcome = ChildRunner.Run("stack", "repro-30000-i64-locals");

        Assert.True(outcome.ExitCode == 0, $"exit {outcome.ExitCode}: {outcome.Errors}");
        Assert.Equal(StackScenarios.Exhausted, outcome.Output);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Invoke_RecursionOfFrameShape_TrapsCallStackExhausted(string scenario)
    {
        var outcome = ChildRunner.Run("stack", scenario);

        Assert.True(outcome.ExitCode == 0, $"exit {outcome.ExitCode}: {outcome.Errors}");
        Assert.Equal(StackScenarios.Exhausted, outcome.Output);
    }
}
