//! Problems found in a site, each with where it is and how to fix it.
//!
//! Every stage (config, content, report rules, links, templates) pushes into one
//! [`Diagnostics`] list instead of returning on the first error, so `check` and `build`
//! can report everything at once.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A line and column, both 1-based, columns counted in characters (not bytes) so that
/// they match what an editor shows for Chinese text.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub fn new(line: usize, col: usize) -> Self {
        Pos { line, col }
    }

    /// The position of a byte offset in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Pos::new(line, before[line_start..].chars().count() + 1)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    pub pos: Option<Pos>,
    /// A short machine-stable name of the check, e.g. `T3-A`, `unknown-key`, `yaml`.
    pub code: Cow<'static, str>,
    pub message: String,
    /// How to fix it, in plain words.
    pub help: Option<String>,
    /// It may follow from another problem of the same file (a rule failing because a
    /// row could not be read): listed after the file's other problems of its severity.
    #[serde(default)]
    pub follow_on: bool,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            pos: None,
            code: Cow::Borrowed(code),
            message: message.into(),
            help: None,
            follow_on: false,
        }
    }

    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, pos: Option<Pos>) -> Self {
        self.pos = pos;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` as editors and terminals understand it.
    pub fn location(&self) -> String {
        match self.pos {
            Some(p) => format!("{}:{}:{}", self.file, p.line, p.col),
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(
            f,
            "{}: {kind} [{}] {}",
            self.location(),
            self.code,
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n    修改建议：{help}")?;
        }
        Ok(())
    }
}

/// All problems found so far, in the order found; [`Diagnostics::sorted`] gives a stable
/// order for printing.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Errors first, then by file, causes before what may follow from them, and by
    /// position, so output is deterministic whatever order parallel loading found them in.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (a.severity, &a.file, a.follow_on, a.pos, &a.code, &a.message).cmp(&(
                b.severity,
                &b.file,
                b.follow_on,
                b.pos,
                &b.code,
                &b.message,
            ))
        });
        v.dedup();
        v
    }

    /// Turns every warning into an error (`--strict`).
    pub fn make_strict(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// The path of `path` relative to `root`, with `/` separators, for messages.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.to_string_lossy().replace('\\', "/")
}

/// The known name closest to `unknown`, if it is close enough to be a likely typo.
pub fn nearest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        let d = strsim::levenshtein(unknown, k);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    let limit = (unknown.chars().count() / 3).max(2);
    best.filter(|(d, _)| *d <= limit).map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_chinese_characters_as_one_column() {
        let text = "标题: 外事\n年份: x";
        let off = text.find('x').unwrap();
        assert_eq!(Pos::of_offset(text, off), Pos::new(2, 5));
    }

    #[test]
    fn nearest_finds_typos_only() {
        assert_eq!(nearest("titel", ["title", "date"]), Some("title"));
        assert_eq!(nearest("zzzzzz", ["title", "date"]), None);
    }
}
