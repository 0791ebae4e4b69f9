using Sandbox.Engine.Validation;

namespace Sandbox.Engine.Tests.Validation;

public sealed class ValidatorTests
{
    private const ValueType I32 = ValueType.I32, I64 = ValueType.I64, F32 = ValueType.F32, FuncRef = ValueType.FuncRef;

    private static readonly MemoryType OnePage = new(new Limits(1, null));

    /// <summary>A module with one function of type <paramref name="type"/> whose body is <paramref name="code"/> (ending in end).</summary>
    private static ModuleDefinition Function(FuncType type, byte[] code, MemoryType? memory = null, GlobalDefinition[]? globals = null) => new()
    {
        Types = [type],
        Functions = [0],
        Codes = [new FunctionBody([], code, CodeOffset: 100)],
        Memories = memory is null ? [] : [memory],
        Globals = globals ?? [],
    };

    private static FuncType Returns(params ValueType[] results) => new([], results);

    private static string Invalid(ModuleDefinition module) =>
        Assert.Throws<ValidationException>(() => Validator.Validate(module)).Reason;

    [Fact]
    public void Validate_UnreachableThenBinaryOperator_IsValid()
    {
        // unreachable leaves a polymorphic stack: i32.add pops two unknowns.
        byte[] code = [0x00, 0x6A, 0x0B]; // unreachable, i32.add, end

        Validator.Validate(Function(Returns(I32), code));
    }

    [Fact]
    public void Validate_UnreachableThenWrongKnownOperand_IsTypeMismatch()
    {
        byte[] code = [0x00, 0x43, 0, 0, 0, 0, 0x6A, 0x0B]; // unreachable, f32.const 0, i32.add, end

        Assert.Equal("type mismatch", Invalid(Function(Returns(I32), code)));
    }

    [Fact]
    public void Validate_PopBelowBlockEntryHeight_IsTypeMismatch()
    {
        // The i32 outside the block cannot be dropped from inside it.
        byte[] code = [0x41, 0x01, 0x02, 0x40, 0x1A, 0x0B, 0x1A, 0x0B]; // i32.const 1, block, drop, end, drop, end

        Assert.Equal("type mismatch", Invalid(Function(Returns(), code)));
    }

    [Fact]
    public void Validate_BrTableTargetsOfDifferentArity_IsTypeMismatch()
    {
        byte[] code =
        [
            0x02, 0x7F,             // block (result i32)
            0x02, 0x40,             //   block
            0x41, 0x00, 0x41, 0x00, //     i32.const 0, i32.const 0
            0x0E, 0x01, 0x00, 0x01, //     br_table 0 1: label 0 takes [], label 1 takes [i32]
            0x0B,                   //   end
            0x41, 0x00,             //   i32.const 0
            0x0B,                   // end
            0x0B,
        ];

        Assert.Equal("type mismatch", Invalid(Function(Returns(I32), code)));
    }

    [Fact]
    public void Validate_BrTableAfterUnreachableWithDifferentTypesOfSameArity_IsValid()
    {
        // Spec 2.0 appendix: each target is checked against the (unknown) operands separately.
        byte[] code =
        [
            0x02, 0x7F,             // block (result i32)
            0x02, 0x7D,             //   block (result f32)
            0x00,                   //     unreachable
            0x0E, 0x01, 0x00, 0x01, //     br_table 0 1
            0x0B,                   //   end
            0x1A,                   //   drop
            0x41, 0x00,             //   i32.const 0
            0x0B,                   // end
            0x0B,
        ];

        Validator.Validate(Function(Returns(I32), code));
    }

    [Fact]
    public void Validate_BrTableDefaultNotMatchingOperand_IsTypeMismatch()
    {
        byte[] code = [0x02, 0x7F, 0x43, 0, 0, 0, 0, 0x41, 0x00, 0x0E, 0x00, 0x00, 0x0B, 0x0B]; // block (result i32) f32.const 0 i32.const 0 br_table 0

        Assert.Equal("type mismatch", Invalid(Function(Returns(I32), code)));
    }

    [Fact]
    public void Validate_UntypedSelectOnReferences_IsTypeMismatch()
    {
        byte[] code = [0xD0, 0x70, 0xD0, 0x70, 0x41, 0x01, 0x1B, 0x0B]; // ref.null func ×2, i32.const 1, select

        Assert.Equal("type mismatch", Invalid(Function(Returns(FuncRef), code)));
    }

