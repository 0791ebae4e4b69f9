using Sandbox.Engine.Binary;

namespace Sandbox.Engine.Validation.Internal;

/// <summary>
/// Constant expressions (Spec 3.3.10, WebAssembly 2.0): only <c>t.const</c>, <c>ref.null</c>,
/// <c>ref.func</c> and <c>global.get</c> of an imported immutable global, leaving exactly one
/// value of the expected type.
/// </summary>
internal static class ConstantExpressionValidator
{
    public static void Validate(ModuleContext context, ConstantExpression expression, ValueType expected)
    {
        var reader = new WasmReader(expression.Code.Span, expression.Offset);
        var produced = 0;
        var type = Operand.Unknown;
        while (!reader.IsAtEnd)
        {
            var offset = reader.Offset;
            var opcode = (Opcode)reader.ReadByte();
            switch (opcode)
            {
                case Opcode.I32Const:
                    reader.ReadS32();
                    type = ValueType.I32;
                    break;
                case Opcode.I64Const:
                    reader.ReadS64();
                    type = ValueType.I64;
                    break;
                case Opcode.F32Const:
                    reader.ReadF32Bits();
                    type = ValueType.F32;
                    break;
                case Opcode.F64Const:
                    reader.ReadF64Bits();
                    type = ValueType.F64;
                    break;
                case Opcode.RefNull:
                    type = reader.ReadReferenceType();
                    break;
                case Opcode.RefFunc:
                    var function = reader.ReadU32();
                    if (function >= context.FunctionTypes.Length) throw new ValidationException($"unknown function {function}", offset);
                    type = ValueType.FuncRef;
                    break;
                case Opcode.GlobalGet:
                    var global = reader.ReadU32();
                    // In 2.0 only imported globals are visible to constant expressions (Spec 3.4.10, C').
                    if (global >= context.ImportedGlobalCount) throw new ValidationException($"unknown global {global}", offset);
                    if (context.Globals[global].Mutable) throw new ValidationException("constant expression required", offset);
                    type = context.Globals[global].ValueType;
                    break;
                case Opcode.PrefixSimd:
                    // v128.const is the only constant SIMD instruction (Spec 3.3.10).
                    if (reader.ReadU32() != (uint)SimdOpcode.V128Const) throw new ValidationException("constant expression required", offset);
                    reader.Skip(16);
                    type = ValueType.V128;
                    break;
                default:
                    throw new ValidationException("constant expression required", offset);
            }
            produced++;
        }
        if (produced != 1 || type != expected) throw new ValidationException("type mismatch", expression.Offset);
    }

    /// <summary>Marks the functions a <c>ref.func</c> in the expression names as declared (C.refs).</summary>
    public static void CollectReferences(ModuleContext context, ConstantExpression expression)
    {
        var code = expression.Code.Span;
        // Only a lone ref.func counts; anything longer is rejected by Validate anyway.
        if (code.Length < 2 || code[0] != (byte)Opcode.RefFunc) return;
        var reader = new WasmReader(code[1..], expression.Offset + 1);
        var function = reader.ReadU32();
        if (reader.IsAtEnd && function < context.DeclaredReferences.Length) context.DeclaredReferences[function] = true;
    }
}
