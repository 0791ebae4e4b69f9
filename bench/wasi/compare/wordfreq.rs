// Word frequencies, as tests/Sandbox.Wasi.Tests/Programs/assemblyscript/wordfreq.ts counts them:
// reads stdin to its end, counts words (runs of ASCII letters, digits and apostrophes,
// lower-cased) in a HashMap, and writes "count word" lines, most frequent first, ties in
// alphabetical order; an optional argument limits the lines written.
use std::collections::HashMap;
use std::io::{self, BufWriter, Read, Write};

fn main() {
    let limit = std::env::args().nth(1).and_then(|a| a.parse::<usize>().ok()).unwrap_or(usize::MAX);
    let mut input = Vec::new();
    io::stdin().read_to_end(&mut input).expect("read stdin");
    let mut counts: HashMap<Vec<u8>, u32> = HashMap::new();
    for word in input.split(|c| !(c.is_ascii_alphanumeric() || *c == b'\'')).filter(|w| !w.is_empty()) {
        *counts.entry(word.to_ascii_lowercase()).or_insert(0) += 1;
    }
    let mut entries: Vec<(Vec<u8>, u32)> = counts.into_iter().collect();
    entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for (word, count) in entries.iter().take(limit) {
        writeln!(out, "{} {}", count, String::from_utf8_lossy(word)).expect("write stdout");
    }
}
