//! Typed parsing of YAML and TOML that never drops a field silently.
//!
//! serde stops at the first type error, which it reports with a position. Unknown keys
//! it would ignore, so every ignored key is collected (serde_ignored) and reported with
//! its line, the keys that are valid there and the nearest one. The valid keys are read
//! off the parsed value itself, serialised back, so no list of field names is kept twice.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ground::diagnostics::{Diagnostic, Diagnostics, Pos, nearest};
use crate::ground::text::{code_point, is_control};
use crate::input::keys;
use crate::input::source_map::{KeyPath, SourceMap};

/// Which syntax a document is written in.
#[derive(Debug, Clone, Copy)]
pub enum Syntax {
    Yaml,
    Toml,
}

/// A parsed document, or nothing when it could not be read at all.
pub struct Parsed<T> {
    pub value: Option<T>,
    pub diagnostics: Diagnostics,
    pub source_map: SourceMap,
}

/// Parses `text` (which starts at line `line_offset + 1` of `file`) into `T`, reporting
/// syntax errors, type errors and every unknown key.
pub fn parse<T>(syntax: Syntax, text: &str, file: &str, line_offset: usize) -> Parsed<T>
where
    T: DeserializeOwned + Serialize,
{
    let source_map = match syntax {
        Syntax::Yaml => SourceMap::yaml(text),
        Syntax::Toml => SourceMap::toml(text),
    }
    .with_line_offset(line_offset);
    let mut diagnostics = Diagnostics::new();
    let mut ignored: Vec<KeyPath> = Vec::new();
    let result: Result<T, Vec<Diagnostic>> = match syntax {
        Syntax::Yaml => {
            // An empty document is an empty mapping, not an error.
            let text = if text.trim().is_empty() { "{}" } else { text };
            match crate::input::syntax::yaml_too_deep(text, file, line_offset) {
                Some(d) => Err(vec![d]),
                None => {
                    let de = serde_yaml::Deserializer::from_str(text);
                    serde_ignored::deserialize(de, |p| ignored.push(key_path(&p)))
                        .map_err(|e| crate::input::syntax::yaml_errors(&e, text, file, line_offset))
                }
            }
        }
        Syntax::Toml => {
            let toml_error = |message: &str, span: Option<std::ops::Range<usize>>| {
                vec![crate::input::syntax::toml_error(
                    message,
                    span,
                    text,
                    file,
                    line_offset,
                )]
            };
            match toml::Deserializer::parse(text) {
                Ok(de) => serde_ignored::deserialize(de, |p| ignored.push(key_path(&p)))
                    .map_err(|e| toml_error(e.message(), e.span())),
                Err(e) => Err(toml_error(e.message(), e.span())),
            }
        }
    };
    let value = match result {
        Ok(v) => Some(v),
        Err(ds) => {
            for d in ds {
                diagnostics.push(d);
            }
            None
        }
    };
    // The parsed value is serialised back only to name the keys valid beside an unknown one.
    if let Some(v) = value.as_ref().filter(|_| !ignored.is_empty()) {
        let understood = serde_json::to_value(v).unwrap_or_default();
        for p in ignored {
            diagnostics.push(unknown_key(&understood, &p, file, source_map.pos(&p)));
        }
    }
    if let Some(v) = &value {
        control_characters(syntax, text, v, file, &source_map, &mut diagnostics);
    }
    Parsed {
        value,
        diagnostics,
        source_map,
    }
}

/// The error for a key at `p` that `understood` (the parsed value, serialised back) has
/// no place for: with the keys valid there and the nearest one.
pub fn unknown_key(
    understood: &serde_json::Value,
    p: &KeyPath,
    file: &str,
    pos: Option<Pos>,
) -> Diagnostic {
    let (parent, key) = p.split_at(p.len().saturating_sub(1));
    let key = key.first().cloned().unwrap_or_default();
    let known: Vec<String> = lookup(understood, parent)
        .and_then(|v| v.as_object())
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let mut help = match nearest_key(&key, &known) {
        Some(n) => format!("是不是想写 {n}？"),
        None => String::new(),
    };
    if !known.is_empty() {
        let listed: Vec<String> = known.iter().map(|k| keys::with_chinese(k)).collect();
        help.push_str(&format!(
            "这里可用的键（英文或中文名都可以）：{}。",
            listed.join("、")
        ));
    }
    help.push_str("网站自定义的字段请放在 `extra` 下。");
    Diagnostic::error(
        "unknown-key",
        file,
        format!("未知的键 `{key}`，它不会被使用"),
    )
    .at(pos)
    .help(help)
}

/// The valid key nearest an unknown one, by its English or its Chinese name (as the
/// editor wrote it).
fn nearest_key(unknown: &str, known: &[String]) -> Option<String> {
    if let Some(n) = nearest(unknown, known.iter().map(String::as_str)) {
        return Some(format!("`{n}`"));
    }
    let chinese: Vec<(&str, &str)> = known
        .iter()
        .filter_map(|k| keys::chinese(k).map(|z| (z, k.as_str())))
        .collect();
    nearest(unknown, chinese.iter().map(|(z, _)| *z)).map(|z| {
        let k = chinese
            .iter()
            .find(|(c, _)| *c == z)
            .map_or("", |(_, k)| *k);
        format!("`{z}`（{k}）")
    })
}

