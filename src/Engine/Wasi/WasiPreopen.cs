namespace Sandbox.Engine.Wasi;

/// <summary>A directory given to the guest at start-up under <paramref name="GuestPath"/> (e.g. "/" or "/data"), descriptors 3 and up in order.</summary>
public sealed record WasiPreopen(string GuestPath, WasiFileSystem FileSystem);
