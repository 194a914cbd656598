//! 机构职能 and 领导信息 (《条例》第二十条（二）: 机关职能、机构设置、办公地址、办公时间、
//! 联系方式、负责人姓名): published, complete, and checked within the last year, as the
//! inspectors of 国办秘函〔2019〕19号 look for them among the 概况类信息.

use super::{Ctx, days};
use crate::ground::date::Date;
use crate::ground::diagnostics::Pos;

pub fn check(ctx: &mut Ctx) {
    organization(ctx);
    leaders(ctx);
}

fn organization(ctx: &mut Ctx) {
    let site = ctx.site;
    let Some(o) = &site.organization else {
        ctx.report(
            "organization.missing",
            "content/organization",
            None,
            "网站没有发布机构职能（机关职能、机构设置、办公地址、办公时间、联系方式）".into(),
            "在 content/organization/ 中新建 机构职能.md：前置信息写更新日期、内设机构、地址、办公时间、电话，正文写主要职责。".into(),
        );
        return;
    };
    let a = &site.config.agency;
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    let mut missing = Vec::new();
    if o.duties_text.trim().is_empty() {
        missing.push("主要职责（正文）");
    }
    if o.front.departments.is_empty() {
        missing.push("内设机构");
    }
    if blank(&o.front.address) && blank(&a.address) {
        missing.push("办公地址");
    }
    if blank(&o.front.hours) {
        missing.push("办公时间");
    }
    if blank(&o.front.phone) && blank(&a.phone) {
        missing.push("联系电话");
    }
    if site.leaders.is_empty() {
        missing.push("负责人（content/leaders/）");
    }
    if !missing.is_empty() {
        ctx.report(
            "organization.missing",
            &o.file,
            Some(Pos::new(1, 1)),
            format!("机构职能缺少：{}", missing.join("、")),
            "补上这些内容：它们是《条例》第二十条（二）要求主动公开的。".into(),
        );
    }
    stale(
        ctx,
        &o.file,
        o.source_map.pos_alt(&[&["updated", "更新日期"]]),
        "机构职能",
        o.front.updated,
    );
}

fn leaders(ctx: &mut Ctx) {
    let site = ctx.site;
    for l in &site.leaders {
        let f = &l.front;
        let mut missing = Vec::new();
        if f.position.trim().is_empty() {
            missing.push("职务");
        }
        if f.duties.trim().is_empty() {
            missing.push("分工");
        }
        if l.photo.is_none() {
            missing.push("照片");
        }
        if l.resume_text.trim().is_empty() {
            missing.push("简历（正文）");
        }
        if !missing.is_empty() {
            ctx.report(
                "organization.leaders",
                &l.file,
                Some(Pos::new(1, 1)),
                format!("领导信息“{}”缺少：{}", f.name, missing.join("、")),
                "在前置信息中写上职务、分工和照片（放在本文件旁边的图片），在正文中写简历。".into(),
            );
        }
        stale(
            ctx,
            &l.file,
            l.source_map.pos_alt(&[&["updated", "更新日期"]]),
            &format!("领导信息“{}”", f.name),
            f.updated,
        );
    }
}

/// A finding when `updated` is older than `[compliance.organization] stale_months`.
fn stale(ctx: &mut Ctx, file: &str, pos: Option<Pos>, what: &str, updated: Date) {
    let months = ctx.site.config.compliance.organization.stale_months;
    if days::number(updated) >= days::number(days::months_before(ctx.as_of, months)) {
        return;
    }
    ctx.report(
        "organization.stale",
        file,
        pos,
        format!(
            "{what}的更新日期是 {}，到 {} 已超过 {months} 个月没有核对",
            updated.ymd(),
            ctx.as_of.ymd()
        ),
        "对照本机关现行的职能和人员核对这一页，改正变化的内容，把更新日期改成核对的日期。".into(),
    );
}
