//! Settles a table's figures with the template's own arithmetic. Each row read gives one
//! or more readings: one when its cells were set apart, every split of the digits when
//! they ran together (`81010010` into seven cells), every place for a cell the input
//! lacks. The rules of the table (row totals, column totals, 一＋二＝（七）＋四) keep the
//! readings they allow; a figure is taken when every reading left agrees on it, and marked
//! `待核对` with the possibilities otherwise. Nothing is guessed.

use std::collections::{BTreeMap, BTreeSet};

use super::catalog::Catalog;
use super::figures::{Fig, TableRead, Val};
use super::readings::{drop_extra, fits, insert_missing, run_splits, runs, splits};
use super::{Figure, Imported, Loc};
use crate::model::report::schema::{CellKind, ReportType, RuleKind, TableDef};

/// A cell of the table: `(leaf index, column)`.
type CellId = (usize, usize);

/// The cells one read covers (a row, or every row of a table printed without labels) and
/// its readings.
struct Unit {
    cells: Vec<CellId>,
    cands: Vec<Vec<Val>>,
    /// Readings tried only when no reading in `cands` fits the rules.
    fallback: Vec<Vec<Val>>,
    /// Blank cells where a total is printed: computed where the unit's own rule can, else 0.
    blanks: Vec<usize>,
    /// More than one reading before the rules, or a cell filled in by a rule.
    settled: bool,
    /// No reading satisfies the rules within the unit: the rules do not choose for it.
    inconsistent: bool,
    /// Its figures stand on several lines of the input (a cell a line), so that they are
    /// its own only by their order; or some of its cells are blanks only the columns of a
    /// page show.
    spread: bool,
    /// A spread unit in a rule that does not hold: its figures may be another row's.
    doubtful: bool,
    loc: Loc,
    raw: String,
}

/// One equation of the rules: Σ lhs = Σ rhs.
struct Equation {
    lhs: Vec<CellId>,
    rhs: Vec<CellId>,
}

impl Equation {
    fn cells(&self) -> impl Iterator<Item = &CellId> {
        self.lhs.iter().chain(&self.rhs)
    }
}

/// Settles what was read of table `key` and puts its rows into `out`.
pub fn settle(
    kind: &'static ReportType,
    key: &'static str,
    def: &'static TableDef,
    cat: &Catalog,
    read: TableRead,
    budget: &mut SearchBudget,
    out: &mut Imported,
) {
    let width = |i: usize| def.blocks[cat.leaves[i].block].columns.len();
    let eqs = equations(kind, key, def, cat);
    // The cells a rule defines as the sum of others.
    let totals: BTreeSet<CellId> = eqs
        .iter()
        .filter_map(|e| match e.lhs[..] {
            [t] => Some(t),
            _ => None,
        })
        .collect();
    let order = (&read.total_first[..], &totals);
    let mut units: Vec<Unit> = Vec::new();
    for (&i, (loc, figs)) in &read.rows {
        let cells: Vec<CellId> = (0..width(i)).map(|c| (i, c)).collect();
        units.push(unit(cells, figs, *loc, order, cat));
    }
    loose_unit(&read, cat, &width, order, &mut units, out);
    for s in &read.spans {
        units.push(Unit {
            cells: s.cells.clone(),
            settled: s.readings.len() > 1,
            cands: s.readings.clone(),
            fallback: Vec::new(),
            blanks: Vec::new(),
            inconsistent: false,
            spread: true,
            doubtful: false,
            loc: s.loc,
            raw: s.raw.clone(),
        });
    }
    for u in &mut units {
        filter(u, &eqs);
    }
    search(&mut units, &eqs, budget);
    last_year(key, def, cat, &mut units, out);
    doubt(&mut units, &eqs);
    let confirmed = confirmed(&units, &eqs);
    let mut values: BTreeMap<CellId, Figure> = BTreeMap::new();
    let kind_of = |(i, c): CellId| def.blocks[cat.leaves[i].block].columns[c].kind;
    for u in &units {
        emit(u, &kind_of, &mut values, out);
    }
    // A figure read by OCR is taken only where a rule confirms it.
    for u in units.iter().filter(|u| matches!(u.loc, Loc::Scan { .. })) {
        for c in &u.cells {
            if let Some(Figure::Value(v)) = values.get(c)
                && !confirmed.contains(c)
            {
                let v = v.clone();
                values.insert(
                    *c,
                    Figure::Unsure {
                        text: v,
                        loc: u.loc,
                        note: "文字识别的数字，没有勾稽关系能确认，请对照原件核对".into(),
                    },
                );
            }
        }
    }
    groups(&read, cat, &width, &mut values, out);
    for s in &read.spans {
        for &g in &s.groups {
            one_row(
                &cat.groups[g].leaves,
                width(cat.groups[g].leaves[0]),
                s.loc,
                &mut values,
            );
        }
    }
    // Rows of a block the input shows but that it does not name.
    let first = units.iter().map(|u| u.loc).min();
    let seen: BTreeSet<usize> = values.keys().map(|(j, _)| cat.leaves[*j].block).collect();
    for (i, leaf) in cat.leaves.iter().enumerate() {
        let block_seen = seen.contains(&leaf.block);
        let mut row = Vec::new();
        for c in 0..width(i) {
            match values.remove(&(i, c)) {
                Some(f) => row.push(f),
                None if block_seen => row.push(Figure::Unsure {
                    text: String::new(),
                    loc: first.unwrap_or(Loc::Line(1)),
                    note: "原文中没有找到这一行".into(),
                }),
                None => {}
            }
        }
        if !row.is_empty() {
            out.rows.insert((key, leaf.key), row);
        }
    }
}

