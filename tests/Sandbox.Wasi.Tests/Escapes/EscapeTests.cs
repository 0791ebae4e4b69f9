using Sandbox.Engine;
using Sandbox.Engine.Wasi;
using Sandbox.Wasi.Tests.Support;

namespace Sandbox.Wasi.Tests.Escapes;

/// <summary>
/// A guest trying to leave its preopen or to make the host read outside its memory, through the
/// WASI calls themselves, on both filesystems. The host tree (under a temporary directory T):
/// <code>
/// T/secret.txt            outside the preopen
/// T/root/                 preopened as "/" (fd 3)
/// T/root/file.txt
/// T/root/sub/
/// T/root/etc  -> /etc     a host symlink pointing outside
/// T/root/up   -> ..       a host symlink climbing out
/// </code>
/// </summary>
public sealed class EscapeTests : IDisposable
{
    private const int Preopen = 3;
    private readonly string temp = Directory.CreateTempSubdirectory("wasi-escape-").FullName;

    public EscapeTests()
    {
        File.WriteAllText(Path.Combine(temp, "secret.txt"), "secret");
        var root = Path.Combine(temp, "root");
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllText(Path.Combine(root, "file.txt"), "inside");
        File.CreateSymbolicLink(Path.Combine(root, "etc"), "/etc");
        File.CreateSymbolicLink(Path.Combine(root, "up"), "..");
    }

    public void Dispose() => Directory.Delete(temp, recursive: true);

    public static TheoryData<bool> BothFileSystems => new() { false, true };

    private WasiHarness Harness(bool inMemory, WasiFileSystem? fileSystem = null)
    {
        fileSystem ??= inMemory ? MemoryCopy() : new HostFileSystem(Path.Combine(temp, "root"));
        return new WasiHarness(new WasiConfiguration { Preopens = [new WasiPreopen("/", fileSystem)], Stdout = WasiOutput.Capture(16) });
    }

    private static MemoryFileSystem MemoryCopy()
    {
        var fs = new MemoryFileSystem();
        fs.AddFile("file.txt", "inside"u8);
        fs.AddDirectory("sub");
        // As a host would have them: the in-memory tree's own check on making them is bypassed.
        fs.Symlink("/etc", "etc");
        fs.Symlink("..", "up");
        return fs;
    }

    [Theory]
    [MemberData(nameof(BothFileSystems))]
    public void PathOpen_EscapeAttempts_AreRefusedWithNotCapable(bool inMemory)
    {
        using var wasi = Harness(inMemory);
        foreach (var path in (string[])["..", "../secret.txt", "sub/../../secret.txt", "/etc/passwd", "etc/passwd", "etc", "up/secret.txt", "up", "sub/../up/root"])
        {
            Assert.True(WasiErrno.NotCapable == wasi.Open(Preopen, path, out var fd), path);
            Assert.Equal(-1, fd);
        }
        Assert.Equal(WasiErrno.Success, wasi.Open(Preopen, "sub/../file.txt", out _));
    }

    [Theory]
    [MemberData(nameof(BothFileSystems))]
    public void PathOpen_FromASubdirectory_CannotClimbAboveIt(bool inMemory)
    {
        using var wasi = Harness(inMemory);
        Assert.Equal(WasiErrno.Success, wasi.Open(Preopen, "sub", out var sub, oflags: 2, rights: WasiRights.Directory));
        Assert.Equal(WasiErrno.NotCapable, wasi.Open(sub, "../file.txt", out _));
    }

    [Theory]
    [MemberData(nameof(BothFileSystems))]
    public void PathSymlink_OutOfThePreopen_IsRefused(bool inMemory)
    {
        using var wasi = Harness(inMemory);
        foreach (var target in (string[])["/etc", "..", "sub/../..", "../root"])
        {
            var at = 2048u;
            var length = wasi.Put(at, target);
            var pathLength = wasi.Put(1024, "made");
            Assert.Equal(WasiErrno.NotCapable, wasi.Call("path_symlink", (int)at, length, Preopen, 1024, pathLength));
        }
        Assert.False(File.Exists(Path.Combine(temp, "root", "made")) || Directory.Exists(Path.Combine(temp, "root", "made")));
    }

