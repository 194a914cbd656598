//! Text laid out in columns: what `pdftotext -layout`, a PDF viewer's copy or a browser's
//! "save as text" of a PDF give, each table row on one line with its figures set apart by
//! spaces, a header cell split over several lines, page headers and footers in between.
//! Every character is placed by its line and column and read as the PDF reader reads a
//! page ([`super::pdf::positioned`]): a label wrapped over lines above and below its row
//! of figures joins that row, a label printed one character a line is one label again.

use super::pdf::{Glyph, positioned};
use super::{Line, Loc};

/// The height of a line and the width of a column, in the PDF reader's units (points).
const LINE: f64 = 12.0;
const COLUMN: f64 = 6.0;

/// Whether text is laid out in columns: pages set apart by form feeds, or several lines
/// that hold a label and figures set apart by runs of spaces.
pub fn laid_out(text: &str) -> bool {
    let rows = text
        .lines()
        .filter(|l| {
            let cells: Vec<&str> = l
                .split("   ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            cells.len() >= 3
                && cells
                    .iter()
                    .any(|c| c.chars().any(crate::ground::text::is_cjk))
                && cells
                    .iter()
                    .filter(|c| super::readings::number(c).is_some())
                    .count()
                    >= 2
        })
        .count();
    rows >= 5
}

/// The lines of text laid out in columns. A line's place in the input is its [`Loc`].
pub fn lines(text: &str) -> Vec<Line> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut pages = Vec::new();
    let mut glyphs = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        // A form feed starts a page.
        for (k, piece) in raw.split('\u{c}').enumerate() {
            if k > 0 && !glyphs.is_empty() {
                pages.push(std::mem::take(&mut glyphs));
            }
            if !super::plain::is_page_number(piece) {
                place(piece, i + 1, &mut glyphs);
            }
        }
    }
    pages.push(glyphs);
    let height = (text.split('\n').count() + 1) as f64 * LINE;
    let pages = pages
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|g| (height, g))
        .collect();
    positioned(pages, |_, y, _| Loc::Line((y / LINE).round() as usize))
}

/// The characters of line `no`, one column each (as `pdftotext -layout` counts them, a
/// Han character too). A Han character is drawn a column and a half wide and any other
/// a little less than one, so that one space between two Han characters stays inside a
/// label, while two spaces, or one next to a figure or a numbering, set cells apart.
fn place(line: &str, no: usize, out: &mut Vec<Glyph>) {
    for (col, ch) in line.chars().enumerate() {
        if ch.is_whitespace() {
            continue;
        }
        let wide = crate::ground::text::is_cjk(ch) || !ch.is_ascii();
        out.push(Glyph {
            x: col as f64 * COLUMN,
            y: no as f64 * LINE,
            adv: if wide {
                COLUMN * 1.5
            } else {
                COLUMN * 5.0 / 6.0
            },
            size: LINE,
            ch: ch.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_wrapped_under_its_row_of_figures_joins_it() {
        let text = [
            "二、主动公开政府信息情况",
            "\u{c}            第二十条第（一）项",
            "  信息内容        本年制发件数   本年废止件数   现行有效件数",
            "",
            "  规章               0              0              0",
            "",
            "  行政规范性         3              1             12",
            "  文件",
            "",
            "  第二十条第（五）项",
        ]
        .join("\n");
        let l = lines(&text);
        let rows: Vec<Vec<&str>> = l.iter().map(Line::filled).collect();
        assert!(rows.contains(&vec!["规章", "0", "0", "0"]), "{rows:?}");
        assert!(
            rows.contains(&vec!["行政规范性文件", "3", "1", "12"]),
            "{rows:?}"
        );
        assert_eq!(
            l.iter().find(|l| l.text().starts_with("规章")).unwrap().loc,
            Loc::Line(5)
        );
    }
}
