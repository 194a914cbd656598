//! Every internal link of the rendered pages must lead to a file of the output. Pages
//! are read with a real HTML tokenizer (html5ever's), so a theme's single-quoted or
//! unquoted attributes, entities and comments are read as a browser reads them.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use super::plan::Spec;
use crate::config::paths;
use crate::ground::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::model::site::Site;
use crate::output::{Body, OutFile};

/// The files an output holds, by path. Every link of every page is looked up in it: a
/// hash set, as the link check of a 10,000-item site makes half a million lookups.
pub(crate) type Have<'a> = rustc_hash::FxHashSet<&'a str>;

/// The pages that were rendered, for naming where a broken link came from.
pub(super) struct Pages<'a> {
    pub specs: &'a [Spec],
    pub paths: &'a [String],
}

/// Checks every `href` and `src` of the HTML files among `files` that points into the
/// site against `have`, the files the output holds. `pages` says what made the pages of
/// `files` (for blaming a content file); `nav_broken` are the navigation's broken links,
/// reported once by [`check_nav`].
pub(super) fn check_pages(
    site: &Site,
    base_path: &str,
    files: &[OutFile],
    have: &Have,
    pages: &Pages,
    nav_broken: &BTreeSet<String>,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let by_path: HashMap<String, &Spec> = pages
        .specs
        .iter()
        .zip(pages.paths)
        .map(|(s, p)| (paths::page_file(p), s))
        .collect();
    // Pages are read in parallel; the rare broken links are reported in page order.
    let found: Vec<(&OutFile, BTreeSet<String>)> = files
        .par_iter()
        .filter_map(|f| {
            let Body::Bytes(bytes) = &f.body else {
                return None;
            };
            if !f.path.ends_with(".html") {
                return None;
            }
            let broken = broken_links(&crate::ground::text::utf8(bytes), &f.path, base_path, have);
            (!broken.is_empty()).then_some((f, broken))
        })
        .collect();
    for (f, broken) in found {
        // A navigation link is on every page: it was reported once, at its line.
        for link in broken.difference(nav_broken) {
            diags.push(blame(
                site,
                base_path,
                by_path.get(&f.path).copied(),
                f,
                link,
            ));
        }
    }
    diags
}

/// The links of site.toml's `[[nav]]` into the site that lead nowhere: one error each, at
/// its line, and the links as pages print them (to be left out of the pages' reports).
pub(super) fn check_nav(
    site: &Site,
    base_path: &str,
    have: &Have,
) -> (Diagnostics, BTreeSet<String>) {
    let mut diags = Diagnostics::new();
    let mut broken = BTreeSet::new();
    for (i, n) in site.config.nav.iter().enumerate() {
        let Some(rel) = n.url.strip_prefix('/').filter(|_| !n.url.starts_with("//")) else {
            continue;
        };
        let link = format!("{base_path}{rel}");
        if !leads_nowhere(&link, base_path, have) {
            continue;
        }
        let index = i.to_string();
        diags.push(
            Diagnostic::error(
                "broken-link",
                crate::config::CONFIG_FILE,
                format!("导航“{}”的链接 {} 指向不存在的页面", n.title, n.url),
            )
            .at(site
                .config
                .source
                .pos_alt(&[&["nav"], &[index.as_str()], &["url"]]))
            .help(nav_help(site)),
        );
        broken.insert(paths::decode(&link));
    }
    (diags, broken)
}

/// What a navigation link can lead to: the column pages the site has.
fn nav_help(site: &Site) -> String {
    let mut known = vec![
        "/".to_string(),
        format!("/{}", site.config.paths.news_list()),
        format!("/{}", site.config.paths.disclosure()),
        format!("/{}", site.config.paths.catalogue()),
        format!("/{}", site.config.paths.reports()),
        format!("/{}", paths::ARCHIVE),
    ];
    if site.config.application.is_some() {
        known.push(format!("/{}", site.config.paths.application()));
    }
    known.extend(
        site.config
            .columns
            .iter()
            .map(|c| format!("/{}", site.config.paths.column(&c.slug()))),
    );
    format!(
        "改成本站已有页面的地址，例如：{}；新闻栏目要先在 site.toml 的 [[columns]] 中定义。",
        known.join("、")
    )
}

