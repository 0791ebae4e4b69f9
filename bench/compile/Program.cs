using System.Diagnostics;
using System.Globalization;
using Sandbox.Bench.Compile;
using Sandbox.Engine;
using Sandbox.Engine.Binary;
using Sandbox.Engine.Compilation;
using Sandbox.Engine.Validation;

// Compilation throughput (issue 3 asks for 5 MB of wasm per second): decodes, validates and
// compiles each module N times after a few warm-up rounds, and prints MB/s of wasm per phase.
//
// Phases: decode = ModuleReader.Read; validate = Validator.Validate; emit = defining the methods
// and emitting their IL; create = TypeBuilder.CreateType and the entry point lookup. The total is
// what Module.FromBytes costs (decode + validate + compile). RyuJIT compiles each generated method
// lazily on its first call, so machine code generation is NOT included in any figure here.
//
// Figures are the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which a loaded machine
// does not inflate, and the wall time of the whole Module.FromBytes.
//
// usage: dotnet run -c Release --project bench/compile -- [--iterations N] [--warmup N] [file.wasm...]

var iterations = 20;
var warmup = 3;
var files = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--iterations": iterations = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: files.Add(args[i]); break;
    }
}
if (files.Count == 0) files.Add(Path.Combine(AppContext.BaseDirectory, "../../../../out/wasm/large.wasm"));

var options = new EngineOptions { Features = WasmFeatures.Threads };
foreach (var file in files)
{
    var bytes = File.ReadAllBytes(file);
    for (var i = 0; i < warmup; i++) Module.FromBytes(bytes, options);
    GC.Collect();
    GC.WaitForPendingFinalizers();

    var timings = new CompilationTimings { Clock = ThreadCpu.Nanoseconds };
    long decode = 0, validate = 0, total = 0, wall = 0;
    long decodeBytes = 0, validateBytes = 0, totalBytes = 0;
    var gen0 = GC.CollectionCount(0);
    var gen2 = GC.CollectionCount(2);
    for (var i = 0; i < iterations; i++)
    {
        // Decode and validate alone, for their share.
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var start = ThreadCpu.Nanoseconds();
        var definition = ModuleReader.Read(bytes);
        var decoded = ThreadCpu.Nanoseconds();
        var afterDecode = GC.GetAllocatedBytesForCurrentThread();
        Validator.Validate(definition, options.Features);
        validate += ThreadCpu.Nanoseconds() - decoded;
        decode += decoded - start;
        decodeBytes += afterDecode - allocated;
        validateBytes += GC.GetAllocatedBytesForCurrentThread() - afterDecode;

        // The whole public path, timed as one: what a caller of Module.FromBytes waits for.
        CompilationTimings.Current = timings;
        allocated = GC.GetAllocatedBytesForCurrentThread();
        var wallStart = Stopwatch.GetTimestamp();
        start = ThreadCpu.Nanoseconds();
        var module = Module.FromBytes(bytes, options);
        total += ThreadCpu.Nanoseconds() - start;
        wall += Stopwatch.GetTimestamp() - wallStart;
        totalBytes += GC.GetAllocatedBytesForCurrentThread() - allocated;
        CompilationTimings.Current = null;
        GC.KeepAlive(module);
    }

    Console.WriteLine($"{Path.GetFileName(file)}: {bytes.Length / 1024.0:F0} KiB, {iterations} iterations (+{warmup} warm-up), mean per module, thread CPU time");
    Console.WriteLine($"  {"phase",-9} {"ms",8} {"MB/s",8} {"alloc KiB",10}");
    Row("decode", decode, decodeBytes);
    Row("validate", validate, validateBytes);
    Row("emit", timings.Emit, null);
    Row("create", timings.CreateType, null);
    Row("total", total, totalBytes);
    var wallMs = wall * 1000.0 / Stopwatch.Frequency / iterations;
    Console.WriteLine($"  Module.FromBytes: {MbPerSecond(total / 1e6 / iterations):F2} MB/s of CPU time, {MbPerSecond(wallMs):F2} MB/s of wall time ({wallMs:F2} ms)");
    Console.WriteLine($"  GC during the run: {GC.CollectionCount(0) - gen0} gen0, {GC.CollectionCount(2) - gen2} gen2");

    double MbPerSecond(double ms) => bytes.Length / 1e6 / (ms / 1000);
    void Row(string phase, long nanoseconds, long? allocated)
    {
        var ms = nanoseconds / 1e6 / iterations;
        var kib = allocated is { } a ? (a / 1024.0 / iterations).ToString("F0", CultureInfo.InvariantCulture) : "";
        Console.WriteLine($"  {phase,-9} {ms,8:F2} {MbPerSecond(ms),8:F2} {kib,10}");
    }
}
