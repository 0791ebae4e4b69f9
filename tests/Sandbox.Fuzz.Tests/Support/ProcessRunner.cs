using System.Diagnostics;

namespace Sandbox.Fuzz.Tests.Support;

/// <summary>Runs a tool with a deadline and collects its output; a tool that outlives the
/// deadline is killed (with its children) and reported as timed out, never waited on forever.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError, bool TimedOut);

    public static Result Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? standardInput = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {fileName}");
        // Read both pipes concurrently: a child filling one pipe while we block on the other would hang.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new Result(-1, stdout.Result, stderr.Result, TimedOut: true);
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result, TimedOut: false);
    }
}
