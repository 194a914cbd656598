//! `gongkai import`: reads a yearly report as it was published (text or Markdown captured
//! from a web page, or the page's HTML) and writes the report YAML.
//!
//! Published reports vary: blocks left out, 总计 before the other columns, spaces inside
//! labels, full-width digits, `—` for zero, merged cells flattened to blank cells. So every
//! figure is placed by its row and column labels, matched against the national template
//! in [`crate::report::national`]; nothing is placed by position alone. A figure that cannot
//! be read is never guessed: it is written into the YAML as a marked text that
//! `gongkai check` rejects until the editor fixes it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::report::schema::{
    Block, CellKind, ReportType, RowDef, SectionContent, TableDef, normalize_label,
};

/// One line of the input: its number (1-based) and its cells (one cell for running text).
#[derive(Debug, Clone)]
pub struct Line {
    pub no: usize,
    pub cells: Vec<String>,
}

impl Line {
    fn text(&self) -> String {
        self.cells
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn filled(&self) -> Vec<&str> {
        self.cells
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect()
    }
}

/// A figure as read from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// As written, digits folded to half-width: `3`, `55.0592`.
    Value(String),
    /// Not a number; kept for the editor: the text and its line.
    Unsure { text: String, line: usize },
}

/// What an import found.
#[derive(Debug, Default)]
pub struct Imported {
    pub year: Option<u32>,
    pub agency: Option<String>,
    pub title: Option<String>,
    pub preamble: String,
    /// Narrative sections by key, as Markdown.
    pub texts: BTreeMap<&'static str, String>,
    /// `(table, row) -> figures in the template's column order`.
    pub rows: BTreeMap<(&'static str, &'static str), Vec<Figure>>,
    /// Lines with figures that match no row: `(line, text)`.
    pub unplaced: Vec<(usize, String)>,
    /// Rows whose number of figures is not the number of columns: `(line, row label, found, expected)`.
    pub miscounted: Vec<(usize, &'static str, usize, usize)>,
}

impl Imported {
    pub fn figures(&self) -> usize {
        self.rows.values().map(Vec::len).sum()
    }

    pub fn unsure(&self) -> Vec<(usize, String)> {
        self.rows
            .values()
            .flatten()
            .filter_map(|f| match f {
                Figure::Unsure { text, line } => Some((*line, text.clone())),
                Figure::Value(_) => None,
            })
            .collect()
    }
}

/// Why nothing could be imported.
#[derive(Debug)]
pub struct ImportError(pub String);

/// Reads the input's bytes as lines: HTML when it looks like HTML, else text.
pub fn lines_of(bytes: &[u8], name: &str) -> Result<Vec<Line>, ImportError> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError(format!(
            "{name} 是空文件，没有可以导入的内容。"
        )));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(ImportError(format!(
            "{name} 是压缩包或 Word 文件（.docx），目前不能直接导入。请在 Word 中“另存为”网页（.html）或纯文本（.txt），再导入那个文件。"
        )));
    }
    let text = match crate::text_file::decode(bytes.to_vec()) {
        Ok(t) => t,
        Err(crate::text_file::Problem::NotText { .. }) => {
            return Err(ImportError(format!(
                "{name} 不是 UTF-8 文本（可能是二进制文件，或其他编码的文本）。请用 UTF-8 编码另存为 .txt 或 .html 后再导入。"
            )));
        }
        Err(p) => {
            let e = crate::text_file::TextFileError {
                path: name.into(),
                kind: p,
            };
            return Err(ImportError(format!("{e}。{}", e.help())));
        }
    };
    let text = text.as_str();
    if text.contains('\0') {
        return Err(ImportError(format!(
            "{name} 含有二进制内容，不是文本文件。"
        )));
    }
    let lower = name.to_ascii_lowercase();
    let head = text
        .trim_start()
        .get(..200.min(text.trim_start().len()))
        .unwrap_or("")
        .to_ascii_lowercase();
    if lower.ends_with(".html")
        || lower.ends_with(".htm")
        || head.starts_with("<!doctype html")
        || head.starts_with("<html")
    {
        Ok(html_lines(text))
    } else {
        Ok(text
            .lines()
            .enumerate()
            .map(|(i, l)| Line {
                no: i + 1,
                cells: split_cells(l),
            })
            .collect())
    }
}

