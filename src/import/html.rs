//! A web page as lines, read with html5ever's tokenizer (entities, comments, quoting and
//! line numbers as browsers read them): headings and paragraphs as text lines (headings
//! with `#`), each table row as a line of cells. Empty cells stay as [`Cell::Empty`]
//! (0 in the report); cells covered by a merged cell are left out. A table that holds
//! other tables or whole paragraphs lays out the page, and is read for what it holds.
//! Scripts, styles, navigation and footers are skipped; the document's `<title>` comes first
//! (a page may print its report's title nowhere else). Reading is linear in the page:
//! tables nested deeper than [`NEST`] are read as the text of the cell they are in (each
//! level copies the lines of the levels inside it), and merged cells are tracked over at
//! most [`COLUMNS`] columns.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
};

use super::{Cell, Line, Loc};

/// How deep tables are read as tables (pages laid out with tables nest a dozen at most).
const NEST: usize = 64;
/// The most columns over which cells merged by `rowspan`/`colspan` are followed.
const COLUMNS: usize = 1000;

pub fn lines(html: &str) -> Vec<Line> {
    let sink = Sink(RefCell::new(State {
        frames: vec![Frame::default()],
        tables: Vec::new(),
        skip: None,
        title: None,
        heading: 0,
        line: 1,
        too_deep: 0,
    }));
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tok = Tokenizer::new(sink, Default::default());
    let _ = tok.feed(&input);
    tok.end();
    let mut st = tok.sink.0.into_inner();
    while !st.tables.is_empty() {
        st.close_table();
    }
    while st.frames.len() > 1 {
        st.close_cell();
    }
    let mut top = st.frames.pop().unwrap_or_default();
    top.flush(0);
    // The document's title first: a page may print its report's title only there.
    if let Some((at, t)) = st.title
        && !t.split_whitespace().collect::<String>().is_empty()
    {
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        top.lines.insert(0, Line::text_line(Loc::Line(at), t));
    }
    top.lines
}

/// Block content being collected: the document, or one table cell.
struct Frame {
    lines: Vec<Line>,
    text: String,
    /// `text` holds white space only (or nothing).
    blank: bool,
    at: usize,
    /// Nested tables seen in this frame (a cell holding one lays out the page).
    tables: usize,
}

impl Default for Frame {
    fn default() -> Self {
        Frame {
            lines: Vec::new(),
            text: String::new(),
            blank: true,
            at: 0,
            tables: 0,
        }
    }
}

impl Frame {
    fn flush(&mut self, heading: usize) {
        let t = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            let t = if heading > 0 {
                format!("{} {t}", "#".repeat(heading))
            } else {
                t
            };
            self.lines.push(Line::text_line(Loc::Line(self.at), t));
            self.lines.push(Line::text_line(Loc::Line(self.at), ""));
        }
        self.text.clear();
        self.blank = true;
    }

    fn push(&mut self, s: &str, line: usize) {
        if self.blank {
            self.at = line;
            self.blank = s.trim().is_empty();
        }
        self.text.push_str(s);
    }
}

struct CellBuild {
    lines: Vec<Line>,
    tables: usize,
    rowspan: usize,
    colspan: usize,
}

struct RowBuild {
    line: usize,
    cells: Vec<CellBuild>,
}

#[derive(Default)]
struct TableBuild {
    rows: Vec<RowBuild>,
    /// Whether a cell of this table is open (its frame is on the frame stack).
    cell_open: bool,
}

struct State {
    frames: Vec<Frame>,
    tables: Vec<TableBuild>,
    /// Inside an element whose content is not the report (script, style, nav …).
    skip: Option<String>,
    /// The document's `<title>` (in the skipped `<head>`): where, and its text.
    title: Option<(usize, String)>,
    heading: usize,
    line: usize,
    /// Tables open beyond [`NEST`], read as text.
    too_deep: usize,
}

impl State {
    fn frame(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("the document frame")
    }

    fn flush(&mut self) {
        let h = self.heading;
        self.frame().flush(h);
    }

