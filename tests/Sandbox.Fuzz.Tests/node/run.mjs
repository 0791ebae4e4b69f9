// V8 reference runner for the differential fuzzer (docs/fuzzing.md). Usage:
//   node run.mjs MODULE.wasm PLAN.json [MEMORY-DIR]
// PLAN lists the function exports in order with their signatures ({exports:[{name,params,results}],
// memories:[names]}), as JS cannot ask a module for them. Prints a JSON array of trace lines in the
// format of Execution/Trace.cs, the same lines our engine and Wasmtime write. With MEMORY-DIR, the
// bytes of the plan's memory N at the end are also written to MEMORY-DIR/memory-N.bin.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const [wasmPath, planPath, memoryDir] = process.argv.slice(2);
const wasm = readFileSync(wasmPath);
const plan = JSON.parse(readFileSync(planPath, 'utf8'));
const lines = [];

const f32 = new Float32Array(1), f32bits = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), f64bits = new BigUint64Array(f64.buffer);
const hex = (value, digits) => value.toString(16).padStart(digits, '0');
const token = (type, value) => {
  switch (type) {
    case 'i32': return `i32:${hex(value >>> 0, 8)}`;
    case 'i64': return `i64:${hex(BigInt.asUintN(64, value), 16)}`;
    case 'f32': f32[0] = value; return `f32:${hex(f32bits[0], 8)}`;
    case 'f64': f64[0] = value; return `f64:${hex(f64bits[0], 16)}`;
    case 'funcref': case 'externref': return `${type}:${value === null ? 'null' : 'nonnull'}`;
    default: return `unknown:${type}`;
  }
};

// log-v128 cannot be a JS function (v128 does not cross the JS boundary), so a small module takes
// the v128 and passes its four i32 lanes to JS:
//   (func (param v128) (call $log (i32x4.extract_lane 0 (local.get 0)) ... (i32x4.extract_lane 3 ...)))
const lane = (n) => [0x20, 0x00, 0xfd, 0x1b, n];
const shim = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x0c, 0x02, 0x60, 0x01, 0x7b, 0x00, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00, // types
  0x02, 0x0b, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6c, 0x6f, 0x67, 0x00, 0x01,       // import env.log
  0x03, 0x02, 0x01, 0x00,                                                             // func 1: type 0
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01,                                           // export "f"
  0x0a, 0x1a, 0x01, 0x18, 0x00, ...lane(0), ...lane(1), ...lane(2), ...lane(3), 0x10, 0x00, 0x0b,
]);
const v128Shim = new WebAssembly.Instance(new WebAssembly.Module(shim), {
  env: {
    log: (...lanes) => {
      const bytes = new Uint8Array(new Uint32Array(lanes.map((l) => l >>> 0)).buffer);
      lines.push(`log v128:${Buffer.from(bytes).toString('hex')}`);
    },
  },
});

const imports = {
  'fuzzing-support': {
    'log-i32': (v) => { lines.push(`log ${token('i32', v)}`); },
    'log-i64': (v) => { lines.push(`log ${token('i64', v)}`); },
    'log-f32': (v) => { lines.push(`log ${token('f32', v)}`); },
    'log-f64': (v) => { lines.push(`log ${token('f64', v)}`); },
    'log-v128': v128Shim.exports.f,
  },
};

// V8's trap messages (src/common/message-template.h, kWasmTrap*) as the trace's kinds.
const kind = (error) => {
  const m = String(error && error.message);
  if (error instanceof RangeError && /call stack/i.test(m)) return 'call-stack-exhausted';
  if (!(error instanceof WebAssembly.RuntimeError)) return `host:${error && error.name}:${m}`;
  if (/unreachable/.test(m)) return 'unreachable';
  if (/memory access out of bounds|data segment/.test(m)) return 'memory-out-of-bounds';
  if (/table index is out of bounds|table access|element segment|table.*out of bounds/.test(m)) return 'table-out-of-bounds';
  if (/null function or function signature mismatch|signature mismatch|null function/.test(m)) return 'indirect-call';
  if (/divide by zero|remainder by zero/.test(m)) return 'integer-divide-by-zero';
  if (/divide result unrepresentable|integer overflow/.test(m)) return 'integer-overflow';
  if (/float unrepresentable|integer result unrepresentable/.test(m)) return 'float-to-integer';
  if (/dereferencing a null pointer|null/.test(m)) return 'null-reference';
  return `other:${m}`;
};

let instance;
try {
  instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), imports);
  lines.push('instantiate');
} catch (error) {
  lines.push(`instantiate-trap ${kind(error)}`);
}
if (instance) {
  const exports = instance.exports;
  const hangLimit = exports.hangLimitInitializer;
  for (const { name, params, results } of plan.exports) {
    if (name === 'hangLimitInitializer') continue;
    lines.push(`call ${name}`);
    if (params.includes('v128') || results.includes('v128')) { lines.push('skip'); continue; }
    try {
      if (hangLimit) hangLimit();
      const args = params.map((p) => (p === 'i64' ? 0n : p === 'funcref' || p === 'externref' ? null : 0));
      const result = exports[name](...args);
      const values = results.length === 1 ? [result] : results.length === 0 ? [] : [...result];
      lines.push(['return', ...values.map((v, i) => token(results[i], v))].join(' '));
    } catch (error) {
      lines.push(`trap ${kind(error)}`);
    }
  }
  plan.memories.forEach((name, index) => {
    const bytes = new Uint8Array(exports[name].buffer);
    lines.push(`memory ${name} ${createHash('sha256').update(bytes).digest('hex')}`);
    if (memoryDir) writeFileSync(`${memoryDir}/memory-${index}.bin`, bytes);
  });
}
process.stdout.write(JSON.stringify(lines));
