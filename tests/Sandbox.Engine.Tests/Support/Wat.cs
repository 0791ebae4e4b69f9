using System.Diagnostics;

namespace Sandbox.Engine.Tests.Support;

/// <summary>Turns WebAssembly text into a binary with wabt's <c>wat2wasm</c> (a system tool; see <see cref="WatFactAttribute"/>).</summary>
public static class Wat
{
    public const string InstallHint = "wat2wasm not found: install wabt (apt-get install wabt)";

    private static readonly Lazy<string?> Tool = new(() => FindOnPath("wat2wasm"));

    public static bool IsAvailable => Tool.Value is not null;

    /// <summary>True when a missing tool must fail the tests instead of skipping them (env <c>CI=true</c>).</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Compiles <paramref name="text"/>; <paramref name="flags"/> go to wat2wasm (e.g. <c>--enable-threads</c>).</summary>
    public static byte[] ToWasm(string text, params string[] flags)
    {
        var tool = Tool.Value ?? throw new InvalidOperationException(InstallHint);
        var directory = Directory.CreateTempSubdirectory("sandbox-wat-");
        try
        {
            var input = Path.Combine(directory.FullName, "module.wat");
            var output = Path.Combine(directory.FullName, "module.wasm");
            File.WriteAllText(input, text);
            var start = new ProcessStartInfo(tool, ["--debug-names", .. flags, input, "-o", output])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"wat2wasm failed: {errors}");
            return File.ReadAllBytes(output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Compiles <paramref name="text"/> and instantiates it without imports.</summary>
    public static Instance Instantiate(string text) => new Linker().Instantiate(Module.FromBytes(ToWasm(text)));

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
