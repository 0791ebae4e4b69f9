using System.CommandLine;
using Sandbox.V1;

namespace Sandbox.Cli.Internal;

/// <summary>The <c>ARGS</c> of invoke and execute: zero or more <c>TYPE:VALUE</c> (see <see cref="Value.Parse"/>).</summary>
internal static class ValueArguments
{
    public static Argument<Value[]> Create() => new("args")
    {
        Description = "Arguments as TYPE:VALUE: i32:5, i64:-1, f32:1.5, f64:nan:0x1, v128:<32 hex digits> or its lanes (i32x4:1,2,3,4, f32x4:..., i8x16, i16x8, i64x2, f64x2), funcref:null, externref:null.",
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = result =>
        {
            var values = new Value[result.Tokens.Count];
            for (var i = 0; i < values.Length; i++)
            {
                try
                {
                    values[i] = Value.Parse(result.Tokens[i].Value);
                }
                catch (FormatException e)
                {
                    result.AddError(e.Message);
                    return [];
                }
            }
            return values;
        },
    };

    /// <summary><c>--lanes SHAPE</c>: print v128 results by lanes (i32x4:1,2,3,4) rather than as v128:HEX.</summary>
    public static Option<string?> CreateLanesOption()
    {
        var option = new Option<string?>("--lanes") { Description = "Print v128 results in these lanes: " + string.Join(", ", Value.V128Shapes) + " (default: v128:<32 hex digits>)." };
        option.AcceptOnlyFromAmong([.. Value.V128Shapes]);
        return option;
    }

    /// <summary>Results, one per line, in the same TYPE:VALUE form; v128 results in <paramref name="lanes"/> when given.</summary>
    public static void WriteValues(TextWriter output, IEnumerable<Value> values, string? lanes = null)
    {
        foreach (var value in values)
        {
            output.WriteLine(lanes is not null && value.KindCase == Value.KindOneofCase.V128 ? value.ToLaneText(lanes) : value.ToText());
        }
    }
}
