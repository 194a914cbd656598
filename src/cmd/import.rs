//! `gongkai import`: a published report into report YAML.

use std::path::PathBuf;

use super::Outcome;

#[derive(clap::Args)]
pub struct ImportArgs {
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
}

pub fn execute(args: ImportArgs) -> anyhow::Result<Outcome> {
    match gongkai::import::run(&args.file, args.out.as_deref(), &args.root, args.force) {
        Ok(outcome) => {
            gongkai::import::print_outcome(&outcome, &args.file.display().to_string());
            Ok(Outcome::Success)
        }
        Err(e) => {
            eprintln!("错误：{}", e.0);
            Ok(Outcome::Unusable)
        }
    }
}
