//! The PDF of a yearly report (and of the 申请表), laid out by Typst used as a library.
//!
//! Typst does the work the official tables need (merged header cells, tables across
//! pages with their header repeated, Chinese line breaking) and embeds a subset of the
//! font. The layout is the theme's `pdf/report.typ`; the report reaches it as JSON in a
//! virtual file, so no editor's text is ever read as Typst markup. Fonts are read once
//! per build; the date is the report's own, so the same report gives the same bytes.

use std::path::{Path, PathBuf};

use serde::Serialize;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::config::PdfConfig;
use crate::ground::diagnostics::Diagnostic;
use crate::model::report::Report;
use crate::model::report::schema::SectionContent;
use crate::model::report::view::{TableView, table_view};

/// Families for the body text, best first: the Noto CJK fonts (Debian, Ubuntu, 统信 UOS,
/// 麒麟 Kylin: `fonts-noto-cjk`), Source Han (the same design), then the fonts Windows
/// comes with (宋体, 微软雅黑, 黑体) and WenQuanYi (older Linux desktops).
const BODY: &[&str] = &[
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "SimSun",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "SimHei",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
];

/// Families for headings (bold where the family has it), best first.
const HEADING: &[&str] = &[
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "SimHei",
    "Microsoft YaHei",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "SimSun",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
];

/// The files of the system's fonts for body and headings, as fontdb finds them
/// (fontconfig's folders on Linux, `%WINDIR%\Fonts` and the user's fonts on Windows).
/// Looked up once per run.
fn system_fonts() -> &'static Option<(PathBuf, PathBuf)> {
    static FOUND: std::sync::OnceLock<Option<(PathBuf, PathBuf)>> = std::sync::OnceLock::new();
    FOUND.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let find = |wanted: &[&str], weight: fontdb::Weight| {
            wanted.iter().find_map(|name| {
                let id = db.query(&fontdb::Query {
                    families: &[fontdb::Family::Name(name)],
                    weight,
                    ..fontdb::Query::default()
                })?;
                match &db.face(id)?.source {
                    fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => Some(p.clone()),
                    fontdb::Source::Binary(_) => None,
                }
            })
        };
        Some((
            find(BODY, fontdb::Weight::NORMAL)?,
            find(HEADING, fontdb::Weight::BOLD)?,
        ))
    })
}

/// What to install where no Chinese font was found.
fn install_help() -> &'static str {
    if cfg!(windows) {
        "Windows 自带宋体（C:\\Windows\\Fonts\\simsun.ttc）和黑体（simhei.ttf），这台电脑上没有找到：请安装这两种字体或思源宋体（Source Han Serif SC），或在 site.toml 的 [pdf] 下用 fonts = ['C:\\字体\\某字体.ttf'] 指定含简体中文的字体文件；不需要 PDF 时写 enabled = false。"
    } else {
        "安装 Noto CJK 字体（统信 UOS、麒麟、Debian、Ubuntu：sudo apt-get install fonts-noto-cjk；其他系统：安装思源宋体/思源黑体），或在 site.toml 的 [pdf] 下用 fonts = [\"字体文件.ttc\"] 指定含简体中文的字体文件；不需要 PDF 时写 enabled = false。"
    }
}

/// Fonts and layout loaded once, used for every report of a build.
/// The files of the fonts PDFs are set in: site.toml's `[pdf] fonts`, else the system's
/// Chinese fonts for body and headings (none found: empty).
pub fn font_files(root: &Path, config: &PdfConfig) -> Vec<PathBuf> {
    if config.fonts.is_empty() {
        match system_fonts() {
            Some((body, heading)) => {
                let mut v = vec![body.clone(), heading.clone()];
                v.dedup();
                v
            }
            None => Vec::new(),
        }
    } else {
        config.fonts.iter().map(|f| root.join(f)).collect()
    }
}

/// What a report's layout reads as `/data.json`, told to use the families `fonts`
/// (body, headings).
pub fn report_data(report: &Report, fonts: (&str, &str)) -> Vec<u8> {
    serde_json::to_vec(&ReportData::new(report, fonts)).unwrap_or_default()
}

/// The day a report's PDF is dated: its publication, else the last day of its year.
pub fn report_day(report: &Report) -> crate::ground::date::Date {
    report.published.unwrap_or(crate::ground::date::Date {
        year: report.year,
        month: 12,
        day: 31,
        time: None,
        offset_min: 8 * 60,
    })
}

pub struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    template: String,
    template_name: String,
    body_family: String,
    heading_family: String,
    /// Which fonts, from which files, for the build's summary.
    pub used: String,
}

