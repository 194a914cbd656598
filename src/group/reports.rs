//! The group's 年报 section as data: for each year, every member's report or its absence
//! (late or not yet due, by the deadlines of 条例第四十九条), the figures compared, and
//! `年报汇总.csv/json` across members and years.
//!
//! "As of" decides what is late: the build's day (`--as-of`, else today), the same day
//! every member's gate judges by. An item dated later is 定时发布 and held back, never a
//! clock: one editor's mistyped future date cannot make every member late.

use serde::Serialize;

use super::config::MemberKind;
use super::summary::{MemberSummary, ReportSummary};
use crate::ground::date::Date;

/// The figures compared across members, by key figure key; the 予以公开 rate is computed.
pub const COMPARED: &[(&str, &str)] = &[
    ("new_received", "本年新收申请"),
    ("total_processed", "办理结果总计"),
    ("granted", "予以公开"),
    (RATE, "予以公开率"),
    ("review", "行政复议"),
    ("litigation", "行政诉讼"),
    ("fees", "行政事业性收费（万元）"),
];

/// The computed share of 予以公开 in 办理结果总计.
pub const RATE: &str = "granted_rate";

/// Where a member stands for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Published,
    /// No report, and the deadline has passed.
    Missing,
    /// No report yet, and the deadline has not passed.
    NotDue,
    /// The member joined later (`since`).
    NotExpected,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Published => "已发布",
            Status::Missing => "逾期未发布",
            Status::NotDue => "未到发布期限",
            Status::NotExpected => "不要求",
        }
    }
}

/// One member in one year.
pub struct Entry<'a> {
    pub member: &'a MemberSummary,
    pub status: Status,
    pub report: Option<&'a ReportSummary>,
}

impl Entry<'_> {
    /// Whether the report fails a 勾稽 rule (acknowledged or not).
    pub fn failing(&self) -> bool {
        self.report.is_some_and(|r| !r.findings.is_empty())
    }

    /// A compared figure as published (`—` when there is none).
    pub fn value(&self, key: &str) -> Option<String> {
        let r = self.report?;
        if key == RATE {
            return rate(r);
        }
        r.figure(key).map(str::to_string)
    }

    /// A compared figure of the member's report of `year` (the year before, say).
    pub fn earlier(&self, key: &str, year: u32) -> Option<String> {
        let r = self.member.reports.iter().find(|r| r.year == year)?;
        if key == RATE {
            return rate(r);
        }
        r.figure(key).map(str::to_string)
    }
}

/// How a figure changed from `then` to `now`, as published (`较上年 +3`, `较上年 −0.4`,
/// `较上年持平`; a rate in percentage points); none when either is not a number.
pub fn change(now: &str, then: &str) -> Option<String> {
    let points = now.ends_with('%');
    let parse = |v: &str| v.trim_end_matches('%').parse::<f64>().ok();
    let (a, b) = (parse(now)?, parse(then)?);
    let decimals = |v: &str| {
        v.split_once('.')
            .map_or(0, |(_, d)| d.trim_end_matches('%').len())
    };
    let places = decimals(now).max(decimals(then));
    let d = a - b;
    if d.abs() < 0.5 * 10f64.powi(-(places as i32)) {
        return Some("较上年持平".into());
    }
    let sign = if d > 0.0 { "+" } else { "−" };
    let unit = if points { " 个百分点" } else { "" };
    Some(format!("较上年 {sign}{:.*}{unit}", places, d.abs()))
}

/// 予以公开 ÷ 办理结果总计, in percent with one decimal.
fn rate(r: &ReportSummary) -> Option<String> {
    let granted: u64 = r.figure("granted")?.parse().ok()?;
    let total: u64 = r.figure("total_processed")?.parse().ok()?;
    if total == 0 {
        return None;
    }
    let tenths = (granted * 1000 + total / 2) / total;
    Some(format!("{}.{}%", tenths / 10, tenths % 10))
}

pub struct Year<'a> {
    pub year: u32,
    /// Every member, in the order of group.toml.
    pub entries: Vec<Entry<'a>>,
}

impl Year<'_> {
    pub fn count(&self, status: Status) -> usize {
        self.entries.iter().filter(|e| e.status == status).count()
    }
}

