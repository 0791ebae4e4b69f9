namespace Sandbox.Engine.Binary.Internal;

/// <summary>
/// Where each non-custom section may appear (Spec 5.5.2): the data count section (id 12) sits
/// between element (9) and code (10), so ids are not in order.
/// </summary>
internal static class SectionOrder
{
    /// <summary>The rank of a non-custom section id; sections must have strictly increasing ranks.</summary>
    public static int Rank(SectionId id) => id switch
    {
        SectionId.DataCount => 10,
        SectionId.Code => 11,
        SectionId.Data => 12,
        _ => (int)id,
    };
}
