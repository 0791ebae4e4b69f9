using System.Text;
using Google.Protobuf;
using Sandbox.Engine.Wasi;
using Sandbox.V1;
using Sandbox.Wasi.Tests.Support;
using Sandbox.Wasi.Tests.Testsuite;

namespace Sandbox.Wasi.Tests.Programs;

/// <summary>
/// AssemblyScript programs built here with asc and @assemblyscript/wasi-shim (sources in
/// Programs/assemblyscript/), each run end to end three ways: in the engine through
/// <see cref="WasiContext"/>, through the <c>sandbox run</c> CLI as a process (files through
/// <c>--dir</c>), and over gRPC as an Execute (files through WasiConfig.files and output_files).
/// </summary>
public sealed class AssemblyScriptProgramTests(WasiServerFixture server) : IClassFixture<WasiServerFixture>, IDisposable
{
    private const string Fable = "The cat and the hat. The END, the end's near; cat\n";

    // wordfreq's answer for Fable: most frequent first, ties in byte order.
    private const string FableCounts = "4 the\n2 cat\n1 and\n1 end\n1 end's\n1 hat\n1 near\n";

    private const string Ledger = "alice,1250\nbob,-300\n# a comment\nalice,5\ncarol,99999\n\n  bob , 7\n";

    private const string LedgerReport = "alice 12.55\nbob -2.93\ncarol 999.99\ntotal 1009.61 in 5 entries\n";

    private readonly string temp = Directory.CreateTempSubdirectory("wasi-as-programs-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    // --- wordfreq: stdin to stdout ---

    [AscFact]
    public void WordFreq_InEngine_CountsWordsMostFrequentFirst()
    {
        var result = WasiRun.InEngine(AssemblyScript.Build("wordfreq"), WasiRun.Captured(["wordfreq"]) with { Stdin = WasiInput.FromBytes(Encoding.UTF8.GetBytes(Fable)) });
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(FableCounts, Encoding.UTF8.GetString(result.Stdout.Span));
    }

    [AscFact]
    public void WordFreq_CliWithLargeStdin_MatchesCountsComputedHere()
    {
        // About 600 KB through a real pipe: many 4 KB reads, the buffer regrown, a Map of 500 words.
        var text = new StringBuilder();
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 120_000; i++)
        {
            var word = "w" + (i * 7919 % 500 * (i % 3 + 1) % 500);
            expected[word] = expected.GetValueOrDefault(word) + 1;
            text.Append(i % 5 == 0 ? word.ToUpperInvariant() : word).Append(i % 11 == 0 ? ",\n" : " ");
        }
        var top = expected.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Take(25).Select(e => $"{e.Value} {e.Key}\n");

        var outcome = SandboxProcess.RunModule(AssemblyScript.Build("wordfreq"), Encoding.UTF8.GetBytes(text.ToString()), temp, "--", "25");
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal(string.Concat(top), outcome.Text);
    }

    [AscFact]
    public void WordFreq_CliBadLimit_ExitsWithOneAndSaysWhy()
    {
        var outcome = SandboxProcess.RunModule(AssemblyScript.Build("wordfreq"), [], temp, "--", "none");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal("wordfreq: LIMIT must be a positive number, not 'none'\n", outcome.Stderr);
        Assert.Empty(outcome.Stdout);
    }

    [AscFact]
    public async Task WordFreq_OverGrpcExecute_CountsStdin()
    {
        var wasi = new WasiConfig { Args = { "wordfreq", "3" }, Stdin = ByteString.CopyFromUtf8(Fable) };
        var response = await WasiRun.ExecuteAsync(server.Client, File.ReadAllBytes(AssemblyScript.Build("wordfreq")), wasi);
        Assert.Equal(0, response.Wasi.ExitCode);
        Assert.Equal("4 the\n2 cat\n1 and\n", response.Wasi.Stdout.ToStringUtf8());
        Assert.True(response.Wasi.Stderr.IsEmpty);
    }

    // --- ledger: a file in a preopen to a file in a directory it makes, through a rename ---

    [AscFact]
    public void Ledger_InEngineMemoryFileSystem_WritesTheReport()
    {
        var fileSystem = new MemoryFileSystem();
        fileSystem.AddFile("in.csv", Encoding.UTF8.GetBytes(Ledger));
        var configuration = WasiRun.Captured(["ledger", "/data/in.csv", "/data/out"]) with { Preopens = [new WasiPreopen("/data", fileSystem)] };
        var result = WasiRun.InEngine(AssemblyScript.Build("ledger"), configuration);
        Assert.True(result.ExitCode == 0, Encoding.UTF8.GetString(result.Stderr.Span));
        Assert.Equal($"wrote /data/out/report.txt: 3 accounts, {LedgerReport.Length} bytes\n", Encoding.UTF8.GetString(result.Stdout.Span));
        Assert.True(fileSystem.TryReadFile("out/report.txt", out var report));
        Assert.Equal(LedgerReport, Encoding.UTF8.GetString(report));
        // Written as report.txt.tmp, then renamed: nothing else is left.
        Assert.Equal(["in.csv", "out/report.txt"], fileSystem.ListFiles().Select(f => f.Path).Order(StringComparer.Ordinal));
    }