/// Figures printed without row labels (表四 as one row of fifteen): the cells of every
/// row not read otherwise, in the template's order.
fn loose_unit(
    read: &TableRead,
    cat: &Catalog,
    width: &dyn Fn(usize) -> usize,
    order: (&[bool], &BTreeSet<CellId>),
    units: &mut Vec<Unit>,
    out: &mut Imported,
) {
    if read.loose.is_empty() {
        return;
    }
    let cells: Vec<CellId> = (0..cat.leaves.len())
        .filter(|i| !read.rows.contains_key(i))
        .flat_map(|i| (0..width(i)).map(move |c| (i, c)))
        .collect();
    let joined = matches!(
        &read.loose[..],
        [Fig::Num { joined: true, .. } | Fig::Placed { .. }]
    );
    let loc = read.loose[0].loc();
    if cells.is_empty() || (!joined && read.loose.len() != cells.len()) {
        out.unplaced.push((
            loc,
            format!(
                "{} 个数字没有行名称，与表格的 {} 格对不上",
                read.loose.len(),
                cells.len()
            ),
        ));
        return;
    }
    units.push(unit(cells, &read.loose, loc, order, cat));
}

fn unit(
    cells: Vec<CellId>,
    figs: &[Fig],
    loc: Loc,
    (total_first, totals): (&[bool], &BTreeSet<CellId>),
    cat: &Catalog,
) -> Unit {
    let n = cells.len();
    let raw: Vec<String> = figs.iter().map(Fig::shown).collect();
    let vals: Vec<Val> = figs.iter().map(Fig::val).collect();
    // Readings, and readings to fall back on when none of those fits the rules: runs of
    // digits cut into cells come before cells the capture lost.
    // Blanks found by a page's columns hold for a row of exactly the table's width.
    // So do the figures of a scan: a cell OCR lost is not filled in by the rules that
    // must confirm the others.
    let blanks_misfit = (figs.iter().any(|f| matches!(f, Fig::Empty(_, true)))
        || matches!(loc, Loc::Scan { .. }))
        && vals.len() != n;
    let (mut cands, mut fallback) = match figs {
        [Fig::Placed { rows, .. }] => (placed(rows, n), Vec::new()),
        _ if blanks_misfit || figs.iter().any(|f| matches!(f, Fig::Placed { .. })) => {
            (Vec::new(), Vec::new())
        }
        [
            Fig::Num {
                text, joined: true, ..
            },
        ] if n > 1 && text.chars().all(|c| c.is_ascii_digit()) => (splits(text, n), Vec::new()),
        _ if vals.len() == n => (vec![blank_totals(vals, figs, &cells, totals)], Vec::new()),
        _ if vals.len() < n && runs(figs).is_some() => (
            run_splits(&runs(figs).unwrap_or_default(), n),
            insert_missing(&vals, n),
        ),
        _ if vals.len() < n => (insert_missing(&vals, n), Vec::new()),
        _ => (drop_extra(&vals, n), Vec::new()),
    };
    for cands in [&mut cands, &mut fallback] {
        total_first_back(cands, &cells, total_first, cat);
        cands.sort();
        cands.dedup();
    }
    if cands.is_empty() {
        cands = std::mem::take(&mut fallback);
    }
    if cands.is_empty() {
        cands.push(vec![Val::Missing; n]);
    }
    let blanks = match cands.as_slice() {
        [one] if figs.len() == n => (0..n).filter(|p| one[*p] == Val::Missing).collect(),
        _ => Vec::new(),
    };
    Unit {
        cells,
        settled: cands.len() > 1,
        cands,
        fallback,
        blanks,
        inconsistent: false,
        spread: figs.iter().map(Fig::loc).collect::<BTreeSet<_>>().len() > 1
            || figs
                .iter()
                .any(|f| matches!(f, Fig::Empty(_, true) | Fig::Placed { .. })),
        doubtful: false,
        loc,
        raw: raw.join(" "),
    }
}

