//! Reads a report YAML file against its report type, collecting every problem.
//!
//! The walk is driven by the type's definition, not by serde structs: keys may be the
//! English keys or the official Chinese labels, a row may be a mapping of columns or a
//! list in column order, and every unknown key, wrong type or negative figure is
//! reported with its line instead of stopping at the first.

use serde_yaml::Value as Yaml;

pub(super) mod cell;
mod rows;

use super::schema::{ReportType, SectionContent, normalize_label};
use super::{Acknowledgement, REPORT_YEARS, Report, TYPES, TableData, type_for_year, type_named};
use crate::ground::date::Date;
use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::input::source_map::{KeyPath, SourceMap};
use crate::model::content::{AttachmentRef, SignOff};

/// What reading one report file gave: the report if its year could be read, the
/// attachments it names (resolved by the caller), and the problems found.
pub struct ReportFile {
    pub report: Option<Report>,
    pub attachment_refs: Vec<(AttachmentRef, KeyPath)>,
}

const META_KEYS: &[(&str, &[&str])] = &[
    ("type", &["报告类型", "格式", "format"]),
    ("year", &["年度", "年份"]),
    ("agency", &["机关", "机关名称"]),
    ("title", &["标题"]),
    ("published", &["发布日期"]),
    ("preamble", &["前言", "导语"]),
    ("acknowledged", &["已确认"]),
    ("attachments", &["附件"]),
    ("review", &["审核签发"]),
    ("draft", &["草稿"]),
    ("example", &["示例"]),
    ("imported_from", &["导入自"]),
    ("extra", &[]),
];

pub(super) struct Ctx<'a> {
    pub(super) file: &'a str,
    pub(super) map: &'a SourceMap,
    pub(super) diags: &'a mut Diagnostics,
    /// The report type, when it was taken from the year because the file does not say.
    implicit: Option<&'static ReportType>,
}

impl Ctx<'_> {
    pub(super) fn err(
        &mut self,
        code: &'static str,
        path: &[String],
        msg: impl Into<String>,
        help: impl Into<String>,
    ) {
        let mut help = help.into();
        if let (Some(kind), "unknown-key" | "row-length") = (self.implicit, code) {
            let others: Vec<&str> = TYPES
                .iter()
                .filter(|t| t.id != kind.id)
                .map(|t| t.id)
                .collect();
            help.push_str(&format!(
                "\n本文件没有写 `type:`，按年度读作{}（{}）；若原报告用的是另一种格式，请在文件开头写上 `type: {}`。",
                kind.name,
                kind.basis,
                others.join("` 或 `type: ")
            ));
        }
        let d = Diagnostic::error(code, self.file, msg)
            .at(self.map.pos(path))
            .help(help);
        self.diags.push(d);
    }
}

pub(super) fn key_string(k: &Yaml) -> String {
    scalar_text(k)
}

/// The tag put on an integer too large for the parser (see [`parse_yaml`]).
const TOO_LARGE: &str = "gongkai-too-large";

/// How many oversized integers one file may hold before parsing gives up: each costs
/// a parse of the whole file.
const MAX_TOO_LARGE: usize = 64;

