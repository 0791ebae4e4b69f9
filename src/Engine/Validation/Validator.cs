using Sandbox.Engine.Validation.Internal;

namespace Sandbox.Engine.Validation;

/// <summary>
/// Validates a decoded module (Spec 3, WebAssembly 2.0) before any code is
/// generated: index spaces, limits, constant expressions, exports, the start function, and every
/// function body with the algorithm of the spec's appendix. Runs in time linear in the module size.
/// </summary>
/// <remarks>
/// The decoder leaves function bodies as bytes, so their instruction encodings are decoded here:
/// such faults surface as <see cref="DecodeException"/>, typing faults as
/// <see cref="ValidationException"/>. Threads (0xFE) instructions are accepted only with
/// <see cref="WasmFeatures.Threads"/>; memory64 is reported as unsupported; shared memories and
/// custom page sizes are checked.
/// </remarks>
public static class Validator
{
    /// <summary>Largest memory of 64 KiB pages: 65536 pages, 4 GiB (Spec 3.2.4).</summary>
    private const ulong MaxPages64KiB = 1UL << 16;

    /// <summary>The same 4 GiB bound in bytes, for memories of 1-byte pages (custom-page-sizes).</summary>
    private const ulong MaxMemoryBytes = 1UL << 32;

    /// <summary>Validates <paramref name="module"/> as WebAssembly 2.0 plus the given <paramref name="features"/>.</summary>
    /// <exception cref="ValidationException">The module is invalid; names the function and byte offset when in code.</exception>
    /// <exception cref="DecodeException">A function body holds a malformed instruction encoding.</exception>
    public static void Validate(ModuleDefinition module, WasmFeatures features = WasmFeatures.None) =>
        Validate(module, features, Compilation.FunctionSplitter.SplitCost);

    /// <summary>As the public overload; bodies that may cost more than <paramref name="splitCost"/> get the cuts the compiler splits them at.</summary>
    internal static void Validate(ModuleDefinition module, WasmFeatures features, int splitCost)
    {
        ArgumentNullException.ThrowIfNull(module);
        ValidateCounts(module);
        var context = new ModuleContext(module);

        ValidateTypes(module);
        ValidateImports(module);
        for (var i = 0; i < module.Functions.Length; i++)
        {
            var typeIndex = module.Functions[i];
            if (typeIndex >= module.Types.Length) throw new ValidationException($"unknown type {typeIndex}", 0);
        }
        foreach (var table in module.Tables) ValidateTableType(table, 0);
        foreach (var memory in module.Memories) ValidateMemoryType(memory, 0);
        if (context.MemoryCount > 1) throw new ValidationException("multiple memories", 0);

        // C.refs first: ref.func in code may name only functions referenced outside code.
        foreach (var global in module.Globals) ConstantExpressionValidator.CollectReferences(context, global.Init);
        foreach (var segment in module.Elements)
        {
            foreach (var item in segment.Items) ConstantExpressionValidator.CollectReferences(context, item);
        }
        foreach (var export in module.Exports)
        {
            if (export.Kind == ExternalKind.Function && export.Index < context.DeclaredReferences.Length) context.DeclaredReferences[export.Index] = true;
        }

        foreach (var global in module.Globals)
        {
            ConstantExpressionValidator.Validate(context, global.Init, global.Type.ValueType);
        }
        ValidateElements(context);
        ValidateData(context);
        ValidateStart(context);
        ValidateExports(context);

        var functions = new FunctionValidator(context, features, splitCost);
        for (var i = 0; i < module.Codes.Length; i++)
        {
            var index = (uint)(context.ImportedFunctionCount + i);
            functions.Validate(index, context.FunctionTypes[index]!, module.Codes[i]);
        }
    }

    /// <summary>
    /// The counts the JS API bounds ("Implementation-defined Limits", <see cref="EngineLimits"/>),
    /// checked before anything is allocated per item.
    /// </summary>
    private static void ValidateCounts(ModuleDefinition module)
    {
        CheckCount("types", module.Types.Length, EngineLimits.MaxTypes);
        CheckCount("functions", (long)module.ImportedFunctionCount + module.Functions.Length, EngineLimits.MaxFunctions);
        CheckCount("imports", module.Imports.Length, EngineLimits.MaxImports);
        CheckCount("exports", module.Exports.Length, EngineLimits.MaxExports);
        CheckCount("globals", (long)module.ImportedGlobalCount + module.Globals.Length, EngineLimits.MaxGlobals);
        CheckCount("tables", (long)module.ImportedTableCount + module.Tables.Length, EngineLimits.MaxTables);
        CheckCount("data segments", module.Data.Length, EngineLimits.MaxDataSegments);
        CheckCount("element segments", module.Elements.Length, EngineLimits.MaxElementSegments);
        for (var i = 0; i < module.Codes.Length; i++)
        {
            var body = module.Codes[i];
            if (body.EncodedSize > EngineLimits.MaxFunctionBodyBytes)
            {
                throw new ValidationException($"function body too large: {body.EncodedSize} bytes exceeds the limit of {EngineLimits.MaxFunctionBodyBytes}",
                    body.CodeOffset, (uint)(module.ImportedFunctionCount + i));
            }
        }
    }

    private static void CheckCount(string what, long count, int limit)
    {
        if (count > limit) throw new ValidationException($"too many {what}: {count} exceeds the limit of {limit}", 0);
    }

