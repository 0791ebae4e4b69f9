// Joins the JSON lines of the runners (bench/README.md) into one table: per kernel the best
// (steady-state) time of each runner, first-call times, and ratios against native and Node.
// Usage: node bench/table.mjs bench/out/results.jsonl
import { readFileSync } from "node:fs";

const lines = readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l.trim() !== "");
const rows = lines.map((l) => JSON.parse(l));
const runners = [...new Set(rows.map((r) => r.runner))];
const kernels = [...new Set(rows.map((r) => r.kernel))];
const get = (kernel, runner) => rows.find((r) => r.kernel === kernel && r.runner === runner);
const ms = (ns) => (ns / 1e6).toFixed(2);

const header = ["kernel", ...runners.map((r) => `${r} best ms`), ...runners.filter((r) => r !== "native").map((r) => `${r} first ms`)];
const ratios = runners.filter((r) => r !== "native" && r !== "node");
header.push("node/native", ...ratios.flatMap((r) => [`${r}/native`, `${r}/node`, `${r} first/node first`]));

const table = [header];
const logs = {};
for (const kernel of kernels) {
  const native = get(kernel, "native");
  const node = get(kernel, "node");
  const checksums = new Set(runners.map((r) => get(kernel, r)?.checksum).filter((c) => c !== undefined));
  if (checksums.size > 1) console.error(`warning: ${kernel}: runners disagree on the checksum (${[...checksums].join(", ")})`);
  const row = [kernel, ...runners.map((r) => (get(kernel, r) ? ms(get(kernel, r).best_ns) : "-"))];
  row.push(...runners.filter((r) => r !== "native").map((r) => (get(kernel, r) ? ms(get(kernel, r).first_ns) : "-")));
  const ratio = (a, b, key = "best_ns") => (a && b ? a[key] / b[key] : undefined);
  const add = (name, value) => {
    row.push(value === undefined ? "-" : value.toFixed(2));
    if (value !== undefined) (logs[name] ??= []).push(Math.log(value));
  };
  add("node/native", ratio(node, native));
  for (const r of ratios) {
    add(`${r}/native`, ratio(get(kernel, r), native));
    add(`${r}/node`, ratio(get(kernel, r), node));
    add(`${r} first/node first`, ratio(get(kernel, r), node, "first_ns"));
  }
  table.push(row);
}
const geo = (name) => (logs[name] ? Math.exp(logs[name].reduce((a, b) => a + b, 0) / logs[name].length).toFixed(2) : "-");
table.push(["geomean", ...runners.map(() => ""), ...runners.filter((r) => r !== "native").map(() => ""), geo("node/native"),
  ...ratios.flatMap((r) => [geo(`${r}/native`), geo(`${r}/node`), geo(`${r} first/node first`)])]);

const widths = header.map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
for (const row of table) console.log(row.map((c, i) => String(c).padStart(widths[i])).join("  "));
