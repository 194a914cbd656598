//! What `check` found, for machines (`--format json`: one object per finding) and for
//! people (`--report FILE.html`: one printable page an editor can forward).

use serde::Serialize;

use crate::gate::review::waiting_for;
use crate::gate::{Decision, Why};
use crate::ground::date::Date;
use crate::ground::diagnostics::{Diagnostic, Diagnostics, Severity};

#[derive(Serialize)]
struct Finding<'a> {
    /// In a portal group's list: the member's slug, null for the portal's own findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    member: Option<Option<&'a str>>,
    rule: &'a str,
    /// `error` and `warning` decide; `info` records what the gate held back or let out.
    level: &'static str,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
    fix: Option<&'a str>,
    /// A held item's 定时发布 day.
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    /// What a held item's sign-off lacks.
    #[serde(skip_serializing_if = "Option::is_none")]
    missing: Option<&'a [String]>,
    /// Who signed a published item, and when.
    #[serde(skip_serializing_if = "Option::is_none")]
    sign_off: Option<&'a crate::model::content::SignOff>,
}

fn level(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Every finding as a JSON array, in the printed order, then what the gate held back
/// (`schedule.held`, `review.waiting`) and the sign-offs of what it let out
/// (`review.signed`), at level `info`.
pub fn json(diags: &Diagnostics, decision: &Decision) -> String {
    to_json(&findings(None, diags, decision))
}

/// What a portal group's check found, as [`json`] gives a site's, each finding with its
/// `member` (the slug; null for the portal's own): every member's in the order of
/// group.toml, then the portal's.
pub fn group_json(parts: &[Part]) -> String {
    let list: Vec<Finding> = parts
        .iter()
        .flat_map(|p| findings(Some(p.member), p.diagnostics, p.decision))
        .collect();
    to_json(&list)
}

/// One member's findings in a group's summary (or the portal's, without a slug).
pub struct Part<'a> {
    pub member: Option<&'a str>,
    /// Its heading in the HTML report (`某县教育局（jyj，sites/jyj）`).
    pub heading: String,
    pub diagnostics: &'a Diagnostics,
    pub decision: &'a Decision,
}

fn to_json(list: &[Finding]) -> String {
    let mut s = serde_json::to_string_pretty(list).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

fn findings<'a>(
    member: Option<Option<&'a str>>,
    diags: &'a Diagnostics,
    decision: &'a Decision,
) -> Vec<Finding<'a>> {
    let mut list: Vec<Finding> = diags
        .sorted()
        .into_iter()
        .map(|d| Finding {
            member,
            rule: &d.code,
            level: level(d),
            file: &d.file,
            line: d.pos.map(|p| p.line),
            column: d.pos.map(|p| p.col),
            message: d.message.clone(),
            fix: d.help.as_deref(),
            date: None,
            missing: None,
            sign_off: None,
        })
        .collect();
    list.extend(decision.held.iter().map(|h| {
        let (rule, message, date, missing) = match &h.why {
            Why::Scheduled { date } => (
                "schedule.held",
                format!("《{}》定时发布：{} 发布", h.title, date.ymd()),
                Some(date.ymd()),
                None,
            ),
            Why::Unsigned { missing } => (
                "review.waiting",
                format!(
                    "《{}》{}：还缺 {}",
                    h.title,
                    waiting_for(missing),
                    missing.join("、")
                ),
                None,
                Some(missing.as_slice()),
            ),
        };
        Finding {
            member,
            rule,
            level: "info",
            file: &h.file,
            line: None,
            column: None,
            message,
            fix: None,
            date,
            missing,
            sign_off: None,
        }
    }));
    list.extend(decision.signed.iter().map(|s| Finding {
        member,
        rule: "review.signed",
        level: "info",
        file: &s.file,
        line: None,
        column: None,
        message: format!(
            "《{}》由 {} 签发{}",
            s.title,
            s.sign_off.signed_by.as_deref().unwrap_or("（未写签发人）"),
            s.sign_off
                .signed_on
                .map(|d| format!("，{}", d.ymd()))
                .unwrap_or_default()
        ),
        fix: None,
        date: None,
        missing: None,
        sign_off: Some(&s.sign_off),
    }));
    list
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The page's head and its title, `{title}检查报告`.
fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}检查报告</title>\n<style>\nbody{{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:2em;color:#222}}\ntable{{border-collapse:collapse;width:100%;font-size:14px;margin-bottom:1em}}\nth,td{{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}}\n.error{{color:#b00}}\n@media print{{body{{margin:0}}section{{break-inside:avoid-page}}}}\n</style>\n</head>\n<body>\n<h1>{t}检查报告</h1>\n",
        t = escape(title),
    )
}

