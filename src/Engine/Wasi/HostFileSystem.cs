using System.Text;
using Microsoft.Win32.SafeHandles;
using Sandbox.Engine.Wasi.Internal;

namespace Sandbox.Engine.Wasi;

/// <summary>
/// A host directory given to a guest (<c>sandbox run --dir HOST::GUEST</c>), confined to it:
/// the WASI layer resolves every guest path name by name inside it, refusing <c>..</c> above it,
/// absolute paths and symlinks (made by the guest or already on the host) that lead out; this
/// class then opens the final name with <c>O_NOFOLLOW</c>. Linux only (glibc).
/// </summary>
/// <remarks>
/// Hazard: another host process that swaps a directory inside the tree for a symlink between the
/// resolver's check and the use can still redirect one call (the resolver checks each name with
/// lstat rather than walking with openat). The guest itself cannot: its calls are serialised and
/// every name it can create is checked again when it is next followed.
/// </remarks>
public sealed unsafe class HostFileSystem : WasiFileSystem
{
    private readonly string root;

    /// <param name="hostDirectory">The directory to expose; it must exist.</param>
    /// <param name="readOnly">Refuse every change with EROFS.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public HostFileSystem(string hostDirectory, bool readOnly = false) : base(readOnly)
    {
        ArgumentNullException.ThrowIfNull(hostDirectory);
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("host directories for WASI need Linux");
        var full = Path.GetFullPath(hostDirectory);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"no directory '{hostDirectory}'");
        root = full.TrimEnd('/');
        if (root.Length == 0) root = "/";
    }

    /// <summary>The host directory, as a full path.</summary>
    public string HostDirectory => root;

    private string HostPath(string path) => path.Length == 0 ? root : root == "/" ? "/" + path : root + "/" + path;

    internal override bool TryLookup(string path, out WasiFileType type, out string? linkTarget)
    {
        var buffer = stackalloc byte[LibC.StatBufferSize];
        linkTarget = null;
        if (LibC.LStat(HostPath(path), buffer) < 0)
        {
            var errno = LibC.LastErrno();
            type = WasiFileType.Unknown;
            if (errno is WasiErrno.NoEnt) return false;
            throw WasiErrorException.Of(errno);
        }
        type = LibC.DecodeStat(buffer).Type;
        if (type == WasiFileType.SymbolicLink) linkTarget = ReadLink(path);
        return true;
    }

    internal override WasiFilestat Stat(string path)
    {
        var buffer = stackalloc byte[LibC.StatBufferSize];
        LibC.Check(LibC.LStat(HostPath(path), buffer));
        return LibC.DecodeStat(buffer);
    }

    internal override IWasiFile OpenFile(string path, bool create, bool exclusive, bool truncate, bool write)
    {
        if (create || truncate || write) CheckWritable();
        var flags = (write ? LibC.O_RDWR : LibC.O_RDONLY) | LibC.O_NOFOLLOW | LibC.O_CLOEXEC;
        if (create) flags |= LibC.O_CREAT;
        if (exclusive) flags |= LibC.O_EXCL;
        if (truncate) flags |= LibC.O_TRUNC;
        var fd = LibC.Open(HostPath(path), flags, 0b110_110_100); // 0664 before the umask
        if (fd < 0 && write && !create && !truncate && LibC.LastErrno() is WasiErrno.Access or WasiErrno.RoFs)
        {
            // A file the host lets us read but not write: open it for reading; writes then fail with EBADF.
            fd = LibC.Open(HostPath(path), LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
            write = false;
        }
        if (fd < 0) throw WasiErrorException.Of(LibC.LastErrno());
        return new HostFile(new SafeFileHandle(fd, ownsHandle: true), write);
    }

    internal override void ReadDirectory(string path, List<WasiDirectoryEntry> entries)
    {
        string[] names;
        try
        {
            names = Directory.GetFileSystemEntries(HostPath(path));
        }
        catch (UnauthorizedAccessException)
        {
            throw WasiErrorException.Of(WasiErrno.Access);
        }
        catch (IOException)
        {
            throw WasiErrorException.Of(WasiErrno.Io);
        }
        Array.Sort(names, StringComparer.Ordinal);
        var buffer = stackalloc byte[LibC.StatBufferSize];
        foreach (var full in names)
        {
            var name = Path.GetFileName(full);
            if (LibC.LStat(full, buffer) < 0) continue; // removed since the listing
            var stat = LibC.DecodeStat(buffer);
            entries.Add(new WasiDirectoryEntry(name, stat.Type, stat.Inode));
        }
    }

    internal override void CreateDirectory(string path)
    {
        CheckWritable();
        LibC.Check(LibC.MkDir(HostPath(path), 0b111_111_101));
    }

    internal override void RemoveDirectory(string path)
    {
        CheckWritable();
        if (path.Length == 0) throw WasiErrorException.Of(WasiErrno.Busy);
        LibC.Check(LibC.RmDir(HostPath(path)));
    }

    internal override void UnlinkFile(string path)
    {
        CheckWritable();
        LibC.Check(LibC.Unlink(HostPath(path)));
    }

    internal override void Rename(string from, string to)
    {
        CheckWritable();
        if (from.Length == 0 || to.Length == 0) throw WasiErrorException.Of(WasiErrno.Busy);
        LibC.Check(LibC.Rename(HostPath(from), HostPath(to)));
    }

    internal override void Link(string existing, string newPath)
    {
        CheckWritable();
        LibC.Check(LibC.Link(HostPath(existing), HostPath(newPath)));
    }

    internal override void Symlink(string target, string path)
    {
        CheckWritable();
        LibC.Check(LibC.Symlink(target, HostPath(path)));
    }

    internal override string ReadLink(string path)
    {
        const int max = 4096; // PATH_MAX
        var buffer = stackalloc byte[max];
        var length = LibC.ReadLink(HostPath(path), buffer, max);
        if (length < 0) throw WasiErrorException.Of(LibC.LastErrno());
        return Encoding.UTF8.GetString(buffer, (int)length);
    }

    internal override void SetTimes(string path, ulong? accessTime, ulong? modificationTime)
    {
        CheckWritable();
        var times = stackalloc long[4];
        Fill(times, accessTime, modificationTime);
        LibC.Check(LibC.UTimeNsAt(LibC.AT_FDCWD, HostPath(path), times, LibC.AT_SYMLINK_NOFOLLOW));
    }

    private static void Fill(long* times, ulong? accessTime, ulong? modificationTime)
    {
        times[0] = accessTime is { } a ? (long)(a / 1_000_000_000) : 0;
        times[1] = accessTime is { } a2 ? (long)(a2 % 1_000_000_000) : LibC.UTIME_OMIT;
        times[2] = modificationTime is { } m ? (long)(m / 1_000_000_000) : 0;
        times[3] = modificationTime is { } m2 ? (long)(m2 % 1_000_000_000) : LibC.UTIME_OMIT;
    }

    private sealed class HostFile(SafeFileHandle handle, bool writable) : IWasiFile
    {
        public int Read(Span<byte> destination, long offset)
        {
            try
            {
                return RandomAccess.Read(handle, destination, offset);
            }
            catch (IOException)
            {
                throw WasiErrorException.Of(WasiErrno.Io);
            }
            catch (UnauthorizedAccessException)
            {
                throw WasiErrorException.Of(WasiErrno.BadF);
            }
        }

        public void Write(ReadOnlySpan<byte> source, long offset)
        {
            if (!writable) throw WasiErrorException.Of(WasiErrno.BadF);
            try
            {
                RandomAccess.Write(handle, source, offset);
            }
            catch (IOException)
            {
                throw WasiErrorException.Of(WasiErrno.Io);
            }
        }

        public long Length => RandomAccess.GetLength(handle);

        public void SetLength(long length)
        {
            if (!writable) throw WasiErrorException.Of(WasiErrno.BadF);
            try
            {
                RandomAccess.SetLength(handle, length);
            }
            catch (IOException)
            {
                throw WasiErrorException.Of(WasiErrno.Io);
            }
        }

        public WasiFilestat Stat()
        {
            var buffer = stackalloc byte[LibC.StatBufferSize];
            LibC.Check(LibC.FStat((int)handle.DangerousGetHandle(), buffer));
            return LibC.DecodeStat(buffer);
        }

        public void SetTimes(ulong? accessTime, ulong? modificationTime)
        {
            var times = stackalloc long[4];
            Fill(times, accessTime, modificationTime);
            LibC.Check(LibC.FUTimeNs((int)handle.DangerousGetHandle(), times));
        }

        public void Sync()
        {
            LibC.Check(LibC.FSync((int)handle.DangerousGetHandle()));
        }

        public void Dispose() => handle.Dispose();
    }
}
