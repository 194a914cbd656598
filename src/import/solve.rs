//! Settles a table's figures with the template's own arithmetic. Each row read gives one
//! or more readings: one when its cells were set apart, every split of the digits when
//! they ran together (`81010010` into seven cells), every place for a cell the input
//! lacks. The rules of the table (row totals, column totals, 一＋二＝（七）＋四) keep the
//! readings they allow; a figure is taken when every reading left agrees on it, and marked
//! `待核对` with the possibilities otherwise. Nothing is guessed.

use std::collections::{BTreeMap, BTreeSet};

use super::table::{Catalog, Fig, TableRead};
use super::{Figure, Imported, Loc};
use crate::report::schema::{ReportType, RuleKind, TableDef};

/// A cell of the table: `(leaf index, column)`.
type CellId = (usize, usize);

/// A figure read as a number, or `None`: `—`, `-`, `/`, `无` read as 0.
pub fn number(s: &str) -> Option<String> {
    let f = crate::text::fold_str(s.trim()).replace([' ', ','], "");
    if matches!(f.as_str(), "—" | "-" | "–" | "－" | "——" | "/" | "无" | "─") {
        return Some("0".into());
    }
    let digits = f.strip_prefix('+').unwrap_or(&f);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let ok = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
    ok.then(|| digits.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Val {
    Known(String),
    /// A cell the input does not have.
    Missing,
    /// Not a number.
    Bad(String),
}

impl Val {
    fn count(&self) -> Option<u64> {
        match self {
            Val::Known(s) => s.parse().ok(),
            _ => None,
        }
    }
}

/// The cells one read covers (a row, or every row of a table printed without labels) and
/// its readings.
struct Unit {
    cells: Vec<CellId>,
    cands: Vec<Vec<Val>>,
    /// More than one reading before the rules, or a cell filled in by a rule.
    settled: bool,
    /// No reading satisfies the rules within the unit: the rules do not choose for it.
    inconsistent: bool,
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
    out: &mut Imported,
) {
    let width = |i: usize| def.blocks[cat.leaves[i].block].columns.len();
    let eqs = equations(kind, key, def, cat);
    let mut units: Vec<Unit> = Vec::new();
    for (&i, (loc, figs)) in &read.rows {
        let cells: Vec<CellId> = (0..width(i)).map(|c| (i, c)).collect();
        units.push(unit(cells, figs, *loc, &read.total_first, cat));
    }
    loose_unit(&read, cat, &width, &mut units, out);
    for u in &mut units {
        filter(u, &eqs);
    }
    search(&mut units, &eqs);
    let mut values: BTreeMap<CellId, Figure> = BTreeMap::new();
    for u in &units {
        emit(u, &mut values, out);
    }
    groups(&read, cat, &width, &mut values, out);
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
    let joined = matches!(&read.loose[..], [Fig::Num { joined: true, .. }]);
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
    units.push(unit(cells, &read.loose, loc, &read.total_first, cat));
}

fn unit(cells: Vec<CellId>, figs: &[Fig], loc: Loc, total_first: &[bool], cat: &Catalog) -> Unit {
    let n = cells.len();
    let raw: Vec<String> = figs
        .iter()
        .map(|f| match f {
            Fig::Num { text, .. } => text.clone(),
            Fig::Empty(_) => "（空白）".into(),
            Fig::Bad(t, _) => t.clone(),
        })
        .collect();
    let vals: Vec<Val> = figs
        .iter()
        .map(|f| match f {
            Fig::Num { text, .. } => Val::Known(text.clone()),
            Fig::Empty(_) => Val::Known("0".into()),
            Fig::Bad(t, _) => Val::Bad(t.clone()),
        })
        .collect();
    let mut cands = match figs {
        [
            Fig::Num {
                text, joined: true, ..
            },
        ] if n > 1 && text.chars().all(|c| c.is_ascii_digit()) => splits(text, n),
        _ if vals.len() == n => vec![vals],
        _ if vals.len() < n => insert_missing(&vals, n),
        _ => drop_extra(&vals, n),
    };
    // 总计 printed first: back to the template's order, row by row.
    for cand in &mut cands {
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
    cands.sort();
    cands.dedup();
    if cands.is_empty() {
        cands.push(vec![Val::Missing; n]);
    }
    Unit {
        cells,
        settled: cands.len() > 1,
        cands,
        inconsistent: false,
        loc,
        raw: raw.join(" "),
    }
}

/// Every way to cut a run of digits into `n` figures (no figure but 0 starts with 0).
fn splits(digits: &str, n: usize) -> Vec<Vec<Val>> {
    fn go(rest: &str, n: usize, cur: &mut Vec<Val>, out: &mut Vec<Vec<Val>>) {
        if out.len() > 20_000 {
            return;
        }
        if n == 0 {
            if rest.is_empty() {
                out.push(cur.clone());
            }
            return;
        }
        if rest.len() < n {
            return;
        }
        let max = if rest.starts_with('0') {
            1
        } else {
            (rest.len() - (n - 1)).min(9)
        };
        for k in 1..=max {
            cur.push(Val::Known(rest[..k].to_string()));
            go(&rest[k..], n - 1, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    go(digits, n, &mut Vec::new(), &mut out);
    out
}

/// Every place for the cells the input lacks.
fn insert_missing(vals: &[Val], n: usize) -> Vec<Vec<Val>> {
    let mut out = Vec::new();
    let k = n - vals.len();
    for places in combinations(n, k) {
        let mut it = vals.iter();
        let v = (0..n)
            .map(|p| {
                if places.contains(&p) {
                    Val::Missing
                } else {
                    it.next().cloned().unwrap_or(Val::Missing)
                }
            })
            .collect();
        out.push(v);
    }
    out
}

/// Every choice of `n` of more figures than cells (a page number caught among them).
fn drop_extra(vals: &[Val], n: usize) -> Vec<Vec<Val>> {
    combinations(vals.len(), vals.len() - n)
        .into_iter()
        .map(|drop| {
            vals.iter()
                .enumerate()
                .filter(|(i, _)| !drop.contains(i))
                .map(|(_, v)| v.clone())
                .collect()
        })
        .collect()
}

/// The `k`-element subsets of `0..n` (few: a row has at most 15 cells; capped).
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    fn go(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        if out.len() > 5_000 {
            return;
        }
        for i in start..n {
            cur.push(i);
            go(i + 1, n, k, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    if k <= n {
        go(0, n, k, &mut Vec::new(), &mut out);
    }
    out
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
    let pos = |c: &CellId| u.cells.iter().position(|x| x == c);
    let mut kept = Vec::new();
    for cand in &u.cands {
        let mut cand = cand.clone();
        let mut changed = true;
        while changed {
            changed = false;
            for e in &inner {
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
        let ok = inner
            .iter()
            .all(|e| holds(e, &|c| pos(&c).and_then(|p| cand[p].count())).unwrap_or(true));
        if ok {
            kept.push(cand);
        }
    }
    kept.sort();
    kept.dedup();
    if kept.is_empty() {
        u.inconsistent = true;
    } else {
        u.cands = kept;
    }
}

/// Chooses among the readings of units left with several, by the rules that join them to
/// the rest of the table: keeps the readings some full solution uses.
fn search(units: &mut [Unit], eqs: &[Equation]) {
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
    // such unit (in search order) has a reading.
    let mut at_depth: Vec<Vec<&Equation>> = vec![Vec::new(); multi.len()];
    for e in eqs {
        if !e.cells().all(|c| owner.contains_key(c)) {
            continue;
        }
        let depth = e
            .cells()
            .filter_map(|c| multi.iter().position(|m| *m == owner[c].0))
            .max();
        if let Some(d) = depth {
            at_depth[d].push(e);
        }
    }
    // Units with one reading, or whose readings the rules do not choose among: a cell is
    // known where all their readings agree.
    let fixed: Vec<Vec<Option<u64>>> = units
        .iter()
        .map(|u| {
            (0..u.cells.len())
                .map(|p| {
                    if u.inconsistent {
                        return None;
                    }
                    let first = u.cands[0][p].count();
                    u.cands
                        .iter()
                        .all(|c| c[p].count() == first)
                        .then_some(first)
                        .flatten()
                })
                .collect()
        })
        .collect();
    let mut st = Search {
        multi: &multi,
        units,
        fixed: &fixed,
        owner: &owner,
        at_depth: &at_depth,
        choice: vec![usize::MAX; units.len()],
        used: vec![BTreeSet::new(); multi.len()],
        budget: 2_000_000,
        solutions: 0,
    };
    st.go(0);
    let (budget, solutions, used) = (st.budget, st.solutions, st.used);
    if budget == 0 || solutions == 0 {
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

/// The state of the search for readings that satisfy every rule together.
struct Search<'a> {
    multi: &'a [usize],
    units: &'a [Unit],
    fixed: &'a [Vec<Option<u64>>],
    owner: &'a BTreeMap<CellId, (usize, usize)>,
    at_depth: &'a [Vec<&'a Equation>],
    choice: Vec<usize>,
    /// Per unit with several readings: the readings some solution uses.
    used: Vec<BTreeSet<usize>>,
    budget: u64,
    solutions: u64,
}

impl Search<'_> {
    fn go(&mut self, d: usize) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        if d == self.multi.len() {
            self.solutions += 1;
            for (k, m) in self.multi.iter().enumerate() {
                self.used[k].insert(self.choice[*m]);
            }
            return;
        }
        let ui = self.multi[d];
        for ci in 0..self.units[ui].cands.len() {
            self.choice[ui] = ci;
            let ok = {
                let value = |c: CellId| {
                    let (u, p) = self.owner[&c];
                    match self.choice[u] {
                        usize::MAX => self.fixed[u][p],
                        ci => self.units[u].cands[ci][p].count(),
                    }
                };
                self.at_depth[d]
                    .iter()
                    .all(|e| holds(e, &value).unwrap_or(true))
            };
            if ok {
                self.go(d + 1);
            }
        }
    }
}

/// The figures of a unit: a value where every reading left agrees, else marked.
fn emit(u: &Unit, values: &mut BTreeMap<CellId, Figure>, out: &mut Imported) {
    for (p, cell) in u.cells.iter().enumerate() {
        let seen: BTreeSet<&Val> = u.cands.iter().map(|c| &c[p]).collect();
        let fig = match seen.iter().collect::<Vec<_>>()[..] {
            [Val::Known(v)] => {
                if u.settled {
                    out.settled += 1;
                }
                Figure::Value(v.clone())
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
                let fig = match figs.get(c) {
                    Some(Fig::Num { text, .. }) if text == "0" => {
                        out.settled += 1;
                        Figure::Value("0".into())
                    }
                    Some(Fig::Empty(_)) => {
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
