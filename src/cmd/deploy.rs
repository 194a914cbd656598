//! `gongkai deploy`: publishes the built output to a target of site.toml.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::anyhow;
use gongkai::deploy::{self, DeployOptions};

use super::{Outcome, on_terminal};

#[derive(clap::Args)]
pub struct DeployArgs {
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
    /// 删除以前由 gongkai 上传、而网站现在已经没有的文件
    #[arg(long)]
    delete: bool,
    /// 不只看目标上的清单，逐个核对目标上的文件（大小或校验值），缺少或不一致的重新上传
    #[arg(long)]
    verify: bool,
}

pub fn execute(args: DeployArgs) -> anyhow::Result<Outcome> {
    let mut diags = gongkai::diagnostics::Diagnostics::new();
    let Some(config) = gongkai::config::Config::load(&args.root, &mut diags) else {
        let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        return Err(anyhow!(text.join("\n")));
    };
    let (name, target) = deploy::choose(&config, args.name.as_deref())?;
    let out = args.out.unwrap_or_else(|| args.root.join("public"));
    let mut t = deploy::open(&name, target, &args.root, &out)?;
    let show = on_terminal() && !args.dry_run;
    let progress = |n: usize, total: usize| {
        if show {
            eprint!("\r上传 {n}/{total}");
            if n == total {
                eprintln!();
            }
            let _ = std::io::stderr().flush();
        }
    };
    let opts = DeployOptions {
        out,
        dry_run: args.dry_run,
        delete: args.delete,
        verify: args.verify,
        progress: &progress,
    };
    let p = deploy::run(t.as_mut(), &opts)?;
    if args.delete && !p.had_manifest {
        eprintln!(
            "目标上没有以前发布留下的清单，--delete 没有删除任何文件：它只删除 gongkai 以前上传、而网站现在已经没有的文件。"
        );
    }
    if args.verify && (p.missing > 0 || p.differing > 0) {
        eprintln!(
            "核对：清单中有 {} 个文件在目标上不见了，{} 个文件与清单不一致，{}重新上传。",
            p.missing,
            p.differing,
            if args.dry_run { "将" } else { "已" }
        );
    } else if args.verify {
        eprintln!("核对：目标上的文件与清单一致。");
    }
    if args.dry_run {
        for f in &p.upload {
            eprintln!("  上传 {f}");
        }
        for f in &p.delete {
            eprintln!("  删除 {f}");
        }
    }
    let verb = if args.dry_run { "将要" } else { "已" };
    eprintln!(
        "{}发布到 {name}：{verb}上传 {} 个文件（{}），{verb}删除 {} 个文件，{} 个文件没有变化{}。",
        if args.dry_run {
            "试运行，没有做任何改动。"
        } else {
            ""
        },
        p.upload.len(),
        gongkai::content::size_text(p.upload_bytes),
        p.delete.len(),
        p.unchanged,
        if p.had_manifest {
            ""
        } else {
            "（目标上还没有清单，按目标上现有的文件比较）"
        }
    );
    Ok(Outcome::Success)
}