/// Cells of a captured line: tab-separated, or a Markdown table row.
fn split_cells(l: &str) -> Vec<String> {
    let t = l.trim();
    if t.starts_with('|') && t.ends_with('|') && t.len() > 1 {
        let inner = &t[1..t.len() - 1];
        if inner.chars().all(|c| matches!(c, '-' | ':' | '|' | ' ')) {
            return vec![String::new()];
        }
        return inner.split('|').map(|c| c.trim().to_string()).collect();
    }
    l.split('\t').map(str::to_string).collect()
}

/// Folds full-width digits, letters and punctuation to half-width.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// What a cell holds, read as a figure.
enum Cell {
    Number(String),
    Label,
}

fn read_figure(s: &str) -> Cell {
    let f = fold(s.trim()).replace([' ', ','], "");
    if matches!(f.as_str(), "—" | "-" | "–" | "－" | "——" | "/" | "无") {
        return Cell::Number("0".into());
    }
    let digits = f.strip_prefix('-').unwrap_or(&f);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    if !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
    {
        Cell::Number(f)
    } else {
        Cell::Label
    }
}

/// Leading `#` marks of a Markdown heading, removed; and the level.
fn heading(text: &str) -> (usize, &str) {
    let level = text.chars().take_while(|c| *c == '#').count();
    if level > 0 && text[level..].starts_with(' ') {
        (level, text[level..].trim())
    } else {
        (0, text)
    }
}

/// The year and the agency in a title such as `威海市人民政府外事办公室 2023 年政府信息…`.
fn year_and_agency(title: &str) -> (Option<u32>, Option<String>) {
    let t = fold(title);
    let chars: Vec<char> = t.chars().collect();
    for i in 0..chars.len().saturating_sub(3) {
        let window: String = chars[i..i + 4].iter().collect();
        if window.chars().all(|c| c.is_ascii_digit())
            && (i == 0 || !chars[i - 1].is_ascii_digit())
            && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
            && chars[i + 4..].iter().find(|c| !c.is_whitespace()) == Some(&'年')
            && let Ok(y) = window.parse::<u32>()
            && (1990..=2100).contains(&y)
        {
            let agency: String = chars[..i].iter().collect::<String>().trim().to_string();
            return (Some(y), (!agency.is_empty()).then_some(agency));
        }
    }
    (None, None)
}

fn section_of(kind: &'static ReportType, text: &str) -> Option<usize> {
    let (_, t) = heading(text);
    let n = normalize_label(t);
    if n.is_empty() || n.chars().count() > 40 {
        return None;
    }
    kind.sections.iter().position(|s| {
        normalize_label(s.title) == n || s.aliases.iter().any(|a| normalize_label(a) == n)
    })
}

/// Reads a report from its lines.
pub fn import(kind: &'static ReportType, lines: &[Line]) -> Result<Imported, ImportError> {
    let mut out = Imported::default();
    // Where each section starts.
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let f = l.filled();
        if f.len() == 1
            && let Some(s) = section_of(kind, f[0])
            && !starts.iter().any(|(_, k)| *k == s)
        {
            starts.push((i, s));
        }
    }
    let tables = kind
        .sections
        .iter()
        .filter(|s| matches!(s.content, SectionContent::Table(_)))
        .count();
    let found_tables = starts
        .iter()
        .filter(|(_, s)| matches!(kind.sections[*s].content, SectionContent::Table(_)))
        .count();
    if starts.len() < 2 || found_tables == 0 {
        return Err(ImportError(format!(
            "没有找到{}的章节标题（如“{}”“{}”），这个文件看来不是一份年度报告。",
            kind.name, kind.sections[0].title, kind.sections[2].title
        )));
    }
    let first = starts.iter().map(|(i, _)| *i).min().unwrap_or(0);
    // Title: the first heading, else the first line that names a report.
    let title_line = lines[..first]
        .iter()
        .find(|l| heading(&l.text()).0 > 0 && !l.text().trim_start_matches('#').trim().is_empty())
        .or_else(|| lines[..first].iter().find(|l| l.text().contains("报告")));
    if let Some(l) = title_line {
        let t = heading(&l.text()).1.to_string();
        let (y, a) = year_and_agency(&t);
        out.year = y;
        out.agency = a;
        out.title = Some(t);
    }
    let pre: Vec<&Line> = lines[..first]
        .iter()
        .filter(|l| title_line.is_none_or(|t| t.no != l.no))
        .collect();
    out.preamble = markdown(&pre);
    let mut order = starts.clone();
    order.sort();
    for (n, (i, s)) in order.iter().enumerate() {
        let end = order.get(n + 1).map_or(lines.len(), |(j, _)| *j);
        let body: Vec<&Line> = lines[i + 1..end].iter().collect();
        let sec = &kind.sections[*s];
        match sec.content {
            SectionContent::Text => {
                out.texts.insert(sec.key, markdown(&body));
            }
            SectionContent::Table(def) => read_table(sec.key, def, &body, &mut out),
        }
    }
    if tables == 0 {
        return Err(ImportError("这种报告没有表格。".into()));
    }
    // Input that stops inside a table (the later sections missing, the table short of
    // rows) was cut off: importing half a table would only hide that.
    if let Some(&(_, last)) = order.last()
        && let SectionContent::Table(def) = kind.sections[last].content
        && last + 1 < kind.sections.len()
    {
        let mut all = Vec::new();
        for b in def.blocks {
            leaves(b, b.rows, &mut Vec::new(), &mut all);
        }
        let key = kind.sections[last].key;
        let found = out.rows.keys().filter(|(t, _)| *t == key).count();
        if found < all.len() {
            let end = lines.last().map_or(0, |l| l.no);
            return Err(ImportError(format!(
                "输入在“{}”的表格中途结束（第 {end} 行），只找到 {found} 行，表格应有 {} 行，其后的章节也没有。文件可能不完整，请取得完整的报告再导入。没有写入文件。",
                kind.sections[last].title,
                all.len()
            )));
        }
    }
    Ok(out)
}

