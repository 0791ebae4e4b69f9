using System.Diagnostics;
using Sandbox.Engine;
using Sandbox.Engine.Wasi;
using Sandbox.Wasi.Tests.Support;

namespace Sandbox.Wasi.Tests.Context;

/// <summary>Stdio capture, clocks, randomness, sleeping under a deadline, and the in-memory filesystem's budget.</summary>
public sealed class WasiContextTests
{
    // fd_write(fd, iovs, 1, nwritten) of the bytes put at 256.
    private static WasiErrno Write(WasiHarness wasi, int fd, string text)
    {
        var length = wasi.Put(256, text);
        wasi.Memory.WriteInt32(64, 256);
        wasi.Memory.WriteInt32(68, length);
        return wasi.Call("fd_write", fd, 64, 1, 16);
    }

    [Fact]
    public void FdWrite_CaptureAtLimit_KeepsAllAndOneMoreTruncates()
    {
        var stdout = WasiOutput.Capture(5);
        using var wasi = new WasiHarness(new WasiConfiguration { Stdout = stdout });
        Assert.Equal(WasiErrno.Success, Write(wasi, 1, "hello"));
        Assert.Equal(5, wasi.Memory.ReadInt32(16));
        Assert.False(stdout.Truncated);
        Assert.Equal(WasiErrno.Success, Write(wasi, 1, "!"));
        Assert.Equal(1, wasi.Memory.ReadInt32(16)); // the guest is told the write succeeded
        Assert.True(stdout.Truncated);
        Assert.Equal("hello"u8.ToArray(), stdout.Captured.ToArray());
    }

    [Fact]
    public void FdWrite_Stderr_IsCapturedApart()
    {
        var stdout = WasiOutput.Capture(100);
        var stderr = WasiOutput.Capture(100);
        using var wasi = new WasiHarness(new WasiConfiguration { Stdout = stdout, Stderr = stderr });
        Write(wasi, 2, "oops");
        Write(wasi, 1, "fine");
        var result = wasi.Context.Result(0);
        Assert.Equal("fine"u8.ToArray(), result.Stdout.ToArray());
        Assert.Equal("oops"u8.ToArray(), result.Stderr.ToArray());
        Assert.Equal(WasiErrno.NotCapable, Write(wasi, 0, "x")); // stdin has no write right
    }

    [Fact]
    public void FdRead_StdinBytes_AreReadThenEndOfFile()
    {
        using var wasi = new WasiHarness(new WasiConfiguration { Stdin = WasiInput.FromBytes("abc"u8.ToArray()) });
        wasi.Memory.WriteInt32(64, 256);
        wasi.Memory.WriteInt32(68, 2);
        Assert.Equal(WasiErrno.Success, wasi.Call("fd_read", 0, 64, 1, 16));
        Assert.Equal(2, wasi.Memory.ReadInt32(16));
        Assert.Equal(WasiErrno.Success, wasi.Call("fd_read", 0, 64, 1, 16));
        Assert.Equal(1, wasi.Memory.ReadInt32(16));
        Assert.Equal(WasiErrno.Success, wasi.Call("fd_read", 0, 64, 1, 16));
        Assert.Equal(0, wasi.Memory.ReadInt32(16));
    }

    [Fact]
    public void ArgsAndEnviron_AreLaidOutAsTheAbiSays()
    {
        using var wasi = new WasiHarness(new WasiConfiguration { Arguments = ["prog", "a b"], Environment = [KeyValuePair.Create("K", "v")] });
        Assert.Equal(WasiErrno.Success, wasi.Call("args_sizes_get", 16, 20));
        Assert.Equal(2, wasi.Memory.ReadInt32(16));
        Assert.Equal(9, wasi.Memory.ReadInt32(20)); // "prog\0a b\0"
        Assert.Equal(WasiErrno.Success, wasi.Call("args_get", 32, 512));
        Assert.Equal(512, wasi.Memory.ReadInt32(32));
        Assert.Equal(517, wasi.Memory.ReadInt32(36));
        Assert.Equal("prog\0a b\0"u8.ToArray(), wasi.Memory.Read(512, 9));
        Assert.Equal(WasiErrno.Success, wasi.Call("environ_get", 32, 600));
        Assert.Equal("K=v\0"u8.ToArray(), wasi.Memory.Read(600, 4));
    }

    [Fact]
    public void RandomGet_SameSeed_GivesSameBytes()
    {
        byte[] Draw(int? seed)
        {
            using var wasi = new WasiHarness(new WasiConfiguration { RandomSeed = seed });
            Assert.Equal(WasiErrno.Success, wasi.Call("random_get", 100, 32));
            return wasi.Memory.Read(100, 32);
        }
        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
        Assert.NotEqual(Draw(null), Draw(null));
    }

    [Fact]
    public void ClockTimeGet_Deterministic_StartsAtTheInstantAndTicks()
    {
        var start = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var wasi = new WasiHarness(new WasiConfiguration { Clock = WasiClock.Deterministic(start) });
        Assert.Equal(WasiErrno.Success, wasi.Call("clock_time_get", 0, 0L, 16));
        Assert.Equal((ulong)(start - DateTimeOffset.UnixEpoch).Ticks * 100, (ulong)wasi.Memory.ReadInt64(16));
        Assert.Equal(WasiErrno.Success, wasi.Call("clock_time_get", 1, 0L, 16));
        Assert.Equal(1_000_000L, wasi.Memory.ReadInt64(16)); // one tick after the first reading
        Assert.Equal(WasiErrno.Inval, wasi.Call("clock_time_get", 4, 0L, 16));
    }