/// The error for a broken link: at the content file that wrote it when it came from
/// content, else on the template that made the page.
fn blame(site: &Site, base_path: &str, spec: Option<&Spec>, f: &OutFile, link: &str) -> Diagnostic {
    let (file, links): (String, &[String]) = match spec {
        Some(Spec::News(i)) => (site.news[*i].file.clone(), &site.news[*i].links),
        Some(Spec::DisclosureItem(i)) => {
            (site.disclosure[*i].file.clone(), &site.disclosure[*i].links)
        }
        Some(Spec::Report(i)) => (site.reports[*i].file.clone(), &[]),
        Some(Spec::Service(i)) => (site.services[*i].file.clone(), &site.services[*i].links),
        Some(Spec::Leader(i)) => (site.leaders[*i].file.clone(), &site.leaders[*i].links),
        Some(Spec::Organization) => site
            .organization
            .as_ref()
            .map_or((String::new(), &[][..]), |o| (o.file.clone(), &o.links)),
        _ => (String::new(), &[]),
    };
    let from_content = links
        .iter()
        .any(|l| link.ends_with(l.as_str()) || link == *l)
        || matches!(spec, Some(Spec::Report(_)));
    if from_content && !file.is_empty() {
        let pos = line_of(&site.root.join(&file), link, base_path);
        let help = if link.starts_with('/') {
            "检查链接地址的拼写；以 / 开头的地址指向网站根目录，文件要放在 static/ 里（如 static/images/a.jpg 写成 /images/a.jpg）。".to_string()
        } else {
            let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
            format!(
                "把 {link} 放在 {dir}/ 文件夹里，与 {file} 在一起（文件名要完全一致，包括扩展名），它会和页面一起发布；链接其他文章请写它的网址，如 /news/2024/标题/。"
            )
        };
        Diagnostic::error(
            "broken-link",
            file,
            format!("链接指向不存在的页面或文件：{link}"),
        )
        .at(pos)
        .help(help)
    } else {
        Diagnostic::error(
            "broken-link",
            format!("(模板) 页面 /{}", f.path),
            format!("链接指向不存在的页面或文件：{link}"),
        )
        .help("检查模板或 site.toml 中 nav 的链接地址。")
    }
}

/// The links of the page written to `page` (`news/2024/a/index.html`) into the site that
/// lead to no file of it: root-relative ones (`/wb/zwgk/`) and ones relative to the page
/// (`会议现场.png`, `../b/`).
pub(crate) fn broken_links(
    html: &str,
    page: &str,
    base_path: &str,
    have: &Have,
) -> BTreeSet<String> {
    let mut broken = BTreeSet::new();
    let page_url = url::Url::parse("http://site/")
        .and_then(|u| u.join(&format!("{base_path}{page}")))
        .ok();
    for link in crate::ground::html::links(html) {
        if crate::ground::html::is_external(&link) {
            continue;
        }
        let resolved = if link.starts_with('/') {
            Cow::Borrowed(link.as_str())
        } else {
            match page_url.as_ref().and_then(|u| u.join(link.trim()).ok()) {
                Some(u) => Cow::Owned(u.path().to_string()),
                None => continue,
            }
        };
        let Some(local) = resolved.strip_prefix(base_path) else {
            continue;
        };
        if !is_there(local, have) {
            broken.insert(paths::decode(&link));
        }
    }
    broken
}

/// Whether `link` points into the site (under `base_path`) at no file of `have`.
fn leads_nowhere(link: &str, base_path: &str, have: &Have) -> bool {
    let Some(local) = link.strip_prefix(base_path) else {
        return false;
    };
    if link.starts_with("//") {
        return false;
    }
    !is_there(local, have)
}

/// Whether the file a link's `local` path (under the base path, with its query or
/// fragment) names is in `have`: the file itself, or a folder's `index.html`.
fn is_there(local: &str, have: &Have) -> bool {
    let local = local.split(['#', '?']).next().unwrap_or("");
    let local = paths::decoded(local);
    let index = |sep: &str| have.contains([&*local, sep, "index.html"].concat().as_str());
    if local.is_empty() || local.ends_with('/') {
        index("")
    } else {
        have.contains(&*local) || index("/")
    }
}

/// Where in a source file a link was written.
fn line_of(file: &std::path::Path, link: &str, base_path: &str) -> Option<Pos> {
    let text = crate::input::text_file::read(file).ok()?;
    let written = if base_path != "/" {
        link.strip_prefix(base_path.trim_end_matches('/'))
            .unwrap_or(link)
    } else {
        link
    };
    text.find(&format!("({written}"))
        .map(|off| off + 1)
        .or_else(|| text.find(written))
        .map(|off| Pos::of_offset(&text, off))
}
