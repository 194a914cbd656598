//! `gongkai build` and `gongkai check`.

use std::path::PathBuf;

use anyhow::Context;
use gongkai::build::{self, BuildOptions};
use gongkai::gate::{self, compliance};
use gongkai::ground::date::Date;
use gongkai::group::build::{GroupOptions, Mode};
use gongkai::model::site::LoadOptions;

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
    /// 按这一天发布和检查（YYYY-MM-DD，默认今天）：日期晚于这一天的内容定时发布，更新和年报期限也按这一天判断
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    as_of: Option<Date>,
    /// 本单位的错敏词表：每行“错误写法 => 正确写法”或一个禁用词
    #[arg(long, value_name = "FILE")]
    words: Option<PathBuf>,
    /// 门户：只检查或构建这个成员（按门户的设置；其余成员保留上次构建的结果）；可以写多次
    #[arg(long, value_name = "SLUG")]
    member: Vec<String>,
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
    /// 门户：某个成员出错时，它保留上次成功构建的网站，其余成员照常生成（退出码 3）；默认一个成员出错就全部不更新
    #[arg(long, conflicts_with_all = ["shard", "merge"])]
    keep_going: bool,
}

impl BuildArgs {
    /// What `deploy --build` builds: the site or group at `root` into `out`, as a plain
    /// `gongkai build` would.
    pub fn for_deploy(root: PathBuf, out: Option<PathBuf>) -> BuildArgs {
        BuildArgs {
            site: SiteArgs {
                root,
                base_url: None,
                strict: false,
                drafts: false,
                as_of: None,
                words: None,
                member: Vec::new(),
            },
            out,
            allow_empty: false,
            shard: None,
            merge: Vec::new(),
            relative: false,
            keep_going: false,
        }
    }
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    gongkai::group::shard::parse(s)
}

/// How `check` prints what it found.
#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// 逐条列出（标准错误输出）
    Text,
    /// JSON 数组，每项一个对象：rule、level、file、line、column、message、fix（标准输出）；门户的每项另有 member（成员代码，门户自己的为 null）
    Json,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// 输出格式
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// 另写一页 HTML 检查报告（可打印、转发；门户：每个成员一节）
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
    relative: bool,
    (collect_links, online): LinkChecks,
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
        gate: gate::Options {
            as_of: site.as_of,
            words: site.words,
            collect_links,
            online,
            show_held: false,
        },
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
    (allow_empty, keep_going): (bool, bool),
    mode: Mode,
) -> GroupOptions {
    GroupOptions {
        keep_going,
        only: site.member,
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
        gate: gate::Options {
            as_of: site.as_of,
            words: site.words,
            ..Default::default()
        },
        mode,
    }
}

fn group_outcome(summary: &gongkai::group::build::GroupSummary) -> Outcome {
    if summary.partly_written() {
        Outcome::Partly
    } else if summary.failed() {
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
        if !args.site.member.is_empty() && (args.shard.is_some() || !args.merge.is_empty()) {
            anyhow::bail!(
                "--member 不能和 --shard、--merge 一起用：--member 在门户的输出文件夹里只重新构建指定的成员"
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
            (args.allow_empty, args.keep_going),
            mode,
        ));
        print_group_summary(&summary, "构建", true);
        return Ok(group_outcome(&summary));
    }
    if args.keep_going || !args.site.member.is_empty() {
        anyhow::bail!(
            "--keep-going 和 --member 只用于门户（含 group.toml 的文件夹），{} 是一个单独的网站",
            args.site.root.display()
        );
    }
    if args.shard.is_some() || !args.merge.is_empty() {
        anyhow::bail!(
            "--shard 和 --merge 只用于门户（含 group.toml 的文件夹），{} 是一个单独的网站",
            args.site.root.display()
        );
    }
    let options = options(
        args.site,
        args.out,
        args.allow_empty,
        args.relative,
        (false, false),
    );
    // The last build left its state: this one is most likely an edit.
    if gongkai::output::fingerprint::state_path(&options.out_dir()).is_file() {
        gongkai::ground::memory::on_edit_heap();
    }
    let summary = build::build(&options);
    print_summary(&summary, "构建", true);
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
        return group_check(args);
    }
    if !args.site.member.is_empty() {
        anyhow::bail!(
            "--member 只用于门户（含 group.toml 的文件夹），{} 是一个单独的网站",
            args.site.root.display()
        );
    }
    let as_of = args.site.as_of.unwrap_or_else(Date::today);
    let links = (args.links_report.is_some(), args.online);
    let summary = build::check(&options(args.site, None, false, false, links));
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
        print!(
            "{}",
            compliance::summary::json(&summary.diagnostics, &summary.decision)
        );
    }
    print_summary(&summary, "检查", args.format == Format::Text);
    Ok(outcome(&summary))
}

/// `check` on a portal group: every member (or those of `--member`) and the portal, as
/// text, JSON (each finding with its member) and one HTML page with a section per member.
fn group_check(args: CheckArgs) -> anyhow::Result<Outcome> {
    if args.links_report.is_some() || args.online {
        anyhow::bail!(
            "--links-report 和 --online 目前只用于单个网站：请对成员的网站逐个检查外部链接"
        );
    }
    let as_of = args.site.as_of.unwrap_or_else(Date::today);
    let opts = group_options(args.site, None, (false, false), Mode::Whole);
    let summary = gongkai::group::build::check(&opts);
    let portal = gate::Decision::default();
    let mut parts: Vec<compliance::summary::Part> = summary
        .members
        .iter()
        .map(|m| compliance::summary::Part {
            member: Some(&m.slug),
            heading: format!("{}（{}，{}）", m.name, m.slug, m.rel),
            diagnostics: &m.diagnostics,
            decision: &m.decision,
        })
        .collect();
    parts.push(compliance::summary::Part {
        member: None,
        heading: "门户（group.toml、门户页面、各成员的年度报告是否逾期）".into(),
        diagnostics: &summary.diagnostics,
        decision: &portal,
    });
    if let Some(path) = &args.report {
        let title = summary.title.as_deref().unwrap_or_default();
        let page = compliance::summary::group_html(title, as_of, &parts);
        std::fs::write(path, page)
            .with_context(|| format!("无法写入检查报告 {}", path.display()))?;
    }
    if args.format == Format::Json {
        print!("{}", compliance::summary::group_json(&parts));
    }
    print_group_summary(&summary, "检查", args.format == Format::Text);
    Ok(group_outcome(&summary))
}
