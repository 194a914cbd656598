//! A PDF's objects read into a [`lopdf::Document`] for the text reader (`pdf.rs`),
//! with every cost bounded. lopdf's own loader trusts the file: it parses an object once
//! for every cross-reference entry that points at it, however many share it, and
//! decompresses object and cross-reference streams with no limit. Here the file is read
//! once from start to end, as readers repair a damaged file: each `N G obj` is parsed
//! where it stands (nesting at most [`DEPTH`] deep, the whole parse at most a few times
//! the file's size), a later definition replacing an earlier one as an incremental update
//! does; the trailer is gathered from every `trailer` and cross-reference stream; object
//! streams are expanded through the [`Decoder`], which caps what streams decode to. A file
//! encrypted with an empty user password (permissions only) is decrypted with lopdf's code.

use std::collections::BTreeMap;
use std::io::Read;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

/// How deep arrays and dictionaries may nest (lopdf allows 100; real files stay under 10).
pub(super) const DEPTH: usize = 64;
/// How deep literal strings may nest their parentheses, as lopdf.
const PARENS: usize = 100;
/// The most one stream may decode to.
pub const STREAM_LIMIT: usize = 64 << 20;
/// The most all the streams of one file may decode to together.
pub const FILE_LIMIT: usize = 256 << 20;
/// The most pages read.
pub const PAGES: usize = 10_000;
/// The most the extraction may go through, in bytes: content, drawings each time they are
/// drawn, fonts each page they are used on.
pub const WORK: usize = 256 << 20;
/// The most drawings may nest inside drawings.
pub const FORM_DEPTH: usize = 16;
/// The most entries one font's character map may define.
pub const CMAP_ENTRIES: usize = 1 << 17;
/// The most bytes of one character map (a full Chinese font's map is under 1 MB).
pub const CMAP_BYTES: usize = 4 << 20;
/// The most characters read from one page (a dense page of a report has 2,000–3,000):
/// placing labels beside figures compares a page's characters with each other.
pub const PAGE_GLYPHS: usize = 10_000;
/// The most characters read from one file.
pub const FILE_GLYPHS: usize = 1_000_000;

/// Why a PDF is not read. [`Fault::message`] says it to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Not a PDF that can be made sense of: no catalog, no page tree.
    Broken,
    /// Encrypted with a password to open it.
    Password,
    /// Over one of the caps.
    Over(Cap),
    /// A page tree or a drawing that contains itself.
    Loop(&'static str),
    /// Hardly any text, and streams that failed to decode: damaged, not a scan.
    Damaged,
}

/// The caps a PDF is read within, each with the words that state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// [`STREAM_LIMIT`].
    Stream,
    /// [`FILE_LIMIT`].
    File,
    /// Parsing the file's objects: a few times its size ([`parse_budget`]).
    Parse,
    /// Pages ([`PAGES`]).
    Pages,
    /// What the text extraction goes through ([`WORK`]).
    Work,
    /// Drawings drawn inside drawings ([`FORM_DEPTH`]).
    Forms,
    /// A font's character map ([`CMAP_ENTRIES`]).
    Font,
    /// Characters on one page or in the file ([`PAGE_GLYPHS`]).
    Glyphs,
}

impl Fault {
    /// What went wrong with `name`, in words for an editor; the caller adds what was not
    /// written.
    pub fn message(&self, name: &str) -> String {
        match self {
            Fault::Broken => {
                format!("{name} 不是完整的 PDF 文件（可能已损坏或只下载了一部分），无法读取。")
            }
            Fault::Password => format!(
                "{name} 有密码保护，无法读取其中的文字。请取得没有密码的 PDF，或从原始的 Word 文件导入。"
            ),
            Fault::Damaged => format!(
                "{name} 中的压缩数据已损坏或用了不支持的压缩方式，读不出其中的文字（可能只下载了一部分）。请重新下载，或取得原始的 Word 文件。"
            ),
            Fault::Loop(what) => format!(
                "{name} 的{what}引用了自身（循环），文件已损坏或是被人为构造的，没有读取。请取得原始文件或重新导出的 PDF。"
            ),
            Fault::Over(cap) => format!(
                "{name} {}，超过了读取 PDF 的限度，不像一份正常的报告（可能是被人为构造的文件），没有读取。请取得原始的 Word 文件或重新导出的 PDF。",
                cap.words()
            ),
        }
    }
}

