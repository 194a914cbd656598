//! The command line: parses arguments and calls into the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gongkai::build::{self, BuildOptions};
use gongkai::site::LoadOptions;

#[derive(Parser)]
#[command(name = "gongkai", version, about = "政府信息公开专栏静态网站生成器")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct SiteArgs {
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

#[derive(Subcommand)]
enum Command {
    /// 生成网站到输出文件夹（默认 public/）
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// 输出文件夹
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// 检查全部内容（含勾稽关系和链接），不写文件
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// 本地预览：生成网站、启动预览服务器，保存文件后自动重新生成并刷新浏览器
    Serve {
        /// 网站文件夹（含 site.toml）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 监听地址；默认只允许本机访问
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// 端口；0 表示自动选择空闲端口
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// 启动后在浏览器中打开
        #[arg(long)]
        open: bool,
        /// 包括草稿（draft: true）
        #[arg(long)]
        drafts: bool,
    },
    /// 新建一个最小的网站
    Init {
        dir: PathBuf,
        /// 机关名称
        #[arg(long, default_value = "某市人民政府某某局")]
        agency: String,
        /// 第一份年度报告的年度
        #[arg(long, default_value_t = 2025)]
        year: u32,
    },
    /// 把生成的网站上传到 site.toml 中 [deploy.名称] 指定的位置，只发送有变化的文件
    Deploy {
        /// 发布目标的名称；site.toml 中只有一个时可以不写
        name: Option<String>,
        /// 网站文件夹（含 site.toml）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 输出文件夹（默认 public/）
        #[arg(long)]
        out: Option<PathBuf>,
        /// 只列出将要上传和删除的文件，不做任何改动
        #[arg(long)]
        dry_run: bool,
        /// 删除目标上网站已经没有的文件（只在网站的文件夹或前缀之内）
        #[arg(long)]
        delete: bool,
    },
    /// 导入已发布的年度报告（PDF、Word .docx、网页或文字），生成年度报告 YAML 并检查勾稽关系
    Import {
        /// 报告文件（.pdf、.docx、.html、.txt、.md）或文件夹，可以写多个
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 输出的 YAML 文件（只导入一个文件时）；默认 content/reports/年度.yaml
        #[arg(short, long)]
        out: Option<PathBuf>,
        /// 网站文件夹（含 site.toml）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 覆盖已经存在的 YAML 文件
        #[arg(long)]
        force: bool,
    },
    /// 新建内容
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// 新建某年度的年度报告骨架：gongkai new report 2024
    Report {
        year: u32,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn options(site: SiteArgs, out: Option<PathBuf>) -> BuildOptions {
    BuildOptions {
        root: site.root,
        out,
        load: LoadOptions {
            base_url: site.base_url,
            include_drafts: site.drafts,
        },
        strict: site.strict,
        progress: build::stderr_is_terminal(),
    }
}

fn main() -> ExitCode {
    // glibc gives each thread its own malloc arena; two are enough for a build that
    // renders on every core, and hold back much less memory (see docs/benchmarks.md).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: a malloc tuning call, made before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
    let cli = Cli::parse();
    match cli.command {
        Command::Build { site, out } => {
            let summary = build::build(&options(site, out));
            build::print_summary(&summary, "构建");
            exit(summary.failed())
        }
        Command::Check { site } => {
            let summary = build::check(&options(site, None));
            build::print_summary(&summary, "检查");
            exit(summary.failed())
        }
        Command::Serve {
            root,
            bind,
            port,
            open,
            drafts,
        } => match gongkai::serve::run(gongkai::serve::ServeOptions {
            root,
            bind,
            port,
            open,
            drafts,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("错误：{e}");
                ExitCode::FAILURE
            }
        },
        Command::Init { dir, agency, year } => match gongkai::scaffold::init(&dir, &agency, year) {
            Ok(()) => {
                eprintln!(
                    "已在 {} 新建网站。进入该文件夹运行 `gongkai build` 生成网站。",
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Command::Deploy {
            name,
            root,
            out,
            dry_run,
            delete,
        } => match gongkai::deploy::cli(&root, name.as_deref(), out, dry_run, delete) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("错误：{e}");
                ExitCode::FAILURE
            }
        },
        Command::Import {
            files,
            out,
            root,
            force,
        } => import(&files, out.as_deref(), &root, force),
        Command::New {
            what: NewCommand::Report { year, root },
        } => {
            let mut d = gongkai::diagnostics::Diagnostics::new();
            let agency = gongkai::config::Config::load(&root, &mut d)
                .map(|c| c.agency.name)
                .unwrap_or_default();
            match gongkai::scaffold::new_report(&root, year, &agency) {
                Ok(p) => {
                    eprintln!("已新建 {}，填写后运行 `gongkai check` 检查。", p.display());
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
    }
}

fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn fail(e: &std::io::Error) -> ExitCode {
    eprintln!("错误：{e}");
    ExitCode::FAILURE
}

/// `gongkai import`: each file imported and its summary printed, then a table of all of
/// them. Exit code 2 when a file could not be imported (nothing was written for it).
fn import(
    files: &[PathBuf],
    out: Option<&std::path::Path>,
    root: &std::path::Path,
    force: bool,
) -> ExitCode {
    use gongkai::import;
    let inputs = match import::inputs(files) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::from(2);
        }
    };
    if out.is_some() && inputs.len() > 1 {
        eprintln!(
            "错误：-o 只能在导入一个文件时使用；导入多个文件时，每份报告写到 content/reports/年度.yaml。"
        );
        return ExitCode::from(2);
    }
    let mut rows = Vec::new();
    let mut failed = false;
    for input in &inputs {
        match import::import_file(input, out, root, force) {
            Ok(o) => {
                print_outcome(&o);
                rows.push(summary_row(&o));
            }
            Err(e) => {
                eprintln!("错误：{e}");
                failed = true;
                let name = input.display().to_string();
                rows.push([
                    name,
                    "—".into(),
                    "未导入".into(),
                    "—".into(),
                    "—".into(),
                    "—".into(),
                ]);
            }
        }
    }
    if inputs.len() > 1 {
        print_table(&rows);
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn summary_row(o: &gongkai::import::Outcome) -> [String; 6] {
    let i = &o.imported;
    [
        o.input.display().to_string(),
        i.year.map_or("？".into(), |y| y.to_string()),
        i.agency.clone().unwrap_or_else(|| "？".into()),
        format!("{}/{}", i.figures(), i.cells()),
        format!("{}/{}", o.rules_held().len(), o.rules()),
        i.unsure().len().to_string(),
    ]
}

fn print_table(rows: &[[String; 6]]) {
    let head = ["文件", "年度", "机关", "数字", "勾稽关系成立", "待核对"];
    let width = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    let mut w = head.map(width);
    for r in rows {
        for (k, c) in r.iter().enumerate() {
            w[k] = w[k].max(width(c));
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(k, c)| format!("{c}{}", " ".repeat(w[k] - width(c))))
            .collect();
        eprintln!("  {}", padded.join("  ").trim_end());
    };
    eprintln!();
    line(head.to_vec());
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
}

/// The summary of one import on standard error: figures found, what to check, every rule.
fn print_outcome(o: &gongkai::import::Outcome) {
    let i = &o.imported;
    eprintln!(
        "已从 {}（{}）导入 {} 年度报告，写入 {}。",
        o.input.display(),
        i.format.name(),
        i.year.map_or("（未知年度）".to_string(), |y| y.to_string()),
        o.path.display()
    );
    eprintln!(
        "  机关：{}",
        i.agency
            .as_deref()
            .unwrap_or("（标题中没有找到，请在 YAML 中填写 agency）")
    );
    eprintln!(
        "  找到数字 {} 个（表格共 {} 格，其中 {} 个由勾稽关系确定），叙述部分 {} 节。",
        i.figures(),
        i.cells(),
        i.settled,
        i.texts.len()
    );
    for n in &i.notes {
        eprintln!("  注意：{n}");
    }
    let unsure = i.unsure();
    let shown = 40;
    for (loc, text, note) in unsure.iter().take(shown) {
        let seen = if text.is_empty() {
            String::new()
        } else {
            format!("“{text}”")
        };
        eprintln!("  待核对：原文{loc}{seen}：{note}。已在 YAML 中标出，请改为正确的数字。");
    }
    if unsure.len() > shown {
        eprintln!(
            "  ……另有 {} 格待核对，见 YAML 中的“待核对”。",
            unsure.len() - shown
        );
    }
    for (loc, text) in &i.unplaced {
        eprintln!("  未能放入表格：{loc}“{text}”。");
    }
    for f in &o.findings {
        eprintln!("  勾稽关系 {} 不成立：{}", f.rule, f.message);
    }
    let held = o.rules_held();
    if !held.is_empty() {
        eprintln!("  勾稽关系成立：{}。", held.join("、"));
    }
    let pending = o.rules_pending();
    if !pending.is_empty() {
        eprintln!("  勾稽关系待核对数字改正后再检查：{}。", pending.join("、"));
    }
    if !o.findings.is_empty() {
        eprintln!(
            "  原报告的数字如此，可以在 YAML 中用 acknowledged 写明原因后保留；否则请改正数字。"
        );
    }
    let errors = o.problems.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!("  YAML 中有 {errors} 处需要编辑修改，运行 `gongkai check` 查看。");
    }
}
