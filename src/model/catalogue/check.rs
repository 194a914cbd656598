//! The catalogue's checks: per item when it is loaded (its category, its 索引号 against
//! the pattern, what its kind and 有效性 ask for), and over all items (duplicate 索引号,
//! references that lead nowhere, 规范性文件 without a 解读).

use std::collections::BTreeMap;

use super::Catalogue;
use super::relations::Relations;
use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::model::content::DisclosureItem;
use crate::model::content::{DisclosureFront, DisclosureKind, Validity};

/// Whether an item of this kind belongs to the 法定主动公开内容 (and so wants a category
/// and a 索引号).
pub fn is_listed(kind: DisclosureKind) -> bool {
    matches!(kind, DisclosureKind::Item | DisclosureKind::Interpretation)
}

/// Checks one item as it is loaded; returns its category.
pub fn check_item(
    front: &DisclosureFront,
    keys: &crate::model::content::Keys,
    cat: &Catalogue,
    file: &str,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let set_up = !cat.tree.is_empty();
    let named = front
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let category = named.and_then(|c| {
        let found = cat.tree.find(c);
        if found.is_none() {
            diags.push(cat.tree.unknown(c, "分类", file, keys.category));
        }
        found
    });
    if named.is_none() && set_up && is_listed(front.kind) {
        diags.push(
            Diagnostic::warning("category", file, "没有写分类（category），这条信息不会出现在任何分类页面")
                .at(keys.title)
                .help("在前置信息中写 category: 分类名称（site.toml 的 [[catalogue.categories]] 中定义的名称或代码）。"),
        );
    }
    match (front.index_no.as_deref().map(str::trim), &cat.pattern) {
        (Some(no), Some(pattern)) if !no.is_empty() => {
            let ctx = cat.ctx(category);
            let years = [Some(front.date.year), front.written.map(|w| w.year)];
            let problem = match pattern.check(no, &ctx) {
                Err(e) => Some(e),
                Ok(p) => p.year.filter(|y| !years.contains(&Some(*y))).map(|y| {
                    format!("其中的年份 {y} 与发布日期（{} 年）和成文日期都不符", front.date.year)
                }),
            };
            if let Some(problem) = problem {
                diags.push(
                    Diagnostic::error(
                        "index-no",
                        file,
                        format!("索引号“{no}”不符合本站的索引号格式 {}：{problem}", pattern.source()),
                    )
                    .at(keys.index_no)
                    .help(format!(
                        "按格式写，例如 {}；格式在 site.toml 的 [catalogue] index_pattern 中设定。",
                        pattern.format(&ctx, front.date.year, 1)
                    )),
                );
            }
        }
        (None, _) if set_up && is_listed(front.kind) => diags.push(
            Diagnostic::warning("index-no", file, "没有索引号（index_no）")
                .at(keys.title)
                .help("法定主动公开内容的每条信息都应有索引号。用 `gongkai new item \"标题\"` 新建信息会自动取得下一个号。"),
        ),
        _ => {}
    }
    check_kind_and_status(front, keys, file, diags);
    category
}

/// What an item's kind and 有效性 ask of its other keys.
fn check_kind_and_status(
    front: &DisclosureFront,
    keys: &crate::model::content::Keys,
    file: &str,
    diags: &mut Diagnostics,
) {
    let interpretation = front.kind == DisclosureKind::Interpretation;
    if interpretation && front.interprets.is_none() {
        diags.push(
            Diagnostic::warning("interprets", file, "政策解读没有写解读的是哪份文件（interprets）")
                .at(keys.title)
                .help("写 interprets: 被解读文件的索引号（或标题），它的页面和这篇解读会互相链接；解读外单位的文件时写它的网址。"),
        );
    }
    if !interpretation && front.interprets.is_some() {
        diags.push(
            Diagnostic::warning(
                "interprets",
                file,
                "只有政策解读（kind: 解读）才写 interprets",
            )
            .at(keys.interprets)
            .help("这是一篇解读时写 kind: 解读；否则删除 interprets 这一行。"),
        );
    }
    let ended = matches!(front.status, Some(Validity::Repealed | Validity::Expired));
    if front.replaced_by.is_some() && !ended {
        diags.push(
            Diagnostic::warning(
                "status",
                file,
                "写了替代它的文件（replaced_by），有效性却不是“废止”或“失效”",
            )
            .at(keys.status.or(keys.replaced_by))
            .help("被新文件替代的文件写 status: 废止（或 失效）。"),
        );
    }
}