impl Cap {
    fn words(self) -> String {
        match self {
            Cap::Stream => format!("中有一段压缩数据解压后超过 {} MB", STREAM_LIMIT >> 20),
            Cap::File => format!("中的压缩数据解压后合计超过 {} MB", FILE_LIMIT >> 20),
            Cap::Parse => "的对象结构重叠、反复，解析量超过文件大小的 4 倍".to_string(),
            Cap::Pages => format!("超过 {PAGES} 页"),
            Cap::Work => format!(
                "的页面内容（含重复绘制的图形和每页用到的字体）合计超过 {} MB",
                WORK >> 20
            ),
            Cap::Forms => format!("中的图形嵌套超过 {FORM_DEPTH} 层"),
            Cap::Font => format!(
                "中有字体的字符对照表过大（超过 {} MB 或 {CMAP_ENTRIES} 项）或嵌套过深",
                CMAP_BYTES >> 20
            ),
            Cap::Glyphs => format!(
                "一页超过 {} 个字符，或全文超过 {} 个字符",
                PAGE_GLYPHS, FILE_GLYPHS
            ),
        }
    }
}

/// How many bytes parsing a file of `len` bytes may go through: each object once, and
/// room for damaged objects that fail part-way.
fn parse_budget(len: usize) -> usize {
    len.saturating_mul(4).saturating_add(1 << 20)
}

/// Reads `bytes` (a PDF) into a document: objects, trailer, object streams expanded,
/// decrypted if an empty password opens it. Streams keep their filters: the
/// [`Decoder`] passed on decodes them later, its count carrying on from here.
pub fn load(bytes: &[u8], decoder: &mut Decoder) -> Result<Document, Fault> {
    let mut p = Parser::new(bytes);
    let found = p.objects()?;
    let mut doc = Document::new();
    doc.version = version(bytes);
    doc.trailer = p.trailer(&found)?;
    let mut positions: BTreeMap<ObjectId, usize> =
        found.iter().map(|(id, (at, _))| (*id, *at)).collect();
    doc.objects = found.into_iter().map(|(id, (_, o))| (id, o)).collect();
    if doc.trailer.has(b"Encrypt") {
        decrypt(&mut doc)?;
    }
    p.expand_object_streams(&mut doc, &mut positions, decoder)?;
    root(&mut doc, &positions)?;
    doc.max_id = doc.objects.keys().map(|(n, _)| *n).max().unwrap_or(0);
    Ok(doc)
}

/// The trailer's `Root` if it is a dictionary, else the catalog defined last.
fn root(doc: &mut Document, positions: &BTreeMap<ObjectId, usize>) -> Result<(), Fault> {
    if doc.catalog().is_ok() {
        return Ok(());
    }
    let catalog = doc
        .objects
        .iter()
        .filter(|(_, o)| o.as_dict().is_ok_and(|d| d.has_type(b"Catalog")))
        .max_by_key(|(id, _)| positions.get(id))
        .map(|(id, _)| *id)
        .ok_or(Fault::Broken)?;
    doc.trailer.set("Root", Object::Reference(catalog));
    Ok(())
}

/// `1.7` from `%PDF-1.7`.
fn version(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5)
        .position(|w| w == b"%PDF-")
        .map(|i| {
            head[i + 5..]
                .iter()
                .take_while(|c| c.is_ascii_digit() || **c == b'.')
                .map(|c| *c as char)
                .collect()
        })
        .unwrap_or_else(|| "1.4".to_string())
}

/// Decrypts every object with the empty user password, as lopdf does when it loads such a
/// file; a file that needs a password to open is [`Fault::Password`].
fn decrypt(doc: &mut Document) -> Result<(), Fault> {
    let encrypt = doc
        .trailer
        .get(b"Encrypt")
        .and_then(Object::as_reference)
        .map_err(|_| Fault::Password)?;
    doc.authenticate_password("").map_err(|_| Fault::Password)?;
    let state = lopdf::EncryptionState::decode(&*doc, "").map_err(|_| Fault::Password)?;
    for (id, o) in doc.objects.iter_mut() {
        if *id != encrypt {
            let _ = lopdf::encryption::decrypt_object(&state, *id, o);
        }
    }
    doc.trailer.remove(b"Encrypt");
    doc.objects.remove(&encrypt);
    Ok(())
}

/// The file read as objects: every byte it parses counts against its budget.
pub(super) struct Parser<'a> {
    b: &'a [u8],
    work: usize,
    budget: usize,
}

fn is_space(c: u8) -> bool {
    b" \t\n\r\0\x0C".contains(&c)
}

fn is_delimiter(c: u8) -> bool {
    b"()<>[]{}/%".contains(&c)
}

