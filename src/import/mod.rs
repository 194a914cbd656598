//! `gongkai import`: reads a yearly report as it was published — a PDF, a Word `.docx`, a
//! saved web page or captured text — and returns its figures and text for report YAML.
//!
//! Published reports vary: blocks left out, 总计 printed first, spaces and line breaks inside
//! labels, full-width digits, `—` for zero, merged cells, cells that ran together with no
//! separator. So every figure is placed by its row label, matched against the report type
//! in [`crate::model::report::national`]; nothing is placed by position alone. Where the input
//! leaves more than one reading, the template's own arithmetic (勾稽关系) picks the one
//! reading that satisfies every rule; where several still do, the figure is never guessed:
//! it is written as a marked text (`待核对`) that `gongkai check` rejects until the editor
//! fixes it.
//!
//! The stages: [`detect`] tells the format and turns the file into [`Line`]s ([`plain`],
//! [`html`], [`pdf`], [`docx`]); [`read`] finds the sections, title and narrative; [`table`]
//! reads each table's rows ([`catalog`] names them), cutting run-together text at the
//! template's labels ([`segment`]), into [`figures`]; [`readings`] lists every way a row's
//! figures may be read and [`solve`] keeps those the rules allow; [`yaml`] writes the
//! result.

mod catalog;
mod chrome;
mod columns;
mod detect;
mod doc;
mod docx;
mod figures;
mod html;
mod layout;
mod ocr;
mod pdf;
mod pdf_load;
mod pdf_prepare;
mod plain;
mod read;
mod readings;
mod segment;
mod sequence;
mod sheet;
mod solve;
mod table;
mod yaml;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::ground::diagnostics::Diagnostics;
use crate::model::report::rules::Finding;
use crate::model::report::schema::{ReportType, RuleKind};

pub use detect::Format;
pub use yaml::to_yaml;

/// Where something was read in the input, for messages and `待核对` marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Loc {
    /// A line of a text or HTML file (1-based).
    Line(usize),
    /// A line on a page of a PDF (both 1-based).
    Page { page: usize, line: usize },
    /// A paragraph of a Word file outside tables (1-based).
    Para(usize),
    /// A row of a table of a Word file (both 1-based).
    Row { table: usize, row: usize },
    /// A row of a sheet of a spreadsheet (both 1-based).
    Sheet { sheet: usize, row: usize },
    /// A line on a page of a scanned PDF, read by OCR (both 1-based).
    Scan { page: usize, line: usize },
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loc::Line(n) => write!(f, "第 {n} 行"),
            Loc::Page { page, line } => write!(f, "第 {page} 页第 {line} 行"),
            Loc::Para(n) => write!(f, "第 {n} 段"),
            Loc::Row { table, row } => write!(f, "第 {table} 个表格第 {row} 行"),
            Loc::Sheet { sheet, row } => write!(f, "第 {sheet} 个工作表第 {row} 行"),
            Loc::Scan { page, line } => write!(f, "扫描件第 {page} 页第 {line} 行（文字识别）"),
        }
    }
}

/// A cell of an input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// A cell of a real table (web page, Word, PDF) with nothing in it: read as 0.
    Empty,
    /// A cell a page leaves blank, found by the columns of the rows around it
    /// ([`columns`]): read as 0, unless a rule it is in does not hold.
    Blank,
    /// The figures of a row whose columns the page leaves open (text laid out in columns
    /// that prints no blank cells and sets its figures apart from their headers): every
    /// placement of them its layout allows, each the row's cells (a figure or a blank), for
    /// the rules to choose from. `text`: the figures as printed.
    Placements {
        text: String,
        rows: Vec<Vec<Cell>>,
    },
}

impl Cell {
    pub fn text(&self) -> &str {
        match self {
            Cell::Text(t) | Cell::Placements { text: t, .. } => t,
            Cell::Empty | Cell::Blank => "",
        }
    }
}

/// One line of the input: where it was, and its cells (one cell for running text).
#[derive(Debug, Clone)]
pub struct Line {
    pub loc: Loc,
    pub cells: Vec<Cell>,
}

