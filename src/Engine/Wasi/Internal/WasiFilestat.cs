namespace Sandbox.Engine.Wasi.Internal;

/// <summary>A file's attributes as <c>$filestat</c> carries them (times in nanoseconds since the Unix epoch).</summary>
internal struct WasiFilestat
{
    public ulong Device;
    public ulong Inode;
    public WasiFileType Type;
    public ulong LinkCount;
    public ulong Size;
    public ulong AccessTime;
    public ulong ModificationTime;
    public ulong ChangeTime;
}