/// Parses a report. The YAML parser refuses integers beyond 128 bits outright, for the
/// whole file, in English; such a number is read instead as a string tagged
/// [`TOO_LARGE`], so the cell it stands in is reported in Chinese at its line and the
/// rest of the file is still checked.
fn parse_yaml(text: &str) -> Result<Yaml, serde_yaml::Error> {
    let mut text = std::borrow::Cow::Borrowed(text);
    for _ in 0..MAX_TOO_LARGE {
        let err = match serde_yaml::from_str(&text) {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let oversized = is_oversized(&err.to_string());
        let Some(start) = err.location().map(|l| l.index()).filter(|_| oversized) else {
            return Err(err);
        };
        let len = text
            .get(start..)
            .unwrap_or("")
            .find(|c: char| !(c.is_ascii_alphanumeric() || "+-_".contains(c)))
            .unwrap_or(text.len() - start.min(text.len()));
        if len == 0 {
            return Err(err);
        }
        let token = text[start..start + len].to_string();
        text.to_mut()
            .replace_range(start..start + len, &format!("!{TOO_LARGE} \"{token}\""));
    }
    serde_yaml::from_str(&text)
}

/// Whether the parser refused a number for its size.
fn is_oversized(message: &str) -> bool {
    message.contains("invalid type: integer")
        && (message.contains("as u128") || message.contains("as i128"))
}

/// The text of an integer that was too large to parse, if `v` is one.
pub(super) fn too_large(v: &Yaml) -> Option<&str> {
    match v {
        Yaml::Tagged(t) if t.tag == TOO_LARGE => t.value.as_str(),
        _ => None,
    }
}

pub(super) fn child(path: &[String], key: &str) -> KeyPath {
    let mut p = path.to_vec();
    p.push(key.to_string());
    p
}

pub(super) fn matches(input: &str, key: &str, label: &str, aliases: &[&str]) -> bool {
    let n = normalize_label(input);
    n == key || n == normalize_label(label) || aliases.iter().any(|a| normalize_label(a) == n)
}

/// What the keys besides the sections say.
#[derive(Default)]
struct Meta {
    year: Option<u32>,
    agency: String,
    title: Option<String>,
    published: Option<Date>,
    preamble: String,
    acknowledged: Vec<Acknowledgement>,
    review: Option<SignOff>,
    draft: bool,
    example: bool,
    imported_from: Option<String>,
    attachment_refs: Vec<(AttachmentRef, KeyPath)>,
}

/// Reads `text` (the file `file`) as a report.
pub fn load_report(text: &str, file: &str, diags: &mut Diagnostics) -> ReportFile {
    let map = SourceMap::yaml(text);
    let mut ctx = Ctx {
        file,
        map: &map,
        diags,
        implicit: None,
    };
    let none = ReportFile {
        report: None,
        attachment_refs: Vec::new(),
    };
    let Some(top) = top_mapping(&mut ctx, text) else {
        return none;
    };

    // The report type decides which sections exist; read it first.
    let Some(kind) = report_kind(&mut ctx, &top) else {
        return none;
    };
    // Named by the year alone: say so where a key of the other format is met.
    if !top
        .iter()
        .any(|(k, _)| meta_key(&key_string(k)) == Some("type"))
    {
        ctx.implicit = Some(kind);
    }

    let mut meta = Meta::default();
    let mut texts = std::collections::BTreeMap::new();
    let mut tables = std::collections::BTreeMap::new();
    // Errors in the tables: rule findings may follow from them.
    let mut misread = 0;
    for (k, v) in &top {
        let key = key_string(k);
        let path = vec![key.clone()];
        if let Some(name) = meta_key(&key) {
            read_meta(&mut ctx, name, &path, v, kind, &mut meta);
            continue;
        }
        let Some(section) = kind
            .sections
            .iter()
            .find(|s| matches(&key, s.key, s.title, s.aliases))
        else {
            unknown_key(&mut ctx, &key, &path, kind);
            continue;
        };
        match section.content {
            SectionContent::Text => {
                texts.insert(section.key, string_value(&mut ctx, &path, v));
            }
            SectionContent::Table(def) => {
                let mut data = TableData::new(def, section.key);
                data.path = path.clone();
                let before = ctx.diags.error_count();
                rows::read_table(&mut ctx, &path, v, &mut data);
                misread += ctx.diags.error_count() - before;
                tables.insert(section.key, data);
            }
        }
    }
    let Some(year) = meta.year else {
        ctx.err(
            "report-year",
            &[],
            "缺少年度 `year`",
            "在文件开头写上 `year: 2023`。",
        );
        return none;
    };
    if meta.agency.trim().is_empty() {
        ctx.err(
            "report-agency",
            &[],
            "缺少机关名称 `agency`",
            "写上发布报告的机关全称，例如 `agency: 威海市人民政府外事办公室`。",
        );
    } else if meta.agency.trim() == crate::input::placeholder::AGENCY {
        // Left by an import that found no agency in the text: it would be the report's
        // published title.
        ctx.err(
            "report-agency",
            &["agency".to_string()],
            format!(
                "机关名称还是导入时留下的“{}”，它会出现在报告的标题里",
                crate::input::placeholder::AGENCY
            ),
            "把 `agency:` 改成发布报告的机关全称，例如 `agency: 威海市人民政府外事办公室`。",
        );
    }
    for s in kind.sections {
        if let SectionContent::Table(def) = s.content {
            tables
                .entry(s.key)
                .or_insert_with(|| TableData::new(def, s.key));
        }
    }
    ReportFile {
        attachment_refs: meta.attachment_refs,
        report: Some(Report {
            kind,
            file: file.to_string(),
            year,
            title: meta
                .title
                .unwrap_or_else(|| Report::default_title(&meta.agency, year)),
            agency: meta.agency,
            published: meta.published,
            preamble: meta.preamble,
            texts,
            tables,
            acknowledged: meta.acknowledged,
            review: meta.review,
            attachments: Vec::new(),
            draft: meta.draft,
            example: meta.example,
            imported_from: meta.imported_from,
            load_errors: misread,
            source_map: map.clone(),
        }),
    }
}

/// The file as a YAML mapping, or `None` after reporting why it is not one.
fn top_mapping(ctx: &mut Ctx, text: &str) -> Option<serde_yaml::Mapping> {
    if let Some(d) = crate::input::syntax::yaml_too_deep(text, ctx.file, 0) {
        ctx.diags.push(d);
        return None;
    }
    let doc: Yaml = match parse_yaml(text) {
        Ok(v) => v,
        Err(e) if is_oversized(&e.to_string()) => {
            // More oversized numbers than are worth reading one by one.
            let pos = e
                .location()
                .map(|l| crate::ground::diagnostics::Pos::new(l.line(), l.column()));
            ctx.diags.push(
                Diagnostic::error(
                    "too-large",
                    ctx.file,
                    format!("数字太大：件数、个数不能超过十亿，而这个文件里这样的数字超过 {MAX_TOO_LARGE} 个"),
                )
                .at(pos)
                .help("从这一处起逐一核对，是否多写了位数。"),
            );
            return None;
        }
        Err(e) => {
            for d in crate::input::syntax::yaml_errors(&e, text, ctx.file, 0) {
                ctx.diags.push(d);
            }
            return None;
        }
    };
    let Yaml::Mapping(top) = doc else {
        ctx.err(
            "report-shape",
            &[],
            "年度报告文件应当是“键: 值”的映射",
            "参照 `gongkai new report 年份` 生成的骨架填写。",
        );
        return None;
    };
    Some(top)
}

fn read_meta(
    ctx: &mut Ctx,
    name: &str,
    path: &[String],
    v: &Yaml,
    kind: &ReportType,
    meta: &mut Meta,
) {
    match name {
        "year" => match v
            .as_u64()
            .and_then(|y| u32::try_from(y).ok())
            .filter(|y| REPORT_YEARS.contains(y))
        {
            Some(y) => meta.year = Some(y),
            None => ctx.err(
                "report-year",
                path,
                format!(
                    "年度应当是 {} 到 {} 之间的四位数字年份，例如 2023",
                    REPORT_YEARS.start(),
                    REPORT_YEARS.end()
                ),
                "写成 `year: 2023`。",
            ),
        },
        "agency" => meta.agency = string_value(ctx, path, v),
        "title" => {
            let t = string_value(ctx, path, v);
            if t.trim().is_empty() {
                ctx.err(
                    "title",
                    path,
                    "标题不能为空",
                    "写上报告的标题，或删除这一行，使用默认标题“机关名称＋年度＋年政府信息公开工作年度报告”。",
                );
            }
            meta.title = Some(t);
        }
        "published" => {
            let s = scalar_text(v);
            match Date::parse(&s) {
                Some(d) => meta.published = Some(d),
                None => ctx.err("date", path, Date::problem(&s), Date::advice(&s)),
            }
        }
        "preamble" => meta.preamble = string_value(ctx, path, v),
        "draft" => meta.draft = flag(ctx, path, v),
        "example" => meta.example = flag(ctx, path, v),
        "imported_from" => meta.imported_from = Some(string_value(ctx, path, v)),
        "acknowledged" => meta.acknowledged = read_acks(ctx, path, v, kind),
        "review" => meta.review = read_review(ctx, path, v),
        "attachments" => match serde_yaml::from_value::<Vec<AttachmentRef>>(v.clone()) {
            Ok(list) => {
                meta.attachment_refs = list
                    .into_iter()
                    .enumerate()
                    .map(|(i, a)| (a, child(path, &i.to_string())))
                    .collect();
            }
            Err(e) => ctx.err(
                "attachments",
                path,
                format!(
                    "附件列表写法不对：{}",
                    crate::input::syntax::typed_message(&e.to_string()).0
                ),
                "每个附件写成 `- file: 文件名.pdf` 和 `title: 标题`。",
            ),
        },
        // `type` was read first; `extra` is free for the theme.
        _ => {}
    }
}

/// `review:` (审核签发), its keys in English or Chinese; an unknown key names the valid ones.
fn read_review(ctx: &mut Ctx, path: &[String], v: &Yaml) -> Option<SignOff> {
    let Some(map) = v.as_mapping() else {
        ctx.err(
            "review",
            path,
            "审核签发应当是几行“名称: 内容”",
            "写成 `review:` 下面缩进的 written_by（撰稿）、reviewed_by（审核）、signed_by（签发）、signed_on（签发日期）、secrecy_checked（保密审查）。",
        );
        return None;
    };
    let mut unknown = false;
    for k in map.keys() {
        let k = scalar_text(k);
        let known = SignOff::KEYS
            .iter()
            .any(|(en, zh)| *en == k || zh.contains(&k.as_str()));
        if !known {
            unknown = true;
            let valid: Vec<String> = SignOff::KEYS
                .iter()
                .map(|(en, zh)| format!("{en}（{}）", zh.join("、")))
                .collect();
            ctx.err(
                "unknown-key",
                &child(path, &k),
                format!("审核签发中没有 `{k}` 这一项"),
                format!("可以写的有：{}。", valid.join("、")),
            );
        }
    }
    if unknown {
        return None;
    }
    match serde_yaml::from_value::<SignOff>(v.clone()) {
        Ok(r) => Some(r),
        Err(e) => {
            let (msg, fix) = crate::input::syntax::typed_message(&e.to_string());
            ctx.err(
                "review",
                path,
                format!("审核签发写法不对：{msg}"),
                fix.unwrap_or_else(|| "日期写成 2024-01-31，保密审查写 是 或 否。".into()),
            );
            None
        }
    }
}

fn flag(ctx: &mut Ctx, path: &[String], v: &Yaml) -> bool {
    v.as_bool().unwrap_or_else(|| {
        ctx.err(
            "type",
            path,
            format!("这里应当是 true 或 false，写的是 `{}`", scalar_text(v)),
            "写 true（是）或 false（否）。",
        );
        false
    })
}

/// The error for a top-level key that is neither a section nor a known key, with the
/// nearest one by key or title (`主动公开政府信息情况` one character off).
fn unknown_key(ctx: &mut Ctx, key: &str, path: &[String], kind: &ReportType) {
    let names: Vec<(&str, &str, &[&str])> = META_KEYS
        .iter()
        .map(|(k, a)| (*k, a.first().copied().unwrap_or(""), *a))
        .chain(kind.sections.iter().map(|s| (s.key, s.title, s.aliases)))
        .collect();
    let hint = rows::nearest_name(key, names.iter().copied())
        .map(|i| names[i])
        .map_or(String::new(), |(k, label, _)| {
            if label.is_empty() {
                format!("是不是想写 `{k}`？")
            } else {
                format!("是不是想写“{label}”（{k}）？")
            }
        });
    let known: Vec<String> = names
        .iter()
        .map(|(k, label, _)| match *label {
            "" => k.to_string(),
            l => format!("{k}（{l}）"),
        })
        .collect();
    ctx.err(
        "unknown-key",
        path,
        format!("未知的键 `{key}`，它不会被使用"),
        format!(
            "{hint}可用的键（英文或中文名都可以）：{}。",
            known.join("、")
        ),
    );
}

fn meta_key(key: &str) -> Option<&'static str> {
    META_KEYS
        .iter()
        .find(|(m, a)| matches(key, m, "", a))
        .map(|(m, _)| *m)
}

