namespace Sandbox.Server.Tests.Infrastructure;

/// <summary>Files of the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The <c>protos</c> directory: the first ancestor of the test binaries that has <c>protos/sandbox/v1/sandbox.proto</c>.</summary>
    public static string Protos { get; } = FindProtos();

    private static string FindProtos()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var protos = Path.Combine(directory.FullName, "protos");
            if (File.Exists(Path.Combine(protos, "sandbox", "v1", "sandbox.proto")))
            {
                return protos;
            }
        }
        throw new DirectoryNotFoundException($"No protos/sandbox/v1/sandbox.proto above {AppContext.BaseDirectory}.");
    }
}
