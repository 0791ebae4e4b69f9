using System.Buffers.Binary;
using System.Text;

namespace Sandbox.Engine.Wasi.Internal;

// fd_*: reads and writes through iovecs, positions, descriptor flags and rights, attributes,
// directory listings, preopen names.
internal static partial class WasiFunctions
{
    private static WasiErrno FdAdvise(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var file = caller.Context.Fds.Get<FileEntry>(I32(a, 0));
        file.Require(WasiRights.FdAdvise);
        if (I64(a, 1) < 0 || I64(a, 2) < 0 || (uint)I32(a, 3) > WasiAbi.AdviceMax) return WasiErrno.Inval;
        return WasiErrno.Success; // advice only: nothing to do
    }

    private static WasiErrno FdAllocate(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var file = caller.Context.Fds.Get<FileEntry>(I32(a, 0));
        file.Require(WasiRights.FdAllocate);
        long offset = I64(a, 1), length = I64(a, 2);
        if (offset < 0 || length <= 0) return WasiErrno.Inval;
        if (length > long.MaxValue - offset) return WasiErrno.FBig;
        if (offset + length > file.File.Length) file.File.SetLength(offset + length);
        return WasiErrno.Success;
    }

    private static WasiErrno FdClose(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        caller.Context.Fds.Remove(I32(a, 0)).Close();
        return WasiErrno.Success;
    }

    private static WasiErrno FdDatasync(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var entry = caller.Context.Fds.Get(I32(a, 0));
        entry.Require(WasiRights.FdDatasync);
        if (entry is FileEntry file) file.File.Sync();
        return entry is FileEntry ? WasiErrno.Success : WasiErrno.BadF;
    }

    private static WasiErrno FdSync(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var entry = caller.Context.Fds.Get(I32(a, 0));
        entry.Require(WasiRights.FdSync);
        if (entry is FileEntry file) file.File.Sync();
        return WasiErrno.Success;
    }

    private static WasiErrno FdFdstatGet(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var entry = caller.Context.Fds.Get(I32(a, 0));
        var memory = caller.Memory;
        var record = memory.Slice(U32(a, 1), WasiAbi.FdstatSize);
        record.Clear();
        record[0] = (byte)entry.Type;
        Put(record[2..], entry.Flags);
        Put(record[8..], (ulong)entry.Base);
        Put(record[16..], (ulong)entry.Inheriting);
        return WasiErrno.Success;
    }

    private static WasiErrno FdFdstatSetFlags(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var entry = caller.Context.Fds.Get(I32(a, 0));
        entry.Require(WasiRights.FdFdstatSetFlags);
        var flags = (uint)I32(a, 1);
        if (flags > WasiAbi.FdflagsAll) return WasiErrno.Inval;
        entry.Flags = (ushort)flags;
        return WasiErrno.Success;
    }

    // Rights can only be dropped (witx: "can only be used to remove rights").
    private static WasiErrno FdFdstatSetRights(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var entry = caller.Context.Fds.Get(I32(a, 0));
        var rightsBase = (WasiRights)I64(a, 1);
        var inheriting = (WasiRights)I64(a, 2);
        if ((rightsBase & ~entry.Base) != 0 || (inheriting & ~entry.Inheriting) != 0) return WasiErrno.NotCapable;
        entry.Base = rightsBase;
        entry.Inheriting = inheriting;
        return WasiErrno.Success;
    }

    private static WasiErrno FdFilestatGet(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var entry = caller.Context.Fds.Get(I32(a, 0));
        entry.Require(WasiRights.FdFilestatGet);
        var stat = entry switch
        {
            FileEntry file => file.File.Stat(),
            DirectoryEntry directory => directory.FileSystem.Stat(directory.Path),
            _ => new WasiFilestat { Type = WasiFileType.CharacterDevice, LinkCount = 1 },
        };
        WriteFilestat(caller.Memory, U32(a, 1), stat);
        return WasiErrno.Success;
    }

