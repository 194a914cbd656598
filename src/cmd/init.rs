//! `gongkai init`: a new site to start from.

use std::path::PathBuf;

use super::Outcome;

#[derive(clap::Args)]
pub struct InitArgs {
    dir: PathBuf,
    /// 机关名称
    #[arg(long, default_value = "某市人民政府某某局")]
    agency: String,
    /// 第一份年度报告的年度
    #[arg(long, default_value_t = 2025)]
    year: u32,
}

pub fn execute(args: InitArgs) -> anyhow::Result<Outcome> {
    gongkai::scaffold::init(&args.dir, &args.agency, args.year)?;
    eprintln!(
        "已在 {} 新建网站。进入该文件夹运行 `gongkai build` 生成网站。",
        args.dir.display()
    );
    Ok(Outcome::Success)
}
