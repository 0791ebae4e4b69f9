using Sandbox.Engine.Wasi.Internal;

namespace Sandbox.Engine.Wasi;

/// <summary>
/// A file tree held in memory for one guest (the service's per-request filesystem): seeded by the
/// host with <see cref="AddFile"/>, changed by the guest through WASI, read back with
/// <see cref="TryReadFile"/>. It never touches the host's disk.
/// </summary>
/// <remarks>
/// Its size — file bytes plus <see cref="EntryOverheadBytes"/> per file, directory or symlink
/// and the bytes of names and link targets — is charged as it grows: against
/// <see cref="MaximumBytes"/>, and to the optional charge callback (a tenant's budget), which may
/// refuse. A refused change fails with ENOSPC and leaves the tree unchanged. Bytes return when an
/// entry is removed (for a file still open, when its last descriptor closes). Not thread-safe: one
/// guest at a time uses it, as one instance runs one call at a time.
/// </remarks>
public sealed class MemoryFileSystem : WasiFileSystem
{
    /// <summary>What an entry costs besides its bytes: the node and its directory slot.</summary>
    public const long EntryOverheadBytes = 64;

    private readonly Func<long, bool>? charge;
    private readonly Node root;
    private ulong nextInode = 1;

    /// <param name="maximumBytes">The most bytes the tree may hold (see the remarks for how they are counted).</param>
    /// <param name="charge">
    /// Told of every change in size: asked with a positive delta before growth (return false to
    /// refuse), told a negative one after shrinking. Null charges nothing beyond <paramref name="maximumBytes"/>.
    /// </param>
    /// <param name="readOnly">Refuse every change by the guest with EROFS (the host can still seed it).</param>
    public MemoryFileSystem(long maximumBytes = long.MaxValue, Func<long, bool>? charge = null, bool readOnly = false) : base(readOnly)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maximumBytes);
        MaximumBytes = maximumBytes;
        this.charge = charge;
        root = NewNode(WasiFileType.Directory);
    }

    /// <summary>The most bytes the tree may hold.</summary>
    public long MaximumBytes { get; }

    /// <summary>The bytes the tree holds now, as charged.</summary>
    public long UsedBytes { get; private set; }

    /// <summary>Adds (or replaces) the file at <paramref name="path"/> ('/'-separated, relative to the root), creating its directories.</summary>
    /// <exception cref="ArgumentException">The path is empty, has "." or ".." or an empty name, or crosses a file.</exception>
    /// <exception cref="InsufficientMemoryException">The bytes do not fit the budget: the file is not added (directories it made stay).</exception>
    public void AddFile(string path, ReadOnlySpan<byte> contents)
    {
        var names = SplitSeedPath(path);
        var directory = root;
        for (var i = 0; i < names.Length - 1; i++) directory = SeedDirectory(directory, names[i], path);
        var name = names[^1];
        var length = contents.Length;
        if (directory.Children!.TryGetValue(name, out var existing))
        {
            if (existing.Type != WasiFileType.RegularFile) throw new ArgumentException($"'{path}' exists and is not a file", nameof(path));
            SeedCharge(() => Resize(existing, length), path);
        }
        else
        {
            // The bytes first, then the entry: a refusal of either leaves no file behind.
            var created = NewNode(WasiFileType.RegularFile);
            SeedCharge(() => Resize(created, length), path);
            try
            {
                SeedCharge(() => Attach(directory, name, created), path);
            }
            catch (InsufficientMemoryException)
            {
                ReleaseData(created);
                throw;
            }
            existing = created;
        }
        contents.CopyTo(existing.Data);
        existing.ModificationTime = existing.ChangeTime = Now();
    }

    /// <summary>Adds the directory at <paramref name="path"/> and its parents (no-op when present).</summary>
    public void AddDirectory(string path)
    {
        var directory = root;
        foreach (var name in SplitSeedPath(path)) directory = SeedDirectory(directory, name, path);
    }

    /// <summary>The contents of the regular file at <paramref name="path"/> (symlinks not followed), or false.</summary>
    public bool TryReadFile(string path, out byte[] contents)
    {
        contents = [];
        var node = root;
        foreach (var name in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node.Children is null || !node.Children.TryGetValue(name, out var child)) return false;
            node = child;
        }
        if (node.Type != WasiFileType.RegularFile) return false;
        contents = node.Data.AsSpan(0, (int)node.Length).ToArray();
        return true;
    }

    /// <summary>Every regular file's path and size, depth first in name order (for returning outputs).</summary>
    public IReadOnlyList<(string Path, long Size)> ListFiles()
    {
        var files = new List<(string, long)>();
        void Walk(Node node, string prefix)
        {
            foreach (var (name, child) in node.Children!)
            {
                var path = prefix.Length == 0 ? name : prefix + "/" + name;
                if (child.Type == WasiFileType.RegularFile) files.Add((path, child.Length));
                else if (child.Type == WasiFileType.Directory) Walk(child, path);
            }
        }
        Walk(root, "");
        return files;
    }

    internal override bool TryLookup(string path, out WasiFileType type, out string? linkTarget)
    {
        var node = Find(path);
        type = node?.Type ?? WasiFileType.Unknown;
        linkTarget = node?.Target;
        return node is not null;
    }

    internal override WasiFilestat Stat(string path) => StatOf(Get(path));

    internal override IWasiFile OpenFile(string path, bool create, bool exclusive, bool truncate, bool write)
    {
        var (parent, name) = GetParent(path);
        if (!parent.Children!.TryGetValue(name, out var node))
        {
            if (!create) throw WasiErrorException.Of(WasiErrno.NoEnt);
            CheckWritable();
            node = NewNode(WasiFileType.RegularFile);
            Attach(parent, name, node);
        }
        else
        {
            if (create && exclusive) throw WasiErrorException.Of(WasiErrno.Exist);
            if (node.Type == WasiFileType.Directory) throw WasiErrorException.Of(WasiErrno.IsDir);
            if (node.Type != WasiFileType.RegularFile) throw WasiErrorException.Of(WasiErrno.Loop);
            if (truncate || write) CheckWritable();
            if (truncate && node.Length != 0)
            {
                Resize(node, 0);
                node.ModificationTime = node.ChangeTime = Now();
            }
        }
        node.OpenCount++;
        return new MemoryFile(this, node, write && !ReadOnly);
    }

    internal override void ReadDirectory(string path, List<WasiDirectoryEntry> entries)
    {
        var node = Get(path);
        if (node.Type != WasiFileType.Directory) throw WasiErrorException.Of(WasiErrno.NotDir);
        foreach (var (name, child) in node.Children!) entries.Add(new WasiDirectoryEntry(name, child.Type, child.Inode));
    }

    internal override void CreateDirectory(string path)
    {
        CheckWritable();
        var (parent, name) = GetParent(path);
        if (parent.Children!.ContainsKey(name)) throw WasiErrorException.Of(WasiErrno.Exist);
        Attach(parent, name, NewNode(WasiFileType.Directory));
    }

    internal override void RemoveDirectory(string path)
    {
        CheckWritable();
        if (path.Length == 0) throw WasiErrorException.Of(WasiErrno.Busy);
        var (parent, name) = GetParent(path);
        if (!parent.Children!.TryGetValue(name, out var node)) throw WasiErrorException.Of(WasiErrno.NoEnt);
        if (node.Type != WasiFileType.Directory) throw WasiErrorException.Of(WasiErrno.NotDir);
        if (node.Children!.Count != 0) throw WasiErrorException.Of(WasiErrno.NotEmpty);
        Detach(parent, name, node);
    }

    internal override void UnlinkFile(string path)
    {
        CheckWritable();
        var (parent, name) = GetParent(path);
        if (!parent.Children!.TryGetValue(name, out var node)) throw WasiErrorException.Of(WasiErrno.NoEnt);
        if (node.Type == WasiFileType.Directory) throw WasiErrorException.Of(WasiErrno.IsDir);
        Detach(parent, name, node);
    }

    internal override void Rename(string from, string to)
    {
        CheckWritable();
        if (from.Length == 0 || to.Length == 0) throw WasiErrorException.Of(WasiErrno.Busy);
        var (fromParent, fromName) = GetParent(from);
        var (toParent, toName) = GetParent(to);
        if (!fromParent.Children!.TryGetValue(fromName, out var node)) throw WasiErrorException.Of(WasiErrno.NoEnt);
        if (from == to) return;
        // POSIX rename: a directory cannot move inside itself.
        if (node.Type == WasiFileType.Directory && to.StartsWith(from + "/", StringComparison.Ordinal)) throw WasiErrorException.Of(WasiErrno.Inval);
        if (toParent.Children!.TryGetValue(toName, out var replaced))
        {
            if (ReferenceEquals(replaced, node)) return; // two links of one file: POSIX does nothing
            if (node.Type == WasiFileType.Directory)
            {
                if (replaced.Type != WasiFileType.Directory) throw WasiErrorException.Of(WasiErrno.NotDir);
                if (replaced.Children!.Count != 0) throw WasiErrorException.Of(WasiErrno.NotEmpty);
            }
            else if (replaced.Type == WasiFileType.Directory)
            {
                throw WasiErrorException.Of(WasiErrno.IsDir);
            }
        }
        // Charge the new name before changing anything, so a refusal leaves the tree as it was.
        Charge(toName.Length - fromName.Length);
        if (replaced is not null) Detach(toParent, toName, replaced);
        fromParent.Children.Remove(fromName);
        toParent.Children[toName] = node;
        node.ChangeTime = fromParent.ModificationTime = toParent.ModificationTime = Now();
    }

    internal override void Link(string existing, string newPath)
    {
        CheckWritable();
        var node = Get(existing);
        if (node.Type == WasiFileType.Directory) throw WasiErrorException.Of(WasiErrno.Perm);
        var (parent, name) = GetParent(newPath);
        if (parent.Children!.ContainsKey(name)) throw WasiErrorException.Of(WasiErrno.Exist);
        Charge(name.Length);
        parent.Children[name] = node;
        node.Links++;
        node.ChangeTime = parent.ModificationTime = Now();
    }

    internal override void Symlink(string target, string path)
    {
        CheckWritable();
        var (parent, name) = GetParent(path);
        if (parent.Children!.ContainsKey(name)) throw WasiErrorException.Of(WasiErrno.Exist);
        var node = NewNode(WasiFileType.SymbolicLink);
        node.Target = target;
        Attach(parent, name, node);
    }

    internal override string ReadLink(string path)
    {
        var node = Get(path);
        return node.Target ?? throw WasiErrorException.Of(WasiErrno.Inval);
    }

    internal override void SetTimes(string path, ulong? accessTime, ulong? modificationTime)
    {
        CheckWritable();
        SetTimesOf(Get(path), accessTime, modificationTime);
    }

    private static void SetTimesOf(Node node, ulong? accessTime, ulong? modificationTime)
    {
        if (accessTime is { } a) node.AccessTime = a;
        if (modificationTime is { } m) node.ModificationTime = m;
        node.ChangeTime = Now();
    }

    private static WasiFilestat StatOf(Node node) => new()
    {
        Device = 1,
        Inode = node.Inode,
        Type = node.Type,
        LinkCount = node.Links,
        Size = node.Type switch
        {
            WasiFileType.RegularFile => (ulong)node.Length,
            WasiFileType.SymbolicLink => (ulong)System.Text.Encoding.UTF8.GetByteCount(node.Target!),
            _ => 0,
        },
        AccessTime = node.AccessTime,
        ModificationTime = node.ModificationTime,
        ChangeTime = node.ChangeTime,
    };

    private static ulong Now() => (ulong)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;

    private Node NewNode(WasiFileType type)
    {
        var now = Now();
        return new Node
        {
            Type = type,
            Inode = nextInode++,
            Children = type == WasiFileType.Directory ? new SortedDictionary<string, Node>(StringComparer.Ordinal) : null,
            AccessTime = now,
            ModificationTime = now,
            ChangeTime = now,
        };
    }

    private void Attach(Node parent, string name, Node node)
    {
        Charge(EntryOverheadBytes + name.Length + (node.Target?.Length ?? 0));
        parent.Children![name] = node;
        node.Links = node.Type == WasiFileType.Directory ? 2UL : 1UL;
        parent.ModificationTime = Now();
    }

    private void Detach(Node parent, string name, Node node)
    {
        parent.Children!.Remove(name);
        parent.ModificationTime = node.ChangeTime = Now();
        var links = node.Type == WasiFileType.Directory ? 0 : node.Links - 1;
        node.Links = links;
        if (links > 0)
        {
            Release(name.Length);
            return;
        }
        Release(EntryOverheadBytes + name.Length + (node.Target?.Length ?? 0));
        // An open file's bytes stay charged until its last descriptor closes.
        if (node.OpenCount == 0) ReleaseData(node);
    }

    private void ReleaseData(Node node)
    {
        Release(node.Length);
        node.Length = 0;
        node.Data = [];
    }

    private void Resize(Node node, long length)
    {
        if (length > Array.MaxLength) throw WasiErrorException.Of(WasiErrno.FBig);
        var delta = length - node.Length;
        if (delta > 0) Charge(delta);
        if (length > node.Data.Length)
        {
            var capacity = (int)Math.Min(Array.MaxLength, Math.Max(length, Math.Min((long)node.Data.Length * 2, length + (1 << 20))));
            Array.Resize(ref node.Data, capacity);
        }
        else if (length < node.Length)
        {
            node.Data.AsSpan((int)length, (int)(node.Length - length)).Clear();
        }
        node.Length = length;
        if (delta < 0) Release(-delta);
    }

    private void Charge(long bytes)
    {
        if (bytes <= 0)
        {
            Release(-bytes);
            return;
        }
        if (bytes > MaximumBytes - UsedBytes) throw WasiErrorException.Of(WasiErrno.NoSpc);
        if (charge is not null && !charge(bytes)) throw WasiErrorException.Of(WasiErrno.NoSpc);
        UsedBytes += bytes;
    }

    private void Release(long bytes)
    {
        if (bytes <= 0) return;
        UsedBytes -= bytes;
        charge?.Invoke(-bytes);
    }

    private Node? Find(string path)
    {
        var node = root;
        if (path.Length == 0) return node;
        foreach (var name in path.Split('/'))
        {
            if (node.Children is null || !node.Children.TryGetValue(name, out var child)) return null;
            node = child;
        }
        return node;
    }

    private Node Get(string path) => Find(path) ?? throw WasiErrorException.Of(WasiErrno.NoEnt);

    private (Node Parent, string Name) GetParent(string path)
    {
        if (path.Length == 0) throw WasiErrorException.Of(WasiErrno.Exist);
        var slash = path.LastIndexOf('/');
        var parent = slash < 0 ? root : Get(path[..slash]);
        if (parent.Type != WasiFileType.Directory) throw WasiErrorException.Of(WasiErrno.NotDir);
        return (parent, path[(slash + 1)..]);
    }

    private static string[] SplitSeedPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var names = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new ArgumentException("the path names no file", nameof(path));
        foreach (var name in names)
        {
            if (name is "." or ".." || name.Contains('\0')) throw new ArgumentException($"'{path}': names may not be '.', '..' or hold NUL", nameof(path));
        }
        return names;
    }

    private Node SeedDirectory(Node directory, string name, string path)
    {
        if (directory.Children!.TryGetValue(name, out var child))
        {
            if (child.Type != WasiFileType.Directory) throw new ArgumentException($"'{path}': '{name}' is not a directory", nameof(path));
            return child;
        }
        child = NewNode(WasiFileType.Directory);
        SeedCharge(() => Attach(directory, name, child), path);
        return child;
    }

    private static void SeedCharge(Action change, string path)
    {
        try
        {
            change();
        }
        catch (WasiErrorException)
        {
            throw new InsufficientMemoryException($"'{path}' does not fit the filesystem's budget");
        }
    }

    private sealed class Node
    {
        public WasiFileType Type;
        public ulong Inode;
        public ulong Links;
        public int OpenCount;
        public byte[] Data = [];
        public long Length;
        public SortedDictionary<string, Node>? Children;
        public string? Target;
        public ulong AccessTime, ModificationTime, ChangeTime;
    }

    private sealed class MemoryFile(MemoryFileSystem owner, Node node, bool writable) : IWasiFile
    {
        private bool closed;

        public int Read(Span<byte> destination, long offset)
        {
            if (offset >= node.Length) return 0;
            var count = (int)Math.Min(destination.Length, node.Length - offset);
            node.Data.AsSpan((int)offset, count).CopyTo(destination);
            return count;
        }

        public void Write(ReadOnlySpan<byte> source, long offset)
        {
            if (!writable) throw WasiErrorException.Of(WasiErrno.BadF);
            if (source.Length == 0) return;
            var end = offset + source.Length;
            if (offset < 0 || end > Array.MaxLength) throw WasiErrorException.Of(WasiErrno.FBig);
            if (end > node.Length) owner.Resize(node, end);
            source.CopyTo(node.Data.AsSpan((int)offset));
            node.ModificationTime = node.ChangeTime = Now();
        }

        public long Length => node.Length;

        public void SetLength(long length)
        {
            if (!writable) throw WasiErrorException.Of(WasiErrno.BadF);
            owner.Resize(node, length);
            node.ModificationTime = node.ChangeTime = Now();
        }

        public WasiFilestat Stat() => StatOf(node);

        public void SetTimes(ulong? accessTime, ulong? modificationTime) => SetTimesOf(node, accessTime, modificationTime);

        public void Sync()
        {
        }

        public void Dispose()
        {
            if (closed) return;
            closed = true;
            node.OpenCount--;
            if (node.OpenCount == 0 && node.Links == 0) owner.ReleaseData(node);
        }
    }
}
