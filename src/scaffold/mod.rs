//! `gongkai init`, `gongkai new report` and `gongkai new news`: files an editor starts
//! from (`new item`, which needs the catalogue, is in [`item`]).
//! The report skeleton is generated from the report type, so it always lists every
//! row and column of the template.

pub mod item;
pub mod website_report;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::model::report::schema::{CellKind, ReportType, RowDef, RuleKind, SectionContent};
use crate::model::report::{REPORT_YEARS, Report};

/// A commented report skeleton for `year`, a draft, every figure zero except the rows
/// carried over from `prev` (the report of the year before: its 结转下年度 is this
/// year's 上年结转).
pub fn report_skeleton(
    kind: &ReportType,
    year: u32,
    agency: &str,
    prev: Option<&Report>,
) -> String {
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
    s.push_str(
        "draft: true   # 草稿，不会发布：填写完成、运行 gongkai check 没有错误后，删去这一行\n",
    );
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
                let _ = writeln!(
                    s,
                    "{}: |\n  {}\n",
                    sec.key,
                    crate::input::placeholder::report_text(sec.hint)
                );
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
                    let value = |row: &str| {
                        let carried = carried_over(kind, prev, sec.key, row);
                        let figures: Vec<String> = cols
                            .iter()
                            .map(|c| match &carried {
                                Some(p) => p.count(kind, carried_row(kind, row), c.key).to_string(),
                                None => zero(c.kind).to_string(),
                            })
                            .collect();
                        if figures.len() == 1 {
                            figures[0].clone()
                        } else {
                            format!("[{}]", figures.join(", "))
                        }
                    };
                    write_rows(&mut s, block.rows, 1, &value, &|r| {
                        totals.iter().any(|(t, row, _)| *t == sec.key && *row == r)
                    });
                }
                s.push('\n');
            }
        }
    }
    s.push_str("# 照已发布的原件录入往年报告、某条规则在原件中就不成立时，才写明真实原因确认（页面上会显示说明）：\n");
    s.push_str(
        "# acknowledged:\n#   - rule: T3-A\n#     reason: 原报告发布时即如此，照原样保留\n\n",
    );
    s.push_str("# 报告的附件（如盖章扫描件），文件放在本文件旁边或同名年份文件夹中：\n");
    s.push_str("# attachments:\n#   - file: 报告原件.pdf\n#     title: 报告原件（盖章版）\n");
    s
}

/// The table of the year before, when `row` of `table` carries its figures over (the
/// cross-year rule).
fn carried_over<'a>(
    kind: &ReportType,
    prev: Option<&'a Report>,
    table: &str,
    row: &str,
) -> Option<&'a crate::model::report::TableData> {
    let carries = kind.rules.iter().any(|r| {
        r.table == table && matches!(r.kind, RuleKind::CrossYear { this, .. } if this == row)
    });
    carries.then(|| prev?.table(table)).flatten()
}

/// The row of the year before that `row` carries over.
fn carried_row(kind: &ReportType, row: &str) -> &'static str {
    kind.rules
        .iter()
        .find_map(|r| match r.kind {
            RuleKind::CrossYear { this, prev } if this == row => Some(prev),
            _ => None,
        })
        .unwrap_or("")
}

fn write_rows(
    s: &mut String,
    rows: &[RowDef],
    depth: usize,
    value: &dyn Fn(&str) -> String,
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
                let _ = writeln!(
                    s,
                    "{pad}# {key}: {}   # {label}（自动计算，可不写）",
                    value(key)
                );
            }
            RowDef::Row { key, label, .. } => {
                let _ = writeln!(s, "{pad}{key}: {}   # {label}", value(key));
            }
        }
    }
}

const INIT_SITE: &str = r#"# 网站配置。每一项的说明见使用指南（docs/使用指南.md）。
# 键可以写英文名，也可以写中文名（中文键名要加英文双引号，如 "标题" = "…"）。
title = {agency}
# 网站的正式网址。上线前改成真实地址；只在本机、内网或 U 盘上查看，用 gongkai build --relative。
base_url = "https://www.example.gov.cn/"

[agency]
name = {agency}
sponsor = {agency}          # 主办单位
address = ""                  # 地址
phone = ""                    # 电话
site_code = ""                # 网站标识码；填了之后每页页脚有“我为政府网站找错”的入口
icp = ""                      # ICP备案号，如 鲁ICP备05002386号
police_record = ""            # 公安机关备案号，如 鲁公网安备 37100202000123号
# 党政机关网站标识：开办时取得的标识图片放在 static/ 下（如 static/images/dzjg.png），
# 写它的路径和标识的核验链接，页脚左侧就显示它。gongkai 不附带标识图片，只能用本机关自己的。
# mark_image = "images/dzjg.png"
# mark_url = "https://bszs.conac.cn/sitename?method=show&id=……"