fn file_id(path: &str) -> FileId {
    // Both paths are constants: they are valid virtual paths.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| unreachable!("a valid virtual path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// A font file mapped into memory rather than read: a CJK font is 20–30 MB, of which a
/// report uses a few hundred glyphs.
#[derive(Clone)]
struct Mapped(std::sync::Arc<memmap2::Mmap>);

impl Mapped {
    fn open(path: &Path) -> std::io::Result<Mapped> {
        let file = std::fs::File::open(path)?;
        if file.metadata()?.is_dir() {
            return Err(std::io::Error::other("这是一个文件夹，不是字体文件"));
        }
        // SAFETY: the map is read only; a font file changed on disk while a build sets
        // its PDFs is the risk every program that maps fonts (FreeType, fontconfig) takes.
        let map = unsafe { memmap2::Mmap::map(&file)? };
        Ok(Mapped(std::sync::Arc::new(map)))
    }

    /// Drops the pages read so far; they are read from the file again when needed.
    fn let_go(&self) {
        #[cfg(unix)]
        // SAFETY: the map is a read-only file mapping, so dropping its pages loses
        // nothing: the next read finds the file's bytes again.
        unsafe {
            let _ = self.0.unchecked_advise(memmap2::UncheckedAdvice::DontNeed);
        }
    }
}

impl AsRef<[u8]> for Mapped {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Engine {
    /// Loads the fonts named in site.toml (or the system's Chinese fonts) and the theme's
    /// layout. A named font that cannot be read is an error; no Chinese font on the
    /// system is a warning that says what to install (the PDF is then not made).
    pub fn load(
        root: &Path,
        config: &PdfConfig,
        template: &str,
        template_name: &str,
    ) -> Result<Engine, Box<Diagnostic>> {
        let paths = font_files(root, config);
        let mut fonts = Vec::new();
        // The file of each font, for saying which was used.
        let mut font_files = Vec::new();
        for p in &paths {
            match Mapped::open(p) {
                Ok(map) => {
                    let before = fonts.len();
                    let data = Bytes::new(map.clone());
                    // Typst keys its memos by a hash of the whole file, taken once; after
                    // that it reads only the tables and glyphs it sets, so the pages read
                    // for the hash are let go rather than held for the whole run.
                    typst::utils::hash128(&data);
                    fonts.extend(Font::iter(data));
                    map.let_go();
                    font_files.extend(std::iter::repeat_n(p, fonts.len() - before));
                }
                Err(e) => {
                    return Err(Box::new(Diagnostic::error("pdf-font", "site.toml", format!("无法读取 PDF 字体 {}：{e}", p.display()))
                        .help("检查 site.toml 中 [pdf] fonts 的路径（相对于站点文件夹，或写绝对路径）；不需要 PDF 时在 [pdf] 下写 enabled = false。")));
                }
            }
        }
        let book = FontBook::from_fonts(&fonts);
        let family = |wanted: &[&str]| -> Option<String> {
            wanted
                .iter()
                .find(|w| book.families().any(|(f, _)| f.eq_ignore_ascii_case(w)))
                .map(|w| w.to_string())
                .or_else(|| {
                    // Any family that covers Chinese will do.
                    book.families().map(|(f, _)| f.to_string()).find(|f| {
                        f.contains("CJK")
                            || f.contains("SC")
                            || f.contains("Hei")
                            || f.contains("Song")
                    })
                })
        };
        let (Some(body), Some(heading)) = (family(BODY), family(HEADING)) else {
            let found = if config.fonts.is_empty() {
                "这台电脑上没有找到可以排印中文的字体"
            } else {
                "site.toml 的 [pdf] fonts 中没有可以排印中文的字体"
            };
            return Err(Box::new(
                Diagnostic::warning(
                    "pdf-font",
                    "site.toml",
                    format!("{found}，这次没有生成年度报告 PDF（网页照常生成）"),
                )
                .help(install_help()),
            ));
        };
        let file_of = |family: &str| {
            fonts
                .iter()
                .position(|f| f.info().family.eq_ignore_ascii_case(family))
                .and_then(|i| font_files.get(i))
                .map_or_else(String::new, |p| format!("（{}）", p.display()))
        };
        let used = format!(
            "正文 {body}{}，标题 {heading}{}",
            file_of(&body),
            file_of(&heading)
        );
        Ok(Engine {
            used,
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
            template: template.to_string(),
            template_name: template_name.to_string(),
            body_family: body,
            heading_family: heading,
        })
    }

    /// The PDF of one report, from its [`report_data`].
    pub fn render(&self, report: &Report, data: Vec<u8>) -> Result<Vec<u8>, Box<Diagnostic>> {
        self.compile(&self.template, data, Some(report_day(report)))
            .map_err(|what| {
                Box::new(
                    Diagnostic::error(
                        "pdf",
                        &report.file,
                        format!("生成 {} 年报告的 PDF 失败：{what}", report.year),
                    )
                    .help(format!("检查 PDF 版式文件 {}。", self.template_name)),
                )
            })
    }

    /// The fonts layouts are told to use: (body, headings).
    pub fn fonts(&self) -> (&str, &str) {
        (&self.body_family, &self.heading_family)
    }

    /// A PDF of the Typst layout `source` given `data` as `/data.json`, with `today` as
    /// the date Typst sees (so that the same input gives the same bytes). The error is
    /// Typst's messages.
    pub fn compile(
        &self,
        source: &str,
        data: Vec<u8>,
        today: Option<crate::ground::date::Date>,
    ) -> Result<Vec<u8>, String> {
        let world = DocWorld {
            engine: self,
            main: Source::new(file_id("/main.typ"), source.to_string()),
            data: Bytes::new(data),
            today: today
                .and_then(|d| Datetime::from_ymd(d.year as i32, d.month as u8, d.day as u8)),
        };
        let messages = |errs: &[typst::diag::SourceDiagnostic]| {
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("；")
        };
        let doc = typst::compile::<PagedDocument>(&world)
            .output
            .map_err(|errs| messages(&errs))?;
        typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|errs| messages(&errs))
    }
}

struct DocWorld<'a> {
    engine: &'a Engine,
    main: Source,
    data: Bytes,
    today: Option<Datetime>,
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == file_id("/data.json") {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

#[derive(Serialize)]
struct Block {
    kind: &'static str,
    text: String,
}

#[derive(Serialize)]
struct Cell {
    text: String,
    rowspan: usize,
    colspan: usize,
    header: bool,
    num: bool,
}

#[derive(Serialize)]
struct Table {
    widths: Vec<f64>,
    header: Vec<Vec<Cell>>,
    body: Vec<Vec<Cell>>,
}

#[derive(Serialize)]
struct Section {
    title: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    blocks: Option<Vec<Block>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<Table>,
}

#[derive(Serialize)]
struct Ymd {
    year: u32,
    month: u32,
    day: u32,
}

#[derive(Serialize)]
struct Fonts<'a> {
    body: &'a str,
    heading: &'a str,
}

#[derive(Serialize)]
struct ReportData<'a> {
    title: &'a str,
    agency: &'a str,
    year: u32,
    date: Ymd,
    fonts: Fonts<'a>,
    preamble: Vec<Block>,
    sections: Vec<Section>,
}

