using System.Text;
using Google.Protobuf;
using Sandbox.Engine.Wasi;
using Sandbox.V1;
using Sandbox.Wasi.Tests.Support;
using Sandbox.Wasi.Tests.Testsuite;

namespace Sandbox.Wasi.Tests.Programs;

/// <summary>
/// C programs built here with clang-19 + wasi-libc (sources beside this file), run end to end
/// through the <c>sandbox run</c> CLI as a process: stdin, stdout and stderr through real pipes,
/// files through <c>--dir</c>, the guest's exit code as the process's. The compressor, the JSON
/// transformer, the regex matcher and the interpreter also run over gRPC as an Execute (files
/// through WasiConfig.files), and the compressor in the engine.
/// </summary>
public sealed class ProgramTests(WasiServerFixture server) : IClassFixture<WasiServerFixture>, IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("wasi-programs-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private static SandboxProcess.Outcome Run(string program, byte[] stdin, string workingDirectory, params string[] arguments) =>
        SandboxProcess.RunModule(Clang.Build(program), stdin, workingDirectory, arguments);

    [ClangFact]
    public void Lzw_CompressThenDecompress_GivesTheInputBack()
    {
        var original = LzwInput();
        var packed = Run("lzw", original, temp, "--", "c");
        Assert.Equal(0, packed.ExitCode);
        Assert.True(packed.Stdout.Length < original.Length / 2, $"{packed.Stdout.Length} bytes from {original.Length}");
        var unpacked = Run("lzw", packed.Stdout, temp, "--", "d");
        Assert.Equal(0, unpacked.ExitCode);
        Assert.Equal(original, unpacked.Stdout);
    }

    [ClangFact]
    public void Lzw_InEngine_CompressThenDecompress_GivesTheInputBack()
    {
        var original = LzwInput();
        var wasm = Clang.Build("lzw");
        var packed = WasiRun.InEngine(wasm, WasiRun.Captured(["lzw", "c"]) with { Stdin = WasiInput.FromBytes(original) });
        Assert.Equal(0, packed.ExitCode);
        Assert.True(packed.Stdout.Length < original.Length / 2, $"{packed.Stdout.Length} bytes from {original.Length}");
        var unpacked = WasiRun.InEngine(wasm, WasiRun.Captured(["lzw", "d"]) with { Stdin = WasiInput.FromBytes(packed.Stdout) });
        Assert.Equal(0, unpacked.ExitCode);
        Assert.Equal(original, unpacked.Stdout.ToArray());
    }

    [ClangFact]
    public async Task Lzw_OverGrpcExecute_CompressThenDecompress_GivesTheInputBack()
    {
        var original = LzwInput();
        var wasm = File.ReadAllBytes(Clang.Build("lzw"));
        var packed = await WasiRun.ExecuteAsync(server.Client, wasm, new WasiConfig { Args = { "lzw", "c" }, Stdin = ByteString.CopyFrom(original) });
        Assert.Equal(0, packed.Wasi.ExitCode);
        Assert.False(packed.Wasi.StdoutTruncated);
        var unpacked = await WasiRun.ExecuteAsync(server.Client, wasm, new WasiConfig { Args = { "lzw", "d" }, Stdin = packed.Wasi.Stdout });
        Assert.Equal(0, unpacked.Wasi.ExitCode);
        Assert.Equal(original, unpacked.Wasi.Stdout.ToByteArray());
    }

    [ClangFact]
    public async Task Json_OverGrpcExecute_IsWrittenBackCanonical()
    {
        var wasi = new WasiConfig { Args = { "json" }, Stdin = ByteString.CopyFromUtf8("""[{"b":1,"a":[]}, "\u00e9", 0.5]""") };
        var response = await WasiRun.ExecuteAsync(server.Client, File.ReadAllBytes(Clang.Build("json")), wasi);
        Assert.Equal(0, response.Wasi.ExitCode);
        Assert.Equal("[{\"a\":[],\"b\":1},\"\\u00e9\",0.5]\n", response.Wasi.Stdout.ToStringUtf8());
    }

    [ClangFact]
    public async Task Grep_OverGrpcExecute_FilesFromTheRequest()
    {
        var wasi = new WasiConfig
        {
            Args = { "grep", "^[a-c]+[0-9]+$", "/data/a.txt", "/data/b.txt" },
            Files =
            {
                new WasiFile { Path = "data/a.txt", Contents = ByteString.CopyFromUtf8("hello world\nfoo bar\nabc123\n") },
                new WasiFile { Path = "data/b.txt", Contents = ByteString.CopyFromUtf8("zzz\nbbb42\n") },
            },
        };
        var response = await WasiRun.ExecuteAsync(server.Client, File.ReadAllBytes(Clang.Build("grep")), wasi);
        Assert.Equal(0, response.Wasi.ExitCode);
        Assert.Equal("/data/a.txt:abc123\n/data/b.txt:bbb42\n", response.Wasi.Stdout.ToStringUtf8());
    }

    [ClangFact]
    public async Task Calc_OverGrpcExecute_DivisionByZeroExitsWithTwo()
    {
        var wasm = File.ReadAllBytes(Clang.Build("calc"));
        var sum = await WasiRun.ExecuteAsync(server.Client, wasm, new WasiConfig { Args = { "calc" }, Stdin = ByteString.CopyFromUtf8("i = 0\ns = 0\nwhile i < 100\n  i = i + 1\n  s = s + i\nend\nprint s\n") });
        Assert.Equal(0, sum.Wasi.ExitCode);
        Assert.Equal("5050\n", sum.Wasi.Stdout.ToStringUtf8());
        var failed = await WasiRun.ExecuteAsync(server.Client, wasm, new WasiConfig { Args = { "calc" }, Stdin = ByteString.CopyFromUtf8("x = 1\ny = x / 0\n") });
        Assert.Equal(2, failed.Wasi.ExitCode);
        Assert.Equal("line 2: division by zero\n", failed.Wasi.Stdout.ToStringUtf8());
    }

    [ClangFact]
    public async Task Ticker_OverGrpcExecuteStream_LinesArriveInOrderWhileItSleeps()
    {
        var wasm = ByteString.CopyFrom(File.ReadAllBytes(Clang.Build("ticker")));
        var request = new ExecuteRequest
        {
            Wasm = wasm,
            Wasi = new WasiConfig { Args = { "ticker", "2", "10" } }, // two ticks 10 s apart
            Limits = new CallLimits { Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(WasiRun.Timeout) },
        };
        using var cancel = new CancellationTokenSource();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var events = server.Client.ExecuteStream(request, null, DateTime.UtcNow.AddMinutes(2), cancel.Token).GetAsyncEnumerator(cancel.Token);

        // The first tick and tock come while the program sleeps its 10 s, stdout's first.
        string[] first = ["out:tick 0\n", "err:tock 0\n"];
        var order = new List<string>();
        while (!Merged(order).SequenceEqual(first))
        {
            Assert.True(order.Count < 20 && await events.MoveNextAsync(), string.Join("|", order));
            Assert.NotEqual(ExecuteEvent.EventOneofCase.Result, events.Current.EventCase);
            order.Add(Describe(events.Current));
        }
        // Had the output waited for the end, it would have come after the 10 s sleep.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(9), watch.Elapsed.ToString());
        cancel.Cancel();
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await events.MoveNextAsync());
        Assert.Equal(Grpc.Core.StatusCode.Cancelled, error.StatusCode);
    }

    [ClangFact]
    public async Task Ticker_OverGrpcExecuteStream_InterleavesAsWrittenThenTheResult()
    {
        var request = new ExecuteRequest { Wasm = ByteString.CopyFrom(File.ReadAllBytes(Clang.Build("ticker"))), Wasi = new WasiConfig { Args = { "ticker", "3", "0" } } };
        var seen = new List<string>();

        await foreach (var e in server.Client.ExecuteStream(request, null, DateTime.UtcNow.AddMinutes(2))) seen.Add(Describe(e));

        Assert.Equal(["out:tick 0\n", "err:tock 0\n", "out:tick 1\n", "err:tock 1\n", "out:tick 2\n", "err:tock 2\n", "exit:0"], Merged(seen));
    }

    private static string Describe(ExecuteEvent e) => e.EventCase switch
    {
        ExecuteEvent.EventOneofCase.Stdout => "out:" + e.Stdout.ToStringUtf8(),
        ExecuteEvent.EventOneofCase.Stderr => "err:" + e.Stderr.ToStringUtf8(),
        _ => "exit:" + e.Result.Wasi.ExitCode,
    };

    // Consecutive events of one stream joined: where a chunk ends within one stream's run is the
    // server's choice (a 10 ms stall between two iovecs of one write may split it), the order is not.
    private static List<string> Merged(List<string> events)
    {
        var merged = new List<string>();
        foreach (var e in events)
        {
            if (merged.Count > 0 && e[..4] is "out:" or "err:" && merged[^1][..4] == e[..4]) merged[^1] += e[4..];
            else merged.Add(e);
        }
        return merged;
    }

    // Text with repeats and every byte value, large enough to fill and reset the dictionary.
    private static byte[] LzwInput()
    {
        var input = new MemoryStream();
        for (var i = 0; i < 3000; i++) input.Write(Encoding.UTF8.GetBytes($"line {i % 97}: the quick brown fox {i * 7919 % 1000}\n"));
        for (var i = 0; i < 256; i++) input.WriteByte((byte)i);
        return input.ToArray();
    }

    [ClangFact]
    public void Lzw_NoArguments_PrintsUsageAndExitsWithOne()
    {
        var outcome = Run("lzw", [], temp, "--");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("usage: lzw", outcome.Stderr);
    }

    [ClangFact]
    public void Json_Document_IsWrittenBackCanonical()
    {
        var outcome = Run("json", """{ "b": [1, 2, {"z": null, "a": true}], "a": "x\"y", "n": -1.5e3 }"""u8.ToArray(), temp, "--");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("{\"a\":\"x\\\"y\",\"b\":[1,2,{\"a\":true,\"z\":null}],\"n\":-1.5e3}\n", outcome.Text);
    }

    [ClangFact]
    public void Json_Truncated_ExitsWithTwo()
    {
        var outcome = Run("json", """{"a": [1, 2"""u8.ToArray(), temp, "--");
        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("error at 11:", outcome.Text);
    }

    [ClangFact]
    public void Grep_FilesThroughDir_PrintsMatchingLinesWithNames()
    {
        var data = Directory.CreateDirectory(Path.Combine(temp, "data")).FullName;
        File.WriteAllText(Path.Combine(data, "a.txt"), "hello world\nfoo bar\nabc123\n");
        File.WriteAllText(Path.Combine(data, "b.txt"), "zzz\nbbb42\n");
        var outcome = Run("grep", [], temp, "--dir", data + "::/data", "--", "^[a-c]+[0-9]+$", "/data/a.txt", "/data/b.txt");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("/data/a.txt:abc123\n/data/b.txt:bbb42\n", outcome.Text);
    }

    [ClangFact]
    public void Grep_NoMatchAndMissingFile_ExitCodesAsGrep()
    {
        var data = Directory.CreateDirectory(Path.Combine(temp, "data")).FullName;
        File.WriteAllText(Path.Combine(data, "a.txt"), "hello\n");
        Assert.Equal(1, Run("grep", [], temp, "--dir", data + "::/data", "--", "x+y", "/data/a.txt").ExitCode);
        var missing = Run("grep", [], temp, "--dir", data + "::/data", "--", "h", "/data/none.txt");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("No such file or directory", missing.Stderr);
        // Outside the preopen there is nothing to open, not even with a path that exists on the host.
        var outside = Run("grep", [], temp, "--dir", data + "::/data", "--", "root", "/etc/passwd");
        Assert.Equal(2, outside.ExitCode);
        Assert.DoesNotContain("root:", outside.Text);
    }

    [ClangFact]
    public void Calc_ProgramOnStdin_RunsLoopsAndConditionals()
    {
        var program = """
            n = 10
            a = 0
            b = 1
            while n > 0
              print a
              t = a + b
              a = b
              b = t
              n = n - 1
            end
            if a % 2 == 0
              print 1
            else
              print 0, a
            end
            """;
        var outcome = Run("calc", Encoding.UTF8.GetBytes(program), temp, "--");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("0\n1\n1\n2\n3\n5\n8\n13\n21\n34\n0 55\n", outcome.Text);
    }

    [ClangFact]
    public void Calc_DivisionByZero_ReportsTheLineAndExitsWithTwo()
    {
        var outcome = Run("calc", "x = 1\ny = x / 0\n"u8.ToArray(), temp, "--");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("line 2: division by zero\n", outcome.Text);
    }

    [ClangFact]
    public void Files_InAPreopen_WritesRenamesListsAndCannotEscape()
    {
        var box = Directory.CreateDirectory(Path.Combine(temp, "box")).FullName;
        File.WriteAllText(Path.Combine(box, "in.txt"), "some text");
        File.CreateSymbolicLink(Path.Combine(box, "hostlink"), "/etc");
        var outcome = Run("files", [], temp, "--dir", box + "::/box", "--", "/box");
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal("SOME TEXT", File.ReadAllText(Path.Combine(box, "out", "report.txt")));
        Assert.False(File.Exists(Path.Combine(box, "out", "draft.txt")));
        Assert.False(File.Exists(Path.Combine(temp, "stolen.txt")));
        Assert.False(File.Exists(Path.Combine(box, "escape")) || Directory.Exists(Path.Combine(box, "escape")));
        Assert.Equal("""
            listed report.txt
            open ../etc/passwd: Capabilities insufficient
            open /etc/passwd: Capabilities insufficient
            symlink to /etc: Capabilities insufficient
            symlink to ..: Capabilities insufficient
            open through it: No such file or directory
            open through the host's link: Capabilities insufficient
            rename out: Capabilities insufficient
            link out: Capabilities insufficient

            """.ReplaceLineEndings("\n"), outcome.Text);
    }

    [ClangFact]
    public void Sleeper_TenSecondsUnderATimeout_StopsAtTheTimeout()
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var outcome = Run("sleeper", [], temp, "--timeout", "300ms", "--", "10");
        // Process start-up and compilation take about a second here; ten seconds would mean the sleep ran out.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(8));
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("interrupted", outcome.Stderr);
        Assert.DoesNotContain("woke up", outcome.Text);
    }

    [ClangFact]
    public void Sleeper_ShortSleep_Wakes()
    {
        var outcome = Run("sleeper", [], temp, "--", "0");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("woke up\n", outcome.Text);
    }
}