    [AscFact]
    public void Ledger_CliWithDir_WritesTheReportOnTheHost()
    {
        var data = Directory.CreateDirectory(Path.Combine(temp, "data")).FullName;
        File.WriteAllText(Path.Combine(data, "in.csv"), Ledger);
        // An old report is truncated, not appended to; the directory exists already.
        Directory.CreateDirectory(Path.Combine(data, "out"));
        File.WriteAllText(Path.Combine(data, "out", "report.txt"), new string('x', 500));
        var outcome = SandboxProcess.RunModule(AssemblyScript.Build("ledger"), [], temp, "--dir", data + "::/data", "--", "/data/in.csv", "/data/out/");
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal($"wrote /data/out/report.txt: 3 accounts, {LedgerReport.Length} bytes\n", outcome.Text);
        Assert.Equal(LedgerReport, File.ReadAllText(Path.Combine(data, "out", "report.txt")));
        Assert.Equal(["report.txt"], Directory.GetFiles(Path.Combine(data, "out")).Select(Path.GetFileName));
    }

    [AscFact]
    public void Ledger_CliMissingMalformedOrOutside_ExitCodesAndErrnos()
    {
        var data = Directory.CreateDirectory(Path.Combine(temp, "data")).FullName;
        File.WriteAllText(Path.Combine(data, "bad.csv"), "alice,10\nbob,1.5\n");
        string[] dir = ["--dir", data + "::/data", "--"];

        var missing = SandboxProcess.RunModule(AssemblyScript.Build("ledger"), [], temp, [.. dir, "/data/none.csv", "/data/out"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("ledger: open /data/none.csv: NOENT\n", missing.Stderr);

        var malformed = SandboxProcess.RunModule(AssemblyScript.Build("ledger"), [], temp, [.. dir, "/data/bad.csv", "/data/out"]);
        Assert.Equal(3, malformed.ExitCode);
        Assert.Equal("ledger: /data/bad.csv:2: expected 'account,cents', got 'bob,1.5'\n", malformed.Stderr);
        Assert.False(Directory.Exists(Path.Combine(data, "out")));

        // ".." past the preopen resolves to nothing the guest may open, not to the host's /etc.
        var escape = SandboxProcess.RunModule(AssemblyScript.Build("ledger"), [], temp, [.. dir, "/data/../../../etc/passwd", "/data/out"]);
        Assert.Equal(2, escape.ExitCode);
        Assert.Equal("ledger: open /data/../../../etc/passwd: NOTCAPABLE\n", escape.Stderr);
        Assert.Empty(escape.Stdout);
    }

    [AscFact]
    public async Task Ledger_OverGrpcExecute_ReturnsTheReportFile()
    {
        var wasi = new WasiConfig
        {
            Args = { "ledger", "/books/2026.csv", "/reports" },
            Files = { new WasiFile { Path = "books/2026.csv", Contents = ByteString.CopyFromUtf8(Ledger) } },
            OutputFiles = { "reports/" },
        };
        var response = await WasiRun.ExecuteAsync(server.Client, File.ReadAllBytes(AssemblyScript.Build("ledger")), wasi);
        Assert.True(response.Wasi.ExitCode == 0, response.Wasi.Stderr.ToStringUtf8());
        Assert.Equal($"wrote /reports/report.txt: 3 accounts, {LedgerReport.Length} bytes\n", response.Wasi.Stdout.ToStringUtf8());
        var file = Assert.Single(response.Wasi.Files);
        Assert.Equal("reports/report.txt", file.Path);
        Assert.Equal(LedgerReport, file.Contents.ToStringUtf8());
    }

    // --- envargs: arguments, environment, clocks, random, exit codes ---

    [AscFact]
    public void EnvArgs_CliArguments_ArrivesWithTheirUtf8Lengths()
    {
        var outcome = SandboxProcess.RunModule(AssemblyScript.Build("envargs"), [], temp, "--", "args", "plain", "héllo wörld", "", "🦀");
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal("argc 6\n2 5 [plain]\n3 13 [héllo wörld]\n4 0 []\n5 4 [🦀]\n", outcome.Text);
    }

    [AscFact]
    public void EnvArgs_CliEnvironment_ListsTheMatchingVariablesSorted()
    {
        var wasm = AssemblyScript.Build("envargs");
        var outcome = SandboxProcess.RunModule(wasm, [], temp, "--env", "APP_ZONE=eu=1", "--env", "APP_MODE=fast", "--env", "OTHER=x", "--", "env", "APP_");
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal("APP_MODE=fast\nAPP_ZONE=eu=1\n", outcome.Text);
        // The host's own environment is not the guest's.
        var none = SandboxProcess.RunModule(wasm, [], temp, "--", "env", "PATH");
        Assert.Equal(4, none.ExitCode);
        Assert.Equal("no variable starts with PATH\n", none.Stderr);
    }

    [AscFact]
    public void EnvArgs_CliExitAndAbort_AreTheProcessExitCode()
    {
        var wasm = AssemblyScript.Build("envargs");
        var exit = SandboxProcess.RunModule(wasm, [], temp, "--", "exit", "7");
        Assert.Equal(7, exit.ExitCode);
        Assert.Equal("exiting with 7\n", exit.Text);
        // A failed assert is the shim's abort: its message on stderr, then proc_exit(255).
        var abort = SandboxProcess.RunModule(wasm, [], temp, "--", "abort", "boom");
        Assert.Equal(255, abort.ExitCode);
        Assert.Equal("abort: boom in envargs.ts(45:3)\n", abort.Stderr);
        var usage = SandboxProcess.RunModule(wasm, [], temp, "--");
        Assert.Equal(1, usage.ExitCode);
        Assert.StartsWith("usage: envargs", usage.Stderr);
    }

    [AscFact]
    public void EnvArgs_InEngineClocks_RealAndDeterministicMoveForward()
    {
        const string Expected = "realtime ok\nmonotonic ok\nperformance ok\nrandom ok\n";
        var wasm = AssemblyScript.Build("envargs");
        var real = WasiRun.InEngine(wasm, WasiRun.Captured(["envargs", "clock"]));
        Assert.Equal(0, real.ExitCode);
        Assert.Equal(Expected, Encoding.UTF8.GetString(real.Stdout.Span));
        var fixedClock = WasiRun.Captured(["envargs", "clock"]) with { Clock = WasiClock.Deterministic(DateTimeOffset.UnixEpoch), RandomSeed = 1 };
        var deterministic = WasiRun.InEngine(wasm, fixedClock);
        Assert.Equal(0, deterministic.ExitCode);
        Assert.Equal(Expected, Encoding.UTF8.GetString(deterministic.Stdout.Span));
    }

    [AscFact]
    public void EnvArgs_InEngineExit_IsTheResultNotATrap()
    {
        var wasm = AssemblyScript.Build("envargs");
        var result = WasiRun.InEngine(wasm, WasiRun.Captured(["envargs", "exit", "42"]) with { Environment = [KeyValuePair.Create("APP_X", "1")] });
        Assert.Equal(42, result.ExitCode);
        Assert.Equal("exiting with 42\n", Encoding.UTF8.GetString(result.Stdout.Span));
        var env = WasiRun.InEngine(wasm, WasiRun.Captured(["envargs", "env", "APP_"]) with { Environment = [KeyValuePair.Create("APP_X", "1"), KeyValuePair.Create("APP_A", "")] });
        Assert.Equal(0, env.ExitCode);
        Assert.Equal("APP_A=\nAPP_X=1\n", Encoding.UTF8.GetString(env.Stdout.Span));
    }

    [AscFact]
    public async Task EnvArgs_OverGrpcExecute_EnvExitCodeAndDeterministicClock()
    {
        var wasm = File.ReadAllBytes(AssemblyScript.Build("envargs"));
        var env = new WasiConfig { Args = { "envargs", "env", "APP_" }, Env = { new WasiEnvVar { Name = "APP_B", Value = "2" }, new WasiEnvVar { Name = "APP_A", Value = "1" } } };
        var listed = await WasiRun.ExecuteAsync(server.Client, wasm, env);
        Assert.Equal(0, listed.Wasi.ExitCode);
        Assert.Equal("APP_A=1\nAPP_B=2\n", listed.Wasi.Stdout.ToStringUtf8());

        var exit = await WasiRun.ExecuteAsync(server.Client, wasm, new WasiConfig { Args = { "envargs", "exit", "3" } });
        Assert.Equal(3, exit.Wasi.ExitCode);
        Assert.Equal("exiting with 3\n", exit.Wasi.Stdout.ToStringUtf8());

        var abort = await WasiRun.ExecuteAsync(server.Client, wasm, new WasiConfig { Args = { "envargs", "abort", "over grpc" } });
        Assert.Equal(255, abort.Wasi.ExitCode);
        Assert.Equal("abort: over grpc in envargs.ts(45:3)\n", abort.Wasi.Stderr.ToStringUtf8());

        var clock = await WasiRun.ExecuteAsync(server.Client, wasm, new WasiConfig { Args = { "envargs", "clock" }, Deterministic = true, RandomSeed = 9 });
        Assert.Equal(0, clock.Wasi.ExitCode);
        Assert.Equal("realtime ok\nmonotonic ok\nperformance ok\nrandom ok\n", clock.Wasi.Stdout.ToStringUtf8());
    }
}
