using System.Diagnostics;
using Sandbox.Interop.Tests.Clients;
using Sandbox.Interop.Tests.Infrastructure;

namespace Sandbox.Interop.Tests.Host;

/// <summary>
/// grpcio's own server running <c>python/reference_server.py</c>: the control that shows the
/// interop clients are right, so that a case failing only against <see cref="InteropServerFixture"/>
/// is a bug in our wire layer. Started on first use, because it needs Python's grpcio, which a
/// test may find missing (and skip).
/// </summary>
public sealed class ReferenceServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim startLock = new(1, 1);
    private Process? process;
    private Task drained = Task.CompletedTask;

    public string Host => "127.0.0.1";

    public int Port { get; private set; }

    public async Task EnsureStartedAsync()
    {
        await startLock.WaitAsync();
        try
        {
            if (process is not null)
            {
                return;
            }
            var startInfo = new ProcessStartInfo(PythonInteropClient.Interpreter)
            {
                WorkingDirectory = TestEnvironment.ProjectDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            startInfo.ArgumentList.Add(Path.Combine(TestEnvironment.ProjectDirectory, "python", "reference_server.py"));
            startInfo.ArgumentList.Add("--port=0");
            startInfo.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
            process = Process.Start(startInfo)!;

            // The server prints "listening on PORT" once it serves.
            using var timeout = new CancellationTokenSource(StartTimeout);
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null || !line.StartsWith("listening on ", StringComparison.Ordinal))
            {
                var error = await process.StandardError.ReadToEndAsync(timeout.Token);
                Assert.Fail($"python/reference_server.py did not start: {line}{Environment.NewLine}{error}");
            }
            Port = int.Parse(line!["listening on ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            // Keep reading what it prints, so a full pipe never blocks the server mid-call.
            drained = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        }
        finally
        {
            startLock.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (process is null)
        {
            return;
        }
        // Closing stdin is the server's signal to stop; kill it if it does not.
        process.StandardInput.Close();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        await drained;
        process.Dispose();
    }
}