fn is_regular(c: u8) -> bool {
    !is_space(c) && !is_delimiter(c)
}

/// Where `needle` occurs in `hay` from `from` on.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

/// Objects by id, with where each was defined (a later one replaces an earlier one).
type Found = BTreeMap<ObjectId, (usize, Object)>;

impl<'a> Parser<'a> {
    /// A parser of `b` (a file, or a decoded content stream) with the budget for its size.
    pub(super) fn new(b: &'a [u8]) -> Parser<'a> {
        Parser {
            b,
            work: 0,
            budget: parse_budget(b.len()),
        }
    }

    /// Counts `n` bytes parsed; past the budget the file is refused.
    fn spend(&mut self, n: usize) -> Result<(), Fault> {
        self.work = self.work.saturating_add(n);
        if self.work > self.budget {
            return Err(Fault::Over(Cap::Parse));
        }
        Ok(())
    }

    /// Every `N G obj` of the file in order, streams with their data; a stream whose
    /// `/Length` is another object gets it once all are read, as lopdf does.
    fn objects(&mut self) -> Result<Found, Fault> {
        let mut found = Found::new();
        let mut later_length: Vec<(ObjectId, ObjectId, usize, usize)> = Vec::new();
        let mut i = 0;
        while let Some(at) = find(self.b, b"obj", i) {
            i = at + 3;
            let Some((id, start)) = self.header(at) else {
                continue;
            };
            let Some((object, end)) = self.object(at + 3, DEPTH)? else {
                continue;
            };
            let (object, end) = match object {
                Object::Dictionary(dict) => match self.stream_data(&dict, end)? {
                    Some(((start, stop), end)) => {
                        if let Ok(len) = dict.get(b"Length").and_then(Object::as_reference) {
                            later_length.push((id, len, start, stop));
                        }
                        let content = self.b[start..stop].to_vec();
                        (Object::Stream(Stream::new(dict, content)), end)
                    }
                    None => (Object::Dictionary(dict), end),
                },
                other => (other, end),
            };
            let end = self.skip_keyword(end, b"endobj");
            found.insert(id, (start, object));
            i = i.max(end);
        }
        for (id, len, start, stop) in later_length {
            self.indirect_length(&mut found, id, len, start, stop);
        }
        Ok(found)
    }

    /// The object number and generation before the `obj` at `at`, and where they start.
    fn header(&self, at: usize) -> Option<(ObjectId, usize)> {
        let b = self.b;
        if b.get(at + 3).is_some_and(|c| is_regular(*c)) {
            return None;
        }
        // Runs read backwards at most this long: `obj` in a long run of digits or spaces
        // costs no more than anywhere else.
        let digits_back = |end: usize| {
            let start = (0..end)
                .rev()
                .take(11)
                .take_while(|i| b[*i].is_ascii_digit())
                .last()?;
            (end - start <= 10).then_some(start)
        };
        let spaces_back = |end: usize| {
            let start = (0..end)
                .rev()
                .take(64)
                .take_while(|i| is_space(b[*i]))
                .last()?;
            Some(start)
        };
        let g_end = spaces_back(at)?;
        let g = digits_back(g_end)?;
        let n_end = spaces_back(g)?;
        let n = digits_back(n_end)?;
        if n > 0 && is_regular(b[n - 1]) {
            return None;
        }
        let num: u32 = std::str::from_utf8(&b[n..n_end]).ok()?.parse().ok()?;
        let generation: u16 = std::str::from_utf8(&b[g..g_end]).ok()?.parse().ok()?;
        Some(((num, generation), n))
    }

    /// After a dictionary ending at `i`: the stream's data `(start, end)` and where
    /// parsing goes on.
    #[allow(clippy::type_complexity)]
    fn stream_data(
        &mut self,
        dict: &Dictionary,
        i: usize,
    ) -> Result<Option<((usize, usize), usize)>, Fault> {
        let b = self.b;
        let mut j = self.ws(i)?;
        if !b[j..].starts_with(b"stream") {
            return Ok(None);
        }
        j += 6;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        let start = if b[j..].starts_with(b"\r\n") {
            j + 2
        } else if b[j..].starts_with(b"\n") || b[j..].starts_with(b"\r") {
            j + 1
        } else {
            return Ok(None);
        };
        let length = dict.get(b"Length").ok();
        if let Some(Object::Integer(n)) = length
            && let Ok(n) = usize::try_from(*n)
            && let Some(end) = start.checked_add(n).filter(|e| *e <= b.len())
        {
            let after = self.skip_eol(end);
            if b[after..].starts_with(b"endstream") {
                return Ok(Some(((start, end), after + 9)));
            }
        }
        // No usable length: the data runs to `endstream`, less the line break before it.
        let Some(e) = find(b, b"endstream", start) else {
            self.spend(b.len() - start)?;
            return Ok(None);
        };
        self.spend(e - start)?;
        let mut end = e;
        if end > start && b[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        Ok(Some(((start, end), e + 9)))
    }

    /// A stream whose `/Length` is the object `len` takes that many bytes if they end at
    /// its `endstream`.
    fn indirect_length(
        &self,
        found: &mut Found,
        id: ObjectId,
        len: ObjectId,
        start: usize,
        end: usize,
    ) {
        let Some(Object::Integer(n)) = found.get(&len).map(|(_, o)| o) else {
            return;
        };
        let Some(stop) = usize::try_from(*n).ok().and_then(|n| start.checked_add(n)) else {
            return;
        };
        if stop <= end && self.b[self.skip_eol(stop)..].starts_with(b"endstream") {
            let data = self.b[start..stop].to_vec();
            if let Some((_, Object::Stream(s))) = found.get_mut(&id) {
                s.set_content(data);
            }
        }
    }

    fn skip_eol(&self, i: usize) -> usize {
        let b = &self.b[i..];
        if b.starts_with(b"\r\n") {
            i + 2
        } else if b.starts_with(b"\n") || b.starts_with(b"\r") {
            i + 1
        } else {
            i
        }
    }

    /// Past `keyword` if it follows (after white space) at `i`, else `i`.
    fn skip_keyword(&mut self, i: usize, keyword: &[u8]) -> usize {
        match self.ws(i) {
            Ok(j) if self.b[j..].starts_with(keyword) => j + keyword.len(),
            _ => i,
        }
    }

    /// Past white space and comments from `i`.
    pub(super) fn ws(&mut self, mut i: usize) -> Result<usize, Fault> {
        let start = i;
        let b = self.b;
        while i < b.len() {
            if is_space(b[i]) {
                i += 1;
            } else if b[i] == b'%' {
                while i < b.len() && b[i] != b'\r' && b[i] != b'\n' {
                    i += 1;
                }
            } else {
                break;
            }
        }
        self.spend(i - start)?;
        Ok(i)
    }

    /// The object at `i` (after white space) and where it ends; `None` if there is none.
    pub(super) fn object(
        &mut self,
        i: usize,
        depth: usize,
    ) -> Result<Option<(Object, usize)>, Fault> {
        let b = self.b;
        let i = self.ws(i)?;
        let Some(&c) = b.get(i) else {
            return Ok(None);
        };
        if depth == 0 {
            return Ok(None);
        }
        Ok(match c {
            b'/' => {
                let (name, end) = self.name(i)?;
                Some((Object::Name(name), end))
            }
            b'(' => self
                .literal(i)?
                .map(|(s, end)| (Object::String(s, StringFormat::Literal), end)),
            b'<' if b.get(i + 1) == Some(&b'<') => self
                .dictionary(i + 2, depth)?
                .map(|(d, end)| (Object::Dictionary(d), end)),
            b'<' => self
                .hex(i)?
                .map(|(s, end)| (Object::String(s, StringFormat::Hexadecimal), end)),
            b'[' => {
                let mut items = Vec::new();
                let mut j = i + 1;
                loop {
                    j = self.ws(j)?;
                    if b.get(j) == Some(&b']') {
                        break Some((Object::Array(items), j + 1));
                    }
                    match self.object(j, depth - 1)? {
                        Some((o, end)) => {
                            items.push(o);
                            j = end;
                        }
                        None => break None,
                    }
                }
            }
            _ => self.word(i)?,
        })
    }

    fn dictionary(
        &mut self,
        mut j: usize,
        depth: usize,
    ) -> Result<Option<(Dictionary, usize)>, Fault> {
        let b = self.b;
        let mut dict = Dictionary::new();
        loop {
            j = self.ws(j)?;
            if b[j..].starts_with(b">>") {
                return Ok(Some((dict, j + 2)));
            }
            if b.get(j) != Some(&b'/') {
                return Ok(None);
            }
            let (key, end) = self.name(j)?;
            match self.object(end, depth - 1)? {
                Some((value, end)) => {
                    dict.set(key, value);
                    j = end;
                }
                None => return Ok(None),
            }
        }
    }

    /// A keyword or a number at `i`; two integers and `R` are a reference.
    fn word(&mut self, i: usize) -> Result<Option<(Object, usize)>, Fault> {
        let b = self.b;
        let end = (i..b.len()).find(|j| !is_regular(b[*j])).unwrap_or(b.len());
        self.spend(end - i)?;
        let w = &b[i..end];
        Ok(match w {
            b"null" => Some((Object::Null, end)),
            b"true" => Some((Object::Boolean(true), end)),
            b"false" => Some((Object::Boolean(false), end)),
            _ => match number(w) {
                Some(Object::Integer(n)) => {
                    Some(self.reference(n, end)?.unwrap_or((Object::Integer(n), end)))
                }
                Some(o) => Some((o, end)),
                None => None,
            },
        })
    }

    /// `G R` after the integer `n` ending at `i`, as a reference.
    fn reference(&mut self, n: i64, i: usize) -> Result<Option<(Object, usize)>, Fault> {
        let b = self.b;
        let j = self.ws(i)?;
        let g_end = (j..b.len())
            .find(|k| !b[*k].is_ascii_digit())
            .unwrap_or(b.len());
        if g_end == j || g_end - j > 5 {
            return Ok(None);
        }
        let k = self.ws(g_end)?;
        if b.get(k) != Some(&b'R') || b.get(k + 1).is_some_and(|c| is_regular(*c)) {
            return Ok(None);
        }
        let (Ok(num), Some(g)) = (
            u32::try_from(n),
            std::str::from_utf8(&b[j..g_end])
                .ok()
                .and_then(|g| g.parse::<u16>().ok()),
        ) else {
            return Ok(None);
        };
        Ok(Some((Object::Reference((num, g)), k + 1)))
    }

    pub(super) fn name(&mut self, i: usize) -> Result<(Vec<u8>, usize), Fault> {
        let b = self.b;
        let mut out = Vec::new();
        let mut j = i + 1;
        while j < b.len() && is_regular(b[j]) {
            if b[j] == b'#' {
                match b.get(j + 1..j + 3).and_then(hex_pair) {
                    Some(c) => {
                        out.push(c);
                        j += 3;
                    }
                    None => break,
                }
            } else {
                out.push(b[j]);
                j += 1;
            }
        }
        self.spend(j - i)?;
        Ok((out, j))
    }

    /// A `( … )` string: nested parentheses, escapes and line breaks as lopdf reads them.
    pub(super) fn literal(&mut self, i: usize) -> Result<Option<(Vec<u8>, usize)>, Fault> {
        let b = self.b;
        let mut out = Vec::new();
        let mut nest = 0usize;
        let mut j = i + 1;
        let result = loop {
            let Some(&c) = b.get(j) else {
                break None;
            };
            match c {
                b'\\' => {
                    j += 1;
                    let Some(&e) = b.get(j) else {
                        break None;
                    };
                    match e {
                        b'0'..=b'7' => {
                            let digits = b[j..]
                                .iter()
                                .take(3)
                                .take_while(|d| (b'0'..=b'7').contains(*d))
                                .count();
                            let v = b[j..j + digits]
                                .iter()
                                .fold(0u16, |v, d| v * 8 + u16::from(d - b'0'));
                            out.push(v as u8);
                            j += digits;
                        }
                        b'\r' | b'\n' => j = self.skip_eol(j),
                        _ => {
                            out.push(match e {
                                b'n' => b'\n',
                                b'r' => b'\r',
                                b't' => b'\t',
                                b'b' => 0x08,
                                b'f' => 0x0C,
                                other => other,
                            });
                            j += 1;
                        }
                    }
                }
                b'(' => {
                    nest += 1;
                    if nest > PARENS {
                        break None;
                    }
                    out.push(c);
                    j += 1;
                }
                b')' if nest == 0 => break Some((out, j + 1)),
                b')' => {
                    nest -= 1;
                    out.push(c);
                    j += 1;
                }
                _ => {
                    out.push(c);
                    j += 1;
                }
            }
        };
        self.spend(j - i)?;
        Ok(result)
    }

    pub(super) fn hex(&mut self, i: usize) -> Result<Option<(Vec<u8>, usize)>, Fault> {
        let b = self.b;
        let mut out: Vec<u8> = Vec::new();
        let mut half = false;
        let mut j = i + 1;
        let result = loop {
            match b.get(j) {
                Some(b'>') => break Some((out, j + 1)),
                Some(c) if is_space(*c) => {}
                Some(c) if c.is_ascii_hexdigit() => {
                    let v = (*c as char).to_digit(16).unwrap_or(0) as u8;
                    if half {
                        if let Some(last) = out.last_mut() {
                            *last |= v;
                        }
                    } else {
                        out.push(v << 4);
                    }
                    half = !half;
                }
                _ => break None,
            }
            j += 1;
        };
        self.spend(j - i)?;
        Ok(result)
    }

    /// The trailer: `Root`, `Info`, `Encrypt` and `ID` from every `trailer` and
    /// cross-reference stream, a later one's over an earlier one's.
    fn trailer(&mut self, found: &Found) -> Result<Dictionary, Fault> {
        let mut dicts: Vec<(usize, Dictionary)> = found
            .values()
            .filter_map(|(at, o)| match o {
                Object::Stream(s) if s.dict.has_type(b"XRef") => Some((*at, s.dict.clone())),
                _ => None,
            })
            .collect();
        let mut i = 0;
        while let Some(at) = find(self.b, b"trailer", i) {
            i = at + 7;
            let j = self.ws(i)?;
            if self.b[j..].starts_with(b"<<")
                && let Some((d, end)) = self.dictionary(j + 2, DEPTH)?
            {
                dicts.push((at, d));
                i = end;
            }
        }
        dicts.sort_by_key(|(at, _)| *at);
        let mut trailer = Dictionary::new();
        for (_, d) in dicts {
            for key in [&b"Root"[..], b"Info", b"Encrypt", b"ID"] {
                if let Ok(v) = d.get(key) {
                    trailer.set(key, v.clone());
                }
            }
        }
        Ok(trailer)
    }

    /// The objects of every object stream, each unless a later definition replaces it.
    fn expand_object_streams(
        &mut self,
        doc: &mut Document,
        positions: &mut BTreeMap<ObjectId, usize>,
        decoder: &mut Decoder,
    ) -> Result<(), Fault> {
        let containers: Vec<ObjectId> = doc
            .objects
            .iter()
            .filter(|(_, o)| o.as_stream().is_ok_and(|s| s.dict.has_type(b"ObjStm")))
            .map(|(id, _)| *id)
            .collect();
        for c in containers {
            let Some(Object::Stream(s)) = doc.objects.get(&c) else {
                continue;
            };
            let data = decoder.decode(s)?.unwrap_or_else(|| s.content.clone());
            let first = s.dict.get(b"First").and_then(Object::as_i64).ok();
            let at = positions.get(&c).copied().unwrap_or(0);
            let Some(first) = first.and_then(|f| usize::try_from(f).ok()) else {
                continue;
            };
            for (id, o) in self.object_stream(&data, first)? {
                if positions.get(&id).is_none_or(|p| *p < at) {
                    positions.insert(id, at);
                    doc.objects.insert(id, o);
                }
            }
        }
        Ok(())
    }

    /// The objects of one decoded object stream: pairs of number and offset before
    /// `first`, each object parsed from there.
    fn object_stream(
        &mut self,
        data: &[u8],
        first: usize,
    ) -> Result<Vec<(ObjectId, Object)>, Fault> {
        let Some(index) = data.get(..first) else {
            return Ok(Vec::new());
        };
        let numbers: Vec<Option<usize>> = std::str::from_utf8(index)
            .unwrap_or("")
            .split_ascii_whitespace()
            .map(|n| n.parse().ok())
            .collect();
        let mut inner = Parser {
            b: data,
            work: self.work,
            budget: self.budget,
        };
        let mut out = Vec::new();
        for pair in numbers.chunks_exact(2) {
            let (Some(num), Some(offset)) = (pair[0], pair[1]) else {
                continue;
            };
            let (Ok(num), Some(at)) = (u32::try_from(num), first.checked_add(offset)) else {
                continue;
            };
            if at >= data.len() {
                continue;
            }
            if let Some((o, _)) = inner.object(at, DEPTH)? {
                out.push(((num, 0), o));
            }
        }
        self.work = inner.work;
        Ok(out)
    }
}

fn hex_pair(h: &[u8]) -> Option<u8> {
    let s = std::str::from_utf8(h).ok()?;
    if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u8::from_str_radix(s, 16).ok()
}

/// A number as lopdf reads one: an integer, or a real with a point.
fn number(w: &[u8]) -> Option<Object> {
    let s = std::str::from_utf8(w).ok()?;
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        return None;
    }
    match digits.bytes().filter(|c| *c == b'.').count() {
        0 => s.parse::<i64>().ok().map(Object::Integer),
        1 if digits != "." => s.parse::<f32>().ok().map(Object::Real),
        _ => None,
    }
}

/// Decodes streams as lopdf does (`FlateDecode` with its raw-deflate fallback,
/// `LZWDecode`, `ASCII85Decode`, PNG predictors), counting every byte made against
/// [`STREAM_LIMIT`] and [`FILE_LIMIT`].
#[derive(Default)]
pub struct Decoder {
    used: usize,
    damaged: bool,
}

impl Decoder {
    /// Whether a stream failed to decode (cut short, corrupt, or in a filter lopdf does
    /// not decode): text missing from such a file is not a scan's.
    pub fn damaged(&self) -> bool {
        self.damaged
    }

