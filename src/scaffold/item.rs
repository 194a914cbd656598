//! `gongkai new item "标题"`: the front matter of a new disclosure item, with its category
//! and the next free 索引号 of the year, written as a draft.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::ground::date::Date;
use crate::model::site::{LoadOptions, Site};

/// What `new_item` wrote.
#[derive(Debug)]
pub struct NewItem {
    pub path: PathBuf,
    /// The 索引号 given, when the pattern could make a complete one.
    pub index_no: Option<String>,
}

/// A YAML scalar for `s`, quoted when it needs to be.
fn yaml(s: &str) -> String {
    serde_yaml::to_string(s)
        .map(|y| y.trim_end().to_string())
        .unwrap_or_else(|_| format!("{s:?}"))
}

/// Writes `content/disclosure/标题.md` for the site at `root`, dated `date`, in
/// `category` (a name or code of the tree), never over an existing file.
pub fn new_item(root: &Path, title: &str, category: Option<&str>, date: Date) -> Result<NewItem> {
    if title.trim().is_empty() {
        bail!("标题是空的：写成 gongkai new item \"标题\"");
    }
    let opts = LoadOptions {
        include_drafts: true,
        ..LoadOptions::default()
    };
    let (site, diags) = Site::load(root, &opts);
    let Some(site) = site else {
        let first = diags
            .sorted()
            .first()
            .map(|d| d.to_string())
            .unwrap_or_default();
        bail!("无法读取网站配置：{first}");
    };
    let cat = &site.catalogue;
    let category_index = match category {
        Some(c) => match cat.tree.find(c) {
            Some(i) => Some(i),
            None => {
                let d = cat.tree.unknown(c, "分类", "--category", None);
                bail!("{}。{}", d.message, d.help.unwrap_or_default());
            }
        },
        None => None,
    };
    let path = root
        .join("content/disclosure")
        .join(format!("{}.md", super::file_name(title, "新信息")));
    if path.exists() {
        bail!("{} 已经存在，没有覆盖", path.display());
    }
    let index_no = cat.pattern.as_ref().filter(|p| p.has_sequence()).map(|p| {
        let ctx = cat.ctx(category_index);
        let taken = site
            .disclosure
            .iter()
            .filter(|d| !p.per_category() || d.category_index == category_index)
            .filter_map(|d| {
                let parsed = p
                    .check(d.front.index_no.as_deref()?, &cat.ctx(d.category_index))
                    .ok()?;
                (parsed.year == Some(date.year))
                    .then_some(parsed.seq)
                    .flatten()
            })
            .max()
            .unwrap_or(0);
        p.format(&ctx, date.year, taken + 1)
    });
    let complete = index_no.filter(|n| !n.contains('{'));
    let mut s = String::from("---\n");
    let _ = writeln!(s, "title: {}", yaml(title));
    let _ = writeln!(s, "date: {}", date.ymd());
    match category_index {
        Some(i) => {
            let _ = writeln!(s, "category: {}   # 分类", yaml(&cat.tree.nodes[i].name));
        }
        None if !cat.tree.is_empty() => {
            s.push_str(
                "# category: 分类名称   # site.toml 中 [[catalogue.categories]] 的名称或代码\n",
            );
        }
        None => {}
    }
    match &complete {
        Some(n) => {
            let _ = writeln!(s, "index_no: {}   # 索引号：本年度下一个号", yaml(n));
        }
        None => s.push_str(
            "# index_no: …   # 索引号：在 site.toml 的 [catalogue] 中填写 org_code 后可自动编号\n",
        ),
    }
    let _ = writeln!(
        s,
        "publisher: {}   # 发布机构",
        yaml(&site.config.agency.name)
    );
    s.push_str(&format!(
        "# written: {}   # 成文日期\n\
         # doc_no: 某发〔{}〕1号   # 文号\n\
         # status: 有效   # 有效性：有效、失效、废止、已修改\n\
         # replaced_by: …   # 废止或失效时，替代它的文件的索引号\n\
         # amends: …   # 它修改的文件的索引号\n\
         # kind: 解读   # 政策解读写这一行，并用 interprets 写被解读文件的索引号\n\
         # interprets: …\n\
         draft: true   # 草稿不会发布：写好后删除这一行\n---\n\n",
        date.ymd(),
        date.year
    ));
    crate::ground::fs::create_dir_all(path.parent().unwrap_or(root))?;
    crate::ground::fs::write(&path, s)?;
    Ok(NewItem {
        path,
        index_no: complete,
    })
}
