//! For tests that draw their edits at random: a small, seeded pseudo-random sequence
//! (the same seed, the same edits, on every machine; xorshift64*, no crate), and the edit
//! of an item's front matter they share.

#![allow(dead_code)]

pub struct Dice(pub u64);

impl Dice {
    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }

    pub fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len())]
    }

    /// `k` words of a government news item, run together.
    pub fn words(&mut self, k: usize) -> String {
        const WORDS: [&str; 10] = [
            "外事",
            "领事认证",
            "护照",
            "签证",
            "因公出国",
            "友好城市",
            "代表团",
            "审批",
            "办理时限",
            "交流合作",
        ];
        (0..k).map(|_| *self.pick(&WORDS)).collect()
    }
}

/// The Markdown `text` of an item with `key` of its front matter set to `value` (none:
/// removed), as the line after `---`.
pub fn with_front(text: &str, key: &str, value: Option<&str>) -> String {
    let (head, body) = text[4..].split_once("\n---\n").unwrap();
    let mut lines: Vec<String> = head
        .lines()
        .filter(|l| !l.starts_with(&format!("{key}:")))
        .map(str::to_string)
        .collect();
    if let Some(v) = value {
        lines.insert(1, format!("{key}: {v}"));
    }
    format!("---\n{}\n---\n{body}", lines.join("\n"))
}
