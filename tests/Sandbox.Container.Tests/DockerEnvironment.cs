using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Sandbox.Container.Tests;

/// <summary>
/// What the container tests need from this machine, and the Testcontainers settings it needs:
/// Debian's dockerd 20.10 speaks Docker API 1.41 (Testcontainers 4.16 asks for 1.44 unless told),
/// and no registry is reachable for the Ryuk reaper's image, so the tests clean up themselves.
/// </summary>
internal static class DockerEnvironment
{
    /// <summary>The repository the tests were built from (the Dockerfile's context).</summary>
    public static string RepositoryRoot { get; } = Path.GetFullPath(typeof(DockerEnvironment).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!);

    /// <summary>True under CI, where a missing engine is a failure rather than a skip.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static readonly Lazy<string?> Unavailable = new(Probe);

    /// <summary>Why no Docker engine can be used here, or null when one answers.</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    // Before Testcontainers reads its settings (they are static): an explicit value wins.
    [ModuleInitializer]
    internal static void SetDefaults()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_API_VERSION") is null) Environment.SetEnvironmentVariable("DOCKER_API_VERSION", "1.41");
        if (Environment.GetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED") is null) Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
    }

    private static string? Probe()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = docker.StandardOutput.ReadToEnd() + docker.StandardError.ReadToEnd();
            if (!docker.WaitForExit(30_000)) return "`docker info` did not answer in 30 s";
            return docker.ExitCode == 0 ? null : $"no Docker engine answers ({output.Trim()}); start dockerd (apt-get install docker.io)";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"no docker command ({e.Message}); apt-get install docker.io";
        }
    }
}

/// <summary>A test that needs a Docker engine: skipped with the reason without one, except under CI=true, where it runs and fails.</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (!DockerEnvironment.InCi && DockerEnvironment.WhyUnavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