/// (errors, warnings) among `diags`.
fn tally(diags: &Diagnostics) -> (usize, usize) {
    (diags.error_count(), diags.warning_count())
}

/// Counts by check, then every finding with where and how to fix it (`h` the level of
/// their headings).
fn findings_html(diags: &Diagnostics, h: u8) -> String {
    let sorted = diags.sorted();
    if sorted.is_empty() {
        return "<p>没有发现问题。</p>\n".into();
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for d in &sorted {
        match counts.iter_mut().find(|(c, _)| *c == d.code.as_ref()) {
            Some((_, n)) => *n += 1,
            None => counts.push((&d.code, 1)),
        }
    }
    counts.sort();
    let mut page = format!(
        "<h{h}>按检查项目</h{h}>\n<table>\n<tr><th>检查</th><th>说明</th><th>项数</th></tr>\n"
    );
    for (code, n) in &counts {
        let title = super::rule(code).map_or("", |r| r.title);
        page.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{n}</td></tr>\n",
            escape(code),
            escape(title)
        ));
    }
    page.push_str(&format!("</table>\n<h{h}>发现的问题</h{h}>\n<table>\n<tr><th>级别</th><th>位置</th><th>检查</th><th>问题</th><th>修改建议</th></tr>\n"));
    for d in &sorted {
        let (class, label) = if d.is_error() {
            ("error", "错误")
        } else {
            ("warning", "警告")
        };
        page.push_str(&format!(
            "<tr class=\"{class}\"><td>{label}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&d.location()),
            escape(&d.code),
            escape(&d.message),
            escape(d.help.as_deref().unwrap_or(""))
        ));
    }
    page.push_str("</table>\n");
    page
}

/// A one-page summary: counts by check, then every finding with where and how to fix it.
pub fn html(site_title: &str, as_of: Date, diags: &Diagnostics) -> String {
    let (errors, w) = tally(diags);
    let mut page = head(&format!("{site_title}网站"));
    page.push_str(&format!(
        "<p>检查日期：{}。共 {} 项，其中错误 {errors} 项、警告 {w} 项。检查项目和依据见 docs/compliance.md。</p>\n",
        as_of.chinese(),
        errors + w
    ));
    page.push_str(&findings_html(diags, 2));
    page.push_str("</body>\n</html>\n");
    page
}

/// One page for a portal group (for the 政务公开办 that oversees its members): a table of
/// every member with its errors and warnings, then a section per member with its
/// findings, then the portal's own.
pub fn group_html(portal: &str, as_of: Date, parts: &[Part]) -> String {
    let mut page = head(&format!("{portal}门户网站"));
    let (errors, warnings) = parts.iter().fold((0, 0), |(e, w), p| {
        let (a, b) = tally(p.diagnostics);
        (e + a, w + b)
    });
    let members = parts.iter().filter(|p| p.member.is_some()).count();
    page.push_str(&format!(
        "<p>检查日期：{}。{members} 个成员单位和门户共 {} 项，其中错误 {errors} 项、警告 {warnings} 项。检查项目和依据见 docs/compliance.md。</p>\n<h2>各单位概况</h2>\n<table>\n<tr><th>单位</th><th>错误</th><th>警告</th></tr>\n",
        as_of.chinese(),
        errors + warnings
    ));
    let anchor = |i: usize| format!("part-{i}");
    for (i, p) in parts.iter().enumerate() {
        let (e, w) = tally(p.diagnostics);
        let class = if e > 0 { " class=\"error\"" } else { "" };
        page.push_str(&format!(
            "<tr{class}><td><a href=\"#{}\">{}</a></td><td>{e}</td><td>{w}</td></tr>\n",
            anchor(i),
            escape(&p.heading)
        ));
    }
    page.push_str("</table>\n");
    for (i, p) in parts.iter().enumerate() {
        page.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n",
            anchor(i),
            escape(&p.heading),
            findings_html(p.diagnostics, 3)
        ));
    }
    page.push_str("</body>\n</html>\n");
    page
}
