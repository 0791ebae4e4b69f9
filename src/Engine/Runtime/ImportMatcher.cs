namespace Sandbox.Engine.Runtime;

/// <summary>
/// Checks that each provided extern matches its import (Spec 4.5.2 import matching): same kind,
/// equal function type, table and memory limits within the import's, equal global type and
/// mutability. Errors name the import and the mismatch, starting with the spec's wording
/// ("incompatible import type").
/// </summary>
internal static class ImportMatcher
{
    public static void Check(ModuleDefinition definition, IReadOnlyList<Extern> imports)
    {
        if (imports.Count != definition.Imports.Length)
        {
            throw new LinkException($"the module has {definition.Imports.Length} imports, {imports.Count} were given");
        }
        for (var i = 0; i < imports.Count; i++)
        {
            var import = definition.Imports[i];
            var provided = imports[i] ?? throw new LinkException($"unknown import: {import.Module}.{import.Name} was given as null");
            if (Mismatch(definition, import, provided) is { } reason)
            {
                throw new LinkException($"incompatible import type: import {import.Module}.{import.Name}: {reason}");
            }
        }
    }

    /// <summary>Why <paramref name="provided"/> cannot satisfy <paramref name="import"/>, or null when it can.</summary>
    public static string? Mismatch(ModuleDefinition definition, Import import, Extern provided)
    {
        switch (import.Kind)
        {
            case ExternalKind.Function:
                if (provided is not Function function) return $"function import requires a callable, found {provided.KindName}";
                var expected = definition.Types[import.TypeIndex];
                return function.Type.Equals(expected) ? null : $"expected function type {expected}, found {function.Type}";
            case ExternalKind.Table:
                if (provided is not Table table) return $"table import requires a table, found {provided.KindName}";
                if (table.ElementType != import.Table!.ElementType)
                {
                    return $"expected {import.Table.ElementType.ToWat()} elements, found {table.ElementType.ToWat()}";
                }
                return LimitsMismatch(import.Table.Limits, table.Size, table.Type.Limits.Maximum, "elements");
            case ExternalKind.Memory:
                if (provided is not Memory memory) return $"memory import requires a memory, found {provided.KindName}";
                var memoryType = import.Memory!;
                if (memoryType.Shared != memory.Type.Shared) return memoryType.Shared ? "expected a shared memory" : "expected an unshared memory";
                if (memoryType.PageSizeLog2 != memory.Type.PageSizeLog2) return $"expected page size {memoryType.PageSize}, found {memory.PageSize}";
                return LimitsMismatch(memoryType.Limits, memory.Size, memory.Maximum, "pages");
            default:
                if (provided is not Global global) return $"global import requires a global, found {provided.KindName}";
                return global.Type == import.Global! ? null : $"expected global type {import.Global}, found {global.Type}";
        }
    }

    // Spec 4.5.2 import matching, limits: the provided size is at least the import's minimum, and if the
    // import has a maximum the provided one has a maximum no larger.
    private static string? LimitsMismatch(Limits wanted, ulong actualSize, ulong? actualMaximum, string unit)
    {
        if (actualSize < wanted.Minimum) return $"expected at least {wanted.Minimum} {unit}, found {actualSize}";
        if (wanted.Maximum is { } max && (actualMaximum is not { } actualMax || actualMax > max))
        {
            return $"expected a maximum of at most {max} {unit}, found {(actualMaximum is { } m ? m.ToString() : "none")}";
        }
        return null;
    }
}
