//! Lays out an official table as rows of cells with their spans, scopes and `headers`,
//! ready for a template to print. Merged cells are computed from the report type's
//! header rows and row tree, so any report type renders the same way.

use serde::Serialize;

use super::schema::{Block, Layout, RowDef, TableDef};
use super::{Report, TableData, leaf_rows};

#[derive(Debug, Serialize)]
pub struct TableView {
    pub key: &'static str,
    pub name: &'static str,
    pub caption: &'static str,
    /// Header rows (`thead`); empty for tables made of several blocks.
    pub head: Vec<Vec<CellView>>,
    pub body: Vec<Vec<CellView>>,
}

#[derive(Debug, Serialize)]
pub struct CellView {
    /// `th` or `td`.
    pub tag: &'static str,
    pub text: String,
    pub rowspan: usize,
    pub colspan: usize,
    /// `col`, `colgroup`, `row` or `rowgroup` on header cells.
    pub scope: Option<&'static str>,
    pub id: Option<String>,
    /// Space-separated ids of the header cells that describe a data cell.
    pub headers: Option<String>,
    /// `num` for figures, `band` for block titles, `label` for row labels.
    pub class: &'static str,
    /// The figure was not written in the YAML but computed (a total) or left out (zero).
    pub computed: bool,
}

/// How many grid columns the table has.
pub fn table_width(t: &TableDef) -> usize {
    let data = match t.layout {
        Layout::Rows => t.blocks.iter().map(|b| b.columns.len()).max().unwrap_or(0),
        Layout::OneRow => t
            .blocks
            .iter()
            .map(|b| leaf_rows(b.rows).len() * b.columns.len())
            .sum(),
    };
    t.label_cols + data
}

struct Ids {
    prefix: String,
    n: usize,
}

impl Ids {
    fn next(&mut self) -> String {
        self.n += 1;
        format!("{}-h{}", self.prefix, self.n)
    }
}

fn th(
    text: &str,
    rowspan: usize,
    colspan: usize,
    scope: &'static str,
    id: String,
    class: &'static str,
) -> CellView {
    CellView {
        tag: "th",
        text: text.to_string(),
        rowspan,
        colspan,
        scope: Some(scope),
        id: Some(id),
        headers: None,
        class,
        computed: false,
    }
}

/// Lays out the header rows of a block; returns the rows and, for every grid column,
/// the ids of the header cells above it.
fn header(block: &Block, width: usize, ids: &mut Ids) -> (Vec<Vec<CellView>>, Vec<Vec<String>>) {
    let nrows = block.header.len();
    let mut occupied = vec![vec![false; width]; nrows];
    let mut above: Vec<Vec<String>> = vec![Vec::new(); width];
    let mut rows = Vec::new();
    for (r, cells) in block.header.iter().enumerate() {
        let mut out = Vec::new();
        let mut x = 0;
        for c in cells.iter() {
            while x < width && occupied[r][x] {
                x += 1;
            }
            let id = ids.next();
            for row in occupied.iter_mut().skip(r).take(c.rowspan) {
                for cell in row.iter_mut().skip(x).take(c.colspan) {
                    *cell = true;
                }
            }
            for col in above.iter_mut().skip(x).take(c.colspan) {
                col.push(id.clone());
            }
            let scope = if c.colspan > 1 { "colgroup" } else { "col" };
            out.push(th(c.text, c.rowspan, c.colspan, scope, id, "head"));
            x += c.colspan;
        }
        rows.push(out);
    }
    (rows, above)
}

