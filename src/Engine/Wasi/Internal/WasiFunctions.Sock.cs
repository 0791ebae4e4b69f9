namespace Sandbox.Engine.Wasi.Internal;

// sock_accept, sock_recv, sock_send, sock_shutdown. Preview 1 has no way to create a socket and
// this host preopens none, so every descriptor is either not open (EBADF) or not a socket (ENOTSOCK).
internal static partial class WasiFunctions
{
    private static WasiErrno SockAccept(WasiCaller caller, ReadOnlySpan<Value> a) => NotASocket(caller, I32(a, 0));

    private static WasiErrno SockRecv(WasiCaller caller, ReadOnlySpan<Value> a) => NotASocket(caller, I32(a, 0));

    private static WasiErrno SockSend(WasiCaller caller, ReadOnlySpan<Value> a) => NotASocket(caller, I32(a, 0));

    private static WasiErrno SockShutdown(WasiCaller caller, ReadOnlySpan<Value> a) => NotASocket(caller, I32(a, 0));

    private static WasiErrno NotASocket(WasiCaller caller, int fd)
    {
        caller.Context.Fds.Get(fd);
        return WasiErrno.NotSock;
    }
}
