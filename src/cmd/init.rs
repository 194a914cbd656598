//! `gongkai init`: a new site to start from.

use std::path::PathBuf;

use super::Outcome;

#[derive(clap::Args)]
pub struct InitArgs {
    dir: PathBuf,
    /// 机关名称
    #[arg(long, default_value = "某市人民政府某某局")]
    agency: String,
    /// 第一份年度报告的年度（默认去年）
    #[arg(long)]
    year: Option<u32>,
}

pub fn execute(args: InitArgs) -> anyhow::Result<Outcome> {
    let year = args
        .year
        .unwrap_or_else(|| gongkai::ground::date::Date::today().year - 1);
    gongkai::scaffold::init(&args.dir, &args.agency, year)?;
    let d = args.dir.display();
    eprintln!("已在 {d} 新建网站。接下来：");
    eprintln!(
        "  1. 编辑 {d}/site.toml：网址（base_url）、地址、电话、网站标识码、备案号，以及导航和栏目；"
    );
    eprintln!("  2. 填写 {d}/content/reports/{year}.yaml（{year} 年度报告，草稿）；");
    eprintln!(
        "  3. 进入该文件夹运行 `gongkai serve --drafts` 预览，`gongkai check` 检查，`gongkai build` 生成网站。"
    );
    eprintln!("使用指南：docs/使用指南.md");
    Ok(Outcome::Success)
}
