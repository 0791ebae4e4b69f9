namespace Sandbox.Engine.Binary;

/// <summary>
/// Sub-opcodes after the 0xFC prefix (Spec 5.4.7 saturating truncation, 5.4.5 table and 5.4.6
/// bulk memory instructions), encoded as a u32 LEB128.
/// </summary>
public enum MiscOpcode : uint
{
    I32TruncSatF32S = 0,
    I32TruncSatF32U = 1,
    I32TruncSatF64S = 2,
    I32TruncSatF64U = 3,
    I64TruncSatF32S = 4,
    I64TruncSatF32U = 5,
    I64TruncSatF64S = 6,
    I64TruncSatF64U = 7,

    /// <summary>memory.init dataidx 0x00</summary>
    MemoryInit = 8,

    /// <summary>data.drop dataidx</summary>
    DataDrop = 9,

    /// <summary>memory.copy 0x00 0x00</summary>
    MemoryCopy = 10,

    /// <summary>memory.fill 0x00</summary>
    MemoryFill = 11,

    /// <summary>table.init elemidx tableidx</summary>
    TableInit = 12,

    /// <summary>elem.drop elemidx</summary>
    ElemDrop = 13,

    /// <summary>table.copy tableidx(dst) tableidx(src)</summary>
    TableCopy = 14,

    TableGrow = 15,
    TableSize = 16,
    TableFill = 17,
}