/// The placements of a row's figures a page leaves open, as readings of the unit's cells:
/// a blank is 0 (a blank total is only a guess of a placement here, not a cell the page
/// shows blank, so it is not computed as [`blank_totals`] does).
fn placed(rows: &[Vec<Option<String>>], n: usize) -> Vec<Vec<Val>> {
    rows.iter()
        .filter(|r| r.len() == n)
        .map(|r| {
            r.iter()
                .map(|v| Val::Known(v.clone().unwrap_or_else(|| "0".into())))
                .collect()
        })
        .collect()
}

/// A blank cell where the table prints a total (a published table that leaves the 总计 of
/// its rows empty) is a total to compute, not a 0.
fn blank_totals(
    mut vals: Vec<Val>,
    figs: &[Fig],
    cells: &[CellId],
    totals: &BTreeSet<CellId>,
) -> Vec<Val> {
    for (p, f) in figs.iter().enumerate() {
        if matches!(f, Fig::Empty(..)) && totals.contains(&cells[p]) {
            vals[p] = Val::Missing;
        }
    }
    vals
}

/// 总计 printed first: back to the template's order, row by row.
fn total_first_back(cands: &mut [Vec<Val>], cells: &[CellId], total_first: &[bool], cat: &Catalog) {
    let n = cells.len();
    for cand in cands {
        let mut at = 0;
        while at < n {
            let (i, _) = cells[at];
            let w = cells[at..].iter().take_while(|(j, _)| *j == i).count();
            let block = cat.leaves[i].block;
            if total_first.get(block).copied().unwrap_or(false)
                && let Some(t) = cat.columns[block].iter().position(|c| c.core == "总计")
            {
                cand[at..at + w][..=t].rotate_left(1);
            }
            at += w;
        }
    }
}

/// Whether the figures of a row (`leaf`'s, in column order) satisfy the rules within the
/// row (总计 is the sum of the other columns), for readings of whole rows.
pub fn row_rules(
    kind: &ReportType,
    key: &str,
    def: &TableDef,
    cat: &Catalog,
) -> impl Fn(usize, &[Val]) -> bool + use<> {
    let eqs = equations(kind, key, def, cat);
    move |leaf, vals| {
        eqs.iter()
            .filter(|e| e.cells().all(|(i, _)| *i == leaf))
            .all(|e| holds(e, &|(_, c)| vals.get(c).and_then(Val::count)).unwrap_or(true))
    }
}