    /// What `s` decodes to, or `None` where lopdf would hand back its bytes as they are
    /// (no filter, or one lopdf does not decode).
    pub fn decode(&mut self, s: &Stream) -> Result<Option<Vec<u8>>, Fault> {
        let Ok(filters) = s.filters() else {
            return Ok(None);
        };
        let params = s.dict.get(b"DecodeParms").and_then(Object::as_dict).ok();
        let mut data: Option<Vec<u8>> = None;
        for f in filters {
            let input = data.as_deref().unwrap_or(&s.content);
            let out = match f {
                b"FlateDecode" => {
                    let out = self.flate(input)?;
                    predictor(out, params)
                }
                b"LZWDecode" => {
                    let out = self.lzw(input, params)?;
                    predictor(out, params)
                }
                b"ASCII85Decode" => self.ascii85(input)?,
                _ => None,
            };
            match out {
                Some(o) => data = Some(o),
                None => {
                    self.damaged = true;
                    return Ok(None);
                }
            }
        }
        Ok(data)
    }

    /// Counts `n` more bytes of one stream's output; `made` is that stream's so far.
    fn count(&mut self, made: usize) -> Result<(), Fault> {
        if made > STREAM_LIMIT {
            return Err(Fault::Over(Cap::Stream));
        }
        if self.used.saturating_add(made) > FILE_LIMIT {
            return Err(Fault::Over(Cap::File));
        }
        Ok(())
    }

