using System.Diagnostics;

namespace Sandbox.Engine.Tests.Hostile;

/// <summary>Runs <see cref="ChildProgram"/> in a child process and collects how it ended.</summary>
public static class ChildRunner
{
    public sealed record Outcome(int ExitCode, string Output, string Errors);

    public static Outcome Run(params string[] args)
    {
        // The SDK's test command says which dotnet host it runs; otherwise the one on PATH.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host, [typeof(ChildProgram).Assembly.Location, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"child {string.Join(' ', args)} did not finish in 2 minutes");
        }
        return new Outcome(process.ExitCode, output.Trim(), errors.Result.Trim());
    }
}