/// The rules of table `key` as equations over its cells.
fn equations(kind: &ReportType, key: &str, def: &TableDef, cat: &Catalog) -> Vec<Equation> {
    let leaf = |k: &str| -> Vec<usize> {
        if let Some(i) = cat.leaves.iter().position(|l| l.key == k) {
            return vec![i];
        }
        cat.groups
            .iter()
            .find(|g| g.key == k)
            .map(|g| g.leaves.clone())
            .unwrap_or_default()
    };
    let col = |block: usize, k: &str| def.blocks[block].columns.iter().position(|c| c.key == k);
    let mut out = Vec::new();
    for rule in kind.rules.iter().filter(|r| r.table == key) {
        match &rule.kind {
            RuleKind::Balance { lhs, rhs } => {
                let Some(&first) = lhs.first().and_then(|k| leaf(k).first().copied()).as_ref()
                else {
                    continue;
                };
                let block = cat.leaves[first].block;
                for c in 0..def.blocks[block].columns.len() {
                    let side = |rows: &[&str]| -> Vec<CellId> {
                        rows.iter().flat_map(|r| leaf(r)).map(|i| (i, c)).collect()
                    };
                    out.push(Equation {
                        lhs: side(lhs),
                        rhs: side(rhs),
                    });
                }
            }
            RuleKind::RowSum { total, parts } => {
                let Some(&t) = leaf(total).first() else {
                    continue;
                };
                for c in 0..def.blocks[cat.leaves[t].block].columns.len() {
                    out.push(Equation {
                        lhs: vec![(t, c)],
                        rhs: parts.iter().flat_map(|p| leaf(p)).map(|i| (i, c)).collect(),
                    });
                }
            }
            RuleKind::ColSum { rows, total, parts } => {
                for (i, l) in cat.leaves.iter().enumerate() {
                    if !rows.is_empty() && !rows.contains(&l.key) {
                        continue;
                    }
                    let Some(t) = col(l.block, total) else {
                        continue;
                    };
                    let p: Option<Vec<CellId>> = parts
                        .iter()
                        .map(|k| col(l.block, k).map(|c| (i, c)))
                        .collect();
                    if let Some(p) = p {
                        out.push(Equation {
                            lhs: vec![(i, t)],
                            rhs: p,
                        });
                    }
                }
            }
            RuleKind::CrossYear { .. } => {}
        }
    }
    out
}

/// Whether an equation holds for the values given; `None` when a value is not known.
fn holds(eq: &Equation, value: &dyn Fn(CellId) -> Option<u64>) -> Option<bool> {
    let sum = |cells: &[CellId]| -> Option<u64> { cells.iter().map(|c| value(*c)).sum() };
    Some(sum(&eq.lhs)? == sum(&eq.rhs)?)
}

/// Keeps the readings of a unit that the rules within it allow, filling a lacking cell an
/// equation determines.
fn filter(u: &mut Unit, eqs: &[Equation]) {
    let inner: Vec<&Equation> = eqs
        .iter()
        .filter(|e| e.cells().all(|c| u.cells.contains(c)))
        .collect();
    let mut kept = keep(u, &inner, &u.cands.clone());
    if kept.is_empty() && !u.fallback.is_empty() {
        let fallback = std::mem::take(&mut u.fallback);
        kept = keep(u, &inner, &fallback);
    }
    kept.sort();
    kept.dedup();
    if kept.is_empty() {
        u.inconsistent = true;
    } else {
        u.cands = kept;
    }
}