[paths]
# 网址风格："pinyin"（拼音，如 /news/2024/hui-yi-tong-zhi/）、"dated"（日期编号，如
# /news/2024/t20241220_001/）或 "chinese"（中文文件名）。
style = "pinyin"
news = "news"                 # 新闻的文件夹
disclosure = "zwgk"           # 政府信息公开栏目的文件夹

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

# 互动交流（检查指标单项否决“互动回应差”：没有咨询建言渠道）：写本机关在统一互动交流平台上的
# 信箱、留言、征集调查或访谈的名称和网址，它们显示在导航和页脚；答复过的留言放在 content/messages/。
# [interaction]
# unified = true                # 使用统一平台
# [[interaction.channels]]
# name = "部门信箱"
# url = "https://……"

# 办事服务（单项否决“服务不实用”）：本省政务服务网的网址；办事指南放在 content/services/。
# [services]
# portal = "https://……"
# portal_name = "某省政务服务网"

# 政务新媒体：每个账号一段，二维码图片放在 static/ 下。
# [[media]]
# name = "某县发布"
# platform = "微信公众号"
# qr = "media/weixin.png"

# 发布前检查（检查指标）。个人信息一律拦下：正文、附件或年度报告中有未遮盖的身份证号、
# 手机号或银行卡号时，gongkai build 不会生成网站，deploy 不会上传（《政府信息公开条例》
# 第十五条，《个人信息保护法》第二十八条）。确属应当公开的号码（如单位的公开电话），
# 写在那条信息前置信息的 allow_numbers 中，或写在下面的 allow_numbers 中；
# 不要把这几项改成 "warning" 或 "off"，除非保密审查另有规定。
[compliance.privacy]
allow_numbers = []

[compliance.levels]
"privacy.id-card" = "error"     # 身份证号：拦下（默认）
"privacy.mobile" = "error"      # 手机号：拦下（默认）
"privacy.bank-card" = "error"   # 银行卡号：拦下（默认）

# 审核签发（先审后发、三审三校）。改成 true 后，每条新闻、公开信息和年度报告都要在
# 前置信息中写明 review（撰稿、审核、保密审查、签发、签发日期），没写全的不发布，
# gongkai check 列出每条还在等谁。
[review]
required = false
"#;

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
pub(crate) fn check_year(year: u32) -> Result<()> {
    if !REPORT_YEARS.contains(&year) {
        bail!(
            "年度 {year} 不对：年度报告的年度应当在 {} 到 {} 之间，例如 `gongkai new report 2024`",
            REPORT_YEARS.start(),
            REPORT_YEARS.end()
        );
    }
    Ok(())
}