    [Theory]
    [MemberData(nameof(BothFileSystems))]
    public void PathRenameAndLink_OutOfThePreopen_AreRefused(bool inMemory)
    {
        using var wasi = Harness(inMemory);
        var from = wasi.Put(1024, "file.txt");
        foreach (var to in (string[])["../stolen.txt", "/tmp/stolen.txt", "up/stolen.txt", "etc/stolen"])
        {
            var toLength = wasi.Put(2048, to);
            Assert.Equal(WasiErrno.NotCapable, wasi.Call("path_rename", Preopen, 1024, from, Preopen, 2048, toLength));
            Assert.Equal(WasiErrno.NotCapable, wasi.Call("path_link", Preopen, 0, 1024, from, Preopen, 2048, toLength));
        }
        Assert.False(File.Exists(Path.Combine(temp, "stolen.txt")));
        Assert.True(File.Exists(Path.Combine(temp, "root", "file.txt")));
    }

    [Theory]
    [MemberData(nameof(BothFileSystems))]
    public void PathCalls_LongPathsNulAndBadUtf8_GetErrnos(bool inMemory)
    {
        using var wasi = Harness(inMemory);
        Assert.Equal(WasiErrno.NameTooLong, wasi.Open(Preopen, new string('a', 5000), out _));
        Assert.Equal(WasiErrno.NameTooLong, wasi.Open(Preopen, new string('a', 256), out _));
        Assert.Equal(WasiErrno.Inval, wasi.Open(Preopen, "file.txt\0../../secret.txt", out _));
        wasi.Memory.Write(1024, [0x66, 0xFF, 0x2F]);
        Assert.Equal(WasiErrno.IlSeq, wasi.Call("path_open", Preopen, 1, 1024, 3, 0, (long)WasiRights.FdRead, 0L, 0, 16));
    }

    [Theory]
    [MemberData(nameof(BothFileSystems))]
    public void FdCalls_UnopenedDescriptors_AreBadF(bool inMemory)
    {
        using var wasi = Harness(inMemory);
        foreach (var fd in (int[])[4, 99, 1023, 1024, int.MaxValue, -1, int.MinValue])
        {
            Assert.Equal(WasiErrno.BadF, wasi.Call("fd_read", fd, 0, 0, 16));
            Assert.Equal(WasiErrno.BadF, wasi.Call("fd_close", fd));
            Assert.Equal(WasiErrno.BadF, wasi.Call("fd_prestat_get", fd, 16));
            Assert.Equal(WasiErrno.BadF, wasi.Call("fd_fdstat_get", fd, 16));
            Assert.Equal(WasiErrno.BadF, wasi.Call("sock_shutdown", fd, 1));
        }
        // fds 0-2 are stdio, not preopens, and not sockets.
        Assert.Equal(WasiErrno.BadF, wasi.Call("fd_prestat_get", 1, 16));
        Assert.Equal(WasiErrno.NotSock, wasi.Call("sock_shutdown", 1, 1));
    }