/// The readings the rules within a unit allow, with a lacking cell an equation determines
/// filled in.
fn keep(u: &mut Unit, inner: &[&Equation], cands: &[Vec<Val>]) -> Vec<Vec<Val>> {
    let cells = u.cells.clone();
    let pos = |c: &CellId| cells.iter().position(|x| x == c);
    let mut kept = Vec::new();
    for cand in cands {
        let mut cand = cand.clone();
        let mut changed = true;
        while changed {
            changed = false;
            for e in inner {
                let missing: Vec<usize> = e
                    .cells()
                    .filter_map(pos)
                    .filter(|p| cand[*p] == Val::Missing)
                    .collect();
                let [m] = missing[..] else { continue };
                let known = |cells: &[CellId]| -> Option<i128> {
                    cells
                        .iter()
                        .filter_map(pos)
                        .filter(|p| *p != m)
                        .map(|p| cand[p].count().map(i128::from))
                        .sum()
                };
                let (Some(l), Some(r)) = (known(&e.lhs), known(&e.rhs)) else {
                    continue;
                };
                let on_left = e.lhs.iter().filter_map(pos).any(|p| p == m);
                let v = if on_left { r - l } else { l - r };
                if v >= 0 {
                    cand[m] = Val::Known(v.to_string());
                    changed = true;
                    u.settled = true;
                }
            }
        }
        for &p in &u.blanks {
            if cand[p] == Val::Missing {
                cand[p] = Val::Known("0".into());
            }
        }
        let ok = inner
            .iter()
            .all(|e| holds(e, &|c| pos(&c).and_then(|p| cand[p].count())).unwrap_or(true));
        if ok {
            kept.push(cand);
        }
    }
    kept
}

/// Figures read a cell a line are a row's only by their order: one out of place puts
/// every figure after it into the wrong row. A rule they break is no published mistake
/// to keep, so every such unit in it is marked.
fn doubt(units: &mut [Unit], eqs: &[Equation]) {
    let owner: BTreeMap<CellId, (usize, usize)> = units
        .iter()
        .enumerate()
        .flat_map(|(ui, u)| u.cells.iter().enumerate().map(move |(p, c)| (*c, (ui, p))))
        .collect();
    let value = |c: CellId| -> Option<u64> {
        let (u, p) = owner.get(&c)?;
        match &units[*u].cands[..] {
            [one] => one[*p].count(),
            _ => None,
        }
    };
    let mut doubtful = BTreeSet::new();
    for e in eqs {
        if holds(e, &value) == Some(false) {
            doubtful.extend(
                e.cells()
                    .filter_map(|c| owner.get(c).map(|o| o.0))
                    .filter(|u| units[*u].spread),
            );
        }
    }
    for u in doubtful {
        units[u].doubtful = true;
    }
}

/// 表二's rows left with several readings (`693665`: 本年制发, 本年废止 and 现行有效 run
/// together, and no sum in the table to split them): last year's 现行有效件数 keeps the
/// readings with 现行有效(去年) + 本年制发 − 本年废止 = 现行有效(今年), and the editor is
/// told so. Where no reading or several agree with it, the cells stay marked.
fn last_year(key: &str, def: &TableDef, cat: &Catalog, units: &mut [Unit], out: &mut Imported) {
    let Some(prior) = out.prior.clone() else {
        return;
    };
    if key != "active_disclosure" {
        return;
    }
    for u in units
        .iter_mut()
        .filter(|u| u.cands.len() > 1 && !u.inconsistent)
    {
        let Some(&(leaf, _)) = u.cells.first() else {
            continue;
        };
        if u.cells.iter().any(|(i, _)| *i != leaf) {
            continue;
        }
        let row = &cat.leaves[leaf];
        let Some(&before) = prior.in_force.get(row.key) else {
            continue;
        };
        let cols = def.blocks[row.block].columns;
        let at = |k: &str| cols.iter().position(|c| c.key == k);
        let (Some(issued), Some(repealed), Some(in_force)) =
            (at("issued"), at("repealed"), at("in_force"))
        else {
            continue;
        };
        let fits = |c: &Vec<Val>| -> bool {
            let n = |p: usize| c[p].count().map(i128::from);
            matches!((n(issued), n(repealed), n(in_force)), (Some(a), Some(b), Some(v)) if i128::from(before) + a - b == v)
        };
        let kept: Vec<Vec<Val>> = u.cands.iter().filter(|c| fits(c)).cloned().collect();
        let label = row.term.core.clone();
        match &kept[..] {
            [one] => {
                let shown = |p: usize| one[p].count().unwrap_or(0);
                out.notes.push(format!(
                    "表二“{label}”一行的数字在原文中连在一起（{}“{}”），按 {} 年报告的现行有效件数 {before} 读作本年制发 {}、本年废止 {}、现行有效 {}（{before}＋{}－{}＝{}）；请核对。",
                    u.loc,
                    u.raw,
                    prior.year,
                    shown(issued),
                    shown(repealed),
                    shown(in_force),
                    shown(issued),
                    shown(repealed),
                    shown(in_force),
                ));
                u.cands = kept;
                u.settled = true;
            }
            [] => out.notes.push(format!(
                "表二“{label}”一行的数字在原文中连在一起（{}“{}”），没有一种读法与 {} 年报告的现行有效件数 {before} 相接，仍标为待核对。",
                u.loc, u.raw, prior.year
            )),
            _ => {}
        }
    }
}

