namespace Sandbox.Engine;

/// <summary>A global variable (Spec 4.2.9), mutable or not, shareable between instances by import.</summary>
public sealed class Global : Extern
{
    // Read and written by generated code: numbers as bits (f32/i32 in the low half), references apart.
    internal long Bits;
    internal object? Reference;
    internal System.Runtime.Intrinsics.Vector128<byte> Vector; // a v128 global's value

    public Global(GlobalType type, Value initial)
    {
        if (initial.Type != type.ValueType) throw new ArgumentException($"initial value is {initial.Type.ToWat()}, the global is {type.ValueType.ToWat()}", nameof(initial));
        Type = type;
        Store(initial);
    }

    public override ExternalKind Kind => ExternalKind.Global;

    public GlobalType Type { get; }

    /// <summary>The current value; setting it requires a mutable global.</summary>
    /// <exception cref="InvalidOperationException">Set on an immutable global.</exception>
    public Value Value
    {
        get => Type.ValueType == ValueType.V128 ? Value.FromV128(Vector) : Value.FromBits(Type.ValueType, (ulong)Bits, Reference);
        set
        {
            if (!Type.Mutable) throw new InvalidOperationException("the global is immutable");
            if (value.Type != Type.ValueType) throw new ArgumentException($"value is {value.Type.ToWat()}, the global is {Type.ValueType.ToWat()}", nameof(value));
            Store(value);
        }
    }

    private void Store(Value value)
    {
        if (value.Type == ValueType.V128)
        {
            Vector = value.AsV128();
            return;
        }
        Bits = (long)value.Bits;
        Reference = value.Reference;
    }
}
