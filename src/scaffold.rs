//! `gongkai init` and `gongkai new report`: files an editor starts from (`new item` is
//! the catalogue's, in `catalogue::skeleton`).
//! The report skeleton is generated from the report type, so it always lists every
//! row and column of the template.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::report::REPORT_YEARS;
use crate::report::schema::{CellKind, ReportType, RowDef, RuleKind, SectionContent};

/// A commented report skeleton for `year`, every figure zero.
pub fn report_skeleton(kind: &ReportType, year: u32, agency: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {agency}{year}年政府信息公开工作年度报告");
    let _ = writeln!(s, "# 格式：{}（{}）。", kind.name, kind.basis);
    s.push_str(
        "# 键可以写英文键名，也可以写表格中的中文名称；没有发生的数字可以不写（按 0 计）；\n",
    );
    s.push_str("# 总计可以不写，会自动计算；写了就必须与各项之和一致。运行 `gongkai check` 检查勾稽关系。\n\n");
    let _ = writeln!(s, "type: {}   # 报告格式（{}）", kind.id, kind.basis);
    let _ = writeln!(s, "year: {year}");
    let _ = writeln!(s, "agency: {}", yaml_text(agency));
    let _ = writeln!(s, "# published: {}-01-31   # 发布日期", year + 1);
    s.push_str("preamble: |\n");
    let _ = writeln!(
        s,
        "  根据《中华人民共和国政府信息公开条例》和{}（{}）要求，编制本报告。\n",
        kind.document, kind.basis
    );
    let totals: Vec<(&str, &str, &str)> = kind
        .rules
        .iter()
        .filter_map(|r| match r.kind {
            RuleKind::RowSum { total, .. } => Some((r.table, total, "")),
            RuleKind::ColSum { total, .. } => Some((r.table, "", total)),
            _ => None,
        })
        .collect();
    for sec in kind.sections {
        let _ = writeln!(s, "# {}", sec.title);
        match sec.content {
            SectionContent::Text => {
                let _ = writeln!(s, "{}: |\n  （{}）\n", sec.key, sec.hint);
            }
            SectionContent::Table(def) => {
                let _ = writeln!(s, "{}:", sec.key);
                for block in def.blocks {
                    if let Some(band) = block.band {
                        let _ = writeln!(s, "  # {band}");
                    }
                    let computed_col = |c: &str| {
                        totals
                            .iter()
                            .any(|(t, r, col)| *t == sec.key && r.is_empty() && *col == c)
                    };
                    let cols: Vec<_> = block
                        .columns
                        .iter()
                        .filter(|c| !computed_col(c.key))
                        .collect();
                    if cols.len() > 1 {
                        let labels: Vec<&str> = cols.iter().map(|c| c.label).collect();
                        let _ = writeln!(s, "  # 每行按列顺序：[{}]", labels.join(", "));
                    }
                    let zero = |k: CellKind| if k == CellKind::Amount { "0.0" } else { "0" };
                    let zeros: Vec<&str> = cols.iter().map(|c| zero(c.kind)).collect();
                    let value = if cols.len() == 1 {
                        zero(cols[0].kind).to_string()
                    } else {
                        format!("[{}]", zeros.join(", "))
                    };
                    write_rows(&mut s, block.rows, 1, &value, &|r| {
                        totals.iter().any(|(t, row, _)| *t == sec.key && *row == r)
                    });
                }
                s.push('\n');
            }
        }
    }
    s.push_str(
        "# 某条规则在原报告中就不成立、需要保留原貌时，写明原因后确认（页面上会显示说明）：\n",
    );
    s.push_str("# acknowledged:\n#   - rule: T3-A\n#     reason: 原报告如此发布\n\n");
    s.push_str("# 报告的附件（如盖章扫描件），文件放在本文件旁边或同名年份文件夹中：\n");
    s.push_str("# attachments:\n#   - file: 报告原件.pdf\n#     title: 报告原件（盖章版）\n");
    s
}

fn write_rows(
    s: &mut String,
    rows: &[RowDef],
    depth: usize,
    value: &str,
    computed: &dyn Fn(&str) -> bool,
) {
    let pad = "  ".repeat(depth);
    for r in rows {
        match r {
            RowDef::Group {
                key,
                label,
                children,
                ..
            } => {
                let _ = writeln!(s, "{pad}{key}:   # {label}");
                write_rows(s, children, depth + 1, value, computed);
            }
            RowDef::Row { key, label, .. } if computed(key) => {
                let _ = writeln!(s, "{pad}# {key}: {value}   # {label}（自动计算，可不写）");
            }
            RowDef::Row { key, label, .. } => {
                let _ = writeln!(s, "{pad}{key}: {value}   # {label}");
            }
        }
    }
}

const INIT_SITE: &str = r#"# 网站配置。字段说明见 docs/configuration.md。
title = {agency}
base_url = "https://www.example.gov.cn/"

[agency]
name = {agency}
sponsor = {agency}          # 主办单位
address = ""
phone = ""
site_code = ""                # 网站标识码
icp = ""                      # ICP备案号
police_record = ""            # 公安机关备案号

[[nav]]
title = "首页"
url = "/"

[[nav]]
title = "新闻动态"
url = "/news/"

[[nav]]
title = "政府信息公开"
url = "/zwgk/"

[[nav]]
title = "年度归档"
url = "/archive/"

[[columns]]
name = "工作动态"
slug = "gzdt"
"#;