/// The checks that need every item: `relations` are those of `items`.
pub fn check_site(items: &[DisclosureItem], relations: &Relations, cat: &Catalogue) -> Diagnostics {
    let mut d = Diagnostics::new();
    let mut by_no: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, x) in items.iter().enumerate() {
        if let Some(no) = x
            .front
            .index_no
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            by_no.entry(no).or_default().push(i);
        }
    }
    for (no, list) in by_no.iter().filter(|(_, l)| l.len() > 1) {
        for &i in list {
            let others: Vec<&str> = list
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| items[j].file.as_str())
                .collect();
            d.push(
                Diagnostic::error(
                    "duplicate-index-no",
                    &items[i].file,
                    format!("索引号“{no}”重复：{} 也用了它", others.join("、")),
                )
                .at(items[i].keys.index_no)
                .help("每条信息的索引号都不能相同。用 `gongkai new item \"标题\"` 可以取得下一个空号。"),
            );
        }
    }
    for b in &relations.broken {
        let x = &items[b.item];
        let mut help = String::from("写被引用信息的索引号、文号、标题或网址名（slug）。");
        if let Some(n) = &b.nearest {
            help = format!("是不是“{n}”？{help}");
        }
        let mut follow_on = false;
        let message = if let Some(file) = &b.unreadable {
            follow_on = true;
            help = format!("先改正 {file} 的错误，这一条就会消失。");
            format!(
                "{}“{}”指向 {file}，而那个文件有错误、没有读取",
                b.key, b.value
            )
        } else if !b.candidates.is_empty() {
            let list: Vec<String> = b
                .candidates
                .iter()
                .map(|&j| {
                    let f = &items[j].front;
                    let id = f
                        .doc_no
                        .as_deref()
                        .map(|n| format!("文号 {n}"))
                        .or_else(|| f.index_no.as_deref().map(|n| format!("索引号 {n}")))
                        .unwrap_or_else(|| format!("文件 {}", items[j].file));
                    format!("《{}》（{id}）", f.title)
                })
                .collect();
            help = "改写成其中一份的文号或索引号。".into();
            format!(
                "{}“{}”同时对应 {} 条公开信息：{}",
                b.key,
                b.value,
                list.len(),
                list.join("、")
            )
        } else if b.itself {
            format!("{}“{}”指向这条信息自己", b.key, b.value)
        } else {
            format!("{}“{}”找不到对应的公开信息", b.key, b.value)
        };
        let mut diagnostic = Diagnostic::error("reference", &x.file, message)
            .at(b.pos)
            .help(help);
        diagnostic.follow_on = follow_on;
        d.push(diagnostic);
    }
    for (i, x) in items.iter().enumerate() {
        let normative =
            x.front.normative || x.category_index.is_some_and(|c| cat.tree.is_normative(c));
        let ended = matches!(x.front.status, Some(Validity::Repealed | Validity::Expired));
        if normative
            && !ended
            && x.front.kind == DisclosureKind::Item
            && relations.interpretations[i].is_empty()
        {
            d.push(
                Diagnostic::warning(
                    "no-interpretation",
                    &x.file,
                    format!("规范性文件《{}》没有政策解读", x.front.title),
                )
                .at(x.keys.title)
                .help("按“同步起草、同步审签、同步发布”的要求，发布一篇 kind: 解读 的信息，用 interprets 写上这份文件的索引号。"),
            );
        }
        for &j in &relations.amends[i] {
            let target = &items[j];
            if target.front.status != Some(Validity::Amended) {
                d.push(
                    Diagnostic::warning(
                        "status",
                        &target.file,
                        format!(
                            "《{}》修改了这份文件，它的有效性却不是“已修改”",
                            x.front.title
                        ),
                    )
                    .at(target.keys.status.or(target.keys.title))
                    .help("被修改过的文件写 status: 已修改。"),
                );
            }
        }
    }
    d
}
