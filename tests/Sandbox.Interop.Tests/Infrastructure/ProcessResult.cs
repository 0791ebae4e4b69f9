using System.Text;

namespace Sandbox.Interop.Tests.Infrastructure;

/// <summary>How an external process ended and what it printed.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, bool TimedOut, TimeSpan Duration, string StandardOutput, string StandardError)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>A report for a test's output: the command, the outcome, then both streams.</summary>
    public string Describe()
    {
        var outcome = TimedOut ? "killed after timeout" : $"exit code {ExitCode}";
        var text = new StringBuilder()
            .AppendLine($"$ {CommandLine}")
            .AppendLine($"{outcome} after {Duration.TotalSeconds:0.00} s")
            .AppendLine("--- stdout ---")
            .AppendLine(StandardOutput.TrimEnd())
            .AppendLine("--- stderr ---")
            .AppendLine(StandardError.TrimEnd());
        return text.ToString();
    }
}
