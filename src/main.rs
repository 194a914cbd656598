//! The command line: parses arguments and hands each command to `cmd`.

mod cmd;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "gongkai", version, about = "政府信息公开专栏静态网站生成器")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成网站到输出文件夹（默认 public/）
    Build(cmd::build::BuildArgs),
    /// 检查全部内容（含勾稽关系和链接），不写文件
    Check(cmd::build::CheckArgs),
    /// 本地预览：生成网站、启动预览服务器，保存文件后自动重新生成并刷新浏览器
    Serve(cmd::serve::ServeArgs),
    /// 新建一个最小的网站
    Init(cmd::init::InitArgs),
    /// 把生成的网站上传到 site.toml 中 [deploy.名称] 指定的位置，只发送有变化的文件
    Deploy(cmd::deploy::DeployArgs),
    /// 导入已发布的年度报告（PDF、Word、WPS、Excel、网页、文字、扫描件），生成年度报告 YAML 并检查勾稽关系
    ///
    /// 能导入的格式和各自需要安装的软件：
    ///
    ///   .pdf（可以选中文字的 PDF）            不需要安装其他软件
    ///   .pdf（扫描件，没有文字层）            需要文字识别程序 Tesseract 和中文简体数据：
    ///                                       Debian/Ubuntu：sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim；
    ///                                       Windows：安装 Tesseract（UB Mannheim 版）并勾选 Chinese (Simplified)。
    ///                                       识别出的数字只在勾稽关系能确认时采用，其余标为“待核对”
    ///   .docx（Word 2007 及以后）             不需要安装其他软件
    ///   .doc（Word 97–2003）、.wps（WPS 文字）  直接读取，不需要安装 Word、WPS 或 LibreOffice
    ///   .xlsx、.xls（Excel、WPS 表格）         不需要安装其他软件
    ///   .html、.htm（保存的网页）              不需要安装其他软件
    ///   .txt、.md（复制的文字；pdftotext 或“另存为文本”得到的文字，含 pdftotext -layout 的排版文字）
    ///                                       不需要安装其他软件
    ///
    /// 给出文件夹时，导入其中所有这些格式的文件（不含子文件夹），按年度从早到晚导入，
    /// 每个年度只导入一个文件，最后列出每个文件的年度、机关、确定的数字、待核对的格数和
    /// 成立的勾稽关系。已经存在的 YAML 不会被覆盖，除非加 --force。网站中已有上一年度的
    /// 报告时，用它的“现行有效件数”确定本年表二中连在一起的数字，并在结果中说明。
    #[command(verbatim_doc_comment)]
    Import(cmd::import::ImportArgs),
    /// 新建内容
    New {
        #[command(subcommand)]
        what: cmd::new::NewArgs,
    },
}

fn main() -> ExitCode {
    // glibc gives each thread its own malloc arena; two are enough for a build that
    // renders on every core, and hold back much less memory (see docs/benchmarks.md).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: a malloc tuning call, made before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
    // clap's own words are English; the editor reads them in Chinese (cmd::words).
    let cli = cmd::words::chinese(Cli::command())
        .try_get_matches_from(cmd::words::args())
        .and_then(|m| Cli::from_arg_matches(&m))
        .unwrap_or_else(|e| cmd::words::exit(e));
    #[cfg(windows)]
    let _console = console::utf8();
    let result = match cli.command {
        Command::Build(a) => cmd::build::build(a),
        Command::Check(a) => cmd::build::check(a),
        Command::Serve(a) => cmd::serve::execute(a),
        Command::Init(a) => cmd::init::execute(a),
        Command::Deploy(a) => cmd::deploy::execute(a),
        Command::Import(a) => cmd::import::execute(a),
        Command::New { what } => cmd::new::execute(what),
    };
    match result {
        Ok(outcome) => outcome.into(),
        Err(e) => {
            cmd::report_error(&e);
            ExitCode::FAILURE
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
