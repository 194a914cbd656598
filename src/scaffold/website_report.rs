//! `gongkai new website-report YYYY`: the skeleton of a 政府网站工作年度报表, made from
//! the form, so that it lists every field the editor types and says which ones the site
//! computes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::model::website_report::form::{FORM, Field, Kind, Section, Source};
use crate::model::website_report::{SECTION, kind_words};

/// The name a skeleton writes a field under: its label, or with its group when another
/// field of the section has the same label (微博信息发布量, 微信信息发布量).
fn written_name(s: &Section, f: &Field) -> String {
    let shared = s.fields.iter().filter(|x| x.label == f.label).count() > 1;
    match f.group {
        Some(g) if shared => format!("{g}{}", f.label),
        _ => f.label.to_string(),
    }
}

/// A commented skeleton of the 报表 of `year` for the site called `site`, a draft.
pub fn skeleton(year: u32, site: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {site}{year}年政府网站工作年度报表（{}）。",
        FORM.basis
    );
    s.push_str(
        "# 标着“由网站统计”的各项不用填写：网站按本年度已发布的内容和 site.toml 自动统计，\n",
    );
    s.push_str("# 写了就要与统计的一致。其余各项都要填写：没有发生的写 0，是否类写“是”或“否”。\n");
    s.push_str("# 运行 `gongkai check` 检查；报表要在次年 1 月 31 日前发布，发布后显示在首页显著位置。\n\n");
    let _ = writeln!(s, "year: {year}");
    s.push_str(
        "draft: true   # 草稿，不会发布：填写完成、运行 gongkai check 没有错误后，删去这一行\n",
    );
    let _ = writeln!(
        s,
        "published: {}-01-20   # 发布日期（最晚 {}-01-31）",
        year + 1,
        year + 1
    );
    for sec in FORM.sections {
        let _ = writeln!(s, "\n{}:", sec.title);
        let mut group = None;
        for f in sec.fields {
            if f.group != group {
                group = f.group;
                if let Some(g) = group {
                    let _ = writeln!(s, "  # {g}");
                }
            }
            let name = written_name(sec, f);
            let unit = f.unit.map_or(String::new(), |u| format!("（单位：{u}）"));
            match f.source {
                Source::Known(_) => {
                    let _ = writeln!(s, "  # {name}：由网站统计{unit}");
                }
                Source::Sum(_) => {
                    let _ = writeln!(s, "  # {name}：由各分项自动合计{unit}");
                }
                Source::Typed => {
                    let what = match f.kind {
                        Kind::Choice(options) => options.join(" 或 "),
                        Kind::Date => format!("{}-01-20 这样的日期", year + 1),
                        k => kind_words(k),
                    };
                    let optional = if f.required { "" } else { "，可以不填" };
                    let _ = writeln!(s, "  {name}:    # {what}{unit}{optional}");
                }
            }
        }
    }
    s
}

/// What `gongkai new website-report` did.
pub enum NewWebsiteReport {
    Written(PathBuf),
    /// The file was there already: left as it is.
    Exists(PathBuf),
}

/// Writes `content/website-reports/YEAR.yaml` for the site at `root`, never over an
/// existing file; the site's name comes from site.toml.
pub fn new_website_report(root: &Path, year: u32) -> Result<NewWebsiteReport> {
    super::check_year(year)?;
    let dir = root.join("content").join(SECTION);
    let path = dir.join(format!("{year}.yaml"));
    if path.exists() {
        return Ok(NewWebsiteReport::Exists(path));
    }
    let mut ignored = crate::ground::diagnostics::Diagnostics::new();
    let site = crate::config::Config::load(root, &mut ignored)
        .map(|c| c.title)
        .unwrap_or_default();
    crate::ground::fs::create_dir_all(&dir)?;
    crate::ground::fs::write(&path, skeleton(year, &site))?;
    Ok(NewWebsiteReport::Written(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_skeleton_names_every_typed_field_and_loads_as_a_draft() {
        let text = skeleton(2025, "某县人民政府办公室网站");
        let mut d = crate::ground::diagnostics::Diagnostics::new();
        let r = crate::model::website_report::load::load(&text, "2025.yaml", &mut d).unwrap();
        assert!(r.draft && r.year == 2025);
        let codes: Vec<&str> = d.iter().map(|x| x.code.as_ref()).collect();
        assert!(
            codes.iter().all(|c| *c == "website-report-blank"),
            "only blanks are reported: {d:?}"
        );
        for sec in FORM.sections {
            for f in sec.fields {
                assert!(text.contains(&written_name(sec, f)), "{}", f.label);
            }
        }
        let filled = text
            .lines()
            .map(|l| match l.split_once(":    # ") {
                Some((k, what)) if what.starts_with("不小于") => format!("{k}: 0"),
                Some((k, what)) if what.starts_with("“是”") => format!("{k}: 否"),
                Some((k, what)) if what.contains("门户") => format!("{k}: 部门网站"),
                Some((k, what)) if what.contains("日期") => format!("{k}: 2026-01-20"),
                Some((k, _)) if !k.contains("其他") => format!("{k}: 示例"),
                _ => l.replace("draft: true", "draft: false"),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut d = crate::ground::diagnostics::Diagnostics::new();
        crate::model::website_report::load::load(&filled, "2025.yaml", &mut d).unwrap();
        assert!(d.is_empty(), "{d:?}");
    }
}
