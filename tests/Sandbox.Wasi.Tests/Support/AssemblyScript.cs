using System.Diagnostics;
using System.Security.Cryptography;

namespace Sandbox.Wasi.Tests.Support;

/// <summary>
/// Builds the AssemblyScript programs under Programs/assemblyscript/ with the compiler from npm
/// (assemblyscript and @assemblyscript/wasi-shim, pinned by that folder's package-lock.json and
/// installed by <c>npm ci</c> there, as .ci/run does) into a cache keyed by the sources' hash.
/// The shim makes the standard library's console, process, Date, crypto and abort call
/// <c>wasi_snapshot_preview1</c>; WASI support left the compiler itself in 0.20.
/// </summary>
public static class AssemblyScript
{
    public const string InstallHint = "AssemblyScript not installed: run 'npm ci' in tests/Sandbox.Wasi.Tests/Programs/assemblyscript (needs Node.js 20)";

    /// <summary>Overrides the folder holding the programs, package.json and node_modules.</summary>
    public const string EnvironmentVariable = "SANDBOX_ASSEMBLYSCRIPT";

    private static readonly Lazy<string?> Folder = new(Locate);

    private static readonly Lazy<bool> Available = new(() =>
    {
        if (Folder.Value is not { } folder || !File.Exists(Compiler(folder))) return false;
        try
        {
            using var process = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, RedirectStandardError = true });
            process!.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    // One build per program per test run, however many test classes ask at once.
    private static readonly Dictionary<string, Lazy<string>> Builds = [];

    public static bool IsAvailable => Available.Value;

    /// <summary>True when a missing compiler must fail the tests (env <c>CI=true</c>).</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Programs/assemblyscript/<paramref name="name"/>.ts built as a WASI command (asc --target release); its path.</summary>
    public static string Build(string name)
    {
        if (!IsAvailable) throw new InvalidOperationException(InstallHint);
        Lazy<string> build;
        lock (Builds)
        {
            if (!Builds.TryGetValue(name, out build!)) Builds[name] = build = new Lazy<string>(() => Compile(Folder.Value!, name));
        }
        return build.Value;
    }

    private static string Compile(string folder, string name)
    {
        var source = Path.Combine(folder, name + ".ts");
        var config = Path.Combine(folder, "asconfig.json");
        // The source, the build settings and the compiler's exact version (the lock file) make the key.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var input in (string[])[source, config, Path.Combine(folder, "package-lock.json")]) hash.AppendData(File.ReadAllBytes(input));
        var key = Convert.ToHexString(hash.GetHashAndReset())[..16];
        var cache = Path.Combine(Path.GetTempPath(), "sandbox-wasi-programs");
        Directory.CreateDirectory(cache);
        var output = Path.Combine(cache, $"{name}-as-{key}.wasm");
        if (File.Exists(output)) return output;
        var partial = output + "." + Environment.ProcessId + ".tmp";
        var info = new ProcessStartInfo("node") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = folder };
        // Names relative to the folder: asc 0.28 resolves the shim's "lib" wrongly when --config is absolute.
        foreach (var argument in (string[])[Compiler(folder), name + ".ts", "--config", "asconfig.json", "--target", "release", "--outFile", partial]) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        var messages = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"asc failed on {name}.ts:\n{errors.Result}{messages}");
        File.Move(partial, output, overwrite: true);
        return output;
    }

    // The package's own entry point, run by node: .bin/asc is a shell-style link that Windows cannot start.
    private static string Compiler(string folder) => Path.Combine(folder, "node_modules", "assemblyscript", "bin", "asc.js");

    // The sources stay in the repository (not copied to bin/), beside the node_modules that asconfig.json extends.
    private static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return Directory.Exists(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sandbox.sln")))
            {
                var candidate = Path.Combine(dir.FullName, "tests", "Sandbox.Wasi.Tests", "Programs", "assemblyscript");
                return Directory.Exists(candidate) ? candidate : null;
            }
        }
        return null;
    }
}

/// <summary>A fact needing the AssemblyScript compiler: skipped with the install hint, except under CI where it fails.</summary>
public sealed class AscFactAttribute : FactAttribute
{
    public AscFactAttribute()
    {
        if (!AssemblyScript.IsAvailable && !AssemblyScript.Required) Skip = AssemblyScript.InstallHint;
    }
}
