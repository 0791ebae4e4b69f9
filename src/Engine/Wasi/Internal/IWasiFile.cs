namespace Sandbox.Engine.Wasi.Internal;

/// <summary>
/// An open regular file of a <see cref="WasiFileSystem"/>. Reads and writes take an explicit
/// offset: the file position lives in the descriptor (two descriptors of one file have their own).
/// Failures throw <see cref="WasiErrorException"/>.
/// </summary>
internal interface IWasiFile : IDisposable
{
    int Read(Span<byte> destination, long offset);

    void Write(ReadOnlySpan<byte> source, long offset);

    long Length { get; }

    void SetLength(long length);

    WasiFilestat Stat();

    /// <summary>Sets the access and/or modification time (nanoseconds); null leaves one as it is.</summary>
    void SetTimes(ulong? accessTime, ulong? modificationTime);

    void Sync();
}
