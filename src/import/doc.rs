//! Old binary Word (`.doc`, Word 97–2003) and WPS (`.wps`, WPS 文字 writes the same
//! binary format), read directly: the OLE compound file through the `cfb` crate, the
//! text through the piece table of the `WordDocument` stream, and where paragraphs,
//! table cells and table rows end through the paragraph properties ([MS-DOC]: the
//! `Clx`, the `PlcBtePapx` and its `PapxFkp` pages). A cell merged with the one above
//! (`sprmTVertMerge`) is left out, as a web page leaves out a cell covered by `rowspan`.
//! Fields keep their shown result, not their code. No other program is needed.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use super::{Cell, ImportError, Line, Loc};

/// The most one stream may hold; real reports hold well under 1 MB.
const LIMIT: u64 = 64 * 1024 * 1024;

/// `sprmPFInTable`, `sprmPFTtp`, `sprmPFInnerTtp`, `sprmPFInnerTableCell`,
/// `sprmTVertMerge`, `sprmTDefTable`.
const IN_TABLE: u16 = 0x2416;
const ROW_END: u16 = 0x2417;
const INNER_ROW_END: u16 = 0x244C;
const INNER_CELL: u16 = 0x244B;
const VERT_MERGE: u16 = 0xD62B;
const DEF_TABLE: u16 = 0xD608;
/// `sprmPHugePapx`: the properties are too many for the page and stand in the `Data`
/// stream.
const HUGE_PAPX: u16 = 0x6646;

fn broken(name: &str) -> ImportError {
    ImportError(format!(
        "{name} 是旧的 Word（.doc）或 WPS（.wps）文件，但内容不完整或已损坏，无法读取。请在 Word 或 WPS 中打开它，“另存为”Word 文档（.docx）后再导入。没有写入文件。"
    ))
}

/// Whether the compound file holds a Word document (else a workbook or something else).
pub fn is_word(bytes: &[u8]) -> bool {
    cfb::CompoundFile::open(Cursor::new(bytes)).is_ok_and(|f| f.exists("WordDocument"))
}

pub fn lines(bytes: &[u8], name: &str) -> Result<Vec<Line>, ImportError> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| broken(name))?;
    let word = stream(&mut file, "WordDocument", name)?;
    let fib = Fib::read(&word).ok_or_else(|| broken(name))?;
    if fib.encrypted {
        return Err(ImportError(format!(
            "{name} 有密码保护，无法读取其中的文字。请取得没有密码的文件，或在 Word 或 WPS 中去掉密码后另存为 .docx 再导入。没有写入文件。"
        )));
    }
    let table = stream(&mut file, fib.table_stream, name)?;
    let pieces = pieces(&table, fib.clx).ok_or_else(|| broken(name))?;
    let chars = text(&word, &pieces, fib.ccp_text);
    let data = if file.exists("Data") {
        stream(&mut file, "Data", name)?
    } else {
        Vec::new()
    };
    let papx = Papx::read(&word, &table, &data, fib.plc_bte_papx);
    Ok(Builder::default().build(&chars, &papx))
}

fn stream(
    file: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    path: &str,
    name: &str,
) -> Result<Vec<u8>, ImportError> {
    let s = file.open_stream(path).map_err(|_| broken(name))?;
    let mut buf = Vec::new();
    s.take(LIMIT + 1)
        .read_to_end(&mut buf)
        .map_err(|_| broken(name))?;
    if buf.len() as u64 > LIMIT {
        return Err(ImportError(format!(
            "{name} 中的文字超过 {} MB，不像一份年度报告。没有写入文件。",
            LIMIT / 1024 / 1024
        )));
    }
    Ok(buf)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// What the File Information Block says: where the table stream's parts are.
struct Fib {
    encrypted: bool,
    table_stream: &'static str,
    /// Characters of the main document (headers, notes and boxes follow them).
    ccp_text: u32,
    clx: (u32, u32),
    plc_bte_papx: (u32, u32),
}

impl Fib {
    fn read(w: &[u8]) -> Option<Fib> {
        if u16_at(w, 0)? != 0xA5EC {
            return None;
        }
        let flags = u16_at(w, 0x0A)?;
        let csw = usize::from(u16_at(w, 32)?);
        let lw = 34 + csw * 2;
        let cslw = usize::from(u16_at(w, lw)?);
        let blob = lw + 2 + cslw * 4 + 2;
        let pair = |i: usize| Some((u32_at(w, blob + i * 8)?, u32_at(w, blob + i * 8 + 4)?));
        Some(Fib {
            encrypted: flags & 0x0100 != 0,
            table_stream: if flags & 0x0200 != 0 {
                "1Table"
            } else {
                "0Table"
            },
            ccp_text: u32_at(w, lw + 2 + 3 * 4)?,
            clx: pair(33)?,
            plc_bte_papx: pair(13)?,
        })
    }
}

/// A piece of the text: characters `cp..cp_end` stored from `fc`, one byte each when
/// `compressed` (Windows-1252), else two (UTF-16).
struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

fn pieces(table: &[u8], (fc, lcb): (u32, u32)) -> Option<Vec<Piece>> {
    let clx = table.get(fc as usize..(fc as usize).checked_add(lcb as usize)?)?;
    let mut at = 0;
    // Property modifiers (Prc) come first.
    while *clx.get(at)? == 0x01 {
        at += 3 + usize::from(u16_at(clx, at + 1)?);
    }
    if *clx.get(at)? != 0x02 {
        return None;
    }
    let lcb = u32_at(clx, at + 1)? as usize;
    let plc = clx.get(at + 5..at + 5 + lcb)?;
    let n = (lcb.checked_sub(4)?) / 12;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let pcd = 4 * (n + 1) + i * 8;
        let raw = u32_at(plc, pcd + 2)?;
        let compressed = raw & 0x4000_0000 != 0;
        out.push(Piece {
            cp: u32_at(plc, i * 4)?,
            cp_end: u32_at(plc, i * 4 + 4)?,
            fc: if compressed {
                (raw & !0x4000_0000) / 2
            } else {
                raw
            },
            compressed,
        });
    }
    Some(out)
}

