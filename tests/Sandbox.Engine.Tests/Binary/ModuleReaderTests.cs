using Sandbox.Engine.Binary;

namespace Sandbox.Engine.Tests.Binary;

public sealed class ModuleReaderTests
{
    private static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1

    private static byte[] Module(params byte[] sections) => [.. Header, .. sections];

    private static DecodeException Malformed(byte[] binary) =>
        Assert.Throws<DecodeException>(() => ModuleReader.Read(binary));

    [Fact]
    public void Read_EmptyModule_HasNothing()
    {
        var module = ModuleReader.Read(Header);

        Assert.Empty(module.Types);
        Assert.Empty(module.Functions);
        Assert.Null(module.StartFunction);
    }

    [Fact]
    public void Read_FunctionWithExportAndLocals_DecodesEveryPart()
    {
        byte[] binary = Module(
            0x01, 0x06, 0x01,             // type section, 6 bytes, 1 type
            0x60, 0x01, 0x7F, 0x01, 0x7E, //   (func (param i32) (result i64))
            0x03, 0x02, 0x01, 0x00,       // function section: 1 function of type 0
            0x07, 0x05, 0x01,             // export section, 1 export
            0x01, 0x66, 0x00, 0x00,       //   "f" function 0
            0x0A, 0x09, 0x01,             // code section, 1 body
            0x07,                         //   body size 7
            0x01, 0x02, 0x7C,             //   1 run of locals: 2 × f64
            0x42, 0x2A,                   //   i64.const 42
            0x0F,                         //   return
            0x0B);                        //   end

        var module = ModuleReader.Read(binary);

        Assert.Equal(new FuncType([ValueType.I32], [ValueType.I64]), Assert.Single(module.Types));
        Assert.Equal([0u], module.Functions);
        // The entry follows header 8, type section 8, function section 4, export id, size and count.
        Assert.Equal(new Export("f", ExternalKind.Function, 0) { Offset = 8 + 8 + 4 + 3 }, Assert.Single(module.Exports));
        var body = Assert.Single(module.Codes);
        Assert.Equal([new LocalRun(2, ValueType.F64)], body.Locals);
        Assert.Equal([0x42, 0x2A, 0x0F, 0x0B], body.Code.ToArray());
        // i64.const sits after header 8, type 8, function 4, export 7, code section header 4, locals 3.
        Assert.Equal(8 + 8 + 4 + 7 + 4 + 3, body.CodeOffset);
    }

    [Fact]
    public void Read_ImportsOfEveryKind_Decodes()
    {
        byte[] binary = Module(
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,  // type section: (func)
            0x02, 0x1F, 0x04,                    // import section, 31 bytes, 4 imports
            0x01, 0x6D, 0x01, 0x66, 0x00, 0x00,  //   "m" "f" func type 0
            0x01, 0x6D, 0x01, 0x74, 0x01, 0x70, 0x01, 0x01, 0x02, // "m" "t" table funcref min 1 max 2
            0x01, 0x6D, 0x01, 0x6D, 0x02, 0x03, 0x01, 0x02,       // "m" "m" memory shared, min 1 max 2
            0x01, 0x6D, 0x01, 0x67, 0x03, 0x7F, 0x01);            // "m" "g" global (mut i32)

        var imports = ModuleReader.Read(binary).Imports;

        Assert.Equal(4, imports.Length);
        Assert.Equal(0u, imports[0].TypeIndex);
        Assert.Equal(new TableType(ValueType.FuncRef, new Limits(1, 2)), imports[1].Table);
        Assert.Equal(new MemoryType(new Limits(1, 2), Shared: true), imports[2].Memory);
        Assert.Equal(new GlobalType(ValueType.I32, Mutable: true), imports[3].Global);
    }

    [Fact]
    public void Read_MemoryWithCustomPageSize_DecodesLog2()
    {
        byte[] binary = Module(
            0x05, 0x05, 0x01,  // memory section, 1 memory
            0x09,              //   flags: has maximum | custom page size
            0x00, 0x10,        //   min 0, max 16
            0x00);             //   page size log2 = 0: 1-byte pages

        var memory = Assert.Single(ModuleReader.Read(binary).Memories);

        Assert.Equal(0, memory.PageSizeLog2);
        Assert.Equal(new Limits(0, 16), memory.Limits);
    }

    [Fact]
    public void Read_ElementSegmentOfFunctionIndices_BecomesRefFuncExpressions()
    {
        byte[] binary = Module(
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,  // type section
            0x03, 0x03, 0x02, 0x00, 0x00,        // function section: 2 functions
            0x04, 0x04, 0x01, 0x70, 0x00, 0x02,  // table section: funcref min 2
            0x09, 0x08, 0x01,                    // element section, 1 segment
            0x00,                                //   encoding 0: active, table 0, function indices
            0x41, 0x00, 0x0B,                    //   offset (i32.const 0)
            0x02, 0x01, 0x00,                    //   2 items: function 1, function 0
            0x0A, 0x07, 0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B); // two empty bodies

        var segment = Assert.Single(ModuleReader.Read(binary).Elements);

        Assert.Equal(SegmentMode.Active, segment.Mode);
        Assert.Equal([0x41, 0x00], segment.Offset!.Code.ToArray());
        Assert.Equal([0xD2, 0x01], segment.Items[0].Code.ToArray()); // ref.func 1
        Assert.Equal([0xD2, 0x00], segment.Items[1].Code.ToArray()); // ref.func 0
    }

