using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Sandbox.Wasi.Tests.Support;

/// <summary>
/// Builds the C programs under Programs/ with clang-19 and wasi-libc (Debian's clang-19, lld-19,
/// wasi-libc, libclang-rt-19-dev-wasm32), into a cache keyed by the source's hash.
/// </summary>
public static class Clang
{
    public const string Compiler = "clang-19";

    public const string InstallHint = "clang-19 with wasi-libc not found: apt-get install clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32";

    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Compiler, "--version") { RedirectStandardOutput = true, RedirectStandardError = true });
            process!.WaitForExit();
            return process.ExitCode == 0 && File.Exists("/usr/include/wasm32-wasi/stdio.h");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public static bool IsAvailable => Available.Value;

    /// <summary>True when a missing compiler must fail the tests (env <c>CI=true</c>).</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Programs/<paramref name="name"/>.c built (once per content) as a wasm32-wasi command; its path.</summary>
    public static string Build(string name) => Build(name, reactor: false);

    /// <summary>As <see cref="Build(string)"/>; a reactor exports <c>_initialize</c> and no <c>_start</c>.</summary>
    public static string Build(string name, bool reactor)
    {
        if (!IsAvailable) throw new InvalidOperationException(InstallHint);
        var source = Path.Combine(AppContext.BaseDirectory, "Programs", name + ".c");
        var hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(source)))[..16];
        var cache = Path.Combine(Path.GetTempPath(), "sandbox-wasi-programs");
        Directory.CreateDirectory(cache);
        var output = Path.Combine(cache, $"{name}-{hash}{(reactor ? "-reactor" : "")}.wasm");
        if (File.Exists(output)) return output;
        var partial = output + "." + Environment.ProcessId + ".tmp";
        var info = new ProcessStartInfo(Compiler) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wall", "-Werror", source, "-o", partial]) info.ArgumentList.Add(argument);
        if (reactor) info.ArgumentList.Add("-mexec-model=reactor");
        // An import from another module is resolved when linked at run time.
        info.ArgumentList.Add("-Wl,--allow-undefined");
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Compiler} failed on {name}.c:\n{errors}");
        File.Move(partial, output, overwrite: true);
        return output;
    }
}

/// <summary>A fact needing clang-19 and wasi-libc: skipped with the install hint, except under CI where it fails.</summary>
public sealed class ClangFactAttribute : FactAttribute
{
    public ClangFactAttribute()
    {
        if (!Clang.IsAvailable && !Clang.Required) Skip = Clang.InstallHint;
    }
}

/// <summary>Runs the built <c>sandbox</c> CLI as a process, with stdin and real pipes.</summary>
public static class SandboxProcess
{
    public sealed record Outcome(int ExitCode, byte[] Stdout, string Stderr)
    {
        public string Text => Encoding.UTF8.GetString(Stdout);
    }

    /// <summary>
    /// <c>sandbox run</c> of <paramref name="wasm"/>: <paramref name="arguments"/> are the CLI's
    /// options, then "--", then the guest's arguments (the module's path goes between).
    /// </summary>
    public static Outcome RunModule(string wasm, byte[] stdin, string workingDirectory, params string[] arguments)
    {
        var split = Array.IndexOf(arguments, "--");
        if (split < 0) throw new ArgumentException("the options and the guest's arguments are separated by \"--\"", nameof(arguments));
        return Run(stdin, workingDirectory, ["run", .. arguments[..split], wasm, .. arguments[(split + 1)..]]);
    }

    public static Outcome Run(byte[] stdin, string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sandbox.dll"));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("sandbox did not finish in 120 s");
        }
        copy.Wait();
        return new Outcome(process.ExitCode, stdout.ToArray(), stderr.Result);
    }
}
