//! A Word `.docx` (Word or WPS) read from its zip and XML: paragraphs as text lines, each
//! table row as a line of cells. A cell spread over grid columns (`w:gridSpan`) is one
//! cell; a cell merged with the one above (`w:vMerge` without `restart`) is left out, as
//! a web page leaves out a cell covered by `rowspan`. Text split over runs (a change of
//! font in the middle of a word) is joined; text boxes are read where they stand;
//! deleted text and the fallback copies of drawings are not. Every cost is bounded: a zip
//! bomb named `.docx` is refused ([`LIMIT`]), so is XML of more than [`NODES`] nodes, and
//! tables, text boxes and content controls nested deeper than [`NEST`] (the walk recurses
//! once per level).

use std::io::Read;

use roxmltree::{Document, Node};

use super::{Cell, ImportError, Line, Loc};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
/// The most `word/document.xml` may hold once decompressed; real reports hold well under
/// 2 MB of XML.
const LIMIT: u64 = 64 * 1024 * 1024;
/// The most XML nodes read: a report of 20 pages has about 10,000, so this is room for a
/// document of thousands of pages while memory stays near a few hundred megabytes.
const NODES: u32 = 2_000_000;
/// How deep tables, text boxes and content controls may nest (Word's own tables rarely
/// go beyond three).
const NEST: usize = 64;

pub fn lines(bytes: &[u8], name: &str) -> Result<Vec<Line>, ImportError> {
    let save_as =
        "请在 Word 或 WPS 中打开原文件，“另存为”Word 文档（.docx）后再导入。没有写入文件。";
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| {
        ImportError(format!(
            "{name} 是压缩包格式，但不是完整的 Word 文件（可能已损坏或只下载了一部分）。{save_as}"
        ))
    })?;
    if zip.by_name("word/document.xml").is_err() {
        let odt = zip.by_name("content.xml").is_ok();
        return Err(ImportError(if odt {
            format!("{name} 是 OpenDocument（.odt）文件，不能直接读取。{save_as}")
        } else {
            format!("{name} 是压缩包，不是 Word 文件（.docx），里面没有 Word 文档。没有写入文件。")
        }));
    }
    let entry = zip
        .by_name("word/document.xml")
        .map_err(|e| ImportError(format!("{name} 中的 Word 文档无法读取：{e}。{save_as}")))?;
    let bomb = || {
        ImportError(format!(
            "{name} 中的 Word 文档解压后超过 {} MB，不像一份年度报告（可能是恶意构造的压缩包）。没有写入文件。",
            LIMIT / 1024 / 1024
        ))
    };
    if entry.size() > LIMIT {
        return Err(bomb());
    }
    let mut xml = String::new();
    entry
        .take(LIMIT + 1)
        .read_to_string(&mut xml)
        .map_err(|e| ImportError(format!("{name} 中的 Word 文档无法解压：{e}。{save_as}")))?;
    if xml.len() as u64 > LIMIT {
        return Err(bomb());
    }
    let options = roxmltree::ParsingOptions {
        nodes_limit: NODES,
        ..Default::default()
    };
    let doc = Document::parse_with_options(&xml, options).map_err(|e| {
        ImportError(match e {
            roxmltree::Error::NodesLimitReached => format!(
                "{name} 中的 Word 文档超过 {} 万个 XML 节点，不像一份报告（可能是被人为构造的文件），没有读取。没有写入文件。",
                NODES / 10_000
            ),
            e => format!("{name} 中的 Word 文档不是有效的 XML（{e}）。{save_as}"),
        })
    })?;
    let body = doc
        .root_element()
        .children()
        .find(|n| is(n, W, "body"))
        .ok_or_else(|| ImportError(format!("{name} 中的 Word 文档没有正文。{save_as}")))?;
    let mut r = Reader::default();
    r.blocks(body, 0);
    if r.too_deep {
        return Err(ImportError(format!(
            "{name} 中的表格、文本框或内容控件嵌套超过 {NEST} 层，不像一份报告（可能是被人为构造的文件），没有读取。没有写入文件。"
        )));
    }
    Ok(r.out)
}

