namespace Sandbox.Engine.Binary;

/// <summary>Section ids (Spec 5.5.2). Non-custom sections appear at most once, in the order of <see cref="Internal.SectionOrder"/>.</summary>
public enum SectionId : byte
{
    Custom = 0,
    Type = 1,
    Import = 2,
    Function = 3,
    Table = 4,
    Memory = 5,
    Global = 6,
    Export = 7,
    Start = 8,
    Element = 9,
    Code = 10,
    Data = 11,
    DataCount = 12,
}
