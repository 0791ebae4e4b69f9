namespace Sandbox.Engine.Wasi.Internal;

/// <summary>What a file descriptor refers to, with its rights and flags (<c>$fdstat</c>).</summary>
internal abstract class FdEntry
{
    public WasiRights Base;
    public WasiRights Inheriting;
    public ushort Flags;

    public abstract WasiFileType Type { get; }

    /// <summary>ENOTCAPABLE unless the descriptor holds every one of <paramref name="rights"/>.</summary>
    public void Require(WasiRights rights)
    {
        if ((Base & rights) != rights) throw WasiErrorException.Of(WasiErrno.NotCapable);
    }

    public virtual void Close()
    {
    }
}

/// <summary>Stdin, stdout or stderr: a character device.</summary>
internal sealed class StdioEntry(WasiInput? input, WasiOutput? output) : FdEntry
{
    public WasiInput? Input { get; } = input;

    public WasiOutput? Output { get; } = output;

    public override WasiFileType Type => WasiFileType.CharacterDevice;
}

/// <summary>An open regular file and the descriptor's position in it.</summary>
internal sealed class FileEntry(IWasiFile file) : FdEntry
{
    public IWasiFile File { get; } = file;

    public long Position;

    public override WasiFileType Type => WasiFileType.RegularFile;

    public override void Close() => File.Dispose();
}

/// <summary>A directory capability: a filesystem and a canonical path in it; a preopen also has its guest name.</summary>
internal sealed class DirectoryEntry(WasiFileSystem fileSystem, string path, string? preopenName) : FdEntry
{
    public WasiFileSystem FileSystem { get; } = fileSystem;

    public string Path { get; } = path;

    public string? PreopenName { get; } = preopenName;

    public override WasiFileType Type => WasiFileType.Directory;
}
