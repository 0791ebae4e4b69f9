using System.Runtime.CompilerServices;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// The threads proposal's memory instructions, called by generated code (proposals/threads
/// Overview.md): sequentially consistent loads, stores, read-modify-writes and compare-exchanges
/// on the memory's native bytes through <see cref="Interlocked"/>, and wait/notify. Arguments come
/// in Wasm operand order, then the memarg offset and the memory.
/// </summary>
/// <remarks>
/// Every access checks alignment (trap "unaligned atomic"), then bounds, on the effective address
/// computed in 64 bits. Narrow operations return the old value zero-extended to 32 bits; the
/// compiler widens to i64 where the instruction says so. 8- and 16-bit read-modify-writes are
/// compare-exchange loops (the CLR has no narrow Interlocked.Add).
/// </remarks>
internal static unsafe class Atomics
{
    // Effective address (Spec 4.4.7 memarg) → pointer, or trap. Alignment is checked first, as the
    // reference interpreter and wasmtime do.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Address(int address, uint offset, uint size, Memory memory, out ulong effective)
    {
        effective = (ulong)(uint)address + offset;
        if ((effective & (size - 1)) != 0) throw new TrapException(TrapCode.UnalignedAtomic);
        if (effective + size > Volatile.Read(ref memory.Length)) throw new TrapException(TrapCode.MemoryOutOfBounds);
        return memory.Base + effective;
    }

    // Loads: a volatile read (an x86 mov); sequential consistency comes from the stores below being
    // full fences.

    public static int Load8(int address, uint offset, Memory memory) => Volatile.Read(ref *Address(address, offset, 1, memory, out _));

    public static int Load16(int address, uint offset, Memory memory) => Volatile.Read(ref *(ushort*)Address(address, offset, 2, memory, out _));

    public static int Load32(int address, uint offset, Memory memory) => Volatile.Read(ref *(int*)Address(address, offset, 4, memory, out _));

    public static long Load64(int address, uint offset, Memory memory) => Volatile.Read(ref *(long*)Address(address, offset, 8, memory, out _));

    // Stores: an exchange, a full fence, so a later atomic load on another thread cannot be
    // reordered before it.

    public static void Store8(int address, int value, uint offset, Memory memory) =>
        Interlocked.Exchange(ref *Address(address, offset, 1, memory, out _), (byte)value);

    public static void Store16(int address, int value, uint offset, Memory memory) =>
        Interlocked.Exchange(ref *(ushort*)Address(address, offset, 2, memory, out _), (ushort)value);

    public static void Store32(int address, int value, uint offset, Memory memory) =>
        Interlocked.Exchange(ref *(int*)Address(address, offset, 4, memory, out _), value);

    public static void Store64(int address, long value, uint offset, Memory memory) =>
        Interlocked.Exchange(ref *(long*)Address(address, offset, 8, memory, out _), value);

