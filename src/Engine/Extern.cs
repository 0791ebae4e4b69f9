namespace Sandbox.Engine;

/// <summary>
/// Something an instance can import or export (Spec 4.2.11 "external values"): a
/// <see cref="Function"/>, <see cref="Table"/>, <see cref="Memory"/> or <see cref="Global"/>.
/// </summary>
public abstract class Extern
{
    private protected Extern()
    {
    }

    public abstract ExternalKind Kind { get; }

    /// <summary>The kind in words, as link errors print it: "function", "table", "memory", "global".</summary>
    internal string KindName => Kind switch
    {
        ExternalKind.Function => "function",
        ExternalKind.Table => "table",
        ExternalKind.Memory => "memory",
        _ => "global",
    };
}