/// Running text as Markdown: paragraphs, and sub-headings such as `（一）主动公开方面` as
/// `###` headings. A paragraph cut in two by the capture (no closing punctuation, the next
/// starting with a Han character) is joined again.
fn markdown(lines: &[&Line]) -> String {
    let mut blocks: Vec<(bool, String)> = Vec::new();
    let mut para = String::new();
    let flush = |para: &mut String, blocks: &mut Vec<(bool, String)>| {
        let p = para.trim().to_string();
        if !p.is_empty() {
            if let Some((false, prev)) = blocks.last_mut()
                && !prev.ends_with(|c: char| "。！？；：”」）)….!?;:".contains(c))
                && p.starts_with(|c: char| crate::search::is_cjk(c))
            {
                prev.push_str(&p);
            } else {
                blocks.push((false, p));
            }
        }
        para.clear();
    };
    for l in lines {
        let t = l.text();
        let t = t.trim();
        if t.is_empty() {
            flush(&mut para, &mut blocks);
            continue;
        }
        let (level, rest) = heading(t);
        let sub = rest.starts_with('（') || rest.starts_with('(');
        if level > 0 || (sub && rest.chars().count() <= 30 && para.is_empty()) {
            flush(&mut para, &mut blocks);
            blocks.push((true, format!("### {rest}")));
            continue;
        }
        if !para.is_empty() {
            para.push('\n');
        }
        para.push_str(t);
    }
    flush(&mut para, &mut blocks);
    blocks
        .into_iter()
        .map(|(_, b)| b)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A row of a table with the groups above it.
struct RowAt {
    block: &'static Block,
    key: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
    groups: Vec<&'static str>,
}

fn leaves(
    block: &'static Block,
    rows: &'static [RowDef],
    groups: &mut Vec<&'static str>,
    out: &mut Vec<RowAt>,
) {
    for r in rows {
        match r {
            RowDef::Row {
                key,
                label,
                aliases,
            } => out.push(RowAt {
                block,
                key,
                label,
                aliases,
                groups: groups.clone(),
            }),
            RowDef::Group { key, children, .. } => {
                groups.push(key);
                leaves(block, children, groups, out);
                groups.pop();
            }
        }
    }
}

fn groups_of(
    rows: &'static [RowDef],
    out: &mut Vec<(&'static str, &'static str, &'static [&'static str])>,
) {
    for r in rows {
        if let RowDef::Group {
            key,
            label,
            aliases,
            children,
        } = r
        {
            out.push((key, label, aliases));
            groups_of(children, out);
        }
    }
}

fn matches(cell: &str, label: &str, aliases: &[&str]) -> bool {
    let n = normalize_label(cell);
    !n.is_empty()
        && (n == normalize_label(label) || aliases.iter().any(|a| normalize_label(a) == n))
}

