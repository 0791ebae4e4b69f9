using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

/// <summary>
/// Per function type, two generated bridges between boxed <see cref="Value"/>s and typed code:
/// the <see cref="Entry"/> stub (host calls guest: unpack, <c>calli</c>, pack) and the
/// <see cref="HostThunk"/> (guest calls host: a method with the Wasm calling convention that boxes
/// its arguments and calls the host callback).
/// </summary>
/// <remarks>
/// Each type's stubs live in a collectible assembly of their own, held by whoever uses them: the
/// <see cref="Module"/> whose functions are called from the host (<see cref="Module.StubsFor"/>),
/// a host function (its code owner), a function's cached entry. The process-wide cache finds live
/// stubs again weakly, and holds only the <see cref="RecentlyBuilt"/> last built strongly (so the
/// WASI functions' few dozen types, defined anew for every session, are not rebuilt after each
/// collection), so a tenant calling functions of ever new signatures leaves at most that many
/// behind once its modules are gone: a signature is whatever a module declares, without bound.
/// </remarks>
internal sealed class SignatureStubs
{
    private static readonly ConcurrentDictionary<FuncType, WeakReference<SignatureStubs>> Cache = new();
    private static readonly Lock BuildLock = new();
    private static int counter;
    private static int sweepAt = 64;

    /// <summary>How many of the last stubs built the cache keeps alive by itself.</summary>
    internal const int RecentlyBuilt = 256;

    private static readonly SignatureStubs?[] Recent = new SignatureStubs?[RecentlyBuilt];

    // Keeps the collectible assembly (and so Entry and HostThunk) alive while the stubs are reachable.
    private readonly System.Type built;

    private SignatureStubs(System.Type built, EntryStub entry, nint hostThunk)
    {
        this.built = built;
        Entry = entry;
        HostThunk = hostThunk;
    }

    public EntryStub Entry { get; }

    public nint HostThunk { get; }

    /// <summary>The cache's entries whose stubs are still alive (for tests).</summary>
    internal static int LiveCount => Cache.Values.Count(weak => weak.TryGetTarget(out _));

    public static SignatureStubs Get(FuncType type)
    {
        if (Cache.TryGetValue(type, out var weak) && weak.TryGetTarget(out var stubs)) return stubs;
        lock (BuildLock)
        {
            if (Cache.TryGetValue(type, out weak) && weak.TryGetTarget(out stubs)) return stubs;
            stubs = Build(type);
            Recent[counter % RecentlyBuilt] = stubs;
            Cache[type] = new WeakReference<SignatureStubs>(stubs);
            if (Cache.Count >= sweepAt)
            {
                foreach (var (key, entry) in Cache)
                {
                    if (!entry.TryGetTarget(out _)) Cache.TryRemove(new KeyValuePair<FuncType, WeakReference<SignatureStubs>>(key, entry));
                }
                sweepAt = Math.Max(64, Cache.Count * 2);
            }
            return stubs;
        }
    }