    /// <summary>
    /// Function types, with the implementation limits of Spec Appendix 7.2 that V8 also applies
    /// (<see cref="EngineLimits.MaxParameters"/>, <see cref="EngineLimits.MaxResults"/>): every call,
    /// block and branch costs time in its arity, so bounding arity keeps validation and compilation
    /// linear in the code size.
    /// </summary>
    private static void ValidateTypes(ModuleDefinition module)
    {
        foreach (var type in module.Types)
        {
            if (type.Parameters.Length > EngineLimits.MaxParameters)
            {
                throw new ValidationException($"too many parameters: {type.Parameters.Length} exceeds the limit of {EngineLimits.MaxParameters}", 0);
            }
            if (type.Results.Length > EngineLimits.MaxResults)
            {
                throw new ValidationException($"too many results: {type.Results.Length} exceeds the limit of {EngineLimits.MaxResults}", 0);
            }
        }
    }

    private static void ValidateImports(ModuleDefinition module)
    {
        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function when import.TypeIndex >= module.Types.Length:
                    throw new ValidationException($"unknown type {import.TypeIndex}", import.Offset);
                case ExternalKind.Table:
                    ValidateTableType(import.Table!, import.Offset);
                    break;
                case ExternalKind.Memory:
                    ValidateMemoryType(import.Memory!, import.Offset);
                    break;
            }
        }
    }

    /// <summary>
    /// Table limits (Spec 3.2.3): any u32 range with minimum ≤ maximum, and a minimum within
    /// <see cref="EngineLimits.MaxTableElements"/> (a larger maximum is allowed: growth stops there).
    /// </summary>
    private static void ValidateTableType(TableType table, long offset)
    {
        ValidateLimits(table.Limits, uint.MaxValue, "table size", offset);
        if (table.Limits.Minimum > EngineLimits.MaxTableElements)
        {
            throw new ValidationException($"table too large: a minimum of {table.Limits.Minimum} elements exceeds the limit of {EngineLimits.MaxTableElements}", offset);
        }
    }

    /// <summary>
    /// Memory types (Spec 3.2.4) with the threads and custom-page-sizes proposals: at most 4 GiB,
    /// pages of 1 or 65536 bytes, and a shared memory needs a maximum.
    /// </summary>
    private static void ValidateMemoryType(MemoryType memory, long offset)
    {
        if (memory.Is64) throw new ValidationException("memory64 is not supported", offset);
        if (memory.PageSizeLog2 is not (0 or MemoryType.DefaultPageSizeLog2)) throw new ValidationException("invalid custom page size", offset);
        var maxPages = memory.PageSizeLog2 == 0 ? MaxMemoryBytes : MaxPages64KiB;
        if (memory.Limits.Minimum > maxPages || memory.Limits.Maximum > maxPages)
        {
            throw new ValidationException(
                memory.PageSizeLog2 == 0 ? "memory size must be at most 4GiB" : "memory size must be at most 65536 pages (4GiB)", offset);
        }
        ValidateLimits(memory.Limits, maxPages, "memory size", offset);
        if (memory.Shared && memory.Limits.Maximum is null) throw new ValidationException("shared memory must have maximum", offset);
    }

    private static void ValidateLimits(Limits limits, ulong range, string what, long offset)
    {
        if (limits.Minimum > range || limits.Maximum > range) throw new ValidationException($"{what} must be at most {range}", offset);
        if (limits.Maximum is { } max && limits.Minimum > max) throw new ValidationException("size minimum must not be greater than maximum", offset);
    }

    private static void ValidateElements(ModuleContext context)
    {
        foreach (var segment in context.Module.Elements)
        {
            if (segment.Mode == SegmentMode.Active)
            {
                if (segment.TableIndex >= context.Tables.Length)
                {
                    throw new ValidationException($"unknown table {segment.TableIndex}", segment.Offset!.Offset);
                }
                ConstantExpressionValidator.Validate(context, segment.Offset!, ValueType.I32);
                if (context.Tables[segment.TableIndex].ElementType != segment.ElementType)
                {
                    throw new ValidationException(Messages.TypeMismatch, segment.Offset!.Offset);
                }
            }
            foreach (var item in segment.Items) ConstantExpressionValidator.Validate(context, item, segment.ElementType);
        }
    }

    private static void ValidateData(ModuleContext context)
    {
        foreach (var segment in context.Module.Data)
        {
            if (segment.Mode != SegmentMode.Active) continue;
            if (segment.MemoryIndex >= context.MemoryCount)
            {
                throw new ValidationException($"unknown memory {segment.MemoryIndex}", segment.Offset!.Offset);
            }
            ConstantExpressionValidator.Validate(context, segment.Offset!, ValueType.I32);
        }
    }

    /// <summary>The start function must exist and have type [] → [] (Spec 3.4.8).</summary>
    private static void ValidateStart(ModuleContext context)
    {
        if (context.Module.StartFunction is not { } start) return;
        if (start >= context.FunctionTypes.Length) throw new ValidationException($"unknown function {start}", 0);
        var type = context.FunctionTypes[start];
        if (type is null || type.Parameters.Length != 0 || type.Results.Length != 0)
        {
            throw new ValidationException("start function must have type [] -> []", 0);
        }
    }

    private static void ValidateExports(ModuleContext context)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var export in context.Module.Exports)
        {
            if (!names.Add(export.Name)) throw new ValidationException("duplicate export name", export.Offset);
            var (count, what) = export.Kind switch
            {
                ExternalKind.Function => (context.FunctionTypes.Length, "function"),
                ExternalKind.Table => (context.Tables.Length, "table"),
                ExternalKind.Memory => (context.MemoryCount, "memory"),
                _ => (context.Globals.Length, "global"),
            };
            if (export.Index >= count) throw new ValidationException($"unknown {what} {export.Index}", export.Offset);
        }
    }
}
