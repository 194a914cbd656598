//! The yearly reports as inspectors read them: last year's report published by its
//! deadline (《条例》第四十九条: 部门 1月31日, 本级政府 3月31日), table-3 totals that jump
//! between years (a figure typed wrong), and what section 六 says about fees against 表二.
//!
//! 表二's fee (第二十条第（八）项) is the agency's 行政事业性收费, not the 信息处理费 of
//! 依申请公开: a report may rightly show 55 万元 there and say in 六 that it collected no
//! 信息处理费. So 表二 is compared with what 六 says about 行政事业性收费, and 六 must say
//! something about fees at all (the template: 没有收取也要写明).

use super::{Ctx, days};
use crate::model::report::{Report, Value};

pub fn check(ctx: &mut Ctx) {
    missing(ctx);
    late(ctx);
    let site = ctx.site;
    for pair in site.reports.windows(2) {
        let (this, prev) = (&pair[0], &pair[1]);
        if this.year == prev.year + 1 {
            jump(ctx, prev, this);
        }
    }
    for r in &site.reports {
        fees(ctx, r);
    }
}

fn missing(ctx: &mut Ctx) {
    let site = ctx.site;
    let config = &site.config.compliance.reports;
    let kind = config.agency_kind;
    let as_of = days::number(ctx.as_of);
    let due: Vec<u32> = (ctx.as_of.year.saturating_sub(2)..ctx.as_of.year)
        .filter(|y| as_of > days::number(kind.deadline(*y)))
        .collect();
    let Some(&last_due) = due.last() else {
        return;
    };
    let first = config
        .first_year
        .or_else(|| site.reports.iter().map(|r| r.year).min())
        .unwrap_or(last_due);
    for year in first..=last_due {
        if site.reports.iter().any(|r| r.year == year) {
            continue;
        }
        let deadline = kind.deadline(year);
        ctx.report(
            "reports.missing",
            &format!("content/reports/{year}.yaml"),
            None,
            format!(
                "没有 {year} 年的政府信息公开工作年度报告，{}的发布期限 {} 已过",
                kind.label(),
                deadline.chinese()
            ),
            format!(
                "运行 `gongkai new report {year}` 填写并发布；本网站不是{}时，在 [compliance.reports] 中写 agency_kind；网站开通晚于该年度时，写 first_year。",
                kind.label()
            ),
        );
    }
}

/// Reports published after their deadline, and reports that do not say when they were
/// published (the date the inspection checks).
fn late(ctx: &mut Ctx) {
    let site = ctx.site;
    let kind = site.config.compliance.reports.agency_kind;
    for r in &site.reports {
        let deadline = kind.deadline(r.year);
        let pos = r.source_map.pos(&["published".to_string()]);
        match r.published {
            None => ctx.report(
                "reports.published",
                &r.file,
                r.source_map.pos(&["year".to_string()]),
                format!("{} 年度报告没有写发布日期（published）", r.year),
                format!(
                    "写上报告在本网站发布的日期，如 `published: {}`：检查时看的就是这个日期是否在期限（{}）之前。",
                    deadline.ymd(),
                    deadline.chinese()
                ),
            ),
            Some(d) if days::number(d) > days::number(deadline) => ctx.report(
                "reports.late",
                &r.file,
                pos,
                format!(
                    "{} 年度报告 {} 发布，晚于{}的发布期限 {}",
                    r.year,
                    d.ymd(),
                    kind.label(),
                    deadline.chinese()
                ),
                format!(
                    "核对发布日期；确实晚发的，下一年度在期限（{}）前发布。本网站不是{}时，在 [compliance.reports] 中写 agency_kind。",
                    kind.deadline(r.year + 1).chinese(),
                    kind.label()
                ),
            ),
            Some(_) => {}
        }
    }
}

/// The table-3 totals compared between consecutive years.
const TOTALS: &[(&str, &str)] = &[
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("total_processed", "（七）总计"),
];