/// The report type the file names with `type:`, else the one of its year, else the
/// newest. `None` after an error that leaves the type unknown.
fn report_kind(ctx: &mut Ctx, top: &serde_yaml::Mapping) -> Option<&'static ReportType> {
    let named = |key: &str| {
        top.iter()
            .find(|(k, _)| meta_key(&key_string(k)) == Some(key))
    };
    if let Some((k, v)) = named("type") {
        let name = scalar_text(v);
        return match type_named(&name) {
            Some(t) => Some(t),
            None => {
                let known: Vec<String> = TYPES
                    .iter()
                    .map(|t| format!("`{}`（{}，{}）", t.id, t.name, t.basis))
                    .collect();
                ctx.err(
                    "report-type",
                    &[key_string(k)],
                    format!("未知的报告类型 `{name}`"),
                    format!(
                        "可用的类型：{}。不写 type 时按年度选择：{}。",
                        known.join("、"),
                        TYPES
                            .iter()
                            .map(|t| years_text(t))
                            .collect::<Vec<_>>()
                            .join("；")
                    ),
                );
                None
            }
        };
    }
    let year = named("year").and_then(|(_, v)| v.as_u64());
    Some(year.map_or(TYPES[0], |y| type_for_year(y as u32)))
}

/// The years a report type is for, in words: `2019–2020 年为…`, `2021 年起为…`.
pub fn years_text(t: &ReportType) -> String {
    let (first, last) = t.years;
    if last >= 9999 {
        format!("{first} 年起为 `{}`", t.id)
    } else {
        format!("{first}–{last} 年为 `{}`", t.id)
    }
}

