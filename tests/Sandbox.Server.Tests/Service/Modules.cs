namespace Sandbox.Server.Tests.Service;

/// <summary>The guest modules of the service tests, in the text format.</summary>
internal static class Modules
{
    public const string Add = """
        (module
          (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
          (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
          (func (export "spin") (loop (br 0))))
        """;

    /// <summary>Writes its memory in a loop until the call is stopped.</summary>
    public const string Scribble = """
        (module
          (memory (export "memory") 1)
          (func (export "scribble")
            (loop (i32.store (i32.const 64) (i32.add (i32.load (i32.const 64)) (i32.const 1))) (br 0))))
        """;

    /// <summary>Leaves a secret at offset 100 when asked, and reads it back: the pool must never show it to the next call.</summary>
    public const string Secret = """
        (module
          (memory (export "memory") 1)
          (global $calls (mut i32) (i32.const 0))
          (func (export "leave") (param i32) (i32.store (i32.const 100) (local.get 0))
            (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
          (func (export "peek") (result i32) (i32.load (i32.const 100)))
          (func (export "calls") (result i32) (global.get $calls)))
        """;

    /// <summary>
    /// Walt-style: the module keeps its own bump allocator in a global (the heap starts after its
    /// data), exports malloc and free, and sums bytes the host wrote.
    /// </summary>
    public const string Walt = """
        (module
          (memory (export "memory") 1)
          (data (i32.const 0) "walt")
          (global $next (mut i32) (i32.const 1024))
          (func (export "malloc") (param $size i32) (result i32) (local $at i32)
            (local.set $at (global.get $next))
            (global.set $next (i32.and (i32.add (i32.add (global.get $next) (local.get $size)) (i32.const 7)) (i32.const -8)))
            (local.get $at))
          (func (export "free") (param i32))
          (func (export "sum") (param $at i32) (param $n i32) (result i32) (local $total i32)
            (block $done (loop $next
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $total (i32.add (local.get $total) (i32.load8_u (local.get $at))))
              (local.set $at (i32.add (local.get $at) (i32.const 1)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $next)))
            (local.get $total))
          (func (export "double") (param $at i32) (param $n i32)
            (block $done (loop $next
              (br_if $done (i32.eqz (local.get $n)))
              (i32.store8 (local.get $at) (i32.shl (i32.load8_u (local.get $at)) (i32.const 1)))
              (local.set $at (i32.add (local.get $at) (i32.const 1)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $next)))))
        """;

    public const string MemoryProvider = """(module (memory (export "memory") 2 16 shared))""";

    public const string MemoryUser = """
        (module
          (import "env" "memory" (memory 1 16 shared))
          (func (export "put") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
          (func (export "get") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "increment") (param i32) (result i32) (i32.atomic.rmw.add (local.get 0) (i32.const 1))))
        """;
}
