//! Where each key of a YAML or TOML file stands, so that problems found after parsing
//! (an unknown key, a failing 勾稽关系 rule) can name a line and column.
//!
//! The parsers give positions only for syntax errors. This index reads the block-style
//! files editors write (the only style our docs and skeletons use) line by line; for
//! anything it cannot place, callers fall back to the nearest enclosing key.

use std::collections::HashMap;

use crate::ground::diagnostics::Pos;

/// A path into a document: keys, and sequence indexes written as numbers.
pub type KeyPath = Vec<String>;

#[derive(Debug, Clone)]
struct Entry {
    pos: Pos,
    raw: String,
}

#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    entries: HashMap<String, Entry>,
    /// Added to every line number: the line of the text's first line in its file.
    line_offset: usize,
}

fn join(path: &[String]) -> String {
    path.join("\u{1f}")
}

impl SourceMap {
    /// The position of the key at `path`, or of its nearest ancestor that was found.
    pub fn pos(&self, path: &[String]) -> Option<Pos> {
        (0..=path.len())
            .rev()
            .find_map(|n| self.entries.get(&join(&path[..n])))
            .map(|e| Pos::new(e.pos.line + self.line_offset, e.pos.col))
    }

    /// Like [`SourceMap::pos`] for a key written under one of several names (an English key
    /// or its Chinese alias): each segment of `path` lists the names it may have.
    pub fn pos_alt(&self, path: &[&[&str]]) -> Option<Pos> {
        fn exact(map: &SourceMap, path: &[&[&str]], prefix: &mut Vec<String>) -> Option<Pos> {
            let Some((first, rest)) = path.split_first() else {
                return map
                    .entries
                    .get(&join(prefix))
                    .map(|e| Pos::new(e.pos.line + map.line_offset, e.pos.col));
            };
            first.iter().find_map(|name| {
                prefix.push(name.to_string());
                let found = exact(map, rest, prefix);
                prefix.pop();
                found
            })
        }
        (1..=path.len())
            .rev()
            .find_map(|n| exact(self, &path[..n], &mut Vec::new()))
    }

    /// The value exactly as written after the key, comments removed (e.g. `55.0592`).
    pub fn raw(&self, path: &[String]) -> Option<&str> {
        self.entries.get(&join(path)).map(|e| e.raw.as_str())
    }

    pub fn with_line_offset(mut self, offset: usize) -> Self {
        self.line_offset = offset;
        self
    }

    fn insert(&mut self, path: &[String], line: usize, col: usize, raw: &str) {
        self.entries.entry(join(path)).or_insert(Entry {
            pos: Pos::new(line, col),
            raw: raw.to_string(),
        });
    }

    /// Indexes the pairs of a flow mapping (`{a: 1, b: 2}`) written as `value` on `line`.
    fn insert_flow(&mut self, path: &[String], line: &str, line_no: usize, value: &str) {
        let col0 = line.chars().count() - line.trim_start().chars().count();
        let value_col = line
            .find(value)
            .map(|b| line[..b].chars().count())
            .unwrap_or(col0);
        for (k, v, c) in flow_pairs(value) {
            let mut p = path.to_vec();
            p.push(k);
            self.insert(&p, line_no, value_col + c + 1, v.trim());
        }
    }

