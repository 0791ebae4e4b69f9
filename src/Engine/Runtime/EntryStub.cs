namespace Sandbox.Engine.Runtime;

/// <summary>
/// A generated stub that unpacks <paramref name="arguments"/>, calls <paramref name="function"/>'s
/// code with typed arguments at call depth <paramref name="depth"/> on the thread's
/// <paramref name="state"/>, and packs its results (one stub per signature).
/// </summary>
internal delegate void EntryStub(ReadOnlySpan<Value> arguments, Span<Value> results, Function function, int depth, ExecutionState state);
