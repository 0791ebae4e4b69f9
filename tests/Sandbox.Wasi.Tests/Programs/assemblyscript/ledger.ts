// Ledger: reads "account,amount" lines (amounts in cents, signed) from a file in a preopened
// directory, and writes a report there: each account's total, in account order, and the grand
// total. The report goes into a directory it creates if missing, written under a temporary
// name and renamed over report.txt when complete, as careful programs do. Paths are the
// guest's absolute paths; each is resolved against the preopen whose name is its longest
// prefix, as wasi-libc does.
//
//   ledger INPUT OUTPUT_DIR   (writes OUTPUT_DIR/report.txt; prints what it wrote)
//
// Exit codes: 0 done, 1 usage, 2 a file could not be read or written, 3 a malformed line.

import {
  errno, errnoToString, fd_close, fd_filestat_get, fd_prestat_dir_name, fd_prestat_get, fd_read,
  fd_write, filestat, path_create_directory, path_open, path_rename, prestat,
} from "bindings/wasi_snapshot_preview1";

// Scratch for the calls' out-parameters: [0, 64).
const scratch = memory.data(64);

const O_CREAT: u16 = 1, O_DIRECTORY: u16 = 2, O_TRUNC: u16 = 8;
// Rights, by their bit in the witx's order.
const RIGHT_FD_READ: u64 = 1 << 1, RIGHT_FD_WRITE: u64 = 1 << 6, RIGHT_PATH_CREATE_FILE: u64 = 1 << 10;
const RIGHT_PATH_OPEN: u64 = 1 << 13, RIGHT_PATH_RENAME_SOURCE: u64 = 1 << 16, RIGHT_PATH_RENAME_TARGET: u64 = 1 << 17;
const RIGHT_PATH_FILESTAT_SET_SIZE: u64 = 1 << 19, RIGHT_FD_FILESTAT_GET: u64 = 1 << 21;
const ERRNO_EXIST: u16 = 20;

function fail(code: i32, message: string): void {
  process.stderr.write("ledger: " + message + "\n");
  process.exit(code);
}

class Preopen {
  constructor(public fd: u32, public name: string) {}
}

function preopens(): Preopen[] {
  const found = new Array<Preopen>();
  for (let fd: u32 = 3; ; fd++) {
    // prestat: u8 tag (0 = dir), then u32 name length at offset 4.
    if (fd_prestat_get(fd, changetype<prestat>(scratch)) != 0) break;
    if (load<u8>(scratch) != 0) continue;
    const length = load<u32>(scratch, 4);
    const name = new ArrayBuffer(length);
    if (fd_prestat_dir_name(fd, changetype<usize>(name), length) != 0) continue;
    found.push(new Preopen(fd, String.UTF8.decode(name)));
  }
  return found;
}

// The preopen holding `path` and the path relative to it; fd 0 (never a preopen) if none does.
function resolve(path: string, dirs: Preopen[]): Preopen {
  let best = new Preopen(0, "");
  let bestLength = -1;
  for (let i = 0; i < dirs.length; i++) {
    let name = dirs[i].name;
    while (name.length > 1 && name.endsWith("/")) name = name.substring(0, name.length - 1);
    const inside = name == "/" || path == name || path.startsWith(name + "/");
    if (inside && name.length > bestLength) {
      bestLength = name.length;
      let rest = name == "/" ? path.substring(1) : path.substring(name.length);
      while (rest.startsWith("/")) rest = rest.substring(1);
      best = new Preopen(dirs[i].fd, rest.length == 0 ? "." : rest);
    }
  }
  return best;
}

function open(dirs: Preopen[], path: string, oflags: u16, rights: u64, inheriting: u64 = 0): u32 {
  const at = resolve(path, dirs);
  if (at.fd == 0) fail(2, "open " + path + ": not inside a preopened directory");
  return openAt(at.fd, at.name, oflags, rights, inheriting, path);
}

function openAt(dirFd: u32, name: string, oflags: u16, rights: u64, inheriting: u64, shown: string): u32 {
  const bytes = String.UTF8.encode(name);
  const err = path_open(dirFd, 1, changetype<usize>(bytes), bytes.byteLength, oflags, rights, inheriting, 0, scratch);
  if (err != 0) fail(2, "open " + shown + ": " + errnoToString(err));
  return load<u32>(scratch);
}

function readAll(fd: u32): string {
  let data = new ArrayBuffer(0);
  const chunk = new ArrayBuffer(1024);
  while (true) {
    store<usize>(scratch, changetype<usize>(chunk));
    store<usize>(scratch, <usize>chunk.byteLength, 4);
    const err = fd_read(fd, scratch, 1, scratch + 8);
    if (err != 0) fail(2, "read: " + errnoToString(err));
    const n = load<u32>(scratch, 8);
    if (n == 0) break;
    const grown = new Uint8Array(data.byteLength + n);
    grown.set(Uint8Array.wrap(data));
    grown.set(Uint8Array.wrap(chunk, 0, n), data.byteLength);
    data = grown.buffer;
  }
  return String.UTF8.decode(data);
}

