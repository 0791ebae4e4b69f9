using System.Text;

namespace Sandbox.Engine;

/// <summary>A function type: parameters and results (Spec 2.3.5). Compare with <see cref="Equals(FuncType?)"/>.</summary>
public sealed class FuncType : IEquatable<FuncType>
{
    public FuncType(ValueType[] parameters, ValueType[] results)
    {
        Parameters = parameters;
        Results = results;
    }

    public static readonly FuncType Empty = new([], []);

    public ValueType[] Parameters { get; }

    public ValueType[] Results { get; }

    public bool Equals(FuncType? other) =>
        other is not null
        && Parameters.AsSpan().SequenceEqual(other.Parameters)
        && Results.AsSpan().SequenceEqual(other.Results);

    public override bool Equals(object? obj) => Equals(obj as FuncType);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var p in Parameters) hash.Add(p);
        hash.Add(0xFF);
        foreach (var r in Results) hash.Add(r);
        return hash.ToHashCode();
    }

    /// <summary>As in the text format: <c>(func (param i32 i32) (result i32))</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("(func");
        if (Parameters.Length > 0) sb.Append(" (param ").AppendJoin(' ', Parameters.Select(p => p.ToWat())).Append(')');
        if (Results.Length > 0) sb.Append(" (result ").AppendJoin(' ', Results.Select(p => p.ToWat())).Append(')');
        return sb.Append(')').ToString();
    }
}

/// <summary>Limits of a memory or table, in pages or elements (Spec 2.3.7).</summary>
public readonly record struct Limits(ulong Minimum, ulong? Maximum)
{
    public override string ToString() => Maximum is { } max ? $"{Minimum} {max}" : $"{Minimum}";
}

/// <summary>A table type: element reference type and limits in elements.</summary>
public sealed record TableType(ValueType ElementType, Limits Limits);

/// <summary>
/// A memory type. Limits count pages of <see cref="PageSize"/> bytes: 65536 by default, or 1 with
/// the custom-page-sizes proposal. <see cref="Shared"/> comes from the threads proposal (a shared
/// memory must have a maximum); <see cref="Is64"/> from memory64 (decoded, rejected by validation
/// until supported).
/// </summary>
public sealed record MemoryType(Limits Limits, bool Shared = false, bool Is64 = false, int PageSizeLog2 = 16)
{
    public const int DefaultPageSizeLog2 = 16;

    public ulong PageSize => 1UL << PageSizeLog2;
}

/// <summary>A global type: value type and mutability.</summary>
public sealed record GlobalType(ValueType ValueType, bool Mutable)
{
    public override string ToString() => Mutable ? $"(mut {ValueType.ToWat()})" : ValueType.ToWat();
}

/// <summary>The four kinds of imports and exports (Spec 5.5.5 / 5.5.10; the byte is the encoding).</summary>
public enum ExternalKind : byte
{
    Function = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
}
