namespace Sandbox.Engine.Compilation;

/// <summary>
/// Adds up the estimate behind <see cref="Module.CodeBytes"/> (issue 13 item 5: compiled code was
/// memory no budget counted; 12 modules of 65,000 functions held 848 MB).
/// </summary>
/// <remarks>
/// Measured on x64, .NET 10, modules of 10,000 and 100,000 small functions: about 1.5 KB of
/// process memory per method after compilation (method and metadata rows, names, signatures,
/// runtime method descriptors and entry stubs, Reflection.Emit's retained buffers), before any is
/// jitted; RyuJIT's machine code is 2-4 bytes per byte of IL for the code this compiler emits.
/// Locals cost a signature entry each and, jitted, their share of the frame layout's metadata.
/// </remarks>
internal sealed class CodeSize
{
    /// <summary>Fixed cost of one generated method (measured: ~1.5 KB of RSS per function).</summary>
    public const int PerMethodBytes = 1536;

    /// <summary>The IL itself plus machine code at the top of the measured 2-4 bytes per IL byte.</summary>
    public const int PerIlByte = 1 + 4;

    /// <summary>A local's entry in the locals signature and in the jitted code's GC and debug info.</summary>
    public const int PerLocalBytes = 8;

    /// <summary>Per generated type: its type descriptor, method table and loader structures.</summary>
    public const int PerTypeBytes = 16 * 1024;

    private int methods;

    public long Bytes { get; private set; } = PerTypeBytes;

    public void AddMethod(int ilBytes, long locals)
    {
        Bytes += PerMethodBytes + (long)ilBytes * PerIlByte + locals * PerLocalBytes;
        if (++methods % ModuleCompiler.MethodsPerType == 0) Bytes += PerTypeBytes;
    }
}
