//! The 政府信息公开 column as 国办公开办函〔2019〕61号 lays it out: four parts, each
//! named — 政府信息公开指南, 政府信息公开制度, 法定主动公开内容, 政府信息公开年报. A
//! column without one of them is incomplete.

use super::Ctx;
use crate::config::CONFIG_FILE;
use crate::model::content::DisclosureKind;

pub fn check(ctx: &mut Ctx) {
    let site = ctx.site;
    let has = |k: DisclosureKind| site.disclosure.iter().any(|d| d.front.kind == k);
    let mut missing = Vec::new();
    if !has(DisclosureKind::Guide) {
        missing.push((
            "政府信息公开指南",
            "在 content/disclosure/ 中写一篇 kind: guide（类别: 指南）的公开信息",
        ));
    }
    if !has(DisclosureKind::Rules) {
        missing.push((
            "政府信息公开制度",
            "在 content/disclosure/ 中写一篇 kind: rules（类别: 制度）的公开信息",
        ));
    }
    let items = site.disclosure.iter().any(|d| {
        matches!(
            d.front.kind,
            DisclosureKind::Item | DisclosureKind::Interpretation
        )
    });
    if !items {
        missing.push((
            "法定主动公开内容",
            "按 site.toml 的 [catalogue] 分类发布法定主动公开内容",
        ));
    }
    if site.reports.is_empty() {
        missing.push((
            "政府信息公开年报",
            "运行 `gongkai new report 年份` 填写并发布年度报告",
        ));
    }
    for (part, fix) in missing {
        ctx.report(
            "column.parts",
            CONFIG_FILE,
            site.config.source.pos_alt(&[&["catalogue", "公开目录"]]),
            format!("政府信息公开专栏缺少“{part}”"),
            format!("{fix}。"),
        );
    }
}