function writeAll(fd: u32, text: string): void {
  const bytes = String.UTF8.encode(text);
  let done: u32 = 0;
  while (done < <u32>bytes.byteLength) {
    store<usize>(scratch, changetype<usize>(bytes) + done);
    store<usize>(scratch, bytes.byteLength - done, 4);
    const err = fd_write(fd, scratch, 1, scratch + 8);
    if (err != 0) fail(2, "write: " + errnoToString(err));
    done += load<u32>(scratch, 8);
  }
}

function cents(value: i64): string {
  const sign = value < 0 ? "-" : "";
  const magnitude = value < 0 ? -value : value;
  const fraction = (magnitude % 100).toString();
  return sign + (magnitude / 100).toString() + "." + (fraction.length < 2 ? "0" + fraction : fraction);
}

const argv = process.argv;
if (argv.length != 3) fail(1, "usage: ledger INPUT OUTPUT_DIR");
const dirs = preopens();

const input = open(dirs, argv[1], 0, RIGHT_FD_READ);
const lines = readAll(input).split("\n");
fd_close(input);

const totals = new Map<string, i64>();
let grand: i64 = 0;
let entries = 0;
for (let i = 0; i < lines.length; i++) {
  const line = lines[i].trim();
  if (line.length == 0 || line.startsWith("#")) continue;
  const comma = line.indexOf(",");
  const account = comma > 0 ? line.substring(0, comma).trim() : "";
  const amountText = comma > 0 ? line.substring(comma + 1).trim() : "";
  let valid = account.length > 0 && amountText.length > 0;
  for (let j = 0; valid && j < amountText.length; j++) {
    const c = amountText.charCodeAt(j);
    valid = (c >= 0x30 && c <= 0x39) || (j == 0 && c == 0x2d && amountText.length > 1);
  }
  if (!valid) fail(3, argv[1] + ":" + (i + 1).toString() + ": expected 'account,cents', got '" + line + "'");
  const amount = I64.parseInt(amountText);
  totals.set(account, (totals.has(account) ? totals.get(account) : 0) + amount);
  grand += amount;
  entries++;
}

const accounts = totals.keys();
accounts.sort((a: string, b: string): i32 => (a < b ? -1 : a > b ? 1 : 0));
let report = "";
for (let i = 0; i < accounts.length; i++) report += accounts[i] + " " + cents(totals.get(accounts[i])) + "\n";
report += "total " + cents(grand) + " in " + entries.toString() + " entries\n";

// The output directory: made if missing (EEXIST is fine), then the report opened inside it.
const outDir = argv[2];
const outAt = resolve(outDir, dirs);
if (outAt.fd == 0) fail(2, "mkdir " + outDir + ": not inside a preopened directory");
const outBytes = String.UTF8.encode(outAt.name);
const made = outAt.name == "." ? ERRNO_EXIST : path_create_directory(outAt.fd, changetype<usize>(outBytes), outBytes.byteLength);
if (made != 0 && made != ERRNO_EXIST) fail(2, "mkdir " + outDir + ": " + errnoToString(<errno>made));
const fileRights = RIGHT_FD_WRITE | RIGHT_FD_FILESTAT_GET;
// What the directory's fd must allow: opening, creating and truncating a file in it (O_TRUNC
// needs path_filestat_set_size: Node's uvwasi and our engine both say NOTCAPABLE without it),
// and the rename.
const dirRights = RIGHT_PATH_OPEN | RIGHT_PATH_CREATE_FILE | RIGHT_PATH_FILESTAT_SET_SIZE | RIGHT_PATH_RENAME_SOURCE | RIGHT_PATH_RENAME_TARGET;
const dirFd = open(dirs, outDir, O_DIRECTORY, dirRights, fileRights);
const outPath = (outDir.endsWith("/") ? outDir : outDir + "/") + "report.txt";
const output = openAt(dirFd, "report.txt.tmp", O_CREAT | O_TRUNC, fileRights, 0, outPath + ".tmp");
writeAll(output, report);
// filestat: dev u64, ino u64, filetype u8 (+7), nlink u64, size u64 at 32.
const statErr = fd_filestat_get(output, changetype<filestat>(scratch));
if (statErr != 0) fail(2, "stat " + outPath + ".tmp: " + errnoToString(statErr));
const size = load<u64>(scratch, 32);
fd_close(output);
const from = String.UTF8.encode("report.txt.tmp"), to = String.UTF8.encode("report.txt");
const renamed = path_rename(dirFd, changetype<usize>(from), from.byteLength, dirFd, changetype<usize>(to), to.byteLength);
if (renamed != 0) fail(2, "rename to " + outPath + ": " + errnoToString(renamed));
fd_close(dirFd);
process.stdout.write("wrote " + outPath + ": " + accounts.length.toString() + " accounts, " + size.toString() + " bytes\n");
