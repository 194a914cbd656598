//! The 政府网站工作年度报表 as inspectors read it (国办函〔2018〕12号): last year's 报表
//! published by 1月31日, the day it was published written down, and its figures true —
//! a figure the editor typed that the site's own count contradicts is a finding.

use super::{Ctx, days};
use crate::ground::date::Date;
use crate::model::website_report::form::{FORM, Source};
use crate::model::website_report::{WebsiteReport, figures, value};

/// The last day to publish the 报表 of `year`: 1月31日 of the next year.
pub fn deadline(year: u32) -> Date {
    Date {
        year: year + 1,
        month: 1,
        day: 31,
        time: None,
        offset_min: 8 * 60,
    }
}

pub fn check(ctx: &mut Ctx) {
    missing(ctx);
    let site = ctx.site;
    for r in &site.website_reports {
        late(ctx, r);
        contradictions(ctx, r);
    }
}

fn missing(ctx: &mut Ctx) {
    let site = ctx.site;
    let as_of = days::number(ctx.as_of);
    let due: Vec<u32> = (ctx.as_of.year.saturating_sub(2)..ctx.as_of.year)
        .filter(|y| as_of > days::number(deadline(*y)))
        .collect();
    let Some(&last_due) = due.last() else {
        return;
    };
    let first = site
        .config
        .compliance
        .website_reports
        .first_year
        .or_else(|| site.website_reports.iter().map(|r| r.year).min())
        .unwrap_or(last_due);
    for year in first..=last_due {
        if site.website_reports.iter().any(|r| r.year == year) {
            continue;
        }
        ctx.report(
            "website-report.missing",
            &format!("content/website-reports/{year}.yaml"),
            None,
            format!(
                "没有 {year} 年的政府网站工作年度报表，发布期限 {} 已过",
                deadline(year).chinese()
            ),
            format!(
                "运行 `gongkai new website-report {year}` 填写并发布，它会显示在首页显著位置；网站开通晚于该年度时，在 [compliance.website_reports] 中写 first_year。"
            ),
        );
    }
}

fn late(ctx: &mut Ctx, r: &WebsiteReport) {
    let deadline = deadline(r.year);
    match r.published {
        None => ctx.report(
            "website-report.published",
            &r.file,
            r.source_map.pos_alt(&[&["year", "年度", "年份"]]),
            format!("{} 年度的网站年度报表没有写发布日期（published）", r.year),
            format!(
                "写上报表在本网站首页发布的日期，如 `published: {}`：检查时看的就是它是否在 {} 之前。",
                deadline.ymd(),
                deadline.chinese()
            ),
        ),
        Some(d) if days::number(d) > days::number(deadline) => ctx.report(
            "website-report.late",
            &r.file,
            r.source_map.pos_alt(&[&["published", "发布日期"]]),
            format!(
                "{} 年度的网站年度报表 {} 发布，晚于发布期限 {}",
                r.year,
                d.ymd(),
                deadline.chinese()
            ),
            format!(
                "核对发布日期；确实晚发的，下一年度的报表在 {} 前发布。",
                super::website_reports::deadline(r.year + 1).chinese()
            ),
        ),
        Some(_) => {}
    }
}

/// Typed figures the site's own count contradicts, each at its line.
fn contradictions(ctx: &mut Ctx, r: &WebsiteReport) {
    let known = figures::compute(ctx.site, r.year);
    for s in FORM.sections {
        for f in s.fields {
            if f.source == Source::Typed {
                continue;
            }
            let (Some(typed), Some(computed)) =
                (r.typed.get(&(s.key, f.key)), value(r, &known, s.key, f))
            else {
                continue;
            };
            if typed.same(&computed) {
                continue;
            }
            let name = match f.group {
                Some(g) => format!("{}·{g}·{}", s.title, f.label),
                None => format!("{}·{}", s.title, f.label),
            };
            let how = match f.source {
                Source::Sum(_) => "各分项之和",
                _ => "网站按已发布的内容统计",
            };
            ctx.report(
                "website-report.figures",
                &r.file,
                r.field_pos(s.key, f.key),
                format!(
                    "“{name}”填的是 {}，{how}是 {}",
                    typed.text(),
                    computed.text()
                ),
                "这一项由网站自动统计，不必填写：删去这一行，报表上显示统计的数字；统计不全的，把缺的信息（新闻、留言、办事指南等）发布到网站上。".into(),
            );
        }
    }
}
