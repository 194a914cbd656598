//! `gongkai build` and `gongkai check`.

use std::path::PathBuf;

use gongkai::build::{self, BuildOptions};
use gongkai::content::Date;
use gongkai::group::build::{GroupOptions, Mode};
use gongkai::site::LoadOptions;

use super::{Outcome, print_group_summary, print_summary, progress_counter};

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
    /// 门户：判断年度报告是否逾期所按的日期（YYYY-MM-DD）；默认取各成员内容中最新的日期
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` 不是日期，请写成 2025-02-01 这样的格式"))
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
    /// 门户：只构建第 K 片成员（共 N 片，按大小均衡分配，如 2/4），不生成门户页面
    #[arg(long, value_parser = parse_shard, conflicts_with = "merge")]
    shard: Option<(usize, usize)>,
    /// 门户：把各分片（--shard）的输出文件夹合并到 --out，并生成门户页面
    #[arg(long, num_args = 1.., value_name = "DIR")]
    merge: Vec<PathBuf>,
    /// 全部使用相对链接：生成的网站可以直接从硬盘、共享文件夹或 U 盘打开
    #[arg(long)]
    relative: bool,
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    gongkai::group::shard::parse(s)
}

#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
}

fn options(
    site: SiteArgs,
    out: Option<PathBuf>,
    allow_empty: bool,
    relative: bool,
) -> BuildOptions {
    BuildOptions {
        root: site.root,
        out,
        load: LoadOptions {
            base_url: site.base_url,
            include_drafts: site.drafts,
            relative,
        },
        strict: site.strict,
        progress: progress_counter(),
        allow_empty,
    }
}

fn outcome(summary: &build::Summary) -> Outcome {
    if summary.failed() {
        Outcome::Problems
    } else {
        Outcome::Success
    }
}

fn group_options(
    site: SiteArgs,
    out: Option<PathBuf>,
    allow_empty: bool,
    mode: Mode,
) -> GroupOptions {
    GroupOptions {
        root: site.root,
        out,
        load: LoadOptions {
            base_url: site.base_url,
            include_drafts: site.drafts,
            relative: false,
        },
        strict: site.strict,
        progress: progress_counter(),
        allow_empty,
        as_of: site.as_of,
        mode,
    }
}

fn group_outcome(summary: &gongkai::group::build::GroupSummary) -> Outcome {
    if summary.failed() {
        Outcome::Problems
    } else {
        Outcome::Success
    }
}

pub fn build(args: BuildArgs) -> anyhow::Result<Outcome> {
    if gongkai::group::is_group(&args.site.root) {
        if args.relative {
            anyhow::bail!(
                "--relative 目前只用于单个网站；门户（含 group.toml 的文件夹）请用网址构建"
            );
        }
        let mode = match (args.shard, args.merge.is_empty()) {
            (Some((k, n)), _) => Mode::Shard(k, n),
            (None, false) => Mode::Merge(args.merge),
            (None, true) => Mode::Whole,
        };
        let summary = gongkai::group::build::build(&group_options(
            args.site,
            args.out,
            args.allow_empty,
            mode,
        ));
        print_group_summary(&summary, "构建");
        return Ok(group_outcome(&summary));
    }
    if args.shard.is_some() || !args.merge.is_empty() {
        anyhow::bail!(
            "--shard 和 --merge 只用于门户（含 group.toml 的文件夹），{} 是一个单独的网站",
            args.site.root.display()
        );
    }
    let summary = build::build(&options(
        args.site,
        args.out,
        args.allow_empty,
        args.relative,
    ));
    print_summary(&summary, "构建");
    if summary.relative && !summary.failed() {
        eprintln!(
            "这次生成的网站全部使用相对链接，可以直接用浏览器打开输出文件夹里的 index.html，也可以放在共享文件夹或 U 盘上。离线打开时："
        );
        for limit in gongkai::render::OFFLINE_LIMITS {
            eprintln!("  - {limit}");
        }
    }
    Ok(outcome(&summary))
}

pub fn check(args: CheckArgs) -> anyhow::Result<Outcome> {
    if gongkai::group::is_group(&args.site.root) {
        let summary =
            gongkai::group::build::check(&group_options(args.site, None, false, Mode::Whole));
        print_group_summary(&summary, "检查");
        return Ok(group_outcome(&summary));
    }
    let summary = build::check(&options(args.site, None, false, false));
    print_summary(&summary, "检查");
    Ok(outcome(&summary))
}
