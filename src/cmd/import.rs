//! `gongkai import`: published reports (PDF, Word, web pages, text) into report YAML, with
//! what was found, what to check and every rule's verdict printed.

use std::path::PathBuf;

use super::Outcome;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// 报告文件（.pdf、.docx、.doc、.wps、.xlsx、.xls、.html、.txt、.md）或文件夹，可以写多个
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
}

/// `gongkai import`: each file imported and its summary printed, then a table of all of
/// them. Exit code 2 when a file could not be imported (nothing was written for it).
pub fn execute(args: ImportArgs) -> anyhow::Result<Outcome> {
    let (files, out, root, force) = (&args.files, args.out.as_deref(), &args.root, args.force);
    use gongkai::import;
    let inputs = match import::inputs(files) {
        Ok(i) => i,
        Err(e) => {
            super::report_error(&e);
            return Ok(Outcome::Unusable);
        }
    };
    if out.is_some() && inputs.len() > 1 {
        eprintln!(
            "错误：-o 只能在导入一个文件时使用；导入多个文件时，每份报告写到 content/reports/年度.yaml。"
        );
        return Ok(Outcome::Unusable);
    }
    let mut rows = Vec::new();
    let mut failed = false;
    let outcomes = if inputs.len() > 1 {
        import::import_batch(&inputs, root, force)
    } else {
        inputs
            .iter()
            .map(|i| (i.clone(), import::import_file(i, out, root, force)))
            .collect()
    };
    for (input, outcome) in outcomes {
        match outcome {
            Ok(o) => {
                print_outcome(&o);
                rows.push(summary_row(&o));
            }
            Err(e) => {
                super::report_error(&e);
                failed = true;
                rows.push([
                    input.display().to_string(),
                    "—".into(),
                    "—".into(),
                    "—".into(),
                    "未导入".into(),
                    "—".into(),
                    "—".into(),
                ]);
            }
        }
    }
    if inputs.len() > 1 {
        print_table(&rows);
    }
    Ok(if failed {
        Outcome::Unusable
    } else {
        Outcome::Success
    })
}

fn summary_row(o: &gongkai::import::Outcome) -> [String; 7] {
    let i = &o.imported;
    [
        o.input.display().to_string(),
        i.format.name().to_string(),
        i.year.map_or("？".into(), |y| y.to_string()),
        i.agency.clone().unwrap_or_else(|| "？".into()),
        format!("{}/{}", i.figures(), i.cells()),
        i.unsure().len().to_string(),
        format!("{}/{}", o.rules_held().len(), o.rules()),
    ]
}

/// One line a file, in the order imported: what was found, what the editor must check,
/// and how many of the report's rules hold.
fn print_table(rows: &[[String; 7]]) {
    let head = [
        "文件",
        "格式",
        "年度",
        "机关",
        "确定的数字",
        "待核对",
        "勾稽关系成立",
    ];
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
        "  机关：{}{}",
        i.agency
            .as_deref()
            .unwrap_or("（标题中没有找到，请在 YAML 中填写 agency）"),
        if i.agency_signed {
            "（标题中没有，取自文末的落款或附件名，请核对）"
        } else {
            ""
        }
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
