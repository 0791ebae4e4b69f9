using System.Diagnostics;
using Sandbox.Server.Tests.Infrastructure;

namespace Sandbox.Server.Tests.EndToEnd;

/// <summary>
/// A client no one here wrote: Python's grpcio, with stubs that Debian's protoc (3.5.1, older than
/// proto3 `optional`) generates from sandbox.proto, calling the real server.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PythonClientTests(SandboxServerFixture fixture)
{
    // Generates the stubs into a temporary directory, then makes one Invoke with an f32 NaN
    // payload and prints the status it ends with.
    private const string Script = """
        import os, sys, tempfile, grpc, grpc_tools, grpc_tools.protoc
        protos, address = sys.argv[1], sys.argv[2]
        out = tempfile.mkdtemp()
        well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
        if grpc_tools.protoc.main(["protoc", "-I" + protos, "-I" + well_known, "--python_out=" + out,
                                   "--grpc_python_out=" + out, "sandbox/v1/sandbox.proto"]) != 0:
            sys.exit("protoc failed")
        sys.path.insert(0, out)
        from sandbox.v1 import sandbox_pb2 as pb, sandbox_pb2_grpc as rpc
        stub = rpc.SandboxStub(grpc.insecure_channel(address))
        try:
            stub.Invoke(pb.InvokeRequest(instance_id="i", function="f", args=[pb.Value(f32=0x7FC00001)]), timeout=10)
            print("OK")
        except grpc.RpcError as e:
            print(e.code().name, e.details())
        """;

    [PythonGrpcFact]
    public async Task Invoke_PythonStubsFromTheProto_ReachTheServiceAndGetItsStatus()
    {
        var address = fixture.Server.Address;
        var start = new ProcessStartInfo(PythonGrpcFactAttribute.Python, ["-c", Script, RepositoryPaths.Protos, $"{address.Host}:{address.Port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(process.ExitCode == 0, await error);
        Assert.Equal("NOT_FOUND instance i not found", (await output).Trim());
    }
}
