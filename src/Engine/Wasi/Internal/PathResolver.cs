using System.Text;

namespace Sandbox.Engine.Wasi.Internal;

/// <summary>
/// The one place a guest's path becomes a canonical path inside a directory capability, for both
/// filesystems, following cap-std's rules: a path is resolved name by name from the directory
/// the guest named (its descriptor), and nothing may lead above that directory — not <c>..</c>,
/// not an absolute path, not a symlink (made by the guest or found on the host) whose target is
/// absolute or climbs out. Such a path is refused with ENOTCAPABLE before anything is touched.
/// </summary>
/// <remarks>
/// Symlinks are followed in every name but the last, and in the last when the call asks
/// (<c>lookupflags.symlink_follow</c>) or the path ends in '/', at most
/// <see cref="MaxSymlinkFollows"/> times (ELOOP, as Linux's 40). The result has no symlink
/// before its last name, so the filesystem can act on it directly.
/// </remarks>
internal static class PathResolver
{
    /// <summary>The longest path a call may pass, in bytes (PATH_MAX): longer ones get ENAMETOOLONG.</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>The longest name in a path, in bytes (NAME_MAX): longer ones get ENAMETOOLONG.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>Symlinks followed in one resolution before ELOOP (Linux's MAXSYMLINKS).</summary>
    public const int MaxSymlinkFollows = 40;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The guest's path bytes as a string: EILSEQ for invalid UTF-8, EINVAL for a NUL, ENAMETOOLONG past <see cref="MaxPathBytes"/>.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxPathBytes) throw WasiErrorException.Of(WasiErrno.NameTooLong);
        if (bytes.IndexOf((byte)0) >= 0) throw WasiErrorException.Of(WasiErrno.Inval);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw WasiErrorException.Of(WasiErrno.IlSeq);
        }
    }

    /// <summary>
    /// Resolves <paramref name="path"/> relative to the directory <paramref name="basePath"/> of
    /// <paramref name="fileSystem"/>. The last name need not exist (for calls that create it);
    /// every name before it must be a directory (ENOENT, ENOTDIR).
    /// </summary>
    /// <param name="trailingSlash">True when the path ended in '/' (the caller then requires a directory).</param>
    /// <returns>The canonical path: '/'-separated, relative to the filesystem's root, "" for its root.</returns>
    public static string Resolve(WasiFileSystem fileSystem, string basePath, string path, bool followFinal, out bool trailingSlash)
    {
        if (path.Length == 0) throw WasiErrorException.Of(WasiErrno.NoEnt);
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes) throw WasiErrorException.Of(WasiErrno.NameTooLong);
        if (path.Contains('\0')) throw WasiErrorException.Of(WasiErrno.Inval);
        if (path[0] == '/') throw WasiErrorException.Of(WasiErrno.NotCapable);
        trailingSlash = path[^1] == '/';
        var follow = followFinal || trailingSlash;

        // Names still to walk, the next on top; the resolved names below the base so far.
        var pending = new Stack<string>();
        Push(pending, path);
        var resolved = new List<string>();
        var follows = 0;
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (name == ".")
            {
                // "x/." needs x to be a directory: it is checked when x was walked (not last then).
                continue;
            }
            if (name == "..")
            {
                if (resolved.Count == 0) throw WasiErrorException.Of(WasiErrno.NotCapable);
                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes) throw WasiErrorException.Of(WasiErrno.NameTooLong);
            resolved.Add(name);
            var isLast = pending.Count == 0;
            var current = Join(basePath, resolved);
            if (!fileSystem.TryLookup(current, out var type, out var target))
            {
                if (isLast) break;
                throw WasiErrorException.Of(WasiErrno.NoEnt);
            }
            if (type == WasiFileType.SymbolicLink && (!isLast || follow))
            {
                if (++follows > MaxSymlinkFollows) throw WasiErrorException.Of(WasiErrno.Loop);
                resolved.RemoveAt(resolved.Count - 1);
                if (string.IsNullOrEmpty(target)) throw WasiErrorException.Of(WasiErrno.NoEnt);
                // A host symlink to /etc, or one the guest made to an absolute path: refused, not
                // reinterpreted inside the directory (cap-std does the same).
                if (target[0] == '/') throw WasiErrorException.Of(WasiErrno.NotCapable);
                Push(pending, target);
                continue;
            }
            if (!isLast && type != WasiFileType.Directory) throw WasiErrorException.Of(WasiErrno.NotDir);
        }
        return Join(basePath, resolved);
    }

    /// <summary>
    /// True when the symlink text <paramref name="target"/>, read from the directory holding
    /// <paramref name="linkPath"/> (canonical), names a place above the filesystem's root by
    /// its "..", counted lexically.
    /// </summary>
    public static bool ClimbsOut(string linkPath, string target)
    {
        var depth = linkPath.Length == 0 ? 0 : linkPath.Split('/').Length - 1;
        foreach (var name in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (name == "..")
            {
                if (--depth < 0) return true;
            }
            else if (name != ".")
            {
                depth++;
            }
        }
        return false;
    }

    // Pushes the names of a path so that its first name is popped first; empty names ("a//b",
    // a trailing '/') are dropped.
    private static void Push(Stack<string> pending, string path)
    {
        var names = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = names.Length - 1; i >= 0; i--) pending.Push(names[i]);
    }

    private static string Join(string basePath, List<string> names)
    {
        if (names.Count == 0) return basePath;
        var relative = string.Join('/', names);
        return basePath.Length == 0 ? relative : basePath + "/" + relative;
    }
}
