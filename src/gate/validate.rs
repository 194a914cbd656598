//! Checks that need the whole site: report rules and years, output collisions, and the
//! catalogue's checks across items (duplicate 索引号, references between items).
//! (Links are checked on the rendered pages, in `render`.)

use std::collections::BTreeMap;

use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::model::catalogue::check::check_site;
use crate::model::catalogue::relations::Relations;
use crate::model::report::rules;
use crate::model::site::Site;

/// Every site-level problem, as diagnostics.
pub fn validate(site: &Site) -> Diagnostics {
    let mut d = Diagnostics::new();
    let mut by_year: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for r in &site.reports {
        by_year.entry(r.year).or_default().push(&r.file);
        let findings = rules::check_report(r);
        rules::diagnostics(r, &findings, false, &mut d);
    }
    for (year, files) in &by_year {
        if files.len() > 1 {
            for f in &files[1..] {
                d.push(
                    Diagnostic::error(
                        "duplicate-year",
                        *f,
                        format!("{year} 年的年度报告有不止一份：{}", files.join("、")),
                    )
                    .help("每个年度只保留一个报告文件，删除或改正多余的那个的 year。"),
                );
            }
        }
    }
    // Reports are newest first: compare each with the one of the year before.
    for pair in site.reports.windows(2) {
        let (this, prev) = (&pair[0], &pair[1]);
        if this.year == prev.year + 1 {
            let findings = rules::check_years(prev, this);
            rules::diagnostics(this, &findings, true, &mut d);
        }
    }
    let mut paths: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for n in &site.news {
        paths.entry(&n.path).or_default().push(&n.file);
    }
    for x in &site.disclosure {
        paths.entry(&x.path).or_default().push(&x.file);
    }
    for x in &site.services {
        paths.entry(&x.path).or_default().push(&x.file);
    }
    for l in &site.leaders {
        paths.entry(&l.path).or_default().push(&l.file);
    }
    for (path, files) in paths {
        if files.len() > 1 {
            for f in &files {
                d.push(
                    Diagnostic::error(
                        "duplicate-url",
                        *f,
                        format!("多个文件会发布到同一个网址 /{path}：{}", files.join("、")),
                    )
                    .help("改一个文件的文件名，或在前置信息中写不同的 slug。"),
                );
            }
        }
    }
    let reserved = site.config.paths.reserved_in_disclosure();
    for x in &site.disclosure {
        if reserved.contains(&x.path) {
            d.push(
                Diagnostic::error(
                    "duplicate-url",
                    &x.file,
                    format!(
                        "网址 /{} 留给网站自己的页面（年度报告、分页、分类、公开目录、依申请公开）",
                        x.path
                    ),
                )
                .help("给这个文件换一个文件名或 slug。"),
            );
        }
    }
    let relations = Relations::resolve_with(&site.disclosure, &site.unreadable);
    d.extend(check_site(&site.disclosure, &relations, &site.catalogue));
    website(site, &mut d);
    d.extend(super::names::check(site));
    d
}

/// One 报表 a year, and the 政务新媒体 QR pictures where site.toml says they are.
fn website(site: &Site, d: &mut Diagnostics) {
    let mut by_year: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for r in &site.website_reports {
        by_year.entry(r.year).or_default().push(&r.file);
    }
    for (year, files) in &by_year {
        for f in files.iter().skip(1) {
            d.push(
                Diagnostic::error(
                    "duplicate-year",
                    *f,
                    format!("{year} 年的网站年度报表有不止一份：{}", files.join("、")),
                )
                .help("每个年度只保留一个报表文件，删除或改正多余的那个的 year。"),
            );
        }
    }
    let have: std::collections::BTreeSet<&str> =
        site.static_files.iter().map(|f| f.path.as_str()).collect();
    for (i, m) in site.config.media.iter().enumerate() {
        let Some(qr) = &m.qr else { continue };
        if have.contains(qr.trim_start_matches('/')) {
            continue;
        }
        d.push(
            Diagnostic::error(
                "media",
                crate::config::CONFIG_FILE,
                format!("政务新媒体“{}”的二维码图片 static/{} 不存在", m.name, qr.trim_start_matches('/')),
            )
            .at(site.config.source.pos_alt(&[
                &["media", "政务新媒体"],
                &[i.to_string().as_str()],
                &["qr", "二维码"],
            ]))
            .help("把二维码图片放进网站的 static 文件夹，qr 写它在 static 下的路径，如 qr = \"media/weixin.png\"。"),
        );
    }
}
