//! `gongkai new`: new content from a skeleton.

use std::path::PathBuf;

use gongkai::content::Date;

use super::Outcome;

#[derive(clap::Subcommand)]
pub enum NewArgs {
    /// 新建某年度的年度报告骨架：gongkai new report 2024
    Report {
        year: u32,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// 新建一条公开信息（草稿），自动取得本年度下一个索引号：gongkai new item "标题" --category 机构职能
    Item {
        title: String,
        /// 所属分类（site.toml 中定义的名称或代码）
        #[arg(long)]
        category: Option<String>,
        /// 发布日期（默认今天），如 2025-03-01
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

pub fn execute(args: NewArgs) -> anyhow::Result<Outcome> {
    match args {
        NewArgs::Report { year, root } => {
            let path = gongkai::scaffold::new_report(&root, year)?;
            eprintln!(
                "已新建 {}，填写后运行 `gongkai check` 检查。",
                path.display()
            );
        }
        NewArgs::Item {
            title,
            category,
            date,
            root,
        } => {
            let date = match date.as_deref() {
                Some(d) => Date::parse(d)
                    .ok_or_else(|| anyhow::anyhow!("日期 {d} 无法识别，写成 2025-03-01"))?,
                None => Date::today(),
            };
            let made =
                gongkai::catalogue::skeleton::new_item(&root, &title, category.as_deref(), date)?;
            match &made.index_no {
                Some(n) => eprintln!("已新建 {}，索引号 {n}。", made.path.display()),
                None => eprintln!("已新建 {}。", made.path.display()),
            }
            eprintln!(
                "它是草稿：写好正文后删除 draft: true 一行才会发布；运行 `gongkai check` 检查。"
            );
        }
    }
    Ok(Outcome::Success)
}
