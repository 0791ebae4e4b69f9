namespace Sandbox.Server.Pooling;

/// <summary>Sizes of the Execute pool, bound from <c>Sandbox:Pool</c>.</summary>
public sealed class InstancePoolOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sandbox:Pool";

    /// <summary>Ready instances kept per module once it has been executed. Default 2; 0 turns the pool off.</summary>
    public int InstancesPerModule { get; set; } = 2;

    /// <summary>Ready instances kept across all modules and tenants. Default 256.</summary>
    public int TotalInstances { get; set; } = 256;
}
