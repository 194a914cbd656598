//! What `check` found, for machines (`--format json`: one object per finding) and for
//! people (`--report FILE.html`: one printable page an editor can forward).

use serde::Serialize;

use crate::gate::review::waiting_for;
use crate::gate::{Decision, Why};
use crate::ground::date::Date;
use crate::ground::diagnostics::{Diagnostic, Diagnostics, Severity};

#[derive(Serialize)]
struct Finding<'a> {
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
    let mut list: Vec<Finding> = diags
        .sorted()
        .into_iter()
        .map(|d| Finding {
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
    let mut s = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A one-page summary: counts by check, then every finding with where and how to fix it.
pub fn html(site_title: &str, as_of: Date, diags: &Diagnostics) -> String {
    let sorted = diags.sorted();
    let errors = sorted.iter().filter(|d| d.is_error()).count();
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for d in &sorted {
        match counts.iter_mut().find(|(c, _)| *c == d.code.as_ref()) {
            Some((_, n)) => *n += 1,
            None => counts.push((&d.code, 1)),
        }
    }
    counts.sort();
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}网站检查报告</title>\n<style>\nbody{{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:2em;color:#222}}\ntable{{border-collapse:collapse;width:100%;font-size:14px}}\nth,td{{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}}\n.error{{color:#b00}}\n@media print{{body{{margin:0}}}}\n</style>\n</head>\n<body>\n<h1>{t}网站检查报告</h1>\n<p>检查日期：{date}。共 {n} 项，其中错误 {errors} 项、警告 {w} 项。检查项目和依据见 docs/compliance.md。</p>\n",
        t = escape(site_title),
        date = as_of.chinese(),
        n = sorted.len(),
        w = sorted.len() - errors,
    );
    if !counts.is_empty() {
        page.push_str(
            "<h2>按检查项目</h2>\n<table>\n<tr><th>检查</th><th>说明</th><th>项数</th></tr>\n",
        );
        for (code, n) in &counts {
            let title = super::rule(code).map_or("", |r| r.title);
            page.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{n}</td></tr>\n",
                escape(code),
                escape(title)
            ));
        }
        page.push_str("</table>\n<h2>发现的问题</h2>\n<table>\n<tr><th>级别</th><th>位置</th><th>检查</th><th>问题</th><th>修改建议</th></tr>\n");
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
    } else {
        page.push_str("<p>没有发现问题。</p>\n");
    }
    page.push_str("</body>\n</html>\n");
    page
}
