using Sandbox.Engine;
using Sandbox.V1;
using EngineValueType = Sandbox.Engine.ValueType;
using ProtoValueType = Sandbox.V1.ValueType;

namespace Sandbox.Server.Internal;

/// <summary>Engine types as the API describes them: kinds, function types and the text format's notation.</summary>
internal static class Descriptors
{
    public static ImportDescriptor ToImport(ModuleDefinition definition, Import import)
    {
        var descriptor = new ImportDescriptor { Module = import.Module, Name = import.Name, Kind = ToKind(import.Kind) };
        switch (import.Kind)
        {
            case ExternalKind.Function:
                var type = definition.Types[import.TypeIndex];
                descriptor.Type = type.ToString();
                descriptor.FuncType = ToFuncType(type);
                break;
            case ExternalKind.Memory:
                descriptor.Type = MemoryText(import.Memory!);
                break;
            case ExternalKind.Table:
                descriptor.Type = $"(table {import.Table!.Limits} {import.Table.ElementType.ToWat()})";
                break;
            default:
                descriptor.Type = $"(global {import.Global})";
                break;
        }
        return descriptor;
    }

    public static ExportDescriptor ToExport(ModuleDefinition definition, Export export)
    {
        var descriptor = new ExportDescriptor { Name = export.Name, Kind = ToKind(export.Kind) };
        switch (export.Kind)
        {
            case ExternalKind.Function:
                var type = definition.GetFunctionType(export.Index);
                descriptor.Type = type.ToString();
                descriptor.FuncType = ToFuncType(type);
                break;
            case ExternalKind.Memory:
                descriptor.Type = MemoryText(definition.MemoryTypes.ElementAt((int)export.Index));
                break;
            case ExternalKind.Table:
                var table = definition.TableTypes.ElementAt((int)export.Index);
                descriptor.Type = $"(table {table.Limits} {table.ElementType.ToWat()})";
                break;
            default:
                descriptor.Type = $"(global {definition.GlobalTypes.ElementAt((int)export.Index)})";
                break;
        }
        return descriptor;
    }

    public static MemoryInfo ToMemoryInfo(Memory memory, uint index, string name, bool imported)
    {
        var info = new MemoryInfo
        {
            Name = name,
            Index = index,
            Pages = memory.Size,
            PageSize = (uint)memory.PageSize,
            MinimumPages = memory.Type.Limits.Minimum,
            Shared = memory.Type.Shared,
            ByteLength = memory.ByteLength,
            Imported = imported,
        };
        if (memory.Maximum is { } maximum) info.MaximumPages = maximum;
        return info;
    }

    public static ProtoValueType ToProto(EngineValueType type) => type switch
    {
        EngineValueType.I32 => ProtoValueType.I32,
        EngineValueType.I64 => ProtoValueType.I64,
        EngineValueType.F32 => ProtoValueType.F32,
        EngineValueType.F64 => ProtoValueType.F64,
        EngineValueType.V128 => ProtoValueType.V128,
        EngineValueType.FuncRef => ProtoValueType.Funcref,
        EngineValueType.ExternRef => ProtoValueType.Externref,
        _ => ProtoValueType.Unspecified,
    };

    private static V1.FuncType ToFuncType(Engine.FuncType type)
    {
        var result = new V1.FuncType();
        foreach (var p in type.Parameters) result.Params.Add(ToProto(p));
        foreach (var r in type.Results) result.Results.Add(ToProto(r));
        return result;
    }

    private static ExternKind ToKind(ExternalKind kind) => kind switch
    {
        ExternalKind.Function => ExternKind.Function,
        ExternalKind.Table => ExternKind.Table,
        ExternalKind.Memory => ExternKind.Memory,
        _ => ExternKind.Global,
    };

    private static string MemoryText(MemoryType type)
    {
        var text = $"(memory {(type.Is64 ? "i64 " : "")}{type.Limits}{(type.Shared ? " shared" : "")}";
        if (type.PageSizeLog2 != MemoryType.DefaultPageSizeLog2) text += $" (pagesize {type.PageSize})";
        return text + ")";
    }
}