    /// Indexes a block-style YAML document.
    pub fn yaml(text: &str) -> SourceMap {
        struct Frame {
            indent: usize,
            seg: String,
            seq_item: bool,
        }
        let mut map = SourceMap::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut seq_counts: HashMap<String, usize> = HashMap::new();
        let mut block_scalar: Option<usize> = None;

        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let indent = line.chars().take_while(|c| *c == ' ').count();
            let rest = line.trim_start_matches(' ');
            if let Some(key_indent) = block_scalar {
                if rest.is_empty() || indent > key_indent {
                    continue;
                }
                block_scalar = None;
            }
            if rest.is_empty() || rest.starts_with('#') || rest == "---" || rest == "..." {
                continue;
            }
            let mut indent = indent;
            let mut rest = rest;
            // Sequence items, possibly several on one line (`- - a`).
            while rest == "-" || rest.starts_with("- ") {
                while stack
                    .last()
                    .is_some_and(|f| f.indent > indent || (f.indent == indent && f.seq_item))
                {
                    stack.pop();
                }
                let parent: Vec<String> = stack.iter().map(|f| f.seg.clone()).collect();
                let counter = seq_counts.entry(join(&parent)).or_insert(0);
                let idx = *counter;
                *counter += 1;
                let mut path = parent;
                path.push(idx.to_string());
                let after = rest[1..].trim_start_matches(' ');
                map.insert(&path, line_no, indent + 1, after);
                stack.push(Frame {
                    indent,
                    seg: idx.to_string(),
                    seq_item: true,
                });
                let skipped = rest.len() - after.len();
                indent += rest[..skipped].chars().count();
                rest = after;
            }
            let Some((key, value)) = split_key(rest) else {
                continue;
            };
            while stack.last().is_some_and(|f| f.indent >= indent) {
                stack.pop();
            }
            let mut path: Vec<String> = stack.iter().map(|f| f.seg.clone()).collect();
            path.push(key.clone());
            seq_counts.remove(&join(&path));
            let value = strip_comment(value);
            map.insert(&path, line_no, indent + 1, value);
            if value.starts_with('|') || value.starts_with('>') {
                block_scalar = Some(indent);
            } else if value.starts_with('{') {
                map.insert_flow(&path, line, line_no, value);
            }
            stack.push(Frame {
                indent,
                seg: key,
                seq_item: false,
            });
        }
        map
    }

    /// Indexes a TOML document: table headers, arrays of tables and `key = value` lines.
    pub fn toml(text: &str) -> SourceMap {
        let mut map = SourceMap::default();
        let mut table: Vec<String> = Vec::new();
        let mut array_counts: HashMap<String, usize> = HashMap::new();
        let mut in_multiline: Option<&str> = None;
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let t = line.trim();
            if let Some(delim) = in_multiline {
                if t.contains(delim) {
                    in_multiline = None;
                }
                continue;
            }
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let col = line.chars().count() - line.trim_start().chars().count() + 1;
            if let Some(inner) = t.strip_prefix("[[").and_then(|s| s.split("]]").next()) {
                let base = toml_key_parts(inner);
                let counter = array_counts.entry(join(&base)).or_insert(0);
                table = base;
                table.push(counter.to_string());
                *counter += 1;
                map.insert(&table, line_no, col, "");
                continue;
            }
            if let Some(inner) = t.strip_prefix('[').and_then(|s| s.split(']').next()) {
                table = toml_key_parts(inner);
                map.insert(&table, line_no, col, "");
                continue;
            }
            if let Some((k, v)) = t.split_once('=') {
                let mut path = table.clone();
                path.extend(toml_key_parts(k));
                let v = v.trim();
                map.insert(&path, line_no, col, v);
                for delim in ["\"\"\"", "'''"] {
                    if v.starts_with(delim) && v[3..].find(delim).is_none() {
                        in_multiline = Some(delim);
                    }
                }
            }
        }
        map
    }
}

