//! Blank cells of a table as a page draws it: a PDF (or text laid out in columns) prints
//! nothing where a table pasted from a web page left a cell empty, so a row of
//! `18 … 18` with the five 法人 columns blank would read as two figures. The figures of
//! the rows around give the table's columns; a row's figures are placed in them and the
//! columns it leaves empty become blank cells (0 in the report, as an empty cell of a web
//! page or a Word table is). A numbered row with no figure at all is a row of blanks.
//! Where the columns are not clear, nothing is added: the figures are read as before.

use super::{Cell, readings};

/// A line of a page as placed: its size and its runs `(x0, x1, text)` left to right.
pub(super) struct Placed<'a> {
    pub size: f64,
    pub runs: Vec<(f64, f64, &'a str)>,
}

/// A line's cells placed in the columns: `Some(run)` for one of its runs, `None` for a
/// blank cell.
type Filled = Option<Vec<Option<usize>>>;

/// The blank cells of every table on a page: per line, when the columns say so, its cells
/// again. `carried`: the columns of a table that ran to the foot of the page before, for
/// its rows at the top of this one (which has no header to give them); on return, those
/// of a table that runs to the foot of this page.
pub(super) fn blanks(lines: &[Placed], carried: &mut Option<Vec<f64>>) -> Vec<Option<Vec<Cell>>> {
    let mut out: Vec<Option<Vec<Cell>>> = vec![None; lines.len()];
    let mut start = 0;
    let mut last = None;
    for i in 0..=lines.len() {
        if i == lines.len() || prose(&lines[i]) {
            let before = if start == 0 { carried.take() } else { None };
            last = segment(lines, start, i, before, &mut out);
            start = i + 1;
        }
    }
    *carried = last.filter(|_| lines.last().is_some_and(|l| !prose(l)));
    out
}

fn is_figure(t: &str) -> bool {
    readings::number(t).is_some()
}

/// Running text or a heading ends a table.
fn prose(l: &Placed) -> bool {
    match l.runs[..] {
        [(_, _, t)] => {
            t.chars().count() >= 30 && t.contains(['。', '，', '；'])
                || t.ends_with('。')
                || super::read::NUMBERS
                    .iter()
                    .any(|n| t.starts_with(&format!("{n}、")) && t.contains("情况"))
        }
        _ => false,
    }
}

/// The widths of the tables whose blank cells are filled: 表三 (7 columns) and 表四 as one
/// row (15). Narrower tables print every figure, and a column the rows leave blank
/// throughout must be found by its header, so a width that is not one of these means
/// that some column was missed.
const WIDTHS: [usize; 2] = [7, 15];

