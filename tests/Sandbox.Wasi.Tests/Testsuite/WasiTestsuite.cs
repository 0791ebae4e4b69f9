using System.Text.Json;
using Sandbox.Engine;
using Sandbox.Engine.Wasi;
using Google.Protobuf;
using Sandbox.Client;
using Sandbox.V1;
using Sandbox.Wasi.Tests.Support;
using WasiResult = Sandbox.Engine.Wasi.WasiResult;

namespace Sandbox.Wasi.Tests.Testsuite;

/// <summary>
/// Runs WebAssembly/wasi-testsuite's prebuilt wasm32-wasip1 tests by their JSON specs
/// (doc/specification.md's legacy form: args, env, root, exit_code, stdout, stderr), without its
/// Python runner. The suite is third-party data outside the repository: <c>$SANDBOX_WASI_TESTSUITE</c>,
/// else <c>../shared/wasi-testsuite</c> beside the folder holding Sandbox.sln. Each test's files
/// are copied to a temporary directory first (shared/ is read-only, and tests write).
/// </summary>
public static class WasiTestsuite
{
    public const string EnvironmentVariable = "SANDBOX_WASI_TESTSUITE";

    public const string MissingHint = "wasi-testsuite not found: put WebAssembly/wasi-testsuite at ../shared/wasi-testsuite (or set SANDBOX_WASI_TESTSUITE)";

    /// <summary>The suites, under tests/: 14 C, 46 Rust and 12 AssemblyScript tests.</summary>
    public static readonly string[] Suites = ["assemblyscript", "c", "rust"];

    private static readonly Lazy<string?> Root = new(Locate);

    public static string? Path => Root.Value;

    /// <summary>True when a missing suite must fail (env <c>CI=true</c>).</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every test as "suite/name", sorted.</summary>
    public static IEnumerable<object[]> Cases()
    {
        if (Path is not { } root)
        {
            yield return ["missing/testsuite"]; // runs only under CI (else skipped), and fails there
            yield break;
        }
        foreach (var suite in Suites)
        {
            var folder = Folder(root, suite);
            foreach (var wasm in Directory.EnumerateFiles(folder, "*.wasm").Order(StringComparer.Ordinal))
            {
                yield return [suite + "/" + System.IO.Path.GetFileNameWithoutExtension(wasm)];
            }
        }
    }

    private static string Folder(string root, string suite) => System.IO.Path.Combine(root, "tests", suite, "testsuite", "wasm32-wasip1");

    /// <summary>One test's specification with the defaults of doc/specification.md.</summary>
    public sealed record Spec(string[] Args, KeyValuePair<string, string>[] Env, string? Root, int ExitCode, string Stdout, string Stderr);

