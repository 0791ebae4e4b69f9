namespace Sandbox.Engine.Wasi.Internal;

// proc_exit, proc_raise, sched_yield.
internal static partial class WasiFunctions
{
    /// <summary>proc_exit(rval): unwinds the guest; <see cref="WasiContext.Run"/> returns the code.</summary>
    private static void ProcExit(ReadOnlySpan<Value> arguments, Span<Value> results) => throw new WasiExitException(arguments[0].AsI32());

    /// <summary>proc_raise: signals are not delivered to a sandboxed guest (wasmtime also refuses).</summary>
    private static WasiErrno ProcRaise(WasiCaller caller, ReadOnlySpan<Value> a) => WasiErrno.NotSup;

    private static WasiErrno SchedYield(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        // A yielding guest is waiting for something: what it wrote should reach a streaming reader.
        caller.Context.FlushOutputs();
        Thread.Yield();
        return WasiErrno.Success;
    }
}
