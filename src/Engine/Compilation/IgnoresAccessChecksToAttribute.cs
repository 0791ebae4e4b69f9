// The runtime honours this attribute by name on a dynamic assembly: generated code may then use
// the engine's internal fields and helpers directly, without making them public.
namespace System.Runtime.CompilerServices;

[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    public string AssemblyName { get; } = assemblyName;
}
