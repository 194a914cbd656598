//! Reads a report YAML file against its report type, collecting every problem.
//!
//! The walk is driven by the type's definition, not by serde structs: keys may be the
//! English keys or the official Chinese labels, a row may be a mapping of columns or a
//! list in column order, and every unknown key, wrong type or negative figure is
//! reported with its line instead of stopping at the first.

use serde_yaml::Value as Yaml;

use super::national::NATIONAL_2021;
use super::schema::{ReportType, SectionContent, normalize_label};
use super::{Acknowledgement, Report, TableData};
use crate::content::{AttachmentRef, Date};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source_map::{KeyPath, SourceMap};

/// The report types gongkai knows, by id.
pub fn report_type(id: &str) -> Option<&'static ReportType> {
    [&NATIONAL_2021].into_iter().find(|t| t.id == id)
}

/// What reading one report file gave: the report if its year could be read, the
/// attachments it names (resolved by the caller), and the problems found.
pub struct ReportFile {
    pub report: Option<Report>,
    pub attachment_refs: Vec<(AttachmentRef, KeyPath)>,
}

const META_KEYS: &[(&str, &[&str])] = &[
    ("type", &["报告类型"]),
    ("year", &["年度", "年份"]),
    ("agency", &["机关", "机关名称"]),
    ("title", &["标题"]),
    ("published", &["发布日期"]),
    ("preamble", &["前言", "导语"]),
    ("acknowledged", &["已确认"]),
    ("attachments", &["附件"]),
    ("draft", &["草稿"]),
    ("example", &["示例"]),
    ("imported_from", &["导入自"]),
    ("extra", &[]),
];

pub(super) struct Ctx<'a> {
    pub(super) file: &'a str,
    pub(super) map: &'a SourceMap,
    pub(super) diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    pub(super) fn err(
        &mut self,
        code: &'static str,
        path: &[String],
        msg: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = Diagnostic::error(code, self.file, msg)
            .at(self.map.pos(path))
            .help(help);
        self.diags.push(d);
    }
}

pub(super) fn key_string(k: &Yaml) -> String {
    match k {
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        _ => String::new(),
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
    };
    let none = ReportFile {
        report: None,
        attachment_refs: Vec::new(),
    };
    let doc: Yaml = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            for d in crate::syntax::yaml_errors(&e, text, file, 0) {
                ctx.diags.push(d);
            }
            return none;
        }
    };
    let Yaml::Mapping(top) = doc else {
        ctx.err(
            "report-shape",
            &[],
            "年度报告文件应当是“键: 值”的映射",
            "参照 `gongkai new report 年份` 生成的骨架填写。",
        );
        return none;
    };
    let kind = read_type(&mut ctx, &top);
    let mut meta = Meta::default();
    let mut texts = std::collections::BTreeMap::new();
    let mut tables = std::collections::BTreeMap::new();
    // Errors in the tables: rule findings may follow from them.
    let mut misread = 0;
    for (k, v) in &top {
        let key = key_string(k);
        let path = vec![key.clone()];
        if let Some((m, _)) = META_KEYS.iter().find(|(m, a)| matches(&key, m, "", a)) {
            read_meta(&mut ctx, m, &path, v, kind, &mut meta);
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
                super::rows::read_table(&mut ctx, &path, v, &mut data);
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
            attachments: Vec::new(),
            draft: meta.draft,
            example: meta.example,
            imported_from: meta.imported_from,
            load_errors: misread,
            source_map: map.clone(),
        }),
    }
}

/// The report type, which decides which sections exist (the national one unless
/// `type` names another).
fn read_type(ctx: &mut Ctx, top: &serde_yaml::Mapping) -> &'static ReportType {
    let Some((k, v)) = top
        .iter()
        .find(|(k, _)| matches(&key_string(k), "type", "报告类型", &[]))
    else {
        return &NATIONAL_2021;
    };
    let id = v.as_str().unwrap_or_default();
    report_type(id).unwrap_or_else(|| {
        ctx.err(
            "report-type",
            &[key_string(k)],
            format!("未知的报告类型 `{id}`"),
            format!(
                "目前支持：{}。不写 type 即为全国统一格式。",
                NATIONAL_2021.id
            ),
        );
        &NATIONAL_2021
    })
}

fn read_meta(
    ctx: &mut Ctx,
    key: &str,
    path: &[String],
    v: &Yaml,
    kind: &ReportType,
    meta: &mut Meta,
) {
    match key {
        "type" | "extra" => {}
        "year" => match v.as_u64().filter(|y| (1990..=2200).contains(y)) {
            Some(y) => meta.year = Some(y as u32),
            None => ctx.err(
                "report-year",
                path,
                "年度应当是四位数字的年份，例如 2023",
                "写成 `year: 2023`。",
            ),
        },
        "agency" => meta.agency = string_value(ctx, path, v),
        "title" => meta.title = Some(string_value(ctx, path, v)),
        "published" => {
            let s = scalar_text(v);
            match Date::parse(&s) {
                Some(d) => meta.published = Some(d),
                None => ctx.err(
                    "date",
                    path,
                    format!("无法识别的日期 `{s}`"),
                    Date::advice(&s),
                ),
            }
        }
        "preamble" => meta.preamble = string_value(ctx, path, v),
        "draft" => meta.draft = flag(ctx, path, v),
        "example" => meta.example = flag(ctx, path, v),
        "imported_from" => meta.imported_from = Some(string_value(ctx, path, v)),
        "acknowledged" => meta.acknowledged = read_acks(ctx, path, v, kind),
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
                    crate::syntax::typed_message(&e.to_string()).0
                ),
                "每个附件写成 `- file: 文件名.pdf` 和 `title: 标题`。",
            ),
        },
        _ => unreachable!("every META_KEYS entry is handled"),
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
    let hint = super::rows::nearest_name(key, names.iter().copied())
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

pub(super) fn scalar_text(v: &Yaml) -> String {
    match v {
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

fn string_value(ctx: &mut Ctx, path: &[String], v: &Yaml) -> String {
    match v {
        Yaml::String(s) => s.clone(),
        Yaml::Number(_) | Yaml::Bool(_) => scalar_text(v),
        Yaml::Null => String::new(),
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
        if !kind.rules.iter().any(|r| r.id == rule) {
            let ids: Vec<&str> = kind.rules.iter().map(|r| r.id).collect();
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
        if crate::placeholder::is_stand_in_reason(&reason) {
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
    use crate::report::schema::CellKind;

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
    fn a_missing_year_is_an_error_not_a_panic() {
        let (r, errs) = load("agency: 某局\n");
        assert!(r.is_none());
        assert!(errs.iter().any(|e| e.contains("year")));
        let (r, errs) = load(": : :\n\t- ]");
        assert!(r.is_none());
        assert!(errs[0].contains("[yaml]"), "{errs:?}");
    }
}
