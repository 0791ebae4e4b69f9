namespace Sandbox.Engine.Wasi.Internal;

/// <summary>One name in a directory listing.</summary>
internal readonly record struct WasiDirectoryEntry(string Name, WasiFileType Type, ulong Inode);