/// The cells in a rule that holds with every one of its figures settled.
fn confirmed(units: &[Unit], eqs: &[Equation]) -> BTreeSet<CellId> {
    let owner: BTreeMap<CellId, (usize, usize)> = units
        .iter()
        .enumerate()
        .flat_map(|(ui, u)| u.cells.iter().enumerate().map(move |(p, c)| (*c, (ui, p))))
        .collect();
    let value = |c: CellId| -> Option<u64> {
        let (u, p) = owner.get(&c)?;
        match &units[*u].cands[..] {
            [one] if !units[*u].doubtful => one[*p].count(),
            _ => None,
        }
    };
    eqs.iter()
        .filter(|e| holds(e, &value) == Some(true))
        .flat_map(|e| e.cells().copied())
        .collect()
}

/// Chooses among the readings of units left with several, by the rules that join them to
/// the rest of the table: keeps the readings some full solution uses.
fn search(units: &mut [Unit], eqs: &[Equation], budget: &mut SearchBudget) {
    let multi: Vec<usize> = (0..units.len())
        .filter(|&i| units[i].cands.len() > 1 && !units[i].inconsistent)
        .collect();
    if multi.is_empty() {
        return;
    }
    let owner: BTreeMap<CellId, (usize, usize)> = units
        .iter()
        .enumerate()
        .flat_map(|(ui, u)| u.cells.iter().enumerate().map(move |(p, c)| (*c, (ui, p))))
        .collect();
    // Each equation that involves a unit with several readings, checked once the last
    // such unit (in search order) has a reading; its cells as (unit, position).
    let mut at_depth: Vec<Vec<Placed>> = (0..multi.len()).map(|_| Vec::new()).collect();
    for e in eqs {
        if !e.cells().all(|c| owner.contains_key(c)) {
            continue;
        }
        let depth = e
            .cells()
            .filter_map(|c| multi.iter().position(|m| *m == owner[c].0))
            .max();
        if let Some(d) = depth {
            let place = |cells: &[CellId]| cells.iter().map(|c| owner[c]).collect();
            at_depth[d].push(Placed {
                lhs: place(&e.lhs),
                rhs: place(&e.rhs),
            });
        }
    }
    // The figures of every reading, read once.
    let counts: Vec<Vec<Vec<Option<u64>>>> = units
        .iter()
        .map(|u| {
            u.cands
                .iter()
                .map(|c| c.iter().map(Val::count).collect())
                .collect()
        })
        .collect();
    // Units with one reading, or whose readings the rules do not choose among: a cell is
    // known where all their readings agree.
    let fixed: Vec<Vec<Option<u64>>> = units
        .iter()
        .zip(&counts)
        .map(|(u, cands)| {
            (0..u.cells.len())
                .map(|p| {
                    if u.inconsistent {
                        return None;
                    }
                    let first = cands[0][p];
                    cands
                        .iter()
                        .all(|c| c[p] == first)
                        .then_some(first)
                        .flatten()
                })
                .collect()
        })
        .collect();
    let mut st = Search {
        multi: &multi,
        counts: &counts,
        fixed: &fixed,
        at_depth: &at_depth,
        choice: vec![usize::MAX; units.len()],
        used: vec![BTreeSet::new(); multi.len()],
        budget: budget.0,
        solutions: 0,
    };
    st.go(0);
    let (left, solutions, used) = (st.budget, st.solutions, st.used);
    budget.0 = left;
    if left == 0 || solutions == 0 {
        return;
    }
    for (k, &m) in multi.iter().enumerate() {
        let keep: Vec<Vec<Val>> = used[k]
            .iter()
            .map(|&ci| units[m].cands[ci].clone())
            .collect();
        units[m].cands = keep;
    }
}

