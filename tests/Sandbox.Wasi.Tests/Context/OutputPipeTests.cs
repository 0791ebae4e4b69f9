using System.Diagnostics;
using Sandbox.Engine;
using Sandbox.Engine.Wasi;
using Sandbox.Wasi.Tests.Support;

namespace Sandbox.Wasi.Tests.Context;

/// <summary>
/// <see cref="WasiOutputPipe"/>: stdout and stderr as one ordered stream of chunks, bounded (a
/// full pipe holds the guest's fd_write until the reader reads or the call's deadline fires),
/// coalesced, and cut at its per-stream limit as a capture is.
/// </summary>
public sealed class OutputPipeTests
{
    // fd_write(fd, iovs, 1, nwritten) of the bytes put at 256.
    private static WasiErrno Write(WasiHarness wasi, int fd, byte[] bytes, CallOptions? options = null)
    {
        wasi.Memory.Write(256, bytes);
        wasi.Memory.WriteInt32(64, 256);
        wasi.Memory.WriteInt32(68, bytes.Length);
        return wasi.Call("fd_write", options, fd, 64, 1, 16);
    }

    private static WasiErrno Write(WasiHarness wasi, int fd, string text) => Write(wasi, fd, System.Text.Encoding.UTF8.GetBytes(text));

    private static WasiHarness Harness(WasiOutputPipe pipe) => new(new WasiConfiguration { Stdout = pipe.Stdout, Stderr = pipe.Stderr });

    private static async Task<List<WasiOutputChunk>> ReadAllAsync(WasiOutputPipe pipe)
    {
        var chunks = new List<WasiOutputChunk>();
        while (await pipe.ReadAsync() is { } chunk) chunks.Add(chunk);
        return chunks;
    }

    private static string Text(WasiOutputChunk chunk) => $"{chunk.Stream}:{System.Text.Encoding.UTF8.GetString(chunk.Bytes.Span)}";

    [Fact]
    public async Task FdWrite_InterleavedStdoutAndStderr_ChunksKeepTheWriteOrder()
    {
        var pipe = WasiOutputPipe.Create(1 << 20);
        using var wasi = Harness(pipe);
        Write(wasi, 1, "one ");
        Write(wasi, 1, "two ");
        Write(wasi, 2, "oops ");
        Write(wasi, 1, "three");
        pipe.Complete();
        var chunks = await ReadAllAsync(pipe);
        Assert.Equal(["Stdout:one two ", "Stderr:oops ", "Stdout:three"], chunks.Select(Text));
        Assert.Equal(0, pipe.QueuedBytes);
    }

    [Fact]
    public async Task FdWrite_OneByteWrites_AreCoalescedIntoOneChunk()
    {
        var pipe = WasiOutputPipe.Create(1 << 20);
        using var wasi = Harness(pipe);
        for (var i = 0; i < 1000; i++) Assert.Equal(WasiErrno.Success, Write(wasi, 1, [(byte)('a' + i % 26)]));
        pipe.Complete();
        var chunk = Assert.Single(await ReadAllAsync(pipe));
        Assert.Equal(1000, chunk.Bytes.Length);
    }

    [Fact]
    public async Task FdWrite_OneByteWritesWhileReading_MakeFarFewerChunksThanWrites()
    {
        const int Writes = 100_000;
        var pipe = WasiOutputPipe.Create(1 << 20);
        var reading = ReadAllAsync(pipe);
        using (var wasi = Harness(pipe))
        {
            for (var i = 0; i < Writes; i++) Write(wasi, 1, [(byte)'x']);
        }
        pipe.Complete();
        var chunks = await reading;
        Assert.Equal(Writes, chunks.Sum(c => c.Bytes.Length));
        // A chunk is full (32 KiB) or waited FlushInterval (10 ms): 1,000 chunks would take 10 s.
        Assert.InRange(chunks.Count, 1, Writes / 100);
        Assert.All(chunks, c => Assert.InRange(c.Bytes.Length, 1, WasiOutputPipe.MaxChunkBytes));
    }

    [Theory]
    [InlineData(WasiOutputPipe.MaxChunkBytes, new[] { WasiOutputPipe.MaxChunkBytes })]
    [InlineData(WasiOutputPipe.MaxChunkBytes + 1, new[] { WasiOutputPipe.MaxChunkBytes, 1 })]
    public async Task FdWrite_OneWriteAroundTheChunkSize_IsCutIntoChunksOfAtMostMaxChunkBytes(int length, int[] expected)
    {
        var pipe = WasiOutputPipe.Create(1 << 20);
        using var wasi = Harness(pipe);
        Assert.Equal(WasiErrno.Success, Write(wasi, 1, new byte[length]));
        pipe.Complete();
        Assert.Equal(expected, (await ReadAllAsync(pipe)).Select(c => c.Bytes.Length));
    }

