namespace Sandbox.Engine.Wasi.Internal;

/// <summary>
/// Thrown inside the WASI implementation to return <see cref="Errno"/> to the guest from deep in a
/// call (a bad pointer, a path escaping its directory, a host I/O error); the host function that
/// received the call catches it and returns the errno. It never reaches the embedder.
/// </summary>
internal sealed class WasiErrorException(WasiErrno errno) : Exception(errno.ToString())
{
    public WasiErrno Errno { get; } = errno;

    public static WasiErrorException Of(WasiErrno errno) => new(errno);
}
