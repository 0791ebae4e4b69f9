namespace Sandbox.Engine.Wasi.Internal;

/// <summary>
/// What a WASI host function works on: the context, and the memory of the one instance its
/// functions were defined for (bound when that instance's exports exist, before its start function).
/// </summary>
internal sealed class WasiCaller(WasiContext context)
{
    private Memory? memory;
    private bool bound;

    public WasiContext Context { get; } = context;

    public void Bind(Instance instance)
    {
        if (bound) return;
        bound = true;
        memory = instance.GetMemory("memory");
    }

    public void Bind(Memory callerMemory)
    {
        bound = true;
        memory = callerMemory;
    }

    /// <summary>The caller's exported memory; a module without one cannot pass WASI any pointer, and the call traps.</summary>
    public GuestMemory Memory => new(memory ?? throw NoMemory());

    private static TrapException NoMemory() =>
        new(TrapCode.HostError, "a WASI function was called by a module that exports no memory named 'memory'");
}