/// How many readings the search may try in one import, all tables together, before it
/// gives up and leaves the cells it has not settled marked 待核对: a few milliseconds.
/// One bound for the whole file, counted per reading tried (a unit of run-together digits
/// can have thousands): pages found by fuzzing spent 0.6 s with a bound per table and
/// 0.2 s with one counted per unit. Of the 21 real reports of the tests, 19 settle within
/// 27 readings; the two trial-format ones of 2019 and 2020 use any bound up and import to
/// the same figures with 20,000 as with 2,000,000.
pub struct SearchBudget(u64);

impl SearchBudget {
    pub fn for_import() -> Self {
        SearchBudget(50_000)
    }
}

/// An equation of the rules with its cells as (unit, position in the unit).
struct Placed {
    lhs: Vec<(usize, usize)>,
    rhs: Vec<(usize, usize)>,
}

/// The state of the search for readings that satisfy every rule together.
struct Search<'a> {
    multi: &'a [usize],
    /// Per unit, per reading, its figures.
    counts: &'a [Vec<Vec<Option<u64>>>],
    fixed: &'a [Vec<Option<u64>>],
    at_depth: &'a [Vec<Placed>],
    choice: Vec<usize>,
    /// Per unit with several readings: the readings some solution uses.
    used: Vec<BTreeSet<usize>>,
    budget: u64,
    solutions: u64,
}

impl Search<'_> {
    fn go(&mut self, d: usize) {
        if d == self.multi.len() {
            self.solutions += 1;
            for (k, m) in self.multi.iter().enumerate() {
                self.used[k].insert(self.choice[*m]);
            }
            return;
        }
        let ui = self.multi[d];
        for ci in 0..self.counts[ui].len() {
            // Each reading tried is a step: a unit may have thousands of readings.
            if self.budget == 0 {
                return;
            }
            self.budget -= 1;
            self.choice[ui] = ci;
            let ok = {
                let value = |&(u, p): &(usize, usize)| match self.choice[u] {
                    usize::MAX => self.fixed[u][p],
                    ci => self.counts[u][ci][p],
                };
                let sum = |cells: &[(usize, usize)]| {
                    cells.iter().try_fold(0u64, |a, c| a.checked_add(value(c)?))
                };
                self.at_depth[d]
                    .iter()
                    .all(|e| match (sum(&e.lhs), sum(&e.rhs)) {
                        (Some(l), Some(r)) => l == r,
                        _ => true,
                    })
            };
            if ok {
                self.go(d + 1);
            }
        }
    }
}

