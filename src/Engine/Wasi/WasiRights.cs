namespace Sandbox.Engine.Wasi;

/// <summary>
/// File descriptor rights (<c>$rights</c>, u64 flags, WebAssembly/WASI legacy/preview1/witx/typenames.witx),
/// bit n being the n-th flag of the witx in its order.
/// </summary>
[Flags]
public enum WasiRights : ulong
{
    None = 0,
    FdDatasync = 1UL << 0,
    FdRead = 1UL << 1,
    FdSeek = 1UL << 2,
    FdFdstatSetFlags = 1UL << 3,
    FdSync = 1UL << 4,
    FdTell = 1UL << 5,
    FdWrite = 1UL << 6,
    FdAdvise = 1UL << 7,
    FdAllocate = 1UL << 8,
    PathCreateDirectory = 1UL << 9,
    PathCreateFile = 1UL << 10,
    PathLinkSource = 1UL << 11,
    PathLinkTarget = 1UL << 12,
    PathOpen = 1UL << 13,
    FdReaddir = 1UL << 14,
    PathReadlink = 1UL << 15,
    PathRenameSource = 1UL << 16,
    PathRenameTarget = 1UL << 17,
    PathFilestatGet = 1UL << 18,
    PathFilestatSetSize = 1UL << 19,
    PathFilestatSetTimes = 1UL << 20,
    FdFilestatGet = 1UL << 21,
    FdFilestatSetSize = 1UL << 22,
    FdFilestatSetTimes = 1UL << 23,
    PathSymlink = 1UL << 24,
    PathRemoveDirectory = 1UL << 25,
    PathUnlinkFile = 1UL << 26,
    PollFdReadwrite = 1UL << 27,
    SockShutdown = 1UL << 28,
    SockAccept = 1UL << 29,

    /// <summary>Every right the witx defines.</summary>
    All = (1UL << 30) - 1,

    /// <summary>What a regular file can use (the rights that make sense on one, as wasi-common's).</summary>
    RegularFile = FdDatasync | FdRead | FdSeek | FdFdstatSetFlags | FdSync | FdTell | FdWrite | FdAdvise
        | FdAllocate | FdFilestatGet | FdFilestatSetSize | FdFilestatSetTimes | PollFdReadwrite,

    /// <summary>What a directory can use.</summary>
    Directory = FdFdstatSetFlags | FdSync | FdAdvise | PathCreateDirectory | PathCreateFile | PathLinkSource
        | PathLinkTarget | PathOpen | FdReaddir | PathReadlink | PathRenameSource | PathRenameTarget
        | PathFilestatGet | PathFilestatSetSize | PathFilestatSetTimes | FdFilestatGet | FdFilestatSetTimes
        | PathSymlink | PathRemoveDirectory | PathUnlinkFile,

    /// <summary>What stdin, stdout and stderr (character devices) can use.</summary>
    Stdio = FdRead | FdWrite | FdFdstatSetFlags | FdFilestatGet | PollFdReadwrite,
}
