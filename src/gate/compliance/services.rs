//! 办事服务 as 国办秘函〔2019〕19号 judges it (单项否决 服务不实用): the site offers
//! services, each 办事指南 has every 要素 of [`PARTS`], and a visitor can apply online on
//! the province's 政务服务网 (一网通办).

use super::Ctx;
use crate::config::CONFIG_FILE;
use crate::ground::diagnostics::Pos;
use crate::model::website::service::PARTS;

pub fn check(ctx: &mut Ctx) {
    let site = ctx.site;
    if site.services.is_empty() && site.config.services.portal.is_none() {
        ctx.report(
            "services.none",
            CONFIG_FILE,
            None,
            "网站没有提供办事服务：没有办事指南，也没有政务服务网的办事入口".into(),
            "在 content/services/ 中为本机关的每个事项写一份办事指南，并在 site.toml 的 [services] 中写 portal（本省政务服务网上本机关或本市的页面）。".into(),
        );
    }
    for s in &site.services {
        let mut missing: Vec<&str> = Vec::new();
        let mut empty: Vec<(&str, usize)> = Vec::new();
        for p in PARTS {
            match s.parts.iter().find(|w| w.label == p.label) {
                None => missing.push(p.label),
                Some(w) if w.empty => empty.push((p.label, w.line)),
                Some(_) => {}
            }
        }
        if !missing.is_empty() {
            ctx.report(
                "services.parts",
                &s.file,
                Some(Pos::new(s.body_line, 1)),
                format!(
                    "办事指南“{}”缺少重点要素：{}",
                    s.front.title,
                    missing.join("、")
                ),
                format!(
                    "在正文中为每一项加一个小标题，下面写内容，如 `## {}`。",
                    missing[0]
                ),
            );
        }
        for (label, line) in empty {
            ctx.report(
                "services.parts",
                &s.file,
                Some(Pos::new(line, 1)),
                format!("办事指南“{}”的“{label}”下面没有内容", s.front.title),
                format!("在“{label}”这个小标题下面写上内容。"),
            );
        }
        if s.front.online_url.is_none() && site.config.services.portal.is_none() {
            ctx.report(
                "services.online",
                &s.file,
                Some(Pos::new(1, 1)),
                format!("办事指南“{}”没有在线办理入口", s.front.title),
                "在前置信息中写 `在线办理: 网址`（政务服务网上这个事项的页面），或在 site.toml 的 [services] 中写 portal，所有办事指南都链接到它。".into(),
            );
        }
    }
}
