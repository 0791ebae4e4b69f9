using System.Diagnostics;

namespace Sandbox.Engine;

/// <summary>
/// Runs the engine once on a small built-in module, so that the engine's own code (decoder,
/// validator, compiler, call stubs, the guest threads) is JIT-compiled before the first real
/// module: a server calls it at start-up, the CLI before timing a first call.
/// </summary>
public static class EngineWarmup
{
    // The module, from this text (wat2wasm 1.0.32): a loop with br_table, call_indirect, memory,
    // a mutable f64 global and conversions, to reach most of the compiler's paths.
    //   (module
    //     (type $t (func (param i32) (result i32)))
    //     (memory 1)
    //     (table 1 funcref)
    //     (global $g (mut f64) (f64.const 0))
    //     (elem (i32.const 0) $inc)
    //     (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
    //     (func (export "run") (param i32) (result i32) (local i32)
    //       (loop
    //         (block (block (br_table 0 1 (i32.and (local.get 0) (i32.const 1))))
    //           (local.set 1 (call_indirect (type $t) (local.get 1) (i32.const 0))))
    //         (i32.store (i32.const 8) (i32.load8_u (i32.const 4)))
    //         (global.set $g (f64.add (global.get $g) (f64.convert_i32_s (local.get 1))))
    //         (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    //       (i32.add (local.get 1) (i32.trunc_f64_s (global.get $g)))))
    private static readonly byte[] Binary =
    [
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
        0x03, 0x03, 0x02, 0x00, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01,
        0x06, 0x0d, 0x01, 0x7c, 0x01, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x07,
        0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x01, 0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01,
        0x00, 0x0a, 0x4a, 0x02, 0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b, 0x40, 0x01, 0x01, 0x7f,
        0x03, 0x40, 0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0x41, 0x01, 0x71, 0x0e, 0x01, 0x00, 0x01, 0x0b,
        0x20, 0x01, 0x41, 0x00, 0x11, 0x00, 0x00, 0x21, 0x01, 0x0b, 0x41, 0x08, 0x41, 0x04, 0x2d, 0x00,
        0x00, 0x36, 0x02, 0x00, 0x23, 0x00, 0x20, 0x01, 0xb7, 0xa0, 0x24, 0x00, 0x20, 0x00, 0x41, 0x01,
        0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x23, 0x00, 0xaa, 0x6a, 0x0b,
    ];

    /// <summary>Compiles, instantiates and calls the built-in module; returns how long it took.</summary>
    public static TimeSpan Run()
    {
        var stopwatch = Stopwatch.StartNew();
        var instance = new Linker().Instantiate(Module.FromBytes(Binary));
        var result = instance.GetFunction("run")!.Invoke(10);
        if (result[0].AsI32() != 35) throw new InvalidOperationException($"engine warm-up computed {result[0]}, expected 35");
        instance.Dispose();
        return stopwatch.Elapsed;
    }
}