fn read_table(key: &'static str, def: &'static TableDef, body: &[&Line], out: &mut Imported) {
    let mut rows = Vec::new();
    let mut groups = Vec::new();
    for b in def.blocks {
        leaves(b, b.rows, &mut Vec::new(), &mut rows);
        groups_of(b.rows, &mut groups);
    }
    // Column order per block: the template's, unless a header line shows another.
    let mut col_order: Vec<Vec<usize>> = def
        .blocks
        .iter()
        .map(|b| (0..b.columns.len()).collect())
        .collect();
    let mut context: Vec<&'static str> = Vec::new();
    let one_row: Vec<Figure> = Vec::new();
    let mut loose: (Vec<Figure>, usize) = (one_row, 0);
    let headings: Vec<&str> = def
        .blocks
        .iter()
        .flat_map(|b| {
            b.header
                .iter()
                .flat_map(|r| r.iter().map(|h| h.text))
                .chain(b.columns.iter().map(|c| c.label))
        })
        .collect();
    for l in body {
        let cells: Vec<&str> = l.cells.iter().map(|c| c.trim()).collect();
        let numeric = cells
            .iter()
            .any(|c| !c.is_empty() && matches!(read_figure(c), Cell::Number(_)));
        if !numeric
            && cells
                .iter()
                .any(|c| headings.iter().any(|h| matches(c, h, &[])))
        {
            // A header line: reorder columns as they are printed.
            let labels: Vec<&str> = cells.iter().copied().filter(|c| !c.is_empty()).collect();
            for (bi, b) in def.blocks.iter().enumerate() {
                reorder(&mut col_order[bi], b, &labels);
            }
            continue;
        }
        // The row: the last label cell before the figures that names one, within the
        // groups seen. After it, every filled cell is a figure, readable or not.
        let mut row: Option<&RowAt> = None;
        let mut row_at = None;
        let mut first_num = None;
        for (i, c) in cells.iter().enumerate() {
            if c.is_empty() {
                continue;
            }
            if matches!(read_figure(c), Cell::Number(_)) {
                first_num = Some(i);
                break;
            }
            if let Some((g, _, _)) = groups
                .iter()
                .find(|(_, label, aliases)| matches(c, label, aliases))
            {
                context = vec![g];
                continue;
            }
            let found: Vec<&RowAt> = rows
                .iter()
                .filter(|r| matches(c, r.label, r.aliases))
                .collect();
            let pick = match found.len() {
                0 => None,
                1 => Some(found[0]),
                _ => found
                    .iter()
                    .copied()
                    .find(|r| context.iter().any(|g| r.groups.contains(g)))
                    .or(Some(found[0])),
            };
            if pick.is_some() {
                row = pick;
                row_at = Some(i);
            }
        }
        let figures_from = match (row_at, first_num) {
            (Some(r), _) => r + 1,
            (None, Some(n)) => n,
            (None, None) => continue,
        };
        let labels: Vec<&str> = cells[..figures_from]
            .iter()
            .copied()
            .filter(|c| !c.is_empty())
            .collect();
        let figures: Vec<Figure> = cells[figures_from..]
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| match read_figure(c) {
                Cell::Number(n) => Figure::Value(n),
                Cell::Label => Figure::Unsure {
                    text: (*c).to_string(),
                    line: l.no,
                },
            })
            .collect();
        if figures.is_empty() {
            continue;
        }
        match row {
            Some(r) => {
                let bi = def
                    .blocks
                    .iter()
                    .position(|b| std::ptr::eq(b, r.block))
                    .unwrap_or(0);
                let want = r.block.columns.len();
                if figures.len() != want {
                    out.miscounted.push((l.no, r.label, figures.len(), want));
                }
                let mut placed = vec![
                    Figure::Unsure {
                        text: "（原文缺少这一格）".into(),
                        line: l.no
                    };
                    want
                ];
                for (i, f) in figures.into_iter().enumerate().take(want) {
                    placed[col_order[bi][i]] = f;
                }
                out.rows.insert((key, r.key), placed);
            }
            None if labels.is_empty() => {
                // A line of figures alone: a one-row table such as 表四.
                if loose.0.is_empty() {
                    loose.1 = l.no;
                }
                loose.0.extend(figures);
            }
            None => out.unplaced.push((l.no, l.text())),
        }
    }
    if !loose.0.is_empty() {
        // Figures without row labels, in the order of the template's rows and columns.
        let slots: Vec<&RowAt> = rows.iter().collect();
        let want: usize = slots.iter().map(|r| r.block.columns.len()).sum();
        if loose.0.len() != want {
            out.unplaced.push((
                loose.1,
                format!(
                    "{} 个数字没有行名称，与表格的 {want} 格对不上",
                    loose.0.len()
                ),
            ));
            return;
        }
        let mut it = loose.0.into_iter();
        for r in slots {
            let v: Vec<Figure> = it.by_ref().take(r.block.columns.len()).collect();
            out.rows.insert((key, r.key), v);
        }
    }
}