impl Line {
    pub fn text_line(loc: Loc, text: impl Into<String>) -> Line {
        Line {
            loc,
            cells: vec![Cell::Text(text.into())],
        }
    }

    /// The filled cells joined by spaces.
    pub fn text(&self) -> String {
        self.filled().join(" ")
    }

    pub fn filled(&self) -> Vec<&str> {
        self.cells
            .iter()
            .map(|c| c.text().trim())
            .filter(|c| !c.is_empty())
            .collect()
    }
}

/// A figure as read from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// As written, digits folded to half-width: `3`, `55.0592`.
    Value(String),
    /// Not read for certain; kept for the editor: what the input has, where, and why.
    Unsure {
        text: String,
        loc: Loc,
        note: String,
    },
}

/// What an import found.
#[derive(Debug)]
pub struct Imported {
    pub kind: &'static ReportType,
    pub format: Format,
    pub year: Option<u32>,
    pub agency: Option<String>,
    /// The agency was read from the report's end (its signature or an attachment's name),
    /// not its title.
    pub agency_signed: bool,
    pub title: Option<String>,
    pub preamble: String,
    /// Narrative sections by key, as Markdown.
    pub texts: BTreeMap<&'static str, String>,
    /// `(table, row) -> figures in the template's column order`.
    pub rows: BTreeMap<(&'static str, &'static str), Vec<Figure>>,
    /// Lines with figures that match no row: `(where, text)`.
    pub unplaced: Vec<(Loc, String)>,
    /// Figures settled by the template's arithmetic rather than read one by one (cells that
    /// ran together, a missing cell, a merged row of zeros).
    pub settled: usize,
    /// Other things the editor should know, e.g. where the year was taken from.
    pub notes: Vec<String>,
    /// Last year's report in the site, to choose among the readings of 表二's rows.
    pub prior: Option<Prior>,
}

/// What last year's report says that settles this year's run-together 表二 rows: each
/// row's 现行有效件数, which this year's 本年制发 and 本年废止 usually carry on
/// (现行有效(去年) + 本年制发 − 本年废止 = 现行有效(今年)).
#[derive(Debug, Clone)]
pub struct Prior {
    pub year: u32,
    pub in_force: BTreeMap<&'static str, u64>,
}

impl Prior {
    /// The 现行有效件数 a report states as figures (not marked, not computed).
    pub fn of(report: &crate::model::report::Report) -> Option<Prior> {
        let t = report.table("active_disclosure")?;
        let in_force: BTreeMap<&'static str, u64> = t
            .cells
            .iter()
            .filter(|((_, col), _)| *col == "in_force")
            .filter_map(|((row, _), c)| match c.value {
                crate::model::report::Value::Count(n) => Some((*row, n)),
                _ => None,
            })
            .collect();
        (!in_force.is_empty()).then_some(Prior {
            year: report.year,
            in_force,
        })
    }

    /// Last year's report of the site under `root` (`content/reports/YEAR.yaml`).
    fn in_site(root: &Path, year: u32) -> Option<Prior> {
        let path = root
            .join("content/reports")
            .join(format!("{}.yaml", year.checked_sub(1)?));
        let text = std::fs::read_to_string(&path).ok()?;
        let mut d = Diagnostics::new();
        let loaded =
            crate::model::report::load::load_report(&text, &path.display().to_string(), &mut d);
        loaded
            .report
            .as_ref()
            .and_then(Prior::of)
            .filter(|p| p.year + 1 == year)
    }
}

impl Imported {
    fn new(kind: &'static ReportType, format: Format) -> Self {
        Imported {
            kind,
            format,
            year: None,
            agency: None,
            agency_signed: false,
            title: None,
            preamble: String::new(),
            texts: BTreeMap::new(),
            rows: BTreeMap::new(),
            unplaced: Vec::new(),
            settled: 0,
            notes: Vec::new(),
            prior: None,
        }
    }

