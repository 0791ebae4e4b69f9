namespace Sandbox.Engine;

/// <summary>
/// The body of a host function: read <paramref name="arguments"/> (typed as the function's
/// parameters) and write one value per declared result into <paramref name="results"/>.
/// </summary>
/// <remarks>
/// An exception thrown here becomes a <see cref="TrapException"/> with <see cref="TrapCode.HostError"/>
/// and the exception's message; throw a <see cref="TrapException"/> to trap with a chosen code.
/// </remarks>
public delegate void HostCallback(ReadOnlySpan<Value> arguments, Span<Value> results);