const INIT_NEWS: &str = "---\ntitle: 网站开通\ndate: {year}-01-01\ncategory: 工作动态\nexample: true\n---\n\n这是一条示例新闻。编辑 content/news/ 下的文件，或新建 Markdown 文件发布新闻。\n";

/// `s` as a YAML value: as it is when YAML reads it back unchanged, else quoted (a JSON
/// string is a YAML double-quoted scalar).
fn yaml_text(s: &str) -> String {
    let plain = serde_yaml::from_str::<serde_yaml::Value>(&format!("k: {s}"))
        .ok()
        .and_then(|v| v.get("k").and_then(|k| k.as_str().map(str::to_string)));
    if plain.as_deref() == Some(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// `s` as a TOML string, quoted and escaped.
fn toml_text(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Refuses a year no report can be for.
fn check_year(year: u32) -> Result<()> {
    if !REPORT_YEARS.contains(&year) {
        bail!(
            "年度 {year} 不对：年度报告的年度应当在 {} 到 {} 之间，例如 `gongkai new report 2024`",
            REPORT_YEARS.start(),
            REPORT_YEARS.end()
        );
    }
    Ok(())
}

/// Refuses an agency name that cannot stand on one line of the files written.
fn check_agency(agency: &str) -> Result<()> {
    if agency.trim().is_empty() {
        bail!("机关名称不能为空：用 --agency 写上机关全称");
    }
    if let Some(c) = agency
        .chars()
        .find(|c| c.is_control() || crate::strict::is_control(*c))
    {
        bail!(
            "机关名称中有换行或控制字符 {}：机关名称应当写在一行里",
            crate::strict::code_point(c)
        );
    }
    Ok(())
}

/// Writes a new minimal site into `dir`, which must be empty or absent.
pub fn init(dir: &Path, agency: &str, year: u32) -> Result<()> {
    check_agency(agency)?;
    check_year(year)?;
    // The sample news item is dated the year after, when the report is published.
    if !crate::content::YEARS.contains(&(year + 1)) {
        bail!(
            "年度 {year} 不对：新网站的第一份年度报告最晚是 {} 年的",
            crate::content::YEARS.end() - 1
        );
    }
    if dir.exists() && crate::fs::read_dir(dir)?.next().is_some() {
        bail!(
            "{} 不是空文件夹；为了不覆盖已有文件，请指定一个新的文件夹",
            dir.display()
        );
    }
    for sub in ["content/reports", "content/news", "content/disclosure"] {
        crate::fs::create_dir_all(&dir.join(sub))?;
    }
    let agency_toml = toml_text(agency);
    let site = INIT_SITE.replace("{agency}", &agency_toml)
        + &crate::catalogue::national::site_toml_block()
        + &crate::catalogue::national::application_block(&agency_toml);
    crate::fs::write(&dir.join("site.toml"), site)?;
    crate::fs::write(
        &dir.join(format!("content/reports/{year}.yaml")),
        report_skeleton(crate::report::type_for_year(year), year, agency),
    )?;
    crate::fs::write(
        &dir.join("content/news/网站开通.md"),
        INIT_NEWS.replace("{year}", &(year + 1).to_string()),
    )?;
    crate::fs::write(&dir.join(".gitignore"), "/public\n")?;
    Ok(())
}

/// Writes `content/reports/YEAR.yaml` for the site at `root`, never over an existing file;
/// the agency's name comes from site.toml when it can be read.
pub fn new_report(root: &Path, year: u32) -> Result<PathBuf> {
    check_year(year)?;
    let path = root.join("content/reports").join(format!("{year}.yaml"));
    if path.exists() {
        bail!("{} 已经存在，没有覆盖", path.display());
    }
    let mut ignored = crate::diagnostics::Diagnostics::new();
    let agency = crate::config::Config::load(root, &mut ignored)
        .map(|c| c.agency.name)
        .unwrap_or_default();
    crate::fs::create_dir_all(path.parent().unwrap_or(root))?;
    crate::fs::write(
        &path,
        report_skeleton(crate::report::type_for_year(year), year, &agency),
    )?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;
    use crate::report::load::load_report;

    #[test]
    fn the_skeleton_loads_cleanly_with_every_row() {
        let text = report_skeleton(&crate::report::national::NATIONAL_2021, 2024, "某市某局");
        let mut d = Diagnostics::new();
        let r = load_report(&text, "2024.yaml", &mut d).report.unwrap();
        assert!(
            d.is_empty(),
            "{:?}",
            d.iter().map(|x| x.to_string()).collect::<Vec<_>>()
        );
        assert_eq!(r.table("applications").unwrap().cells.len(), 24 * 6);
        assert!(crate::report::rules::check_report(&r).is_empty());
    }

    #[test]
    fn every_report_type_has_a_skeleton_that_loads_as_that_type() {
        for kind in crate::report::TYPES {
            let year = kind.years.0;
            let text = report_skeleton(kind, year, "某县某局");
            let mut d = Diagnostics::new();
            let r = load_report(&text, "r.yaml", &mut d).report.unwrap();
            let errs: Vec<String> = d.iter().map(|x| x.to_string()).collect();
            assert!(errs.is_empty(), "{}: {errs:?}", kind.id);
            assert_eq!(r.kind.id, kind.id);
            assert!(text.contains(kind.basis));
            // Without `type:` the year alone picks the same type.
            let untyped: String = text
                .lines()
                .filter(|l| !l.starts_with("type:"))
                .map(|l| format!("{l}\n"))
                .collect();
            let r = load_report(&untyped, "r.yaml", &mut d).report.unwrap();
            assert_eq!(r.kind.id, kind.id);
        }
    }
}
