using Sandbox.Engine.Wasi;
using Sandbox.Engine.Wasi.Internal;
using Sandbox.Wasi.Tests.Support;

namespace Sandbox.Wasi.Tests.Context;

/// <summary>The WASI limits, each at N and N+1.</summary>
public sealed class LimitTests
{
    [Fact]
    public void PathOpen_AtMaxDescriptors_SucceedsAndOneMoreIsMFile()
    {
        var fs = new MemoryFileSystem();
        fs.AddFile("f", "x"u8);
        using var wasi = new WasiHarness(new WasiConfiguration { Preopens = [new WasiPreopen("/", fs)] });
        // 0-2 stdio and 3 the preopen are open already.
        for (var i = 4; i < FdTable.MaxDescriptors; i++)
        {
            Assert.Equal(WasiErrno.Success, wasi.Open(3, "f", out var fd));
            Assert.Equal(i, fd);
        }
        Assert.Equal(WasiErrno.MFile, wasi.Open(3, "f", out _));
        // Closing one frees its number for the next open.
        Assert.Equal(WasiErrno.Success, wasi.Call("fd_close", 500));
        Assert.Equal(WasiErrno.Success, wasi.Open(3, "f", out var reused));
        Assert.Equal(500, reused);
    }

    [Fact]
    public void Context_ArgumentsAtMaxArgumentBytes_AreAcceptedAndOneMoreByteIsRefused()
    {
        // Each argument costs its UTF-8 bytes and a NUL.
        var atLimit = new string('a', WasiConfiguration.MaxArgumentBytes - 1);
        using (new WasiContext(new WasiConfiguration { Arguments = [atLimit] }))
        {
        }
        Assert.Throws<ArgumentException>(() => new WasiContext(new WasiConfiguration { Arguments = [atLimit + "a"] }));
        Assert.Throws<ArgumentException>(() => new WasiContext(new WasiConfiguration { Environment = [KeyValuePair.Create("A", atLimit)] }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("A=B")]
    public void Context_BadEnvironmentName_IsRefused(string name) =>
        Assert.Throws<ArgumentException>(() => new WasiContext(new WasiConfiguration { Environment = [KeyValuePair.Create(name, "v")] }));

    [Fact]
    public void Context_ArgumentWithNul_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new WasiContext(new WasiConfiguration { Arguments = ["a\0b"] }));

    [Fact]
    public void MemoryFileSystem_AtMaximumBytes_FitsAndOneMoreByteIsNoSpc()
    {
        const long overhead = MemoryFileSystem.EntryOverheadBytes + 1; // the entry and its one-letter name
        var fs = new MemoryFileSystem(maximumBytes: overhead + 100);
        fs.AddFile("f", new byte[100]);
        Assert.Equal(overhead + 100, fs.UsedBytes);
        using var wasi = new WasiHarness(new WasiConfiguration { Preopens = [new WasiPreopen("/", fs)] });
        Assert.Equal(WasiErrno.Success, wasi.Open(3, "f", out var fd, rights: WasiRights.FdFilestatSetSize | WasiRights.FdWrite));
        Assert.Equal(WasiErrno.NoSpc, wasi.Call("fd_filestat_set_size", fd, 101L));
        Assert.Equal(WasiErrno.Success, wasi.Call("fd_filestat_set_size", fd, 100L));
        Assert.Throws<InsufficientMemoryException>(() => fs.AddFile("f", new byte[101]));
    }
}

/// <summary>The in-memory filesystem charged to the tenant budget the instances draw on.</summary>
public sealed class BudgetTests
{
    [Fact]
    public void MemoryFileSystem_ChargedToByteBudgetLimiter_SharesTheBudgetWithMemories()
    {
        var limiter = new Sandbox.Engine.ByteBudgetLimiter(70_000);
        using var memory = new Sandbox.Engine.Memory(new Sandbox.Engine.MemoryType(new Sandbox.Engine.Limits(1, 2)), limiter: limiter); // 65536 bytes
        var fs = new MemoryFileSystem(charge: limiter.ChargeDelta);
        fs.AddFile("a", new byte[4000]);
        Assert.Equal(65536UL + 4000 + MemoryFileSystem.EntryOverheadBytes + 1, limiter.UsedBytes);
        // Past the budget. Regression: the refused file used to stay behind as an empty entry, its 65 bytes charged.
        Assert.Throws<InsufficientMemoryException>(() => fs.AddFile("b", new byte[1000]));
        Assert.False(fs.TryReadFile("b", out _));
        using var wasi = new WasiHarness(new WasiConfiguration { Preopens = [new WasiPreopen("/", fs)] });
        Assert.Equal(WasiErrno.Success, wasi.PathCall("path_unlink_file", 3, "a"));
        Assert.Equal(65536UL, limiter.UsedBytes);
    }
}
