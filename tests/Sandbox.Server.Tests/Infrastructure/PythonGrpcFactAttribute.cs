using System.Diagnostics;

namespace Sandbox.Server.Tests.Infrastructure;

/// <summary>
/// A fact that needs Debian's Python gRPC (<c>/usr/bin/python3</c> with grpcio and grpc_tools).
/// Without it the test is skipped with an install hint, except when <c>CI=true</c>: there a
/// missing tool must fail the run, not hide it.
/// </summary>
public sealed class PythonGrpcFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(Probe);

    public PythonGrpcFactAttribute()
    {
        if (!Available.Value && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "Needs Python gRPC: apt-get install python3-grpcio python3-grpc-tools";
        }
    }

    private static bool Probe()
    {
        if (!File.Exists(Python))
        {
            return false;
        }
        using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import grpc, grpc_tools.protoc"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        process.WaitForExit(30_000);
        return process.HasExited && process.ExitCode == 0;
    }
}