/// Puts the columns named in a header line in the order the line prints them. 总计 printed
/// before every other heading of the table moves to the front.
fn reorder(order: &mut [usize], block: &Block, labels: &[&str]) {
    let mut seen: Vec<usize> = Vec::new();
    for c in labels {
        if let Some(i) = block
            .columns
            .iter()
            .position(|col| matches(c, col.label, col.aliases))
            && !seen.contains(&i)
        {
            seen.push(i);
        }
    }
    if seen.len() >= 2 {
        let mut positions: Vec<usize> = seen
            .iter()
            .filter_map(|s| order.iter().position(|o| o == s))
            .collect();
        positions.sort();
        for (p, s) in positions.iter().zip(&seen) {
            order[*p] = *s;
        }
    } else if let [only] = seen[..] {
        let is_total = block.columns[only].label == "总计";
        let headings: Vec<&str> = block
            .header
            .iter()
            .flat_map(|r| r.iter())
            .map(|h| h.text)
            .filter(|t| *t != "总计")
            .collect();
        let before: Vec<&&str> = labels
            .iter()
            .take_while(|c| !matches(c, "总计", &[]))
            .collect();
        let after_other = labels
            .iter()
            .skip(before.len())
            .any(|c| headings.iter().any(|h| matches(c, h, &[])));
        let before_other = before
            .iter()
            .any(|c| headings.iter().any(|h| matches(c, h, &[])));
        if is_total
            && after_other
            && !before_other
            && let Some(pos) = order.iter().position(|o| *o == only)
        {
            order[..=pos].rotate_right(1);
        }
    }
}

/// The report YAML of an import, in the project's format (English keys, figures as lists
/// in the template's column order, narrative as Markdown blocks).
pub fn to_yaml(kind: &'static ReportType, imp: &Imported, source: &str) -> String {
    let mut s = String::new();
    let year = imp.year.unwrap_or(0);
    let agency = imp
        .agency
        .clone()
        .unwrap_or_else(|| "（请填写机关名称）".into());
    let _ = writeln!(
        s,
        "# 由 `gongkai import` 从 {source} 导入；请核对后运行 `gongkai check`。"
    );
    let _ = writeln!(s, "# 格式：{}（{}）。\n", kind.name, kind.basis);
    let _ = writeln!(
        s,
        "year: {}",
        if year == 0 {
            "0   # 待核对：标题中没有找到年度".to_string()
        } else {
            year.to_string()
        }
    );
    let _ = writeln!(s, "agency: {}", yaml_str(&agency));
    if let Some(t) = &imp.title {
        let _ = writeln!(s, "title: {}", yaml_str(t));
    }
    block(&mut s, "preamble", &imp.preamble);
    for sec in kind.sections {
        let _ = writeln!(s, "\n# {}", sec.title);
        match sec.content {
            SectionContent::Text => {
                block(
                    &mut s,
                    sec.key,
                    imp.texts.get(sec.key).map_or("", |t| t.as_str()),
                );
            }
            SectionContent::Table(def) => {
                let _ = writeln!(s, "{}:", sec.key);
                let mut any = false;
                for b in def.blocks {
                    if let Some(band) = b.band {
                        let _ = writeln!(s, "  # {band}");
                    }
                    if b.columns.len() > 1 {
                        let labels: Vec<&str> = b.columns.iter().map(|c| c.label).collect();
                        let _ = writeln!(s, "  # 每行按列顺序：[{}]", labels.join(", "));
                    }
                    any |= rows_yaml(&mut s, sec.key, b, b.rows, 1, imp);
                }
                if !any {
                    s.push_str("  {}\n");
                }
            }
        }
    }
    s
}

