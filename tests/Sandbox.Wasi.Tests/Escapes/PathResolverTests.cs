using Sandbox.Engine.Wasi;
using Sandbox.Engine.Wasi.Internal;

namespace Sandbox.Wasi.Tests.Escapes;

/// <summary>
/// The path resolver alone: one table of paths a guest may pass, with the canonical path each
/// resolves to or the errno refusing it. The tree (in memory; the links as a host could have
/// made them, bypassing the guest's checks):
/// <code>
/// a/            a/b/          a/f (file)
/// a/up   -> ..          (stays inside)      a/out  -> ../..   (climbs out)
/// a/self -> .           abs    -> /etc      dangling -> missing
/// loop1  -> loop2       loop2  -> loop1     chain  -> a/up/a/b
/// </code>
/// </summary>
public sealed class PathResolverTests
{
    private static readonly MemoryFileSystem Tree = Build();

    private static MemoryFileSystem Build()
    {
        var fs = new MemoryFileSystem();
        fs.AddDirectory("a/b");
        fs.AddFile("a/f", [1, 2, 3]);
        fs.Symlink("..", "a/up");
        fs.Symlink("../..", "a/out");
        fs.Symlink(".", "a/self");
        fs.Symlink("/etc", "abs");
        fs.Symlink("missing", "dangling");
        fs.Symlink("loop2", "loop1");
        fs.Symlink("loop1", "loop2");
        fs.Symlink("a/up/a/b", "chain");
        return fs;
    }

    [Theory]
    // Plain names, "." and "..", empty names.
    [InlineData("", "a", "a")]
    [InlineData("", "a/b", "a/b")]
    [InlineData("", "a//b/", "a/b")]
    [InlineData("", "./a/./b", "a/b")]
    [InlineData("", "a/b/..", "a")]
    [InlineData("", ".", "")]
    [InlineData("", "a/..", "")]
    [InlineData("a", "b", "a/b")]
    [InlineData("a", "..", "NotCapable")]          // above the descriptor's own directory
    [InlineData("a", "b/../..", "NotCapable")]
    [InlineData("", "..", "NotCapable")]
    [InlineData("", "../a", "NotCapable")]
    [InlineData("", "a/../../a", "NotCapable")]
    [InlineData("", "/etc/passwd", "NotCapable")]  // absolute
    [InlineData("", "/", "NotCapable")]
    [InlineData("", "", "NoEnt")]
    // The last name need not exist; the ones before it must be directories.
    [InlineData("", "a/new", "a/new")]
    [InlineData("", "missing/x", "NoEnt")]
    [InlineData("", "a/f/x", "NotDir")]
    [InlineData("", "a/f/..", "NotDir")]
    [InlineData("", "a/f/.", "NotDir")]
    // Symlinks: followed inside, refused when they lead out or are absolute.
    [InlineData("", "a/up/a/b", "a/b")]
    [InlineData("", "a/self/b", "a/b")]
    [InlineData("", "chain", "a/b")]
    [InlineData("a", "up", "NotCapable")]          // ".." from a's own descriptor climbs out of it
    [InlineData("", "a/out", "NotCapable")]
    [InlineData("", "a/out/etc/passwd", "NotCapable")]
    [InlineData("", "abs", "NotCapable")]
    [InlineData("", "abs/passwd", "NotCapable")]
    [InlineData("", "loop1", "Loop")]
    [InlineData("", "dangling", "missing")]
    public void Resolve_Path_GivesCanonicalPathOrErrno(string basePath, string path, string expected)
    {
        string actual;
        try
        {
            actual = PathResolver.Resolve(Tree, basePath, path, followFinal: true, out _);
        }
        catch (WasiErrorException error)
        {
            actual = error.Errno.ToString();
        }
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("abs", "abs")]          // not followed: the link itself
    [InlineData("a/out", "a/out")]
    [InlineData("loop1", "loop1")]
    [InlineData("abs/", "NotCapable")]  // a trailing slash follows
    public void Resolve_NoFollow_StopsAtTheLastLink(string path, string expected)
    {
        string actual;
        try
        {
            actual = PathResolver.Resolve(Tree, "", path, followFinal: false, out _);
        }
        catch (WasiErrorException error)
        {
            actual = error.Errno.ToString();
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Resolve_PathAtMaxPathBytes_IsResolvedAndOneMoreIsTooLong()
    {
        var atLimit = string.Join('/', Enumerable.Repeat(".", PathResolver.MaxPathBytes / 2)); // 4095 bytes
        Assert.Equal("", PathResolver.Resolve(Tree, "", atLimit + "/", followFinal: false, out _));
        var error = Assert.Throws<WasiErrorException>(() => PathResolver.Resolve(Tree, "", atLimit + "/.", followFinal: false, out _));
        Assert.Equal(WasiErrno.NameTooLong, error.Errno);
    }

    [Fact]
    public void Resolve_NameAtMaxNameBytes_IsResolvedAndOneMoreIsTooLong()
    {
        Assert.Equal(new string('n', PathResolver.MaxNameBytes), PathResolver.Resolve(Tree, "", new string('n', PathResolver.MaxNameBytes), false, out _));
        var error = Assert.Throws<WasiErrorException>(() => PathResolver.Resolve(Tree, "", new string('n', PathResolver.MaxNameBytes + 1), false, out _));
        Assert.Equal(WasiErrno.NameTooLong, error.Errno);
    }

    [Fact]
    public void Resolve_SymlinkChainOfMaxFollows_ResolvesAndOneMoreIsLoop()
    {
        var fs = new MemoryFileSystem();
        fs.AddDirectory("end");
        for (var i = 0; i <= PathResolver.MaxSymlinkFollows; i++) fs.Symlink(i == 0 ? "end" : $"l{i - 1}", $"l{i}");
        Assert.Equal("end", PathResolver.Resolve(fs, "", $"l{PathResolver.MaxSymlinkFollows - 1}", true, out _));
        var error = Assert.Throws<WasiErrorException>(() => PathResolver.Resolve(fs, "", $"l{PathResolver.MaxSymlinkFollows}", true, out _));
        Assert.Equal(WasiErrno.Loop, error.Errno);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', 0, (byte)'b' }, WasiErrno.Inval)]   // NUL
    [InlineData(new byte[] { 0xFF, 0xFE }, WasiErrno.IlSeq)]                 // not UTF-8
    [InlineData(new byte[] { 0xC3 }, WasiErrno.IlSeq)]                       // truncated sequence
    public void Decode_BadBytes_GivesErrno(byte[] bytes, WasiErrno expected)
    {
        var error = Assert.Throws<WasiErrorException>(() => PathResolver.Decode(bytes));
        Assert.Equal(expected, error.Errno);
    }

    [Theory]
    [InlineData("", "../x", true)]
    [InlineData("", "x", false)]
    [InlineData("a/link", "..", false)]
    [InlineData("a/link", "../..", true)]
    [InlineData("a/link", "b/../../..", true)]
    [InlineData("a/b/link", "../../x", false)]
    public void ClimbsOut_LinkText_SaysWhetherItLeavesTheRoot(string linkPath, string target, bool expected) =>
        Assert.Equal(expected, PathResolver.ClimbsOut(linkPath, target));
}
