using Sandbox.Engine.Wasi.Internal;

namespace Sandbox.Engine.Wasi;

/// <summary>
/// A tree of files a guest can reach through a preopened directory: a host directory
/// (<see cref="HostFileSystem"/>) or one held in memory (<see cref="MemoryFileSystem"/>).
/// </summary>
/// <remarks>
/// <para>
/// Implementations only ever see canonical paths relative to their root: '/'-separated names,
/// "" for the root, no "." or "..", no symlink before the last name. Turning a guest's path into
/// one (following symlinks, refusing anything that would leave the directory) is done in one
/// place for both, by the WASI layer's path resolver, so an implementation cannot get it wrong.
/// </para>
/// <para>Failures are reported as WASI errnos. The members are internal: the engine supplies the two implementations.</para>
/// </remarks>
public abstract class WasiFileSystem
{
    private protected WasiFileSystem(bool readOnly) => ReadOnly = readOnly;

    /// <summary>When true, every change (create, write, remove, rename, link, set times) fails with EROFS.</summary>
    public bool ReadOnly { get; }

    /// <summary>The entry at <paramref name="path"/> without following a final symlink (lstat); false when there is none.</summary>
    /// <param name="linkTarget">A symlink's target text, else null.</param>
    internal abstract bool TryLookup(string path, out WasiFileType type, out string? linkTarget);

    /// <summary>lstat of <paramref name="path"/>.</summary>
    internal abstract WasiFilestat Stat(string path);

    /// <summary>
    /// Opens (and with <paramref name="create"/> creates) the regular file at <paramref name="path"/>,
    /// whose parent exists and which is not a symlink.
    /// </summary>
    internal abstract IWasiFile OpenFile(string path, bool create, bool exclusive, bool truncate, bool write);

    /// <summary>The names in the directory at <paramref name="path"/>, "." and ".." excluded, in a stable order.</summary>
    internal abstract void ReadDirectory(string path, List<WasiDirectoryEntry> entries);

    internal abstract void CreateDirectory(string path);

    internal abstract void RemoveDirectory(string path);

    internal abstract void UnlinkFile(string path);

    internal abstract void Rename(string from, string to);

    internal abstract void Link(string existing, string newPath);

    internal abstract void Symlink(string target, string path);

    internal abstract string ReadLink(string path);

    /// <summary>Sets the times of the entry at <paramref name="path"/> (not following a final symlink); null leaves one as it is.</summary>
    internal abstract void SetTimes(string path, ulong? accessTime, ulong? modificationTime);

    private protected void CheckWritable()
    {
        if (ReadOnly) throw WasiErrorException.Of(WasiErrno.RoFs);
    }
}
