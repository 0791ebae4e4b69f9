using System.Diagnostics;
using Sandbox.Engine;
using Sandbox.Engine.Wasi;

// bench/wasi: the cost of one fd_write of one byte to captured stdout (issue 11's target:
// <= 200 ns), measured from a guest loop calling the import directly. Builds fdwrite.c with
// clang-19 + wasi-libc first. Usage: dotnet run -c Release --project bench/wasi [calls] [runs]
var calls = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
var runs = args.Length > 1 ? int.Parse(args[1]) : 10;
var wasm = Path.Combine(Path.GetTempPath(), "sandbox-bench-fdwrite.wasm");
var clang = Process.Start("clang-19", ["--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-mexec-model=reactor",
    Path.Combine(AppContext.BaseDirectory, "fdwrite.c"), "-o", wasm]);
clang.WaitForExit();
if (clang.ExitCode != 0) return 1;

var module = Module.FromFile(wasm);
var best = double.MaxValue;
for (var run = 0; run < runs; run++)
{
    // A fresh capture each run, large enough to keep every byte (no truncation path).
    var stdout = WasiOutput.Capture(calls);
    using var context = new WasiContext(new WasiConfiguration { Stdout = stdout });
    using var instance = context.Instantiate(new Linker(), module);
    context.Initialize(instance);
    var write1 = instance.GetFunction("write1")!;
    var stopwatch = Stopwatch.StartNew();
    var written = write1.Invoke(Value.FromI32(calls))[0].AsI32();
    var elapsed = stopwatch.Elapsed;
    if (written != calls || stdout.Captured.Length != calls || stdout.Truncated) throw new InvalidOperationException($"wrote {written}");
    var perCall = elapsed.TotalNanoseconds / calls;
    best = Math.Min(best, perCall);
    Console.WriteLine($"run {run + 1}: {perCall:0.0} ns per fd_write");
}
Console.WriteLine($"best: {best:0.0} ns per fd_write of 1 byte to captured stdout ({calls} calls per run)");
return 0;
