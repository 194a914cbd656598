//! Report tables kept as a spreadsheet (Excel `.xlsx`, and the old `.xls`), read through
//! calamine: every row of every sheet, in order, as a line of cells. A cell covered by a
//! merged one is left out, as a web page leaves out a cell covered by `rowspan`; so are
//! the empty cells before a row's first filled one (a label merged down the rows) and
//! right of the last column its table fills (rows with no empty row between).

use std::io::Cursor;

use calamine::{Data, Dimensions, Reader, Sheets};

use super::{Cell, ImportError, Line, Loc};

pub fn lines(bytes: &[u8], name: &str) -> Result<Vec<Line>, ImportError> {
    let broken = |e: calamine::Error| {
        ImportError(format!(
            "{name} 是 Excel 表格，但无法读取（{e}）。请在 Excel 或 WPS 表格中打开它并另存为 .xlsx 后再导入。没有写入文件。"
        ))
    };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(broken)?;
    let mut out = Vec::new();
    for (k, sheet) in book.sheet_names().into_iter().enumerate() {
        let merged = merged(&mut book, &sheet);
        let range = book.worksheet_range(&sheet).map_err(broken)?;
        let (top, left) = range.start().unwrap_or((0, 0));
        // Rows with something in them: `(row, [(column, cell)])`, covered cells left out.
        let rows: Vec<(u32, Vec<(u32, Cell)>)> = range
            .rows()
            .enumerate()
            .map(|(r, row)| {
                let at = top + r as u32;
                let cells = row
                    .iter()
                    .enumerate()
                    .map(|(c, d)| (left + c as u32, cell(d)))
                    .filter(|(c, _)| !covered(&merged, at, *c))
                    .collect::<Vec<_>>();
                (at, cells)
            })
            .filter(|(_, cells)| cells.iter().any(|(_, c)| !matches!(c, Cell::Empty)))
            .collect();
        // A table is a run of rows with no empty row between: its blank cells end at
        // the last column any of its rows fills.
        let mut start = 0;
        while start < rows.len() {
            let mut end = start + 1;
            while end < rows.len() && rows[end].0 == rows[end - 1].0 + 1 {
                end += 1;
            }
            let filled = |cells: &[(u32, Cell)]| {
                cells
                    .iter()
                    .filter(|(_, c)| !matches!(c, Cell::Empty))
                    .map(|(c, _)| *c)
                    .collect::<Vec<_>>()
            };
            let right = rows[start..end]
                .iter()
                .flat_map(|(_, cells)| filled(cells))
                .max()
                .unwrap_or(0);
            for (at, cells) in &rows[start..end] {
                let first = filled(cells).into_iter().min().unwrap_or(0);
                out.push(Line {
                    loc: Loc::Sheet {
                        sheet: k + 1,
                        row: *at as usize + 1,
                    },
                    cells: cells
                        .iter()
                        .filter(|(c, _)| (first..=right).contains(c))
                        .map(|(_, cell)| cell.clone())
                        .collect(),
                });
            }
            out.push(Line::text_line(
                Loc::Sheet {
                    sheet: k + 1,
                    row: 1,
                },
                "",
            ));
            start = end;
        }
    }
    Ok(out)
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

fn cell(d: &Data) -> Cell {
    let text = match d {
        Data::Empty => return Cell::Empty,
        Data::Int(i) => i.to_string(),
        // A whole number stored as a float (as spreadsheets store every number).
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(t) => t.to_string(),
        Data::Error(e) => e.to_string(),
    };
    if text.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(text)
    }
}