    /// Figures read for certain.
    pub fn figures(&self) -> usize {
        self.rows
            .values()
            .flatten()
            .filter(|f| matches!(f, Figure::Value(_)))
            .count()
    }

    /// Cells of the tables the template has.
    pub fn cells(&self) -> usize {
        crate::model::report::table_sections(self.kind)
            .flat_map(|(_, def)| def.blocks)
            .map(|b| crate::model::report::leaf_rows(b.rows).len() * b.columns.len())
            .sum()
    }

    /// Every figure to check: where, what the input has, and why.
    pub fn unsure(&self) -> Vec<(Loc, String, String)> {
        let mut v: Vec<(Loc, String, String)> = self
            .rows
            .values()
            .flatten()
            .filter_map(|f| match f {
                Figure::Unsure { text, loc, note } => Some((*loc, text.clone(), note.clone())),
                Figure::Value(_) => None,
            })
            .collect();
        v.sort();
        v
    }
}

/// Why nothing could be imported (the command exits 2 and writes nothing).
#[derive(Debug)]
pub struct ImportError(pub String);

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ImportError {}

/// The lines of any file import reads (PDF, Word, spreadsheet, web page, text), for
/// checks that read an attachment's text (`gongkai check`'s personal-data check). A scan
/// is not read: OCR at every check would be slow, and its text unsure.
pub fn text_lines(bytes: &[u8], name: &str) -> Result<Vec<Line>, ImportError> {
    detect::lines(bytes, name, false).map(|(_, lines)| lines)
}

/// The most text an import reads (characters of all lines): published reports hold
/// 10,000–50,000, and reading them goes over the text once per label of the template.
const TEXT_LIMIT: usize = 1_000_000;

/// Reads a report from the bytes of a file named `name`.
pub fn read_bytes(bytes: &[u8], name: &str) -> Result<Imported, ImportError> {
    read_with(bytes, name, None)
}

/// Reads a report, with last year's report to settle what this year's leaves open.
fn read_with(bytes: &[u8], name: &str, prior: Option<Prior>) -> Result<Imported, ImportError> {
    let (format, lines) = detect::lines(bytes, name, true)?;
    let chars: usize = lines
        .iter()
        .flat_map(|l| &l.cells)
        .map(|c| c.text().chars().count())
        .sum();
    if chars > TEXT_LIMIT {
        return Err(ImportError(format!(
            "{name} 中的文字超过 {} 万字，不像一份年度报告（年度报告通常只有几万字），没有读取。没有写入文件。",
            TEXT_LIMIT / 10_000
        )));
    }
    let mut imported = read::import(format, &lines, name, prior)?;
    if imported.year.is_none()
        && let Some(y) = read::year_in_name(name)
    {
        imported.year = Some(y);
        imported.notes.push(format!(
            "年度 {y} 取自文件名，原文的标题中没有写明，请核对。"
        ));
    }
    Ok(imported)
}

/// What `gongkai import` did with one file.
#[derive(Debug)]
pub struct Outcome {
    pub input: PathBuf,
    pub path: PathBuf,
    pub imported: Imported,
    pub findings: Vec<Finding>,
    /// Problems `gongkai check` will report in the written YAML (unsure figures and the like).
    pub problems: Diagnostics,
}

impl Outcome {
    /// The rules of the report (not those across years) that hold.
    pub fn rules_held(&self) -> Vec<&'static str> {
        let pending = self.rules_pending();
        self.imported
            .kind
            .rules
            .iter()
            .filter(|r| !matches!(r.kind, RuleKind::CrossYear { .. }))
            .map(|r| r.id)
            .filter(|id| !self.findings.iter().any(|f| f.rule == *id) && !pending.contains(id))
            .collect()
    }

    /// The rules over a table with figures still to check: no verdict until they are.
    pub fn rules_pending(&self) -> Vec<&'static str> {
        self.imported
            .kind
            .rules
            .iter()
            .filter(|r| !matches!(r.kind, RuleKind::CrossYear { .. }))
            .filter(|r| {
                self.imported.rows.iter().any(|((t, _), f)| {
                    *t == r.table && f.iter().any(|f| matches!(f, Figure::Unsure { .. }))
                })
            })
            .map(|r| r.id)
            .collect()
    }

    /// The rules of the report, not counting those across years.
    pub fn rules(&self) -> usize {
        self.imported
            .kind
            .rules
            .iter()
            .filter(|r| !matches!(r.kind, RuleKind::CrossYear { .. }))
            .count()
    }
}

