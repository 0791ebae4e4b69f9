namespace Sandbox.Engine.Wasi;

/// <summary>How a WASI command ended: its exit code and what it wrote to captured stdout and stderr.</summary>
/// <param name="ExitCode">0 when <c>_start</c> returned, else the code given to <c>proc_exit</c>.</param>
/// <param name="Stdout">The captured bytes of stdout (empty when passed through).</param>
/// <param name="StdoutTruncated">Stdout passed its capture limit and the rest was dropped.</param>
/// <param name="Stderr">The captured bytes of stderr.</param>
/// <param name="StderrTruncated">Stderr passed its capture limit.</param>
public sealed record WasiResult(int ExitCode, ReadOnlyMemory<byte> Stdout, bool StdoutTruncated, ReadOnlyMemory<byte> Stderr, bool StderrTruncated);
