using System.Globalization;
using System.Text.Json;

namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// A spec test script as wabt's <c>wast2json</c> writes it (docs/wast2json.md): the commands of one
/// <c>.wast</c> file, with module binaries beside it in <see cref="Directory"/>.
/// </summary>
public sealed class SpecScript
{
    private SpecScript(string path, string sourceFileName, IReadOnlyList<SpecCommand> commands)
    {
        Path = path;
        SourceFileName = sourceFileName;
        Commands = commands;
    }

    /// <summary>The JSON file's full path.</summary>
    public string Path { get; }

    /// <summary>The folder holding the script and its <c>.wasm</c> files.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>The script's name without extension, e.g. <c>i32</c>.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The <c>.wast</c> it was converted from, e.g. <c>i32.wast</c>.</summary>
    public string SourceFileName { get; }

    public IReadOnlyList<SpecCommand> Commands { get; }

    /// <summary>The full path of a module file named by a command.</summary>
    public string PathOf(string fileName) => System.IO.Path.Combine(Directory, fileName);

    /// <summary>The bytes of a module file named by a command.</summary>
    public byte[] ReadModule(string fileName) => File.ReadAllBytes(PathOf(fileName));

    /// <summary>Reads and parses a wast2json script.</summary>
    /// <exception cref="FormatException">The JSON has a command or value this parser does not know.</exception>
    public static SpecScript Load(string jsonPath)
    {
        using var stream = File.OpenRead(jsonPath);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var commands = new List<SpecCommand>();
        foreach (var command in root.GetProperty("commands").EnumerateArray())
        {
            commands.Add(ParseCommand(command));
        }
        var source = root.TryGetProperty("source_filename", out var s) ? s.GetString()! : System.IO.Path.GetFileName(jsonPath);
        return new SpecScript(System.IO.Path.GetFullPath(jsonPath), source, commands);
    }

    private static SpecCommand ParseCommand(JsonElement command)
    {
        var type = command.GetProperty("type").GetString();
        var line = command.GetProperty("line").GetInt32();
        return type switch
        {
            "module" => new ModuleCommand(line, String(command, "filename"), OptionalString(command, "name")),
            "register" => new RegisterCommand(line, String(command, "as"), OptionalString(command, "name")),
            "action" => new ActionCommand(line, ParseAction(command.GetProperty("action"))),
            "assert_return" => new AssertReturnCommand(line, ParseAction(command.GetProperty("action")), ParseExpectedList(command)),
            "assert_trap" => new AssertTrapCommand(line, ParseAction(command.GetProperty("action")), String(command, "text")),
            "assert_exhaustion" => new AssertExhaustionCommand(line, ParseAction(command.GetProperty("action")), String(command, "text")),
            "assert_malformed" => new AssertMalformedCommand(line, String(command, "filename"), String(command, "text"), ModuleType(command)),
            "assert_invalid" => new AssertInvalidCommand(line, String(command, "filename"), String(command, "text"), ModuleType(command)),
            "assert_unlinkable" => new AssertUnlinkableCommand(line, String(command, "filename"), String(command, "text"), ModuleType(command)),
            "assert_uninstantiable" => new AssertUninstantiableCommand(line, String(command, "filename"), String(command, "text"), ModuleType(command)),
            _ => throw new FormatException($"line {line}: unknown command type '{type}'"),
        };
    }

    private static SpecAction ParseAction(JsonElement action)
    {
        var kind = action.GetProperty("type").GetString() switch
        {
            "invoke" => SpecActionKind.Invoke,
            "get" => SpecActionKind.Get,
            var other => throw new FormatException($"unknown action type '{other}'"),
        };
        var args = new List<SpecValue>();
        if (action.TryGetProperty("args", out var list))
        {
            foreach (var arg in list.EnumerateArray())
            {
                var expected = ParseExpected(arg);
                args.Add(expected.Value ?? throw new FormatException($"argument {arg} is not a concrete value"));
            }
        }
        return new SpecAction(kind, OptionalString(action, "module"), String(action, "field"), args);
    }

    private static IReadOnlyList<SpecExpected> ParseExpectedList(JsonElement command)
    {
        var result = new List<SpecExpected>();
        foreach (var value in command.GetProperty("expected").EnumerateArray()) result.Add(ParseExpected(value));
        return result;
    }

    /// <summary>Parses one wast2json value: <c>{"type": "f32", "value": "1065353216"}</c> and its variants.</summary>
    internal static SpecExpected ParseExpected(JsonElement value)
    {
        var typeName = value.GetProperty("type").GetString()!;
        if (typeName == "either")
        {
            var alternatives = new List<SpecExpected>();
            foreach (var alternative in value.GetProperty("values").EnumerateArray()) alternatives.Add(ParseExpected(alternative));
            return SpecExpected.Either(alternatives);
        }
        var type = ParseValueType(typeName);
        if (!value.TryGetProperty("value", out var raw))
        {
            // Without a value: in assert_trap/assert_exhaustion a bare result type; in assert_return
            // (ref.func) / (ref.extern), i.e. any non-null reference.
            return type.IsReference() ? SpecExpected.AnyReference(type) : SpecExpected.OfType(type);
        }
        if (type == ValueType.V128)
        {
            var laneType = String(value, "lane_type");
            var lanes = raw.EnumerateArray().Select(l => l.GetString()!).ToArray();
            var bits = new ulong[lanes.Length];
            var nans = new NanPattern[lanes.Length];
            for (var i = 0; i < lanes.Length; i++)
            {
                nans[i] = ParseNan(lanes[i]);
                if (nans[i] == NanPattern.None) bits[i] = ParseBits(lanes[i]);
            }
            var vector = new VectorLanes(laneType, bits, nans);
            return nans.All(n => n == NanPattern.None)
                ? SpecExpected.Exact(SpecValue.V128(vector.ToVector()))
                : SpecExpected.Vector(vector);
        }
        var text = raw.GetString()!;
        if (type.IsReference())
        {
            return SpecExpected.Exact(text == "null" ? SpecValue.NullRef(type) : new SpecValue(type, ParseBits(text)));
        }
        var nan = ParseNan(text);
        if (nan != NanPattern.None) return SpecExpected.NaN(type, nan);
        return SpecExpected.Exact(new SpecValue(type, ParseBits(text)));
    }

    private static NanPattern ParseNan(string text) => text switch
    {
        "nan:canonical" => NanPattern.Canonical,
        "nan:arithmetic" => NanPattern.Arithmetic,
        _ => NanPattern.None,
    };

    // Values are unsigned decimal bit patterns ("4294967295" for i32 -1); accept a sign too, as
    // some lane values of older converters are written signed.
    private static ulong ParseBits(string text) =>
        text.StartsWith('-')
            ? unchecked((ulong)long.Parse(text, CultureInfo.InvariantCulture))
            : ulong.Parse(text, CultureInfo.InvariantCulture);

    private static ValueType ParseValueType(string name) => name switch
    {
        "i32" => ValueType.I32,
        "i64" => ValueType.I64,
        "f32" => ValueType.F32,
        "f64" => ValueType.F64,
        "v128" => ValueType.V128,
        "funcref" => ValueType.FuncRef,
        "externref" => ValueType.ExternRef,
        _ => throw new FormatException($"unknown value type '{name}'"),
    };

    private static SpecModuleType ModuleType(JsonElement command) =>
        OptionalString(command, "module_type") == "text" ? SpecModuleType.Text : SpecModuleType.Binary;

    private static string String(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
