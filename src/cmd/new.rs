//! `gongkai new`: new content from a skeleton.

use std::path::PathBuf;

use super::Outcome;

#[derive(clap::Subcommand)]
pub enum NewArgs {
    /// 新建某年度的年度报告骨架：gongkai new report 2024
    Report {
        year: u32,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

pub fn execute(args: NewArgs) -> anyhow::Result<Outcome> {
    match args {
        NewArgs::Report { year, root } => {
            let path = gongkai::scaffold::new_report(&root, year)?;
            eprintln!(
                "已新建 {}，填写后运行 `gongkai check` 检查。",
                path.display()
            );
        }
    }
    Ok(Outcome::Success)
}