fn rows_yaml(
    s: &mut String,
    table: &str,
    b: &Block,
    rows: &[RowDef],
    depth: usize,
    imp: &Imported,
) -> bool {
    let pad = "  ".repeat(depth);
    let mut any = false;
    for r in rows {
        match r {
            RowDef::Row { key, label, .. } => {
                let Some(figs) = imp.rows.get(&(table, *key)) else {
                    continue;
                };
                any = true;
                let vals: Vec<String> = figs
                    .iter()
                    .zip(b.columns)
                    .map(|(f, c)| match f {
                        Figure::Value(v) if c.kind == CellKind::Amount => v.clone(),
                        Figure::Value(v) => v.trim_start_matches('+').to_string(),
                        Figure::Unsure { text, line } => {
                            yaml_str(&format!("待核对：原文第 {line} 行“{text}”"))
                        }
                    })
                    .collect();
                let value = if vals.len() == 1 {
                    vals[0].clone()
                } else {
                    format!("[{}]", vals.join(", "))
                };
                let mark = if figs.iter().any(|f| matches!(f, Figure::Unsure { .. })) {
                    "  待核对"
                } else {
                    ""
                };
                let _ = writeln!(s, "{pad}{key}: {value}   # {label}{mark}");
            }
            RowDef::Group {
                key,
                label,
                children,
                ..
            } => {
                let mut inner = String::new();
                if rows_yaml(&mut inner, table, b, children, depth + 1, imp) {
                    any = true;
                    let _ = writeln!(s, "{pad}{key}:   # {label}");
                    s.push_str(&inner);
                }
            }
        }
    }
    any
}

fn block(s: &mut String, key: &str, text: &str) {
    if text.trim().is_empty() {
        let _ = writeln!(s, "{key}: \"\"");
        return;
    }
    let _ = writeln!(s, "{key}: |");
    for l in text.lines() {
        if l.is_empty() {
            s.push('\n');
        } else {
            let _ = writeln!(s, "  {l}");
        }
    }
}

fn yaml_str(t: &str) -> String {
    serde_json::to_string(t).unwrap_or_default()
}

/// The lines of an HTML page: headings and paragraphs as text lines (headings with `#`),
/// tables as tab-separated rows with merged cells spread out as blank cells, the way a
/// capture of the page flattens them.
pub fn html_lines(html: &str) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut text = String::new();
    let mut line_no = 1;
    let mut at_line = 1;
    // Table state: rows of cells, the current row and cell, pending rowspans.
    let mut in_table = 0usize;
    let mut grid: Vec<Vec<Option<String>>> = Vec::new();
    let mut row: Option<usize> = None;
    let mut cell: Option<(String, usize, usize)> = None;
    let mut heading_level = 0;
    let mut skip: Option<String> = None;
    let bytes = html.as_bytes();
    let mut i = 0;
    let push_text = |out: &mut Vec<Line>, text: &mut String, at: usize, level: usize| {
        let t = decode(text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !t.is_empty() {
            let t = if level > 0 {
                format!("{} {t}", "#".repeat(level))
            } else {
                t
            };
            out.push(Line {
                no: at,
                cells: vec![t],
            });
            out.push(Line {
                no: at,
                cells: vec![String::new()],
            });
        }
        text.clear();
    };
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let Some(end) = html[i..].find('>').map(|e| i + e) else {
                break;
            };
            let tag = &html[i + 1..end];
            line_no += html[i..end].matches('\n').count();
            i = end + 1;
            if tag.starts_with("!--") {
                if let Some(e) = html[i - 1..].find("-->") {
                    line_no += html[i..i - 1 + e].matches('\n').count();
                    i = i - 1 + e + 3;
                }
                continue;
            }
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if let Some(s) = &skip {
                if closing && &name == s {
                    skip = None;
                }
                continue;
            }
            match (name.as_str(), closing) {
                ("script" | "style" | "head" | "nav" | "footer", false) => {
                    skip = Some(name.clone())
                }
                ("table", false) => {
                    if in_table == 0 {
                        push_text(&mut out, &mut text, at_line, heading_level);
                        grid.clear();
                        row = None;
                    }
                    in_table += 1;
                }
                ("table", true) if in_table > 0 => {
                    in_table -= 1;
                    if in_table == 0 {
                        finish_cell(&mut cell, &mut grid, row);
                        for r in grid.drain(..) {
                            out.push(Line {
                                no: at_line,
                                cells: r.into_iter().map(Option::unwrap_or_default).collect(),
                            });
                        }
                        out.push(Line {
                            no: at_line,
                            cells: vec![String::new()],
                        });
                    }
                }
                ("tr", false) if in_table > 0 => {
                    finish_cell(&mut cell, &mut grid, row);
                    let r = row.map_or(0, |r| r + 1);
                    while grid.len() <= r {
                        grid.push(Vec::new());
                    }
                    row = Some(r);
                    at_line = line_no;
                }
                ("td" | "th", false) if in_table > 0 => {
                    finish_cell(&mut cell, &mut grid, row);
                    if row.is_none() {
                        grid.push(Vec::new());
                        row = Some(grid.len() - 1);
                    }
                    let span = |attr: &str| -> usize {
                        let lower = tag.to_ascii_lowercase();
                        lower
                            .find(attr)
                            .and_then(|p| {
                                lower[p + attr.len()..]
                                    .trim_start_matches(['=', '"', '\'', ' '])
                                    .chars()
                                    .take_while(|c| c.is_ascii_digit())
                                    .collect::<String>()
                                    .parse()
                                    .ok()
                            })
                            .unwrap_or(1)
                            .clamp(1, 100)
                    };
                    cell = Some((String::new(), span("rowspan"), span("colspan")));
                }
                ("td" | "th", true) if in_table > 0 => finish_cell(&mut cell, &mut grid, row),
                ("br", _) => {
                    if let Some((c, _, _)) = &mut cell {
                        c.push(' ');
                    } else {
                        text.push('\n');
                    }
                }
                ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) if in_table == 0 => {
                    push_text(&mut out, &mut text, at_line, heading_level);
                    heading_level = name[1..].parse().unwrap_or(1);
                    at_line = line_no;
                }
                ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) if in_table == 0 => {
                    push_text(&mut out, &mut text, at_line, heading_level);
                    heading_level = 0;
                }
                ("p" | "div" | "li" | "section" | "article" | "title" | "body", _)
                    if in_table == 0 =>
                {
                    push_text(&mut out, &mut text, at_line, heading_level);
                    at_line = line_no;
                }
                _ => {}
            }
            continue;
        }
        let next = html[i..].find('<').map_or(html.len(), |n| i + n);
        let chunk = &html[i..next];
        line_no += chunk.matches('\n').count();
        if let Some((c, _, _)) = &mut cell {
            c.push_str(chunk);
        } else if in_table == 0 && skip.is_none() {
            if text.trim().is_empty() {
                at_line = line_no;
            }
            text.push_str(chunk);
        }
        i = next;
    }
    push_text(&mut out, &mut text, at_line, heading_level);
    out
}