    /// Reads `r` to its end or its first error, within the caps.
    fn read_capped(&mut self, r: impl Read) -> Result<Vec<u8>, Fault> {
        let room = STREAM_LIMIT.min(FILE_LIMIT.saturating_sub(self.used)) + 1;
        let mut out = Vec::new();
        let failed = r.take(room as u64).read_to_end(&mut out).is_err();
        self.damaged |= failed;
        self.count(out.len())?;
        self.used += out.len();
        Ok(out)
    }

    fn flate(&mut self, input: &[u8]) -> Result<Vec<u8>, Fault> {
        if input.is_empty() {
            return Ok(Vec::new());
        }
        let damaged = self.damaged;
        let out = self.read_capped(flate2::read::ZlibDecoder::new(input))?;
        if out.is_empty() && input.len() > 2 {
            // lopdf's fallback: raw deflate after the two bytes of a zlib header.
            self.damaged = damaged;
            return self.read_capped(flate2::read::DeflateDecoder::new(&input[2..]));
        }
        Ok(out)
    }

    fn lzw(&mut self, input: &[u8], params: Option<&Dictionary>) -> Result<Vec<u8>, Fault> {
        use weezl::{BitOrder, decode::Decoder as Lzw};
        let early = params
            .and_then(|p| p.get(b"EarlyChange").ok())
            .and_then(|p| p.as_i64().ok())
            .is_none_or(|v| v != 0);
        let mut lzw = if early {
            Lzw::with_tiff_size_switch(BitOrder::Msb, 8)
        } else {
            Lzw::new(BitOrder::Msb, 8)
        };
        let mut out = Vec::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut rest = input;
        loop {
            let r = lzw.decode_bytes(rest, &mut buf);
            rest = &rest[r.consumed_in..];
            out.extend_from_slice(&buf[..r.consumed_out]);
            self.count(out.len())?;
            match r.status {
                Ok(weezl::LzwStatus::Ok) if r.consumed_in + r.consumed_out > 0 => {}
                Err(_) => {
                    self.damaged = true;
                    break;
                }
                _ => break,
            }
        }
        self.used += out.len();
        Ok(out)
    }

