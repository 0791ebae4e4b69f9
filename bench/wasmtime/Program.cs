// Wasmtime runner: runs bench/out/wasm/<kernel>.wasm in Wasmtime (Cranelift, its default config,
// SIMD on) and prints one JSON line per kernel in the format of bench/README.md.
//   first_ns  compile + instantiate + the first run(n)
//   best_ns   best of `repeats` further runs (BENCH_REPEATS overrides kernels.json)
// Usage: dotnet run -c Release --project bench/wasmtime -- <kernel>...
using System.Diagnostics;
using System.Text.Json;
using Wasmtime;

var bench = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../.."));
using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(bench, "kernels.json")));
var repeats = int.TryParse(Environment.GetEnvironmentVariable("BENCH_REPEATS"), out var r) ? r : config.RootElement.GetProperty("repeats").GetInt32();

foreach (var name in args)
{
    var n = Lookup(config.RootElement, name) ?? throw new ArgumentException($"unknown kernel {name}");
    var bytes = File.ReadAllBytes(Path.Combine(bench, "out", "wasm", name + ".wasm"));

    var stopwatch = Stopwatch.StartNew();
    using var engine = new Engine();
    using var module = Module.FromBytes(engine, name, bytes);
    var compiled = stopwatch.Elapsed;
    using var linker = new Linker(engine);
    using var store = new Store(engine);
    var instance = linker.Instantiate(store, module);
    var run = instance.GetFunction<int, int>("run") ?? throw new InvalidOperationException($"{name} exports no run(i32) -> i32");
    var checksum = run(n);
    var first = stopwatch.Elapsed;

    var best = first;
    for (var i = 0; i < repeats; i++)
    {
        stopwatch.Restart();
        var again = run(n);
        var elapsed = stopwatch.Elapsed;
        if (again != checksum) throw new InvalidOperationException($"{name}: checksum changed between runs ({checksum}, then {again})");
        if (elapsed < best) best = elapsed;
    }
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        runner = "wasmtime",
        kernel = name,
        n,
        checksum,
        compile_ns = (long)(compiled.TotalMilliseconds * 1e6),
        first_ns = (long)(first.TotalMilliseconds * 1e6),
        best_ns = (long)(best.TotalMilliseconds * 1e6),
        repeats,
    }));
}

static int? Lookup(JsonElement root, string name)
{
    foreach (var section in new[] { "kernels", "simd" })
    {
        if (root.TryGetProperty(section, out var kernels) && kernels.TryGetProperty(name, out var n)) return n.GetInt32();
    }
    return null;
}
