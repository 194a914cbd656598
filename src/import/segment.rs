//! Labels and numbering: the vocabulary of a table (row, group, column and header labels),
//! how a label in the input is told apart (its own numbering decides between `3.其他` the
//! row and `其他` the column), and text that ran together cut at the labels it contains
//! (`1.属于国家秘密00000002.其他法律…` → label, `0000000`, label).

use crate::model::report::schema::normalize_label;

/// A label as the input may print it: normalised for comparison, with its own numbering.
#[derive(Debug, Clone)]
pub struct Term {
    pub core: String,
    pub numbering: Option<String>,
}

impl Term {
    pub fn new(label: &str) -> Term {
        Term {
            core: norm(label),
            numbering: numbering(label),
        }
    }
}

/// A label normalised for comparison: no white space, full-width forms folded, traditional
/// characters simplified, numbering and quotes removed.
pub fn norm(s: &str) -> String {
    normalize_label(&crate::ground::text::simplify(s))
}

fn squeeze(s: &str) -> String {
    crate::ground::text::simplify(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match crate::ground::text::fold_width(c) {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

const CN: &str = "一二三四五六七八九十";

/// The numbering a label starts with, normalised: `(三)`, `(1)`, `三.`, `2.`.
pub fn numbering(s: &str) -> Option<String> {
    let t = squeeze(s);
    if let Some(r) = t.strip_prefix('(')
        && let Some(end) = r.find(')')
        && end > 0
        && r[..end]
            .chars()
            .all(|c| CN.contains(c) || c.is_ascii_digit())
    {
        return Some(format!("({})", &r[..end]));
    }
    let n: String = t
        .chars()
        .take_while(|c| CN.contains(*c) || c.is_ascii_digit())
        .collect();
    if !n.is_empty() && t[n.len()..].starts_with(['.', '、']) && t.len() > n.len() + '、'.len_utf8()
    {
        return Some(format!("{n}."));
    }
    None
}

/// Similarity of two labels: the Sørensen–Dice coefficient of their character pairs
/// (1 for the same text, about 0.7 for a label with a few characters dropped).
pub fn similarity(a: &str, b: &str) -> f64 {
    let pairs = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().collect();
        c.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (x, mut y) = (pairs(a), pairs(b));
    if x.is_empty() || y.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let total = x.len() + y.len();
    let mut common = 0;
    for p in &x {
        if let Some(i) = y.iter().position(|q| q == p) {
            y.swap_remove(i);
            common += 1;
        }
    }
    2.0 * common as f64 / total as f64
}

/// A piece of a cell cut at the labels it contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Label(String),
    Rest(String),
}

/// Cuts `text` at every occurrence of a term (longest first), taking a term's own
/// numbering with it when the text prints it just before.
pub fn cut(text: &str, terms: &[Term]) -> Vec<Piece> {
    // The text normalised as terms are, with the byte range of each character.
    let mut chars: Vec<(char, usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        let folded = squeeze(&c.to_string());
        for f in folded.chars() {
            let f = f.to_ascii_lowercase();
            if matches!(f, '“' | '”' | '"' | '\'') {
                // Left out of the comparison, kept with the text before it.
                if let Some(last) = chars.last_mut() {
                    last.2 = i + c.len_utf8();
                }
                continue;
            }
            chars.push((f, i, i + c.len_utf8()));
        }
    }
    let norm_text: Vec<char> = chars.iter().map(|c| c.0).collect();
    let mut order: Vec<&Term> = terms
        .iter()
        .filter(|t| t.core.chars().count() >= 2)
        .collect();
    order.sort_by_key(|t| {
        (
            std::cmp::Reverse(t.core.chars().count()),
            t.numbering.is_none(),
        )
    });
    // A numbered term whose core an unnumbered term shares (`3.其他`, `其他`) is taken only
    // with its numbering.
    let shared = |t: &Term| {
        t.numbering.is_some()
            && terms
                .iter()
                .any(|o| o.numbering.is_none() && o.core == t.core)
    };
    let mut claimed: Vec<(usize, usize)> = Vec::new();
    for t in order {
        let pat: Vec<char> = t.core.chars().collect();
        let mut i = 0;
        while i + pat.len() <= norm_text.len() {
            let free = !claimed.iter().any(|(a, b)| i < *b && *a < i + pat.len());
            if free && norm_text[i..i + pat.len()] == pat[..] {
                let mut start = i;
                let mut numbered = false;
                if let Some(n) = &t.numbering {
                    let n: Vec<char> = n.chars().collect();
                    let dot = |c: char| if c == '、' { '.' } else { c };
                    if start >= n.len()
                        && norm_text[start - n.len()..start]
                            .iter()
                            .zip(&n)
                            .all(|(a, b)| dot(*a) == *b)
                    {
                        start -= n.len();
                        numbered = true;
                    }
                }
                if numbered || !shared(t) {
                    claimed.push((start, i + pat.len()));
                    i += pat.len();
                } else {
                    i += 1;
                }
            } else {
                i += 1;
            }
        }
    }
    claimed.sort();
    let mut out = Vec::new();
    let mut at = 0;
    let rest = |from: usize, to: usize, out: &mut Vec<Piece>| {
        let s = text[from..to].trim();
        if !s.is_empty() {
            out.push(Piece::Rest(s.to_string()));
        }
    };
    for (a, b) in claimed {
        let (from, to) = (chars[a].1, chars[b - 1].2);
        rest(at, from, &mut out);
        out.push(Piece::Label(text[from..to].to_string()));
        at = to;
    }
    rest(at, text.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_is_read_in_its_printed_forms() {
        assert_eq!(numbering("（三）不予公开").as_deref(), Some("(三)"));
        assert_eq!(numbering("2．其他").as_deref(), Some("2."));
        assert_eq!(numbering("一、本年新收").as_deref(), Some("一."));
        assert_eq!(numbering("其他"), None);
        assert_eq!(numbering("2023"), None);
    }

    #[test]
    fn run_together_text_is_cut_at_labels_with_their_numbering() {
        let terms: Vec<Term> = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "（七）总计"]
            .iter()
            .map(|l| Term::new(l))
            .collect();
        let p = cut(
            "1.属于国家秘密00000002.其他法律行政法规禁止公开0000000（七）总计121",
            &terms,
        );
        assert_eq!(
            p,
            [
                Piece::Label("1.属于国家秘密".into()),
                Piece::Rest("0000000".into()),
                Piece::Label("2.其他法律行政法规禁止公开".into()),
                Piece::Rest("0000000".into()),
                Piece::Label("（七）总计".into()),
                Piece::Rest("121".into()),
            ]
        );
    }
}
