//! `gongkai new`: new content from a skeleton.

use std::path::PathBuf;

use gongkai::ground::date::Date;
use gongkai::scaffold::NewReport;
use gongkai::scaffold::website_report::NewWebsiteReport;

use super::Outcome;

/// A path as the editor sees it from where the command ran (no leading `./`).
fn shown(p: &std::path::Path) -> String {
    p.strip_prefix(".").unwrap_or(p).display().to_string()
}

/// The `--date` given, or today.
fn parse_date(date: Option<String>) -> anyhow::Result<Date> {
    match date {
        Some(d) => Date::parse(&d)
            .ok_or_else(|| anyhow::anyhow!("日期 `{d}` 的写法不对；{}", Date::advice(&d))),
        None => Ok(Date::today()),
    }
}

#[derive(clap::Subcommand)]
pub enum NewArgs {
    /// 新建某年度的年度报告骨架（草稿）：gongkai new report 2025
    Report {
        year: u32,
        /// 网站文件夹（含 site.toml）
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// 新建某年度的政府网站工作年度报表骨架（草稿）：gongkai new website-report 2025
    WebsiteReport {
        year: u32,
        /// 网站文件夹（含 site.toml）
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// 新建一条新闻（草稿）：gongkai new news "标题"
    News {
        title: String,
        /// 栏目（site.toml 中 [[columns]] 的 name），默认第一个栏目
        #[arg(long)]
        column: Option<String>,
        /// 发布日期，如 2024-12-20，默认今天
        #[arg(long)]
        date: Option<String>,
        /// 网站文件夹（含 site.toml）
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
        NewArgs::Report { year, root } => match gongkai::scaffold::new_report(&root, year)? {
            NewReport::Written { path, carried } => {
                eprintln!("已新建 {}（草稿，不会发布）。", shown(&path));
                if carried {
                    eprintln!(
                        "“上年结转”已照 {} 年报告的“结转下年度继续办理”填好。",
                        year - 1
                    );
                }
                eprintln!(
                    "填写后运行 `gongkai check` 检查；没有错误后删去文件开头的 draft: true 一行，才会发布。"
                );
            }
            NewReport::Exists(path) => {
                eprintln!(
                    "{} 已经存在（可能是 gongkai init 新建的），没有覆盖：直接编辑它，运行 `gongkai check` 检查。",
                    shown(&path)
                );
            }
        },
        NewArgs::WebsiteReport { year, root } => {
            match gongkai::scaffold::website_report::new_website_report(&root, year)? {
                NewWebsiteReport::Written(path) => {
                    eprintln!("已新建 {}（草稿，不会发布）。", shown(&path));
                    eprintln!(
                        "标着“由网站统计”的各项不用填写；其余各项填好后运行 `gongkai check` 检查，没有错误后删去 draft: true 一行，在 {} 年 1 月 31 日前发布。",
                        year + 1
                    );
                }
                NewWebsiteReport::Exists(path) => {
                    eprintln!(
                        "{} 已经存在，没有覆盖：直接编辑它，运行 `gongkai check` 检查。",
                        shown(&path)
                    );
                }
            }
        }
        NewArgs::News {
            title,
            column,
            date,
            root,
        } => {
            let date = parse_date(date)?;
            let path = gongkai::scaffold::new_news(&root, &title, &date, column.as_deref())?;
            eprintln!("已新建 {}（草稿，不会发布）。", shown(&path));
            eprintln!(
                "写好正文后删去前置信息中的 draft: true 一行；`gongkai serve --drafts` 可以先预览草稿。"
            );
        }
        NewArgs::Item {
            title,
            category,
            date,
            root,
        } => {
            let date = parse_date(date)?;
            let made = gongkai::scaffold::item::new_item(&root, &title, category.as_deref(), date)?;
            let path = shown(&made.path);
            match &made.index_no {
                Some(n) => eprintln!("已新建 {path}（草稿，不会发布），索引号 {n}。"),
                None => eprintln!("已新建 {path}（草稿，不会发布）。"),
            }
            eprintln!(
                "写好正文后删去前置信息中的 draft: true 一行；运行 `gongkai check` 检查，`gongkai serve --drafts` 可以先预览草稿。"
            );
        }
    }
    Ok(Outcome::Success)
}
