//! A site that works opened from disk (`file://`), on an intranet share or a USB stick:
//! every link into the site, in every written page, relative to that page, and folder
//! links ending in `index.html` (a browser shows a folder's listing, not its index, from
//! disk). Pages are rewritten with a streaming HTML rewriter (lol_html), so templates,
//! content and a site's own theme are all covered.
//!
//! The search index and the catalogue's data are also written as scripts (`search/p/3.js`
//! beside `search/p/3.json`, `catalogue.js` beside `catalogue.json`): browsers refuse
//! `fetch` from `file://`, but load scripts.

use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str, text};
use rayon::prelude::*;

use crate::output::{Body, OutFile};

/// What does not work when the site is opened from disk, for the build to say.
pub const OFFLINE_LIMITS: &[&str] = &[
    "订阅（atom.xml）和 sitemap.xml 中的网址要用正式网址（base_url），离线打开时不起作用；",
    "指向其他网站的链接和网页中的外部地址需要联网；",
    "404 页面只在网站服务器上起作用；",
    "站内搜索和公开目录的筛选、排序在 Chrome、Edge、Firefox 中可以用（数据从本地文件读取），少数浏览器禁止网页读取本地文件时不能用。",
];

/// Rewrites the HTML files among `files` (whose links start with `base_path`) to
/// relative links, and adds the script twins of the search index and of the catalogue's
/// data (`catalogue_json`, its path).
pub(crate) fn make_relative(files: &mut Vec<OutFile>, base_path: &str, catalogue_json: &str) {
    files.par_iter_mut().for_each(|f| {
        if !f.path.ends_with(".html") {
            return;
        }
        let Body::Bytes(bytes) = &f.body else {
            return;
        };
        let html = crate::ground::text::utf8(bytes);
        if let Some(out) = rewrite_page(&html, &f.path, base_path) {
            f.body = Body::Bytes(out.into_bytes());
        }
    });
    let scripts: Vec<OutFile> = files
        .iter()
        .filter_map(|f| {
            let Body::Bytes(json) = &f.body else {
                return None;
            };
            let path = script_twin(&f.path, catalogue_json)?;
            let mut js = if f.path == catalogue_json {
                b"gongkaiCatalogueData(".to_vec()
            } else {
                let name = f.path.strip_prefix("search/")?;
                format!("gongkaiSearchData(\"{name}\",").into_bytes()
            };
            js.extend_from_slice(json);
            js.extend_from_slice(b");\n");
            Some(OutFile {
                path,
                body: Body::Bytes(js),
            })
        })
        .collect();
    files.extend(scripts);
    files.sort_by(|a, b| a.path.cmp(&b.path));
}

/// The script twin written beside a data file (`search/p/3.json` → `search/p/3.js`, the
/// catalogue's data `catalogue_json` → its `.js`) for pages opened from disk, which may
/// not fetch files; `None` for other files.
pub(crate) fn script_twin(path: &str, catalogue_json: &str) -> Option<String> {
    let data = path == catalogue_json || path.starts_with("search/");
    let stem = path.strip_suffix(".json").filter(|_| data)?;
    Some(format!("{stem}.js"))
}

/// The data file whose script twin is `path`, if it is one ([`script_twin`]).
pub(crate) fn twin_of(path: &str, catalogue_json: &str) -> Option<String> {
    let data = format!("{}.json", path.strip_suffix(".js")?);
    (script_twin(&data, catalogue_json).as_deref() == Some(path)).then_some(data)
}

/// The link `link` of the page written to `page`, relative to it; `None` when it does
/// not lead into the site. `folder` links (a base for scripts) get no `index.html`.
pub fn relative_link(link: &str, page: &str, base_path: &str, folder: bool) -> Option<String> {
    if link.starts_with("//") {
        return None;
    }
    let local = link
        .strip_prefix(base_path)
        .or_else(|| (link == base_path.trim_end_matches('/') && !link.is_empty()).then_some(""))?;
    let cut = local.find(['?', '#']).unwrap_or(local.len());
    let (path, rest) = local.split_at(cut);
    let up = "../".repeat(page.matches('/').count());
    let index = if !folder && (path.is_empty() || path.ends_with('/')) {
        "index.html"
    } else {
        ""
    };
    let mut out = format!("{up}{path}{index}{rest}");
    if out.is_empty() {
        out = "./".into();
    }
    Some(out)
}

fn rewrite_page(html: &str, page: &str, base_path: &str) -> Option<String> {
    let attrs: &[(&str, bool)] = &[
        ("href", false),
        ("src", false),
        ("action", false),
        ("poster", false),
        ("data-src", false),
        ("data-index", true),
        ("data-base", true),
    ];
    // What `<noscript>` holds is text to the rewriter (as to a browser that runs
    // scripts): its links are rewritten as a page of their own.
    let mut held = String::new();
    let noscript = text!("noscript", |t| {
        held.push_str(t.as_str());
        if t.last_in_text_node() {
            let inner = rewrite_page(&held, page, base_path).unwrap_or_else(|| held.clone());
            t.replace(&inner, ContentType::Html);
            held.clear();
        } else {
            t.remove();
        }
        Ok(())
    });
    let handler = element!(
        "[href], [src], [action], [poster], [data-src], [data-index], [data-base]",
        |el| {
            for (name, folder) in attrs {
                if let Some(v) = el.get_attribute(name)
                    && let Some(rel) = relative_link(&v, page, base_path, *folder)
                {
                    el.set_attribute(name, &rel)?;
                }
            }
            Ok(())
        }
    );
    rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(handler)
            .append_element_content_handler(noscript),
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_relative_to_their_page_and_folders_name_their_index() {
        let r = |l: &str, page: &str| relative_link(l, page, "/", false);
        assert_eq!(r("/", "index.html").as_deref(), Some("index.html"));
        assert_eq!(
            r("/news/", "index.html").as_deref(),
            Some("news/index.html")
        );
        assert_eq!(
            r("/assets/a.css", "news/2024/签证/index.html").as_deref(),
            Some("../../../assets/a.css")
        );
        assert_eq!(
            r("/zwgk/ndbg/2024/#h-downloads", "zwgk/index.html").as_deref(),
            Some("../zwgk/ndbg/2024/index.html#h-downloads")
        );
        assert_eq!(r("https://x.gov.cn/", "index.html"), None);
        assert_eq!(r("//cdn/x.js", "index.html"), None);
        assert_eq!(
            relative_link("/wb/news/", "a/index.html", "/wb/", false).as_deref(),
            Some("../news/index.html")
        );
        assert_eq!(
            relative_link("/", "search/index.html", "/", true).as_deref(),
            Some("../")
        );
    }

    #[test]
    fn pages_keep_everything_but_their_links() {
        let html = "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"/assets/a.css\"></head><body><script>var s='<a href=\"/x/\">';</script><a href='/news/'>新闻</a><form action=\"/search/\"></form><a href=\"https://x.cn/\">外</a></body></html>";
        let out = rewrite_page(html, "zwgk/index.html", "/").unwrap();
        assert_eq!(
            out,
            "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"../assets/a.css\"></head><body><script>var s='<a href=\"/x/\">';</script><a href=\"../news/index.html\">新闻</a><form action=\"../search/index.html\"></form><a href=\"https://x.cn/\">外</a></body></html>"
        );
    }
}
