//! Reads one table of the report from the lines of its section: every cell becomes a
//! token (label, figure, empty cell), text that ran together is cut at the template's
//! labels, and each run of figures goes to the row named by the labels before it (a label
//! wrapped over two lines is joined; a near miss with the right numbering still names its
//! row). A table printed a cell a line whose labels do not place its figures is read by
//! their order instead ([`super::sequence`]). Figures are settled in [`super::solve`].

use std::collections::BTreeMap;

use super::catalog::{Catalog, Target};
use super::figures::{Fig, TableRead, Tok};
use super::segment::{self, Piece};
use super::sequence;
use super::solve::{self, SearchBudget};
use super::{Cell, Imported, Line, Loc, readings};
use crate::model::report::schema::{ReportType, SectionContent, TableDef};

/// Reads table `key` from its section's lines into `out`.
pub fn read(
    kind: &'static ReportType,
    key: &'static str,
    def: &'static TableDef,
    body: &[&Line],
    budget: &mut SearchBudget,
    out: &mut Imported,
) {
    let cat = Catalog::new(def);
    let toks = tokens(&cat, body);
    let unplaced = out.unplaced.len();
    let mut read = by_labels(&cat, def, &toks, out);
    if !fits(&cat, def, &read)
        && let Some(spans) =
            sequence::read(&cat, def, &toks, &solve::row_rules(kind, key, def, &cat))
    {
        out.unplaced.truncate(unplaced);
        read = TableRead {
            rows: BTreeMap::new(),
            groups: BTreeMap::new(),
            loose: Vec::new(),
            total_first: vec![false; def.blocks.len()],
            spans,
        };
    }
    solve::settle(kind, key, def, &cat, read, budget, out);
}

/// Each run of figures put with the row the labels before it name.
fn by_labels(cat: &Catalog, def: &TableDef, toks: &[(Loc, Tok)], out: &mut Imported) -> TableRead {
    let mut read = TableRead {
        rows: BTreeMap::new(),
        groups: BTreeMap::new(),
        loose: Vec::new(),
        total_first: vec![false; def.blocks.len()],
        spans: Vec::new(),
    };
    let mut labels: Vec<(String, Loc)> = Vec::new();
    let mut headers: Vec<String> = Vec::new();
    let mut after_figs = false;
    let mut target = Target::Unplaced;
    for (loc, tok) in toks {
        let loc = *loc;
        match tok {
            Tok::Label(t) => {
                if after_figs {
                    labels.clear();
                    after_figs = false;
                }
                if cat.is_header(t) {
                    headers.push(t.clone());
                }
                labels.push((t.clone(), loc));
            }
            Tok::Fig(f) => {
                if !after_figs && !labels.is_empty() {
                    target = cat.target(&labels);
                    column_order(cat, &headers, target, &mut read.total_first);
                    headers.clear();
                    if let Target::Unplaced = target {
                        let text: Vec<&str> = labels.iter().map(|(t, _)| t.as_str()).collect();
                        out.unplaced.push((labels[0].1, text.join(" ")));
                    }
                }
                after_figs = true;
                let f = f.clone();
                match target {
                    Target::Row(i) => read.rows.entry(i).or_insert((loc, Vec::new())).1.push(f),
                    Target::Group(g) => read.groups.entry(g).or_insert((loc, Vec::new())).1.push(f),
                    Target::Loose => read.loose.push(f),
                    Target::Unplaced => {}
                }
            }
        }
    }
    read
}

/// Whether every row the labels named got as many figures as it has cells, and the
/// figures without a row label as many as the rows left.
fn fits(cat: &Catalog, def: &TableDef, read: &TableRead) -> bool {
    let width = |i: usize| def.blocks[cat.leaves[i].block].columns.len();
    let rows = read.rows.iter().all(|(i, (_, f))| f.len() == width(*i));
    let groups = read
        .groups
        .iter()
        .all(|(g, (_, f))| f.len() == width(cat.groups[*g].leaves[0]));
    let left: usize = (0..cat.leaves.len())
        .filter(|i| !read.rows.contains_key(i))
        .map(width)
        .sum();
    rows && groups && (read.loose.is_empty() || read.loose.len() == left)
}

/// 总计 printed before every other heading of its block (a header flattened from a table
/// that puts the total first) puts the total first in the figures too. The usual
/// flattening prints it after 申请人情况 or 自然人, with the figures in the template's order.
fn column_order(cat: &Catalog, headers: &[String], target: Target, total_first: &mut [bool]) {
    let blocks: Vec<usize> = match target {
        Target::Row(i) => vec![cat.leaves[i].block],
        _ => (0..cat.columns.len()).collect(),
    };
    let Some(first) = headers.first().map(|h| segment::norm(h)) else {
        return;
    };
    for b in blocks {
        if !cat.columns[b].iter().any(|c| c.core == "总计") || headers.len() < 2 {
            continue;
        }
        total_first[b] = first == "总计";
    }
}