fn is(n: &Node, ns: &str, name: &str) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(ns) && n.tag_name().name() == name
}

#[derive(Default)]
struct Reader {
    out: Vec<Line>,
    paras: usize,
    tables: usize,
    /// Stopped at [`NEST`] levels.
    too_deep: bool,
}

impl Reader {
    /// Paragraphs and tables in document order, through any wrapper (content controls,
    /// custom XML), `depth` levels down.
    fn blocks(&mut self, n: Node, depth: usize) {
        if depth > NEST {
            self.too_deep = true;
            return;
        }
        for c in n.children().filter(Node::is_element) {
            if is(&c, W, "p") {
                self.paragraph(c, depth);
            } else if is(&c, W, "tbl") {
                self.table(c, depth + 1);
            } else if !is(&c, MC, "Fallback") && !is(&c, W, "del") {
                self.blocks(c, depth + 1);
            }
        }
    }

    fn paragraph(&mut self, p: Node, depth: usize) {
        self.paras += 1;
        let loc = Loc::Para(self.paras);
        let mut boxes = Vec::new();
        let text = para_text(p, &mut boxes);
        for l in text.split('\n') {
            self.out.push(Line {
                loc,
                cells: super::plain::split_cells(l),
            });
        }
        self.out.push(Line::text_line(loc, ""));
        for b in boxes {
            self.blocks(b, depth + 1);
        }
    }

    fn table(&mut self, t: Node, depth: usize) {
        if depth > NEST {
            self.too_deep = true;
            return;
        }
        self.tables += 1;
        let table = self.tables;
        let mut nested = Vec::new();
        for (ri, tr) in t.children().filter(|c| is(c, W, "tr")).enumerate() {
            let mut cells = Vec::new();
            for tc in tr.children().filter(|c| is(c, W, "tc")) {
                let props = tc.children().find(|c| is(c, W, "tcPr"));
                let continued = props
                    .and_then(|p| p.children().find(|c| is(c, W, "vMerge")))
                    .is_some_and(|v| v.attribute((W, "val")).is_none_or(|v| v == "continue"));
                if continued {
                    continue;
                }
                let mut text = String::new();
                for c in tc.children().filter(Node::is_element) {
                    if is(&c, W, "tbl") {
                        nested.push(c);
                    } else {
                        let mut boxes = Vec::new();
                        let t = para_text(c, &mut boxes);
                        text.push_str(t.replace('\n', "").trim());
                        nested.extend(boxes);
                    }
                }
                cells.push(if text.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(text)
                });
            }
            self.out.push(Line {
                loc: Loc::Row { table, row: ri + 1 },
                cells,
            });
        }
        self.out
            .push(Line::text_line(Loc::Row { table, row: 1 }, ""));
        for n in nested {
            if is(&n, W, "tbl") {
                self.table(n, depth + 1);
            } else {
                self.blocks(n, depth + 1);
            }
        }
    }
}

/// The text of a paragraph (or of any block inside a cell): `w:t` of its runs in order,
/// tabs and breaks kept; text boxes (`w:txbxContent`) handed back to be read as blocks.
fn para_text<'a>(p: Node<'a, 'a>, boxes: &mut Vec<Node<'a, 'a>>) -> String {
    let mut s = String::new();
    let mut stack = vec![p];
    while let Some(n) = stack.pop() {
        if is(&n, W, "txbxContent") {
            boxes.push(n);
            continue;
        }
        if is(&n, MC, "Fallback") || is(&n, W, "del") || is(&n, W, "instrText") {
            continue;
        }
        if is(&n, W, "t") {
            s.push_str(n.text().unwrap_or(""));
        } else if is(&n, W, "tab") && !n.parent().is_some_and(|p| is(&p, W, "tabs")) {
            s.push('\t');
        } else if is(&n, W, "br") || is(&n, W, "cr") || is(&n, W, "p") && !s.is_empty() && n != p {
            s.push('\n');
        }
        let mut kids: Vec<Node> = n.children().filter(Node::is_element).collect();
        kids.reverse();
        stack.extend(kids);
    }
    s
}
