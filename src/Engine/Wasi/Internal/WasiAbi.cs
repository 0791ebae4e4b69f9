namespace Sandbox.Engine.Wasi.Internal;

/// <summary>
/// The flag values and record layouts of <c>wasi_snapshot_preview1</c> (WebAssembly/WASI
/// legacy/preview1/witx/typenames.witx; sizes and offsets as wasi-libc's api.h asserts them).
/// </summary>
internal static class WasiAbi
{
    public const string ModuleName = "wasi_snapshot_preview1";

    // $clockid (u32)
    public const int ClockRealtime = 0, ClockMonotonic = 1, ClockProcessCputime = 2, ClockThreadCputime = 3;

    // $whence (u8)
    public const int WhenceSet = 0, WhenceCur = 1, WhenceEnd = 2;

    // $fdflags (u16)
    public const ushort FdflagAppend = 1, FdflagDsync = 2, FdflagNonblock = 4, FdflagRsync = 8, FdflagSync = 16;
    public const ushort FdflagsAll = 31;

    // $oflags (u16)
    public const ushort OflagCreat = 1, OflagDirectory = 2, OflagExcl = 4, OflagTrunc = 8;

    // $lookupflags (u32)
    public const int LookupSymlinkFollow = 1;

    // $fstflags (u16)
    public const ushort FstflagAtim = 1, FstflagAtimNow = 2, FstflagMtim = 4, FstflagMtimNow = 8;

    // $advice (u8): normal .. noreuse
    public const int AdviceMax = 5;

    // $eventtype (u8)
    public const byte EventClock = 0, EventFdRead = 1, EventFdWrite = 2;

    // $subclockflags (u16)
    public const ushort SubscriptionClockAbstime = 1;

    // $eventrwflags (u16)
    public const ushort EventFdReadwriteHangup = 1;

    // $sdflags (u8)
    public const int ShutRd = 1, ShutWr = 2;

    // $preopentype (u8)
    public const byte PreopentypeDir = 0;

    // Record sizes.
    public const int IovecSize = 8;       // buf: u32, buf_len: u32
    public const int FdstatSize = 24;     // filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16
    public const int FilestatSize = 64;   // dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56
    public const int PrestatSize = 8;     // tag u8 @0, pr_name_len u32 @4
    public const int DirentSize = 24;     // d_next @0, d_ino @8, d_namlen u32 @16, d_type u8 @20, then the name
    public const int SubscriptionSize = 48; // userdata @0, tag u8 @8, union @16 (clock: id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40; fd: u32 @16)
    public const int EventSize = 32;      // userdata @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24
}
