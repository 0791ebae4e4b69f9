using System.Collections.Concurrent;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

/// <summary>The fields and methods generated code refers to, looked up once.</summary>
internal static class Members
{
    private const BindingFlags AnyInstance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private const BindingFlags AnyStatic = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    // Lookup caches; declared first because the fields below are initialised through them.
    private static readonly ConcurrentDictionary<(Type Type, string Name), MethodInfo> Methods = new();
    private static readonly ConcurrentDictionary<(Type Type, string Name, Type? First, Type? Second, Type? Third), MethodInfo> Overloads = new();
    private static readonly ConcurrentDictionary<(Type Type, string Name), FieldInfo> Fields = new();

    public static readonly FieldInfo InstanceFunctions = Field<Instance>(nameof(Instance.Functions));
    public static readonly FieldInfo InstanceTables = Field<Instance>(nameof(Instance.Tables));
    public static readonly FieldInfo InstanceMemory0 = Field<Instance>(nameof(Instance.Memory0));
    public static readonly FieldInfo InstanceGlobals = Field<Instance>(nameof(Instance.Globals));

    public static readonly FieldInfo FunctionTarget = Field<Function>(nameof(Function.Target));
    public static readonly FieldInfo FunctionCode = Field<Function>(nameof(Function.Code));

    public static readonly FieldInfo MemoryBase = Field<Memory>(nameof(Memory.Base));
    public static readonly FieldInfo MemoryLength = Field<Memory>(nameof(Memory.Length));

    public static readonly FieldInfo TableElements = Field<Table>(nameof(Table.Elements));

    public static readonly FieldInfo GlobalBits = Field<Global>(nameof(Global.Bits));
    public static readonly FieldInfo GlobalReference = Field<Global>(nameof(Global.Reference));
    public static readonly FieldInfo GlobalVector = Field<Global>(nameof(Global.Vector));

    public static readonly MethodInfo StackCheck = Method(typeof(StackGuard), nameof(StackGuard.Check));
    public static readonly MethodInfo StackCheckFrame = Method(typeof(StackGuard), nameof(StackGuard.CheckFrame));
    public static readonly FieldInfo StateInterrupt = typeof(ExecutionState).GetField(nameof(ExecutionState.Interrupt), AnyInstance)!;
    public static readonly FieldInfo StateFuel = typeof(ExecutionState).GetField(nameof(ExecutionState.Fuel), AnyInstance)!;
    public static readonly MethodInfo StateOutOfFuel = Method(typeof(ExecutionState), nameof(ExecutionState.OutOfFuel));
    public static readonly MethodInfo StateInterrupted = Method(typeof(ExecutionState), nameof(ExecutionState.Interrupted));

    public static readonly MethodInfo TrapCreate = Method(typeof(Traps), nameof(Traps.Create));

    public static readonly MethodInfo UnsafeAsFunction =
        typeof(Unsafe).GetMethods().Single(m => m.Name == nameof(Unsafe.As) && m.GetGenericArguments().Length == 1).MakeGenericMethod(typeof(Function));

    public static MethodInfo Numeric(string name) => Method(typeof(Numerics), name);

    public static MethodInfo Instruction(string name) => Method(typeof(Instructions), name);

    public static MethodInfo Stub(string name) => Method(typeof(StubSupport), name);

    public static MethodInfo Bits(string name, params Type[] arguments) => StaticMethod(typeof(BitOperations), name, arguments);

    /// <summary>
    /// A public static overload by parameter types, at most three (cached: the compiler asks per
    /// instruction, so the key is built without allocating).
    /// </summary>
    public static MethodInfo StaticMethod(Type type, string name, params Type[] arguments)
    {
        if (arguments.Length > 3) throw new ArgumentException("at most three parameter types", nameof(arguments));
        var key = (type, name, arguments.ElementAtOrDefault(0), arguments.ElementAtOrDefault(1), arguments.ElementAtOrDefault(2));
        return Overloads.TryGetValue(key, out var method)
            ? method
            : Overloads.GetOrAdd(key, type.GetMethod(name, arguments) ?? throw new MissingMethodException(type.Name, name));
    }

    /// <summary>The only static method of that name, public or not (cached).</summary>
    public static MethodInfo Method(Type type, string name) =>
        Methods.GetOrAdd((type, name), key => key.Type.GetMethods(AnyStatic).Single(m => m.Name == key.Name));

    /// <summary>A static field, public or not (cached).</summary>
    public static FieldInfo StaticField(Type type, string name) =>
        Fields.GetOrAdd((type, name), key => key.Type.GetField(key.Name, AnyStatic) ?? throw new MissingFieldException(key.Type.Name, key.Name));


    private static FieldInfo Field<T>(string name) =>
        typeof(T).GetField(name, AnyInstance) ?? throw new MissingFieldException(typeof(T).Name, name);
}
