using Sandbox.Interop.Tests.Infrastructure;

namespace Sandbox.Interop.Tests.Clients;

/// <summary>
/// <c>node/interop_client.js</c> on @grpc/grpc-js and @grpc/proto-loader, pinned by
/// <c>node/package-lock.json</c> and installed with <c>npm ci</c> into <c>node/node_modules</c>.
/// </summary>
public sealed class NodeInteropClient : InteropClient
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static NodeInteropClient Instance { get; } = new();

    private NodeInteropClient()
    {
    }

    public override string Name => "node grpc-js";

    /// <summary>tests/Sandbox.Interop.Tests/node.</summary>
    public static string ClientDirectory { get; } = Path.Combine(TestEnvironment.ProjectDirectory, "node");

    protected override string Executable => "node";

    protected override IReadOnlyList<string> ScriptArguments => [Path.Combine(ClientDirectory, "interop_client.js")];

    protected override string WorkingDirectory => ClientDirectory;

    private static bool PackagesInstalled =>
        File.Exists(Path.Combine(ClientDirectory, "node_modules", "@grpc", "grpc-js", "package.json"))
        && File.Exists(Path.Combine(ClientDirectory, "node_modules", "@grpc", "proto-loader", "package.json"));

    protected override string? FindMissing()
    {
        if (Probe("node", "--version") is not { Succeeded: true })
        {
            return "node is not installed; install it with: sudo apt-get install nodejs npm";
        }
        if (Probe("npm", "--version") is not { Succeeded: true })
        {
            return "npm is not installed; install it with: sudo apt-get install npm";
        }
        if (!PackagesInstalled)
        {
            // Outside CI a plain test run does not reach for the network; under CI PrepareAsync installs them.
            return $"@grpc/grpc-js is not installed; run: npm ci --prefix {ClientDirectory}";
        }
        return null;
    }

    /// <summary>Runs <c>npm ci</c> once when node_modules is missing (the CI path).</summary>
    protected override async Task PrepareAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (PackagesInstalled)
            {
                return;
            }
            var install = await ExternalProcess.RunAsync(
                "npm", ["ci", "--no-audit", "--no-fund"], ClientDirectory, TimeSpan.FromMinutes(5));
            if (!install.Succeeded)
            {
                Assert.Fail($"npm ci failed in {ClientDirectory}:\n{install.Describe()}");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"npm is not installed ({e.Message}); install it with: sudo apt-get install npm");
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