    [Theory]
    [MemberData(nameof(BothFileSystems))]
    public void FdRead_IovecsOutsideMemory_AreFaultsWithNothingRead(bool inMemory)
    {
        using var wasi = Harness(inMemory);
        Assert.Equal(WasiErrno.Success, wasi.Open(Preopen, "file.txt", out var fd));
        var page = WasiHarness.PageBytes;
        // (iovec array pointer, buf, buf_len) rows, each outside memory somewhere.
        foreach (var (array, buf, length) in ((uint, uint, uint)[])[
            (page - 4, 0, 0),               // the array itself crosses the end
            (uint.MaxValue - 3, 0, 0),      // the array wraps around 2^32
            (64, page - 2, 6),              // the buffer crosses the end
            (64, uint.MaxValue, 2),         // the buffer wraps: 0xFFFFFFFF + 2
            (64, 0, uint.MaxValue),         // a huge read
            (64, 100, 0x8000_0000),         // past int.MaxValue
        ])
        {
            if (array < page - 8)
            {
                wasi.Memory.WriteInt32(array, (int)buf);
                wasi.Memory.WriteInt32(array + 4, (int)length);
            }
            Assert.Equal(WasiErrno.Fault, wasi.Call("fd_read", fd, (int)array, 1, 16));
            Assert.Equal(WasiErrno.Fault, wasi.Call("fd_write", 1, (int)array, 1, 16));
        }
        // The file position did not move: nothing was read.
        wasi.Memory.WriteInt32(64, 200);
        wasi.Memory.WriteInt32(68, 100);
        Assert.Equal(WasiErrno.Success, wasi.Call("fd_read", fd, 64, 1, 16));
        Assert.Equal(6, wasi.Memory.ReadInt32(16));
        Assert.Equal("inside"u8.ToArray(), wasi.Memory.Read(200, 6));
        // A huge iovec count is a fault, not an overflow.
        Assert.Equal(WasiErrno.Fault, wasi.Call("fd_read", fd, 64, int.MaxValue, 16));
        Assert.Equal(WasiErrno.Fault, wasi.Call("fd_read", fd, 64, -1, 16));
    }

    [Theory]
    [MemberData(nameof(BothFileSystems))]
    public void ResultPointersOutsideMemory_AreFaults(bool inMemory)
    {
        using var wasi = Harness(inMemory);
        var end = (int)WasiHarness.PageBytes;
        Assert.Equal(WasiErrno.Fault, wasi.Call("args_sizes_get", end - 2, 0));
        Assert.Equal(WasiErrno.Fault, wasi.Call("clock_time_get", 0, 0L, end - 4));
        Assert.Equal(WasiErrno.Fault, wasi.Call("random_get", end - 10, 11));
        Assert.Equal(WasiErrno.Fault, wasi.Call("fd_fdstat_get", 1, end - 23));
        Assert.Equal(WasiErrno.Fault, wasi.Call("fd_prestat_dir_name", Preopen, -1, 1));
        Assert.Equal(WasiErrno.Fault, wasi.Call("path_open", Preopen, 1, end - 1, 8, 0, 0L, 0L, 0, 16));
        Assert.Equal(WasiErrno.Fault, wasi.Call("poll_oneoff", 0, 64, int.MaxValue, 16));
        // A path_open whose result pointer is bad creates nothing.
        var length = wasi.Put(1024, "created.txt");
        Assert.Equal(WasiErrno.Fault, wasi.Call("path_open", Preopen, 1, 1024, length, 1, (long)WasiRights.FdWrite, 0L, 0, end));
        Assert.Equal(WasiErrno.NoEnt, wasi.Open(Preopen, "created.txt", out _));
    }

    [Fact]
    public void HostFileSystem_ReadOnly_RefusesEveryChange()
    {
        using var wasi = Harness(false, new HostFileSystem(Path.Combine(temp, "root"), readOnly: true));
        Assert.Equal(WasiErrno.RoFs, wasi.Open(Preopen, "new.txt", out _, oflags: 1, rights: WasiRights.FdWrite));
        Assert.Equal(WasiErrno.RoFs, wasi.Open(Preopen, "file.txt", out _, rights: WasiRights.FdWrite));
        Assert.Equal(WasiErrno.RoFs, wasi.PathCall("path_create_directory", Preopen, "dir"));
        Assert.Equal(WasiErrno.RoFs, wasi.PathCall("path_unlink_file", Preopen, "file.txt"));
        Assert.Equal(WasiErrno.RoFs, wasi.PathCall("path_remove_directory", Preopen, "sub"));
        Assert.Equal(WasiErrno.Success, wasi.Open(Preopen, "file.txt", out _));
        Assert.Equal("inside", File.ReadAllText(Path.Combine(temp, "root", "file.txt")));
    }
}
