// node:wasi runner for bench/wasi/compare: node run.mjs WASM STDIN OUT PREOPEN_DIR [ARGS...]
// Prints {"compile_ms":..,"run_ms":..}: WebAssembly.compile, and instantiate + wasi.start.
import { readFileSync, openSync, closeSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [wasmPath, stdinPath, outPath, dir, ...args] = process.argv.slice(2);
const bytes = readFileSync(wasmPath);
const stdin = openSync(stdinPath, 'r');
const stdout = openSync(outPath, 'w');
const t0 = process.hrtime.bigint();
const module = await WebAssembly.compile(bytes);
const t1 = process.hrtime.bigint();
const wasi = new WASI({ version: 'preview1', args: ['prog', ...args], env: {}, preopens: { '/data': dir }, stdin, stdout, returnOnExit: true });
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const code = wasi.start(instance);
const t2 = process.hrtime.bigint();
closeSync(stdin); closeSync(stdout);
if (code !== 0) { console.error(`exit ${code}`); process.exit(1); }
console.log(JSON.stringify({ compile_ms: Number(t1 - t0) / 1e6, run_ms: Number(t2 - t1) / 1e6 }));
