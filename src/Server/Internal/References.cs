namespace Sandbox.Server.Internal;

/// <summary>Reference counts that, once at zero, stay there: the object was freed and cannot be revived.</summary>
internal static class References
{
    /// <summary>Adds a reference unless the count already reached zero; false then.</summary>
    public static bool TryAdd(ref int count)
    {
        var current = Volatile.Read(ref count);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref count, current + 1, current);
            if (seen == current) return true;
            current = seen;
        }
        return false;
    }
}
