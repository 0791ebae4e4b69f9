// Node (V8) runner: runs each bench/out/wasm/<kernel>.wasm as the engine would and prints one
// JSON line per kernel in the format of bench/README.md.
//   first_ns   compile + instantiate + the first run(n): what a cold request costs
//   compile_ns WebAssembly.compile alone (V8 compiles lazily/baseline first, so this is small)
//   best_ns    best of `repeats` further runs: steady state after tier-up
// Usage: node bench/node/run.mjs [kernel...]
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const bench = join(dirname(fileURLToPath(import.meta.url)), "..");
const config = JSON.parse(readFileSync(join(bench, "kernels.json"), "utf8"));
const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(config.kernels);

const now = () => process.hrtime.bigint();
// BENCH_REPEATS overrides kernels.json (bench/simd.sh asks for more, for the engine to tier up).
const repeats = Number(process.env.BENCH_REPEATS ?? config.repeats);

for (const name of names) {
  const n = config.kernels[name] ?? config.simd?.[name];
  if (n === undefined) throw new Error(`unknown kernel ${name}`);
  const bytes = readFileSync(join(bench, "out", "wasm", `${name}.wasm`));

  const start = now();
  const module = await WebAssembly.compile(bytes);
  const compiled = now();
  const instance = await WebAssembly.instantiate(module, {});
  const checksum = instance.exports.run(n);
  const first = now() - start;

  let best = first;
  for (let i = 0; i < repeats; i++) {
    const t = now();
    const again = instance.exports.run(n);
    const elapsed = now() - t;
    if (again !== checksum) throw new Error(`${name}: checksum changed between runs (${checksum}, then ${again})`);
    if (elapsed < best) best = elapsed;
  }
  console.log(JSON.stringify({
    runner: "node",
    version: process.versions.v8,
    kernel: name,
    n,
    checksum,
    bytes: bytes.length,
    compile_ns: Number(compiled - start),
    first_ns: Number(first),
    best_ns: Number(best),
    repeats,
  }));
}
