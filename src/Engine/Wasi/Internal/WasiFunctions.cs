using System.Buffers.Binary;
namespace Sandbox.Engine.Wasi.Internal;

/// <summary>The body of one WASI function: decodes its arguments, does the work, returns the errno.</summary>
internal delegate WasiErrno WasiFunction(WasiCaller caller, ReadOnlySpan<Value> arguments);

/// <summary>
/// <c>wasi_snapshot_preview1</c> (WebAssembly/WASI legacy/preview1/witx/wasi_snapshot_preview1.witx),
/// one partial file per family as wazero's imports/wasi_snapshot_preview1: ArgsEnviron, Clocks,
/// Fd, Path, Poll, Proc, Random, Sock. Every function but <c>proc_exit</c> returns an errno;
/// an errno thrown from deep inside (<see cref="WasiErrorException"/>) becomes the result.
/// </summary>
internal static partial class WasiFunctions
{
    // Signatures in core Wasm types: 'i' i32, 'I' i64, each function returning an i32 errno.
    private static readonly (string Name, string Parameters, WasiFunction Body)[] Functions =
    [
        ("args_get", "ii", ArgsGet),
        ("args_sizes_get", "ii", ArgsSizesGet),
        ("environ_get", "ii", EnvironGet),
        ("environ_sizes_get", "ii", EnvironSizesGet),
        ("clock_res_get", "ii", ClockResGet),
        ("clock_time_get", "iIi", ClockTimeGet),
        ("fd_advise", "iIIi", FdAdvise),
        ("fd_allocate", "iII", FdAllocate),
        ("fd_close", "i", FdClose),
        ("fd_datasync", "i", FdDatasync),
        ("fd_fdstat_get", "ii", FdFdstatGet),
        ("fd_fdstat_set_flags", "ii", FdFdstatSetFlags),
        ("fd_fdstat_set_rights", "iII", FdFdstatSetRights),
        ("fd_filestat_get", "ii", FdFilestatGet),
        ("fd_filestat_set_size", "iI", FdFilestatSetSize),
        ("fd_filestat_set_times", "iIIi", FdFilestatSetTimes),
        ("fd_pread", "iiiIi", FdPread),
        ("fd_prestat_get", "ii", FdPrestatGet),
        ("fd_prestat_dir_name", "iii", FdPrestatDirName),
        ("fd_pwrite", "iiiIi", FdPwrite),
        ("fd_read", "iiii", FdRead),
        ("fd_readdir", "iiiIi", FdReaddir),
        ("fd_renumber", "ii", FdRenumber),
        ("fd_seek", "iIii", FdSeek),
        ("fd_sync", "i", FdSync),
        ("fd_tell", "ii", FdTell),
        ("fd_write", "iiii", FdWrite),
        ("path_create_directory", "iii", PathCreateDirectory),
        ("path_filestat_get", "iiiii", PathFilestatGet),
        ("path_filestat_set_times", "iiiiIIi", PathFilestatSetTimes),
        ("path_link", "iiiiiii", PathLink),
        ("path_open", "iiiiiIIii", PathOpen),
        ("path_readlink", "iiiiii", PathReadlink),
        ("path_remove_directory", "iii", PathRemoveDirectory),
        ("path_rename", "iiiiii", PathRename),
        ("path_symlink", "iiiii", PathSymlink),
        ("path_unlink_file", "iii", PathUnlinkFile),
        ("poll_oneoff", "iiii", PollOneoff),
        ("proc_raise", "i", ProcRaise),
        ("sched_yield", "", SchedYield),
        ("random_get", "ii", RandomGet),
        ("sock_accept", "iii", SockAccept),
        ("sock_recv", "iiiiii", SockRecv),
        ("sock_send", "iiiii", SockSend),
        ("sock_shutdown", "ii", SockShutdown),
    ];

    /// <summary>The names of every function defined (the witx's 46 with proc_exit).</summary>
    public static IEnumerable<string> Names => Functions.Select(f => f.Name).Append("proc_exit");

    /// <summary>Defines every function in <paramref name="linker"/>, bound to <paramref name="caller"/>.</summary>
    public static void Define(Linker linker, WasiCaller caller)
    {
        foreach (var (name, parameters, body) in Functions)
        {
            var type = new FuncType(parameters.Select(p => p == 'I' ? ValueType.I64 : ValueType.I32).ToArray(), [ValueType.I32]);
            linker.DefineFunction(WasiAbi.ModuleName, name, type, (arguments, results) => results[0] = Value.FromI32((int)Invoke(caller, body, arguments)));
        }
        linker.DefineFunction(WasiAbi.ModuleName, "proc_exit", new FuncType([ValueType.I32], []), ProcExit);
    }

    private static WasiErrno Invoke(WasiCaller caller, WasiFunction body, ReadOnlySpan<Value> arguments)
    {
        try
        {
            return body(caller, arguments);
        }
        catch (WasiErrorException error)
        {
            return error.Errno;
        }
    }

    private static int I32(ReadOnlySpan<Value> arguments, int index) => arguments[index].AsI32();

    private static uint U32(ReadOnlySpan<Value> arguments, int index) => (uint)arguments[index].AsI32();

    private static long I64(ReadOnlySpan<Value> arguments, int index) => arguments[index].AsI64();

    // Little-endian stores into a record (Wasm memory is little-endian whatever the host).
    private static void Put(Span<byte> destination, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(destination, value);

    private static void Put(Span<byte> destination, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(destination, value);

    private static void Put(Span<byte> destination, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(destination, value);
}
