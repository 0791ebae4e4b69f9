using System.Buffers.Binary;
using Sandbox.Engine.Binary.Internal;

namespace Sandbox.Engine.Binary;

/// <summary>
/// Decodes a module binary (Spec 5.5) into a <see cref="ModuleDefinition"/>. Sections are read in
/// order with the spec's rules; function bodies are kept as bytes.
/// </summary>
/// <remarks>
/// The instructions inside function bodies are decoded by <see cref="Validation.Validator"/>,
/// which types them in the same single pass and throws <see cref="DecodeException"/> for the
/// malformed encodings it meets (unknown opcode, non-zero reserved byte, a missing data count
/// section). Run both before trusting a module.
/// </remarks>
public static class ModuleReader
{
    /// <summary>"\0asm" (Spec 5.5.16).</summary>
    private const uint Magic = 0x6D73_6100;
    private const uint Version = 1;

    /// <summary>Limits flags (Spec 5.3.7, with the threads, memory64 and custom-page-sizes proposals).</summary>
    private const byte LimitsHasMaximum = 0x01;
    private const byte LimitsShared = 0x02;
    private const byte LimitsMemory64 = 0x04;
    private const byte LimitsCustomPageSize = 0x08;

    /// <summary>Decodes <paramref name="binary"/>, which the result keeps referring to (bodies and data are slices of it).</summary>
    /// <exception cref="DecodeException">The binary is malformed; the exception carries the byte offset.</exception>
    public static ModuleDefinition Read(ReadOnlyMemory<byte> binary)
    {
        var state = new ModuleState(binary);
        var reader = new WasmReader(binary.Span);
        ReadHeader(ref reader);

        var lastRank = 0;
        while (!reader.IsAtEnd)
        {
            var idOffset = reader.Offset;
            var id = reader.ReadByte();
            if (id > (byte)SectionId.DataCount) WasmReader.ThrowDecode("malformed section id", idOffset);
            var sizeOffset = reader.Offset;
            var size = reader.ReadU32();

            // A size running past the end of the module is read as far as the bytes go, so that
            // the error names what was cut short, as the reference interpreter's does.
            var truncated = size > (uint)reader.Remaining;
            var contentStart = reader.Position;
            var section = reader.Slice(truncated ? reader.Remaining : (int)size);

            var sectionId = (SectionId)id;
            if (sectionId != SectionId.Custom)
            {
                var rank = SectionOrder.Rank(sectionId);
                if (rank <= lastRank) WasmReader.ThrowDecode("unexpected content after last section", idOffset);
                lastRank = rank;
            }
            ReadSection(sectionId, ref section, state, binary.Slice(contentStart, section.Length), contentStart);
            if (truncated) WasmReader.ThrowDecode("length out of bounds", sizeOffset);
            if (!section.IsAtEnd) WasmReader.ThrowDecode("section size mismatch", section.Offset);
        }

        if (state.Functions.Length != state.Codes.Length)
        {
            WasmReader.ThrowDecode("function and code section have inconsistent lengths", reader.Offset);
        }
        if (state.DataCount is { } count && count != state.Data.Length)
        {
            WasmReader.ThrowDecode("data count and data section have inconsistent lengths", reader.Offset);
        }
        return state.ToModule();
    }

