using System.Text;
using Sandbox.Engine;
using Sandbox.Engine.Wasi;

namespace Sandbox.Wasi.Tests.Support;

/// <summary>
/// Calls WASI functions directly, as a guest would, with one page of memory as the caller's:
/// strings and records are placed in it by hand, so each test controls every pointer.
/// </summary>
public sealed class WasiHarness : IDisposable
{
    public const uint PageBytes = 65536;

    private readonly Linker linker = new();

    public WasiHarness(WasiConfiguration configuration)
    {
        Memory = new Memory(new MemoryType(new Limits(1, 1)));
        Context = new WasiContext(configuration);
        Context.DefineImports(linker, Memory);
    }

    public Memory Memory { get; }

    public WasiContext Context { get; }

    /// <summary>Calls <paramref name="name"/> and returns its errno.</summary>
    public WasiErrno Call(string name, params Value[] arguments) => Call(name, null, arguments);

    public WasiErrno Call(string name, CallOptions? options, params Value[] arguments)
    {
        var function = (Function)(linker.Get("wasi_snapshot_preview1", name) ?? throw new ArgumentException(name));
        var results = new Value[function.Type.Results.Length];
        function.Invoke(arguments, results, options);
        return (WasiErrno)results[0].AsI32();
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 at <paramref name="at"/>; returns its length.</summary>
    public int Put(uint at, string text) => Put(at, Encoding.UTF8.GetBytes(text));

    public int Put(uint at, byte[] bytes)
    {
        Memory.Write(at, bytes);
        return bytes.Length;
    }

    /// <summary>path_open relative to <paramref name="dirFd"/>; the new fd (or -1) in <paramref name="fd"/>.</summary>
    public WasiErrno Open(int dirFd, string path, out int fd, int oflags = 0, WasiRights rights = WasiRights.FdRead | WasiRights.FdSeek, int lookupFlags = 1)
    {
        const uint pathAt = 1024, fdAt = 16;
        var length = Put(pathAt, path);
        Memory.WriteInt32(fdAt, -1);
        var errno = Call("path_open", dirFd, lookupFlags, (int)pathAt, length, oflags, (long)rights, (long)WasiRights.All, 0, (int)fdAt);
        fd = Memory.ReadInt32(fdAt);
        return errno;
    }

    /// <summary>Calls a path function taking (fd, path, path_len).</summary>
    public WasiErrno PathCall(string name, int dirFd, string path)
    {
        const uint pathAt = 1024;
        return Call(name, dirFd, (int)pathAt, Put(pathAt, path));
    }

    public void Dispose()
    {
        Context.Dispose();
        Memory.Dispose();
    }
}