/// The characters of the main document with where each is stored (its FC).
fn text(word: &[u8], pieces: &[Piece], ccp_text: u32) -> Vec<(char, u32)> {
    let mut out = Vec::new();
    for p in pieces {
        if p.cp >= ccp_text {
            break;
        }
        // Sizes and places as the file gives them: a piece past the stream is skipped.
        let n = p.cp_end.min(ccp_text).saturating_sub(p.cp) as usize;
        let start = p.fc as usize;
        if p.compressed {
            let Some(bytes) = word.get(start..start.saturating_add(n)) else {
                continue;
            };
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            for (k, c) in s.chars().enumerate() {
                out.push((c, p.fc.wrapping_add(k as u32)));
            }
        } else {
            let Some(raw) = word.get(start..start.saturating_add(n.saturating_mul(2))) else {
                continue;
            };
            let units = raw
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]));
            let mut fc = p.fc;
            for c in char::decode_utf16(units) {
                let c = c.unwrap_or('\u{fffd}');
                out.push((c, fc));
                fc = fc.wrapping_add(2 * c.len_utf16() as u32);
            }
        }
    }
    out
}

/// The properties of the paragraph that ends at a given FC that matter here.
#[derive(Default, Clone)]
struct Para {
    in_table: bool,
    row_end: bool,
    /// Cells of the row (for a row end) merged with the one above.
    continued: Vec<usize>,
}

/// Paragraph properties by the FC range of the paragraphs they belong to.
struct Papx(BTreeMap<u32, (u32, Para)>);

impl Papx {
    fn read(word: &[u8], table: &[u8], data: &[u8], (fc, lcb): (u32, u32)) -> Papx {
        let mut out = BTreeMap::new();
        let plc = table
            .get(fc as usize..(fc as usize).saturating_add(lcb as usize))
            .unwrap_or(&[]);
        let n = plc.len().saturating_sub(4) / 8;
        for i in 0..n {
            let Some(pn) = u32_at(plc, 4 * (n + 1) + i * 4) else {
                break;
            };
            let page_at = ((pn & 0x003F_FFFF) as usize) * 512;
            if let Some(page) = word.get(page_at..page_at + 512) {
                fkp(page, data, &mut out);
            }
        }
        Papx(out)
    }

    /// The properties of the paragraph whose mark is stored at `fc`.
    fn at(&self, fc: u32) -> Para {
        self.0
            .range(..=fc)
            .next_back()
            .filter(|(_, (end, _))| fc < *end)
            .map(|(_, (_, p))| p.clone())
            .unwrap_or_default()
    }
}

/// The paragraphs of one `PapxFkp` page.
fn fkp(page: &[u8], data: &[u8], out: &mut BTreeMap<u32, (u32, Para)>) {
    let crun = usize::from(page[511]);
    for i in 0..crun {
        let (Some(start), Some(end)) = (u32_at(page, i * 4), u32_at(page, i * 4 + 4)) else {
            return;
        };
        let bx = 4 * (crun + 1) + i * 13;
        let Some(&offset) = page.get(bx) else {
            return;
        };
        let at = usize::from(offset) * 2;
        let para = if at == 0 {
            Para::default()
        } else {
            papx(page, data, at).unwrap_or_default()
        };
        out.insert(start, (end, para));
    }
}

