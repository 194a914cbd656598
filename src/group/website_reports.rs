//! The group's column of its members' 政府网站工作年度报表 (国办函〔2018〕12号: portals
//! 开设专栏，集中发布 their members' 报表): for each year, every member's 报表 or its
//! absence, and who published late. Every 报表 is due by 1月31日 of the next year,
//! whatever the member's kind.

use serde::Serialize;
use tera::Context;

use super::reports::Status;
use super::summary::{MemberSummary, WebsiteReportSummary};
use crate::config::paths::group as gp;
use crate::gate::compliance::website_reports::deadline;
use crate::ground::date::Date;
use crate::ground::diagnostics::{Diagnostic, Diagnostics};

/// One member in one year.
pub struct Entry<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub status: Status,
    pub status_label: &'static str,
    pub report: Option<&'a WebsiteReportSummary>,
    /// Published after 1月31日.
    pub late: bool,
    pub member: &'a MemberSummary,
}

pub struct Year<'a> {
    pub year: u32,
    pub deadline: String,
    pub entries: Vec<Entry<'a>>,
    pub published: usize,
    pub missing: usize,
    pub late: usize,
}

fn is_past(as_of: Option<Date>, d: Date) -> bool {
    as_of.is_some_and(|a| (a.year, a.month, a.day) > (d.year, d.month, d.day))
}

/// The years from `first` (else the earliest 报表 of any member) to the last one due by
/// `as_of` or published, newest first.
pub fn years(members: &[MemberSummary], as_of: Option<Date>, first: Option<u32>) -> Vec<Year<'_>> {
    let published = members
        .iter()
        .flat_map(|m| m.website_reports.iter().map(|r| r.year));
    let first = first.or_else(|| published.clone().min());
    let last_due = as_of.map(|d| {
        let y = d.year.saturating_sub(1);
        if is_past(as_of, deadline(y)) {
            y
        } else {
            y.saturating_sub(1)
        }
    });
    let last = published.max().into_iter().chain(last_due).max();
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    (first..=last)
        .rev()
        .map(|year| {
            let entries: Vec<Entry> = members
                .iter()
                .filter(|m| m.since.is_none_or(|s| year >= s))
                .map(|m| {
                    let report = m.website_reports.iter().find(|r| r.year == year);
                    let status = if report.is_some() {
                        Status::Published
                    } else if is_past(as_of, deadline(year)) {
                        Status::Missing
                    } else {
                        Status::NotDue
                    };
                    let late = report
                        .and_then(|r| Date::parse(r.published.as_deref()?))
                        .is_some_and(|d| is_past(Some(d), deadline(year)));
                    Entry {
                        slug: &m.slug,
                        name: &m.name,
                        status,
                        status_label: if late { "逾期发布" } else { status.label() },
                        report,
                        late,
                        member: m,
                    }
                })
                .collect();
            Year {
                year,
                deadline: deadline(year).chinese(),
                published: entries
                    .iter()
                    .filter(|e| e.status == Status::Published)
                    .count(),
                missing: entries
                    .iter()
                    .filter(|e| e.status == Status::Missing)
                    .count(),
                late: entries.iter().filter(|e| e.late).count(),
                entries,
            }
        })
        .collect()
}

/// A warning for each 报表 missing after its deadline, named at the member's folder.
pub fn missing(years: &[Year], rel: &dyn Fn(&str) -> String, diags: &mut Diagnostics) {
    for y in years {
        for e in y.entries.iter().filter(|e| e.status == Status::Missing) {
            let dir = format!("{}/content/website-reports", rel(e.slug));
            diags.push(
                Diagnostic::warning(
                    "website-report-missing",
                    &dir,
                    format!(
                        "{}（{}）没有 {} 年的政府网站工作年度报表，应在 {} 前发布",
                        e.member.name, e.slug, y.year, y.deadline
                    ),
                )
                .help(format!(
                    "在 {dir}/ 中加上 {}.yaml（在成员文件夹中运行 `gongkai new website-report {}`）。核对截止日期用 --as-of 指定日期。",
                    y.year, y.year
                )),
            );
        }
    }
}

/// The context of the column's page.
pub fn page_context(years: &[Year], url: &dyn Fn(&str) -> String, mut ctx: Context) -> Context {
    #[derive(Serialize)]
    struct Link {
        title: String,
        url: String,
        published: Option<String>,
    }
    #[derive(Serialize)]
    struct Row<'a> {
        name: &'a str,
        url: String,
        status: Status,
        status_label: &'static str,
        late: bool,
        report: Option<Link>,
    }
    #[derive(Serialize)]
    struct YearCtx<'a> {
        year: u32,
        deadline: &'a str,
        published: usize,
        missing: usize,
        late: usize,
        rows: Vec<Row<'a>>,
    }
    let list: Vec<YearCtx> = years
        .iter()
        .map(|y| YearCtx {
            year: y.year,
            deadline: &y.deadline,
            published: y.published,
            missing: y.missing,
            late: y.late,
            rows: y
                .entries
                .iter()
                .map(|e| Row {
                    name: e.name,
                    url: url(&crate::config::paths::encode(&e.member.path())),
                    status: e.status,
                    status_label: e.status_label,
                    late: e.late,
                    report: e.report.map(|r| Link {
                        title: r.title.clone(),
                        url: url(&crate::config::paths::encode(&r.path)),
                        published: r.published.clone(),
                    }),
                })
                .collect(),
        })
        .collect();
    ctx.insert("years", &list);
    ctx.insert("column", gp::WEBSITE_REPORTS);
    ctx
}
