//! Report tables kept as a spreadsheet (Excel `.xlsx`, and the old `.xls`), read through
//! calamine: every row of every sheet, in order, as a line of cells. A cell covered by a
//! merged one is left out, as a web page leaves out a cell covered by `rowspan`; so are
//! the empty cells before a row's first filled one (a label merged down the rows) and
//! after its last (the sheet is wider than the table there).

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
        for (r, row) in range.rows().enumerate() {
            let at = top + r as u32;
            let cells: Vec<Cell> = row
                .iter()
                .enumerate()
                .filter(|(c, _)| !covered(&merged, at, left + *c as u32))
                .map(|(_, d)| cell(d))
                .collect();
            let first = cells.iter().position(|c| !matches!(c, Cell::Empty));
            let last = cells.iter().rposition(|c| !matches!(c, Cell::Empty));
            let (Some(first), Some(last)) = (first, last) else {
                continue;
            };
            out.push(Line {
                loc: Loc::Sheet {
                    sheet: k + 1,
                    row: at as usize + 1,
                },
                cells: cells[first..=last].to_vec(),
            });
        }
        out.push(Line::text_line(
            Loc::Sheet {
                sheet: k + 1,
                row: 1,
            },
            "",
        ));
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
