// Word frequencies: reads stdin to its end, counts the words (runs of ASCII letters, digits and
// apostrophes, lower-cased), and writes "count word" lines, most frequent first and ties in
// alphabetical order. An optional argument limits the lines written.

const chunk = new ArrayBuffer(4096);

function readAll(): Uint8Array {
  let total = 0;
  let data = new Uint8Array(8192);
  while (true) {
    const n = process.stdin.read(chunk);
    if (n <= 0) break;
    if (total + n > data.length) {
      const grown = new Uint8Array(max(data.length * 2, total + n));
      grown.set(data.subarray(0, total));
      data = grown;
    }
    data.set(Uint8Array.wrap(chunk, 0, n), total);
    total += n;
  }
  return data.subarray(0, total);
}

function isWordByte(c: u8): bool {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x27;
}

class Entry {
  constructor(public word: string, public count: i32) {}
}

const argv = process.argv;
let limit = i32.MAX_VALUE;
if (argv.length > 2) {
  process.stderr.write("usage: wordfreq [LIMIT] < text\n");
  process.exit(1);
}
if (argv.length == 2) {
  limit = I32.parseInt(argv[1]);
  if (limit <= 0) {
    process.stderr.write("wordfreq: LIMIT must be a positive number, not '" + argv[1] + "'\n");
    process.exit(1);
  }
}

const text = readAll();
const counts = new Map<string, i32>();
let start = -1;
for (let i = 0; i <= text.length; i++) {
  const inWord = i < text.length && isWordByte(text[i]);
  if (inWord && start < 0) start = i;
  if (!inWord && start >= 0) {
    const word = String.UTF8.decodeUnsafe(text.dataStart + <usize>start, <usize>(i - start)).toLowerCase();
    counts.set(word, counts.has(word) ? counts.get(word) + 1 : 1);
    start = -1;
  }
}

const words = counts.keys();
const entries = new Array<Entry>(words.length);
for (let i = 0; i < words.length; i++) entries[i] = new Entry(words[i], counts.get(words[i]));
entries.sort((a: Entry, b: Entry): i32 => {
  if (a.count != b.count) return b.count - a.count;
  return a.word < b.word ? -1 : a.word > b.word ? 1 : 0;
});

let out = "";
for (let i = 0; i < entries.length && i < limit; i++) out += entries[i].count.toString() + " " + entries[i].word + "\n";
process.stdout.write(out);