fn jump(ctx: &mut Ctx, prev: &Report, this: &Report) {
    let config = &ctx.site.config.compliance.reports;
    let (factor, min) = (config.jump_factor, config.jump_min);
    let (Some(a), Some(b)) = (prev.table("applications"), this.table("applications")) else {
        return;
    };
    let mut jumped = false;
    for (row, label) in TOTALS {
        let (x, y) = (
            a.count(prev.kind, row, "total"),
            b.count(this.kind, row, "total"),
        );
        if x == 0 || y == 0 || x.max(y) < min {
            continue;
        }
        let ratio = y as f64 / x as f64;
        if ratio <= factor && ratio >= 1.0 / factor {
            continue;
        }
        jumped = true;
        if this.acknowledges("reports.jump").is_some() {
            continue;
        }
        let change = if ratio > 1.0 {
            format!("增加到 {ratio:.1} 倍")
        } else {
            format!("减少到上一年的 {:.1}%", ratio * 100.0)
        };
        let path = vec!["applications".to_string(), row.to_string()];
        ctx.report(
            "reports.jump",
            &this.file,
            this.source_map.pos(&path),
            format!(
                "表三“{label}”的总计从 {} 年的 {x} 变为 {} 年的 {y}，{change}，变化超过 {factor} 倍",
                prev.year, this.year
            ),
            "核对这个数字（常见的是多打或少打一位）；确实如此的，在报告文件中说明原因：\n      acknowledged:\n        - rule: reports.jump\n          reason: （写明变化的原因，会显示在页面上）".into(),
        );
    }
    if !jumped && this.acknowledges("reports.jump").is_some() {
        ctx.report(
            "reports.jump",
            &this.file,
            this.source_map.pos(&["acknowledged".to_string()]),
            "表三的总计与上一年相比没有大的变化，对 reports.jump 的说明已经不需要".into(),
            "删除 acknowledged 中 rule: reports.jump 这一条。".into(),
        );
    }
}

/// 表二's 行政事业性收费 in 万元, when written.
fn table_fee(r: &Report) -> Option<f64> {
    let cell = r
        .table("active_disclosure")?
        .cells
        .get(&("fees", "amount"))?;
    let text = match &cell.value {
        Value::Amount(s) => s.clone(),
        v => v.display(),
    };
    let number: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number.parse().ok()
}

/// The line of the report file where `needle` is written, else the key's.
fn line_of(
    ctx: &Ctx,
    r: &Report,
    key: &str,
    needle: &str,
) -> Option<crate::ground::diagnostics::Pos> {
    let text = crate::input::text_file::read(&ctx.site.root.join(&r.file)).ok();
    text.and_then(|t| {
        t.lines()
            .position(|l| l.contains(needle))
            .map(|i| crate::ground::diagnostics::Pos::new(i + 1, 1))
    })
    .or_else(|| r.source_map.pos(&[key.to_string()]))
}

const NEGATIONS: &[&str] = &[
    "未收取",
    "没有收取",
    "未发生",
    "不涉及",
    "无",
    "为0",
    "为零",
    "0万元",
];

fn fees(ctx: &mut Ctx, r: &Report) {
    let Some(other) = r.texts.get("other") else {
        return;
    };
    if r.kind.id == "national-2021" && !other.contains('费') {
        ctx.report(
            "reports.fee",
            &r.file,
            r.source_map.pos(&["other".to_string()]),
            "“六、其他需要报告的事项”没有写明信息处理费的收取情况".into(),
            "按国办公开办函〔2021〕30号，写明本年度收取信息处理费的情况，没有收取的也要写明（如：本年度未收取信息处理费）。".into(),
        );
    }
    let Some(fee) = table_fee(r) else {
        return;
    };
    for sentence in other.split(['。', '；', '\n']) {
        if !sentence.contains("行政事业性收费") {
            continue;
        }
        let negated = NEGATIONS.iter().any(|n| sentence.contains(n));
        let claims_amount = sentence.chars().any(|c| c.is_ascii_digit() && c != '0');
        let message = if negated && fee > 0.0 {
            format!(
                "“六、其他需要报告的事项”说“{}”，表二的行政事业性收费却是 {fee} 万元",
                sentence.trim()
            )
        } else if !negated && claims_amount && fee == 0.0 {
            format!(
                "“六、其他需要报告的事项”说“{}”，表二的行政事业性收费却是 0",
                sentence.trim()
            )
        } else {
            continue;
        };
        let needle: String = sentence.trim().chars().take(12).collect();
        let pos = line_of(ctx, r, "other", &needle);
        ctx.report(
            "reports.fee",
            &r.file,
            pos,
            message,
            "核对表二第二十条第（八）项的收费金额和第六部分的文字，使两处一致。".into(),
        );
    }
}
