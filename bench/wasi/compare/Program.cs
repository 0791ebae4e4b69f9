using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sandbox.Engine.Wasi;
using SandboxEngine = Sandbox.Engine;

// bench/wasi/compare: programs from three toolchains on generated inputs, in this engine, in
// Wasmtime 50.0.1 (NuGet) and in node:wasi: the C programs of tests/Sandbox.Wasi.Tests/Programs
// (clang-19 -O2, wasi-libc), its AssemblyScript wordfreq (asc --target release, wasi-shim; needs
// `npm ci` in Programs/assemblyscript), the same word count in Rust (wordfreq.rs here, Debian's
// rustc --target wasm32-wasi -O, std) and Lua 5.4's interpreter running lua/bench.lua (lua/build.sh:
// Debian's source package, or LUA_SRC). Per program and runner, the best of R runs of: compile
// (Module.FromFile / Wasmtime Module / WebAssembly.compile), run (instantiate + _start: the time
// inside the guest, its WASI calls included), whole (compile + run). sandbox-lazy is this engine
// without background compilation (EngineOptions.BackgroundCompilation): each function is jitted on
// its first call, on the calling thread.
// Usage: dotnet run -c Release --project bench/wasi/compare -- [runs=3]
// RUSTC: a rustc with the wasm32-wasi target (default /usr/bin/rustc, Debian's: the rustup one
// first on PATH has no wasm targets).
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var repo = FindRepository();
var work = Directory.CreateTempSubdirectory("sandbox-wasi-compare-").FullName;
var data = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;