/// Refuses to write a report into a folder that is not a site: a report made there would
/// carry no agency's name and never be built.
pub(crate) fn check_site(root: &Path) -> Result<()> {
    let config = root.join(crate::config::CONFIG_FILE);
    if !config.is_file() {
        bail!(
            "{}没有 site.toml，不是网站文件夹，没有新建文件。请在网站文件夹中运行，或用 --root 指定网站文件夹；新建网站可运行 `gongkai init 文件夹`。",
            if root == Path::new(".") {
                "当前文件夹中".to_string()
            } else {
                format!("{} 中", root.display())
            }
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
        .find(|c| c.is_control() || crate::ground::text::is_control(*c))
    {
        bail!(
            "机关名称中有换行或控制字符 {}：机关名称应当写在一行里",
            crate::ground::text::code_point(c)
        );
    }
    Ok(())
}

/// Writes a new minimal site into `dir`, which must be empty or absent: site.toml, the
/// skeleton of the report of `year` and a sample news item, both drafts.
pub fn init(dir: &Path, agency: &str, year: u32) -> Result<()> {
    check_agency(agency)?;
    check_year(year)?;
    // The sample news item is dated the year after, when the report is published.
    if !crate::ground::date::YEARS.contains(&(year + 1)) {
        bail!(
            "年度 {year} 不对：新网站的第一份年度报告最晚是 {} 年的",
            crate::ground::date::YEARS.end() - 1
        );
    }
    if dir.exists() && crate::ground::fs::read_dir(dir)?.next().is_some() {
        bail!(
            "{} 不是空文件夹；为了不覆盖已有文件，请指定一个新的文件夹",
            dir.display()
        );
    }
    for sub in [
        "content/reports",
        "content/news",
        "content/disclosure",
        "static",
    ] {
        crate::ground::fs::create_dir_all(&dir.join(sub))?;
    }
    let agency_toml = toml_text(agency);
    let site = INIT_SITE.replace("{agency}", &agency_toml)
        + &crate::model::catalogue::national::site_toml_block()
        + &crate::model::catalogue::national::application_block(&agency_toml);
    crate::ground::fs::write(&dir.join("site.toml"), site)?;
    crate::ground::fs::write(
        &dir.join(format!("content/reports/{year}.yaml")),
        report_skeleton(
            crate::model::report::type_for_year(year),
            year,
            agency,
            None,
        ),
    )?;
    let date = format!("{}-01-01", year + 1);
    crate::ground::fs::write(
        &dir.join("content/news/网站开通.md"),
        news_skeleton(
            "网站开通",
            &date,
            Some("工作动态"),
            Some("wang-zhan-kai-tong"),
            crate::input::placeholder::SAMPLE_NEWS,
        ),
    )?;
    // The output, and what each build keeps beside it for the next (its record, the
    // pages' keys, the memo of the load: megabytes that belong to no commit).
    crate::ground::fs::write(&dir.join(".gitignore"), "/public\n/.public.*\n")?;
    Ok(())
}

/// What `gongkai new report` did.
pub enum NewReport {
    /// A skeleton was written; `carried` tells whether the year before gave its
    /// carried-over figures.
    Written { path: PathBuf, carried: bool },
    /// The file was there already (`gongkai init` writes the first one): left as it is.
    Exists(PathBuf),
}

/// Writes `content/reports/YEAR.yaml` for the site at `root`, never over an existing file;
/// the agency's name comes from site.toml, and the figures carried over from the report
/// of the year before, when they can be read.
pub fn new_report(root: &Path, year: u32) -> Result<NewReport> {
    check_year(year)?;
    check_site(root)?;
    let dir = root.join("content/reports");
    let path = dir.join(format!("{year}.yaml"));
    if path.exists() {
        return Ok(NewReport::Exists(path));
    }
    let mut ignored = crate::ground::diagnostics::Diagnostics::new();
    let agency = crate::config::Config::load(root, &mut ignored)
        .map(|c| c.agency.name)
        .unwrap_or_default();
    let prev = report_of(&dir, year - 1);
    crate::ground::fs::create_dir_all(&dir)?;
    crate::ground::fs::write(
        &path,
        report_skeleton(
            crate::model::report::type_for_year(year),
            year,
            &agency,
            prev.as_ref(),
        ),
    )?;
    Ok(NewReport::Written {
        path,
        carried: prev.is_some(),
    })
}

/// The report of `year` among the YAML files of `dir`, if one reads without errors.
fn report_of(dir: &Path, year: u32) -> Option<Report> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    files.into_iter().find_map(|p| {
        let text = std::fs::read_to_string(&p).ok()?;
        let mut d = crate::ground::diagnostics::Diagnostics::new();
        let r = crate::model::report::load::load_report(&text, "", &mut d).report?;
        (r.year == year && !d.has_errors()).then_some(r)
    })
}

/// The front matter and body of a new news item, a draft.
fn news_skeleton(
    title: &str,
    date: &str,
    column: Option<&str>,
    slug: Option<&str>,
    body: &str,
) -> String {
    let mut s = String::from("---\n");
    let _ = writeln!(s, "title: {}", yaml_text(title));
    let _ = writeln!(s, "date: {date}");
    if let Some(c) = column {
        let _ = writeln!(
            s,
            "category: {}   # 栏目：site.toml 中 [[columns]] 的 name",
            yaml_text(c)
        );
    }
    if let Some(slug) = slug {
        let _ = writeln!(s, "slug: {slug}   # 网址中的名称：改文件名时网址不变");
    }
    s.push_str("draft: true   # 草稿，不会发布：写好正文后删去这一行\n");
    s.push_str("# 附件：文件放在本文件旁边，再写\n# attachments:\n#   - file: 通知.pdf\n#     title: 通知全文（PDF）\n");
    s.push_str("# 图片：放在本文件旁边，正文中写 ![图片说明](图片.jpg)\n---\n\n");
    s.push_str(body);
    s.push('\n');
    s
}

/// Writes a new news item titled `title` for the site at `root`: a draft under
/// `content/news/YEAR/`, named after the title, in the first column unless `column`
/// names one. Returns its path.
pub fn new_news(
    root: &Path,
    title: &str,
    date: &crate::ground::date::Date,
    column: Option<&str>,
) -> Result<PathBuf> {
    let title = title.trim();
    if title.is_empty() {
        bail!("标题不能为空：gongkai new news \"标题\"");
    }
    let mut diags = crate::ground::diagnostics::Diagnostics::new();
    let Some(config) = crate::config::Config::load(root, &mut diags) else {
        bail!(
            "在 {} 找不到可用的 site.toml；请在网站文件夹中运行，或用 --root 指定",
            root.display()
        );
    };
    let column = match column {
        Some(c) => {
            if config.column(c).is_none() {
                let names: Vec<&str> = config.columns.iter().map(|c| c.name.as_str()).collect();
                bail!(
                    "site.toml 中没有名为“{c}”的栏目；已有的栏目：{}",
                    names.join("、")
                );
            }
            Some(c.to_string())
        }
        None => config.columns.first().map(|c| c.name.clone()),
    };
    let name = file_name(title, "新闻");
    let path = root
        .join("content/news")
        .join(date.year.to_string())
        .join(format!("{name}.md"));
    if path.exists() {
        bail!(
            "{} 已经存在，没有覆盖；换一个标题，或直接编辑它",
            path.display()
        );
    }
    let slug = (config.paths.style == crate::config::paths::Style::Pinyin)
        .then(|| config.paths.slug(title));
    crate::ground::fs::create_dir_all(path.parent().unwrap_or(root))?;
    crate::ground::fs::write(
        &path,
        news_skeleton(
            title,
            &date.ymd(),
            column.as_deref(),
            slug.as_deref(),
            crate::input::placeholder::NEWS_BODY,
        ),
    )?;
    Ok(path)
}

/// The longest file name (without `.md`) a new item is given, in bytes: 60 characters of
/// Chinese fit in it, and with the extension it stays under the 255 bytes of Linux file
/// systems and the 255 UTF-16 units of Windows' (a notice's title can be 90 characters).
const MAX_STEM_BYTES: usize = 200;

/// A file name for a title that every file system takes: the characters Windows refuses
/// become `-`, no dot or space at either end, not a name Windows reserves (`CON`,
/// `NUL` …), at most 60 characters and [`MAX_STEM_BYTES`]; `fallback` when nothing is
/// left.
fn file_name(title: &str, fallback: &str) -> String {
    let mut name = String::new();
    for c in title.trim().chars().take(60) {
        let c = if crate::ground::fs::WINDOWS_REFUSED.contains(&c) || c.is_control() {
            '-'
        } else {
            c
        };
        if name.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        name.push(c);
    }
    let mut name = name.trim_matches(['-', '.', ' ']).to_string();
    if name.is_empty() {
        return fallback.to_string();
    }
    if crate::ground::fs::windows_reserved(&name) {
        name.push('-');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::diagnostics::Diagnostics;
    use crate::model::report::load::load_report;

    #[test]
    fn file_names_keep_chinese_and_lose_what_file_systems_refuse() {
        let name = |t| file_name(t, "新信息");
        assert_eq!(name("关于印发《办法》的通知"), "关于印发《办法》的通知");
        assert_eq!(name("a/b:c?"), "a-b-c");
        assert_eq!(name("  "), "新信息");
        assert_eq!(name("con"), "con-");
        assert_eq!(name("NUL.txt"), "NUL.txt-");
        let long = "关于".repeat(100);
        assert!(name(&long).len() <= MAX_STEM_BYTES);
    }

    #[test]
    fn the_skeleton_loads_cleanly_with_every_row() {
        let text = report_skeleton(
            &crate::model::report::national::NATIONAL_2021,
            2024,
            "某市某局",
            None,
        );
        let mut d = Diagnostics::new();
        let r = load_report(&text, "2024.yaml", &mut d).report.unwrap();
        assert!(
            d.is_empty(),
            "{:?}",
            d.iter().map(|x| x.to_string()).collect::<Vec<_>>()
        );
        assert_eq!(r.table("applications").unwrap().cells.len(), 24 * 6);
        assert!(crate::model::report::rules::check_report(&r).is_empty());
    }

    #[test]
    fn every_report_type_has_a_skeleton_that_loads_as_that_type() {
        for kind in crate::model::report::TYPES {
            let year = kind.years.0;
            let text = report_skeleton(kind, year, "某县某局", None);
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