/// The lines `from..to` of one table: its columns from the middles of its figures and of
/// the column headers above them (else those `carried` from the page before), then each
/// line's cells placed in them. Returns the columns used.
fn segment(
    lines: &[Placed],
    from: usize,
    to: usize,
    carried: Option<Vec<f64>>,
    out: &mut [Option<Vec<Cell>>],
) -> Option<Vec<f64>> {
    let rows = &lines[from..to];
    let figure_runs = || {
        rows.iter()
            .flat_map(|l| l.runs.iter())
            .filter(|r| is_figure(r.2))
    };
    let left = figure_runs().map(|r| r.0).min_by(f64::total_cmp)?;
    let size = rows.iter().map(|l| l.size).fold(0.0, f64::max);
    let first = rows
        .iter()
        .position(|l| l.runs.iter().any(|r| is_figure(r.2)))
        .unwrap_or(0);
    // Column headers: labels above the first row of figures, right of the row labels,
    // but not those spread over several columns (`法人或其他组织`, `行政诉讼`).
    let above: Vec<&(f64, f64, &str)> = rows[..first]
        .iter()
        .flat_map(|l| l.runs.iter())
        .filter(|r| r.0 >= left - size)
        .collect();
    let middle = |r: &(f64, f64, &str)| (r.0 + r.1) / 2.0;
    let headers = above.iter().copied().filter(|h| {
        above
            .iter()
            .copied()
            .chain(figure_runs())
            .filter(|o| o.1 - o.0 < h.1 - h.0 && h.0 < middle(o) && middle(o) < h.1)
            .map(middle)
            .fold(Vec::<f64>::new(), |mut v, m| {
                if v.iter().all(|x| (x - m).abs() > size) {
                    v.push(m);
                }
                v
            })
            .len()
            < 2
    });
    let mut middles: Vec<f64> = figure_runs().chain(headers).map(middle).collect();
    middles.sort_by(f64::total_cmp);
    let mut columns: Vec<Vec<f64>> = Vec::new();
    for m in middles {
        match columns.last_mut() {
            Some(c) if m - c[c.len() - 1] <= size * 1.2 => c.push(m),
            _ => columns.push(vec![m]),
        }
    }
    let own: Vec<f64> = columns
        .iter()
        .map(|c| c.iter().sum::<f64>() / c.len() as f64)
        .collect();
    // A table's own columns, else those of its part on the page before: then its
    // first lines are rows too, not a header.
    let (columns, first) = if WIDTHS.contains(&own.len()) {
        (own, first)
    } else if let Some(heads) = header_starts(rows[..first].iter().flat_map(|l| &l.runs), size) {
        for (k, l) in rows.iter().enumerate().skip(first) {
            out[from + k] = open(l, &heads, size);
        }
        return None;
    } else {
        (shifted(carried?, &own, size), 0)
    };
    let mut placed = Vec::new();
    for (k, l) in rows.iter().enumerate().skip(first) {
        placed.push((from + k, place(l, &rows[k + 1..], &columns, size)?));
    }
    for (i, filled) in placed {
        out[i] = filled.map(|cells| cells_of(&lines[i], &cells));
    }
    Some(columns)
}

/// A line's cells from its runs placed in the columns.
fn cells_of(l: &Placed, placed: &[Option<usize>]) -> Vec<Cell> {
    placed
        .iter()
        .map(|c| c.map_or(Cell::Blank, |k| Cell::Text(l.runs[k].2.to_string())))
        .collect()
}

/// The columns of a table from the left edges of its column headers alone, for text laid
/// out in columns whose figures the converter has set apart from their headers (each
/// block of text pushed right by the text to its left): the headers above the first row
/// of figures (the first column's too, where the table has no row labels) that are a
/// column's label or a piece of one (`结果维` and `持` of `结果维持`;
/// not `行政诉讼`, over ten columns), one column to each left edge. `None` unless they make
/// one of the [`WIDTHS`].
fn header_starts<'a>(
    above: impl Iterator<Item = &'a (f64, f64, &'a str)>,
    size: f64,
) -> Option<Vec<f64>> {
    let labels = column_labels();
    let mut starts: Vec<f64> = above
        .filter(|h| {
            let n = super::segment::norm(h.2);
            !n.is_empty() && labels.iter().any(|l| l.contains(&n))
        })
        .map(|h| h.0)
        .collect();
    starts.sort_by(f64::total_cmp);
    let mut columns: Vec<Vec<f64>> = Vec::new();
    for s in starts {
        match columns.last_mut() {
            Some(c) if s - c[0] <= size * 0.5 => c.push(s),
            _ => columns.push(vec![s]),
        }
    }
    let heads: Vec<f64> = columns.iter().map(|c| c[0]).collect();
    WIDTHS.contains(&heads.len()).then_some(heads)
}

