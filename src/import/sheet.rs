//! Report tables kept as a spreadsheet (Excel `.xlsx`, and the old `.xls`), read through
//! calamine: every row of every sheet, in order, as a line of cells. A cell covered by a
//! merged one is left out, as a web page leaves out a cell covered by `rowspan`; so are
//! the empty cells before a row's first filled one (a label merged down the rows) and
//! right of the last column its table fills (rows with no empty row between). An `.xlsx`
//! is read cell by cell, so that two cells far apart cost no more than two cells.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, DataRef, Dimensions, Reader, Sheets};

use super::{Cell, ImportError, Line, Loc};

/// The columns read of a row: a report's table has a few more than ten.
const WIDEST: u32 = 256;

/// A sheet's filled cells by `(row, column)`.
type Cells = BTreeMap<(u32, u32), Cell>;

pub fn lines(bytes: &[u8], name: &str) -> Result<Vec<Line>, ImportError> {
    let broken = |e: &dyn std::fmt::Display| {
        ImportError(format!(
            "{name} 是 Excel 表格，但无法读取（{e}）。请在 Excel 或 WPS 表格中打开它并另存为 .xlsx 后再导入。没有写入文件。"
        ))
    };
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| broken(&e))?;
    let mut out = Vec::new();
    for (k, sheet) in book.sheet_names().into_iter().enumerate() {
        let merged = merged(&mut book, &sheet);
        let cells = cells(&mut book, &sheet).map_err(|e| broken(&e))?;
        let cells: Cells = cells
            .into_iter()
            .filter(|((r, c), cell)| !matches!(cell, Cell::Empty) && !covered(&merged, *r, *c))
            .collect();
        sheet_lines(k + 1, &cells, &merged, &mut out);
    }
    Ok(out)
}

/// The filled cells of a sheet: an `.xlsx`'s read one by one, another format's from its
/// range.
fn cells(book: &mut Sheets<Cursor<&[u8]>>, sheet: &str) -> Result<Cells, calamine::Error> {
    let mut out = Cells::new();
    if let Sheets::Xlsx(x) = book {
        let mut reader = x.worksheet_cells_reader(sheet)?;
        while let Some(c) = reader.next_cell()? {
            let (r, col) = c.get_position();
            if col < WIDEST {
                out.insert((r, col), cell_ref(c.get_value()));
            }
        }
        return Ok(out);
    }
    let range = book.worksheet_range(sheet)?;
    for (r, col, d) in range.used_cells() {
        let (top, left) = range.start().unwrap_or((0, 0));
        let (r, col) = (top + r as u32, left + col as u32);
        if col < WIDEST {
            out.insert((r, col), cell(d));
        }
    }
    Ok(out)
}

/// The lines of one sheet. A table is a run of rows with no empty row between: its
/// blank cells end at the last column any of its rows fills.
fn sheet_lines(sheet: usize, cells: &Cells, merged: &[Dimensions], out: &mut Vec<Line>) {
    let mut rows: BTreeMap<u32, Vec<(u32, &Cell)>> = BTreeMap::new();
    for ((r, c), cell) in cells {
        rows.entry(*r).or_default().push((*c, cell));
    }
    let rows: Vec<(u32, Vec<(u32, &Cell)>)> = rows.into_iter().collect();
    let mut start = 0;
    while start < rows.len() {
        let mut end = start + 1;
        while end < rows.len() && rows[end].0 == rows[end - 1].0 + 1 {
            end += 1;
        }
        let right = rows[start..end]
            .iter()
            .filter_map(|(_, c)| c.last().map(|(col, _)| *col))
            .max()
            .unwrap_or(0);
        for (at, filled) in &rows[start..end] {
            let first = filled.first().map_or(0, |(c, _)| *c);
            let by_col: BTreeMap<u32, &Cell> = filled.iter().copied().collect();
            out.push(Line {
                loc: Loc::Sheet {
                    sheet,
                    row: *at as usize + 1,
                },
                cells: (first..=right)
                    .filter(|c| !covered(merged, *at, *c))
                    .map(|c| by_col.get(&c).map_or(Cell::Empty, |x| (*x).clone()))
                    .collect(),
            });
        }
        out.push(Line::text_line(Loc::Sheet { sheet, row: 1 }, ""));
        start = end;
    }
}

/// The merged regions of a sheet, where the format keeps them.
fn merged(book: &mut Sheets<Cursor<&[u8]>>, sheet: &str) -> Vec<Dimensions> {
    match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Whether a cell is covered by a merged one (inside a region, not its first cell).
fn covered(merged: &[Dimensions], row: u32, col: u32) -> bool {
    merged.iter().any(|d| {
        (d.start.0..=d.end.0).contains(&row)
            && (d.start.1..=d.end.1).contains(&col)
            && (row, col) != d.start
    })
}

fn text_cell(text: String) -> Cell {
    if text.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(text)
    }
}

/// A whole number stored as a float (as spreadsheets store every number) is written
/// without a fraction.
fn float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

fn cell(d: &Data) -> Cell {
    text_cell(match d {
        Data::Empty => return Cell::Empty,
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float(*f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(t) => t.to_string(),
        Data::Error(e) => e.to_string(),
    })
}

fn cell_ref(d: &DataRef) -> Cell {
    text_cell(match d {
        DataRef::Empty => return Cell::Empty,
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(t) => t.to_string(),
        DataRef::Error(e) => e.to_string(),
    })
}