    [Fact]
    public void Validate_TypedSelectOnReferences_IsValid()
    {
        byte[] code = [0xD0, 0x70, 0xD0, 0x70, 0x41, 0x01, 0x1C, 0x01, 0x70, 0x0B]; // select (result funcref)

        Validator.Validate(Function(Returns(FuncRef), code));
    }

    [Fact]
    public void Validate_TypedSelectWithTwoTypes_IsInvalidResultArity()
    {
        byte[] code = [0x41, 0x01, 0x41, 0x01, 0x41, 0x01, 0x1C, 0x02, 0x7F, 0x7F, 0x0B];

        Assert.Equal("invalid result arity", Invalid(Function(Returns(I32), code)));
    }

    [Fact]
    public void Validate_SelectOperandsOfDifferentTypes_IsTypeMismatch()
    {
        byte[] code = [0x41, 0x00, 0x42, 0x00, 0x41, 0x01, 0x1B, 0x0B]; // i32.const, i64.const, i32.const, select

        Assert.Equal("type mismatch", Invalid(Function(Returns(I32), code)));
    }

    [Fact]
    public void Validate_UntypedSelectAfterUnreachable_TakesTheKnownType()
    {
        // unreachable, i64.const 0, select: one operand unknown, the result is i64.
        byte[] code = [0x00, 0x42, 0x00, 0x41, 0x01, 0x1B, 0x0B];

        Validator.Validate(Function(Returns(I64), code));
        Assert.Equal("type mismatch", Invalid(Function(Returns(I32), code)));
    }

    [Fact]
    public void Validate_StoreOperandsInOrder_IsValid_AndSwapped_IsTypeMismatch()
    {
        byte[] inOrder = [0x41, 0x00, 0x43, 0, 0, 0, 0, 0x38, 0x02, 0x00, 0x0B]; // i32.const (address), f32.const (value), f32.store
        byte[] swapped = [0x43, 0, 0, 0, 0, 0x41, 0x00, 0x38, 0x02, 0x00, 0x0B];

        Validator.Validate(Function(Returns(), inOrder, OnePage));
        Assert.Equal("type mismatch", Invalid(Function(Returns(), swapped, OnePage)));
    }

    [Fact]
    public void Validate_ShiftOperandsOfMixedTypes_IsTypeMismatch()
    {
        byte[] code = [0x42, 0x01, 0x41, 0x01, 0x86, 0x0B]; // i64.const 1, i32.const 1, i64.shl: both must be i64

        Assert.Equal("type mismatch", Invalid(Function(Returns(I64), code)));
    }

    [Fact]
    public void Validate_IfWithoutElseChangingTypes_IsTypeMismatch()
    {
        byte[] code = [0x41, 0x01, 0x04, 0x7F, 0x41, 0x01, 0x0B, 0x0B]; // if (result i32) i32.const 1 end: else would give nothing

        Assert.Equal("type mismatch", Invalid(Function(Returns(I32), code)));
    }

    [Fact]
    public void Validate_BlockWithTypeIndex_TakesParametersFromStack()
    {
        var module = new ModuleDefinition
        {
            Types = [Returns(I32), new FuncType([I32, I32], [I32])],
            Functions = [0],
            Codes = [new FunctionBody([], new byte[] { 0x41, 0x01, 0x41, 0x02, 0x02, 0x01, 0x6A, 0x0B, 0x0B }, 0)], // block (type 1) i32.add end
        };

        Validator.Validate(module);
    }

    [Fact]
    public void Validate_AlignmentAboveNatural_IsRejected()
    {
        byte[] code = [0x41, 0x00, 0x28, 0x03, 0x00, 0x0B]; // i32.load align=8

        Assert.Equal("alignment must not be larger than natural", Invalid(Function(Returns(I32), code, OnePage)));
    }

    [Fact]
    public void Validate_LoadWithoutMemory_IsUnknownMemory()
    {
        byte[] code = [0x41, 0x00, 0x28, 0x02, 0x00, 0x0B];

        Assert.StartsWith("unknown memory", Invalid(Function(Returns(I32), code)));
    }

