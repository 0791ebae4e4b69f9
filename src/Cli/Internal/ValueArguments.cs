using System.CommandLine;
using Sandbox.V1;

namespace Sandbox.Cli.Internal;

/// <summary>The <c>ARGS</c> of invoke and execute: zero or more <c>TYPE:VALUE</c> (see <see cref="Value.Parse"/>).</summary>
internal static class ValueArguments
{
    public static Argument<Value[]> Create() => new("args")
    {
        Description = "Arguments as TYPE:VALUE: i32:5, i64:-1, f32:1.5, f64:nan:0x1, v128:<32 hex digits>, funcref:null, externref:null.",
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

    /// <summary>Results, one per line, in the same TYPE:VALUE form.</summary>
    public static void WriteValues(TextWriter output, IEnumerable<Value> values)
    {
        foreach (var value in values)
        {
            output.WriteLine(value.ToText());
        }
    }
}
