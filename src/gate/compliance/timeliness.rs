//! 《条例》第二十六条: information is made public within 20 working days of being made.
//! A disclosure item with a 成文日期 (`written`) is judged by the working days from it to
//! its 发布日期 (`date`), counted with the national holiday calendar.

use super::holidays::Calendar;
use super::{Ctx, days};

pub fn check(ctx: &mut Ctx, calendar: &Calendar) {
    let site = ctx.site;
    let allowed = i64::from(site.config.compliance.timeliness.working_days);
    for x in &site.disclosure {
        let Some(written) = x.front.written else {
            continue;
        };
        let (from, to) = (days::number(written), days::number(x.front.date));
        let pos = x.keys.written;
        if from > to {
            ctx.report(
                "timeliness.order",
                &x.file,
                pos,
                format!(
                    "成文日期 {} 晚于发布日期 {}",
                    written.ymd(),
                    x.front.date.ymd()
                ),
                "核对成文日期（written）和发布日期（date），文件不能在形成之前发布。".into(),
            );
            continue;
        }
        let working = calendar.working_days_between(from, to);
        if working <= allowed {
            continue;
        }
        let unknown: Vec<String> = (written.year..=x.front.date.year)
            .filter(|y| !calendar.covers(*y))
            .map(|y| y.to_string())
            .collect();
        let note = if unknown.is_empty() {
            String::new()
        } else {
            format!(
                "（{} 年的节假日安排未收录，按周末计算；可在 [compliance.holidays] 中补充）",
                unknown.join("、")
            )
        };
        ctx.report(
            "timeliness.26",
            &x.file,
            pos,
            format!(
                "成文日期 {} 到发布日期 {} 共 {working} 个工作日，超过《条例》第二十六条规定的 {allowed} 个工作日{note}",
                written.ymd(),
                x.front.date.ymd()
            ),
            "在形成或者变更之日起 20 个工作日内公开；日期写错的，改正成文日期或发布日期。".into(),
        );
    }
}