    // A clock subscription (relative, monotonic) of `nanoseconds` at 512.
    private static void Subscribe(WasiHarness wasi, long nanoseconds)
    {
        wasi.Memory.Write(512, new byte[48]);
        wasi.Memory.WriteInt64(512, 42);             // userdata
        wasi.Memory.WriteByte(520, 0);               // tag: clock
        wasi.Memory.WriteInt32(528, 1);              // monotonic
        wasi.Memory.WriteInt64(536, nanoseconds);    // timeout
    }

    [Fact]
    public void PollOneoff_SleepUnderDeadline_StopsAtTheDeadline()
    {
        using var wasi = new WasiHarness(new WasiConfiguration());
        Subscribe(wasi, 10_000_000_000); // 10 s
        var stopwatch = Stopwatch.StartNew();
        var trap = Assert.Throws<TrapException>(() => wasi.Call("poll_oneoff", new CallOptions { Timeout = TimeSpan.FromMilliseconds(300) }, 512, 1024, 1, 16));
        Assert.Equal(TrapCode.Interrupted, trap.Code);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void PollOneoff_ShortSleep_ReportsTheClockEvent()
    {
        using var wasi = new WasiHarness(new WasiConfiguration());
        Subscribe(wasi, 20_000_000); // 20 ms
        var stopwatch = Stopwatch.StartNew();
        Assert.Equal(WasiErrno.Success, wasi.Call("poll_oneoff", 512, 1024, 1, 16));
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(19), stopwatch.Elapsed.ToString());
        Assert.Equal(1, wasi.Memory.ReadInt32(16));
        Assert.Equal(42, wasi.Memory.ReadInt64(1024));
        Assert.Equal(0, wasi.Memory.ReadInt16(1032)); // no error
    }

    [Fact]
    public void PollOneoff_DeterministicClock_SkipsTheSleep()
    {
        using var wasi = new WasiHarness(new WasiConfiguration { Clock = WasiClock.Deterministic(DateTimeOffset.UnixEpoch) });
        Subscribe(wasi, 3_600_000_000_000); // an hour, at once
        Assert.Equal(WasiErrno.Success, wasi.Call("poll_oneoff", 512, 1024, 1, 16));
        Assert.Equal(WasiErrno.Success, wasi.Call("clock_time_get", 1, 0L, 16));
        Assert.True(wasi.Memory.ReadInt64(16) >= 3_600_000_000_000);
    }

    [Fact]
    public void MemoryFileSystem_WritesPastItsBudget_AreNoSpcAndReleasedOnUnlink()
    {
        long charged = 0;
        var fs = new MemoryFileSystem(maximumBytes: 4096, charge: delta => { charged += delta; return true; });
        using var wasi = new WasiHarness(new WasiConfiguration { Preopens = [new WasiPreopen("/", fs)] });
        Assert.Equal(WasiErrno.Success, wasi.Open(3, "big", out var fd, oflags: 1, rights: WasiRights.FdWrite | WasiRights.FdFilestatSetSize));
        Assert.Equal(WasiErrno.NoSpc, wasi.Call("fd_filestat_set_size", fd, 5000L));
        Assert.Equal(WasiErrno.Success, wasi.Call("fd_filestat_set_size", fd, 1000L));
        Assert.Equal(fs.UsedBytes, charged);
        Assert.Equal(1000 + MemoryFileSystem.EntryOverheadBytes + 3, fs.UsedBytes);
        Assert.Equal(WasiErrno.Success, wasi.Call("fd_close", fd));
        Assert.Equal(WasiErrno.Success, wasi.PathCall("path_unlink_file", 3, "big"));
        Assert.Equal(0, fs.UsedBytes);
        Assert.Equal(0, charged);
    }

    [Fact]
    public void MemoryFileSystem_RefusedCharge_LeavesTheTreeUnchanged()
    {
        var fs = new MemoryFileSystem(charge: delta => delta < 0);
        using var wasi = new WasiHarness(new WasiConfiguration { Preopens = [new WasiPreopen("/", fs)] });
        Assert.Equal(WasiErrno.NoSpc, wasi.PathCall("path_create_directory", 3, "d"));
        Assert.Empty(fs.ListFiles());
        Assert.Equal(WasiErrno.NoEnt, wasi.Open(3, "d", out _));
    }

    [Fact]
    public void MemoryFileSystem_SeededFiles_AreReadBackAfterTheGuestChangesThem()
    {
        var fs = new MemoryFileSystem();
        fs.AddFile("in/data.txt", "seed"u8);
        using var wasi = new WasiHarness(new WasiConfiguration { Preopens = [new WasiPreopen("/", fs)] });
        Assert.Equal(WasiErrno.Success, wasi.Open(3, "in/data.txt", out var fd, rights: WasiRights.FdWrite | WasiRights.FdRead));
        Assert.Equal(WasiErrno.Success, Write(wasi, fd, "SE"));
        Assert.True(fs.TryReadFile("in/data.txt", out var contents));
        Assert.Equal("SEed"u8.ToArray(), contents);
        Assert.Equal([("in/data.txt", 4L)], fs.ListFiles());
    }
}
