namespace Sandbox.Engine.Wasi;

/// <summary>The type of a file (<c>$filetype</c>, u8, typenames.witx).</summary>
public enum WasiFileType : byte
{
    Unknown = 0,
    BlockDevice = 1,
    CharacterDevice = 2,
    Directory = 3,
    RegularFile = 4,
    SocketDgram = 5,
    SocketStream = 6,
    SymbolicLink = 7,
}
