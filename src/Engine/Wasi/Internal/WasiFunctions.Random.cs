using System.Security.Cryptography;

namespace Sandbox.Engine.Wasi.Internal;

// random_get: the host's CSPRNG, or a seeded generator for reproducible runs.
internal static partial class WasiFunctions
{
    private static WasiErrno RandomGet(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var buffer = caller.Memory.Slice(U32(a, 0), U32(a, 1));
        if (caller.Context.SeededRandom is { } seeded) seeded.NextBytes(buffer);
        else RandomNumberGenerator.Fill(buffer);
        return WasiErrno.Success;
    }
}
