//! `gongkai build` and `gongkai check`.

use std::path::PathBuf;

use anyhow::Context;
use gongkai::build::{self, BuildOptions};
use gongkai::compliance;
use gongkai::content::Date;
use gongkai::site::LoadOptions;

use super::{Outcome, print_summary, progress_counter};

/// What `build` and `check` share.
#[derive(clap::Args, Clone)]
pub struct SiteArgs {
    /// 网站文件夹（含 site.toml）
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// 覆盖 site.toml 中的 base_url
    #[arg(long)]
    base_url: Option<String>,
    /// 把警告也当作错误（适合 CI）
    #[arg(long)]
    strict: bool,
    /// 包括草稿（draft: true）
    #[arg(long)]
    drafts: bool,
    /// 按这一天检查更新和年报期限（默认今天），如 2025-01-31
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    as_of: Option<Date>,
    /// 本单位的错敏词表：每行“错误写法 => 正确写法”或一个禁用词
    #[arg(long, value_name = "FILE")]
    words: Option<PathBuf>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("“{s}”不是日期，请写成 2025-01-31"))
}

#[derive(clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// 输出文件夹
    #[arg(long)]
    out: Option<PathBuf>,
    /// 允许发布一个没有任何报告、新闻和公开信息的网站（上次构建有内容时默认拒绝）
    #[arg(long)]
    allow_empty: bool,
}

/// How `check` prints what it found.
#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// 逐条列出（标准错误输出）
    Text,
    /// JSON 数组，每项一个对象：rule、level、file、line、column、message、fix（标准输出）
    Json,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// 输出格式
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// 另写一页 HTML 检查报告（可打印、转发）
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
    /// 把全部外部链接及所在页面写入一个 CSV 文件
    #[arg(long, value_name = "FILE.csv")]
    links_report: Option<PathBuf>,
    /// 逐个访问外部链接，报告无法访问的（需要联网；超时和并发数见 [compliance.links]）
    #[arg(long)]
    online: bool,
}

/// What `check` asks beyond what `build` does: (collect external links, request them).
type LinkChecks = (bool, bool);

fn options(
    site: SiteArgs,
    out: Option<PathBuf>,
    allow_empty: bool,
    (collect_links, online): LinkChecks,
) -> BuildOptions {
    BuildOptions {
        root: site.root,
        out,
        load: LoadOptions {
            base_url: site.base_url,
            include_drafts: site.drafts,
        },
        strict: site.strict,
        progress: progress_counter(),
        allow_empty,
        compliance: Some(compliance::Options {
            as_of: site.as_of,
            words: site.words,
            collect_links,
            online,
        }),
    }
}

fn outcome(summary: &build::Summary) -> Outcome {
    if summary.failed() {
        Outcome::Problems
    } else {
        Outcome::Success
    }
}

pub fn build(args: BuildArgs) -> anyhow::Result<Outcome> {
    let summary = build::build(&options(
        args.site,
        args.out,
        args.allow_empty,
        (false, false),
    ));
    print_summary(&summary, "构建", true);
    Ok(outcome(&summary))
}

pub fn check(args: CheckArgs) -> anyhow::Result<Outcome> {
    let as_of = args.site.as_of.unwrap_or_else(Date::today);
    let links = (args.links_report.is_some(), args.online);
    let summary = build::check(&options(args.site, None, false, links));
    if let Some(path) = &args.links_report {
        std::fs::write(path, compliance::links::csv(&summary.external_links))
            .with_context(|| format!("无法写入链接清单 {}", path.display()))?;
    }
    if let Some(path) = &args.report {
        let title = summary.site_title.as_deref().unwrap_or("");
        let page = compliance::summary::html(title, as_of, &summary.diagnostics);
        std::fs::write(path, page)
            .with_context(|| format!("无法写入检查报告 {}", path.display()))?;
    }
    if args.format == Format::Json {
        print!("{}", compliance::summary::json(&summary.diagnostics));
    }
    print_summary(&summary, "检查", args.format == Format::Text);
    Ok(outcome(&summary))
}
