namespace Sandbox.Engine.Wasi.Internal;

/// <summary>
/// A guest's open descriptors: 0-2 stdio, then the preopens, then what it opens, each new one
/// taking the lowest free number (as POSIX). At most <see cref="MaxDescriptors"/> (EMFILE).
/// </summary>
internal sealed class FdTable
{
    /// <summary>The most descriptors open at once; one more open fails with EMFILE.</summary>
    public const int MaxDescriptors = 1024;

    private readonly List<FdEntry?> entries = [];
    private int lowestFree;

    public int Count => entries.Count;

    public FdEntry Get(int fd) =>
        (uint)fd < (uint)entries.Count && entries[fd] is { } entry ? entry : throw WasiErrorException.Of(WasiErrno.BadF);

    public T Get<T>(int fd) where T : FdEntry
    {
        var entry = Get(fd);
        return entry as T ?? throw WasiErrorException.Of(entry is DirectoryEntry ? WasiErrno.IsDir : typeof(T) == typeof(DirectoryEntry) ? WasiErrno.NotDir : WasiErrno.BadF);
    }

    public bool TryGet(int fd, out FdEntry? entry)
    {
        entry = (uint)fd < (uint)entries.Count ? entries[fd] : null;
        return entry is not null;
    }

    public int Add(FdEntry entry)
    {
        while (lowestFree < entries.Count && entries[lowestFree] is not null) lowestFree++;
        if (lowestFree == entries.Count)
        {
            if (entries.Count >= MaxDescriptors)
            {
                entry.Close();
                throw WasiErrorException.Of(WasiErrno.MFile);
            }
            entries.Add(null);
        }
        entries[lowestFree] = entry;
        return lowestFree++;
    }

    public FdEntry Remove(int fd)
    {
        var entry = Get(fd);
        entries[fd] = null;
        if (fd < lowestFree) lowestFree = fd;
        return entry;
    }

    /// <summary>fd_renumber: <paramref name="to"/> (closed first if open) takes over <paramref name="from"/>.</summary>
    public void Renumber(int from, int to)
    {
        var entry = Get(from);
        var replaced = Get(to);
        if (from == to) return;
        replaced.Close();
        entries[to] = entry;
        entries[from] = null;
        if (from < lowestFree) lowestFree = from;
    }

    public void CloseAll()
    {
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i]?.Close();
            entries[i] = null;
        }
        lowestFree = 0;
    }
}
