//! Text as copied from a page or extracted from a PDF into lines of cells: line breaks of
//! any kind (a bare CR too), cells separated by tabs, `|`, or runs of spaces; paragraphs
//! run together with `　　` split again; page numbers dropped; a label printed one
//! character per line (a vertical table header) joined again.

use super::{Cell, Line, Loc};

pub fn lines(text: &str) -> Vec<Line> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let loc = Loc::Line(i + 1);
        // An office suite's "save as text" writes a table's cell a line, and an empty
        // cell of a page (`&nbsp;`) as a no-break space alone.
        if raw.contains('\u{a0}') && raw.trim().is_empty() {
            out.push(Line {
                loc,
                cells: vec![Cell::Empty],
            });
            continue;
        }
        for piece in paragraphs(raw) {
            if is_page_number(piece) {
                continue;
            }
            out.push(Line {
                loc,
                cells: split_cells(piece),
            });
        }
    }
    join_vertical(out)
}

/// A line split where a capture ran paragraphs together with ideographic spaces (`　　`
/// before each paragraph); the indent at the start goes.
fn paragraphs(line: &str) -> Vec<&str> {
    let out: Vec<&str> = line
        .split("\u{3000}\u{3000}")
        .filter(|p| !p.trim().is_empty())
        .collect();
    if out.is_empty() { vec![""] } else { out }
}

/// `- 3 -`, `—3—`, `第 3 页`, `第3页 共5页`, `3/5`: a page number, not a figure.
pub fn is_page_number(s: &str) -> bool {
    let t: String = crate::ground::text::fold_str(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return false;
    }
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let dashes = ['-', '—', '–', '－', '─'];
    let inner = t.trim_matches(|c| dashes.contains(&c));
    if inner.len() < t.len() && t.starts_with(dashes) && t.ends_with(dashes) && digits(inner) {
        return true;
    }
    if let Some(rest) = t.strip_prefix('第')
        && let Some((n, after)) = rest.split_once('页')
        && digits(n)
    {
        return after.is_empty()
            || after
                .strip_prefix('共')
                .and_then(|a| a.strip_suffix('页'))
                .is_some_and(digits);
    }
    if let Some((a, b)) = t.split_once('/') {
        return digits(a) && digits(b) && a.len() <= 3 && b.len() <= 3;
    }
    false
}

/// Cells of a line: tab-separated, a Markdown table row, ` | `-separated, or columns set
/// apart by two or more spaces (as `pdftotext -layout` prints a table).
pub fn split_cells(l: &str) -> Vec<Cell> {
    let t = l.trim();
    let text = |v: Vec<&str>| {
        v.into_iter()
            .map(|c| Cell::Text(c.trim().to_string()))
            .collect()
    };
    if t.starts_with('|') && t.ends_with('|') && t.len() > 1 {
        let inner = &t[1..t.len() - 1];
        if inner.chars().all(|c| matches!(c, '-' | ':' | '|' | ' ')) {
            return vec![Cell::Text(String::new())];
        }
        return text(inner.split('|').collect());
    }
    if l.contains('\t') {
        return text(l.split('\t').collect());
    }
    if t.contains(" | ") {
        return text(t.split(" | ").collect());
    }
    let wide: Vec<&str> = t
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if wide.len() > 1 && wide.iter().filter(|c| is_number(c)).count() >= 1 {
        return text(wide);
    }
    vec![Cell::Text(l.trim_end().to_string())]
}

fn is_number(s: &str) -> bool {
    let f = crate::ground::text::fold_str(s);
    !f.is_empty() && f.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Three or more lines of one character each (`三` `、` `本` `年` …) are a label printed
/// vertically: one line again.
fn join_vertical(lines: Vec<Line>) -> Vec<Line> {
    let single = |l: &Line| {
        let f = l.filled();
        f.len() == 1
            && f[0].chars().count() == 1
            && f[0]
                .chars()
                .all(|c| c != '无' && (crate::ground::text::is_cjk(c) || "、，（）“”".contains(c)))
    };
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j < lines.len() && (single(&lines[j]) || lines[j].filled().is_empty() && j > i) {
            j += 1;
        }
        let run: Vec<&Line> = lines[i..j].iter().filter(|l| single(l)).collect();
        if run.len() >= 3 {
            let text: String = run.iter().map(|l| l.filled()[0]).collect();
            out.push(Line::text_line(lines[i].loc, text));
            i = j;
        } else {
            out.push(lines[i].clone());
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_told_from_figures() {
        for p in ["- 3 -", "-3-", "—3—", "第 3 页", "第3页共5页", "3/5"] {
            assert!(is_page_number(p), "{p}");
        }
        for f in ["3", "-3", "2023", "第二十条第（一）项", "1/2023"] {
            assert!(!is_page_number(f), "{f}");
        }
    }

    #[test]
    fn bare_cr_lines_vertical_labels_and_run_together_paragraphs() {
        let l = lines("三\r、\r本\r年\r度\r办\r理\r结\r果\r（一）予以公开\r3\r");
        assert_eq!(l[0].text(), "三、本年度办理结果");
        assert_eq!(l[1].text(), "（一）予以公开");
        assert_eq!(l[2].text(), "3");
        let l = lines("　　一、总体情况　　2023年，本机关……");
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].text(), "一、总体情况");
        let l = lines("规章               0          0       0");
        assert_eq!(l[0].filled(), ["规章", "0", "0", "0"]);
    }
}
