using System.Diagnostics;
using System.Globalization;
using Sandbox.Engine;
using Sandbox.Engine.Validation;

// Issue 5's pool figures, in the engine alone:
//   1. instantiation of a compiled (cached) module: p50/p90/p99 of `new Instance(module, [], options)`
//      with the tenant limiter the server passes, each instance disposed right after (the pool's
//      "dispose and instantiate again");
//   2. memory per idle instance beyond its linear memory: N instances kept alive, as the pool keeps
//      them; managed heap retained after a full GC, and the process's resident set, per instance,
//      less the linear memory pages the instances touched.
//
// The default module has one 64 KiB page of memory, a data segment and one export (the issue's
// "one page of memory and a data segment"); pass a .wasm file to measure another.
//
// usage: dotnet run -c Release --project bench/instantiate -- [--iterations N] [--idle N] [file.wasm]

var iterations = 20_000;
var idleCount = 2_000;
string? file = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--iterations": iterations = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--idle": idleCount = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: file = args[i]; break;
    }
}

// (module
//   (memory (export "memory") 1)
//   (data (i32.const 16) "hello, sandbox")
//   (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
byte[] onePageWithData =
[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                         // magic, version 1
    0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,                   // type: (i32 i32) -> i32
    0x03, 0x02, 0x01, 0x00,                                                 // function 0: type 0
    0x05, 0x03, 0x01, 0x00, 0x01,                                           // memory: min 1 page
    0x07, 0x10, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, // export "memory" memory 0
    0x03, 0x61, 0x64, 0x64, 0x00, 0x00,                                     // export "add" func 0
    0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,       // code: local.get 0 1, i32.add
    0x0b, 0x14, 0x01, 0x00, 0x41, 0x10, 0x0b, 0x0e,                         // data: active, i32.const 16, 14 bytes
    0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x2c, 0x20, 0x73, 0x61, 0x6e, 0x64, 0x62, 0x6f, 0x78, // "hello, sandbox"
];
var bytes = file is null ? onePageWithData : File.ReadAllBytes(file);
var module = Module.FromBytes(bytes, new EngineOptions { Features = WasmFeatures.Threads });
var limiter = new ByteBudgetLimiter(64UL << 30);
var options = new InstanceOptions { Limiter = limiter };
Console.WriteLine($"module: {(file ?? "one page of memory + a data segment")} ({bytes.Length} bytes), {Environment.ProcessorCount} cores, .NET {Environment.Version}");

// 1. Instantiation time. Warm up first (tiering compiles the engine's instantiation path).
for (var i = 0; i < 5_000; i++) new Instance(module, [], options).Dispose();
var samples = new long[iterations];
var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
for (var i = 0; i < iterations; i++)
{
    var started = Stopwatch.GetTimestamp();
    var instance = new Instance(module, [], options);
    samples[i] = Stopwatch.GetTimestamp() - started;
    instance.Dispose();
}
var allocatedPerInstance = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / iterations;
Array.Sort(samples);
double Micros(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
double Percentile(double p) => Micros(samples[Math.Min(samples.Length - 1, (int)(samples.Length * p))]);
Console.WriteLine($"instantiate (+ dispose, not timed): n={iterations} p50 {Percentile(0.50):F1} us  p90 {Percentile(0.90):F1} us  p99 {Percentile(0.99):F1} us  min {Micros(samples[0]):F1} us");
Console.WriteLine($"  allocated per instantiation: {allocatedPerInstance} bytes (managed)");

// 2. Memory per idle instance: keep idleCount alive, as the pool does.
var linearBytes = module.Definition.Memories.Sum(m => (long)m.Limits.Minimum * (long)m.PageSize);
GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
GC.WaitForPendingFinalizers();
GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
var residentBefore = ResidentBytes();
var virtualBefore = VirtualBytes();
var idle = new Instance[idleCount];
for (var i = 0; i < idleCount; i++) idle[i] = new Instance(module, [], options);
var managedAfter = GC.GetTotalMemory(forceFullCollection: true);
var residentAfter = ResidentBytes();
var virtualAfter = VirtualBytes();
var touchedLinear = TouchedLinearBytesPerInstance(bytes == onePageWithData);
var managedPer = (managedAfter - managedBefore) / idleCount;
var residentPer = (residentAfter - residentBefore) / idleCount;
Console.WriteLine($"idle instances: n={idleCount}, linear memory {linearBytes} bytes each (reserved; {touchedLinear} touched by the data segment)");
Console.WriteLine($"  managed heap retained per instance: {managedPer} bytes");
Console.WriteLine($"  resident set per instance: {residentPer} bytes, of which linear memory pages touched: {touchedLinear}; beyond linear memory: {residentPer - touchedLinear} bytes");
Console.WriteLine($"  address space reserved per instance: {(virtualAfter - virtualBefore) / idleCount / (1 << 20)} MiB (the memory's reservation and guard; not resident)");
Console.WriteLine($"  limiter charged per instance: {limiter.UsedBytes / (ulong)idleCount} bytes");
GC.KeepAlive(idle);
foreach (var instance in idle) instance.Dispose();

static long ResidentBytes() => Statm(1);

static long VirtualBytes() => Statm(0);

// /proc/self/statm: size resident shared text lib data dt, in pages.
static long Statm(int field) =>
    long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[field], CultureInfo.InvariantCulture) * Environment.SystemPageSize;

// The data segment writes 14 bytes at offset 16: one OS page of the linear memory becomes resident.
static long TouchedLinearBytesPerInstance(bool defaultModule) => defaultModule ? Environment.SystemPageSize : 0;
