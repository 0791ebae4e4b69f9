using Google.Protobuf;
using Sandbox.Client;
using Sandbox.Engine;
using Sandbox.Engine.Wasi;
using Sandbox.V1;
using WasiResult = Sandbox.Engine.Wasi.WasiResult;

namespace Sandbox.Wasi.Tests.Support;

/// <summary>
/// A WASI command run two of the three ways the tests use (the third, the CLI as a process, is
/// <see cref="SandboxProcess"/>): in the engine through <see cref="WasiContext"/>, and over gRPC
/// as one Execute.
/// </summary>
public static class WasiRun
{
    /// <summary>Stdout and stderr captured up to this many bytes in engine runs.</summary>
    public const int CaptureBytes = 1 << 20;

    /// <summary>How long a run may take, in the engine or in the service.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <paramref name="wasmPath"/>'s <c>_start</c> with <paramref name="configuration"/>
    /// (give it captured stdout and stderr to see them in the result). A trap is rethrown with
    /// what the guest had written to stderr, which is where a panic's message is.
    /// </summary>
    public static WasiResult InEngine(string wasmPath, WasiConfiguration configuration)
    {
        using var context = new WasiContext(configuration);
        var module = Module.FromFile(wasmPath);
        var instance = context.Instantiate(new Linker(), module);
        try
        {
            return context.Run(instance, new CallOptions { Timeout = Timeout });
        }
        catch (TrapException trap)
        {
            var stderr = System.Text.Encoding.UTF8.GetString(context.Result(0).Stderr.Span);
            throw new InvalidOperationException($"{Path.GetFileName(wasmPath)} trapped: {trap.Message}\nstderr: {stderr}", trap);
        }
        finally
        {
            instance.Dispose();
        }
    }

    /// <summary>The configuration most engine runs want: these arguments, captured stdout and stderr.</summary>
    public static WasiConfiguration Captured(IReadOnlyList<string> arguments) => new()
    {
        Arguments = arguments,
        Stdout = WasiOutput.Capture(CaptureBytes),
        Stderr = WasiOutput.Capture(CaptureBytes),
    };

    /// <summary>Executes <paramref name="wasm"/> statelessly on the service with <paramref name="wasi"/>.</summary>
    public static Task<ExecuteResponse> ExecuteAsync(SandboxClient client, byte[] wasm, WasiConfig wasi)
    {
        var request = new ExecuteRequest
        {
            Wasm = ByteString.CopyFrom(wasm),
            Wasi = wasi,
            Limits = new CallLimits { Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(Timeout) },
        };
        return client.ExecuteAsync(request, null, DateTime.UtcNow.Add(Timeout).AddSeconds(30));
    }
}
