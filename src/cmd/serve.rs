//! `gongkai serve`: the preview server, with what it reports printed as it goes.

use std::path::PathBuf;
use std::sync::Arc;

use gongkai::serve::{self, Event, ServeOptions};

use super::{Outcome, print_group_summary, print_summary, progress_counter};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// 网站文件夹（含 site.toml），或门户文件夹（含 group.toml）
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
}

fn print(event: Event) {
    match event {
        Event::Listening(url) => {
            eprintln!("预览地址：{url}  （修改文件后页面会自动刷新；按 Ctrl-C 退出）");
        }
        Event::Built(summary) => print_summary(summary, "构建", true),
        Event::GroupBuilt(summary) => print_group_summary(summary, "构建", true),
        Event::Updated(took) => eprintln!("已更新（{} 毫秒）", took.as_millis()),
        Event::Findings(findings) => {
            if findings.has_errors() {
                eprintln!("发布前检查发现的问题（改好之前不能发布）：");
            } else {
                eprintln!("发布前检查：之前的错误都已改好。");
            }
            for d in findings.sorted().into_iter().filter(|d| d.is_error()) {
                eprintln!("{d}");
            }
        }
        Event::Warning(text) => eprintln!("警告：{text}"),
        Event::Stopped => eprintln!("预览服务器已停止。"),
    }
}

pub fn execute(args: ServeArgs) -> anyhow::Result<Outcome> {
    let opts = ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        open: args.open,
        drafts: args.drafts,
        progress: progress_counter(),
    };
    serve::run(opts, Arc::new(print))?;
    Ok(Outcome::Success)
}