    [Fact]
    public async Task FdWrite_PipeAtLimit_KeepsAllAndOneMoreTruncates()
    {
        var pipe = WasiOutputPipe.Create(5);
        using var wasi = Harness(pipe);
        Assert.Equal(WasiErrno.Success, Write(wasi, 1, "hello"));
        Assert.False(pipe.Stdout.Truncated);
        Assert.Equal(WasiErrno.Success, Write(wasi, 1, "!"));
        Assert.Equal(1, wasi.Memory.ReadInt32(16)); // the guest is told the write succeeded
        Assert.True(pipe.Stdout.Truncated);
        Assert.Equal(WasiErrno.Success, Write(wasi, 2, "errors"));
        Assert.True(pipe.Stderr.Truncated); // each stream has the limit of its own
        pipe.Complete();
        Assert.Equal(["Stdout:hello", "Stderr:error"], (await ReadAllAsync(pipe)).Select(Text));
    }

    [Fact]
    public void FdWrite_FullPipeUnderDeadline_StopsAtTheDeadlineHoldingOnlyTheCapacity()
    {
        var pipe = WasiOutputPipe.Create(long.MaxValue);
        using var wasi = Harness(pipe);
        var block = new byte[WasiHarness.PageBytes - 256];
        var options = new CallOptions { Timeout = TimeSpan.FromMilliseconds(300) };
        var stopwatch = Stopwatch.StartNew();
        var trap = Assert.Throws<TrapException>((Action)(() =>
        {
            // Nobody reads: the write that finds the pipe full waits until the deadline.
            while (true) Write(wasi, 1, block, options);
        }));
        Assert.Equal(TrapCode.Interrupted, trap.Code);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
        Assert.Equal(WasiOutputPipe.CapacityBytes, pipe.QueuedBytes);
    }

    [Fact]
    public async Task FdWrite_FullPipe_ResumesAsTheReaderReadsAndLosesNothing()
    {
        const int Total = 4 << 20;
        var pipe = WasiOutputPipe.Create(long.MaxValue);
        var writer = Task.Run(() =>
        {
            using var wasi = Harness(pipe);
            var block = new byte[60_000];
            for (var written = 0; written < Total; written += block.Length)
            {
                var length = Math.Min(block.Length, Total - written);
                for (var i = 0; i < length; i++) block[i] = (byte)((written + i) % 251);
                Assert.Equal(WasiErrno.Success, Write(wasi, 1, block[..length], new CallOptions { Timeout = TimeSpan.FromSeconds(60) }));
            }
            pipe.Complete();
        });
        var received = 0;
        var maxQueued = 0;
        while (await pipe.ReadAsync() is { } chunk)
        {
            maxQueued = Math.Max(maxQueued, pipe.QueuedBytes);
            var span = chunk.Bytes.Span;
            for (var i = 0; i < span.Length; i++) Assert.Equal((byte)((received + i) % 251), span[i]);
            received += span.Length;
            if (received % 7 == 0) await Task.Delay(1); // a reader slower than the writer
        }
        await writer;
        Assert.Equal(Total, received);
        Assert.InRange(maxQueued, 0, WasiOutputPipe.CapacityBytes);
    }

    [Fact]
    public async Task PollOneoff_Sleep_HandsTheChunkToTheReaderBeforeSleeping()
    {
        var control = WasiOutputPipe.Create(1 << 20);
        using (var quiet = Harness(control))
        {
            Write(quiet, 1, "no sleep");
            Assert.False(control.ReadAsync().IsCompleted); // a partial chunk waits FlushInterval for more
        }
        var pipe = WasiOutputPipe.Create(1 << 20);
        using var wasi = Harness(pipe);
        Write(wasi, 1, "before the sleep");
        // poll_oneoff with one relative clock subscription of 1 ms (layout as WasiContextTests').
        wasi.Memory.Write(512, new byte[48]);
        wasi.Memory.WriteInt64(512, 42);
        wasi.Memory.WriteInt32(528, 1);
        wasi.Memory.WriteInt64(536, 1_000_000);
        Assert.Equal(WasiErrno.Success, wasi.Call("poll_oneoff", 512, 1024, 1, 16));
        var read = pipe.ReadAsync();
        Assert.True(read.IsCompleted);
        Assert.Equal("Stdout:before the sleep", Text((await read)!.Value));
    }

    [Fact]
    public async Task SchedYield_HandsTheChunkToTheReader()
    {
        var pipe = WasiOutputPipe.Create(1 << 20);
        using var wasi = Harness(pipe);
        Write(wasi, 2, "progress");
        Assert.Equal(WasiErrno.Success, wasi.Call("sched_yield"));
        var read = pipe.ReadAsync();
        Assert.True(read.IsCompleted);
        Assert.Equal("Stderr:progress", Text((await read)!.Value));
    }

    [Fact]
    public async Task Complete_WriterWaitingForRoom_StopsWaitingAndLaterWritesAreDropped()
    {
        var pipe = WasiOutputPipe.Create(long.MaxValue);
        using var wasi = Harness(pipe);
        var block = new byte[WasiHarness.PageBytes - 256];
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 4; i++) Write(wasi, 1, block, new CallOptions { Timeout = TimeSpan.FromSeconds(60) });
        });
        while (pipe.QueuedBytes < WasiOutputPipe.CapacityBytes) await Task.Delay(1);
        pipe.Complete();
        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(WasiOutputPipe.CapacityBytes, pipe.QueuedBytes);
    }
}