/// Imports `input` into `out` (by default `content/reports/YEAR.yaml` under `root`). An
/// existing file is kept unless `force`; nothing is written when the input is not a report.
pub fn import_file(
    input: &Path,
    out: Option<&Path>,
    root: &Path,
    force: bool,
) -> anyhow::Result<Outcome> {
    let read = read_file(input)?;
    write(read, out, root, force)
}

/// A file read, not yet written.
pub struct Read {
    input: PathBuf,
    bytes: Vec<u8>,
    imported: Imported,
}

impl Read {
    pub fn year(&self) -> Option<u32> {
        self.imported.year
    }
}

/// Reads a file to import.
pub fn read_file(input: &Path) -> anyhow::Result<Read> {
    let name = input.display().to_string();
    let bytes = crate::ground::fs::read(input)?;
    let imported = read_bytes(&bytes, &name)?;
    Ok(Read {
        input: input.to_path_buf(),
        bytes,
        imported,
    })
}

/// Imports a batch of files (a folder of past years): each read, then written in the
/// order of their years, so that each year's report can use the one before it; a
/// second file of a year already imported in the batch is not written. Returns each
/// file's outcome, in the order of their years (files not read first).
pub fn import_batch(
    inputs: &[PathBuf],
    root: &Path,
    force: bool,
) -> Vec<(PathBuf, anyhow::Result<Outcome>)> {
    let mut read = Vec::new();
    let mut out = Vec::new();
    for input in inputs {
        match read_file(input) {
            Ok(r) => read.push(r),
            Err(e) => out.push((input.clone(), Err(e))),
        }
    }
    read.sort_by_key(|r| (r.year(), r.input.clone()));
    let mut years: BTreeMap<u32, PathBuf> = BTreeMap::new();
    for r in read {
        let input = r.input.clone();
        if let Some(y) = r.year()
            && let Some(first) = years.get(&y)
        {
            let e = ImportError(format!(
                "{} 与 {} 同为 {y} 年度的报告，只导入了前一个。要改用这一个，请单独导入它并加 --force。",
                input.display(),
                first.display()
            ));
            out.push((input, Err(e.into())));
            continue;
        }
        if let Some(y) = r.year() {
            years.insert(y, input.clone());
        }
        out.push((input, write(r, None, root, force)));
    }
    out
}

