namespace Sandbox.Server.Tests.Infrastructure;

/// <summary>
/// Module binaries built byte by byte for the hostile-module tests (issue 13): shapes too large to
/// write as text, generated rather than stored.
/// </summary>
internal static class HostileModules
{
    private static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1

    /// <summary><paramref name="count"/> functions of type [] → [], the first exported as "f", each an empty body.</summary>
    public static byte[] ManyFunctions(int count, byte salt = 0) => Build(count, _ => [0x00, 0x0B], exportFirst: true, salt); // no locals; end

    /// <summary>One exported function "f" whose body nests <paramref name="depth"/> empty blocks.</summary>
    public static byte[] NestedBlocks(int depth, byte salt = 0) => Build(1, _ =>
    {
        var body = new byte[1 + 2 * depth + depth + 1];
        body[0] = 0x00; // no locals
        for (var i = 0; i < depth; i++)
        {
            body[1 + 2 * i] = 0x02;     // block
            body[2 + 2 * i] = 0x40;     // blocktype: empty
        }
        for (var i = 0; i <= depth; i++) body[1 + 2 * depth + i] = 0x0B; // end × depth, then the body's end
        return body;
    }, exportFirst: true, salt);

    /// <summary>
    /// Exported "f" (param i32) (result i32): unreachable at 0, else 1 + f(n - 1) (not a tail
    /// call, so every level keeps its frame), so a call with n traps <c>n + 1</c> frames deep.
    /// </summary>
    public static byte[] RecursiveTrap(byte salt = 0) => Build(1, _ =>
    [
        0x00,                   // no locals
        0x20, 0x00, 0x45,       // local.get 0; i32.eqz
        0x04, 0x40, 0x00, 0x0B, // if; unreachable; end
        0x20, 0x00, 0x41, 0x01, 0x6B, // local.get 0; i32.const 1; i32.sub
        0x10, 0x00,             // call 0
        0x41, 0x01, 0x6A,       // i32.const 1; i32.add
        0x0B,                   // end
    ], exportFirst: true, salt, i32ToI32: true);

    /// <summary>Exported "f" spins forever: only a deadline or a cancel ends it.</summary>
    public static byte[] Spin(byte salt = 0) => Build(1, _ => [0x00, 0x03, 0x40, 0x0C, 0x00, 0x0B, 0x0B], exportFirst: true, salt); // loop; br 0; end; end

    private static byte[] Build(int functions, Func<int, byte[]> body, bool exportFirst, byte salt, bool i32ToI32 = false)
    {
        var module = new List<byte>(Header);
        // Type section: one type, [] → [] or [i32] → [i32].
        Section(module, 1, i32ToI32 ? [0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F] : [0x01, 0x60, 0x00, 0x00]);
        var declarations = new List<byte>();
        Leb(declarations, (uint)functions);
        for (var i = 0; i < functions; i++) declarations.Add(0x00);
        Section(module, 3, declarations);
        if (exportFirst) Section(module, 7, [0x01, 0x01, (byte)'f', 0x00, 0x00]); // export "f" = func 0
        var code = new List<byte>();
        Leb(code, (uint)functions);
        for (var i = 0; i < functions; i++)
        {
            var bytes = body(i);
            Leb(code, (uint)bytes.Length);
            code.AddRange(bytes);
        }
        Section(module, 10, code);
        // A custom section that makes modules of the same shape distinct (another SHA-256).
        Section(module, 0, [0x04, (byte)'s', (byte)'a', (byte)'l', (byte)'t', salt]);
        return [.. module];
    }

    private static void Section(List<byte> module, byte id, IReadOnlyCollection<byte> content)
    {
        module.Add(id);
        Leb(module, (uint)content.Count);
        module.AddRange(content);
    }

    private static void Leb(List<byte> output, uint value)
    {
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            output.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
    }
}
