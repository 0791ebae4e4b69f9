namespace Sandbox.Interop.Tests.Clients;

/// <summary>
/// <c>python/interop_client.py</c> on Debian's grpcio (python3-grpcio, python3-grpc-tools). It
/// generates its stubs from <c>protos/</c> at run time, so nothing is generated into the tree.
/// </summary>
public sealed class PythonInteropClient : InteropClient
{
    /// <summary>
    /// Debian's interpreter, where apt installs python3-grpcio; a pyenv or venv
    /// <c>python3</c> earlier on PATH would not see it.
    /// </summary>
    public const string Interpreter = "/usr/bin/python3";

    private const string InstallHint = "install them with: sudo apt-get install python3-grpcio python3-grpc-tools";

    public static PythonInteropClient Instance { get; } = new();

    private PythonInteropClient()
    {
    }

    public override string Name => "python grpcio";

    protected override string Executable => Interpreter;

    protected override IReadOnlyList<string> ScriptArguments =>
        [Path.Combine(Infrastructure.TestEnvironment.ProjectDirectory, "python", "interop_client.py")];

    protected override string WorkingDirectory => Infrastructure.TestEnvironment.ProjectDirectory;

    // No __pycache__ in the source tree.
    protected override IReadOnlyDictionary<string, string> Environment { get; } =
        new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1" };

    protected override string? FindMissing()
    {
        if (!File.Exists(Interpreter))
        {
            return $"{Interpreter} is not installed; install it and the gRPC packages with: sudo apt-get install python3 python3-grpcio python3-grpc-tools";
        }
        var probe = Probe(Interpreter, "-c", "import grpc, grpc_tools.protoc");
        if (probe is null || !probe.Succeeded)
        {
            var error = probe?.StandardError.Trim() ?? "";
            return $"{Interpreter} cannot import grpc and grpc_tools ({error}); {InstallHint}";
        }
        return null;
    }
}
