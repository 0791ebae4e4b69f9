// Arguments, environment, clocks, randomness and exit codes, one command per run:
//
//   envargs args ARG...     each argument with its index and length in UTF-8 bytes
//   envargs env PREFIX      the variables whose names start with PREFIX, sorted; exit 4 if none
//   envargs exit CODE       proc_exit(CODE) after writing "exiting with CODE"
//   envargs abort MESSAGE   a failed assert: the shim's abort, "abort: MESSAGE in ..." and 255
//   envargs clock           checks that the clocks move forward and random_get fills a buffer
//
// Anything else prints the usage and exits with 1.

function usage(): void {
  process.stderr.write("usage: envargs args ARG... | env PREFIX | exit CODE | abort MESSAGE | clock\n");
  process.exit(1);
}

const argv = process.argv;
if (argv.length < 2) usage();
const command = argv[1];
let out = "";

if (command == "args") {
  out += "argc " + argv.length.toString() + "\n";
  for (let i = 2; i < argv.length; i++) {
    out += i.toString() + " " + String.UTF8.byteLength(argv[i]).toString() + " [" + argv[i] + "]\n";
  }
} else if (command == "env" && argv.length == 3) {
  const prefix = argv[2];
  const names = process.env.keys();
  names.sort((a: string, b: string): i32 => (a < b ? -1 : a > b ? 1 : 0));
  let found = 0;
  for (let i = 0; i < names.length; i++) {
    if (!names[i].startsWith(prefix)) continue;
    out += names[i] + "=" + process.env.get(names[i]) + "\n";
    found++;
  }
  if (found == 0) {
    process.stderr.write("no variable starts with " + prefix + "\n");
    process.exit(4);
  }
} else if (command == "exit" && argv.length == 3) {
  const code = I32.parseInt(argv[2]);
  process.stdout.write("exiting with " + code.toString() + "\n");
  process.exit(code);
} else if (command == "abort" && argv.length == 3) {
  assert(argv.length == 0, argv[2]);
} else if (command == "clock" && argv.length == 2) {
  // Each clock read at least twice: neither may go back. Date.now is realtime (ms), hrtime the
  // monotonic clock (ns), performance.now the monotonic one again (ms).
  const wall0 = Date.now();
  const mono0 = process.hrtime();
  const perf0 = performance.now();
  let spin: u64 = 0;
  for (let i = 0; i < 100000; i++) spin += <u64>i;
  const wall1 = Date.now();
  const mono1 = process.hrtime();
  const perf1 = performance.now();
  out += "realtime " + (wall1 >= wall0 ? "ok" : "went back") + "\n";
  out += "monotonic " + (mono1 > mono0 ? "ok" : "did not advance") + "\n";
  out += "performance " + (perf1 >= perf0 ? "ok" : "went back") + "\n";
  // 64 random bytes: all zero by chance with probability 2^-512.
  const bytes = new Uint8Array(64);
  crypto.getRandomValues(bytes);
  let nonzero = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] != 0) nonzero++;
  out += "random " + (nonzero > 0 ? "ok" : "all zero") + "\n";
  if (spin == 0) out += "unreachable\n";
} else {
  usage();
}
process.stdout.write(out);
