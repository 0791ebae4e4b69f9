namespace Sandbox.Engine.Wasi;

/// <summary>
/// Consecutive bytes a guest wrote to one stream, as <see cref="WasiOutputPipe.ReadAsync"/> hands
/// them out: chunks come in the order the guest wrote them, across stdout and stderr.
/// </summary>
/// <param name="Stream">Stdout or stderr.</param>
/// <param name="Bytes">At most <see cref="WasiOutputPipe.MaxChunkBytes"/> bytes, never empty; the chunk owns them.</param>
public readonly record struct WasiOutputChunk(WasiStdStream Stream, ReadOnlyMemory<byte> Bytes);
