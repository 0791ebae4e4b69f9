namespace Sandbox.Server.Tests.Service;

/// <summary>
/// WASI guests of the service tests, in the text format, calling wasi_snapshot_preview1 directly
/// (witx signatures; an iovec is {buf: u32, len: u32}).
/// </summary>
internal static class WasiModules
{
    // poll_oneoff on one relative CLOCK_MONOTONIC subscription of 10 s, at 256, its event at 512.
    private const string SleepTenSeconds = """
        (i64.store (i32.const 256) (i64.const 0))              ;; userdata
        (i32.store8 (i32.const 264) (i32.const 0))             ;; tag: clock
        (i32.store (i32.const 272) (i32.const 1))              ;; id: monotonic
        (i64.store (i32.const 280) (i64.const 10000000000))    ;; timeout: 10 s
        (i64.store (i32.const 288) (i64.const 0))              ;; precision
        (i32.store16 (i32.const 296) (i32.const 0))            ;; flags: relative
        (drop (call $poll_oneoff (i32.const 256) (i32.const 512) (i32.const 1) (i32.const 16)))
        """;

    /// <summary>
    /// Memory: iovec at 0, nread/nwritten at 16 and 20, an opened fd at 24, a 4 KiB buffer at 64,
    /// a clock subscription at 256 and its event at 512, "out.txt\0hello" at 8192, "ready\n" at 8300.
    /// </summary>
    public const string Tools = $$"""
        (module
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 8192) "out.txt\00hello")
          (data (i32.const 8300) "ready\n")
          (global $count (mut i32) (i32.const 0))

          ;; cat: copies stdin to stdout and to stderr until end of file.
          (func (export "_start")
            (loop $next
              (i32.store (i32.const 0) (i32.const 64))
              (i32.store (i32.const 4) (i32.const 4096))
              (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 16)))
              (if (i32.eqz (i32.load (i32.const 16))) (then (return)))
              (i32.store (i32.const 4) (i32.load (i32.const 16)))
              (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 20)))
              (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 20)))
              (br $next)))

          ;; proc_exit with the first byte of stdin as the code.
          (func (export "exit")
            (i32.store (i32.const 0) (i32.const 64))
            (i32.store (i32.const 4) (i32.const 1))
            (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 16)))
            (call $proc_exit (i32.load8_u (i32.const 64))))

          ;; poll_oneoff on one relative CLOCK_MONOTONIC subscription of 10 s.
          (func (export "sleep")
            {{SleepTenSeconds}})

          ;; Creates out.txt holding "hello" in the preopen (fd 3); exits 100 + errno if it cannot.
          (func (export "touch") (local $errno i32)
            (local.set $errno (call $path_open (i32.const 3) (i32.const 0) (i32.const 8192) (i32.const 7)
              (i32.const 1) (i64.const 0x42) (i64.const 0) (i32.const 0) (i32.const 24)))  ;; O_CREAT; fd_read|fd_write
            (if (local.get $errno) (then (call $proc_exit (i32.add (i32.const 100) (local.get $errno)))))
            (i32.store (i32.const 0) (i32.const 8200))
            (i32.store (i32.const 4) (i32.const 5))
            (drop (call $fd_write (i32.load (i32.const 24)) (i32.const 0) (i32.const 1) (i32.const 20))))

          ;; A reactor's initialiser: says so on stdout.
          (func (export "_initialize")
            (i32.store (i32.const 0) (i32.const 8300))
            (i32.store (i32.const 4) (i32.const 6))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 20))))

          ;; State across Invoke calls.
          (func (export "count") (result i32)
            (global.set $count (i32.add (global.get $count) (i32.const 1)))
            (global.get $count)))
        """;

    private static readonly Lazy<byte[]> ToolsBinary = new(() => Infrastructure.Wat.Compile(Tools));

    /// <summary><see cref="Tools"/> as a binary (compiled once).</summary>
    public static byte[] Compile() => ToolsBinary.Value;

    /// <summary>A WASI import and another: Execute links only WASI.</summary>
    public const string WasiAndEnv = """
        (module
          (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
          (import "env" "log" (func (param i32)))
          (func (export "_start")))
        """;

    /// <summary>
    /// ExecuteStream's guests. Memory: iovec at 0, nwritten at 16, a clock subscription at 256 and
    /// its event at 512, texts at 1024 ("first\n"), 1040 ("abcd"), 1056 ("before the trap\n"),
    /// 1088 ("oops\n"), and 64 KiB at 65536 for floods.
    /// </summary>
    public const string Streamer = $$"""
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 2)
          (data (i32.const 1024) "first\n")
          (data (i32.const 1040) "abcd")
          (data (i32.const 1056) "before the trap\n")
          (data (i32.const 1088) "oops\n")

          ;; fd_write(fd, one iovec of len bytes at ptr).
          (func $write (param $fd i32) (param $ptr i32) (param $len i32)
            (i32.store (i32.const 0) (local.get $ptr))
            (i32.store (i32.const 4) (local.get $len))
            (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 16))))

          ;; stdout "a", stderr "b", stdout "c", stderr "d".
          (func (export "_start")
            (call $write (i32.const 1) (i32.const 1040) (i32.const 1))
            (call $write (i32.const 2) (i32.const 1041) (i32.const 1))
            (call $write (i32.const 1) (i32.const 1042) (i32.const 1))
            (call $write (i32.const 2) (i32.const 1043) (i32.const 1)))

          ;; "first\n" on stdout, then poll_oneoff on a real CLOCK_MONOTONIC for 10 s.
          (func (export "sleepy")
            (call $write (i32.const 1) (i32.const 1024) (i32.const 6))
            {{SleepTenSeconds}})

          ;; Output on both streams, then a trap.
          (func (export "trap")
            (call $write (i32.const 1) (i32.const 1056) (i32.const 16))
            (call $write (i32.const 2) (i32.const 1088) (i32.const 5))
            unreachable)

          ;; 64 KiB to stdout, forever.
          (func (export "flood")
            (loop $again
              (call $write (i32.const 1) (i32.const 65536) (i32.const 65536))
              (br $again)))

          ;; 10,000 writes of one byte each to stdout.
          (func (export "bytes") (local $i i32)
            (loop $again
              (call $write (i32.const 1) (i32.const 1040) (i32.const 1))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $again (i32.lt_u (local.get $i) (i32.const 10000))))))
        """;
}
