namespace Sandbox.Engine.Wasi.Internal;

// args_get, args_sizes_get, environ_get, environ_sizes_get: the strings as NUL-terminated UTF-8,
// an array of pointers to them and the buffer they are packed in (witx: argv, argv_buf).
internal static partial class WasiFunctions
{
    private static WasiErrno ArgsGet(WasiCaller caller, ReadOnlySpan<Value> a) => WriteStrings(caller, caller.Context.Arguments, U32(a, 0), U32(a, 1));

    private static WasiErrno ArgsSizesGet(WasiCaller caller, ReadOnlySpan<Value> a) => WriteSizes(caller, caller.Context.Arguments, U32(a, 0), U32(a, 1));

    private static WasiErrno EnvironGet(WasiCaller caller, ReadOnlySpan<Value> a) => WriteStrings(caller, caller.Context.Environment, U32(a, 0), U32(a, 1));

    private static WasiErrno EnvironSizesGet(WasiCaller caller, ReadOnlySpan<Value> a) => WriteSizes(caller, caller.Context.Environment, U32(a, 0), U32(a, 1));

    private static WasiErrno WriteStrings(WasiCaller caller, byte[][] strings, uint pointers, uint buffer)
    {
        var memory = caller.Memory;
        uint total = 0;
        foreach (var s in strings) total += (uint)s.Length;
        // Both ranges checked before the first byte is written.
        memory.Slice(pointers, (uint)strings.Length * 4);
        var destination = memory.Slice(buffer, total);
        uint offset = 0;
        for (var i = 0; i < strings.Length; i++)
        {
            memory.WriteU32(pointers + (uint)i * 4, buffer + offset);
            strings[i].CopyTo(destination[(int)offset..]);
            offset += (uint)strings[i].Length;
        }
        return WasiErrno.Success;
    }

    private static WasiErrno WriteSizes(WasiCaller caller, byte[][] strings, uint countPointer, uint sizePointer)
    {
        var memory = caller.Memory;
        uint total = 0;
        foreach (var s in strings) total += (uint)s.Length;
        memory.WriteU32(countPointer, (uint)strings.Length);
        memory.WriteU32(sizePointer, total);
        return WasiErrno.Success;
    }
}