pub(super) fn scalar_text(v: &Yaml) -> String {
    match v {
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        _ => too_large(v).unwrap_or_default().to_string(),
    }
}

fn string_value(ctx: &mut Ctx, path: &[String], v: &Yaml) -> String {
    let text = text_value(ctx, path, v);
    if let Some(c) = text.chars().find(|c| crate::ground::text::is_control(*c)) {
        ctx.err(
            "control-character",
            path,
            format!(
                "这段文字中有看不见的控制字符 {}，它会使 atom.xml 等文件无法读取",
                crate::ground::text::code_point(c)
            ),
            "删除这个字符（常见于从 Word、PDF 或网页复制来的文字）。",
        );
    }
    text
}

fn text_value(ctx: &mut Ctx, path: &[String], v: &Yaml) -> String {
    match v {
        Yaml::String(s) => s.clone(),
        Yaml::Number(_) | Yaml::Bool(_) => scalar_text(v),
        Yaml::Null => String::new(),
        _ if too_large(v).is_some() => scalar_text(v),
        _ => {
            ctx.err(
                "type",
                path,
                "这里应当是一段文字",
                "多段文字请写成 `键: |`，下一行起缩进书写。",
            );
            String::new()
        }
    }
}

fn read_acks(ctx: &mut Ctx, path: &[String], v: &Yaml, kind: &ReportType) -> Vec<Acknowledgement> {
    let mut out = Vec::new();
    let Some(seq) = v.as_sequence() else {
        ctx.err(
            "acknowledged",
            path,
            "`acknowledged` 应当是一个列表",
            "写成 `- rule: T3-A` 和 `reason: 原因`。",
        );
        return out;
    };
    for (i, item) in seq.iter().enumerate() {
        let p = child(path, &i.to_string());
        let field = |en: &str, zh: &str| {
            item.get(en)
                .or_else(|| item.get(zh))
                .map(scalar_text)
                .unwrap_or_default()
        };
        let rule = field("rule", "规则");
        let reason = field("reason", "原因");
        let known = kind.rules.iter().any(|r| r.id == rule)
            || super::CHECKS_WITH_REASONS.contains(&rule.as_str());
        if !known {
            let ids: Vec<&str> = kind
                .rules
                .iter()
                .map(|r| r.id)
                .chain(super::CHECKS_WITH_REASONS.iter().copied())
                .collect();
            ctx.err(
                "acknowledged",
                &p,
                format!("没有名为 `{rule}` 的规则"),
                format!("可确认的规则：{}。", ids.join("、")),
            );
            continue;
        }
        if reason.trim().is_empty() {
            ctx.err(
                "acknowledged",
                &p,
                format!("确认规则 {rule} 时必须写明原因"),
                "先核对数字：填错了就改正数字、删去这条确认。原报告发布时确实如此的，写明真实原因，如 `reason: 原报告发布时表三即如此，照原样保留`（会显示在页面上）。",
            );
            continue;
        }
        if crate::input::placeholder::is_stand_in_reason(&reason) {
            ctx.err(
                "acknowledged",
                &child(&p, "reason"),
                format!("确认规则 {rule} 的原因“{reason}”是占位文字，页面上会原样显示为“（说明：{reason}）”"),
                "先核对数字：填错了就改正数字、删去这条确认。原报告发布时确实如此的，写明真实原因，如“原报告发布时表三即如此，照原样保留”。",
            );
            continue;
        }
        out.push(Acknowledgement { rule, reason });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::schema::CellKind;

    fn load(text: &str) -> (Option<Report>, Vec<String>) {
        let mut d = Diagnostics::new();
        let l = load_report(text, "r.yaml", &mut d);
        (l.report, d.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn reads_rows_by_key_label_or_list_and_keeps_amounts_as_written() {
        let (r, errs) = load(
            "year: 2023\nagency: 某局\n主动公开政府信息情况:\n  fees: 55.0500\n  规章: {本年制发件数: 2}\napplications:\n  本年新收政府信息公开申请数量: [1, 0, 0, 0, 0, 2, 3]\n  results:\n    不予公开:\n      属于国家秘密: {自然人: 4}\n",
        );
        assert!(errs.is_empty(), "{errs:?}");
        let r = r.unwrap();
        let t2 = r.table("active_disclosure").unwrap();
        assert_eq!(
            t2.display(r.kind, "fees", "amount", CellKind::Amount),
            "55.0500"
        );
        assert_eq!(t2.count(r.kind, "regulations", "issued"), 2);
        let t3 = r.table("applications").unwrap();
        assert_eq!(t3.count(r.kind, "new_received", "other_org"), 2);
        assert_eq!(t3.count(r.kind, "state_secret", "natural_person"), 4);
        assert_eq!(
            t3.count(r.kind, "state_secret", "total"),
            4,
            "an omitted total is computed"
        );
        assert_eq!(t3.count(r.kind, "total_processed", "natural_person"), 4);
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let (_, errs) = load(
            "year: 2023\nagency: 某局\napplications:\n  new_recieved: {natural_person: 1}\n  granted: {natural_person: -1, 自然人x: 2}\n  partial: [1, 2]\n",
        );
        assert_eq!(errs.len(), 4, "{errs:?}");
        assert!(
            errs[0].starts_with("r.yaml:4:3:") && errs[0].contains("new_received"),
            "{}",
            errs[0]
        );
        assert!(
            errs[1].starts_with("r.yaml:5:") && errs[1].contains("负数"),
            "{}",
            errs[1]
        );
        assert!(errs[2].contains("自然人x"));
        assert!(
            errs[3].starts_with("r.yaml:6:3:") && errs[3].contains("2 个数"),
            "{}",
            errs[3]
        );
    }

    #[test]
    fn the_type_is_named_by_id_or_alias_and_a_wrong_format_says_how_to_fix_it() {
        let (r, errs) = load("type: 2019\nyear: 2021\nagency: 某区\n");
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(r.unwrap().kind.id, "trial-2019");
        let (r, errs) = load(
            "type: national-2021\nyear: 2020\nagency: 某区\nactive_disclosure:\n  regulations: [1, 0, 3]\n",
        );
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(r.unwrap().kind.id, "national-2021");
        // A 2020 report typed in the 2021 format without saying so.
        let (_, errs) =
            load("year: 2020\nagency: 某区\nactive_disclosure:\n  regulations: {issued: 1}\n");
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].contains("issued") && errs[0].contains("type: national-2021"),
            "{}",
            errs[0]
        );
        let (r, errs) = load("type: 1999\nyear: 2020\nagency: 某区\n");
        assert!(r.is_none());
        assert!(
            errs[0].contains("trial-2019") && errs[0].contains("2021 年起"),
            "{errs:?}"
        );
    }

    #[test]
    fn numbers_beyond_the_parser_are_reported_where_they_stand() {
        let (r, errs) = load(
            "year: 2023\nagency: 某局\n99999999999999999999999: 1\napplications:\n  new_received: {natural_person: 0x1FFFFFFFFFFFFFFFFFFFFFFFF, commercial: -99999999999999999999999}\n  carried_over: [1, 2, 18446744073709551616, 0, 0, 0]\n",
        );
        assert!(r.is_some());
        assert_eq!(errs.len(), 4, "{errs:?}");
        assert!(
            errs[0].starts_with("r.yaml:3:1:")
                && errs[0].contains("未知的键 `99999999999999999999999`"),
            "{}",
            errs[0]
        );
        assert!(
            errs[1].starts_with("r.yaml:5:")
                && errs[1].contains("0x1FFFFFFFFFFFFFFFFFFFFFFFF 太大"),
            "{}",
            errs[1]
        );
        assert!(
            errs[2].starts_with("r.yaml:5:") && errs[2].contains("负数"),
            "{}",
            errs[2]
        );
        assert!(
            errs[3].starts_with("r.yaml:6:") && errs[3].contains("18446744073709551616 太大"),
            "{}",
            errs[3]
        );
        let many = "year: 2023\nagency: 某局\nx: [".to_string()
            + &vec!["99999999999999999999999"; MAX_TOO_LARGE + 1].join(", ")
            + "]\n";
        let (r, errs) = load(&many);
        assert!(r.is_none());
        assert!(
            errs[0].starts_with("r.yaml:3:") && errs[0].contains("太大"),
            "{errs:?}"
        );
    }

    #[test]
    fn a_missing_year_is_an_error_not_a_panic() {
        let (r, errs) = load("agency: 某局\n");
        assert!(r.is_none());
        assert!(errs.iter().any(|e| e.contains("year")));
        let (r, errs) = load(": : :\n\t- ]");
        assert!(r.is_none());
        assert!(errs[0].contains("[yaml]"), "{errs:?}");
    }
}
