//! A table printed a cell a line in the order a reader takes its blocks, not row by row:
//! what `pdftotext` without `-layout` gives for a table it reads block by block (a few rows
//! one after another, then a block of rows column by column, their labels gathered
//! elsewhere). The labels cannot place such figures; their order can. The runs of figures
//! (the figures between two labels) follow the rows of the table from the top, each run
//! holding whole rows; within a run each block of rows is printed row by row or column by
//! column ([`super::readings::blocks`]), and the rules within a row keep the readings it
//! allows. The labels check the result: the row the labels just before a run name is one
//! of its rows. Where anything does not add up, nothing is rebuilt.

use std::collections::BTreeSet;

use super::Loc;
use super::catalog::{Catalog, Target};
use super::figures::{Fig, Span, Tok, Val};
use crate::model::report::schema::TableDef;

/// A row of the table as printed: a row of the template, or a group printed as one row
/// (`（六）其他处理` without its three rows).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Printed {
    Leaf(usize),
    Group(usize),
}

/// A run of figures with the labels before it.
type Run<'a> = (Vec<(String, Loc)>, Vec<&'a Fig>);

/// The figures of a table printed a cell a line, as spans of rows read from their order;
/// `None` unless every figure stands alone on its line, their number is that of the
/// printed rows' cells, and every run holds whole rows its labels name. `holds(leaf,
/// cells)` tells whether the rules within a row allow its cells.
pub fn read(
    cat: &Catalog,
    def: &TableDef,
    toks: &[(Loc, Tok)],
    holds: &dyn Fn(usize, &[Val]) -> bool,
) -> Option<Vec<Span>> {
    let [block] = def.blocks else {
        return None;
    };
    let width = block.columns.len();
    // Runs of figures, each with the labels before it.
    let mut runs: Vec<Run> = Vec::new();
    let mut labels: Vec<(String, Loc)> = Vec::new();
    for (loc, tok) in toks {
        match tok {
            Tok::Label(t) => labels.push((t.clone(), *loc)),
            Tok::Fig(f) => {
                if !labels.is_empty() || runs.is_empty() {
                    runs.push((std::mem::take(&mut labels), Vec::new()));
                }
                if let Some(run) = runs.last_mut() {
                    run.1.push(f);
                }
            }
        }
    }
    let figs: Vec<&Fig> = runs.iter().flat_map(|r| r.1.iter().copied()).collect();
    let alone = figs.iter().map(|f| f.loc()).collect::<BTreeSet<_>>().len() == figs.len();
    // A figure run into a label (`4.保护第三方合法权益 0`) is one cell too: a run of cells
    // would leave the count short.
    let single = figs
        .iter()
        .all(|f| matches!(f, Fig::Num { .. } | Fig::Empty(..)));
    let names: Vec<&str> = toks
        .iter()
        .filter_map(|(_, t)| match t {
            Tok::Label(l) => Some(l.as_str()),
            Tok::Fig(_) => None,
        })
        .collect();
    let printed = printed_rows(cat, &names);
    if !alone || !single || figs.is_empty() || figs.len() != printed.len() * width {
        return None;
    }
    let mut spans = Vec::new();
    let mut start = 0;
    let mut pending: Option<Run> = None;
    for (labels, run) in runs {
        let (labels, mut figs) = pending.take().unwrap_or((labels, Vec::new()));
        figs.extend(run);
        let done = start * width + figs.len();
        if done % width != 0 {
            pending = Some((labels, figs));
            continue;
        }
        let end = done / width;
        if !named(cat, &labels, &printed[start..end]) {
            return None;
        }
        spans.push(span(cat, &printed[start..end], &figs, width, holds)?);
        start = end;
    }
    Some(spans)
}

/// The rows as printed: the template's rows, but a group whose label the text has and
/// none of whose rows' labels it has is printed as one row.
fn printed_rows(cat: &Catalog, names: &[&str]) -> Vec<Printed> {
    let pairs: Vec<String> = names.windows(2).map(|w| w.concat()).collect();
    let named = |leaf: usize| {
        names
            .iter()
            .copied()
            .chain(pairs.iter().map(String::as_str))
            .any(|t| !cat.is_header(t) && cat.row(t, true) == Some(leaf))
    };
    let one_row: Vec<usize> = (0..cat.groups.len())
        .filter(|&g| {
            names.iter().any(|t| cat.group(t) == Some(g))
                && !cat.groups[g].leaves.iter().any(|&i| named(i))
        })
        .collect();
    let mut out = Vec::new();
    for i in 0..cat.leaves.len() {
        match one_row.iter().find(|&&g| cat.groups[g].leaves.contains(&i)) {
            Some(&g) if cat.groups[g].leaves[0] == i => out.push(Printed::Group(g)),
            Some(_) => {}
            None => out.push(Printed::Leaf(i)),
        }
    }
    out
}

/// Whether the labels before a run name one of its rows, or are the column headers.
fn named(cat: &Catalog, labels: &[(String, Loc)], rows: &[Printed]) -> bool {
    let leaves = |p: &Printed| match *p {
        Printed::Leaf(i) => vec![i],
        Printed::Group(g) => cat.groups[g].leaves.clone(),
    };
    if labels.is_empty() {
        return true;
    }
    match cat.target(labels) {
        Target::Row(i) => rows.iter().any(|p| leaves(p).contains(&i)),
        Target::Group(g) => rows
            .iter()
            .any(|p| leaves(p).iter().any(|i| cat.groups[g].leaves.contains(i))),
        // Column headers (a header printed again over a page break) name no row.
        Target::Loose => true,
        Target::Unplaced => false,
    }
}

/// The span of the printed rows `rows` from their figures in order: its cells and every
/// reading the blocks and the rules within each row allow; `None` when there is none.
fn span(
    cat: &Catalog,
    rows: &[Printed],
    figs: &[&Fig],
    width: usize,
    holds: &dyn Fn(usize, &[Val]) -> bool,
) -> Option<Span> {
    let first = |p: &Printed| match *p {
        Printed::Leaf(i) => i,
        Printed::Group(g) => cat.groups[g].leaves[0],
    };
    let vals: Vec<Val> = figs.iter().map(|f| f.val()).collect();
    let readings = super::readings::blocks(&vals, rows.len(), width, &|r, cells| {
        holds(first(&rows[r]), cells)
    });
    if readings.is_empty() {
        return None;
    }
    let mut cells: Vec<(usize, usize)> = rows
        .iter()
        .flat_map(|p| (0..width).map(move |c| (first(p), c)))
        .collect();
    let groups: Vec<usize> = rows
        .iter()
        .filter_map(|p| match *p {
            Printed::Group(g) => Some(g),
            Printed::Leaf(_) => None,
        })
        .collect();
    // A group's other rows: 0 in every reading, marked later unless the group's figure is 0.
    let others: Vec<(usize, usize)> = groups
        .iter()
        .flat_map(|&g| cat.groups[g].leaves[1..].iter().copied())
        .flat_map(|i| (0..width).map(move |c| (i, c)))
        .collect();
    cells.extend(&others);
    let readings = readings
        .into_iter()
        .map(|mut r| {
            r.extend(others.iter().map(|_| Val::Known("0".into())));
            r
        })
        .collect();
    let raw: Vec<String> = figs.iter().map(|f| f.shown()).collect();
    Some(Span {
        cells,
        readings,
        groups,
        loc: figs[0].loc(),
        raw: raw.join(" "),
    })
}