/// The 年报 section: the years it covers, newest first.
pub struct Section<'a> {
    pub as_of: Option<Date>,
    pub years: Vec<Year<'a>>,
}

fn is_past(as_of: Option<Date>, deadline: Date) -> bool {
    as_of.is_some_and(|d| (d.year, d.month, d.day) > (deadline.year, deadline.month, deadline.day))
}

/// The section for `members` as of `as_of`, from `first_year` (else the earliest report)
/// to the latest year with a report or whose department deadline has passed.
pub fn section(
    members: &[MemberSummary],
    as_of: Option<Date>,
    first_year: Option<u32>,
) -> Section<'_> {
    let report_years = members
        .iter()
        .flat_map(|m| m.reports.iter().map(|r| r.year));
    let first = first_year.or_else(|| report_years.clone().min());
    let last_due = as_of.map(|d| {
        let y = d.year.saturating_sub(1);
        if is_past(as_of, MemberKind::Department.deadline(y)) {
            y
        } else {
            y.saturating_sub(1)
        }
    });
    let last = report_years.max().into_iter().chain(last_due).max();
    let years = match (first, last) {
        (Some(f), Some(l)) if f <= l => (f..=l).rev().collect(),
        _ => Vec::new(),
    };
    Section {
        as_of,
        years: years
            .into_iter()
            .map(|year| Year {
                year,
                entries: members
                    .iter()
                    .map(|m| {
                        let report = m.reports.iter().find(|r| r.year == year);
                        let status = if report.is_some() {
                            Status::Published
                        } else if m.since.is_some_and(|s| year < s) {
                            Status::NotExpected
                        } else if is_past(as_of, m.kind.deadline(year)) {
                            Status::Missing
                        } else {
                            Status::NotDue
                        };
                        Entry {
                            member: m,
                            status,
                            report,
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The key figures every report of the section has, in the order the first report type
/// gives them, with the computed rate after 予以公开.
fn columns(section: &Section) -> Vec<(String, String)> {
    let mut cols: Vec<(String, String)> = Vec::new();
    for y in &section.years {
        for e in &y.entries {
            for f in e.report.iter().flat_map(|r| &r.figures) {
                if !cols.iter().any(|(k, _)| *k == f.key) {
                    cols.push((f.key.clone(), f.label.clone()));
                    if f.key == "granted" {
                        cols.push((RATE.into(), "予以公开率".into()));
                    }
                }
            }
        }
    }
    cols
}

/// The rows of 年报汇总, oldest year first, members in the order of group.toml.
fn rows<'a>(section: &'a Section<'a>) -> impl Iterator<Item = (u32, &'a Entry<'a>)> {
    section
        .years
        .iter()
        .rev()
        .flat_map(|y| y.entries.iter().map(move |e| (y.year, e)))
        .filter(|(_, e)| e.status != Status::NotExpected)
}

/// The rules a report fails, as one cell (`T3-A（已说明）`).
fn failing_text(e: &Entry) -> String {
    let mut rules: Vec<String> = Vec::new();
    for f in e.report.iter().flat_map(|r| &r.findings) {
        let text = if f.acknowledged.is_some() {
            format!("{}（已说明）", f.rule)
        } else {
            f.rule.clone()
        };
        if !rules.contains(&text) {
            rules.push(text);
        }
    }
    rules.join("、")
}

/// `年报汇总.csv`: one row per member and year, with a UTF-8 BOM for Excel.
pub fn summary_csv(section: &Section, base_url: &str) -> Vec<u8> {
    let cols = columns(section);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    let head: Vec<String> = [
        "年度",
        "成员代码",
        "机关",
        "类别",
        "状态",
        "发布日期",
        "发布期限",
        "勾稽关系未通过",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(cols.iter().map(|(_, l)| l.clone()))
    .chain(["报告网址".to_string()])
    .collect();
    let _ = w.write_record(&head);
    for (year, e) in rows(section) {
        let mut rec = vec![
            year.to_string(),
            e.member.slug.clone(),
            e.member.name.clone(),
            e.member.kind.label().to_string(),
            e.status.label().to_string(),
            e.report
                .and_then(|r| r.published.clone())
                .unwrap_or_default(),
            e.member.kind.deadline(year).ymd(),
            failing_text(e),
        ];
        rec.extend(cols.iter().map(|(k, _)| e.value(k).unwrap_or_default()));
        rec.push(
            e.report
                .map(|r| format!("{base_url}{}", crate::config::paths::encode(&r.path)))
                .unwrap_or_default(),
        );
        let _ = w.write_record(&rec);
    }
    w.into_inner().unwrap_or_default()
}

#[derive(Serialize)]
struct JsonRow<'a> {
    year: u32,
    slug: &'a str,
    agency: &'a str,
    kind: &'static str,
    status: Status,
    /// The report's 发布日期, when it says one.
    published: Option<&'a str>,
    /// The last day to publish it (条例第四十九条, by the member's kind).
    deadline: String,
    url: Option<String>,
    figures: serde_json::Map<String, serde_json::Value>,
    failing: Vec<&'a super::summary::Failing>,
}

/// `年报汇总.json`: the same rows; counts as numbers, amounts and rates as written.
pub fn summary_json(section: &Section, base_url: &str) -> Vec<u8> {
    let cols = columns(section);
    let list: Vec<JsonRow> = rows(section)
        .map(|(year, e)| JsonRow {
            year,
            slug: &e.member.slug,
            agency: &e.member.name,
            kind: e.member.kind.label(),
            status: e.status,
            published: e.report.and_then(|r| r.published.as_deref()),
            deadline: e.member.kind.deadline(year).ymd(),
            url: e
                .report
                .map(|r| format!("{base_url}{}", crate::config::paths::encode(&r.path))),
            figures: cols
                .iter()
                .filter_map(|(k, _)| {
                    let v = e.value(k)?;
                    let v = v
                        .parse::<u64>()
                        .map(serde_json::Value::from)
                        .unwrap_or(serde_json::Value::from(v));
                    Some((k.clone(), v))
                })
                .collect(),
            failing: e
                .report
                .map(|r| r.findings.iter().collect())
                .unwrap_or_default(),
        })
        .collect();
    let mut bytes = serde_json::to_vec_pretty(&list).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::summary::Figure;

    fn report(year: u32, granted: &str, total: &str) -> ReportSummary {
        ReportSummary {
            year,
            title: String::new(),
            path: format!("a/zwgk/ndbg/{year}/"),
            published: None,
            kind: "national-2021".into(),
            basis: String::new(),
            figures: [("granted", granted), ("total_processed", total)]
                .iter()
                .map(|(k, v)| Figure {
                    key: k.to_string(),
                    label: k.to_string(),
                    value: v.to_string(),
                })
                .collect(),
            findings: Vec::new(),
        }
    }

    #[test]
    fn the_rate_is_rounded_to_a_tenth_of_a_percent() {
        assert_eq!(rate(&report(2024, "2", "3")).as_deref(), Some("66.7%"));
        assert_eq!(rate(&report(2024, "1", "1")).as_deref(), Some("100.0%"));
        assert_eq!(rate(&report(2024, "0", "0")), None);
    }

    #[test]
    fn a_change_from_the_year_before_is_said_in_the_figures_own_terms() {
        assert_eq!(change("23", "20").as_deref(), Some("较上年 +3"));
        assert_eq!(change("0.8", "1.2").as_deref(), Some("较上年 −0.4"));
        assert_eq!(change("7", "7").as_deref(), Some("较上年持平"));
        assert_eq!(
            change("77.3%", "70.0%").as_deref(),
            Some("较上年 +7.3 个百分点")
        );
        assert_eq!(change("—", "7"), None);
    }

    #[test]
    fn late_means_after_the_deadline_of_the_members_kind() {
        let d = |s| Date::parse(s);
        let deadline = MemberKind::Department.deadline(2024);
        assert!(!is_past(d("2025-01-31"), deadline));
        assert!(is_past(d("2025-02-01"), deadline));
        assert!(!is_past(None, deadline));
        for kind in [MemberKind::Township, MemberKind::Subdistrict] {
            assert!(!is_past(d("2025-03-31"), kind.deadline(2024)));
            assert!(is_past(d("2025-04-01"), kind.deadline(2024)));
        }
    }
}
