using Google.Protobuf;
using Grpc.Core;
using Sandbox.Engine;
using Sandbox.Engine.Wasi;
using Sandbox.Server.Tenancy;
using Sandbox.V1;
using CallOptions = Sandbox.Engine.CallOptions;
using ProtoWasiResult = Sandbox.V1.WasiResult;

namespace Sandbox.Server.Execution;

/// <summary>
/// One WASI guest of the service: a request's <see cref="WasiConfig"/> mapped onto the engine's
/// <see cref="WasiContext"/>, with an in-memory filesystem preopened as "/" whose bytes are
/// charged to the tenant's memory budget, and stdout and stderr captured up to the tenant's
/// <see cref="Tenancy.TenantLimits.WasiOutputBytes"/>. Dispose it to close the guest's files and
/// give the filesystem's bytes back to the budget.
/// </summary>
internal sealed class WasiSession : IDisposable
{
    /// <summary>The import module name of WASI preview 1 (the witx's <c>wasi_snapshot_preview1</c>).</summary>
    public const string ModuleName = "wasi_snapshot_preview1";

    /// <summary>The guest path the filesystem is preopened as.</summary>
    public const string RootPath = "/";

    private readonly Tenant tenant;
    private readonly MemoryFileSystem files;
    private int disposed;

    private WasiSession(Tenant tenant, MemoryFileSystem files, WasiContext context)
    {
        this.tenant = tenant;
        this.files = files;
        Context = context;
    }

    public WasiContext Context { get; }

    /// <summary>The paths <see cref="Complete"/> returns (WasiConfig.output_files).</summary>
    public IReadOnlyList<string> OutputFiles { get; private init; } = [];

    /// <summary>True when the module is run with WASI: the request asks for it, or the module imports it.</summary>
    public static bool Applies(Module module, WasiConfig? config)
    {
        if (config is not null) return true;
        foreach (var import in module.Imports)
        {
            if (import.Module == ModuleName) return true;
        }
        return false;
    }

