namespace Sandbox.Engine.Runtime;

/// <summary>
/// <see cref="MemoryAllocator"/> over the guest's own exported allocator (<see cref="AllocatorExports"/>).
/// A block the guest returns is checked to lie inside the memory before it is handed out: the
/// guest is untrusted, and a bogus pointer counts as "no room".
/// </summary>
/// <remarks>
/// C's malloc takes no alignment. When the guest's block is not aligned as asked, it is released
/// and a block <c>alignment - 1</c> bytes larger is taken and rounded up; the original offset is
/// remembered host-side so that <see cref="Free"/> passes the guest the pointer it gave out.
/// </remarks>
internal sealed class GuestAllocator : MemoryAllocator
{
    private readonly Function allocate;
    private readonly Function? release;
    private readonly Function? pin;
    private readonly AllocatorConvention convention;
    private readonly Dictionary<ulong, ulong> realigned = [];

    private GuestAllocator(Memory memory, AllocatorExports exports, Function allocate, Function? release, Function? pin) : base(memory)
    {
        Name = exports.Allocate;
        convention = exports.Convention;
        this.allocate = allocate;
        this.release = release;
        this.pin = pin;
    }

    public override string Name { get; }

    public override bool CanFree => release is not null;

    /// <summary>
    /// The allocator behind <paramref name="exports"/> in <paramref name="instance"/>, or null when
    /// the allocating export is missing; exports of the wrong type are a <see cref="LinkException"/>
    /// for an explicit choice and simply not detected otherwise.
    /// </summary>
    public static GuestAllocator? TryCreate(Instance instance, Memory memory, AllocatorExports exports, bool required)
    {
        var i32 = ValueType.I32;
        var allocateType = exports.Convention switch
        {
            AllocatorConvention.Libc => new FuncType([i32], [i32]),
            AllocatorConvention.AssemblyScript => new FuncType([i32, i32], [i32]),
            _ => new FuncType([i32, i32, i32, i32], [i32]),
        };
        var releaseType = new FuncType([i32], []); // free(ptr) and AssemblyScript's __unpin(ptr): void
        var allocate = Find(instance, exports.Allocate, allocateType, required);
        if (allocate is null) return null;
        Function? release = null;
        Function? pin = null;
        if (exports.Release is { } releaseName)
        {
            // A C bump allocator (Walt) exports malloc alone: free is optional unless AssemblyScript.
            var mustRelease = required && (exports.Convention == AllocatorConvention.AssemblyScript || instance.GetExport(releaseName) is not null);
            release = Find(instance, releaseName, releaseType, mustRelease);
            if (release is null && exports.Convention == AllocatorConvention.AssemblyScript) return null; // __unpin is required there
        }
        if (exports.Convention == AllocatorConvention.AssemblyScript)
        {
            pin = Find(instance, "__pin", new FuncType([i32], [i32]), required);
            if (pin is null) return null;
        }
        return new GuestAllocator(memory, exports, allocate, release, pin);
    }

    public override ulong? Malloc(ulong size, ulong alignment = 8, CallOptions? options = null)
    {
        CheckAlignment(alignment);
        if (size > uint.MaxValue - alignment) return null; // cannot fit a 32-bit memory
        var deadline = new Deadline(options);
        var block = Allocate(size, alignment, deadline);
        if (block is not { } offset || offset % alignment == 0) return block;
        if (release is not null) Release(offset, deadline);
        var padded = Allocate(size + alignment - 1, alignment, deadline);
        if (padded is not { } original) return null;
        var aligned = AlignUp(original, alignment);
        if (aligned != original)
        {
            lock (realigned) realigned[aligned] = original;
        }
        return aligned;
    }

    public override void Free(ulong offset, CallOptions? options = null)
    {
        if (release is null) return;
        lock (realigned)
        {
            if (realigned.Remove(offset, out var original)) offset = original;
        }
        Release(offset, new Deadline(options));
    }

    private ulong? Allocate(ulong size, ulong alignment, Deadline deadline)
    {
        var length = (int)(uint)size;
        var result = convention switch
        {
            AllocatorConvention.Libc => allocate.Invoke(deadline.Next(), length)[0].AsI32(),
            AllocatorConvention.AssemblyScript => pin!.Invoke(deadline.Next(), allocate.Invoke(deadline.Next(), length, 0)[0].AsI32())[0].AsI32(),
            _ => allocate.Invoke(deadline.Next(), 0, 0, (int)(uint)alignment, length)[0].AsI32(),
        };
        var offset = (ulong)(uint)result;
        // 0 is C's "out of memory"; a block outside the memory is a guest bug treated the same way.
        if (offset == 0 || !Memory.IsValidRange(offset, size)) return null;
        return offset;
    }

    // free(ptr) and AssemblyScript's __unpin(ptr) alike take the pointer; __unpin's result is unused.
    private void Release(ulong offset, Deadline deadline) => release!.Invoke(deadline.Next(), (int)(uint)offset);

    /// <summary>
    /// One timeout for an operation that may take several guest calls (__new then __pin, or a
    /// realigned retry): each call gets what is left of it, so the caller's deadline holds.
    /// </summary>
    private readonly struct Deadline(CallOptions? options)
    {
        private static readonly CallOptions Unlimited = new();
        private readonly long started = options?.Timeout is null ? 0 : Clock(options).GetTimestamp();

        public CallOptions Next()
        {
            if (options is null) return Unlimited;
            if (options.Timeout is not { } timeout) return options;
            var left = timeout - Clock(options).GetElapsedTime(started);
            return options with { Timeout = left > TimeSpan.Zero ? left : TimeSpan.Zero };
        }

        private static TimeProvider Clock(CallOptions options) => options.TimeProvider ?? TimeProvider.System;
    }

    private static Function? Find(Instance instance, string name, FuncType type, bool required)
    {
        var export = instance.GetExport(name);
        if (export is Function function && function.Type.Equals(type)) return function;
        if (required)
        {
            var found = export is Function f ? $"a function of type {f.Type}" : export is null ? "nothing" : $"a {export.KindName}";
            throw new LinkException($"allocator export {name}: expected a function of type {type}, found {found}");
        }
        return null;
    }
}