    [Fact]
    public void Validate_SetImmutableGlobal_IsRejected()
    {
        var global = new GlobalDefinition(new GlobalType(I32, Mutable: false), new ConstantExpression(new byte[] { 0x41, 0x00 }, 0));
        byte[] code = [0x41, 0x01, 0x24, 0x00, 0x0B]; // global.set 0

        Assert.Equal("global is immutable", Invalid(Function(Returns(), code, globals: [global])));
    }

    [Fact]
    public void Validate_LocalBeyondDeclared_IsUnknownLocal()
    {
        byte[] code = [0x20, 0x01, 0x1A, 0x0B]; // local.get 1 with one parameter

        Assert.StartsWith("unknown local", Invalid(Function(new FuncType([I32], []), code)));
    }

    [Fact]
    public void Validate_RefFuncOfUndeclaredFunction_IsRejected()
    {
        byte[] code = [0xD2, 0x00, 0x0B]; // ref.func 0, not exported nor in an element segment

        Assert.Equal("undeclared function reference", Invalid(Function(Returns(FuncRef), code)));
    }

    [Fact]
    public void Validate_RefFuncOfExportedFunction_IsValid()
    {
        var module = new ModuleDefinition
        {
            Types = [Returns(FuncRef)],
            Functions = [0],
            Exports = [new Export("f", ExternalKind.Function, 0)],
            Codes = [new FunctionBody([], new byte[] { 0xD2, 0x00, 0x0B }, 0)],
        };

        Validator.Validate(module);
    }

    [Fact]
    public void Validate_FailureInBody_CarriesFunctionIndexAndOffset()
    {
        byte[] code = [0x01, 0x01, 0x6A, 0x0B]; // nop, nop, i32.add on an empty stack
        var module = new ModuleDefinition
        {
            Types = [Returns(I32)],
            Imports = [new Import("m", "f", ExternalKind.Function) { TypeIndex = 0 }],
            Functions = [0],
            Codes = [new FunctionBody([], code, CodeOffset: 100)],
        };

        var error = Assert.Throws<ValidationException>(() => Validator.Validate(module));

        Assert.Equal(1u, error.FunctionIndex); // after the imported function
        Assert.Equal(102, error.Offset);       // the i32.add
    }

    [Fact]
    public void Validate_V128ConstDropped_IsValid()
    {
        byte[] code = [0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1A, 0x0B]; // v128.const 0, drop

        Validator.Validate(Function(Returns(), code));
    }

