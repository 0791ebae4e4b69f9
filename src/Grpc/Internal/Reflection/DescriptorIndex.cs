using Google.Protobuf.Reflection;

namespace Sandbox.Grpc.Internal.Reflection;

/// <summary>Files and the fully qualified symbols they define, over the registered files and their imports.</summary>
internal sealed class DescriptorIndex
{
    private readonly Dictionary<string, FileDescriptor> files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> symbols = new(StringComparer.Ordinal);

    public DescriptorIndex(IEnumerable<FileDescriptor> roots)
    {
        foreach (var root in roots)
        {
            AddFile(root);
        }
    }

    public FileDescriptor? FindFile(string name) => files.GetValueOrDefault(name);

    /// <summary>A service, method, message, field, enum or enum value, by full name (a leading dot is allowed).</summary>
    public FileDescriptor? FindSymbol(string symbol) => symbols.GetValueOrDefault(symbol.TrimStart('.'));

    private void AddFile(FileDescriptor file)
    {
        if (!files.TryAdd(file.Name, file))
        {
            return;
        }
        foreach (var service in file.Services)
        {
            symbols.TryAdd(service.FullName, file);
            foreach (var method in service.Methods)
            {
                symbols.TryAdd(method.FullName, file);
            }
        }
        foreach (var message in file.MessageTypes)
        {
            AddMessage(message, file);
        }
        foreach (var enumType in file.EnumTypes)
        {
            AddEnum(enumType, file);
        }
        foreach (var dependency in file.Dependencies)
        {
            AddFile(dependency);
        }
    }

    private void AddMessage(MessageDescriptor message, FileDescriptor file)
    {
        symbols.TryAdd(message.FullName, file);
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            symbols.TryAdd(field.FullName, file);
        }
        foreach (var nested in message.NestedTypes)
        {
            AddMessage(nested, file);
        }
        foreach (var enumType in message.EnumTypes)
        {
            AddEnum(enumType, file);
        }
    }

    private void AddEnum(EnumDescriptor enumType, FileDescriptor file)
    {
        symbols.TryAdd(enumType.FullName, file);
        foreach (var value in enumType.Values)
        {
            symbols.TryAdd(value.FullName, file);
        }
    }
}
