//! Open-data files of the reports: `report.json` (every cell, computed totals included)
//! and a CSV of the application table per report, and the key figures of every year
//! (`reports.json`, `reports.csv`). CSVs start with a UTF-8 BOM so that Excel on Chinese
//! Windows reads them as UTF-8 rather than GBK.

use serde::Serialize;

use super::schema::{CellKind, KeyFigure, Layout, RowDef};
use super::{Report, TableData, leaf_rows};

#[derive(Serialize)]
struct CellJson {
    key: &'static str,
    label: &'static str,
    /// A count, or an amount as a string with its decimals exactly as published.
    value: serde_json::Value,
    /// Not written in the report file: a computed total, or a figure left out (zero).
    computed: bool,
}

#[derive(Serialize)]
struct RowJson {
    key: &'static str,
    label: &'static str,
    /// The labels of the groups above the row, e.g. `三、本年度办理结果`, `（三）不予公开`.
    groups: Vec<&'static str>,
    cells: Vec<CellJson>,
}

#[derive(Serialize)]
struct TableJson {
    key: &'static str,
    name: &'static str,
    caption: &'static str,
    rows: Vec<RowJson>,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    year: u32,
    agency: &'a str,
    title: &'a str,
    published: Option<String>,
    report_type: &'static str,
    basis: &'static str,
    tables: Vec<TableJson>,
}