/// The tokens of the section's lines, in order.
fn tokens(cat: &Catalog, body: &[&Line]) -> Vec<(Loc, Tok)> {
    let terms = cat.terms();
    let mut out = Vec::new();
    for l in body {
        for c in &l.cells {
            let t = match c {
                Cell::Empty | Cell::Blank => {
                    let blank = matches!(c, Cell::Blank);
                    out.push((l.loc, Tok::Fig(Fig::Empty(l.loc, blank))));
                    continue;
                }
                Cell::Placements { text, rows } => {
                    out.push((l.loc, Tok::Fig(placed(text, rows, l.loc))));
                    continue;
                }
                Cell::Text(t) => t.trim(),
            };
            // A unit set apart from its sum by a space (`251000 元`) is the sum's.
            if let ("元" | "万元", Some((loc, Tok::Fig(Fig::Num { text, .. })))) =
                (t, out.last_mut())
                && *loc == l.loc
                && text.chars().all(|c| c.is_ascii_digit() || c == '.')
            {
                text.push_str(t);
                continue;
            }
            if t.is_empty() {
                continue;
            }
            if let Some(n) = readings::number(t) {
                out.push((l.loc, fig(n, l.loc, false)));
                continue;
            }
            let unnumbered = match segment::numbering(t) {
                Some(n) => crate::ground::text::fold_str(t)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .skip(n.chars().count())
                    .collect::<String>(),
                None => t.to_string(),
            };
            let has_digit = crate::ground::text::fold_str(&unnumbered)
                .chars()
                .any(|c| c.is_ascii_digit());
            // A figure set apart by a space after a row's label (`行政规范性文件 3`) is no
            // part of the label, however close the label is to the row's.
            let figure_word = t.split_whitespace().count() > 1
                && t.split_whitespace().any(|w| readings::number(w).is_some());
            if !has_digit || (!figure_word && (cat.row(t, true).is_some() || cat.is_header(t))) {
                out.push((l.loc, Tok::Label(t.to_string())));
                continue;
            }
            for p in segment::cut(t, &terms) {
                match p {
                    Piece::Label(s) => out.push((l.loc, Tok::Label(s))),
                    Piece::Rest(s) => rest(&s, l.loc, &mut out),
                }
            }
        }
    }
    out
}

/// Text between labels: figures (one joined run, or several set apart), or other text.
fn rest(s: &str, loc: Loc, out: &mut Vec<(Loc, Tok)>) {
    let words: Vec<&str> = s.split_whitespace().flat_map(signed_parts).collect();
    let single = words.len() == 1;
    for w in words {
        if let Some(n) = readings::number(w) {
            out.push((loc, fig(n, loc, single)));
        } else if w.chars().any(crate::ground::text::is_cjk) {
            out.push((loc, Tok::Label(w.to_string())));
        } else {
            out.push((loc, Tok::Fig(Fig::Bad(w.to_string(), loc))));
        }
    }
}

/// A word cut before each sign that follows a digit: a change from last year run into
/// the figure before it (`35-15` is 35 and -15).
fn signed_parts(word: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut prev_digit = false;
    for (i, c) in word.char_indices() {
        if (c == '-' || c == '+') && prev_digit {
            parts.push(&word[start..i]);
            start = i;
        }
        prev_digit = c.is_ascii_digit();
    }
    parts.push(&word[start..]);
    parts
}

/// The placements of a row's figures a page leaves open, each cell a number or a blank.
fn placed(text: &str, rows: &[Vec<Cell>], loc: Loc) -> Fig {
    let rows = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Cell::Text(t) => Some(readings::number(t).unwrap_or_else(|| t.clone())),
                    _ => None,
                })
                .collect()
        })
        .collect();
    Fig::Placed {
        rows,
        text: text.to_string(),
        loc,
    }
}

fn fig(text: String, loc: Loc, joined: bool) -> Tok {
    Tok::Fig(Fig::Num { text, loc, joined })
}

/// Tables of which not one figure was found (a capture that kept only the paragraphs):
/// every cell is marked for the editor, so that no zero is taken for a figure.
pub fn absent_tables(kind: &'static ReportType, starts: &[(Loc, usize)], out: &mut Imported) {
    for (i, sec) in kind.sections.iter().enumerate() {
        let SectionContent::Table(def) = sec.content else {
            continue;
        };
        if out.rows.keys().any(|(t, _)| *t == sec.key) {
            continue;
        }
        let (loc, note) = match starts.iter().find(|(_, s)| *s == i) {
            Some((loc, _)) => (*loc, "原文这个表格中没有数字"),
            None => (Loc::Line(1), "原文没有这个表格"),
        };
        for b in def.blocks {
            for r in crate::model::report::leaf_rows(b.rows) {
                let figs = b
                    .columns
                    .iter()
                    .map(|_| super::Figure::Unsure {
                        text: String::new(),
                        loc,
                        note: note.to_string(),
                    })
                    .collect();
                out.rows.insert((sec.key, r.key()), figs);
            }
        }
    }
}