    fn open_table(&mut self) {
        self.flush();
        self.frame().tables += 1;
        self.tables.push(TableBuild::default());
    }

    fn open_row(&mut self) {
        self.close_cell();
        let line = self.line;
        if let Some(t) = self.tables.last_mut() {
            t.rows.push(RowBuild {
                line,
                cells: Vec::new(),
            });
        }
    }

    fn open_cell(&mut self, tag: &Tag) {
        self.close_cell();
        let line = self.line;
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        if t.rows.is_empty() {
            t.rows.push(RowBuild {
                line,
                cells: Vec::new(),
            });
        }
        let span = |name: &str| {
            tag.attrs
                .iter()
                .find(|a| &*a.name.local == name)
                .and_then(|a| a.value.trim().parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 1000)
        };
        let (rowspan, colspan) = (span("rowspan"), span("colspan"));
        if let Some(r) = t.rows.last_mut() {
            r.cells.push(CellBuild {
                lines: Vec::new(),
                tables: 0,
                rowspan,
                colspan,
            });
        }
        t.cell_open = true;
        self.frames.push(Frame {
            at: line,
            ..Frame::default()
        });
    }

    fn close_cell(&mut self) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        if !t.cell_open {
            return;
        }
        t.cell_open = false;
        let mut f = self.frames.pop().unwrap_or_default();
        f.flush(0);
        if let Some(c) = self
            .tables
            .last_mut()
            .and_then(|t| t.rows.last_mut())
            .and_then(|r| r.cells.last_mut())
        {
            c.lines = f.lines;
            c.tables = f.tables;
        }
    }

    fn close_table(&mut self) {
        self.close_cell();
        let Some(t) = self.tables.pop() else {
            return;
        };
        let lines = table_lines(t);
        let f = self.frame();
        f.lines.extend(lines);
        f.lines.push(Line::text_line(Loc::Line(f.at.max(1)), ""));
    }
}

/// The lines of a finished table: its rows, or what its cells hold if it lays out the page.
fn table_lines(t: TableBuild) -> Vec<Line> {
    let layout = t.rows.iter().flat_map(|r| &r.cells).any(|c| {
        let text: usize = c.lines.iter().map(|l| l.text().chars().count()).sum();
        c.tables > 0
            || (c.lines.iter().filter(|l| !l.filled().is_empty()).count() >= 3 && text > 150)
    });
    if layout {
        return t
            .rows
            .into_iter()
            .flat_map(|r| r.cells)
            .flat_map(|c| c.lines)
            .collect();
    }
    // Columns still covered by a cell of a row above: `(column, rows left)`.
    let mut covered: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for r in t.rows {
        let mut cells = Vec::new();
        let mut col = 0;
        for c in r.cells {
            while covered.get(col).is_some_and(|n| *n > 0) {
                col += 1;
            }
            let text = c
                .lines
                .iter()
                .map(Line::text)
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            cells.push(if text.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(text)
            });
            let end = (col + c.colspan).min(COLUMNS);
            if covered.len() < end {
                covered.resize(end, 0);
            }
            for n in covered.iter_mut().take(end).skip(col) {
                *n = (*n).max(c.rowspan);
            }
            col += c.colspan;
        }
        for n in covered.iter_mut() {
            *n = n.saturating_sub(1);
        }
        if !cells.is_empty() {
            out.push(Line {
                loc: Loc::Line(r.line),
                cells,
            });
        }
    }
    out
}