/// The table of `data` laid out for printing.
pub fn table_view(report: &Report, data: &TableData) -> TableView {
    let def = data.def;
    let width = table_width(def);
    let mut ids = Ids {
        prefix: format!("t-{}", data.key),
        n: 0,
    };
    let mut head = Vec::new();
    let mut body = Vec::new();
    let single = def.blocks.len() == 1;
    for block in def.blocks {
        let mut band_id = None;
        if let Some(band) = block.band {
            let id = ids.next();
            body.push(vec![th(band, 1, width, "colgroup", id.clone(), "band")]);
            band_id = Some(id);
        }
        let (rows, above) = header(block, width, &mut ids);
        if single {
            head.extend(rows);
        } else {
            body.extend(rows);
        }
        let col_headers = |x: usize| -> Vec<String> {
            band_id
                .iter()
                .cloned()
                .chain(above.get(x).cloned().unwrap_or_default())
                .collect()
        };
        match def.layout {
            Layout::Rows => body_rows(
                report,
                data,
                block,
                width,
                &mut ids,
                &col_headers,
                &mut body,
            ),
            Layout::OneRow => {
                let mut row = Vec::new();
                let mut x = def.label_cols;
                for r in leaf_rows(block.rows) {
                    for c in block.columns {
                        row.push(value_cell(report, data, r.key(), c, 1, col_headers(x)));
                        x += 1;
                    }
                }
                body.push(row);
            }
        }
    }
    TableView {
        key: data.key,
        name: def.name,
        caption: def.caption,
        head,
        body,
    }
}

fn value_cell(
    report: &Report,
    data: &TableData,
    row: &str,
    col: &super::schema::Col,
    colspan: usize,
    headers: Vec<String>,
) -> CellView {
    let written = data
        .cells
        .iter()
        .any(|((r, c), _)| *r == row && *c == col.key);
    CellView {
        tag: "td",
        text: data.display(report.kind, row, col.key, col.kind),
        rowspan: 1,
        colspan,
        scope: None,
        id: None,
        headers: Some(headers.join(" ")),
        class: "num",
        computed: !written,
    }
}

fn body_rows(
    report: &Report,
    data: &TableData,
    block: &Block,
    width: usize,
    ids: &mut Ids,
    col_headers: &dyn Fn(usize) -> Vec<String>,
    out: &mut Vec<Vec<CellView>>,
) {
    let label_cols = data.def.label_cols;
    // Each data row with the chain of groups above it.
    fn walk(
        rows: &'static [RowDef],
        chain: &mut Vec<&'static RowDef>,
        out: &mut Vec<(Vec<&'static RowDef>, &'static RowDef)>,
    ) {
        for r in rows {
            match r {
                RowDef::Row { .. } => out.push((chain.clone(), r)),
                RowDef::Group { children, .. } => {
                    chain.push(r);
                    walk(children, chain, out);
                    chain.pop();
                }
            }
        }
    }
    let mut leaves = Vec::new();
    walk(block.rows, &mut Vec::new(), &mut leaves);
    let mut group_ids: Vec<(*const RowDef, String)> = Vec::new();
    let ncols = block.columns.len();
    let data_width = width - label_cols;
    for (i, (chain, leaf)) in leaves.iter().enumerate() {
        let mut row = Vec::new();
        let mut row_headers = Vec::new();
        for g in chain {
            let key = *g as *const RowDef;
            if let Some((_, id)) = group_ids.iter().find(|(k, _)| *k == key) {
                row_headers.push(id.clone());
                continue;
            }
            // First row of this group: print the spanning label.
            let span = leaves[i..]
                .iter()
                .take_while(|(c, _)| c.iter().any(|x| std::ptr::eq(*x, *g)))
                .count();
            let id = ids.next();
            row.push(th(g.label(), span, 1, "rowgroup", id.clone(), "label"));
            group_ids.push((key, id.clone()));
            row_headers.push(id);
        }
        if label_cols > 0 {
            let id = ids.next();
            let colspan = label_cols.saturating_sub(chain.len()).max(1);
            row.push(th(leaf.label(), 1, colspan, "row", id.clone(), "label"));
            row_headers.push(id);
        }
        for (j, col) in block.columns.iter().enumerate() {
            // A block with fewer columns than the table: its last column takes the rest.
            let x = label_cols + j;
            let colspan = if j + 1 == ncols {
                data_width.saturating_sub(ncols - 1).max(1)
            } else {
                1
            };
            let headers: Vec<String> = row_headers.iter().cloned().chain(col_headers(x)).collect();
            row.push(value_cell(report, data, leaf.key(), col, colspan, headers));
        }
        out.push(row);
    }
}

#[cfg(test)]
mod tests {
    use super::super::national::{TABLE_2, TABLE_3, TABLE_4};
    use super::table_width;

    #[test]
    fn widths_match_the_template() {
        assert_eq!(table_width(&TABLE_2), 4);
        assert_eq!(table_width(&TABLE_3), 10);
        assert_eq!(table_width(&TABLE_4), 15);
    }
}
