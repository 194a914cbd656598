//! The 政府网站工作年度报表 (国办函〔2018〕12号): the second yearly report every 政府网站
//! publishes, by 1月31日, "在本网站首页显著位置". One YAML file a year
//! (`content/website-reports/YYYY.yaml`) holds what the editor types; the figures the
//! site knows of itself ([`form::Known`]) are computed ([`figures`]), and a typed figure
//! that contradicts one is a finding of the gate.
//!
//! The form is data ([`form::FORM`]), as the 年报 template is: the loader, the page, the
//! PDF and the CSV/JSON follow it.

pub mod export;
pub mod figures;
pub mod form;
pub mod load;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ground::date::Date;
use crate::input::source_map::SourceMap;
use crate::model::content::SignOff;
use form::{FORM, Field, Kind, Source};

/// The folder of `content/` the 报表 are read from.
pub const SECTION: &str = "website-reports";

/// A value of the 报表 as typed or computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Count(u64),
    /// A number with decimals, as written (`2.5`).
    Decimal(String),
    YesNo(bool),
    Text(String),
    Date(Date),
}

impl Value {
    /// As the page and the CSV print it.
    pub fn text(&self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Decimal(d) => d.clone(),
            Value::YesNo(true) => "是".into(),
            Value::YesNo(false) => "否".into(),
            Value::Text(t) => t.clone(),
            Value::Date(d) => d.ymd(),
        }
    }

    /// The same value for the 报表: numbers compared as numbers, texts without the
    /// spaces a form adds.
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Decimal(a), Value::Decimal(b)) => {
                a.parse::<f64>().ok() == b.parse::<f64>().ok()
            }
            (Value::Text(a), Value::Text(b)) => {
                let squeeze = |s: &str| -> String {
                    crate::ground::text::fold_str(s)
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>()
                        .trim_end_matches('/')
                        .to_string()
                };
                squeeze(a) == squeeze(b)
            }
            _ => self == other,
        }
    }
}

/// One 报表 as loaded: what its file says.
#[derive(Debug, Clone)]
pub struct WebsiteReport {
    pub year: u32,
    pub file: String,
    pub title: String,
    /// The day it was published on the site (the deadline is 1月31日).
    pub published: Option<Date>,
    /// The values typed, by (section, field) key.
    pub typed: BTreeMap<(&'static str, &'static str), Value>,
    /// Where each field written in the file is, typed or not.
    pub positions: BTreeMap<(&'static str, &'static str), Option<crate::ground::diagnostics::Pos>>,
    pub review: Option<SignOff>,
    pub draft: bool,
    pub example: bool,
    pub source_map: SourceMap,
}

impl WebsiteReport {
    pub fn default_title(site: &str, year: u32) -> String {
        format!("{site}{year}年政府网站工作年度报表")
    }

    /// Where field `field` of `section` is written, if it is.
    pub fn field_pos(&self, section: &str, field: &str) -> Option<crate::ground::diagnostics::Pos> {
        self.positions
            .iter()
            .find(|((s, f), _)| *s == section && *f == field)
            .and_then(|(_, p)| *p)
    }
}

/// A line of the 报表 as shown: a field and its value, typed or computed.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub key: &'static str,
    pub group: Option<&'static str>,
    pub label: &'static str,
    /// Empty when the field was left blank.
    pub value: String,
    pub unit: Option<&'static str>,
    /// Computed by the site rather than typed.
    pub computed: bool,
    /// Where the value comes from, in words: 网站统计, 自动合计 or 填报.
    pub source: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionRows {
    pub key: &'static str,
    pub title: &'static str,
    pub rows: Vec<Row>,
}

/// The 报表 `report`: every field of the form with its value, the computed ones from
/// what the site knows of itself (`known`: [`figures::compute`] of the site as published).
pub fn filled(
    report: &WebsiteReport,
    known: &BTreeMap<(&'static str, &'static str), Value>,
) -> Vec<SectionRows> {
    FORM.sections
        .iter()
        .map(|s| SectionRows {
            key: s.key,
            title: s.title,
            rows: s
                .fields
                .iter()
                .map(|f| Row {
                    key: f.key,
                    group: f.group,
                    label: f.label,
                    value: value(report, known, s.key, f)
                        .map(|v| v.text())
                        .unwrap_or_default(),
                    unit: f.unit,
                    computed: f.source != Source::Typed,
                    source: match f.source {
                        Source::Typed => "填报",
                        Source::Known(_) => "网站统计",
                        Source::Sum(_) => "自动合计",
                    },
                })
                .collect(),
        })
        .collect()
}

/// The value of field `f` of `section`: computed when the site knows it, else typed.
pub fn value(
    report: &WebsiteReport,
    known: &BTreeMap<(&'static str, &'static str), Value>,
    section: &'static str,
    f: &Field,
) -> Option<Value> {
    match f.source {
        Source::Typed => report.typed.get(&(section, f.key)).cloned(),
        Source::Known(_) => known.get(&(section, f.key)).cloned(),
        Source::Sum(parts) => {
            let mut total = 0;
            for p in parts {
                let part = FORM.field(section, p)?;
                if let Some(Value::Count(n)) = value(report, known, section, part) {
                    total += n;
                }
            }
            Some(Value::Count(total))
        }
    }
}

/// The kind a field's value must have, in words (for messages).
pub fn kind_words(kind: Kind) -> String {
    match kind {
        Kind::Count => "不小于 0 的整数".into(),
        Kind::Decimal => "数字（可以有小数）".into(),
        Kind::YesNo => "“是”或“否”".into(),
        Kind::Text => "文字".into(),
        Kind::Date => "日期（如 2026-01-20）".into(),
        Kind::Choice(options) => format!("“{}”之一", options.join("”“")),
    }
}
