namespace Sandbox.Engine.Tests.Spec;

/// <summary>What <see cref="SpecExecutionRunner"/> found in one script: commands passed, failed and skipped.</summary>
public sealed class SpecExecutionResult(string script)
{
    public string Script { get; } = script;

    public int Passed { get; set; }

    /// <summary>Commands that did not do what the script says, as "line N: what happened".</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Commands not run, as "line N: why" (text-format modules, which a binary engine does not read).</summary>
    public List<string> Skips { get; } = [];

    public int Total => Passed + Failures.Count;

    public override string ToString() => $"{Script,-32} {Passed,6}/{Total,-6} failed {Failures.Count,4}  skipped {Skips.Count,4}";
}