    [Fact]
    public void Read_DeclarativeElementWithExpressions_KeepsTypeAndMode()
    {
        byte[] binary = Module(
            0x09, 0x07, 0x01,  // element section, 1 segment
            0x07,              //   encoding 7: declarative, reference type, expressions
            0x6F,              //   externref
            0x01,              //   1 item
            0xD0, 0x6F, 0x0B); //   ref.null extern, end

        var segment = Assert.Single(ModuleReader.Read(binary).Elements);

        Assert.Equal(SegmentMode.Declarative, segment.Mode);
        Assert.Equal(ValueType.ExternRef, segment.ElementType);
        Assert.Equal([0xD0, 0x6F], Assert.Single(segment.Items).Code.ToArray());
    }

    [Fact]
    public void Read_MalformedNameSection_IsIgnored()
    {
        byte[] binary = Module(
            0x00, 0x08,              // custom section, 8 bytes
            0x04, 0x6E, 0x61, 0x6D, 0x65, // "name"
            0x01, 0x05, 0x01);       // function names subsection claiming 5 bytes, 1 present

        var module = ModuleReader.Read(binary);

        Assert.Null(module.Names);
    }

    [Fact]
    public void Read_NameSection_GivesFunctionNames()
    {
        byte[] binary = Module(
            0x00, 0x0C,                   // custom section, 12 bytes
            0x04, 0x6E, 0x61, 0x6D, 0x65, // "name"
            0x01, 0x05,                   // function names, 5 bytes
            0x01, 0x03, 0x02, 0x66, 0x6E); // 1 entry: function 3 → "fn"

        Assert.Equal("fn", ModuleReader.Read(binary).GetFunctionName(3));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x61, 0x73 }, "unexpected end")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6E, 0x01, 0x00, 0x00, 0x00 }, "magic header not detected")]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00 }, "unknown binary version")]
    public void Read_BadHeader_Throws(byte[] binary, string reason)
    {
        Assert.Equal(reason, Malformed(binary).Reason);
    }

    [Fact]
    public void Read_SectionIdBeyondDataCount_IsMalformedSectionId()
    {
        var error = Malformed(Module(0x0D, 0x00)); // id 13

        Assert.Equal("malformed section id", error.Reason);
        Assert.Equal(8, error.Offset);
    }

    [Fact]
    public void Read_SectionsOutOfOrder_IsUnexpectedContent()
    {
        byte[] binary = Module(
            0x03, 0x01, 0x00,  // function section (empty)
            0x01, 0x01, 0x00); // type section after it

        Assert.Equal("unexpected content after last section", Malformed(binary).Reason);
    }

    [Fact]
    public void Read_DataCountBeforeCode_IsInOrder()
    {
        byte[] binary = Module(
            0x0C, 0x01, 0x00,  // data count 0 (id 12, but ordered before code)
            0x0A, 0x01, 0x00,  // code section (empty)
            0x0B, 0x01, 0x00); // data section (empty)

        Assert.Equal(0u, ModuleReader.Read(binary).DataCount);
    }

    [Fact]
    public void Read_SectionLongerThanItsContent_IsSizeMismatch()
    {
        byte[] binary = Module(0x01, 0x02, 0x00, 0x00); // type section of 2 bytes holding a 1-byte empty vector

        Assert.Equal("section size mismatch", Malformed(binary).Reason);
    }

    [Fact]
    public void Read_FunctionsWithoutCode_IsInconsistentLengths()
    {
        byte[] binary = Module(
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
            0x03, 0x02, 0x01, 0x00); // one function, no code section

        Assert.Equal("function and code section have inconsistent lengths", Malformed(binary).Reason);
    }

    [Fact]
    public void Read_DataCountDisagreesWithData_IsInconsistentLengths()
    {
        byte[] binary = Module(0x0C, 0x01, 0x01); // data count 1, no data section

        Assert.Equal("data count and data section have inconsistent lengths", Malformed(binary).Reason);
    }

    [Fact]
    public void Read_LocalCountsOverflowingU32_IsTooManyLocals()
    {
        byte[] binary = Module(
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
            0x03, 0x02, 0x01, 0x00,
            0x0A, 0x0C, 0x01,                   // code section, 12 bytes, 1 body
            0x0A,                               //   body size 10
            0x02,                               //   2 runs of locals
            0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, //   0xFFFFFFFF × i32
            0x02, 0x7E,                         //   2 × i64: the total exceeds u32
            0x0B);                              //   end

        Assert.Equal("too many locals", Malformed(binary).Reason);
    }

    [Theory]
    [InlineData((byte)0x02, "malformed mutability")]
    [InlineData((byte)0xFF, "malformed mutability")]
    public void Read_GlobalMutabilityNotZeroOrOne_IsMalformed(byte mutability, string reason)
    {
        byte[] binary = Module(0x06, 0x06, 0x01, 0x7F, mutability, 0x41, 0x00, 0x0B);

        Assert.Equal(reason, Malformed(binary).Reason);
    }

    [Fact]
    public void Read_ImportKindFour_IsMalformedImportKind()
    {
        byte[] binary = Module(0x02, 0x06, 0x01, 0x01, 0x6D, 0x01, 0x66, 0x04);

        Assert.Equal("malformed import kind", Malformed(binary).Reason);
    }

    [Fact]
    public void Read_TableOfNonReferenceType_IsMalformedReferenceType()
    {
        byte[] binary = Module(0x04, 0x03, 0x01, 0x7F, 0x00); // table of i32

        Assert.Equal("malformed reference type", Malformed(binary).Reason);
    }

    [Fact]
    public void Read_UnknownLimitsFlags_IsMalformed()
    {
        byte[] binary = Module(0x05, 0x02, 0x01, 0x10); // memory flags 0x10

        Assert.Equal("malformed limits flags", Malformed(binary).Reason);
    }

    [Fact]
    public void Read_BadUtf8InExportName_IsMalformedUtf8()
    {
        byte[] binary = Module(0x07, 0x05, 0x01, 0x01, 0xFF, 0x00, 0x00);

        Assert.Equal("malformed UTF-8 encoding", Malformed(binary).Reason);
    }

    // Element segments (Spec 5.5.12), one fixture per encoding: the segment's bytes after the
    // section header. Each has one item, function 0 or ref.null.
    [Theory]
    [InlineData(new byte[] { 0x01, 0x00, 0x01, 0x00 }, SegmentMode.Passive, 0u, false)]                  // 1: elemkind, vec(funcidx)
    [InlineData(new byte[] { 0x02, 0x01, 0x41, 0x00, 0x0B, 0x00, 0x01, 0x00 }, SegmentMode.Active, 1u, true)] // 2: table 1, offset, elemkind, vec(funcidx)
    [InlineData(new byte[] { 0x03, 0x00, 0x01, 0x00 }, SegmentMode.Declarative, 0u, false)]              // 3: elemkind, vec(funcidx)
    [InlineData(new byte[] { 0x04, 0x41, 0x00, 0x0B, 0x01, 0xD2, 0x00, 0x0B }, SegmentMode.Active, 0u, true)] // 4: offset, vec(expr)
    [InlineData(new byte[] { 0x05, 0x70, 0x01, 0xD0, 0x70, 0x0B }, SegmentMode.Passive, 0u, false)]       // 5: reftype, vec(expr)
    [InlineData(new byte[] { 0x06, 0x02, 0x41, 0x00, 0x0B, 0x70, 0x01, 0xD2, 0x00, 0x0B }, SegmentMode.Active, 2u, true)] // 6: table 2, offset, reftype, vec(expr)
    public void Read_ElementSegmentEncodings_DecodeModeTableAndItems(byte[] segment, SegmentMode mode, uint table, bool hasOffset)
    {
        byte[] binary = Module([0x09, (byte)(segment.Length + 1), 0x01, .. segment]);

        var decoded = Assert.Single(ModuleReader.Read(binary).Elements);

        Assert.Equal(mode, decoded.Mode);
        Assert.Equal(table, decoded.TableIndex);
        Assert.Equal(hasOffset, decoded.Offset is not null);
        Assert.Equal(ValueType.FuncRef, decoded.ElementType);
        Assert.Single(decoded.Items);
    }

    [Fact]
    public void Read_ElementSegmentFlagsAboveSeven_IsMalformed()
    {
        Assert.StartsWith("malformed elements segment kind", Malformed(Module(0x09, 0x02, 0x01, 0x08)).Reason);
    }

    [Fact]
    public void Read_DataSegmentEncodings_DecodePassiveAndExplicitMemory()
    {
        byte[] binary = Module(
            0x0B, 0x0C, 0x02,             // data section, 12 bytes, 2 segments
            0x01, 0x02, 0x61, 0x62,       //   1: passive, "ab"
            0x02, 0x00, 0x41, 0x08, 0x0B, //   2: memory 0, offset (i32.const 8)
            0x01, 0x63);                  //      "c"

        var data = ModuleReader.Read(binary).Data;

        Assert.Equal(SegmentMode.Passive, data[0].Mode);
        Assert.Equal("ab"u8.ToArray(), data[0].Data.ToArray());
        Assert.Equal(SegmentMode.Active, data[1].Mode);
        Assert.Equal([0x41, 0x08], data[1].Offset!.Code.ToArray());
        Assert.Equal("c"u8.ToArray(), data[1].Data.ToArray());
    }
}
