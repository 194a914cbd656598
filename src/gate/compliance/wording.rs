//! Wording: 文号 whose year is not in 六角括号 (GB/T 9704—2012 7.2.4: 国办发〔2024〕3号),
//! and phrases that are wrong or forbidden (错敏词): a small default list of official
//! names written wrong, the site's own in `[compliance.wording] words`, and `--words FILE`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::memo::Hit;
use super::sources::Line;
use crate::config::WordingConfig;
use crate::ground::diagnostics::{Diagnostic, Diagnostics, Pos};

/// A phrase to flag and what to write instead (empty: just remove it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub wrong: String,
    pub right: String,
    /// Where the rule comes from, for the message.
    pub from: String,
}

/// Official names written wrong, each a mistake that is never right in any context.
const DEFAULT_WORDS: &[(&str, &str)] = &[
    ("中华人民共合国", "中华人民共和国"),
    ("中华人民共国", "中华人民共和国"),
    ("中华民共和国", "中华人民共和国"),
    ("中华人名共和国", "中华人民共和国"),
    ("国务院办公室", "国务院办公厅"),
    ("国务院办工厅", "国务院办公厅"),
    ("政府信息公开条列", "政府信息公开条例"),
    ("行政复义", "行政复议"),
    ("行政诉送", "行政诉讼"),
];

/// The words to check: the defaults (unless turned off), site.toml's and `file`'s.
pub fn word_list(
    config: &WordingConfig,
    file: Option<&Path>,
    diags: &mut Diagnostics,
) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    if config.default_words {
        out.extend(DEFAULT_WORDS.iter().map(|(w, r)| Word {
            wrong: w.to_string(),
            right: r.to_string(),
            from: "内置词表".into(),
        }));
    }
    out.extend(config.words.iter().map(|(w, r)| Word {
        wrong: w.clone(),
        right: r.clone(),
        from: "site.toml [compliance.wording] words".into(),
    }));
    if let Some(path) = file {
        out.extend(read_words(path, diags));
    }
    out.retain(|w| !w.wrong.trim().is_empty());
    out
}

/// Reads a word list: one `错误写法 => 正确写法` or one forbidden phrase per line; `#`
/// starts a comment.
pub fn read_words(path: &Path, diags: &mut Diagnostics) -> Vec<Word> {
    let name = path.display().to_string();
    let text = match crate::input::text_file::read(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::error("words", &name, e.what())
                    .at(e.line().map(|l| Pos::new(l, 1)))
                    .help(
                        "--words 指定的词表应当是 UTF-8 文本文件，每行一条：错误写法 => 正确写法。",
                    ),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split_once('#').map_or(line, |(a, _)| a).trim();
        if line.is_empty() {
            continue;
        }
        let (wrong, right) = line
            .split_once("=>")
            .map_or((line, ""), |(a, b)| (a.trim(), b.trim()));
        if wrong.is_empty() {
            diags.push(
                Diagnostic::error("words", &name, "这一行没有写要查找的词")
                    .at(Some(Pos::new(i + 1, 1)))
                    .help("写成：错误写法 => 正确写法，或只写禁止使用的词。"),
            );
            continue;
        }
        out.push(Word {
            wrong: wrong.to_string(),
            right: right.to_string(),
            from: format!("{name} 第 {} 行", i + 1),
        });
    }
    out
}

/// A 文号 with its year in the wrong brackets: 机关代字, `[2024]`, `（2024）`, `【2024】`,
/// `(2024)`, `［2024］` or `﹝2024﹞`, then the number and 号.
fn wenhao() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"\p{Han}{1,8}([\[（【(［﹝]\s*)((?:19|20)\d{2})(\s*[\]）】)］﹞])\s*第?\s*\d{1,5}\s*号")
            .expect("a valid pattern")
    })
}

/// At most this many findings of one phrase in one line: a rule that matches everywhere
/// (`人 => 人人` in a long paragraph) says so once, not once a character.
const MAX_PER_LINE: usize = 10;

/// The phrases of `words`, found all at once (one pass over a text whatever the number of
/// words: a `--words` list of 200,000 entries costs what one does).
pub struct Matcher<'a> {
    words: &'a [Word],
    ac: Option<AhoCorasick>,
}

impl<'a> Matcher<'a> {
    pub fn new(words: &'a [Word]) -> Self {
        let ac = AhoCorasick::new(words.iter().map(|w| w.wrong.as_str())).ok();
        Matcher { words, ac }
    }

    /// Each word found in `text` with the byte offsets where it starts, in order; a
    /// word's occurrences do not overlap each other (as `str::match_indices`).
    fn find(&self, text: &str) -> BTreeMap<usize, Vec<usize>> {
        let mut by_word: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let Some(ac) = &self.ac else {
            return by_word;
        };
        for m in ac.find_overlapping_iter(text) {
            let w = m.pattern().as_usize();
            let at = by_word.entry(w).or_default();
            let len = self.words[w].wrong.len();
            if at.last().is_none_or(|last| last + len <= m.start()) {
                at.push(m.start());
            }
        }
        by_word
    }
}

