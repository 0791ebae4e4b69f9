using System.Reflection;
using Google.Protobuf.Reflection;

namespace Sandbox.Cli.Internal;

/// <summary>The names enum values have in the .proto file (SERVING, TRAP_CODE_UNREACHABLE), not their C# names.</summary>
internal static class ProtoEnum
{
    public static string Name<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return typeof(T).GetField(name)?.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? name;
    }
}