/// Writes a file read into `out` (by default `content/reports/YEAR.yaml` under `root`),
/// reading it again with last year's report of the site when that settles what it left
/// open.
fn write(read: Read, out: Option<&Path>, root: &Path, force: bool) -> anyhow::Result<Outcome> {
    let Read {
        input,
        bytes,
        mut imported,
    } = read;
    let name = input.display().to_string();
    // 表二's rows left open, read again with last year's report when the site has it.
    let open = imported.rows.iter().any(|((t, _), f)| {
        *t == "active_disclosure" && f.iter().any(|f| matches!(f, Figure::Unsure { .. }))
    });
    if open && let Some(prior) = imported.year.and_then(|y| Prior::in_site(root, y)) {
        imported = read_with(&bytes, &name, Some(prior))?;
    }
    if let Some(note) = imported
        .agency
        .as_deref()
        .and_then(|a| other_agency(a, root))
    {
        imported.notes.push(note);
    }
    let path = match out {
        Some(p) => p.to_path_buf(),
        None => {
            let Some(year) = imported.year else {
                return Err(ImportError(format!(
                    "{name} 的标题中没有找到年度（如“2023 年”）。请用 -o 指定输出文件，例如 -o content/reports/2023.yaml。"
                ))
                .into());
            };
            root.join("content/reports").join(format!("{year}.yaml"))
        }
    };
    if let Ok(link) = std::fs::read_link(&path) {
        return Err(ImportError(format!(
            "{} 是一个链接（指向 {}），导入不会写入链接指向的文件。请删除这个链接后再导入，或用 -o 写到别的文件。",
            path.display(),
            link.display()
        ))
        .into());
    }
    if path.exists() && !force {
        return Err(ImportError(format!(
            "{} 已经存在，没有覆盖。要替换它，请加 --force；或用 -o 写到别的文件。",
            path.display()
        ))
        .into());
    }
    let file_name = input
        .file_name()
        .map_or(name.clone(), |f| f.to_string_lossy().into_owned());
    let yaml = to_yaml(&imported, &file_name);
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        let real = crate::ground::fs::absolute(dir);
        if out.is_none() && !real.starts_with(crate::ground::fs::absolute(root)) {
            return Err(ImportError(format!(
                "{} 经过链接指向网站文件夹之外（{}），导入不会写到网站文件夹之外。请删除这个链接，或用 -o 写到别的文件。",
                dir.display(),
                real.display()
            ))
            .into());
        }
        crate::ground::fs::create_dir_all(dir)?;
    }
    crate::ground::fs::write(&path, &yaml)?;
    let mut problems = Diagnostics::new();
    let loaded =
        crate::model::report::load::load_report(&yaml, &path.display().to_string(), &mut problems);
    // A rule over a table with figures still to check has no verdict yet.
    let unsure: Vec<&str> = imported
        .rows
        .iter()
        .filter(|(_, f)| f.iter().any(|f| matches!(f, Figure::Unsure { .. })))
        .map(|((t, _), _)| *t)
        .collect();
    let findings = loaded
        .report
        .as_ref()
        .map(crate::model::report::rules::check_report)
        .unwrap_or_default()
        .into_iter()
        .filter(|f| {
            !imported
                .kind
                .rules
                .iter()
                .any(|r| r.id == f.rule && unsure.contains(&r.table))
        })
        .collect();
    Ok(Outcome {
        input,
        path,
        imported,
        findings,
        problems,
    })
}

/// A warning when the report names an agency the site's `site.toml` does not (neither
/// its agency nor its 主办单位, one name holding the other counting as the same: `洪泽区人民政府`
/// is `淮安市洪泽区人民政府`): a report of another agency would be published as the site's.
fn other_agency(agency: &str, root: &Path) -> Option<String> {
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return None;
    }
    let config = crate::config::Config::load(root, &mut Diagnostics::new())?;
    let norm = |s: &str| -> String {
        crate::ground::text::simplify(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let ours = [&config.agency.name, &config.agency.sponsor].map(|n| norm(n));
    let theirs = norm(agency);
    let same = ours
        .iter()
        .any(|o| !o.is_empty() && (o.contains(&theirs) || theirs.contains(o.as_str())));
    (!same && !config.agency.name.trim().is_empty()).then(|| {
        format!(
            "报告中的机关是“{agency}”，而 site.toml 中本网站的机关是“{}”。请确认这份报告属于本网站；如果是，请改正 YAML 中的 agency 或 site.toml 中的 [agency] name。",
            config.agency.name.trim()
        )
    })
}

/// The files to import from what was named on the command line: files as they are, and
/// the files of a folder (not its sub-folders) whose names end in a format import reads,
/// sorted by name.
pub fn inputs(named: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in named {
        if !p.is_dir() {
            out.push(p.clone());
            continue;
        }
        let entries = crate::ground::fs::read_dir(p)?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|f| f.is_file() && detect::known_extension(f))
            .collect();
        if files.is_empty() {
            return Err(ImportError(format!(
                "文件夹 {} 中没有可以导入的文件（.pdf、.docx、.doc、.wps、.xlsx、.xls、.html、.txt、.md）。",
                p.display()
            ))
            .into());
        }
        files.sort();
        out.extend(files);
    }
    Ok(out)
}