/// Places a finished cell in the grid at the first free column of its row, and reserves
/// the places its spans cover (blank, as a capture shows merged cells).
fn finish_cell(
    cell: &mut Option<(String, usize, usize)>,
    grid: &mut Vec<Vec<Option<String>>>,
    row: Option<usize>,
) {
    let Some((text, rowspan, colspan)) = cell.take() else {
        return;
    };
    let r = row.unwrap_or(0);
    while grid.len() < r + rowspan {
        grid.push(Vec::new());
    }
    let mut c = 0;
    while grid[r].get(c).is_some_and(Option::is_some) {
        c += 1;
    }
    let t = decode(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for dr in 0..rowspan {
        for dc in 0..colspan {
            let line = &mut grid[r + dr];
            while line.len() <= c + dc {
                line.push(None);
            }
            line[c + dc] = Some(if dr == 0 && dc == 0 {
                t.clone()
            } else {
                String::new()
            });
        }
    }
}

fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest.find(';').filter(|e| *e <= 10);
        let Some(end) = end else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..end];
        let c = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" | "ensp" | "emsp" => Some(' '),
            "mdash" => Some('—'),
            "ldquo" => Some('“'),
            "rdquo" => Some('”'),
            _ => ent
                .strip_prefix("#x")
                .or_else(|| ent.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What `gongkai import` did, for its summary.
pub struct Outcome {
    pub path: std::path::PathBuf,
    pub imported: Imported,
    pub findings: Vec<crate::report::rules::Finding>,
    /// Problems `gongkai check` will report in the written YAML (unsure figures and the like).
    pub problems: crate::diagnostics::Diagnostics,
}

/// Imports `input` into `out` (by default `content/reports/YEAR.yaml` under `root`). An
/// existing file is kept unless `force`.
pub fn run(
    input: &std::path::Path,
    out: Option<&std::path::Path>,
    root: &std::path::Path,
    force: bool,
) -> Result<Outcome, ImportError> {
    let kind = &crate::report::national::NATIONAL_2021;
    let name = input.display().to_string();
    let bytes = std::fs::read(input).map_err(|e| ImportError(format!("无法读取 {name}：{e}")))?;
    let lines = lines_of(&bytes, &name)?;
    let imported = import(kind, &lines)?;
    if imported.figures() == 0 {
        return Err(ImportError(format!(
            "{name} 中找到了年度报告的章节，但没有找到任何一个表格中的数字（表格可能被截断或缺失）。没有写入文件。"
        )));
    }
    let path = match out {
        Some(p) => p.to_path_buf(),
        None => {
            let Some(year) = imported.year else {
                return Err(ImportError(format!(
                    "{name} 的标题中没有找到年度（如“2023 年”）。请用 -o 指定输出文件，例如 -o content/reports/2023.yaml。"
                )));
            };
            root.join("content/reports").join(format!("{year}.yaml"))
        }
    };
    if path.exists() && !force {
        return Err(ImportError(format!(
            "{} 已经存在，没有覆盖。要替换它，请加 --force；或用 -o 写到别的文件。",
            path.display()
        )));
    }
    let file_name = input
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or(name.clone());
    let yaml = to_yaml(kind, &imported, &file_name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| ImportError(format!("无法创建 {}：{e}", dir.display())))?;
    }
    std::fs::write(&path, &yaml)
        .map_err(|e| ImportError(format!("无法写入 {}：{e}", path.display())))?;
    let mut problems = crate::diagnostics::Diagnostics::new();
    let shown = path.display().to_string();
    let loaded = crate::report::load::load_report(&yaml, &shown, &mut problems);
    let findings = loaded
        .report
        .as_ref()
        .map(crate::report::rules::check_report)
        .unwrap_or_default();
    Ok(Outcome {
        path,
        imported,
        findings,
        problems,
    })
}