/// The column labels of every report type's tables (and their printed header cells that
/// head one column), normalised.
fn column_labels() -> Vec<String> {
    let mut out = Vec::new();
    for kind in crate::model::report::TYPES {
        for (_, def) in crate::model::report::table_sections(kind) {
            for b in def.blocks {
                out.extend(b.columns.iter().map(|c| super::segment::norm(c.label)));
                out.extend(
                    b.header
                        .iter()
                        .flat_map(|r| r.iter())
                        .filter(|h| h.colspan == 1)
                        .map(|h| super::segment::norm(h.text)),
                );
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A line of a table whose columns only its headers give ([`header_starts`]): its labels,
/// then its figures in the columns. A line with a figure for every column reads as it is;
/// one with fewer (blank cells left unprinted) gets every placement of its figures that
/// text laid out by a converter can show ([`placements`]), for the rules to choose from.
fn open(l: &Placed, heads: &[f64], size: f64) -> Option<Vec<Cell>> {
    let figures: Vec<usize> = (0..l.runs.len())
        .filter(|&i| is_figure(l.runs[i].2))
        .collect();
    let (&first, &last) = (figures.first()?, figures.last()?);
    if figures.len() >= heads.len() || figures.iter().zip(first..).any(|(a, b)| *a != b) {
        return None;
    }
    let starts: Vec<f64> = figures.iter().map(|&f| l.runs[f].0).collect();
    let ways = placements(&starts, heads, size);
    let text = |k: usize| Cell::Text(l.runs[k].2.to_string());
    let rows: Vec<Vec<Cell>> = ways
        .iter()
        .map(|cols| {
            (0..heads.len())
                .map(|c| {
                    cols.iter()
                        .position(|x| *x == c)
                        .map_or(Cell::Blank, |i| text(figures[i]))
                })
                .collect()
        })
        .collect();
    let mut cells: Vec<Cell> = (0..first).map(text).collect();
    match rows.len() {
        0 => return None,
        1 => cells.extend(rows.into_iter().flatten()),
        _ => {
            let shown: Vec<&str> = figures.iter().map(|&f| l.runs[f].2).collect();
            cells.push(Cell::Placements {
                text: shown.join(" "),
                rows,
            });
        }
    }
    cells.extend((last + 1..l.runs.len()).map(text));
    Some(cells)
}

/// Every placement of a line's figures (their left edges `starts`) in the columns whose
/// headers start at `heads`, as text laid out by a PDF-to-text converter can show it: it
/// sets each block of text at least as far right as the text to its left pushes it, so a
/// figure never stands left of its column's header (by more than `slack`), and one pushed
/// right of its header pushes the figures after it at least as far (less `slack`). Column
/// indexes per figure, in order.
fn placements(starts: &[f64], heads: &[f64], slack: f64) -> Vec<Vec<usize>> {
    struct Search<'a> {
        starts: &'a [f64],
        heads: &'a [f64],
        slack: f64,
        out: Vec<Vec<usize>>,
    }
    impl Search<'_> {
        /// Places figure `i` on in a column from `from`, the one before pushed `drift`.
        fn go(&mut self, i: usize, from: usize, drift: f64, cur: &mut Vec<usize>) {
            if i == self.starts.len() {
                self.out.push(cur.clone());
                return;
            }
            let room = self.heads.len() - (self.starts.len() - i);
            for c in from..=room {
                let d = self.starts[i] - self.heads[c];
                if d < -self.slack || d < drift - self.slack {
                    continue;
                }
                cur.push(c);
                self.go(i + 1, c + 1, d, cur);
                cur.pop();
            }
        }
    }
    let mut search = Search {
        starts,
        heads,
        slack,
        out: Vec::new(),
    };
    search.go(0, 0, f64::MIN, &mut Vec::new());
    search.out
}

/// Columns carried from the page before, moved by the one shift that puts most of this
/// page's figure columns on them (text laid out page by page sets each page's columns
/// anew).
fn shifted(carried: Vec<f64>, own: &[f64], size: f64) -> Vec<f64> {
    let on = |shift: f64| {
        own.iter()
            .filter(|m| carried.iter().any(|c| (c + shift - *m).abs() <= size))
            .count()
    };
    let best = own
        .iter()
        .flat_map(|m| carried.iter().map(move |c| m - c))
        .chain([0.0])
        .max_by(|a, b| on(*a).cmp(&on(*b)).then(b.abs().total_cmp(&a.abs())))
        .unwrap_or(0.0);
    carried.iter().map(|c| c + best).collect()
}

/// A line's cells in the columns: its labels, then each column's figure or a blank
/// (`Some(None)` when the line is no row of the table); `None` when a column would hold
/// two figures, so that the columns are not clear and the table is left as it is.
fn place(l: &Placed, below: &[Placed], columns: &[f64], size: f64) -> Option<Filled> {
    let numbered = |t: &str| super::segment::numbering(t).is_some();
    let has_figures = |l: &Placed| l.runs.iter().any(|r| is_figure(r.2));
    let figures: Vec<usize> = (0..l.runs.len())
        .filter(|&i| is_figure(l.runs[i].2))
        .collect();
    if figures.is_empty() {
        // A numbered label alone is a row whose every cell is blank, unless the figures
        // below it before the next numbered label are its own (the rest of its label
        // wrapped beside them, or no label at all).
        let starts_row = |b: &Placed| b.runs.iter().any(|r| !is_figure(r.2) && numbered(r.2));
        let next = below.iter().find(|b| has_figures(b) || starts_row(b));
        let owns_next = next.is_some_and(|b| has_figures(b) && !starts_row(b));
        let blank_row = !owns_next && l.runs.last().is_some_and(|r| numbered(r.2));
        return Some(blank_row.then(|| {
            let mut cells: Vec<Option<usize>> = (0..l.runs.len()).map(Some).collect();
            cells.extend(columns.iter().map(|_| None));
            cells
        }));
    }
    let mut at: Vec<Option<usize>> = vec![None; columns.len()];
    for &f in &figures {
        let (x0, x1, _) = l.runs[f];
        let m = (x0 + x1) / 2.0;
        let (c, d) = columns
            .iter()
            .enumerate()
            .map(|(c, x)| (c, (x - m).abs()))
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        if d > size * 1.5 || at[c].is_some() {
            return None;
        }
        at[c] = Some(f);
    }
    let first = figures[0];
    let mut cells: Vec<Option<usize>> = (0..first).map(Some).collect();
    cells.extend(at);
    cells.extend(
        (first..l.runs.len())
            .filter(|i| !figures.contains(i))
            .map(Some),
    );
    Some(Some(cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line<'a>(_y: f64, runs: &[(f64, &'a str)]) -> Placed<'a> {
        Placed {
            size: 10.0,
            runs: runs.iter().map(|(x, t)| (*x, *x + 10.0, *t)).collect(),
        }
    }

    #[test]
    fn blank_columns_and_blank_rows_of_a_wide_table_become_blank_cells() {
        let xs = [100.0, 130.0, 160.0, 190.0, 220.0, 250.0, 280.0];
        let full: Vec<(f64, &str)> = std::iter::once((0.0, "一、本年新收"))
            .chain(xs.iter().map(|x| (*x, "1")))
            .collect();
        let lines = [
            line(-10.0, &[(130.0, "商业"), (160.0, "科研")]),
            line(0.0, &full),
            line(20.0, &[(0.0, "二、上年结转"), (100.0, "18"), (280.0, "18")]),
            line(40.0, &[(0.0, "2.其他法律行政法规禁止公开")]),
            line(50.0, &[(0.0, "公开")]),
        ];
        let b = blanks(&lines, &mut None);
        assert_eq!(b[0], None);
        assert_eq!(b[1].as_ref().map(Vec::len), Some(8));
        assert_eq!(
            b[2],
            Some(vec![
                Cell::Text("二、上年结转".into()),
                Cell::Text("18".into()),
                Cell::Blank,
                Cell::Blank,
                Cell::Blank,
                Cell::Blank,
                Cell::Blank,
                Cell::Text("18".into()),
            ])
        );
        assert_eq!(
            b[3].as_ref()
                .map(|c| c.iter().filter(|c| **c != Cell::Blank).count()),
            Some(1)
        );
        assert_eq!(b[4], None);
        // Five columns of figures where 表三 has seven: a blank column was missed.
        let short: Vec<Placed> = lines[1..3]
            .iter()
            .map(|l| Placed {
                size: l.size,
                runs: l.runs[..l.runs.len().min(6)].to_vec(),
            })
            .collect();
        assert!(blanks(&short, &mut None).iter().all(Option::is_none));
        // A narrow table (表二) is left as it is.
        let narrow = [line(0.0, &[(0.0, "规章"), (100.0, "1"), (150.0, "2")])];
        assert_eq!(blanks(&narrow, &mut None), vec![None]);
    }
}