struct Sink(RefCell<State>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let mut st = self.0.borrow_mut();
        st.line = usize::try_from(line).unwrap_or(usize::MAX);
        match token {
            Token::TagToken(tag) => return st.tag(&tag),
            Token::CharacterTokens(t) if st.skip.is_none() => {
                let line = st.line;
                st.frame().push(&t, line);
            }
            Token::CharacterTokens(t) if st.skip.as_deref() == Some("title") => {
                if let Some((_, title)) = &mut st.title {
                    title.push_str(&t);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl State {
    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        if let Some(s) = &self.skip {
            match (s.as_str(), name, start) {
                ("head", "title", true) if self.title.is_none() => {
                    self.title = Some((self.line, String::new()));
                    self.skip = Some("title".into());
                    return TokenSinkResult::RawData(RawKind::Rcdata);
                }
                ("title", "title", false) => self.skip = Some("head".into()),
                (s, n, false) if s == n => self.skip = None,
                _ => {}
            }
            return TokenSinkResult::Continue;
        }
        let in_table = !self.tables.is_empty() && self.too_deep == 0;
        match (name, start) {
            ("script" | "style" | "noscript" | "template" | "textarea", true) => {
                self.skip = Some(name.to_string());
                let kind = if name == "script" {
                    RawKind::ScriptData
                } else if name == "textarea" {
                    RawKind::Rcdata
                } else {
                    RawKind::Rawtext
                };
                return TokenSinkResult::RawData(kind);
            }
            ("head" | "nav" | "footer" | "select", true) if !tag.self_closing => {
                self.skip = Some(name.to_string());
            }
            ("table", true) if self.tables.len() >= NEST => self.too_deep += 1,
            ("table", false) if self.too_deep > 0 => self.too_deep -= 1,
            ("table", true) => self.open_table(),
            ("table", false) if in_table => self.close_table(),
            ("tr", true) if in_table => self.open_row(),
            ("tr", false) if in_table => self.close_cell(),
            ("td" | "th", true) if in_table => self.open_cell(tag),
            ("td" | "th", false) if in_table => self.close_cell(),
            ("br", _) => {
                let line = self.line;
                let in_cell = self.tables.last().is_some_and(|t| t.cell_open);
                self.frame().push(if in_cell { " " } else { "\n" }, line);
                if !in_cell {
                    self.flush();
                }
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", _) => {
                self.flush();
                self.heading = if start {
                    name[1..].parse().unwrap_or(1)
                } else {
                    0
                };
            }
            (
                "p" | "div" | "li" | "section" | "article" | "title" | "body" | "ul" | "ol"
                | "blockquote" | "center",
                _,
            ) => self.flush(),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(l: &Line) -> Vec<&str> {
        l.cells.iter().map(Cell::text).collect()
    }

    #[test]
    fn merged_cells_are_left_out_and_empty_cells_kept() {
        let l = lines(
            "<table><tr><td rowspan=2>甲</td><td colspan=2>乙</td></tr><tr><td>1</td><td>&#50;</td></tr><tr><td>丙</td><td>&nbsp;</td></tr></table>",
        );
        assert_eq!(cells(&l[0]), ["甲", "乙"]);
        assert_eq!(cells(&l[1]), ["1", "2"]);
        assert_eq!(l[2].cells, [Cell::Text("丙".into()), Cell::Empty]);
    }

    #[test]
    fn a_comment_inside_a_cell_does_not_shift_figures() {
        let l = lines(
            "<table><tr><td>规章</td><td>1<!--b--></td><td><!-- x > y --></td><td title='a > b'>3</td></tr></table>",
        );
        assert_eq!(
            l[0].cells,
            [
                Cell::Text("规章".into()),
                Cell::Text("1".into()),
                Cell::Empty,
                Cell::Text("3".into())
            ]
        );
    }

    #[test]
    fn layout_tables_give_what_they_hold_and_scripts_are_skipped() {
        let html = "<html><head><title>t</title></head><body><script>var s = '<table>';</script>\
            <table><tr><td><h1>某局2023年报告</h1><p>一、总体情况</p>\
            <table><tr><td>行政许可</td><td>4</td></tr></table></td></tr></table></body></html>";
        let l = lines(html);
        let texts: Vec<String> = l.iter().map(Line::text).filter(|t| !t.is_empty()).collect();
        // The document's title first, then the body.
        assert_eq!(
            texts,
            ["t", "# 某局2023年报告", "一、总体情况", "行政许可 4"]
        );
    }
}