    public static Spec LoadSpec(string wasmPath)
    {
        var json = System.IO.Path.ChangeExtension(wasmPath, ".json");
        if (!File.Exists(json)) return new Spec([], [], null, 0, "", "");
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var e = document.RootElement;
        foreach (var property in e.EnumerateObject())
        {
            if (property.Name is not ("args" or "env" or "root" or "exit_code" or "stdout" or "stderr"))
            {
                throw new NotSupportedException($"{json}: field '{property.Name}' is not in the legacy specification this runner reads");
            }
        }
        return new Spec(
            e.TryGetProperty("args", out var args) ? args.EnumerateArray().Select(a => a.GetString()!).ToArray() : [],
            e.TryGetProperty("env", out var env) ? env.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!)).ToArray() : [],
            e.TryGetProperty("root", out var rootDir) ? rootDir.GetString() : null,
            e.TryGetProperty("exit_code", out var code) ? code.GetInt32() : 0,
            e.TryGetProperty("stdout", out var stdout) ? stdout.GetString()! : "",
            e.TryGetProperty("stderr", out var stderr) ? stderr.GetString()! : "");
    }

    /// <summary>What one run produced; with the in-memory filesystem, the files it then held (path to bytes).</summary>
    public sealed record Outcome(Spec Spec, WasiResult Result, SortedDictionary<string, byte[]>? Files = null);

    /// <summary>
    /// Runs "suite/name" from a temporary copy, its root preopened as "/" from the host copy or
    /// from a <see cref="MemoryFileSystem"/> seeded with the root's files.
    /// </summary>
    public static Outcome Run(string testCase, bool inMemory)
    {
        var (folder, name, source, spec) = Find(testCase);
        var temp = Directory.CreateTempSubdirectory("wasi-testsuite-").FullName;
        try
        {
            var wasm = System.IO.Path.Combine(temp, name + ".wasm");
            File.Copy(source, wasm);
            var preopens = new List<WasiPreopen>();
            MemoryFileSystem? fileSystem = null;
            if (spec.Root is { } rootName)
            {
                var copy = System.IO.Path.Combine(temp, rootName);
                CopyDirectory(System.IO.Path.Combine(folder, rootName), copy);
                fileSystem = inMemory ? Seed(copy) : null;
                preopens.Add(new WasiPreopen("/", fileSystem ?? (WasiFileSystem)new HostFileSystem(copy)));
            }
            var configuration = WasiRun.Captured([name + ".wasm", .. spec.Args]) with
            {
                Environment = spec.Env,
                Preopens = preopens,
            };
            var result = WasiRun.InEngine(wasm, configuration);
            return new Outcome(spec, result, fileSystem is null ? null : FilesOf(fileSystem));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>
    /// Runs "suite/name" over gRPC: Execute with the test's root seeded as WasiConfig.files (its
    /// directories as paths ending in '/') and every file asked back (output_files "/").
    /// </summary>
    public static async Task<(Spec Spec, ExecuteResponse Response)> RunOverGrpcAsync(string testCase, SandboxClient client)
    {
        var (folder, name, source, spec) = Find(testCase);
        var wasi = new WasiConfig { Args = { name + ".wasm" } };
        wasi.Args.AddRange(spec.Args);
        foreach (var (key, value) in spec.Env) wasi.Env.Add(new WasiEnvVar { Name = key, Value = value });
        if (spec.Root is { } rootName)
        {
            // Read, never written: the server's in-memory filesystem takes the copy.
            var directory = System.IO.Path.Combine(folder, rootName);
            wasi.OutputFiles.Add("/");
            foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = System.IO.Path.GetRelativePath(directory, entry).Replace('\\', '/');
                wasi.Files.Add(Directory.Exists(entry)
                    ? new WasiFile { Path = relative + "/" }
                    : new WasiFile { Path = relative, Contents = ByteString.CopyFrom(File.ReadAllBytes(entry)) });
            }
        }
        return (spec, await WasiRun.ExecuteAsync(client, File.ReadAllBytes(source), wasi).ConfigureAwait(false));
    }

    /// <summary>Every regular file of <paramref name="fileSystem"/>, by path.</summary>
    public static SortedDictionary<string, byte[]> FilesOf(MemoryFileSystem fileSystem)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, _) in fileSystem.ListFiles())
        {
            if (fileSystem.TryReadFile(path, out var contents)) files[path] = contents;
        }
        return files;
    }

    /// <summary>"suite/name"'s folder, name, .wasm path and spec.</summary>
    private static (string Folder, string Name, string Source, Spec Spec) Find(string testCase)
    {
        var root = Path ?? throw new DirectoryNotFoundException(MissingHint);
        var slash = testCase.IndexOf('/');
        var folder = Folder(root, testCase[..slash]);
        var name = testCase[(slash + 1)..];
        var source = System.IO.Path.Combine(folder, name + ".wasm");
        return (folder, name, source, LoadSpec(source));
    }

    /// <summary>A memory filesystem holding <paramref name="directory"/>'s files and directories.</summary>
    public static MemoryFileSystem Seed(string directory)
    {
        var fileSystem = new MemoryFileSystem();
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(directory, entry).Replace('\\', '/');
            if (Directory.Exists(entry)) fileSystem.AddDirectory(relative);
            else fileSystem.AddFile(relative, File.ReadAllBytes(entry));
        }
        return fileSystem;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetFileName(file));
            File.Copy(file, target);
            // The shared copy is read-only; a checkout the tests run in is not.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.UserWrite);
        }
        foreach (var directory in Directory.EnumerateDirectories(from)) CopyDirectory(directory, System.IO.Path.Combine(to, System.IO.Path.GetFileName(directory)));
    }

    private static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return Directory.Exists(fromEnvironment) ? System.IO.Path.GetFullPath(fromEnvironment) : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Sandbox.sln")))
            {
                var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "wasi-testsuite"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }
        return null;
    }
}
