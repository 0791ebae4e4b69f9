using Sandbox.Engine;

namespace Sandbox.Fuzz.Tests.Mutation;

/// <summary>
/// One mutated module through our decoder, validator and compiler (<see cref="Module.FromBytes"/>):
/// it must finish within the bound, fail only with the engine's own error types, and accept or
/// reject as Wasmtime does (up to <see cref="KnownDifferences"/>).
/// </summary>
public static class ValidityCase
{
    /// <summary>Null when our engine behaved; otherwise what went wrong.</summary>
    public static string? Check(byte[] wasm, string? wasmtimeError, TimeSpan timeout)
    {
        var work = Task.Run(() =>
        {
            try
            {
                Module.FromBytes(wasm);
                return (string?)null;
            }
            catch (WasmException e)
            {
                return e.GetType().Name + ": " + e.Message;
            }
        });
        string? ours;
        try
        {
            if (!work.Wait(timeout)) return $"hang: decoding and validation took over {timeout.TotalSeconds} s";
            ours = work.Result;
        }
        catch (AggregateException e)
        {
            // Anything but a WasmException escaping the engine is a crash to a host.
            return "non-engine exception: " + e.InnerException;
        }
        if (KnownDifferences.Explain(ours, wasmtimeError) is not null) return null;
        if (ours is null && wasmtimeError is not null) return "we accept, Wasmtime rejects: " + FirstLines(wasmtimeError);
        if (ours is not null && wasmtimeError is null) return "we reject, Wasmtime accepts: " + ours;
        return null;
    }

    private static string FirstLines(string message) => message.ReplaceLineEndings(" | ");
}
