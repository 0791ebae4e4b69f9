namespace Sandbox.Engine.Wasi;

/// <summary>Which of a guest's output streams a <see cref="WasiOutputChunk"/> came from; the values are the fds.</summary>
public enum WasiStdStream
{
    /// <summary>fd 1.</summary>
    Stdout = 1,

    /// <summary>fd 2.</summary>
    Stderr = 2,
}
