using System.Runtime.InteropServices;

namespace Sandbox.Engine.Wasi.Internal;

/// <summary>
/// The POSIX calls <see cref="HostFileSystem"/> needs that .NET does not offer with POSIX
/// semantics (O_NOFOLLOW|O_EXCL opens, lstat with inode numbers, hard links, nanosecond times),
/// Linux x86-64/arm64 glibc. Every failure maps through <see cref="ToErrno"/>.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200;
    public const int O_DIRECTORY_X64 = 0x10000, O_NOFOLLOW_X64 = 0x20000, O_CLOEXEC = 0x80000;
    public const int O_DIRECTORY_ARM64 = 0x4000, O_NOFOLLOW_ARM64 = 0x8000;
    public const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;
    public const long UTIME_OMIT = (1L << 30) - 2;

    public static int O_NOFOLLOW => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? O_NOFOLLOW_ARM64 : O_NOFOLLOW_X64;

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LStat(string path, byte* buffer);

    [LibraryImport(Library, EntryPoint = "fstat", SetLastError = true)]
    public static partial int FStat(int fd, byte* buffer);

    [LibraryImport(Library, EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport(Library, EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkDir(string path, int mode);

    [LibraryImport(Library, EntryPoint = "rmdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RmDir(string path);

    [LibraryImport(Library, EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unlink(string path);

    [LibraryImport(Library, EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(string from, string to);

    [LibraryImport(Library, EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existing, string newPath);

    [LibraryImport(Library, EntryPoint = "symlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Symlink(string target, string path);

    [LibraryImport(Library, EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ReadLink(string path, byte* buffer, nint size);

    [LibraryImport(Library, EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UTimeNsAt(int dirFd, string path, long* times, int flags);

    [LibraryImport(Library, EntryPoint = "futimens", SetLastError = true)]
    public static partial int FUTimeNs(int fd, long* times);

    // struct stat is 144 bytes on x86-64 and 128 on arm64; 256 covers both.
    public const int StatBufferSize = 256;

    /// <summary>Decodes a struct stat (glibc, x86-64 or the generic layout of arm64).</summary>
    public static WasiFilestat DecodeStat(byte* b)
    {
        var arm = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
        // x86-64: dev@0 ino@8 nlink(u64)@16 mode(u32)@24 ... size@48 atim@72 mtim@88 ctim@104
        // arm64:  dev@0 ino@8 mode(u32)@16 nlink(u32)@20 ... size@48 atim@72 mtim@88 ctim@104
        uint mode = arm ? *(uint*)(b + 16) : *(uint*)(b + 24);
        ulong nlink = arm ? *(uint*)(b + 20) : *(ulong*)(b + 16);
        return new WasiFilestat
        {
            Device = *(ulong*)b,
            Inode = *(ulong*)(b + 8),
            Type = FileTypeOf(mode),
            LinkCount = nlink,
            Size = *(ulong*)(b + 48),
            AccessTime = Nanoseconds(b + 72),
            ModificationTime = Nanoseconds(b + 88),
            ChangeTime = Nanoseconds(b + 104),
        };
    }

    private static ulong Nanoseconds(byte* timespec) => unchecked((ulong)(*(long*)timespec * 1_000_000_000L + *(long*)(timespec + 8)));

    private static WasiFileType FileTypeOf(uint mode) => (mode & 0xF000) switch
    {
        0x8000 => WasiFileType.RegularFile,
        0x4000 => WasiFileType.Directory,
        0xA000 => WasiFileType.SymbolicLink,
        0x2000 => WasiFileType.CharacterDevice,
        0x6000 => WasiFileType.BlockDevice,
        0xC000 => WasiFileType.SocketStream,
        _ => WasiFileType.Unknown,
    };

    /// <summary>The WASI errno for the last libc error (Linux errno numbers).</summary>
    public static WasiErrno LastErrno() => ToErrno(Marshal.GetLastPInvokeError());

    public static WasiErrno ToErrno(int errno) => errno switch
    {
        1 => WasiErrno.Perm,
        2 => WasiErrno.NoEnt,
        5 => WasiErrno.Io,
        9 => WasiErrno.BadF,
        11 => WasiErrno.Again,
        12 => WasiErrno.NoMem,
        13 => WasiErrno.Access,
        14 => WasiErrno.Fault,
        16 => WasiErrno.Busy,
        17 => WasiErrno.Exist,
        18 => WasiErrno.XDev,
        20 => WasiErrno.NotDir,
        21 => WasiErrno.IsDir,
        22 => WasiErrno.Inval,
        23 => WasiErrno.NFile,
        24 => WasiErrno.MFile,
        26 => WasiErrno.TxtBsy,
        27 => WasiErrno.FBig,
        28 => WasiErrno.NoSpc,
        29 => WasiErrno.SPipe,
        30 => WasiErrno.RoFs,
        31 => WasiErrno.MLink,
        32 => WasiErrno.Pipe,
        36 => WasiErrno.NameTooLong,
        38 => WasiErrno.NoSys,
        39 => WasiErrno.NotEmpty,
        40 => WasiErrno.Loop,
        75 => WasiErrno.Overflow,
        95 => WasiErrno.NotSup,
        122 => WasiErrno.DQuot,
        _ => WasiErrno.Io,
    };

    public static void Check(int result)
    {
        if (result < 0) throw WasiErrorException.Of(LastErrno());
    }
}