/// Reports every key and text of the document holding a control character (the parsers
/// take them when escaped, `"\u0001"`), at the line of its key.
fn control_characters<T: Serialize>(
    syntax: Syntax,
    text: &str,
    value: &T,
    file: &str,
    source_map: &SourceMap,
    diagnostics: &mut Diagnostics,
) {
    let typed = serde_json::to_value(value).unwrap_or_default();
    let mut found = Vec::new();
    find_controls(&typed, &mut Vec::new(), &mut found);
    if found.is_empty() {
        return;
    }
    // The typed value names keys as the program does (`title`), the file perhaps by an
    // alias (`标题`): the document read as it is written gives the lines.
    let written: Option<serde_json::Value> = match syntax {
        Syntax::Yaml => serde_yaml::from_str(text).ok(),
        Syntax::Toml => toml::from_str(text).ok(),
    };
    if let Some(w) = written {
        let mut as_written = Vec::new();
        find_controls(&w, &mut Vec::new(), &mut as_written);
        if !as_written.is_empty() {
            found = as_written;
        }
    }
    for (path, c) in found {
        let key = path.iter().rev().find(|k| k.parse::<usize>().is_err());
        let key = key.map_or(String::new(), |k| format!("`{k}` "));
        diagnostics.push(
            Diagnostic::error(
                "control-character",
                file,
                format!(
                    "{key}中有看不见的控制字符 {}，它会使 atom.xml 等文件无法读取",
                    code_point(c)
                ),
            )
            .at(source_map.pos(&path))
            .help("删除这个字符（常见于从 Word、PDF 或网页复制来的文字）。"),
        );
    }
}

fn find_controls(v: &serde_json::Value, path: &mut KeyPath, out: &mut Vec<(KeyPath, char)>) {
    use serde_json::Value;
    fn check(s: &str, path: &KeyPath, out: &mut Vec<(KeyPath, char)>) {
        if let Some(c) = s.chars().find(|c| is_control(*c)) {
            out.push((path.clone(), c));
        }
    }
    match v {
        Value::String(s) => check(s, path, out),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                find_controls(x, path, out);
                path.pop();
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                path.push(k.clone());
                check(k, path, out);
                find_controls(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

pub fn key_path(p: &serde_ignored::Path) -> KeyPath {
    use serde_ignored::Path;
    match p {
        Path::Root => Vec::new(),
        Path::Seq { parent, index } => {
            let mut v = key_path(parent);
            v.push(index.to_string());
            v
        }
        Path::Map { parent, key } => {
            let mut v = key_path(parent);
            v.push(key.clone());
            v
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => key_path(parent),
    }
}

fn lookup<'a>(v: &'a serde_json::Value, path: &[String]) -> Option<&'a serde_json::Value> {
    path.iter().try_fold(v, |v, seg| match v {
        serde_json::Value::Object(o) => o.get(seg),
        serde_json::Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Serialize)]
    struct Doc {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        inner: Inner,
    }
    #[derive(Debug, Default, Deserialize, Serialize)]
    struct Inner {
        #[serde(default)]
        name: String,
    }

    #[test]
    fn reports_every_unknown_key_with_its_line_and_a_suggestion() {
        let p: Parsed<Doc> = parse(
            Syntax::Yaml,
            "title: 标题\ntitel: x\ninner:\n  nmae: 外办\n",
            "a.md",
            1,
        );
        let msgs: Vec<String> = p.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].starts_with("a.md:3:1: 错误 [unknown-key] 未知的键 `titel`"),
            "{}",
            msgs[0]
        );
        assert!(msgs[0].contains("`title`"));
        assert!(msgs[1].starts_with("a.md:5:3:"), "{}", msgs[1]);
        assert!(msgs[1].contains("`name`"));
    }

    #[test]
    fn type_errors_carry_a_position() {
        let p: Parsed<Doc> = parse(Syntax::Yaml, "title: [1, 2]\n", "a.md", 1);
        assert!(p.value.is_none());
        let d = p.diagnostics.iter().next().unwrap();
        assert_eq!(d.pos.map(|p| p.line), Some(2));
        assert_eq!(d.code, "yaml");
    }

    #[test]
    fn escaped_control_characters_are_reported_at_their_key() {
        let p: Parsed<Doc> = parse(
            Syntax::Yaml,
            "title: \"a\\u0001b\"\ntags: [x, \"\\u000c\"]\n",
            "a.md",
            1,
        );
        let mut msgs: Vec<String> = p.diagnostics.iter().map(|d| d.to_string()).collect();
        msgs.sort();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].starts_with("a.md:2:1:") && msgs[0].contains("U+0001"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with("a.md:3:") && msgs[1].contains("U+000C"),
            "{msgs:?}"
        );
        let p: Parsed<Doc> = parse(Syntax::Yaml, "title: \"a\tb\\nc\"\n", "a.md", 1);
        assert!(p.diagnostics.is_empty(), "tabs and line breaks are text");
    }

    #[test]
    fn toml_syntax_errors_carry_a_position() {
        let p: Parsed<Doc> = parse(Syntax::Toml, "title = \"a\"\ntags = [\n", "site.toml", 0);
        let d = p.diagnostics.iter().next().unwrap();
        assert_eq!(d.code, "toml");
        assert!(d.pos.is_some());
    }
}
