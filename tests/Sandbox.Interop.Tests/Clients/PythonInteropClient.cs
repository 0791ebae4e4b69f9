namespace Sandbox.Interop.Tests.Clients;

/// <summary>
/// A Python client on Debian's grpcio (python3-grpcio, python3-grpc-tools): <see cref="Instance"/>
/// runs <c>python/interop_client.py</c>, <see cref="StandardServices"/>
/// <c>python/standard_services_client.py</c>. Both generate their stubs at run time, so nothing is
/// generated into the tree.
/// </summary>
public sealed class PythonInteropClient : InteropClient
{
    /// <summary>
    /// Debian's interpreter, where apt installs python3-grpcio; a pyenv or venv
    /// <c>python3</c> earlier on PATH would not see it.
    /// </summary>
    public const string Interpreter = "/usr/bin/python3";

    private const string InstallHint = "install them with: sudo apt-get install python3-grpcio python3-grpc-tools";

    /// <summary>Where Debian's grpc-proto package puts the health and reflection protos.</summary>
    private const string GrpcProtoRoot = "/usr/share/grpc-proto";

    private readonly string script;
    private readonly bool needsGrpcProto;

    private PythonInteropClient(string name, string script, bool needsGrpcProto)
    {
        Name = name;
        this.script = script;
        this.needsGrpcProto = needsGrpcProto;
    }

    /// <summary>The interop test cases against <c>grpc.testing.TestService</c>.</summary>
    public static PythonInteropClient Instance { get; } = new("python grpcio", "interop_client.py", needsGrpcProto: false);

    /// <summary>Health and reflection, called as generic tools call them, with Debian's grpc-proto stubs.</summary>
    public static PythonInteropClient StandardServices { get; } = new("python grpcio (health, reflection)", "standard_services_client.py", needsGrpcProto: true);

    public override string Name { get; }

    protected override string Executable => Interpreter;

    protected override IReadOnlyList<string> ScriptArguments =>
        [Path.Combine(Infrastructure.TestEnvironment.ProjectDirectory, "python", script)];

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
        if (needsGrpcProto && !File.Exists(Path.Combine(GrpcProtoRoot, "grpc", "health", "v1", "health.proto")))
        {
            return $"{GrpcProtoRoot} has no health and reflection protos; install them with: sudo apt-get install grpc-proto";
        }
        return null;
    }
}
