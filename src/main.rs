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
    /// 导入已发布的年度报告（网页文字、Markdown 或 HTML），生成年度报告 YAML 并检查勾稽关系
    Import {
        /// 报告文件（.txt、.md、.html）
        file: PathBuf,
        /// 输出的 YAML 文件；默认 content/reports/年度.yaml
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
    #[cfg(windows)]
    let _console = console::utf8();
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
            file,
            out,
            root,
            force,
        } => match gongkai::import::run(&file, out.as_deref(), &root, force) {
            Ok(outcome) => {
                gongkai::import::print_outcome(&outcome, &file.display().to_string());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("错误：{}", e.0);
                ExitCode::from(2)
            }
        },
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

/// A Windows console's code page: UTF-8 while gongkai runs, the user's own again after.
/// The standard library writes our own text to a console as UTF-16 whatever the code page;
/// what reaches the console as bytes (ssh's and rsync's messages during a deploy, our
/// output through a pipe into a console program) is shown in the code page.
#[cfg(windows)]
mod console {
    use windows_sys::Win32::System::Console::{GetConsoleOutputCP, SetConsoleOutputCP};

    const UTF8: u32 = 65001;

    pub struct Restore(u32);

    pub fn utf8() -> Restore {
        // SAFETY: calls without pointers; without a console they fail and change nothing.
        let old = unsafe { GetConsoleOutputCP() };
        if old != 0 && old != UTF8 {
            // SAFETY: as above.
            unsafe { SetConsoleOutputCP(UTF8) };
        }
        Restore(old)
    }

    impl Drop for Restore {
        fn drop(&mut self) {
            if self.0 != 0 && self.0 != UTF8 {
                // SAFETY: as above.
                unsafe { SetConsoleOutputCP(self.0) };
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