    // Short input fails in ReadBytes as "unexpected end" before the comparison, as the spec
    // tests expect for "\0as" or a missing version.
    private static void ReadHeader(ref WasmReader reader)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(reader.ReadBytes(4)) != Magic) WasmReader.ThrowDecode("magic header not detected", 0);
        if (BinaryPrimitives.ReadUInt32LittleEndian(reader.ReadBytes(4)) != Version) WasmReader.ThrowDecode("unknown binary version", 4);
    }

    private static void ReadSection(SectionId id, ref WasmReader r, ModuleState state, ReadOnlyMemory<byte> content, int contentOffset)
    {
        switch (id)
        {
            case SectionId.Custom:
                ReadCustomSection(ref r, state, content, contentOffset);
                break;
            case SectionId.Type:
                state.Types = ReadVector(ref r, static (ref WasmReader r) => ReadFuncType(ref r));
                break;
            case SectionId.Import:
                state.Imports = ReadVector(ref r, static (ref WasmReader r) => ReadImport(ref r));
                break;
            case SectionId.Function:
                state.Functions = ReadVector(ref r, static (ref WasmReader r) => r.ReadU32());
                break;
            case SectionId.Table:
                state.Tables = ReadVector(ref r, static (ref WasmReader r) => ReadTableType(ref r));
                break;
            case SectionId.Memory:
                state.Memories = ReadVector(ref r, static (ref WasmReader r) => ReadMemoryType(ref r));
                break;
            case SectionId.Global:
                state.Globals = ReadGlobals(ref r, state.Binary);
                break;
            case SectionId.Export:
                state.Exports = ReadVector(ref r, static (ref WasmReader r) => ReadExport(ref r));
                break;
            case SectionId.Start:
                state.StartFunction = r.ReadU32();
                break;
            case SectionId.Element:
                state.Elements = ReadElements(ref r, state.Binary);
                break;
            case SectionId.DataCount:
                state.DataCount = r.ReadU32();
                break;
            case SectionId.Code:
                state.Codes = ReadCodes(ref r, state.Binary);
                break;
            case SectionId.Data:
                state.Data = ReadData(ref r, state.Binary);
                break;
        }
    }

    private delegate T ElementReader<T>(ref WasmReader reader);

    private static T[] ReadVector<T>(ref WasmReader r, ElementReader<T> read)
    {
        var count = r.ReadU32();
        // Every element takes a byte at least, so a count beyond the bytes left cannot be right:
        // fail as running off the end would, before a forged count allocates gigabytes.
        if (count > (uint)r.Remaining) r.Skip(r.Remaining + 1);
        var items = new T[count];
        for (var i = 0; i < items.Length; i++) items[i] = read(ref r);
        return items;
    }

    private static FuncType ReadFuncType(ref WasmReader r)
    {
        const byte FuncTypeForm = 0x60;
        var start = r.Offset;
        if (r.ReadByte() != FuncTypeForm) WasmReader.ThrowDecode("malformed function type", start);
        var parameters = ReadVector(ref r, static (ref WasmReader r) => r.ReadValueType());
        var results = ReadVector(ref r, static (ref WasmReader r) => r.ReadValueType());
        return new FuncType(parameters, results);
    }

    private static Import ReadImport(ref WasmReader r)
    {
        var offset = r.Offset;
        var module = r.ReadName();
        var name = r.ReadName();
        var kindOffset = r.Offset;
        var kind = r.ReadByte();
        return kind switch
        {
            (byte)ExternalKind.Function => new Import(module, name, ExternalKind.Function) { TypeIndex = r.ReadU32(), Offset = offset },
            (byte)ExternalKind.Table => new Import(module, name, ExternalKind.Table) { Table = ReadTableType(ref r), Offset = offset },
            (byte)ExternalKind.Memory => new Import(module, name, ExternalKind.Memory) { Memory = ReadMemoryType(ref r), Offset = offset },
            (byte)ExternalKind.Global => new Import(module, name, ExternalKind.Global) { Global = ReadGlobalType(ref r), Offset = offset },
            _ => WasmReader.ThrowDecode<Import>("malformed import kind", kindOffset),
        };
    }

    private static TableType ReadTableType(ref WasmReader r)
    {
        var elementType = r.ReadReferenceType();
        var flagsOffset = r.Offset;
        var flags = r.ReadByte();
        if ((flags & ~LimitsHasMaximum) != 0) WasmReader.ThrowDecode("malformed limits flags", flagsOffset);
        var minimum = r.ReadU32();
        uint? maximum = (flags & LimitsHasMaximum) != 0 ? r.ReadU32() : null;
        return new TableType(elementType, new Limits(minimum, maximum));
    }

    /// <summary>
    /// memtype (Spec 5.3.8) with the proposals' flag bits: shared (threads), 64-bit indices
    /// (memory64: u64 limits) and a custom page size whose log2 follows the limits.
    /// </summary>
    private static MemoryType ReadMemoryType(ref WasmReader r)
    {
        const byte KnownFlags = LimitsHasMaximum | LimitsShared | LimitsMemory64 | LimitsCustomPageSize;
        var flagsOffset = r.Offset;
        var flags = r.ReadByte();
        if ((flags & ~KnownFlags) != 0) WasmReader.ThrowDecode("malformed limits flags", flagsOffset);
        var is64 = (flags & LimitsMemory64) != 0;
        var minimum = is64 ? r.ReadU64() : r.ReadU32();
        ulong? maximum = (flags & LimitsHasMaximum) == 0 ? null : is64 ? r.ReadU64() : r.ReadU32();
        var pageSizeLog2 = MemoryType.DefaultPageSizeLog2;
        if ((flags & LimitsCustomPageSize) != 0)
        {
            var log2Offset = r.Offset;
            var log2 = r.ReadU32();
            // Only 0 and 16 are valid (a validation rule); anything that does not even fit a
            // 64-bit size is malformed.
            if (log2 >= 64) WasmReader.ThrowDecode("invalid custom page size", log2Offset);
            pageSizeLog2 = (int)log2;
        }
        return new MemoryType(new Limits(minimum, maximum), Shared: (flags & LimitsShared) != 0, Is64: is64, PageSizeLog2: pageSizeLog2);
    }

    private static GlobalType ReadGlobalType(ref WasmReader r)
    {
        var type = r.ReadValueType();
        var mutabilityOffset = r.Offset;
        var mutability = r.ReadByte();
        if (mutability > 1) WasmReader.ThrowDecode("malformed mutability", mutabilityOffset);
        return new GlobalType(type, mutability == 1);
    }

    private static Export ReadExport(ref WasmReader r)
    {
        var offset = r.Offset;
        var name = r.ReadName();
        var kindOffset = r.Offset;
        var kind = r.ReadByte();
        if (kind > (byte)ExternalKind.Global) WasmReader.ThrowDecode("malformed export kind", kindOffset);
        return new Export(name, (ExternalKind)kind, r.ReadU32()) { Offset = offset };
    }

    private static ConstantExpression ReadConstantExpression(ref WasmReader r, ReadOnlyMemory<byte> binary)
    {
        var start = r.Offset;
        InstructionSkipper.SkipExpression(ref r);
        // Without the final end, as ConstantExpression documents.
        return new ConstantExpression(binary.Slice(start, r.Offset - start - 1), start);
    }

    private static GlobalDefinition[] ReadGlobals(ref WasmReader r, ReadOnlyMemory<byte> binary)
    {
        var count = r.ReadU32();
        var globals = new List<GlobalDefinition>((int)Math.Min(count, (uint)r.Remaining));
        for (var i = 0u; i < count; i++)
        {
            var type = ReadGlobalType(ref r);
            globals.Add(new GlobalDefinition(type, ReadConstantExpression(ref r, binary)));
        }
        return [.. globals];
    }

    /// <summary>
    /// Element segments in their eight encodings (Spec 5.5.12). Bit 0: passive or declarative
    /// (else active); bit 1: with bit 0, declarative; without, an explicit table index; bit 2:
    /// items are expressions with a reference type, else function indices with an element kind.
    /// </summary>
    private static ElementSegment[] ReadElements(ref WasmReader r, ReadOnlyMemory<byte> binary)
    {
        const uint PassiveOrDeclarative = 0x1;
        const uint ExplicitTableOrDeclarative = 0x2;
        const uint Expressions = 0x4;
        const byte ElementKindFuncRef = 0x00;

        var count = r.ReadU32();
        var segments = new List<ElementSegment>((int)Math.Min(count, (uint)r.Remaining));
        for (var n = 0u; n < count; n++)
        {
            var flagsOffset = r.Offset;
            var flags = r.ReadU32();
            if (flags > 7) WasmReader.ThrowDecode("malformed elements segment kind", flagsOffset);

            var mode = (flags & PassiveOrDeclarative) == 0 ? SegmentMode.Active
                : (flags & ExplicitTableOrDeclarative) == 0 ? SegmentMode.Passive
                : SegmentMode.Declarative;
            uint tableIndex = 0;
            ConstantExpression? offset = null;
            if (mode == SegmentMode.Active)
            {
                if ((flags & ExplicitTableOrDeclarative) != 0) tableIndex = r.ReadU32();
                offset = ReadConstantExpression(ref r, binary);
            }

            // Encodings 0 and 4 have neither element kind nor type: funcref.
            var hasKindOrType = flags is not (0 or 4);
            ValueType elementType = ValueType.FuncRef;
            ConstantExpression[] items;
            if ((flags & Expressions) != 0)
            {
                if (hasKindOrType) elementType = r.ReadReferenceType();
                var itemCount = r.ReadU32();
                var list = new List<ConstantExpression>((int)Math.Min(itemCount, (uint)r.Remaining));
                for (var i = 0u; i < itemCount; i++) list.Add(ReadConstantExpression(ref r, binary));
                items = [.. list];
            }
            else
            {
                if (hasKindOrType)
                {
                    var kindOffset = r.Offset;
                    if (r.ReadByte() != ElementKindFuncRef) WasmReader.ThrowDecode("malformed element kind", kindOffset);
                }
                items = ReadFunctionIndexItems(ref r);
            }
            segments.Add(new ElementSegment(mode, elementType, items) { TableIndex = tableIndex, Offset = offset });
        }
        return [.. segments];
    }

    /// <summary>
    /// Turns a vector of function indices into <c>ref.func i</c> expressions, so element items
    /// have one form. The expressions share one buffer per segment; each keeps the offset of its
    /// index in the binary for error messages.
    /// </summary>
    private static ConstantExpression[] ReadFunctionIndexItems(ref WasmReader r)
    {
        const int MaxU32Leb = 5;
        var count = r.ReadU32();
        if (count > (uint)r.Remaining) r.Skip(r.Remaining + 1); // as in ReadVector
        var buffer = new byte[count * (1 + MaxU32Leb)];
        var items = new ConstantExpression[count];
        var position = 0;
        for (var i = 0; i < items.Length; i++)
        {
            var indexOffset = r.Offset;
            var indexStart = r.Position;
            r.ReadU32();
            var indexBytes = r.Position - indexStart;
            var start = position;
            buffer[position++] = (byte)Opcode.RefFunc;
            // Copy the index's own LEB128 bytes: it stays exactly as encoded.
            r.Position = indexStart;
            r.ReadBytes(indexBytes).CopyTo(buffer.AsSpan(position));
            position += indexBytes;
            items[i] = new ConstantExpression(buffer.AsMemory(start, position - start), indexOffset);
        }
        return items;
    }

    private static FunctionBody[] ReadCodes(ref WasmReader r, ReadOnlyMemory<byte> binary)
    {
        var count = r.ReadU32();
        var bodies = new List<FunctionBody>((int)Math.Min(count, (uint)r.Remaining));
        for (var i = 0u; i < count; i++)
        {
            var size = (int)Math.Min(r.ReadU32(), int.MaxValue);
            var body = r.Slice(size); // running past the section: "unexpected end of section or function"
            var bodyEnd = body.Offset + size;
            var runs = ReadLocals(ref body);
            var codeOffset = body.Offset;
            // The instructions, up to the final end, are decoded by the validator.
            bodies.Add(new FunctionBody(runs, binary.Slice(codeOffset, bodyEnd - codeOffset), codeOffset) { EncodedSize = size });
        }
        return [.. bodies];
    }

    /// <summary>Local declarations (Spec 5.5.13): their total must fit a u32 ("too many locals").</summary>
    private static LocalRun[] ReadLocals(ref WasmReader body)
    {
        var count = body.ReadU32();
        if (count > (uint)body.Remaining) body.Skip(body.Remaining + 1);
        var runs = new LocalRun[count];
        ulong total = 0;
        for (var i = 0; i < runs.Length; i++)
        {
            var runOffset = body.Offset;
            var n = body.ReadU32();
            total += n;
            if (total > uint.MaxValue) WasmReader.ThrowDecode("too many locals", runOffset);
            runs[i] = new LocalRun(n, body.ReadValueType());
        }
        return runs;
    }

    /// <summary>Data segments (Spec 5.5.14): 0 active in memory 0, 1 passive, 2 active with a memory index.</summary>
    private static DataSegment[] ReadData(ref WasmReader r, ReadOnlyMemory<byte> binary)
    {
        var count = r.ReadU32();
        var segments = new List<DataSegment>((int)Math.Min(count, (uint)r.Remaining));
        for (var i = 0u; i < count; i++)
        {
            var flagsOffset = r.Offset;
            var flags = r.ReadU32();
            if (flags > 2) WasmReader.ThrowDecode("malformed data segment kind", flagsOffset);
            uint memoryIndex = flags == 2 ? r.ReadU32() : 0;
            var offset = flags == 1 ? null : ReadConstantExpression(ref r, binary);
            var length = r.ReadU32();
            var dataOffset = r.Offset;
            r.Skip((int)Math.Min(length, int.MaxValue));
            var mode = flags == 1 ? SegmentMode.Passive : SegmentMode.Active;
            segments.Add(new DataSegment(mode, binary.Slice(dataOffset, (int)length)) { MemoryIndex = memoryIndex, Offset = offset });
        }
        return [.. segments];
    }

    private static void ReadCustomSection(ref WasmReader r, ModuleState state, ReadOnlyMemory<byte> content, int contentOffset)
    {
        var name = r.ReadName();
        var dataStart = r.Position;
        r.Skip(r.Remaining);
        var data = content[dataStart..];
        if (name == "name")
        {
            state.Names = NameSectionReader.TryRead(data.Span, contentOffset + dataStart) ?? state.Names;
        }
        else
        {
            state.CustomSections.Add(new CustomSection(name, data));
        }
    }
}