    [Fact]
    public void Validate_SimdResultWhereI32Expected_IsTypeMismatch()
    {
        byte[] code = [0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0B]; // v128.const 0 as an i32 result

        Assert.Equal("type mismatch", Invalid(Function(Returns(I32), code)));
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0, 0xFD, 0x0F, 0xFD, 0x15, 15, 0x0B }, null)] // i8x16.extract_lane_s 15: the last lane
    [InlineData(new byte[] { 0x41, 0, 0xFD, 0x0F, 0xFD, 0x15, 16, 0x0B }, "invalid lane index")] // lane 16 of 16
    [InlineData(new byte[] { 0x41, 0, 0xFD, 0x11, 0xFD, 0x1B, 3, 0x0B }, null)] // i32x4.extract_lane 3
    [InlineData(new byte[] { 0x41, 0, 0xFD, 0x11, 0xFD, 0x1B, 4, 0x0B }, "invalid lane index")] // lane 4 of 4
    public void Validate_LaneIndex_AcceptedBelowLaneCountOnly(byte[] code, string? error)
    {
        var module = Function(Returns(I32), code);

        if (error is null) Validator.Validate(module);
        else Assert.Equal(error, Invalid(module));
    }

    [Theory]
    [InlineData(31, null)]
    [InlineData(32, "invalid lane index")]
    public void Validate_ShuffleIndex_AcceptedBelow32Only(byte last, string? error)
    {
        // v128.const 0, v128.const 0, i8x16.shuffle 0 ... 0 last, drop
        byte[] constant = [0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] code = [.. constant, .. constant, 0xFD, 0x0D, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last, 0x1A, 0x0B];
        var module = Function(Returns(), code);

        if (error is null) Validator.Validate(module);
        else Assert.Equal(error, Invalid(module));
    }

    [Theory]
    [InlineData(4, null)] // v128.load align=16: natural
    [InlineData(5, "alignment must not be larger than natural")]
    public void Validate_V128LoadAlignment_AtMostNatural(byte align, string? error)
    {
        byte[] code = [0x41, 0, 0xFD, 0x00, align, 0, 0x1A, 0x0B]; // i32.const 0, v128.load align offset=0, drop
        var module = Function(Returns(), code, memory: new MemoryType(new Limits(1, null)));

        if (error is null) Validator.Validate(module);
        else Assert.Equal(error, Invalid(module));
    }

    [Fact]
    public void Validate_UnassignedSimdOpcode_IsMalformed()
    {
        byte[] code = [0xFD, 0x9A, 0x01, 0x0B]; // 0xfd 0x9a is unassigned

        var error = Assert.Throws<DecodeException>(() => Validator.Validate(Function(Returns(), code)));

        Assert.StartsWith("illegal opcode", error.Reason);
    }

    [Fact]
    public void Validate_UnknownOpcode_IsMalformed()
    {
        byte[] code = [0x06, 0x0B]; // 0x06 is unassigned (was try in the exceptions proposal)

        var error = Assert.Throws<DecodeException>(() => Validator.Validate(Function(Returns(), code)));

        Assert.StartsWith("illegal opcode", error.Reason);
    }

    [Fact]
    public void Validate_BodyWithoutFinalEnd_IsEndOpcodeExpected()
    {
        byte[] code = [0x02, 0x40, 0x0B]; // block end, but the function's own end is missing

        var error = Assert.Throws<DecodeException>(() => Validator.Validate(Function(Returns(), code)));

        Assert.Equal("END opcode expected", error.Reason);
    }

    [Fact]
    public void Validate_GlobalInitializerNotConstant_IsRejected()
    {
        var global = new GlobalDefinition(new GlobalType(I32, false), new ConstantExpression(new byte[] { 0x41, 0x01, 0x41, 0x02, 0x6A }, 0)); // i32.add

        Assert.Equal("constant expression required", Invalid(new ModuleDefinition { Globals = [global] }));
    }

    [Fact]
    public void Validate_GlobalInitializerReadingDefinedGlobal_IsUnknownGlobal()
    {
        var first = new GlobalDefinition(new GlobalType(I32, false), new ConstantExpression(new byte[] { 0x41, 0x01 }, 0));
        var second = new GlobalDefinition(new GlobalType(I32, false), new ConstantExpression(new byte[] { 0x23, 0x00 }, 0)); // global.get 0

        Assert.StartsWith("unknown global", Invalid(new ModuleDefinition { Globals = [first, second] }));
    }

    [Fact]
    public void Validate_DuplicateExportNames_IsRejectedAtTheSecond()
    {
        var module = new ModuleDefinition
        {
            Memories = [OnePage],
            Exports = [new Export("a", ExternalKind.Memory, 0) { Offset = 20 }, new Export("a", ExternalKind.Memory, 0) { Offset = 25 }],
        };

        var error = Assert.Throws<ValidationException>(() => Validator.Validate(module));

        Assert.Equal("duplicate export name", error.Reason);
        Assert.Equal(25, error.Offset); // the second one
        Assert.Null(error.FunctionIndex);
    }

    [Fact]
    public void Validate_StartFunctionWithResult_IsRejected()
    {
        var module = Function(Returns(I32), [0x41, 0x00, 0x0B]);
        module = new ModuleDefinition { Types = module.Types, Functions = module.Functions, Codes = module.Codes, StartFunction = 0 };

        Assert.StartsWith("start function", Invalid(module));
    }

    [Theory]
    [InlineData(65537UL, null, "memory size must be at most 65536 pages (4GiB)")]
    [InlineData(2UL, 1UL, "size minimum must not be greater than maximum")]
    public void Validate_MemoryLimitsOutOfRange_IsRejected(ulong minimum, ulong? maximum, string reason)
    {
        var module = new ModuleDefinition { Memories = [new MemoryType(new Limits(minimum, maximum))] };

        Assert.Equal(reason, Invalid(module));
    }

    [Fact]
    public void Validate_TwoMemories_IsMultipleMemories()
    {
        Assert.Equal("multiple memories", Invalid(new ModuleDefinition { Memories = [OnePage, OnePage] }));
    }

    [Fact]
    public void Validate_SharedMemoryWithoutMaximum_IsRejected()
    {
        var module = new ModuleDefinition { Memories = [new MemoryType(new Limits(1, null), Shared: true)] };

        Assert.Equal("shared memory must have maximum", Invalid(module));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(16, true)]
    [InlineData(12, false)]
    public void Validate_CustomPageSize_AcceptsOnlyOneByteAnd64KiB(int log2, bool valid)
    {
        var module = new ModuleDefinition { Memories = [new MemoryType(new Limits(1, 2), PageSizeLog2: log2)] };

        if (valid) Validator.Validate(module);
        else Assert.Equal("invalid custom page size", Invalid(module));
    }

    [Fact]
    public void Validate_LocalsBeyondImplementationLimit_IsRejected()
    {
        var module = new ModuleDefinition
        {
            Types = [Returns()],
            Functions = [0],
            Codes = [new FunctionBody([new LocalRun(60_000, I32)], new byte[] { 0x0B }, 0)],
        };

        Assert.StartsWith("too many locals", Invalid(module));
    }

    private static readonly MemoryType SharedPage = new(new Limits(1, 1), Shared: true);

    [Fact]
    public void Validate_AtomicWithoutThreadsFeature_IsReportedAsUnsupported()
    {
        byte[] code = [0x41, 0x00, 0x41, 0x01, 0xFE, 0x1E, 0x02, 0x00, 0x0B]; // i32.atomic.rmw.add align=4

        Assert.Contains("not supported", Invalid(Function(Returns(I32), code, SharedPage)));
    }

    [Fact]
    public void Validate_AtomicRmwWithThreads_TakesAddressAndOperand()
    {
        byte[] code = [0x41, 0x00, 0x41, 0x01, 0xFE, 0x1E, 0x02, 0x00, 0x0B]; // i32.atomic.rmw.add align=4 → i32

        Validator.Validate(Function(Returns(I32), code, SharedPage), WasmFeatures.Threads);
    }

    [Theory]
    [InlineData((byte)0x01)] // smaller than natural: fine for plain loads, not for atomics
    [InlineData((byte)0x03)]
    public void Validate_AtomicAlignmentNotExactlyNatural_IsRejected(byte align)
    {
        byte[] code = [0x41, 0x00, 0xFE, 0x10, align, 0x00, 0x0B]; // i32.atomic.load

        var error = Assert.Throws<ValidationException>(() => Validator.Validate(Function(Returns(I32), code, SharedPage), WasmFeatures.Threads));

        Assert.Equal("atomic alignment must be natural", error.Reason);
    }

    [Fact]
    public void Validate_Wait64OperandsInOrder_IsValid_AndExpectedOfWrongWidth_IsTypeMismatch()
    {
        byte[] inOrder = [0x41, 0x00, 0x42, 0x00, 0x42, 0x7F, 0xFE, 0x02, 0x03, 0x00, 0x0B]; // address, i64 expected, i64 timeout
        byte[] wrong = [0x41, 0x00, 0x41, 0x00, 0x42, 0x7F, 0xFE, 0x02, 0x03, 0x00, 0x0B];   // i32 expected for wait64

        Validator.Validate(Function(Returns(I32), inOrder, SharedPage), WasmFeatures.Threads);
        Assert.Throws<ValidationException>(() => Validator.Validate(Function(Returns(I32), wrong, SharedPage), WasmFeatures.Threads));
    }

    [Fact]
    public void Validate_AtomicFenceWithNonZeroReservedByte_IsMalformed()
    {
        byte[] code = [0xFE, 0x03, 0x01, 0x0B];

        var error = Assert.Throws<DecodeException>(() => Validator.Validate(Function(Returns(), code), WasmFeatures.Threads));

        Assert.Equal("zero byte expected", error.Reason);
    }

    [Fact]
    public void Validate_TypeWithMoreThan1000Parameters_IsRejected()
    {
        var module = new ModuleDefinition { Types = [new FuncType(Enumerable.Repeat(I32, 1001).ToArray(), [])] };

        Assert.StartsWith("too many parameters", Invalid(module));
    }

    [Fact]
    public void Validate_BrTableRepeatingTargets_StillChecksEveryDistinctLabel()
    {
        // br_table 0 0 1 0 (default 0): label 1 (the function, [i32]) differs from label 0 ([]).
        byte[] code = [0x02, 0x40, 0x41, 0x00, 0x0E, 0x03, 0x00, 0x00, 0x01, 0x00, 0x0B, 0x41, 0x00, 0x0B];

        Assert.Equal("type mismatch", Invalid(Function(Returns(I32), code)));
    }
}
