using System.Reflection;

namespace Sandbox.Interop.Tests.Infrastructure;

/// <summary>Facts about where the tests run.</summary>
internal static class TestEnvironment
{
    /// <summary>
    /// True under CI (<c>CI=true</c>), where a missing interop client is a failure, not a skip:
    /// the point of the suite is that it runs there.
    /// </summary>
    public static bool IsCi { get; } =
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// tests/Sandbox.Interop.Tests in the source tree, recorded at build time: the clients and
    /// their installed packages live there, not in the build output.
    /// </summary>
    public static string ProjectDirectory { get; } =
        typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "InteropProjectDirectory").Value!;
}