/// The properties in one `PapxInFkp`: its `grpprl` after the style index.
fn papx(page: &[u8], data: &[u8], at: usize) -> Option<Para> {
    let cb = usize::from(*page.get(at)?);
    let (start, len) = if cb == 0 {
        (at + 2, usize::from(*page.get(at + 1)?) * 2)
    } else {
        (at + 1, cb * 2 - 1)
    };
    let grpprl = page.get(start + 2..(start + len).min(page.len()))?;
    let mut para = Para::default();
    sprms(grpprl, data, &mut para);
    Some(para)
}

/// Reads a list of properties into `para`.
fn sprms(grpprl: &[u8], data: &[u8], para: &mut Para) {
    let mut k = 0;
    // A property cut short ends the list; those before it still count.
    while let Some(sprm) = u16_at(grpprl, k) {
        let operand = &grpprl[k + 2..];
        let size = match sprm >> 13 {
            // sprmTDefTable: a two-byte size, counting one of its own bytes.
            _ if sprm == DEF_TABLE => u16_at(operand, 0).map_or(usize::MAX, |n| usize::from(n) + 1),
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => operand.first().map_or(usize::MAX, |n| 1 + usize::from(*n)),
        };
        if size > operand.len() {
            break;
        }
        let value = operand.first().copied().unwrap_or(0);
        match sprm {
            IN_TABLE | INNER_CELL => para.in_table |= value != 0,
            ROW_END | INNER_ROW_END => para.row_end |= value != 0,
            VERT_MERGE if operand.len() >= 3 && operand[2] == 3 => {
                para.continued.push(usize::from(operand[1]));
            }
            // The row's cells: a `TC80` of 20 bytes each after their edges, whose flags
            // say which cells continue a merge from the row above.
            DEF_TABLE => {
                let cells = usize::from(operand.get(2).copied().unwrap_or(0));
                let tcs = 3 + (cells + 1) * 2;
                for i in 0..cells {
                    let flags = u16_at(operand, tcs + i * 20).unwrap_or(0);
                    if flags & 0x20 != 0 && flags & 0x40 == 0 {
                        para.continued.push(i);
                    }
                }
            }
            HUGE_PAPX => {
                let huge = u32_at(operand, 0).and_then(|at| {
                    let at = at as usize;
                    let n = usize::from(u16_at(data, at)?);
                    data.get(at + 2..at + 2 + n)
                });
                if let Some(huge) = huge {
                    sprms(huge, &[], para);
                }
            }
            _ => {}
        }
        k += 2 + size;
    }
}

/// Lines from the characters: paragraphs as text lines, table rows as lines of cells.
#[derive(Default)]
struct Builder {
    out: Vec<Line>,
    text: String,
    cells: Vec<String>,
    paras: usize,
    tables: usize,
    rows: usize,
    in_row: bool,
    /// Depth of fields being read, and whether each shows its result yet.
    fields: Vec<bool>,
}

impl Builder {
    fn build(mut self, chars: &[(char, u32)], papx: &Papx) -> Vec<Line> {
        for &(c, fc) in chars {
            match c {
                '\u{13}' => self.fields.push(false),
                '\u{14}' => {
                    if let Some(f) = self.fields.last_mut() {
                        *f = true;
                    }
                }
                '\u{15}' => {
                    self.fields.pop();
                }
                _ if self.fields.last().is_some_and(|shown| !shown) => {}
                '\r' | '\u{c}' => {
                    let para = papx.at(fc);
                    if para.in_table {
                        self.text.push('\n');
                    } else {
                        self.paragraph();
                    }
                }
                '\u{7}' => {
                    let para = papx.at(fc);
                    if para.row_end {
                        self.row(&para.continued);
                    } else {
                        self.cells.push(std::mem::take(&mut self.text));
                        self.in_row = true;
                    }
                }
                '\u{b}' => self.text.push('\n'),
                '\u{1e}' => self.text.push('-'),
                '\u{1}' | '\u{2}' | '\u{5}' | '\u{8}' | '\u{1f}' => {}
                c => self.text.push(c),
            }
        }
        self.paragraph();
        self.out
    }

    fn paragraph(&mut self) {
        if self.in_row {
            self.row(&[]);
        }
        self.rows = 0;
        self.paras += 1;
        let loc = Loc::Para(self.paras);
        let text = std::mem::take(&mut self.text);
        for l in text.split('\n') {
            self.out.push(Line {
                loc,
                cells: super::plain::split_cells(l),
            });
        }
        self.out.push(Line::text_line(loc, ""));
    }

    fn row(&mut self, continued: &[usize]) {
        if self.rows == 0 {
            self.tables += 1;
        }
        self.rows += 1;
        self.in_row = false;
        self.text.clear();
        let cells = std::mem::take(&mut self.cells)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !continued.contains(i))
            .map(|(_, t)| {
                let t: String = t.split('\n').map(str::trim).collect();
                if t.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(t)
                }
            })
            .collect();
        self.out.push(Line {
            loc: Loc::Row {
                table: self.tables,
                row: self.rows,
            },
            cells,
        });
    }
}