    private static WasiErrno FdFilestatSetSize(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var file = caller.Context.Fds.Get<FileEntry>(I32(a, 0));
        file.Require(WasiRights.FdFilestatSetSize);
        if (I64(a, 1) < 0) return WasiErrno.Inval;
        file.File.SetLength(I64(a, 1));
        return WasiErrno.Success;
    }

    private static WasiErrno FdFilestatSetTimes(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var entry = caller.Context.Fds.Get(I32(a, 0));
        entry.Require(WasiRights.FdFilestatSetTimes);
        var (accessTime, modificationTime) = Times(caller.Context, (ulong)I64(a, 1), (ulong)I64(a, 2), (uint)I32(a, 3));
        switch (entry)
        {
            case FileEntry file: file.File.SetTimes(accessTime, modificationTime); break;
            case DirectoryEntry directory: directory.FileSystem.SetTimes(directory.Path, accessTime, modificationTime); break;
            default: return WasiErrno.BadF;
        }
        return WasiErrno.Success;
    }

    /// <summary>The times $fstflags asks for: EINVAL for unknown bits or both a time and "now" for one.</summary>
    private static (ulong? Access, ulong? Modification) Times(WasiContext context, ulong accessTime, ulong modificationTime, uint flags)
    {
        if (flags > 15
            || (flags & (WasiAbi.FstflagAtim | WasiAbi.FstflagAtimNow)) == (WasiAbi.FstflagAtim | WasiAbi.FstflagAtimNow)
            || (flags & (WasiAbi.FstflagMtim | WasiAbi.FstflagMtimNow)) == (WasiAbi.FstflagMtim | WasiAbi.FstflagMtimNow))
        {
            throw WasiErrorException.Of(WasiErrno.Inval);
        }
        ulong? access = (flags & WasiAbi.FstflagAtim) != 0 ? accessTime : (flags & WasiAbi.FstflagAtimNow) != 0 ? context.Clock.Realtime() : null;
        ulong? modification = (flags & WasiAbi.FstflagMtim) != 0 ? modificationTime : (flags & WasiAbi.FstflagMtimNow) != 0 ? context.Clock.Realtime() : null;
        return (access, modification);
    }

    private static WasiErrno FdPread(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var file = FileFor(caller, I32(a, 0), WasiRights.FdRead | WasiRights.FdSeek);
        var offset = I64(a, 3);
        if (offset < 0) return WasiErrno.Inval;
        var read = ReadInto(caller.Memory, file, I32(a, 1), I32(a, 2), offset);
        caller.Memory.WriteU32(U32(a, 4), (uint)read);
        return WasiErrno.Success;
    }

    private static WasiErrno FdPwrite(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var file = FileFor(caller, I32(a, 0), WasiRights.FdWrite | WasiRights.FdSeek);
        var offset = I64(a, 3);
        if (offset < 0) return WasiErrno.Inval;
        // pwrite writes at the offset even with fdflags.append (POSIX; wasmtime does the same).
        var written = WriteFrom(caller.Memory, file, I32(a, 1), I32(a, 2), offset);
        caller.Memory.WriteU32(U32(a, 4), (uint)written);
        return WasiErrno.Success;
    }

    private static WasiErrno FdRead(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var memory = caller.Memory;
        var entry = caller.Context.Fds.Get(I32(a, 0));
        entry.Require(WasiRights.FdRead);
        long read;
        switch (entry)
        {
            case FileEntry file:
                read = ReadInto(memory, file, I32(a, 1), I32(a, 2), file.Position);
                file.Position += read;
                break;
            case StdioEntry { Input: { } input }:
                memory.CheckIovecs(I32(a, 1), I32(a, 2), out _);
                read = 0;
                for (var i = 0; i < I32(a, 2); i++)
                {
                    var buffer = memory.Iovec(I32(a, 1), i);
                    var n = input.Read(buffer);
                    read += n;
                    if (n < buffer.Length) break; // a short read: hand back what arrived
                }
                break;
            case DirectoryEntry:
                return WasiErrno.IsDir;
            default:
                return WasiErrno.BadF;
        }
        memory.WriteU32(U32(a, 3), (uint)read);
        return WasiErrno.Success;
    }