/// Every data row of a row tree with the labels of the groups above it.
fn rows_with_groups(rows: &'static [RowDef]) -> Vec<(Vec<&'static str>, &'static RowDef)> {
    fn walk(
        rows: &'static [RowDef],
        chain: &mut Vec<&'static str>,
        out: &mut Vec<(Vec<&'static str>, &'static RowDef)>,
    ) {
        for r in rows {
            match r {
                RowDef::Row { .. } => out.push((chain.clone(), r)),
                RowDef::Group {
                    label, children, ..
                } => {
                    chain.push(label);
                    walk(children, chain, out);
                    chain.pop();
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(rows, &mut Vec::new(), &mut out);
    out
}

fn cell_value(
    report: &Report,
    t: &TableData,
    row: &str,
    col: &super::schema::Col,
) -> (serde_json::Value, bool) {
    let written = t.cells.keys().any(|(r, c)| *r == row && *c == col.key);
    let value = match col.kind {
        CellKind::Count => serde_json::Value::from(t.count(report.kind, row, col.key)),
        CellKind::Change => serde_json::Value::from(t.signed(row, col.key)),
        CellKind::Amount | CellKind::Money => {
            serde_json::Value::from(t.display(report.kind, row, col.key, col.kind))
        }
    };
    (value, !written)
}

/// `report.json`: every cell of every table.
pub fn report_json(report: &Report) -> Vec<u8> {
    let tables = super::table_sections(report.kind)
        .filter_map(|(key, def)| report.table(key).map(|t| (key, def, t)))
        .map(|(key, def, t)| TableJson {
            key,
            name: def.name,
            caption: def.caption,
            rows: def
                .blocks
                .iter()
                .flat_map(|b| {
                    rows_with_groups(b.rows)
                        .into_iter()
                        .map(move |(g, r)| (b, g, r))
                })
                .map(|(b, groups, r)| RowJson {
                    key: r.key(),
                    label: r.label(),
                    groups,
                    cells: b
                        .columns
                        .iter()
                        .map(|c| {
                            let (value, computed) = cell_value(report, t, r.key(), c);
                            CellJson {
                                key: c.key,
                                label: c.label,
                                value,
                                computed,
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let json = ReportJson {
        year: report.year,
        agency: &report.agency,
        title: &report.title,
        published: report.published.map(|d| d.ymd()),
        report_type: report.kind.id,
        basis: report.kind.basis,
        tables,
    };
    let mut bytes = serde_json::to_vec_pretty(&json).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

pub(crate) fn csv_bytes(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    for r in rows {
        // Writing into memory cannot fail.
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

/// The CSV of the application table (表三) with its official labels, or of the first
/// table of another report type laid out in rows.
pub fn applications_csv(report: &Report) -> Option<Vec<u8>> {
    let (key, def) = super::table_sections(report.kind)
        .find(|(_, d)| d.layout == Layout::Rows && d.label_cols > 1)?;
    let t = report.table(key)?;
    let block = def.blocks.first()?;
    let mut rows = vec![
        std::iter::once("项目".to_string())
            .chain(block.columns.iter().map(|c| c.label.to_string()))
            .collect::<Vec<_>>(),
    ];
    for (groups, r) in rows_with_groups(block.rows) {
        let label = groups
            .iter()
            .copied()
            .chain([r.label()])
            .collect::<Vec<_>>()
            .join(" / ");
        let mut row = vec![label];
        row.extend(
            block
                .columns
                .iter()
                .map(|c| t.display(report.kind, r.key(), c.key, c.kind)),
        );
        rows.push(row);
    }
    Some(csv_bytes(&rows))
}

/// A key figure of a report: counts as numbers, amounts as written (several amounts are
/// added as decimals without floating-point error).
pub fn key_figure(report: &Report, f: &KeyFigure) -> String {
    let Some(t) = report.table(f.table) else {
        return "0".into();
    };
    let rows = t.leaves_under(f.rows);
    let kind = t
        .def
        .blocks
        .iter()
        .flat_map(|b| b.columns.iter())
        .find(|c| c.key == f.col)
        .map_or(CellKind::Count, |c| c.kind);
    match kind {
        CellKind::Count => {
            super::sum_counts(rows.iter().map(|r| t.count(report.kind, r, f.col))).to_string()
        }
        CellKind::Change => rows
            .iter()
            .map(|r| t.signed(r, f.col))
            .fold(0i64, i64::saturating_add)
            .to_string(),
        CellKind::Amount => rows
            .iter()
            .map(|r| t.display(report.kind, r, f.col, kind))
            .reduce(|a, b| add_decimals(&a, &b))
            .unwrap_or_else(|| "0".into()),
        // Sums with their units are not added up.
        CellKind::Money => rows
            .iter()
            .map(|r| t.display(report.kind, r, f.col, kind))
            .collect::<Vec<_>>()
            .join("＋"),
    }
}

/// Adds two non-negative decimal strings exactly (loading keeps amounts within
/// [`super::MAX_AMOUNT`] and [`super::MAX_AMOUNT_DECIMALS`], far inside `u128`).
fn add_decimals(a: &str, b: &str) -> String {
    let split = |s: &str| {
        let (i, f) = s.split_once('.').unwrap_or((s, ""));
        (i.to_string(), f.to_string())
    };
    let ((ai, af), (bi, bf)) = (split(a), split(b));
    let scale = af.len().max(bf.len());
    let to_int = |i: &str, f: &str| -> u128 {
        let digits = format!("{i}{f:0<scale$}");
        digits.parse().unwrap_or(0)
    };
    let sum = to_int(&ai, &af).saturating_add(to_int(&bi, &bf));
    if scale == 0 {
        return sum.to_string();
    }
    let s = format!("{sum:0>width$}", width = scale + 1);
    format!("{}.{}", &s[..s.len() - scale], &s[s.len() - scale..])
}

/// The figures the overview compares: every key figure of the report types present, the
/// newest type's first; a figure another type has under the same key is the same figure.
pub fn overview_figures(reports: &[Report]) -> Vec<&'static KeyFigure> {
    let mut kinds: Vec<(u32, &'static super::schema::ReportType)> =
        reports.iter().map(|r| (r.year, r.kind)).collect();
    kinds.sort_by_key(|(y, _)| std::cmp::Reverse(*y));
    let mut out: Vec<&'static KeyFigure> = Vec::new();
    for (_, kind) in kinds {
        for f in kind.key_figures {
            if !out.iter().any(|o| o.key == f.key) {
                out.push(f);
            }
        }
    }
    out
}

/// Key figures of every report, oldest year first: (year, agency, figures), a figure its
/// report type does not have as `None`.
pub fn overview(reports: &[Report]) -> Vec<(u32, String, Vec<Option<String>>)> {
    let figures = overview_figures(reports);
    let mut v: Vec<(u32, String, Vec<Option<String>>)> = reports
        .iter()
        .map(|r| {
            let values = figures
                .iter()
                .map(|f| {
                    r.kind
                        .key_figures
                        .iter()
                        .find(|own| own.key == f.key)
                        .map(|own| key_figure(r, own))
                })
                .collect();
            (r.year, r.agency.clone(), values)
        })
        .collect();
    v.sort_by_key(|(y, _, _)| *y);
    v
}

/// `reports.csv`: one row per year; a figure the year's format does not have is empty.
pub fn overview_csv(reports: &[Report]) -> Vec<u8> {
    let figures = overview_figures(reports);
    let mut rows = vec![
        ["年度", "机关"]
            .iter()
            .map(|s| s.to_string())
            .chain(figures.iter().map(|f| f.label.to_string()))
            .collect::<Vec<_>>(),
    ];
    for (year, agency, values) in overview(reports) {
        rows.push(
            std::iter::once(year.to_string())
                .chain([agency])
                .chain(values.into_iter().map(Option::unwrap_or_default))
                .collect(),
        );
    }
    csv_bytes(&rows)
}

/// `reports.json`: one object per year, figures by key (`null` where the year's format
/// does not have the figure).
pub fn overview_json(reports: &[Report]) -> Vec<u8> {
    let figures = overview_figures(reports);
    let list: Vec<serde_json::Value> = overview(reports)
        .into_iter()
        .map(|(year, agency, values)| {
            let mut m = serde_json::Map::new();
            m.insert("year".into(), year.into());
            m.insert("agency".into(), agency.into());
            for (f, v) in figures.iter().zip(values) {
                let value = match v {
                    None => serde_json::Value::Null,
                    Some(v) => v
                        .parse::<i64>()
                        .map(serde_json::Value::from)
                        .unwrap_or(serde_json::Value::from(v)),
                };
                m.insert(f.key.into(), value);
            }
            serde_json::Value::Object(m)
        })
        .collect();
    let mut bytes = serde_json::to_vec_pretty(&list).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The rows of a table in order (used by the PDF and tests).
pub fn data_rows(t: &TableData) -> Vec<&'static RowDef> {
    t.def
        .blocks
        .iter()
        .flat_map(|b| leaf_rows(b.rows))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::add_decimals;

    #[test]
    fn decimals_add_exactly() {
        assert_eq!(add_decimals("55.0592", "0.1"), "55.1592");
        assert_eq!(add_decimals("0.05", "0.05"), "0.10");
        assert_eq!(add_decimals("3", "4"), "7");
    }
}
