//! 审核签发 (先审后发, 三审三校): what a sign-off must record, what one still lacks, and
//! the record of who signed each published item, which the build keeps.

use super::Signed;
use crate::ground::date::Date;
use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::model::content::SignOff;
use crate::model::site::Site;

/// What `review` still lacks on `day`, in the order the work is done (empty when it is
/// complete): who wrote it, who reviewed it, the 保密审查, who signed it and when.
pub fn missing(review: Option<&SignOff>, day: Date) -> Vec<String> {
    let r = review.cloned().unwrap_or_default();
    let named = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
    let mut out = Vec::new();
    if !named(&r.written_by) {
        out.push("撰稿人".to_string());
    }
    if !named(&r.reviewed_by) {
        out.push("审核人".to_string());
    }
    if !r.secrecy_checked {
        out.push("保密审查".to_string());
    }
    if !named(&r.signed_by) {
        out.push("签发人".to_string());
    }
    match r.signed_on {
        None => out.push("签发日期".to_string()),
        Some(d) if (d.year, d.month, d.day) > (day.year, day.month, day.day) => {
            out.push(format!("签发日期（写的是 {}，还没到）", d.ymd()));
        }
        Some(_) => {}
    }
    out
}

/// Who must act next on an item lacking `missing`, in words for the list of what waits.
pub fn waiting_for(missing: &[String]) -> &'static str {
    match missing.first().map(String::as_str) {
        Some("撰稿人") => "待填写撰稿人",
        Some("审核人") => "待审核",
        Some("保密审查") => "待保密审查",
        Some("签发人") => "待签发",
        _ => "待填写签发日期",
    }
}

/// The sign-offs of what `site` publishes (held items are gone from it), by file.
pub fn signed(site: &Site) -> Vec<Signed> {
    let news = site
        .news
        .iter()
        .map(|n| (&n.file, &n.front.title, &n.path, n.front.review.as_ref()));
    let items = site
        .disclosure
        .iter()
        .map(|x| (&x.file, &x.front.title, &x.path, x.front.review.as_ref()));
    let paths = &site.config.paths;
    let reports: Vec<(&String, &String, String, Option<&SignOff>)> = site
        .reports
        .iter()
        .map(|r| (&r.file, &r.title, paths.report(r.year), r.review.as_ref()))
        .collect();
    let website = site
        .messages
        .iter()
        .map(|m| {
            let path = format!("{}#{}", paths.interaction(), m.anchor);
            (&m.file, &m.front.title, path, m.front.review.as_ref())
        })
        .chain(site.services.iter().map(|x| {
            (
                &x.file,
                &x.front.title,
                x.path.clone(),
                x.front.review.as_ref(),
            )
        }))
        .chain(site.leaders.iter().map(|l| {
            (
                &l.file,
                &l.front.name,
                l.path.clone(),
                l.front.review.as_ref(),
            )
        }))
        .chain(site.organization.iter().map(|o| {
            (
                &o.file,
                &o.front.title,
                paths.organization(),
                o.front.review.as_ref(),
            )
        }))
        .chain(site.website_reports.iter().map(|r| {
            (
                &r.file,
                &r.title,
                paths.website_report(r.year),
                r.review.as_ref(),
            )
        }));
    let mut out: Vec<Signed> = news
        .chain(items)
        .map(|(f, t, p, r)| (f, t, p.clone(), r))
        .chain(reports)
        .chain(website)
        .filter_map(|(file, title, path, review)| {
            review.map(|r| Signed {
                file: file.clone(),
                title: title.clone(),
                path,
                sign_off: r.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

/// The findings of the sign-offs of what `site` publishes: an item dated before it was
/// signed was published before it was reviewed (先审后发).
pub fn check(site: &Site, _day: Date) -> Diagnostics {
    let mut d = Diagnostics::new();
    let fronts = site
        .news
        .iter()
        .map(|n| (&n.file, n.front.date, n.front.review.as_ref()))
        .chain(
            site.disclosure
                .iter()
                .map(|x| (&x.file, x.front.date, x.front.review.as_ref())),
        );
    for (file, date, review) in fronts {
        let Some(signed_on) = review.and_then(|r| r.signed_on) else {
            continue;
        };
        if (date.year, date.month, date.day) < (signed_on.year, signed_on.month, signed_on.day) {
            d.push(
                Diagnostic::warning(
                    "review.order",
                    file.as_str(),
                    format!(
                        "发布日期 {} 早于签发日期 {}：先审后发，签发之后才能发布",
                        date.ymd(),
                        signed_on.ymd()
                    ),
                )
                .help("核对两个日期：发布日期改为签发当天或之后，或改正签发日期。"),
            );
        }
    }
    d
}