impl<'a> ReportData<'a> {
    fn new(r: &'a Report, (body, heading): (&'a str, &'a str)) -> Self {
        let date = r
            .published
            .map_or((r.year, 12, 31), |d| (d.year, d.month, d.day));
        let sections = r
            .kind
            .sections
            .iter()
            .map(|s| match s.content {
                SectionContent::Text => Section {
                    title: s.title,
                    blocks: Some(blocks(r.texts.get(s.key).map_or("", |t| t.as_str()))),
                    table: None,
                },
                SectionContent::Table(def) => Section {
                    title: s.title,
                    blocks: None,
                    table: r.table(s.key).map(|t| {
                        table(
                            &table_view(r, t),
                            def.label_cols,
                            crate::model::report::view::table_width(def),
                        )
                    }),
                },
            })
            .collect();
        ReportData {
            title: &r.title,
            agency: &r.agency,
            year: r.year,
            date: Ymd {
                year: date.0,
                month: date.1,
                day: date.2,
            },
            fonts: Fonts { body, heading },
            preamble: blocks(&r.preamble),
            sections,
        }
    }
}

fn table(view: &TableView, label_cols: usize, width: usize) -> Table {
    let cells = |rows: &[Vec<crate::model::report::view::CellView>]| -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|row| {
                row.iter()
                    .map(|c| Cell {
                        text: c.text.clone(),
                        rowspan: c.rowspan,
                        colspan: c.colspan,
                        header: c.tag == "th",
                        num: c.class == "num",
                    })
                    .collect()
            })
            .collect()
    };
    // Row labels are long (table 3's last label column most of all); figures are short.
    let widths = (0..width)
        .map(|i| match (label_cols, i) {
            (3, 0) => 1.3,
            (3, 1) => 1.6,
            (3, 2) => 4.2,
            (1, 0) => 2.0,
            (n, i) if i < n => 2.0,
            _ => 1.0,
        })
        .collect();
    Table {
        widths,
        header: cells(&view.head),
        body: cells(&view.body),
    }
}

/// Markdown narrative as headings, paragraphs and list items of plain text.
fn blocks(md: &str) -> Vec<Block> {
    use comrak::nodes::{AstNode, NodeValue};
    fn text_of<'a>(node: &'a AstNode<'a>) -> String {
        let mut s = String::new();
        for d in node.descendants() {
            match &d.data().value {
                NodeValue::Text(t) => s.push_str(t),
                NodeValue::Code(c) => s.push_str(&c.literal),
                NodeValue::SoftBreak | NodeValue::LineBreak => s.push(' '),
                _ => {}
            }
        }
        s.trim().to_string()
    }
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, md, &comrak::Options::default());
    let mut out = Vec::new();
    for node in root.children() {
        let kind = match &node.data().value {
            NodeValue::Heading(_) => "heading",
            NodeValue::List(_) => {
                for item in node.children() {
                    out.push(Block {
                        kind: "item",
                        text: text_of(item),
                    });
                }
                continue;
            }
            _ => "para",
        };
        let text = text_of(node);
        if !text.is_empty() {
            out.push(Block { kind, text });
        }
    }
    out
}