/// The figures of a unit: a value where every reading left agrees, else marked.
fn emit(
    u: &Unit,
    kind_of: &dyn Fn(CellId) -> CellKind,
    values: &mut BTreeMap<CellId, Figure>,
    out: &mut Imported,
) {
    for (p, cell) in u.cells.iter().enumerate() {
        let seen: BTreeSet<&Val> = u.cands.iter().map(|c| &c[p]).collect();
        if u.doubtful {
            values.insert(
                *cell,
                Figure::Unsure {
                    text: u.raw.clone(),
                    loc: u.loc,
                    note:
                        "这一行的数字是按原文的位置或顺序放入各格的，与勾稽关系不符，可能错行或错列"
                            .into(),
                },
            );
            continue;
        }
        let fig = match seen.iter().collect::<Vec<_>>()[..] {
            [Val::Known(v)] if !fits(v, kind_of(*cell)) => Figure::Unsure {
                text: v.clone(),
                loc: u.loc,
                note: "不是这一列应有的数".into(),
            },
            [Val::Known(v)] => {
                if u.settled {
                    out.settled += 1;
                }
                let v = match kind_of(*cell) {
                    CellKind::Amount => v.strip_suffix("万元").unwrap_or(v),
                    _ => v,
                };
                Figure::Value(v.to_string())
            }
            [Val::Bad(t)] => Figure::Unsure {
                text: t.clone(),
                loc: u.loc,
                note: "不是数字".into(),
            },
            [Val::Missing] => Figure::Unsure {
                text: u.raw.clone(),
                loc: u.loc,
                note: "原文缺少这一格".into(),
            },
            _ => {
                let options: Vec<String> = seen
                    .iter()
                    .map(|v| match v {
                        Val::Known(s) => s.clone(),
                        _ => "空".into(),
                    })
                    .collect();
                let why = if u.inconsistent {
                    "，没有一种读法符合勾稽关系"
                } else {
                    ""
                };
                Figure::Unsure {
                    text: u.raw.clone(),
                    loc: u.loc,
                    note: format!("可能是 {}{why}", options.join(" 或 ")),
                }
            }
        };
        values.insert(*cell, fig);
    }
}

/// A group printed as one row (`（六）其他处理` with no sub-rows): a sub-row is 0 where the
/// group's figure is 0, and marked where it is not.
fn groups(
    read: &TableRead,
    cat: &Catalog,
    width: &dyn Fn(usize) -> usize,
    values: &mut BTreeMap<CellId, Figure>,
    out: &mut Imported,
) {
    for (&g, (loc, figs)) in &read.groups {
        let group = &cat.groups[g];
        if group.leaves.iter().any(|i| read.rows.contains_key(i)) {
            continue;
        }
        for &i in &group.leaves {
            for c in 0..width(i) {
                let scan = matches!(loc, Loc::Scan { .. });
                let fig = match figs.get(c) {
                    Some(Fig::Num { text, .. }) if text == "0" && !scan => {
                        out.settled += 1;
                        Figure::Value("0".into())
                    }
                    Some(Fig::Empty(..)) if !scan => {
                        out.settled += 1;
                        Figure::Value("0".into())
                    }
                    other => Figure::Unsure {
                        text: match other {
                            Some(Fig::Num { text, .. } | Fig::Bad(text, _)) => text.clone(),
                            _ => String::new(),
                        },
                        loc: *loc,
                        note: "原文只有这一组的合计，没有分项".into(),
                    },
                };
                values.insert((i, c), fig);
            }
        }
    }
}

/// A group printed as one row, rebuilt from the order of its figures: its figure stands in
/// its first row's cells. Each of its rows is 0 where the group's figure is 0, and marked
/// where it is not or is not settled.
fn one_row(leaves: &[usize], width: usize, at: Loc, values: &mut BTreeMap<CellId, Figure>) {
    for c in 0..width {
        let (text, loc) = match values.get(&(leaves[0], c)) {
            Some(Figure::Value(v)) if v == "0" => continue,
            Some(Figure::Value(v)) => (v.clone(), at),
            Some(Figure::Unsure { text, loc, .. }) => (text.clone(), *loc),
            None => continue,
        };
        for &i in leaves {
            values.insert(
                (i, c),
                Figure::Unsure {
                    text: text.clone(),
                    loc,
                    note: "原文只有这一组的合计，没有分项".into(),
                },
            );
        }
    }
}