// Inputs, deterministic.
var text = new StringBuilder();
for (var i = 0; text.Length < 4 << 20; i++) text.Append(CultureInfo.InvariantCulture, $"line {i}: the quick brown fox {i * 7919 % 100003} jumps over {i % 97} lazy dogs\n");
File.WriteAllText(Path.Combine(data, "text.txt"), text.ToString());
var json = new StringBuilder("[");
for (var i = 0; json.Length < 4 << 20; i++) json.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}{{\"id\":{i},\"name\":\"item {i}\",\"tags\":[\"a\",\"b{i % 10}\"],\"price\":{i * 0.25},\"ok\":{(i % 3 == 0 ? "true" : "false")}}}");
json.Append(']');
File.WriteAllText(Path.Combine(work, "doc.json"), json.ToString());
File.WriteAllText(Path.Combine(work, "primes.calc"), """
    n = 2
    count = 0
    while n < 60000
      d = 2
      prime = 1
      while d * d <= n
        if n % d == 0
          prime = 0
          d = n
        end
        d = d + 1
      end
      count = count + prime
      n = n + 1
    end
    print count
    """);
File.WriteAllText(Path.Combine(work, "empty"), "");
File.Copy(Path.Combine(repo, "bench", "wasi", "compare", "lua", "bench.lua"), Path.Combine(data, "bench.lua"));

(string Program, string Language, string Stdin, string[] Args)[] cases =
[
    ("lzw", "c", Path.Combine(data, "text.txt"), ["c"]),
    ("json", "c", Path.Combine(work, "doc.json"), []),
    ("grep", "c", Path.Combine(work, "empty"), ["fox 1[0-9]*5 jumps", "/data/text.txt"]),
    ("calc", "c", Path.Combine(work, "primes.calc"), []),
    ("wordfreq", "assemblyscript", Path.Combine(data, "text.txt"), ["20"]),
    ("wordfreq", "rust", Path.Combine(data, "text.txt"), ["20"]),
    ("lua", "c", Path.Combine(work, "empty"), ["/data/bench.lua"]),
];

Console.WriteLine("| program | language | runner | compile ms | run ms (in guest) | whole ms |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
var ratios = new Dictionary<string, List<(double Run, double Whole)>>();
foreach (var (program, language, stdin, programArgs) in cases)
{
    var wasm = Build(repo, program, language, work);
    var results = new Dictionary<string, (double Compile, double Run)>
    {
        // Lazy first: the background runner's last job cannot overlap it.
        ["sandbox-lazy"] = Best(runs, () => RunSandbox(wasm, stdin, data, programArgs, background: false)),
        ["sandbox"] = Best(runs, () => RunSandbox(wasm, stdin, data, programArgs, background: true)),
        ["wasmtime"] = Best(runs, () => RunWasmtime(wasm, stdin, data, programArgs, work)),
        ["node"] = Best(runs, () => RunNode(repo, wasm, stdin, data, programArgs, work)),
    };
    foreach (var (runner, (compile, run)) in results)
    {
        if (double.IsNaN(run))
        {
            Console.WriteLine($"| {program} | {language} | {runner} | failed | failed | failed |");
            continue;
        }
        Console.WriteLine($"| {program} | {language} | {runner} | {compile:0.0} | {run:0.0} | {compile + run:0.0} |");
        if (runner == "wasmtime") continue;
        var w = results["wasmtime"];
        if (double.IsNaN(w.Run)) continue;
        if (!ratios.TryGetValue(runner, out var list)) ratios[runner] = list = [];
        list.Add((run / w.Run, (compile + run) / (w.Compile + w.Run)));
    }
}
foreach (var (runner, list) in ratios)
{
    Console.WriteLine($"{runner} / wasmtime geomean over {list.Count} programs: run {Geomean(list.Select(r => r.Run)):0.00}x, whole {Geomean(list.Select(r => r.Whole)):0.00}x");
}
Directory.Delete(work, recursive: true);
return 0;

static double Geomean(IEnumerable<double> values) => Math.Exp(values.Average(Math.Log));

// A runner that fails (node 20's node:wasi crashed with SIGSEGV on AssemblyScript's wordfreq over
// 4 MiB of stdin) is reported as failed and left out of its geomean, not allowed to end the run.
static (double Compile, double Run) Best(int runs, Func<(double, double)> run)
{
    var best = (Compile: double.MaxValue, Run: double.MaxValue);
    for (var i = 0; i < runs; i++)
    {
        double compile, time;
        try
        {
            (compile, time) = run();
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            return (double.NaN, double.NaN);
        }
        if (compile + time < best.Compile + best.Run) best = (compile, time);
    }
    return best;
}

// background: false is EngineOptions.BackgroundCompilation off, every function jitted on its first call.
static (double, double) RunSandbox(string wasm, string stdin, string data, string[] args, bool background)
{
    var stopwatch = Stopwatch.StartNew();
    var module = SandboxEngine.Module.FromFile(wasm, new SandboxEngine.EngineOptions { BackgroundCompilation = background });
    var compile = stopwatch.Elapsed.TotalMilliseconds;
    stopwatch.Restart();
    using var context = new WasiContext(new WasiConfiguration
    {
        Arguments = ["prog", .. args],
        Stdin = WasiInput.FromBytes(File.ReadAllBytes(stdin)),
        Stdout = WasiOutput.Capture(64 << 20),
        Preopens = [new WasiPreopen("/data", new HostFileSystem(data))],
    });
    using var instance = context.Instantiate(new SandboxEngine.Linker(), module);
    var result = context.Run(instance);
    var run = stopwatch.Elapsed.TotalMilliseconds;
    if (result.ExitCode != 0 || result.Stdout.Length == 0) throw new InvalidOperationException($"sandbox: exit {result.ExitCode}");
    return (compile, run);
}

static (double, double) RunWasmtime(string wasm, string stdin, string data, string[] args, string work)
{
    var stopwatch = Stopwatch.StartNew();
    using var engine = new Wasmtime.Engine();
    using var module = Wasmtime.Module.FromFile(engine, wasm);
    var compile = stopwatch.Elapsed.TotalMilliseconds;
    stopwatch.Restart();
    var output = Path.Combine(work, "wasmtime.out");
    using var linker = new Wasmtime.Linker(engine);
    linker.DefineWasi();
    using var store = new Wasmtime.Store(engine);
    store.SetWasiConfiguration(new Wasmtime.WasiConfiguration()
        .WithArgs(["prog", .. args])
        .WithStandardInput(stdin)
        .WithStandardOutput(output)
        .WithPreopenedDirectory(data, "/data", mutable: false));
    var instance = linker.Instantiate(store, module);
    instance.GetAction("_start")!();
    var run = stopwatch.Elapsed.TotalMilliseconds;
    if (new FileInfo(output).Length == 0) throw new InvalidOperationException("wasmtime: no output");
    return (compile, run);
}

static (double, double) RunNode(string repo, string wasm, string stdin, string data, string[] args, string work)
{
    var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
    info.ArgumentList.Add("--no-warnings");
    foreach (var a in (string[])[Path.Combine(repo, "bench", "wasi", "compare", "run.mjs"), wasm, stdin, Path.Combine(work, "node.out"), data, .. args]) info.ArgumentList.Add(a);
    using var process = Process.Start(info)!;
    var line = process.StandardOutput.ReadToEnd();
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"node: exit {process.ExitCode} {error}");
    using var document = JsonDocument.Parse(line);
    return (document.RootElement.GetProperty("compile_ms").GetDouble(), document.RootElement.GetProperty("run_ms").GetDouble());
}

static string Build(string repo, string program, string language, string work)
{
    var output = Path.Combine(work, $"{program}-{language}.wasm");
    var programs = Path.Combine(repo, "tests", "Sandbox.Wasi.Tests", "Programs");
    var (tool, arguments, folder) = language switch
    {
        "c" when program == "lua" => ("bash", (string[])[Path.Combine(repo, "bench", "wasi", "compare", "lua", "build.sh"), output], repo),
        "c" => ("clang-19", (string[])["--target=wasm32-wasi", "--sysroot=/usr", "-O2", Path.Combine(programs, program + ".c"), "-o", output], repo),
        // Relative names: asc 0.28 resolves the shim's "lib" wrongly when --config is absolute.
        "assemblyscript" => ("node", [Path.Combine("node_modules", "assemblyscript", "bin", "asc.js"), program + ".ts", "--config", "asconfig.json", "--target", "release", "--outFile", output],
            Path.Combine(programs, "assemblyscript")),
        "rust" => (Environment.GetEnvironmentVariable("RUSTC") ?? "/usr/bin/rustc",
            ["--target", "wasm32-wasi", "-O", "-C", "strip=debuginfo", "-o", output, Path.Combine(repo, "bench", "wasi", "compare", program + ".rs")], repo),
        _ => throw new ArgumentException($"no build for {language}", nameof(language)),
    };
    var info = new ProcessStartInfo(tool) { WorkingDirectory = folder };
    foreach (var argument in arguments) info.ArgumentList.Add(argument);
    using var build = Process.Start(info)!;
    build.WaitForExit();
    if (build.ExitCode != 0) throw new InvalidOperationException($"{tool} failed on {program} ({language})");
    return output;
}

static string FindRepository()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Sandbox.sln"))) return dir.FullName;
    }
    throw new DirectoryNotFoundException("Sandbox.sln not found above the benchmark");
}