    private static SignatureStubs Build(FuncType type)
    {
        var name = new AssemblyName($"Sandbox.Wasm.Stubs{++counter}");
        var assembly = AssemblyBuilder.DefineDynamicAssembly(name, AssemblyBuilderAccess.RunAndCollect);
        assembly.SetCustomAttribute(ModuleCompiler.IgnoresAccessChecks());
        var builder = assembly.DefineDynamicModule(name.Name!).DefineType("Stubs", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        EmitEntry(builder, type);
        EmitHostThunk(builder, type);
        var built = builder.CreateType();
        var entry = built.GetMethod("Entry")!.CreateDelegate<EntryStub>();
        var thunk = built.GetMethod("Host")!.MethodHandle.GetFunctionPointer();
        return new SignatureStubs(built, entry, thunk);
    }

    // static void Entry(ReadOnlySpan<Value> args, Span<Value> results, Function f, int depth, ExecutionState state)
    //     => results = f.Code(args[0], ..., out r1, ..., depth, state, f.Target)
    private static void EmitEntry(TypeBuilder builder, FuncType type)
    {
        var method = builder.DefineMethod("Entry", MethodAttributes.Public | MethodAttributes.Static, typeof(void),
            [typeof(ReadOnlySpan<Value>), typeof(Span<Value>), typeof(Function), typeof(int), typeof(ExecutionState)]);
        var il = method.GetILGenerator();
        for (var i = 0; i < type.Parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Call, Members.Stub(type.Parameters[i] switch
            {
                ValueType.I32 => nameof(StubSupport.ArgI32),
                ValueType.I64 => nameof(StubSupport.ArgI64),
                ValueType.F32 => nameof(StubSupport.ArgF32),
                ValueType.F64 => nameof(StubSupport.ArgF64),
                ValueType.V128 => nameof(StubSupport.ArgV128),
                _ => nameof(StubSupport.ArgRef),
            }));
        }
        var results = type.Results.Select(r => il.DeclareLocal(ClrSignature.ClrType(r))).ToArray();
        for (var i = 1; i < results.Length; i++) il.Emit(OpCodes.Ldloca, results[i]);
        il.Emit(OpCodes.Ldarg_3);
        il.Emit(OpCodes.Ldarg, 4);
        il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Ldfld, Members.FunctionTarget);
        il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Ldfld, Members.FunctionCode);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, ClrSignature.ReturnType(type), ClrSignature.ParameterTypes(type, typeof(object)), null);
        if (results.Length > 0) il.Emit(OpCodes.Stloc, results[0]);
        for (var i = 0; i < results.Length; i++)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldloc, results[i]);
            il.Emit(OpCodes.Call, Members.Stub(type.Results[i] switch
            {
                ValueType.I32 => nameof(StubSupport.SetI32),
                ValueType.I64 => nameof(StubSupport.SetI64),
                ValueType.F32 => nameof(StubSupport.SetF32),
                ValueType.F64 => nameof(StubSupport.SetF64),
                ValueType.V128 => nameof(StubSupport.SetV128),
                ValueType.FuncRef => nameof(StubSupport.SetFuncRef),
                _ => nameof(StubSupport.SetExternRef),
            }));
        }
        il.Emit(OpCodes.Ret);
    }

    // static R Host(p0, ..., ref r1, ..., int depth, ExecutionState state, object function): box the arguments, call the callback, unbox.
    private static void EmitHostThunk(TypeBuilder builder, FuncType type)
    {
        var parameters = ClrSignature.ParameterTypes(type, typeof(object));
        var method = builder.DefineMethod("Host", MethodAttributes.Public | MethodAttributes.Static, ClrSignature.ReturnType(type), parameters);
        var il = method.GetILGenerator();
        var arguments = il.DeclareLocal(typeof(Value[]));
        var results = il.DeclareLocal(typeof(Value[]));
        il.Emit(OpCodes.Ldc_I4, type.Parameters.Length);
        il.Emit(OpCodes.Newarr, typeof(Value));
        il.Emit(OpCodes.Stloc, arguments);
        for (var i = 0; i < type.Parameters.Length; i++)
        {
            il.Emit(OpCodes.Ldloc, arguments);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldarg, i);
            il.Emit(OpCodes.Call, BoxMethod(type.Parameters[i]));
            il.Emit(OpCodes.Stelem, typeof(Value));
        }
        il.Emit(OpCodes.Ldc_I4, type.Results.Length);
        il.Emit(OpCodes.Newarr, typeof(Value));
        il.Emit(OpCodes.Stloc, results);
        il.Emit(OpCodes.Ldarg, parameters.Length - 1);
        il.Emit(OpCodes.Ldloc, arguments);
        il.Emit(OpCodes.Ldloc, results);
        il.Emit(OpCodes.Ldarg, parameters.Length - 3);
        il.Emit(OpCodes.Call, Members.Stub(nameof(StubSupport.CallHost)));
        for (var i = type.Results.Length - 1; i >= 0; i--)
        {
            if (i > 0) il.Emit(OpCodes.Ldarg, type.Parameters.Length + i - 1);
            il.Emit(OpCodes.Ldloc, results);
            il.Emit(OpCodes.Ldc_I4, i);
            il.Emit(OpCodes.Ldelema, typeof(Value));
            EmitUnbox(il, type.Results[i]);
            if (i > 0) EmitStoreIndirect(il, type.Results[i]);
        }
        il.Emit(OpCodes.Ret);
    }

    public static MethodInfo BoxMethod(ValueType type) => type switch
    {
        ValueType.I32 => typeof(Value).GetMethod(nameof(Value.FromI32))!,
        ValueType.I64 => typeof(Value).GetMethod(nameof(Value.FromI64))!,
        ValueType.F32 => typeof(Value).GetMethod(nameof(Value.FromF32))!,
        ValueType.F64 => typeof(Value).GetMethod(nameof(Value.FromF64))!,
        ValueType.V128 => typeof(Value).GetMethod(nameof(Value.FromV128), [typeof(System.Runtime.Intrinsics.Vector128<byte>)])!,
        ValueType.FuncRef => Members.Stub(nameof(StubSupport.FuncRef)),
        _ => typeof(Value).GetMethod(nameof(Value.FromExtern))!,
    };

    /// <summary>With the address of a <see cref="Value"/> on the stack, loads its typed content.</summary>
    private static void EmitUnbox(ILGenerator il, ValueType type) => il.Emit(OpCodes.Call, type switch
    {
        ValueType.I32 => typeof(Value).GetMethod(nameof(Value.AsI32))!,
        ValueType.I64 => typeof(Value).GetMethod(nameof(Value.AsI64))!,
        ValueType.F32 => typeof(Value).GetMethod(nameof(Value.AsF32))!,
        ValueType.F64 => typeof(Value).GetMethod(nameof(Value.AsF64))!,
        ValueType.V128 => typeof(Value).GetMethod(nameof(Value.AsV128))!,
        _ => typeof(Value).GetProperty(nameof(Value.Reference))!.GetMethod!,
    });

    public static void EmitLoadIndirect(ILGenerator il, ValueType type)
    {
        if (type == ValueType.V128)
        {
            il.Emit(OpCodes.Ldobj, typeof(System.Runtime.Intrinsics.Vector128<byte>));
            return;
        }
        il.Emit(type switch
        {
            ValueType.I32 => OpCodes.Ldind_I4,
            ValueType.I64 => OpCodes.Ldind_I8,
            ValueType.F32 => OpCodes.Ldind_R4,
            ValueType.F64 => OpCodes.Ldind_R8,
            _ => OpCodes.Ldind_Ref,
        });
    }

    public static void EmitStoreIndirect(ILGenerator il, ValueType type)
    {
        if (type == ValueType.V128)
        {
            il.Emit(OpCodes.Stobj, typeof(System.Runtime.Intrinsics.Vector128<byte>));
            return;
        }
        EmitStoreScalarIndirect(il, type);
    }

    private static void EmitStoreScalarIndirect(ILGenerator il, ValueType type) => il.Emit(type switch
    {
        ValueType.I32 => OpCodes.Stind_I4,
        ValueType.I64 => OpCodes.Stind_I8,
        ValueType.F32 => OpCodes.Stind_R4,
        ValueType.F64 => OpCodes.Stind_R8,
        _ => OpCodes.Stind_Ref,
    });
}