    private static WasiErrno FdWrite(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var memory = caller.Memory;
        var entry = caller.Context.Fds.Get(I32(a, 0));
        entry.Require(WasiRights.FdWrite);
        long written;
        switch (entry)
        {
            case StdioEntry { Output: { } output }:
                memory.CheckIovecs(I32(a, 1), I32(a, 2), out var total);
                for (var i = 0; i < I32(a, 2); i++) output.Write(memory.Iovec(I32(a, 1), i));
                written = (long)total;
                break;
            case FileEntry file:
                if ((file.Flags & WasiAbi.FdflagAppend) != 0) file.Position = file.File.Length;
                written = WriteFrom(memory, file, I32(a, 1), I32(a, 2), file.Position);
                file.Position += written;
                break;
            case DirectoryEntry:
                return WasiErrno.IsDir;
            default:
                return WasiErrno.BadF;
        }
        memory.WriteU32(U32(a, 3), (uint)Math.Min(written, uint.MaxValue));
        return WasiErrno.Success;
    }

    private static FileEntry FileFor(WasiCaller caller, int fd, WasiRights rights)
    {
        var entry = caller.Context.Fds.Get(fd);
        if (entry is StdioEntry) throw WasiErrorException.Of(WasiErrno.SPipe);
        if (entry is DirectoryEntry) throw WasiErrorException.Of(WasiErrno.IsDir);
        entry.Require(rights);
        return (FileEntry)entry;
    }

    private static long ReadInto(GuestMemory memory, FileEntry file, int iovs, int count, long offset)
    {
        memory.CheckIovecs(iovs, count, out _);
        long read = 0;
        for (var i = 0; i < count; i++)
        {
            var buffer = memory.Iovec(iovs, i);
            var n = file.File.Read(buffer, offset + read);
            read += n;
            if (n < buffer.Length) break;
        }
        return read;
    }

    private static long WriteFrom(GuestMemory memory, FileEntry file, int iovs, int count, long offset)
    {
        memory.CheckIovecs(iovs, count, out var total);
        if (total > (ulong)(long.MaxValue - offset)) throw WasiErrorException.Of(WasiErrno.FBig);
        long written = 0;
        for (var i = 0; i < count; i++)
        {
            var buffer = memory.Iovec(iovs, i);
            file.File.Write(buffer, offset + written);
            written += buffer.Length;
        }
        return written;
    }

    private static WasiErrno FdPrestatGet(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        if (caller.Context.Fds.Get(I32(a, 0)) is not DirectoryEntry { PreopenName: { } name }) return WasiErrno.BadF;
        var record = caller.Memory.Slice(U32(a, 1), WasiAbi.PrestatSize);
        record.Clear();
        record[0] = WasiAbi.PreopentypeDir;
        Put(record[4..], (uint)Encoding.UTF8.GetByteCount(name));
        return WasiErrno.Success;
    }

    private static WasiErrno FdPrestatDirName(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        if (caller.Context.Fds.Get(I32(a, 0)) is not DirectoryEntry { PreopenName: { } name }) return WasiErrno.BadF;
        var bytes = Encoding.UTF8.GetBytes(name);
        if (U32(a, 2) < (uint)bytes.Length) return WasiErrno.NameTooLong;
        bytes.CopyTo(caller.Memory.Slice(U32(a, 1), (uint)bytes.Length));
        return WasiErrno.Success;
    }

    private static WasiErrno FdRenumber(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        caller.Context.Fds.Renumber(I32(a, 0), I32(a, 1));
        return WasiErrno.Success;
    }

