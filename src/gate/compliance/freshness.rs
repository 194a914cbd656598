//! Whether the site is kept up to date (国办秘函〔2019〕19号): the home page's newest item,
//! each news column and catalogue category by its kind (动态 2 weeks, 通知公告 and 政策文件
//! 6 months), and columns or categories with nothing in them.
//!
//! Every item has a date: front matter without one is already an error when loading.

use super::{Ctx, days};
use crate::config::CONFIG_FILE;
use crate::ground::date::Date;
use crate::ground::diagnostics::Pos;

/// How long a column may go without a new item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    Days(u32),
    Months(u32),
    None,
}

pub fn check(ctx: &mut Ctx) {
    home(ctx);
    columns(ctx);
    categories(ctx);
}

fn home(ctx: &mut Ctx) {
    let site = ctx.site;
    let limit = site.config.compliance.freshness.home_days;
    let newest = site
        .news
        .iter()
        .map(|n| n.front.date)
        .chain(site.disclosure.iter().map(|d| d.front.date))
        .max_by_key(|d| days::number(*d));
    let Some(newest) = newest else {
        ctx.report(
            "freshness.home",
            "content",
            None,
            "首页没有任何新闻或公开信息".into(),
            "在 content/news/ 或 content/disclosure/ 中发布信息。".into(),
        );
        return;
    };
    let age = days::number(ctx.as_of) - days::number(newest);
    if age > i64::from(limit) {
        let file = site
            .news
            .iter()
            .map(|n| (&n.file, n.front.date))
            .chain(site.disclosure.iter().map(|d| (&d.file, d.front.date)))
            .find(|(_, d)| days::number(*d) == days::number(newest))
            .map_or_else(|| "content".to_string(), |(f, _)| f.clone());
        ctx.report(
            "freshness.home",
            &file,
            Some(Pos::new(1, 1)),
            format!(
                "首页最新的信息发布于 {}，到 {} 已 {age} 天没有更新（检查指标：超过 {limit} 天即“首页长期不更新”，单项否决）",
                newest.ymd(),
                ctx.as_of.ymd()
            ),
            "发布新的信息；检查日期不是今天时，用 --as-of 指定。".into(),
        );
    }
}

/// The limit of a column or category, from `[compliance.freshness] columns` or its name.
fn limit_of(ctx: &Ctx, name: &str) -> Limit {
    let f = &ctx.site.config.compliance.freshness;
    if let Some(days) = f.columns.get(name) {
        return if *days == 0 {
            Limit::None
        } else {
            Limit::Days(*days)
        };
    }
    if name.contains("动态") || name.contains("要闻") {
        Limit::Days(f.dynamic_days)
    } else if name.contains("通知公告") || name.contains("公告") || name.contains("政策文件")
    {
        Limit::Months(f.notice_months)
    } else {
        Limit::None
    }
}

/// Reports a column or category whose newest item is older than its limit, or that is
/// empty.
fn judge(ctx: &mut Ctx, what: &str, name: &str, newest: Option<Date>, pos: Option<Pos>) {
    let limit = limit_of(ctx, name);
    let Some(newest) = newest else {
        if ctx.site.config.compliance.freshness.columns.get(name) != Some(&0) {
            let hidden = if what == "分类" {
                "，它不在专栏、公开目录和网站地图中显示"
            } else {
                ""
            };
            ctx.report(
                "freshness.empty",
                CONFIG_FILE,
                pos,
                format!("{what}“{name}”没有任何信息{hidden}（检查指标：空白栏目）"),
                format!("在{what}“{name}”中发布信息，或在 site.toml 中删除这个{what}。"),
            );
        }
        return;
    };
    let (rule, cutoff, text) = match limit {
        Limit::None => return,
        Limit::Days(d) => (
            "freshness.dynamic",
            days::number(ctx.as_of) - i64::from(d),
            format!("{d} 天"),
        ),
        Limit::Months(m) => (
            "freshness.notice",
            days::number(days::months_before(ctx.as_of, m)),
            format!("{m} 个月"),
        ),
    };
    if days::number(newest) < cutoff {
        ctx.report(
            rule,
            CONFIG_FILE,
            pos,
            format!(
                "{what}“{name}”最新的信息发布于 {}，到 {} 已超过 {text}没有更新（检查指标：栏目不更新）",
                newest.ymd(),
                ctx.as_of.ymd()
            ),
            format!(
                "在“{name}”中发布新的信息；这个{what}不需要定期更新时，在 [compliance.freshness] columns 中写 \"{name}\" = 0。"
            ),
        );
    }
}

fn columns(ctx: &mut Ctx) {
    let site = ctx.site;
    for (i, c) in site.config.columns.iter().enumerate() {
        let newest = site
            .news
            .iter()
            .filter(|n| n.front.category.as_deref() == Some(c.name.as_str()))
            .map(|n| n.front.date)
            .max_by_key(|d| days::number(*d));
        let pos = site
            .config
            .source
            .pos(&["columns".into(), i.to_string(), "name".into()]);
        judge(ctx, "栏目", &c.name, newest, pos);
    }
}

fn categories(ctx: &mut Ctx) {
    let site = ctx.site;
    let nodes = &site.catalogue.tree.nodes;
    // The newest date in each category's subtree, children before parents.
    let mut newest: Vec<Option<Date>> = vec![None; nodes.len()];
    for x in &site.disclosure {
        let mut at = x.category_index;
        while let Some(i) = at {
            if newest[i].is_none_or(|d| days::number(d) < days::number(x.front.date)) {
                newest[i] = Some(x.front.date);
            }
            at = nodes.get(i).and_then(|n| n.parent);
        }
    }
    for (i, node) in nodes.iter().enumerate() {
        // An empty subtree is reported once, at its top.
        let parent_empty = node.parent.is_some_and(|p| newest[p].is_none());
        if newest[i].is_none() && parent_empty {
            continue;
        }
        let index = i.to_string();
        let pos = site.config.source.pos_alt(&[
            &["catalogue", "公开目录"],
            &["categories", "分类"],
            &[index.as_str()],
            &["name", "名称"],
        ]);
        judge(ctx, "分类", &node.name, newest[i], pos);
    }
}
