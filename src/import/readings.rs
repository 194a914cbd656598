//! Every way a row's figures may be read: a number as printed (a sign, a unit, `—` for
//! zero), runs of digits that ran together cut into cells, cells the capture lost placed,
//! figures too many dropped, rows printed a cell a line column by column. Settling keeps
//! the readings the rules allow.

use std::collections::BTreeSet;

use super::figures::{Fig, Val};
use crate::model::report::schema::CellKind;

/// A figure read as a number, or `None`: `—`, `-`, `/`, `无` read as 0; a sign (a change
/// from last year) and the unit of a sum of money (`元`, `万元`) are kept.
pub(super) fn number(s: &str) -> Option<String> {
    let f = crate::ground::text::fold_str(s.trim()).replace([' ', ','], "");
    if matches!(f.as_str(), "—" | "-" | "–" | "－" | "——" | "/" | "无" | "─") {
        return Some("0".into());
    }
    let (minus, unsigned) = match f.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, f.strip_prefix('+').unwrap_or(&f)),
    };
    let (digits, unit) = match unsigned.strip_suffix("万元") {
        Some(d) => (d, "万元"),
        None => match unsigned.strip_suffix('元') {
            Some(d) => (d, "元"),
            None => (unsigned, ""),
        },
    };
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let ok = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
        && !(minus && (frac.is_some() || !unit.is_empty()));
    ok.then(|| format!("{}{digits}{unit}", if minus { "-" } else { "" }))
}

/// Whether a figure as read fits a column: a whole number, a change, a decimal in the
/// column's 万元, or a sum with its unit.
pub(super) fn fits(value: &str, kind: CellKind) -> bool {
    let whole = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let decimal = |s: &str| {
        let mut p = s.splitn(2, '.');
        whole(p.next().unwrap_or("")) && p.next().is_none_or(whole)
    };
    match kind {
        CellKind::Count => whole(value),
        CellKind::Change => whole(value.strip_prefix('-').unwrap_or(value)),
        CellKind::Amount => decimal(value.strip_suffix("万元").unwrap_or(value)),
        CellKind::Money => decimal(
            value
                .strip_suffix("万元")
                .or_else(|| value.strip_suffix('元'))
                .unwrap_or(value),
        ),
    }
}

/// The most readings listed for one unit. A list cut short would make figures look
/// settled that other readings leave open, so past it a unit has no reading at all and
/// every cell of it is marked.
const MOST: usize = 20_000;

/// Every way to cut a run of digits into `n` figures (no figure but 0 starts with 0);
/// empty when there are more than [`MOST`].
pub(super) fn splits(digits: &str, n: usize) -> Vec<Vec<Val>> {
    listed_splits(digits, n).unwrap_or_default()
}

/// Every way to cut a run of digits into `n` figures, or `None` when there are more than
/// [`MOST`].
fn listed_splits(digits: &str, n: usize) -> Option<Vec<Vec<Val>>> {
    fn go(rest: &str, n: usize, cur: &mut Vec<Val>, out: &mut Vec<Vec<Val>>) {
        if out.len() > MOST {
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
    (out.len() <= MOST).then_some(out)
}

/// The readings listed, or none when the list was cut short.
fn complete<T>(v: Vec<T>) -> Vec<T> {
    if v.len() > MOST { Vec::new() } else { v }
}

/// The figures of a row as runs of digits (a sign in front kept), when every figure is
/// one: several runs that may each hold several cells (`200 000121` for seven).
pub(super) fn runs(figs: &[Fig]) -> Option<Vec<&str>> {
    let runs: Option<Vec<&str>> = figs
        .iter()
        .map(|f| match f {
            Fig::Num { text, .. }
                if text
                    .strip_prefix('-')
                    .unwrap_or(text)
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
            {
                Some(text.as_str())
            }
            _ => None,
        })
        .collect();
    runs.filter(|r| r.len() > 1 && r.iter().any(|t| t.trim_start_matches('-').len() > 1))
}

/// Every way to cut several runs of digits into `n` figures in all, each run into one or
/// more (a run's sign goes with its first figure); empty when there are more than [`MOST`].
pub(super) fn run_splits(runs: &[&str], n: usize) -> Vec<Vec<Val>> {
    fn go(runs: &[&str], n: usize, cur: &mut Vec<Val>, out: &mut Vec<Vec<Val>>) {
        if out.len() > MOST {
            return;
        }
        let Some((first, rest)) = runs.split_first() else {
            if n == 0 {
                out.push(cur.clone());
            }
            return;
        };
        let (sign, digits) = match first.strip_prefix('-') {
            Some(d) => ("-", d),
            None => ("", *first),
        };
        let most = digits.len().min(n.saturating_sub(rest.len()));
        for k in 1..=most {
            let Some(pieces) = listed_splits(digits, k) else {
                // Too many ways to cut this run: the whole list would be cut short.
                out.extend(std::iter::repeat_n(Vec::new(), MOST + 1));
                return;
            };
            for mut piece in pieces {
                if let Some(Val::Known(v)) = piece.first_mut() {
                    *v = format!("{sign}{v}");
                }
                let len = cur.len();
                cur.extend(piece);
                go(rest, n - k, cur, out);
                cur.truncate(len);
            }
        }
    }
    let mut out = Vec::new();
    go(runs, n, &mut Vec::new(), &mut out);
    complete(out)
}

/// Every reading of `rows` rows of `width` cells printed a cell a line, block by block, as
/// a reader that takes a table's blocks in turn prints them: each row alone, or a block of
/// rows column by column. `holds(row, cells)` tells the rows a reading may give (the rules
/// within a row). Distinct readings only; none when there are more than [`MOST`].
pub(super) fn blocks(
    vals: &[Val],
    rows: usize,
    width: usize,
    holds: &dyn Fn(usize, &[Val]) -> bool,
) -> Vec<Vec<Val>> {
    if vals.len() != rows * width {
        return Vec::new();
    }
    // The readings of rows `k..rows`, from the last row up.
    let mut tails: Vec<BTreeSet<Vec<Val>>> = vec![BTreeSet::new(); rows + 1];
    tails[rows].insert(Vec::new());
    for k in (0..rows).rev() {
        let mut here = BTreeSet::new();
        for m in 1..=rows - k {
            let at = |r: usize, c: usize| &vals[k * width + if m == 1 { c } else { c * m + r }];
            let block: Vec<Val> = (0..m)
                .flat_map(|r| (0..width).map(move |c| (r, c)))
                .map(|(r, c)| at(r, c).clone())
                .collect();
            if !(0..m).all(|r| holds(k + r, &block[r * width..(r + 1) * width])) {
                continue;
            }
            for tail in &tails[k + m] {
                here.insert([block.as_slice(), tail].concat());
                if here.len() > MOST {
                    return Vec::new();
                }
            }
        }
        tails[k] = here;
    }
    tails.swap_remove(0).into_iter().collect()
}

/// Every place for the cells the input lacks (none when there are too many places).
pub(super) fn insert_missing(vals: &[Val], n: usize) -> Vec<Vec<Val>> {
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

/// Every choice of `n` of more figures than cells (a page number caught among them);
/// none when there are too many choices.
pub(super) fn drop_extra(vals: &[Val], n: usize) -> Vec<Vec<Val>> {
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

/// The `k`-element subsets of `0..n` (few: a row has at most 15 cells); none when there
/// are more than [`MOST`].
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    fn go(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        if out.len() > MOST {
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
    complete(out)
}
