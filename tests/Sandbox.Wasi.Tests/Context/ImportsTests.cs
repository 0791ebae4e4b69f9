using Sandbox.Engine;
using Sandbox.Engine.Wasi;

namespace Sandbox.Wasi.Tests.Context;

/// <summary>The functions defined, against wasi_snapshot_preview1.witx's list and core types.</summary>
public sealed class ImportsTests
{
    // (name, params in core types: i = i32, I = i64), every function returning an i32 errno but proc_exit.
    [Theory]
    [InlineData("args_get", "ii")]
    [InlineData("args_sizes_get", "ii")]
    [InlineData("environ_get", "ii")]
    [InlineData("environ_sizes_get", "ii")]
    [InlineData("clock_res_get", "ii")]
    [InlineData("clock_time_get", "iIi")]
    [InlineData("fd_advise", "iIIi")]
    [InlineData("fd_allocate", "iII")]
    [InlineData("fd_close", "i")]
    [InlineData("fd_datasync", "i")]
    [InlineData("fd_fdstat_get", "ii")]
    [InlineData("fd_fdstat_set_flags", "ii")]
    [InlineData("fd_fdstat_set_rights", "iII")]
    [InlineData("fd_filestat_get", "ii")]
    [InlineData("fd_filestat_set_size", "iI")]
    [InlineData("fd_filestat_set_times", "iIIi")]
    [InlineData("fd_pread", "iiiIi")]
    [InlineData("fd_prestat_get", "ii")]
    [InlineData("fd_prestat_dir_name", "iii")]
    [InlineData("fd_pwrite", "iiiIi")]
    [InlineData("fd_read", "iiii")]
    [InlineData("fd_readdir", "iiiIi")]
    [InlineData("fd_renumber", "ii")]
    [InlineData("fd_seek", "iIii")]
    [InlineData("fd_sync", "i")]
    [InlineData("fd_tell", "ii")]
    [InlineData("fd_write", "iiii")]
    [InlineData("path_create_directory", "iii")]
    [InlineData("path_filestat_get", "iiiii")]
    [InlineData("path_filestat_set_times", "iiiiIIi")]
    [InlineData("path_link", "iiiiiii")]
    [InlineData("path_open", "iiiiiIIii")]
    [InlineData("path_readlink", "iiiiii")]
    [InlineData("path_remove_directory", "iii")]
    [InlineData("path_rename", "iiiiii")]
    [InlineData("path_symlink", "iiiii")]
    [InlineData("path_unlink_file", "iii")]
    [InlineData("poll_oneoff", "iiii")]
    [InlineData("proc_raise", "i")]
    [InlineData("sched_yield", "")]
    [InlineData("random_get", "ii")]
    [InlineData("sock_accept", "iii")]
    [InlineData("sock_recv", "iiiiii")]
    [InlineData("sock_send", "iiiii")]
    [InlineData("sock_shutdown", "ii")]
    public void Define_WitxFunction_HasItsCoreType(string name, string parameters)
    {
        var linker = new Linker();
        using var memory = new Memory(new MemoryType(new Limits(1, 1)));
        new WasiContext(new WasiConfiguration()).DefineImports(linker, memory);
        var function = Assert.IsType<Function>(linker.Get("wasi_snapshot_preview1", name));
        var expected = parameters.Select(p => p == 'I' ? Sandbox.Engine.ValueType.I64 : Sandbox.Engine.ValueType.I32).ToArray();
        Assert.Equal(new FuncType(expected, [Sandbox.Engine.ValueType.I32]), function.Type);
    }

    [Fact]
    public void Define_ProcExit_TakesTheCodeAndReturnsNothing()
    {
        var linker = new Linker();
        using var memory = new Memory(new MemoryType(new Limits(1, 1)));
        new WasiContext(new WasiConfiguration()).DefineImports(linker, memory);
        var exit = Assert.IsType<Function>(linker.Get("wasi_snapshot_preview1", "proc_exit"));
        Assert.Equal(new FuncType([Sandbox.Engine.ValueType.I32], []), exit.Type);
        var trap = Assert.Throws<TrapException>(() => exit.Invoke(Value.FromI32(7)));
        Assert.True(WasiExitException.TryGetExitCode(trap, out var code));
        Assert.Equal(7, code);
    }
}