fn toml_key_parts(k: &str) -> Vec<String> {
    k.split('.')
        .map(|p| p.trim().trim_matches('"').trim_matches('\'').to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Splits `key: value` (plain or quoted key); `None` for lines that are not a mapping key.
fn split_key(s: &str) -> Option<(String, &str)> {
    if s.starts_with('{') || s.starts_with('[') || s.starts_with('|') || s.starts_with('>') {
        return None;
    }
    if let Some(q) = s.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = s[1..].find(q)? + 1;
        let after = s[end + 1..].trim_start();
        let value = after.strip_prefix(':')?;
        return Some((s[1..end].to_string(), value.trim_start()));
    }
    let mut search = 0;
    while let Some(i) = s[search..].find(':') {
        let at = search + i;
        let next = s[at + 1..].chars().next();
        if next.is_none() || next == Some(' ') || next == Some('\t') {
            let key = s[..at].trim_end();
            if key.is_empty() || key.starts_with('#') {
                return None;
            }
            return Some((key.to_string(), s[at + 1..].trim_start()));
        }
        search = at + 1;
    }
    None
}

fn strip_comment(v: &str) -> &str {
    if v.starts_with('"') || v.starts_with('\'') {
        return v.trim_end();
    }
    match v.find(" #") {
        Some(i) => v[..i].trim_end(),
        None if v.starts_with('#') => "",
        None => v.trim_end(),
    }
}

/// The `key: value` pairs of a one-line flow mapping, with each key's column (0-based,
/// in characters, relative to the mapping's `{`).
fn flow_pairs(v: &str) -> Vec<(String, String, usize)> {
    let inner = v.trim_start_matches('{');
    let inner = inner.rsplit_once('}').map_or(inner, |(a, _)| a);
    let mut out = Vec::new();
    let mut col = 1;
    for part in inner.split(',') {
        let lead = part.chars().take_while(|c| c.is_whitespace()).count();
        if let Some((k, val)) = part.split_once(':') {
            let k = k.trim().trim_matches('"').trim_matches('\'');
            if !k.is_empty() {
                out.push((k.to_string(), val.to_string(), col + lead));
            }
        }
        col += part.chars().count() + 1;
    }
    out
}

/// Builds a key path from string segments.
pub fn path<I, S>(segs: I) -> KeyPath
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    segs.into_iter().map(Into::into).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "year: 2023\nagency: 外办\nintro: |\n  文字: 不是键\n  more\napplications:\n  new_received: {自然人: 1, 总计: 1}\n  denied:\n    state_secret:\n      natural_person: 3 # 注释\nattachments:\n  - file: a.pdf\n    title: 甲\n  - file: b.pdf\nfees: 55.0592\n";

    #[test]
    fn finds_nested_keys_and_raw_values() {
        let m = SourceMap::yaml(DOC);
        assert_eq!(m.pos(&path(["year"])), Some(Pos::new(1, 1)));
        assert_eq!(
            m.pos(&path([
                "applications",
                "denied",
                "state_secret",
                "natural_person"
            ])),
            Some(Pos::new(10, 7))
        );
        assert_eq!(
            m.raw(&path([
                "applications",
                "denied",
                "state_secret",
                "natural_person"
            ])),
            Some("3")
        );
        assert_eq!(m.raw(&path(["fees"])), Some("55.0592"));
        assert!(
            m.raw(&path(["文字"])).is_none(),
            "block scalar text is not a key"
        );
    }

    #[test]
    fn finds_flow_mapping_keys_and_sequence_items() {
        let m = SourceMap::yaml(DOC);
        assert_eq!(
            m.pos(&path(["applications", "new_received", "总计"])),
            Some(Pos::new(7, 26))
        );
        assert_eq!(
            m.raw(&path(["applications", "new_received", "总计"])),
            Some("1")
        );
        assert_eq!(
            m.pos(&path(["attachments", "1", "file"])),
            Some(Pos::new(14, 5))
        );
        assert_eq!(
            m.pos(&path(["attachments", "0", "title"])),
            Some(Pos::new(13, 5))
        );
    }

    #[test]
    fn falls_back_to_nearest_ancestor() {
        let m = SourceMap::yaml(DOC).with_line_offset(1);
        assert_eq!(
            m.pos(&path(["applications", "missing"])),
            Some(Pos::new(7, 1))
        );
    }

    #[test]
    fn indexes_toml_tables_and_arrays() {
        let m = SourceMap::toml(
            "title = \"x\"\n[site]\nname = \"外办\"\n\n[[nav]]\nname = \"a\"\n[[nav]]\nurl = \"/\"\n",
        );
        assert_eq!(m.pos(&path(["site", "name"])), Some(Pos::new(3, 1)));
        assert_eq!(m.pos(&path(["nav", "1", "url"])), Some(Pos::new(8, 1)));
    }

    #[test]
    fn keys_are_found_under_their_chinese_names_too() {
        let m = SourceMap::yaml("标题: 甲\n修改的文件:\n  - a\n  - b\n");
        assert_eq!(m.pos_alt(&[&["title", "标题"]]), Some(Pos::new(1, 1)));
        assert_eq!(
            m.pos_alt(&[&["amends", "修改的文件"], &["1"]]),
            Some(Pos::new(4, 3))
        );
        // A missing key falls back to its parent, as `pos` does.
        assert_eq!(
            m.pos_alt(&[&["amends", "修改的文件"], &["5"]]),
            Some(Pos::new(2, 1))
        );
        assert_eq!(m.pos_alt(&[&["status", "有效性"]]), None);
    }
}
