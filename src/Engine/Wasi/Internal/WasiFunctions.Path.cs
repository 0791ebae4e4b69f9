namespace Sandbox.Engine.Wasi.Internal;

// path_*: every path goes through PathResolver from a directory descriptor; the filesystem only
// sees the canonical result.
internal static partial class WasiFunctions
{
    /// <summary>The directory fd with <paramref name="rights"/>, and <paramref name="path"/> resolved inside it.</summary>
    private static (DirectoryEntry Directory, string Path, bool TrailingSlash) Resolve(WasiCaller caller, int fd, WasiRights rights, int pathPointer, int pathLength, bool follow)
    {
        var entry = caller.Context.Fds.Get(fd);
        if (entry is not DirectoryEntry directory) throw WasiErrorException.Of(WasiErrno.NotDir);
        directory.Require(rights);
        var text = caller.Memory.ReadPath(pathPointer, pathLength);
        var resolved = PathResolver.Resolve(directory.FileSystem, directory.Path, text, follow, out var trailingSlash);
        return (directory, resolved, trailingSlash);
    }

    private static WasiErrno PathCreateDirectory(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var (directory, path, _) = Resolve(caller, I32(a, 0), WasiRights.PathCreateDirectory, I32(a, 1), I32(a, 2), follow: false);
        if (directory.FileSystem.TryLookup(path, out _, out _)) return WasiErrno.Exist;
        directory.FileSystem.CreateDirectory(path);
        return WasiErrno.Success;
    }

    private static WasiErrno PathFilestatGet(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var follow = (I32(a, 1) & WasiAbi.LookupSymlinkFollow) != 0;
        var (directory, path, trailingSlash) = Resolve(caller, I32(a, 0), WasiRights.PathFilestatGet, I32(a, 2), I32(a, 3), follow);
        var stat = directory.FileSystem.Stat(path);
        if (trailingSlash && stat.Type != WasiFileType.Directory) return WasiErrno.NotDir;
        WriteFilestat(caller.Memory, U32(a, 4), stat);
        return WasiErrno.Success;
    }

    private static WasiErrno PathFilestatSetTimes(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var follow = (I32(a, 1) & WasiAbi.LookupSymlinkFollow) != 0;
        var (directory, path, _) = Resolve(caller, I32(a, 0), WasiRights.PathFilestatSetTimes, I32(a, 2), I32(a, 3), follow);
        var (accessTime, modificationTime) = Times(caller.Context, (ulong)I64(a, 4), (ulong)I64(a, 5), (uint)I32(a, 6));
        if (!directory.FileSystem.TryLookup(path, out _, out _)) return WasiErrno.NoEnt;
        directory.FileSystem.SetTimes(path, accessTime, modificationTime);
        return WasiErrno.Success;
    }

    private static WasiErrno PathLink(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var follow = (I32(a, 1) & WasiAbi.LookupSymlinkFollow) != 0;
        var (source, from, fromSlash) = Resolve(caller, I32(a, 0), WasiRights.PathLinkSource, I32(a, 2), I32(a, 3), follow);
        var (target, to, toSlash) = Resolve(caller, I32(a, 4), WasiRights.PathLinkTarget, I32(a, 5), I32(a, 6), follow: false);
        if (!ReferenceEquals(source.FileSystem, target.FileSystem)) return WasiErrno.XDev;
        if (!source.FileSystem.TryLookup(from, out var type, out _)) return WasiErrno.NoEnt;
        if (type == WasiFileType.Directory) return WasiErrno.Perm;
        if (fromSlash) return WasiErrno.NotDir;
        if (target.FileSystem.TryLookup(to, out _, out _)) return WasiErrno.Exist;
        if (toSlash) return WasiErrno.NoEnt;
        source.FileSystem.Link(from, to);
        return WasiErrno.Success;
    }