/// The summary on standard error: figures found, what could not be placed, every rule.
pub fn print_outcome(o: &Outcome, input: &str) {
    let i = &o.imported;
    eprintln!(
        "已从 {input} 导入 {} 年度报告，写入 {}。",
        i.year.map_or("（未知年度）".to_string(), |y| y.to_string()),
        o.path.display()
    );
    eprintln!(
        "  机关：{}",
        i.agency
            .as_deref()
            .unwrap_or("（标题中没有找到，请在 YAML 中填写 agency）")
    );
    eprintln!(
        "  找到数字 {} 个，叙述部分 {} 节。",
        i.figures(),
        i.texts.len()
    );
    for (line, text) in i.unsure() {
        eprintln!("  待核对：第 {line} 行“{text}”不是数字，已在 YAML 中标出，请改为正确的数字。");
    }
    for (line, label, found, want) in &i.miscounted {
        eprintln!("  待核对：第 {line} 行“{label}”有 {found} 个数字，表格这一行应有 {want} 个。");
    }
    for (line, text) in &i.unplaced {
        eprintln!("  未能放入表格：第 {line} 行“{text}”。");
    }
    for f in &o.findings {
        eprintln!("  勾稽关系 {} 不成立：{}", f.rule, f.message);
    }
    let failed: std::collections::BTreeSet<&str> = o.findings.iter().map(|f| f.rule).collect();
    let passed: Vec<&str> = crate::report::national::NATIONAL_2021
        .rules
        .iter()
        .map(|r| r.id)
        .filter(|id| !failed.contains(id) && !id.starts_with("CROSS"))
        .collect();
    if !passed.is_empty() {
        eprintln!("  勾稽关系成立：{}。", passed.join("、"));
    }
    if !o.findings.is_empty() {
        eprintln!(
            "  原报告的数字如此，可以在 YAML 中用 acknowledged 写明原因后保留；否则请改正数字。"
        );
    }
    let errors = o.problems.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!("  YAML 中有 {errors} 处需要编辑修改，运行 `gongkai check` 查看。");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_read_as_published_variants_write_them() {
        assert!(matches!(read_figure("１２"), Cell::Number(n) if n == "12"));
        assert!(matches!(read_figure("—"), Cell::Number(n) if n == "0"));
        assert!(matches!(read_figure("55.0592"), Cell::Number(n) if n == "55.0592"));
        assert!(matches!(read_figure("1O"), Cell::Label));
        assert!(matches!(read_figure("予以公开"), Cell::Label));
    }

    #[test]
    fn the_title_gives_year_and_agency() {
        let (y, a) = year_and_agency("威海市人民政府外事办公室 2023 年政府信息公开工作年度报告");
        assert_eq!(
            (y, a.as_deref()),
            (Some(2023), Some("威海市人民政府外事办公室"))
        );
        let (y, a) = year_and_agency("某县教育局２０２２年政府信息公开工作年度报告");
        assert_eq!((y, a.as_deref()), (Some(2022), Some("某县教育局")));
    }

    #[test]
    fn html_tables_spread_merged_cells_as_blank_cells() {
        let l = html_lines(
            "<table><tr><td rowspan=2>甲</td><td colspan=2>乙</td></tr><tr><td>1</td><td>&#50;</td></tr></table>",
        );
        assert_eq!(l[0].cells, ["甲", "乙", ""]);
        assert_eq!(l[1].cells, ["", "1", "2"]);
    }
}
