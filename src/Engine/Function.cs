using Sandbox.Engine.Compilation;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine;

/// <summary>
/// A function (Spec 4.2.6): a Wasm function of an instance or a host function. It is also the
/// value of a non-null <c>funcref</c>.
/// </summary>
public sealed class Function : Extern
{
    // Read by generated code for calls through imports and tables: the canonical type id for the
    // call_indirect check, the entry point and the object passed as the callee's last argument
    // (the Instance of a Wasm function, this Function for a host function).
    internal readonly long TypeId;
    internal readonly nint Code;
    internal readonly object Target;

    // Keeps the collectible assembly holding Code alive while the function is reachable.
    internal readonly object? CodeOwner;

    // Keeps TypeId assigned to this structure while the function is reachable (TypeRegistry).
    private readonly TypeId typeId;

    private EntryStub? entry;

    internal Function(FuncType type, TypeId typeId, nint code, object? target, object? codeOwner, HostCallback? callback, Instance? instance, uint index)
    {
        Type = type;
        this.typeId = typeId;
        TypeId = typeId.Value;
        Code = code;
        Target = target ?? this;
        CodeOwner = codeOwner;
        Callback = callback;
        Instance = instance;
        Index = index;
    }

    /// <summary>A host function of <paramref name="type"/> calling <paramref name="callback"/>.</summary>
    public static Function FromCallback(FuncType type, HostCallback callback)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(callback);
        var stub = SignatureStubs.Get(type);
        return new Function(type, TypeRegistry.Acquire(type), stub.HostThunk, target: null, codeOwner: stub, callback, instance: null, index: 0);
    }

    public override ExternalKind Kind => ExternalKind.Function;

    public FuncType Type { get; }

    /// <summary>True for a host function.</summary>
    public bool IsHost => Callback is not null;

    internal HostCallback? Callback { get; }

    /// <summary>The instance defining a Wasm function (null for a host function).</summary>
    internal Instance? Instance { get; }

    /// <summary>The function's index in its defining module's function index space.</summary>
    internal uint Index { get; }

    /// <summary>
    /// Calls the function with <paramref name="arguments"/>, writing <see cref="FuncType.Results"/>
    /// into <paramref name="results"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Argument count or types, or the results span, do not match the type.</exception>
    /// <exception cref="TrapException">The guest trapped, was interrupted or exhausted the stack.</exception>
    /// <remarks>
    /// The call runs on a dedicated guest thread with a 16 MiB stack, unless the calling thread has
    /// that much room itself (a guest thread, as when a host function calls back, or a host thread
    /// made that large, within <see cref="GuestExecution.MaxInlineCalls"/>) or
    /// <see cref="CallOptions.RunOnCallingThread"/> is set: then it runs inline. The calling thread
    /// waits either way.
    /// </remarks>
    public void Invoke(ReadOnlySpan<Value> arguments, Span<Value> results, CallOptions? options = null)
    {
        CheckArguments(arguments);
        if (results.Length < Type.Results.Length) throw new ArgumentException($"results needs room for {Type.Results.Length} values", nameof(results));
        var stub = entry ??= (Instance?.Module.StubsFor(Type) ?? SignatureStubs.Get(Type)).Entry;
        var here = GuestThreads.EnterHere(pinned: options?.RunOnCallingThread == true);
        if (here != GuestThreads.Here.No)
        {
            try
            {
                CallScope.Run(stub, this, arguments, results, options);
            }
            finally
            {
                GuestThreads.Leave(here);
            }
            return;
        }
        // Spans cannot cross threads: copy in and out.
        var argumentCopy = arguments.ToArray();
        var resultCopy = new Value[Type.Results.Length];
        GuestThreads.Run(() => CallScope.Run(stub, this, argumentCopy, resultCopy, options));
        resultCopy.CopyTo(results);
    }

    /// <summary>Calls the function and returns its results (allocates; see the span overload).</summary>
    public Value[] Invoke(params Value[] arguments)
    {
        var results = new Value[Type.Results.Length];
        Invoke(arguments, results);
        return results;
    }

    /// <summary>Calls the function with <paramref name="options"/> and returns its results.</summary>
    public Value[] Invoke(CallOptions options, params Value[] arguments)
    {
        var results = new Value[Type.Results.Length];
        Invoke(arguments, results, options);
        return results;
    }

    private void CheckArguments(ReadOnlySpan<Value> arguments)
    {
        var parameters = Type.Parameters;
        if (arguments.Length != parameters.Length)
        {
            throw new ArgumentException($"expected {parameters.Length} arguments, got {arguments.Length}", nameof(arguments));
        }
        for (var i = 0; i < parameters.Length; i++)
        {
            if (arguments[i].Type != parameters[i])
            {
                throw new ArgumentException($"argument {i} is {arguments[i].Type.ToWat()}, expected {parameters[i].ToWat()}", nameof(arguments));
            }
            if (parameters[i] == ValueType.FuncRef && arguments[i].Reference is not (null or Function))
            {
                throw new ArgumentException($"argument {i}: a funcref must be a Function or null", nameof(arguments));
            }
        }
    }
}