/// The wrong wording in the `lines` of one text.
pub fn hits(lines: &[Line], matcher: &Matcher) -> Vec<Hit> {
    lines.iter().flat_map(|l| scan(l, matcher)).collect()
}

fn scan(line: &Line, matcher: &Matcher) -> Vec<Hit> {
    let mut out = Vec::new();
    let place = line
        .place
        .as_deref()
        .map_or(String::new(), |p| format!("（{p}）"));
    // The 1-based column of a byte, counted only for a line with a finding.
    let at = |byte: usize| {
        let column = line
            .text
            .char_indices()
            .take_while(|(b, _)| *b < byte)
            .count()
            + 1;
        line.pos.map(|p| Pos::new(p.line, column))
    };
    if line.text.contains('号') {
        for m in wenhao().captures_iter(&line.text) {
            let (open, year, close) = (&m[1], &m[2], &m[3]);
            let written = m.get(0).map_or("", |g| g.as_str());
            let fixed = written.replacen(open, "〔", 1).replacen(close, "〕", 1);
            out.push((
                "wording.wenhao",
                at(m.get(1).map_or(0, |g| g.start())),
                format!("文号“{written}”的年份写成了“{open}{year}{close}”{place}"),
                format!("年份用六角括号“〔〕”括入，写成“{fixed}”。"),
            ));
        }
    }
    for (i, starts) in matcher.find(&line.text) {
        let w = &matcher.words[i];
        // A wrong phrase that is part of the right one is not wrong.
        let right: Vec<usize> = if w.right.is_empty() {
            Vec::new()
        } else {
            line.text
                .match_indices(w.right.as_str())
                .map(|(r, _)| r)
                .collect()
        };
        let wrong: Vec<usize> = starts
            .into_iter()
            .filter(|b| !covered_by_right(&right, *b, w))
            .collect();
        let fix = if w.right.is_empty() {
            format!("删除或改写“{}”（{}）。", w.wrong, w.from)
        } else {
            format!("改为“{}”（{}）。", w.right, w.from)
        };
        for (n, byte) in wrong.iter().take(MAX_PER_LINE).enumerate() {
            let more = if n + 1 == MAX_PER_LINE && wrong.len() > MAX_PER_LINE {
                format!(
                    "；这一行共有 {} 处，只列出前 {MAX_PER_LINE} 处",
                    wrong.len()
                )
            } else {
                String::new()
            };
            out.push((
                "wording.words",
                at(*byte),
                format!("“{}”是错误或不规范的写法{place}{more}", w.wrong),
                fix.clone(),
            ));
        }
    }
    out
}

/// Whether the occurrence of `w.wrong` at byte `at` lies inside an occurrence of the
/// right phrase, whose starts are `right` (sorted): a site's rule `人民 =>
/// 中华人民共和国` must not fire on the right text.
fn covered_by_right(right: &[usize], at: usize, w: &Word) -> bool {
    let first = (at + w.wrong.len()).saturating_sub(w.right.len());
    let i = right.partition_point(|r| *r < first);
    right.get(i).is_some_and(|r| *r <= at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wenhao_in_the_wrong_brackets_is_found_and_the_right_one_is_not() {
        let hits = |s: &str| wenhao().find_iter(s).count();
        assert_eq!(hits("依据鲁政办发[2024]3号文件"), 1);
        assert_eq!(hits("依据鲁政办发（2024）3号文件"), 1);
        assert_eq!(hits("依据鲁政办发【2024】第3号"), 1);
        assert_eq!(hits("依据鲁政办发〔2024〕3号文件"), 0);
        assert_eq!(hits("（2024）年度报告"), 0);
        assert_eq!(hits("2024年3号楼"), 0);
    }

    #[test]
    fn findings_are_placed_at_the_character_they_start_on() {
        let words = [Word {
            wrong: "外办".into(),
            right: "外事办公室".into(),
            from: "词表".into(),
        }];
        let matcher = Matcher::new(&words);
        let line = Line {
            pos: Some(Pos::new(7, 1)),
            place: None,
            text: "市外办、鲁政办发[2024]3号：外办".into(),
        };
        let at: Vec<(usize, usize)> = hits(&[line], &matcher)
            .iter()
            .filter_map(|(_, pos, _, _)| pos.map(|p| (p.line, p.col)))
            .collect();
        assert_eq!(at, [(7, 9), (7, 2), (7, 18)]);
    }

    #[test]
    fn word_files_take_pairs_and_bare_words() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("词表.txt");
        std::fs::write(
            &p,
            "# 本单位词表\n威海市外办 => 威海市人民政府外事办公室\n\n禁用词\n => 空\n",
        )
        .unwrap();
        let mut d = Diagnostics::new();
        let words = read_words(&p, &mut d);
        assert_eq!(words.len(), 2);
        assert_eq!(words[0].right, "威海市人民政府外事办公室");
        assert_eq!(words[1].right, "");
        assert_eq!(d.iter().next().and_then(|x| x.pos).map(|p| p.line), Some(5));
    }
}