    public static int Rmw8(int address, int value, uint offset, Memory memory, AtomicRmwOp op)
    {
        ref var cell = ref *Address(address, offset, 1, memory, out _);
        var old = Volatile.Read(ref cell);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref cell, (byte)Apply(op, old, (uint)value), old);
            if (seen == old) return old;
            old = seen;
        }
    }

    public static int Rmw16(int address, int value, uint offset, Memory memory, AtomicRmwOp op)
    {
        ref var cell = ref *(ushort*)Address(address, offset, 2, memory, out _);
        var old = Volatile.Read(ref cell);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref cell, (ushort)Apply(op, old, (uint)value), old);
            if (seen == old) return old;
            old = seen;
        }
    }

    public static int Rmw32(int address, int value, uint offset, Memory memory, AtomicRmwOp op)
    {
        ref var cell = ref *(int*)Address(address, offset, 4, memory, out _);
        switch (op)
        {
            case AtomicRmwOp.Add: return Interlocked.Add(ref cell, value) - value;
            case AtomicRmwOp.Sub: return Interlocked.Add(ref cell, -value) + value;
            case AtomicRmwOp.And: return Interlocked.And(ref cell, value);
            case AtomicRmwOp.Or: return Interlocked.Or(ref cell, value);
            case AtomicRmwOp.Xchg: return Interlocked.Exchange(ref cell, value);
            default:
                var old = Volatile.Read(ref cell);
                while (true)
                {
                    var seen = Interlocked.CompareExchange(ref cell, old ^ value, old);
                    if (seen == old) return old;
                    old = seen;
                }
        }
    }

    public static long Rmw64(int address, long value, uint offset, Memory memory, AtomicRmwOp op)
    {
        ref var cell = ref *(long*)Address(address, offset, 8, memory, out _);
        switch (op)
        {
            case AtomicRmwOp.Add: return Interlocked.Add(ref cell, value) - value;
            case AtomicRmwOp.Sub: return Interlocked.Add(ref cell, -value) + value;
            case AtomicRmwOp.And: return Interlocked.And(ref cell, value);
            case AtomicRmwOp.Or: return Interlocked.Or(ref cell, value);
            case AtomicRmwOp.Xchg: return Interlocked.Exchange(ref cell, value);
            default:
                var old = Volatile.Read(ref cell);
                while (true)
                {
                    var seen = Interlocked.CompareExchange(ref cell, old ^ value, old);
                    if (seen == old) return old;
                    old = seen;
                }
        }
    }

    // Compare-exchange: the loaded value, zero-extended, is compared with the whole expected operand
    // (not wrapped to the access width: atomic.wast expects rmw8.cmpxchg_u with 0x11111111 against
    // a byte 0x11 to fail), so an expected value wider than the access never matches.

    public static int Cmpxchg8(int address, int expected, int replacement, uint offset, Memory memory)
    {
        ref var cell = ref *Address(address, offset, 1, memory, out _);
        if ((uint)expected > byte.MaxValue) return Volatile.Read(ref cell);
        return Interlocked.CompareExchange(ref cell, (byte)replacement, (byte)expected);
    }

    public static int Cmpxchg16(int address, int expected, int replacement, uint offset, Memory memory)
    {
        ref var cell = ref *(ushort*)Address(address, offset, 2, memory, out _);
        if ((uint)expected > ushort.MaxValue) return Volatile.Read(ref cell);
        return Interlocked.CompareExchange(ref cell, (ushort)replacement, (ushort)expected);
    }

    public static int Cmpxchg32(int address, int expected, int replacement, uint offset, Memory memory) =>
        Interlocked.CompareExchange(ref *(int*)Address(address, offset, 4, memory, out _), replacement, expected);

    /// <summary>i64.atomic.rmw32.cmpxchg_u: the i64 expected value must fit 32 unsigned bits to match.</summary>
    public static long Cmpxchg32Wide(int address, long expected, long replacement, uint offset, Memory memory)
    {
        ref var cell = ref *(int*)Address(address, offset, 4, memory, out _);
        if ((ulong)expected > uint.MaxValue) return (uint)Volatile.Read(ref cell);
        return (uint)Interlocked.CompareExchange(ref cell, (int)replacement, (int)expected);
    }

    /// <summary>i64.atomic.rmw8/16.cmpxchg_u: the i64 expected value must fit the width to match.</summary>
    public static long CmpxchgNarrowWide(int address, long expected, long replacement, uint offset, Memory memory, int width)
    {
        if ((ulong)expected > (width == 1 ? byte.MaxValue : ushort.MaxValue))
        {
            // Still checks alignment and bounds, then reads.
            return width == 1 ? (uint)Load8(address, offset, memory) : (uint)Load16(address, offset, memory);
        }
        return width == 1
            ? (uint)Cmpxchg8(address, (int)expected, (int)replacement, offset, memory)
            : (uint)Cmpxchg16(address, (int)expected, (int)replacement, offset, memory);
    }

    public static long Cmpxchg64(int address, long expected, long replacement, uint offset, Memory memory) =>
        Interlocked.CompareExchange(ref *(long*)Address(address, offset, 8, memory, out _), replacement, expected);

    /// <summary>memory.atomic.wait32: 0 woken, 1 not equal, 2 timed out; traps on an unshared memory.</summary>
    public static int Wait32(int address, int expected, long timeout, uint offset, Memory memory)
    {
        var cell = (nint)Address(address, offset, 4, memory, out var effective);
        if (!memory.IsShared) throw new TrapException(TrapCode.ExpectedSharedMemory);
        return memory.Waiters.Wait(effective, () => Volatile.Read(ref *(int*)cell) == expected, timeout, ExecutionState.Current);
    }

    /// <summary>memory.atomic.wait64: as <see cref="Wait32"/> on 8 bytes.</summary>
    public static int Wait64(int address, long expected, long timeout, uint offset, Memory memory)
    {
        var cell = (nint)Address(address, offset, 8, memory, out var effective);
        if (!memory.IsShared) throw new TrapException(TrapCode.ExpectedSharedMemory);
        return memory.Waiters.Wait(effective, () => Volatile.Read(ref *(long*)cell) == expected, timeout, ExecutionState.Current);
    }

    /// <summary>memory.atomic.notify: wakes up to <paramref name="count"/> waiters; 0 on an unshared memory (nobody can wait there).</summary>
    public static int Notify(int address, int count, uint offset, Memory memory)
    {
        Address(address, offset, 4, memory, out var effective);
        return memory.IsShared ? memory.Waiters.Notify(effective, (uint)count) : 0;
    }

    /// <summary>atomic.fence: a full barrier.</summary>
    public static void Fence() => Interlocked.MemoryBarrier();

    private static uint Apply(AtomicRmwOp op, uint old, uint operand) => op switch
    {
        AtomicRmwOp.Add => old + operand,
        AtomicRmwOp.Sub => old - operand,
        AtomicRmwOp.And => old & operand,
        AtomicRmwOp.Or => old | operand,
        AtomicRmwOp.Xor => old ^ operand,
        _ => operand,
    };
}