    /// ASCII85 as lopdf decodes it; `None` where lopdf fails.
    fn ascii85(&mut self, input: &[u8]) -> Result<Option<Vec<u8>>, Fault> {
        let input = input.strip_suffix(b"~>").unwrap_or(input);
        let mut out = Vec::new();
        let (mut buffer, mut count) = (0u32, 0);
        for &ch in input {
            if ch == b'z' {
                if count != 0 {
                    return Ok(None);
                }
                out.extend_from_slice(&[0; 4]);
            } else if ch.is_ascii_whitespace() {
                continue;
            } else if !(b'!'..=b'u').contains(&ch) {
                break;
            } else {
                let Some(b) = buffer.checked_mul(85) else {
                    return Ok(None);
                };
                buffer = b + u32::from(ch - b'!');
                count += 1;
                if count == 5 {
                    out.extend_from_slice(&buffer.to_be_bytes());
                    (buffer, count) = (0, 0);
                }
            }
            if out.len() % 4096 == 0 {
                self.count(out.len())?;
            }
        }
        if count > 0 {
            for _ in count..5 {
                let Some(b) = buffer.checked_mul(85) else {
                    return Ok(None);
                };
                buffer = b + 84;
            }
            out.extend_from_slice(&buffer.to_be_bytes()[..count - 1]);
        }
        self.count(out.len())?;
        self.used += out.len();
        Ok(Some(out))
    }
}

/// A PNG predictor (`/Predictor` 10–15) undone as lopdf does; `None` where lopdf fails,
/// checked before lopdf's code allocates a row longer than the data.
fn predictor(data: Vec<u8>, params: Option<&Dictionary>) -> Option<Vec<u8>> {
    let Some(p) = params else {
        return Some(data);
    };
    let get = |k: &[u8], d: i64| p.get(k).and_then(Object::as_i64).unwrap_or(d);
    if !(10..=15).contains(&get(b"Predictor", 1)) {
        return Some(data);
    }
    let columns = usize::try_from(get(b"Columns", 1).max(1)).ok()?;
    let colors = usize::try_from(get(b"Colors", 1).max(1)).ok()?;
    let bits = usize::try_from(get(b"BitsPerComponent", 8).max(8)).ok()?;
    let pixel = colors.checked_mul(bits)? / 8;
    let row = pixel.checked_mul(columns)?;
    if data.is_empty() {
        return Some(data);
    }
    if row >= data.len() {
        return None;
    }
    lopdf::filters::png::decode_frame(&data, pixel, columns).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(pdf: &str) -> Result<Document, Fault> {
        load(pdf.as_bytes(), &mut Decoder::default())
    }

    #[test]
    fn objects_references_strings_and_a_trailer_are_read() {
        let doc = load_str(
            "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R /T (a\\(b\\) \\101) /H <4E2D> /N /A#20B >> endobj\n\
             2 0 obj [1 -2 3.5 true null] endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        )
        .unwrap();
        assert_eq!(doc.version, "1.7");
        let cat = doc.catalog().unwrap();
        assert_eq!(cat.get(b"Pages").unwrap(), &Object::Reference((2, 0)));
        assert_eq!(cat.get(b"T").unwrap().as_str().unwrap(), b"a(b) A");
        assert_eq!(cat.get(b"H").unwrap().as_str().unwrap(), [0x4E, 0x2D]);
        assert_eq!(cat.get(b"N").unwrap().as_name().unwrap(), b"A B");
        let arr = doc.get_object((2, 0)).unwrap().as_array().unwrap();
        assert_eq!(arr.len(), 5);
    }

    #[test]
    fn a_later_definition_replaces_an_earlier_one() {
        let doc = load_str(
            "%PDF-1.4\n1 0 obj << /Type /Catalog /V 1 >> endobj\n1 0 obj << /Type /Catalog /V 2 >> endobj\n%%EOF",
        )
        .unwrap();
        assert_eq!(
            doc.catalog().unwrap().get(b"V").unwrap(),
            &Object::Integer(2)
        );
    }

    #[test]
    fn deep_nesting_and_reparsing_are_bounded() {
        let deep = format!("%PDF-1.4\n1 0 obj {} endobj\n", "[".repeat(200_000));
        assert_eq!(load_str(&deep).unwrap_err(), Fault::Broken);
        // Objects inside an unterminated string, each parsed to the end of the file.
        let mut s = "%PDF-1.4\n".to_string();
        for i in 1..20_000 {
            s.push_str(&format!("{i} 0 obj ("));
        }
        assert_eq!(load_str(&s).unwrap_err(), Fault::Over(Cap::Parse));
    }

    #[test]
    fn a_stream_decoding_past_the_cap_is_refused() {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..65 {
            z.write_all(&zeros).unwrap();
        }
        let data = z.finish().unwrap();
        let mut d = Dictionary::new();
        d.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let s = Stream::new(d, data);
        assert_eq!(
            Decoder::default().decode(&s).unwrap_err(),
            Fault::Over(Cap::Stream)
        );
    }
}
