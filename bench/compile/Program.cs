using System.Diagnostics;
using System.Globalization;
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

    var timings = new CompilationTimings();
    long decodeTicks = 0, validateTicks = 0, totalTicks = 0;
    long decodeBytes = 0, validateBytes = 0, compileBytes = 0;
    var process = Process.GetCurrentProcess();
    double threadCpu = 0, processCpu = 0;
    for (var i = 0; i < iterations; i++)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        var definition = ModuleReader.Read(bytes);
        var decoded = Stopwatch.GetTimestamp();
        var afterDecode = GC.GetAllocatedBytesForCurrentThread();
        Validator.Validate(definition, options.Features);
        var validated = Stopwatch.GetTimestamp();
        var afterValidate = GC.GetAllocatedBytesForCurrentThread();
        decodeTicks += decoded - start;
        validateTicks += validated - decoded;
        decodeBytes += afterDecode - allocated;
        validateBytes += afterValidate - afterDecode;

        // The whole public path, timed as one: what a caller of Module.FromBytes waits for.
        CompilationTimings.Current = timings;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        process.Refresh();
        var processCpuBefore = process.TotalProcessorTime.TotalSeconds;
        var threadCpuBefore = ThreadCpu();
        var fullStart = Stopwatch.GetTimestamp();
        var module = Module.FromBytes(bytes, options);
        totalTicks += Stopwatch.GetTimestamp() - fullStart;
        threadCpu += ThreadCpu() - threadCpuBefore;
        process.Refresh();
        processCpu += process.TotalProcessorTime.TotalSeconds - processCpuBefore;
        compileBytes += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        CompilationTimings.Current = null;
        GC.KeepAlive(module);
    }

    double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency / iterations;
    double MbPerSecond(double ms) => bytes.Length / 1e6 / (ms / 1000);
    var total = Ms(totalTicks);
    Console.WriteLine($"{Path.GetFileName(file)}: {bytes.Length / 1024.0:F0} KiB, {iterations} iterations (+{warmup} warm-up), mean per module");
    Console.WriteLine($"  {"phase",-10} {"ms",8} {"MB/s",8} {"alloc KiB",10}");
    Row("decode", Ms(decodeTicks), decodeBytes);
    Row("validate", Ms(validateTicks), validateBytes);
    Row("emit", Ms(timings.EmitTicks), -1);
    Row("create", Ms(timings.CreateTypeTicks), -1);
    Row("total", total, compileBytes);
    Console.WriteLine($"  total = Module.FromBytes, wall: {MbPerSecond(total):F2} MB/s");
    // CPU time has a 10 ms granularity on Linux: use enough iterations for it to average out.
    if (threadCpu > 0) Console.WriteLine($"  total, CPU of this thread: {bytes.Length / 1e6 / (threadCpu / iterations):F2} MB/s");
    Console.WriteLine($"  total, CPU of the process (incl. GC/JIT threads): {bytes.Length / 1e6 / (processCpu / iterations):F2} MB/s");
    Console.WriteLine($"  Gen0/1/2 collections so far: {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");

    void Row(string phase, double ms, long allocated) =>
        Console.WriteLine($"  {phase,-10} {ms,8:F2} {MbPerSecond(ms),8:F2} {(allocated < 0 ? "" : (allocated / 1024.0 / iterations).ToString("F0", CultureInfo.InvariantCulture)),10}");
}

// CPU time of the calling thread in seconds (Linux: /proc/thread-self/stat utime+stime), or 0
// where that is not available.
static double ThreadCpu()
{
    const string stat = "/proc/thread-self/stat";
    if (!File.Exists(stat)) return 0;
    var text = File.ReadAllText(stat);
    var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
    // Fields after the command name start at field 3 (state); utime is field 14, stime field 15.
    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    return ticks / 100.0; // USER_HZ is 100 on Linux
}
