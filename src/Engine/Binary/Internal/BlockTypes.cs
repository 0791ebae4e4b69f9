namespace Sandbox.Engine.Binary.Internal;

/// <summary>
/// Block types (Spec 5.4.1): the byte 0x40 for no result, a single value type byte, or a type
/// index as a positive s33. All three share one s33 encoding: 0x40 is -64 and the value types
/// are the negative one-byte numbers -1 (i32) to -17 (externref).
/// </summary>
internal static class BlockTypes
{
    /// <summary>The s33 value of the empty block type 0x40.</summary>
    public const long Empty = -64;

    /// <summary>The value type a negative block type stands for, or false for a malformed one.</summary>
    public static bool TryGetValueType(long blockType, out ValueType type)
    {
        var b = (byte)(blockType & 0x7F);
        type = (ValueType)b;
        return blockType is < 0 and >= -64 && type is ValueType.I32 or ValueType.I64 or ValueType.F32
            or ValueType.F64 or ValueType.V128 or ValueType.FuncRef or ValueType.ExternRef;
    }
}
