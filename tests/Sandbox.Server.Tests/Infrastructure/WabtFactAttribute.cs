using System.Diagnostics;

namespace Sandbox.Server.Tests.Infrastructure;

/// <summary>
/// A fact that compiles its modules from the text format with wabt's <c>wat2wasm</c>. Without it
/// the test is skipped with an install hint, except when <c>CI=true</c>, where it fails.
/// </summary>
public sealed class WabtFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(() => Wat.FindTool() is not null);

    public WabtFactAttribute()
    {
        if (!Available.Value && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "Needs wat2wasm: apt-get install wabt";
        }
    }
}

/// <summary>The <see cref="WabtFactAttribute"/> rule for theories.</summary>
public sealed class WabtTheoryAttribute : TheoryAttribute
{
    public WabtTheoryAttribute()
    {
        if (Wat.FindTool() is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "Needs wat2wasm: apt-get install wabt";
        }
    }
}

/// <summary>Compiles WebAssembly text to a binary with wat2wasm (threads enabled for shared memories).</summary>
public static class Wat
{
    public static string? FindTool() =>
        Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(d => Path.Combine(d, "wat2wasm")).FirstOrDefault(File.Exists);

    public static byte[] Compile(string text)
    {
        var tool = FindTool() ?? throw new InvalidOperationException("wat2wasm is not installed (apt-get install wabt)");
        var directory = Directory.CreateTempSubdirectory("sandbox-wat-");
        try
        {
            var source = Path.Combine(directory.FullName, "module.wat");
            var output = Path.Combine(directory.FullName, "module.wasm");
            File.WriteAllText(source, text);
            using var process = Process.Start(new ProcessStartInfo(tool, [source, "--enable-threads", "-o", output]) { RedirectStandardError = true })!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException("wat2wasm failed: " + errors);
            return File.ReadAllBytes(output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