    /// <summary>FAILED_PRECONDITION naming the first import that is not WASI's: Execute links nothing else.</summary>
    public static void CheckOnlyWasiImports(Module module)
    {
        foreach (var import in module.Imports)
        {
            if (import.Module != ModuleName)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"the module imports {import.Module}.{import.Name}; Execute links only {ModuleName}, use Instantiate for other imports"));
            }
        }
    }

    /// <summary>
    /// The session for <paramref name="config"/>: its files seeded (charged to the tenant's
    /// budget: RESOURCE_EXHAUSTED when they do not fit), its arguments and environment checked
    /// (INVALID_ARGUMENT naming the fault). With <paramref name="output"/> (ExecuteStream), stdout
    /// and stderr go into that pipe instead of being captured.
    /// </summary>
    public static WasiSession Create(Tenant tenant, WasiConfig config, WasiOutputPipe? output = null)
    {
        var files = new MemoryFileSystem(charge: tenant.Budget.ChargeDelta);
        try
        {
            foreach (var file in config.Files)
            {
                try
                {
                    // A path ending in '/' names a directory (an empty one cannot be given as files).
                    if (file.Path.EndsWith('/'))
                    {
                        if (!file.Contents.IsEmpty) throw new ArgumentException("a directory (a path ending in '/') has no contents");
                        files.AddDirectory(file.Path.Trim('/'));
                    }
                    else files.AddFile(file.Path.TrimStart('/'), file.Contents.Span);
                }
                catch (ArgumentException e)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"wasi.files '{file.Path}': {e.Message}"));
                }
                catch (InsufficientMemoryException)
                {
                    throw tenant.Quota.FilesRefused(file.Path, file.Contents.Length);
                }
            }
            var environment = new KeyValuePair<string, string>[config.Env.Count];
            for (var i = 0; i < environment.Length; i++) environment[i] = KeyValuePair.Create(config.Env[i].Name, config.Env[i].Value);
            // A capture buffer is one array: the limit cannot pass the largest one .NET makes.
            var outputLimit = (int)Math.Min(tenant.Limits.WasiOutputBytes, (ulong)Array.MaxLength);
            var configuration = new WasiConfiguration
            {
                Arguments = [.. config.Args],
                Environment = environment,
                Stdin = WasiInput.FromBytes(config.Stdin.Memory),
                Stdout = output?.Stdout ?? WasiOutput.Capture(outputLimit),
                Stderr = output?.Stderr ?? WasiOutput.Capture(outputLimit),
                // As `wasmtime run` without --dir: no files to give or return, no preopen, and fd 3
                // is then not a descriptor (wasi-testsuite's sock_shutdown-invalid_fd checks it).
                Preopens = config.Files.Count > 0 || config.OutputFiles.Count > 0 ? [new WasiPreopen(RootPath, files)] : [],
                Clock = config.Deterministic ? WasiClock.Deterministic(DateTimeOffset.UnixEpoch) : WasiClock.Real,
                RandomSeed = config.Deterministic ? config.RandomSeed : null,
            };
            WasiContext context;
            try
            {
                context = new WasiContext(configuration);
            }
            catch (ArgumentException e)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "wasi: " + e.Message));
            }
            return new WasiSession(tenant, files, context) { OutputFiles = [.. config.OutputFiles] };
        }
        catch (Exception)
        {
            Release(tenant, files);
            throw;
        }
    }

    /// <summary>
    /// The pipe of an ExecuteStream call: each stream carries at most the tenant's
    /// <see cref="TenantLimits.WasiOutputBytes"/>, as Execute captures, so the two forms of a run
    /// deliver the same bytes.
    /// </summary>
    public static WasiOutputPipe CreatePipe(Tenant tenant) => WasiOutputPipe.Create((long)Math.Min(tenant.Limits.WasiOutputBytes, long.MaxValue));

    /// <summary>Instantiates <paramref name="module"/> with this session's WASI in <paramref name="linker"/>.</summary>
    public Instance Instantiate(Linker linker, Module module, InstanceOptions options) => Context.Instantiate(linker, module, options);

    /// <summary>
    /// Calls a reactor's <c>_initialize</c> if it has one (WASI application ABI). An exit there
    /// is FAILED_PRECONDITION: the instance could not be set up.
    /// </summary>
    public void Initialize(Instance instance, CallOptions options)
    {
        try
        {
            Context.Initialize(instance, options);
        }
        catch (TrapException trap) when (WasiExitException.TryGetExitCode(trap, out var code))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the reactor's _initialize called proc_exit({code})"));
        }
    }

    /// <summary>
    /// Ends a call: puts its exit code, captured output and the <see cref="OutputFiles"/> into
    /// <paramref name="response"/> (when given), and clears the capture, so that the next call of a
    /// stateful instance reports its own output.
    /// </summary>
    public void Complete(int exitCode, ProtoWasiResult? response)
    {
        var result = Context.Result(exitCode);
        if (response is not null)
        {
            response.ExitCode = result.ExitCode;
            response.Stdout = ByteString.CopyFrom(result.Stdout.Span);
            response.StdoutTruncated = result.StdoutTruncated;
            response.Stderr = ByteString.CopyFrom(result.Stderr.Span);
            response.StderrTruncated = result.StderrTruncated;
            AddOutputFiles(response);
        }
        Context.Configuration.Stdout.Clear();
        Context.Configuration.Stderr.Clear();
    }

    private void AddOutputFiles(ProtoWasiResult response)
    {
        var returned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var requested in OutputFiles)
        {
            var path = requested.TrimStart('/');
            if (path.Length == 0 || requested.EndsWith('/'))
            {
                foreach (var (file, _) in files.ListFiles())
                {
                    if (file.StartsWith(path, StringComparison.Ordinal)) AddFile(response, returned, file);
                }
            }
            else
            {
                AddFile(response, returned, path);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        // Closing first: a file the guest unlinked while open gives its bytes back on close.
        Context.Dispose();
        Release(tenant, files);
    }

    private void AddFile(ProtoWasiResult response, HashSet<string> returned, string path)
    {
        if (returned.Contains(path) || !files.TryReadFile(path, out var contents)) return;
        returned.Add(path);
        response.Files.Add(new WasiFile { Path = path, Contents = ByteString.CopyFrom(contents) });
    }

    // What the tree still holds goes back to the budget; the tree is not used again.
    private static void Release(Tenant tenant, MemoryFileSystem files)
    {
        if (files.UsedBytes > 0) tenant.Budget.ReleaseBytes((ulong)files.UsedBytes);
    }
}