    private static WasiErrno FdSeek(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var entry = caller.Context.Fds.Get(I32(a, 0));
        long offset = I64(a, 1);
        var whence = I32(a, 2);
        // A seek of 0 from the current position is a tell: fd_tell's right suffices.
        entry.Require(offset == 0 && whence == WasiAbi.WhenceCur ? WasiRights.FdTell : WasiRights.FdSeek);
        if (entry is StdioEntry) return WasiErrno.SPipe;
        if (entry is not FileEntry file) return WasiErrno.BadF;
        long origin = whence switch
        {
            WasiAbi.WhenceSet => 0,
            WasiAbi.WhenceCur => file.Position,
            WasiAbi.WhenceEnd => file.File.Length,
            _ => -1,
        };
        if (origin < 0) return WasiErrno.Inval;
        if (offset > 0 && origin > long.MaxValue - offset) return WasiErrno.Overflow;
        var position = origin + offset;
        if (position < 0) return WasiErrno.Inval;
        caller.Memory.WriteU64(U32(a, 3), (ulong)position);
        file.Position = position;
        return WasiErrno.Success;
    }

    private static WasiErrno FdTell(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var entry = caller.Context.Fds.Get(I32(a, 0));
        entry.Require(WasiRights.FdTell);
        if (entry is not FileEntry file) return entry is StdioEntry ? WasiErrno.SPipe : WasiErrno.BadF;
        caller.Memory.WriteU64(U32(a, 1), (ulong)file.Position);
        return WasiErrno.Success;
    }

    // fd_readdir: dirents from the cookie on ("." and ".." first, then the names in order), each
    // a 24-byte header and the name; the last one is cut at the buffer's end, and a full buffer
    // tells the guest to call again (witx: "if less than the size of the read buffer, the end of
    // the directory has been reached").
    private static WasiErrno FdReaddir(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var directory = caller.Context.Fds.Get<DirectoryEntry>(I32(a, 0));
        directory.Require(WasiRights.FdReaddir);
        var memory = caller.Memory;
        var buffer = memory.Slice(U32(a, 1), U32(a, 2));
        var cookie = (ulong)I64(a, 3);
        var entries = new List<WasiDirectoryEntry>();
        var self = directory.FileSystem.Stat(directory.Path);
        entries.Add(new WasiDirectoryEntry(".", WasiFileType.Directory, self.Inode));
        entries.Add(new WasiDirectoryEntry("..", WasiFileType.Directory, 0));
        directory.FileSystem.ReadDirectory(directory.Path, entries);
        var used = 0;
        Span<byte> header = stackalloc byte[WasiAbi.DirentSize];
        for (var i = cookie; i < (ulong)entries.Count && used < buffer.Length; i++)
        {
            var entry = entries[(int)i];
            var name = Encoding.UTF8.GetBytes(entry.Name);
            header.Clear();
            Put(header, i + 1);
            Put(header[8..], entry.Inode);
            Put(header[16..], (uint)name.Length);
            header[20] = (byte)entry.Type;
            used += CopyTruncated(header, buffer[used..]);
            used += CopyTruncated(name, buffer[used..]);
        }
        memory.WriteU32(U32(a, 4), (uint)used);
        return WasiErrno.Success;
    }

    private static int CopyTruncated(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var count = Math.Min(source.Length, destination.Length);
        source[..count].CopyTo(destination);
        return count;
    }

    private static void WriteFilestat(GuestMemory memory, uint pointer, in WasiFilestat stat)
    {
        var record = memory.Slice(pointer, WasiAbi.FilestatSize);
        record.Clear();
        Put(record, stat.Device);
        Put(record[8..], stat.Inode);
        record[16] = (byte)stat.Type;
        Put(record[24..], stat.LinkCount);
        Put(record[32..], stat.Size);
        Put(record[40..], stat.AccessTime);
        Put(record[48..], stat.ModificationTime);
        Put(record[56..], stat.ChangeTime);
    }
}