    private static WasiErrno PathOpen(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var follow = (I32(a, 1) & WasiAbi.LookupSymlinkFollow) != 0;
        var oflags = (uint)I32(a, 4);
        var rightsBase = (WasiRights)I64(a, 5);
        var rightsInheriting = (WasiRights)I64(a, 6);
        var fdflags = (uint)I32(a, 7);
        if (oflags > 15 || fdflags > WasiAbi.FdflagsAll) return WasiErrno.Inval;
        bool create = (oflags & WasiAbi.OflagCreat) != 0, exclusive = (oflags & WasiAbi.OflagExcl) != 0;
        bool truncate = (oflags & WasiAbi.OflagTrunc) != 0, directoryOnly = (oflags & WasiAbi.OflagDirectory) != 0;
        var needed = WasiRights.PathOpen
            | (create ? WasiRights.PathCreateFile : 0)
            | (truncate ? WasiRights.PathFilestatSetSize : 0);
        var (parent, path, trailingSlash) = Resolve(caller, I32(a, 0), needed, I32(a, 2), I32(a, 3), follow);
        var fileSystem = parent.FileSystem;
        var memory = caller.Memory;
        memory.Slice(U32(a, 8), 4); // EFAULT before anything is created

        var exists = fileSystem.TryLookup(path, out var type, out _);
        if (exists && create && exclusive) return WasiErrno.Exist;
        if (exists && type == WasiFileType.SymbolicLink) return WasiErrno.Loop; // O_NOFOLLOW on a final symlink
        FdEntry entry;
        if (exists && type == WasiFileType.Directory)
        {
            // Asking to write a directory (write rights, truncation) is EISDIR, as open(2) with O_WRONLY.
            if (truncate || (rightsBase & WasiRights.FdWrite) != 0) return WasiErrno.IsDir;
            entry = new DirectoryEntry(fileSystem, path, null)
            {
                Base = rightsBase & parent.Inheriting & WasiRights.Directory,
                Inheriting = rightsInheriting & parent.Inheriting,
            };
        }
        else
        {
            if (directoryOnly) return exists ? WasiErrno.NotDir : create ? WasiErrno.Inval : WasiErrno.NoEnt;
            if (trailingSlash) return exists ? WasiErrno.NotDir : create ? WasiErrno.IsDir : WasiErrno.NoEnt;
            if (!exists && !create) return WasiErrno.NoEnt;
            if (exists && type != WasiFileType.RegularFile) return WasiErrno.NotSup;
            var write = (rightsBase & (WasiRights.FdWrite | WasiRights.FdAllocate | WasiRights.FdFilestatSetSize)) != 0 || truncate;
            var file = fileSystem.OpenFile(path, create, exclusive, truncate, write);
            entry = new FileEntry(file)
            {
                Base = rightsBase & parent.Inheriting & WasiRights.RegularFile,
                Inheriting = rightsInheriting & parent.Inheriting,
            };
        }
        entry.Flags = (ushort)fdflags;
        var fd = caller.Context.Fds.Add(entry);
        memory.WriteU32(U32(a, 8), (uint)fd);
        return WasiErrno.Success;
    }

    private static WasiErrno PathReadlink(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var (directory, path, _) = Resolve(caller, I32(a, 0), WasiRights.PathReadlink, I32(a, 1), I32(a, 2), follow: false);
        if (!directory.FileSystem.TryLookup(path, out var type, out var target)) return WasiErrno.NoEnt;
        if (type != WasiFileType.SymbolicLink) return WasiErrno.Inval;
        var bytes = System.Text.Encoding.UTF8.GetBytes(target!);
        var memory = caller.Memory;
        var buffer = memory.Slice(U32(a, 3), U32(a, 4));
        var count = CopyTruncated(bytes, buffer);
        memory.WriteU32(U32(a, 5), (uint)count);
        return WasiErrno.Success;
    }

    private static WasiErrno PathRemoveDirectory(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var (directory, path, _) = Resolve(caller, I32(a, 0), WasiRights.PathRemoveDirectory, I32(a, 1), I32(a, 2), follow: false);
        if (path == directory.Path) return WasiErrno.Inval; // rmdir(".")
        if (!directory.FileSystem.TryLookup(path, out var type, out _)) return WasiErrno.NoEnt;
        if (type != WasiFileType.Directory) return WasiErrno.NotDir;
        directory.FileSystem.RemoveDirectory(path);
        return WasiErrno.Success;
    }

    private static WasiErrno PathRename(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var (source, from, fromSlash) = Resolve(caller, I32(a, 0), WasiRights.PathRenameSource, I32(a, 1), I32(a, 2), follow: false);
        var (target, to, toSlash) = Resolve(caller, I32(a, 3), WasiRights.PathRenameTarget, I32(a, 4), I32(a, 5), follow: false);
        if (!ReferenceEquals(source.FileSystem, target.FileSystem)) return WasiErrno.XDev;
        if (!source.FileSystem.TryLookup(from, out var type, out _)) return WasiErrno.NoEnt;
        if (from == source.Path || to == target.Path) return WasiErrno.Busy;
        if (type != WasiFileType.Directory && (fromSlash || toSlash)) return WasiErrno.NotDir;
        source.FileSystem.Rename(from, to);
        return WasiErrno.Success;
    }

    private static WasiErrno PathSymlink(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var memory = caller.Memory;
        var contents = memory.ReadPath(I32(a, 0), I32(a, 1));
        var (directory, path, trailingSlash) = Resolve(caller, I32(a, 2), WasiRights.PathSymlink, I32(a, 3), I32(a, 4), follow: false);
        // A link to an absolute path could only ever be refused when followed; like cap-std, refuse making it.
        if (contents.Length > 0 && contents[0] == '/') return WasiErrno.NotCapable;
        // Nor a link whose text climbs above the filesystem's root from where it sits: it would
        // be refused when followed here, but a host process following it would leave the tree.
        if (PathResolver.ClimbsOut(path, contents)) return WasiErrno.NotCapable;
        if (directory.FileSystem.TryLookup(path, out _, out _)) return WasiErrno.Exist;
        if (trailingSlash) return WasiErrno.NoEnt;
        directory.FileSystem.Symlink(contents, path);
        return WasiErrno.Success;
    }

    private static WasiErrno PathUnlinkFile(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var (directory, path, trailingSlash) = Resolve(caller, I32(a, 0), WasiRights.PathUnlinkFile, I32(a, 1), I32(a, 2), follow: false);
        if (!directory.FileSystem.TryLookup(path, out var type, out _)) return WasiErrno.NoEnt;
        if (type == WasiFileType.Directory) return WasiErrno.IsDir;
        if (trailingSlash) return WasiErrno.NotDir;
        directory.FileSystem.UnlinkFile(path);
        return WasiErrno.Success;
    }
}
