using Sandbox.Engine.Binary;

namespace Sandbox.Engine.Validation.Internal;

/// <summary>
/// Type, access size (log2 bytes, which the alignment must equal) and shape of each 0xFE
/// instruction but atomic.fence. The loads, stores and each read-modify-write family repeat one
/// pattern of seven: i32, i64, i32 8-bit, i32 16-bit, i64 8-bit, i64 16-bit, i64 32-bit.
/// </summary>
internal static class AtomicSignatures
{
    private static readonly (ValueType Type, int Size)[] FamilyPattern =
    [
        (ValueType.I32, 2), (ValueType.I64, 3), (ValueType.I32, 0), (ValueType.I32, 1),
        (ValueType.I64, 0), (ValueType.I64, 1), (ValueType.I64, 2),
    ];

    private const int FamilySize = 7;

    public static bool TryGet(AtomicOpcode opcode, out ValueType type, out int size, out AtomicShape shape)
    {
        switch (opcode)
        {
            case AtomicOpcode.MemoryAtomicNotify:
                (type, size, shape) = (ValueType.I32, 2, AtomicShape.Notify);
                return true;
            case AtomicOpcode.MemoryAtomicWait32:
                (type, size, shape) = (ValueType.I32, 2, AtomicShape.Wait);
                return true;
            case AtomicOpcode.MemoryAtomicWait64:
                (type, size, shape) = (ValueType.I64, 3, AtomicShape.Wait);
                return true;
            // The loads (0x10-0x16) have no 8/16/32-bit signed forms, so they fit the pattern too.
            case >= AtomicOpcode.I32AtomicLoad and <= AtomicOpcode.I64AtomicRmw32CmpxchgU:
                var offset = (int)(opcode - AtomicOpcode.I32AtomicLoad);
                (type, size) = FamilyPattern[offset % FamilySize];
                shape = (offset / FamilySize) switch
                {
                    0 => AtomicShape.Load,
                    1 => AtomicShape.Store,
                    8 => AtomicShape.CompareExchange,
                    _ => AtomicShape.ReadModifyWrite, // add, sub, and, or, xor, xchg
                };
                return true;
            default:
                (type, size, shape) = (default, 0, default);
                return false;
        }
    }
}
