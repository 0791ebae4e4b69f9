using Sandbox.Engine.Binary;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Evaluates validated constant expressions (Spec 3.3.10, 4.4.10) at instantiation:
/// <c>t.const</c> (v128.const too), <c>ref.null</c>, <c>ref.func</c>, <c>global.get</c> and the extended-const
/// integer <c>add</c>/<c>sub</c>/<c>mul</c>.
/// </summary>
internal static class ConstantEvaluator
{
    public static Value Evaluate(ConstantExpression expression, ValueType type, Instance instance)
    {
        var reader = new WasmReader(expression.Code.Span, expression.Offset);
        var stack = new Stack<Value>(2);
        while (!reader.IsAtEnd)
        {
            var opcode = (Opcode)reader.ReadByte();
            switch (opcode)
            {
                case Opcode.I32Const: stack.Push(Value.FromI32(reader.ReadS32())); break;
                case Opcode.I64Const: stack.Push(Value.FromI64(reader.ReadS64())); break;
                case Opcode.F32Const: stack.Push(Value.FromF32Bits(reader.ReadF32Bits())); break;
                case Opcode.F64Const: stack.Push(Value.FromF64Bits(reader.ReadF64Bits())); break;
                case Opcode.RefNull: stack.Push(Value.Null(reader.ReadReferenceType())); break;
                case Opcode.RefFunc: stack.Push(Value.FromFunction(instance.Functions[reader.ReadU32()])); break;
                case Opcode.GlobalGet: stack.Push(instance.Globals[reader.ReadU32()].Value); break;
                case Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul:
                {
                    var b = stack.Pop().AsI32();
                    var a = stack.Pop().AsI32();
                    stack.Push(opcode == Opcode.I32Add ? a + b : opcode == Opcode.I32Sub ? a - b : a * b);
                    break;
                }
                case Opcode.I64Add or Opcode.I64Sub or Opcode.I64Mul:
                {
                    var b = stack.Pop().AsI64();
                    var a = stack.Pop().AsI64();
                    stack.Push(opcode == Opcode.I64Add ? a + b : opcode == Opcode.I64Sub ? a - b : a * b);
                    break;
                }
                case Opcode.PrefixSimd:
                    reader.ReadU32(); // v128.const, the one the validator lets through
                    stack.Push(Value.FromV128(reader.ReadBytes(16)));
                    break;
                case Opcode.End: break;
                default: throw new InvalidOperationException($"opcode 0x{(byte)opcode:x2} in a constant expression passed validation");
            }
        }
        var result = stack.Pop();
        return result.Type == type ? result : Value.FromBits(type, result.Bits, result.Reference);
    }
}
