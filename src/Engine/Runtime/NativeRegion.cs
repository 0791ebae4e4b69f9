using System.Runtime.InteropServices;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// A range of address space reserved inaccessible (<c>mmap(PROT_NONE)</c>) and committed in
/// prefix order (<c>mprotect(PROT_READ|PROT_WRITE)</c>), so the base address never moves while
/// the region lives. Released by <see cref="SafeHandle"/> on Dispose or finalization.
/// </summary>
/// <remarks>
/// On systems without mmap the whole reservation is allocated zeroed up front: still a fixed base,
/// without lazy commit or a guard.
/// </remarks>
internal sealed unsafe partial class NativeRegion : SafeHandle
{
    private const int ProtNone = 0;
    private const int ProtReadWrite = 1 | 2; // PROT_READ | PROT_WRITE
    private const int MapPrivate = 0x02;
    private static readonly int MapAnonymous = OperatingSystem.IsLinux() ? 0x20 : 0x1000; // MAP_ANON on BSD/macOS
    private static readonly int MapNoReserve = OperatingSystem.IsLinux() ? 0x4000 : 0; // no swap accounting for reserved space
    private static readonly bool UseMmap = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    private readonly nuint reserved;
    private nuint committed;

    private NativeRegion(nuint reserved) : base(IntPtr.Zero, ownsHandle: true)
    {
        this.reserved = reserved;
    }

    public static nuint OsPageSize { get; } = (nuint)Environment.SystemPageSize;

    public byte* Base => (byte*)handle;

    /// <summary>Bytes of address space held, the guard included.</summary>
    public nuint Reserved => reserved;

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Reserves <paramref name="bytes"/> of inaccessible address space (rounded up to OS pages).</summary>
    public static NativeRegion Reserve(ulong bytes)
    {
        var size = RoundUp((nuint)Math.Max(bytes, 1));
        var region = new NativeRegion(size);
        if (UseMmap)
        {
            var address = mmap(IntPtr.Zero, size, ProtNone, MapPrivate | MapAnonymous | MapNoReserve, -1, IntPtr.Zero);
            if (address == -1) throw new OutOfMemoryException($"mmap of {size} bytes failed (errno {Marshal.GetLastPInvokeError()})");
            region.SetHandle(address);
        }
        else
        {
            region.SetHandle((IntPtr)NativeMemory.AllocZeroed(size));
            region.committed = size;
        }
        return region;
    }

    /// <summary>Makes the first <paramref name="bytes"/> readable and writable; fresh pages read as zero.</summary>
    public bool Commit(ulong bytes)
    {
        var size = RoundUp((nuint)bytes);
        if (size > reserved) return false;
        if (size <= committed) return true;
        if (UseMmap && mprotect(handle + (nint)committed, size - committed, ProtReadWrite) != 0) return false;
        committed = size;
        return true;
    }

    protected override bool ReleaseHandle()
    {
        if (UseMmap) return munmap(handle, reserved) == 0;
        NativeMemory.Free((void*)handle);
        return true;
    }

    private static nuint RoundUp(nuint bytes) => (bytes + OsPageSize - 1) & ~(OsPageSize - 1);

    [LibraryImport("libc", SetLastError = true)]
    private static partial IntPtr mmap(IntPtr address, nuint length, int protection, int flags, int fd, IntPtr offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int mprotect(IntPtr address, nuint length, int protection);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(IntPtr address, nuint length);
}
