//! `gongkai build` and `gongkai check`.

use std::path::PathBuf;

use gongkai::build::{self, BuildOptions};
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

#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
}

fn options(site: SiteArgs, out: Option<PathBuf>, allow_empty: bool) -> BuildOptions {
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
    let summary = build::build(&options(args.site, args.out, args.allow_empty));
    print_summary(&summary, "构建");
    Ok(outcome(&summary))
}

pub fn check(args: CheckArgs) -> anyhow::Result<Outcome> {
    let summary = build::check(&options(args.site, None, false));
    print_summary(&summary, "检查");
    Ok(outcome(&summary))
}
