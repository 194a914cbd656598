//! External links of the rendered pages: listed with the page that holds each
//! (`check --links-report links.csv`), checked against `[compliance.links]
//! allow_domains`, and with `--online` requested, a bounded number at a time with a
//! short timeout. Runs after rendering: the links are those the pages really carry,
//! the theme's and site.toml's included.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{Ctx, Options};
use crate::ground::diagnostics::{Diagnostics, Pos};
use crate::model::site::Site;

/// One external link on one page.
#[derive(Debug, Clone)]
pub struct ExternalLink {
    pub url: String,
    pub host: String,
    /// The page, as a path on the site (`/news/2023/开放日/`).
    pub page: String,
    /// The content file that wrote it, when it came from content.
    pub file: Option<String>,
    /// Whether its domain is allowed; none when no allow-list is set.
    pub allowed: Option<bool>,
    /// What `--online` got: `HTTP 200`, `HTTP 404`, or the error.
    pub status: Option<String>,
}

/// The host of a URL, lower case, without port.
fn host(url: &str) -> String {
    let rest = url.split_once("//").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let h = if authority.starts_with('[') {
        authority
            .split(']')
            .next()
            .unwrap_or("")
            .trim_start_matches('[')
    } else {
        authority.split(':').next().unwrap_or("")
    };
    h.to_ascii_lowercase()
}

/// Whether `host` is one of `domains` or under one.
fn allowed(host: &str, domains: &[String]) -> bool {
    domains.iter().any(|d| {
        let d = d.trim().trim_start_matches('.').to_ascii_lowercase();
        !d.is_empty() && (host == d || host.ends_with(&format!(".{d}")))
    })
}

/// Where `url` is written in `text`: as it is, or as the editor wrote it before the
/// page escaped it.
fn find_in(text: &str, url: &str) -> Option<usize> {
    text.find(url)
        .or_else(|| text.find(&crate::config::paths::decode(url)))
}

/// The content file a page is made from, when that file wrote `url` (not the theme).
fn source_of(
    site: &Site,
    texts: &mut HashMap<String, String>,
    page_file: &str,
    url: &str,
) -> Option<String> {
    let dir = page_file.strip_suffix("index.html")?;
    let file = site
        .news
        .iter()
        .map(|n| (&n.path, &n.file))
        .chain(site.disclosure.iter().map(|d| (&d.path, &d.file)))
        .find(|(p, _)| p.as_str() == dir)
        .map(|(_, f)| f.clone())
        .or_else(|| {
            site.reports
                .iter()
                .find(|r| site.config.paths.report(r.year) == dir)
                .map(|r| r.file.clone())
        })?;
    let text = texts.entry(file.clone()).or_insert_with(|| {
        crate::input::text_file::read(&site.root.join(&file)).unwrap_or_default()
    });
    find_in(text, url).is_some().then_some(file)
}

/// Where a link is written: in its content file, else in site.toml, else on the page.
fn place(site: &Site, link: &ExternalLink) -> (String, Option<Pos>) {
    let line = |file: &str| {
        let text = crate::input::text_file::read(&site.root.join(file)).ok()?;
        let off = find_in(&text, &link.url)?;
        Some(Pos::of_offset(&text, off))
    };
    if let Some(f) = &link.file
        && let Some(p) = line(f)
    {
        return (f.clone(), Some(p));
    }
    if let Some(p) = line(crate::config::CONFIG_FILE) {
        return (crate::config::CONFIG_FILE.to_string(), Some(p));
    }
    (format!("(模板) 页面 {}", link.page), None)
}

/// Checks the external links `found` ((page file, link) pairs) of `site`; returns every
/// link, for the report, and what was found.
pub fn check(
    site: &Site,
    found: Vec<(String, String)>,
    opts: &Options,
) -> (Vec<ExternalLink>, Diagnostics) {
    let config = &site.config.compliance.links;
    let base = site.config.base_path();
    let mut texts = HashMap::new();
    let mut links: Vec<ExternalLink> = found
        .into_iter()
        .map(|(page_file, url)| {
            let host = host(&url);
            ExternalLink {
                allowed: (!config.allow_domains.is_empty())
                    .then(|| allowed(&host, &config.allow_domains)),
                file: source_of(site, &mut texts, &page_file, &url),
                page: format!("{base}{}", page_file.trim_end_matches("index.html")),
                host,
                url,
                status: None,
            }
        })
        .collect();
    let mut ctx = Ctx::new(site, opts);
    if opts.online {
        let results = probe(
            links.iter().map(|l| l.url.clone()).collect(),
            Duration::from_secs(config.timeout_secs.max(1)),
            config.concurrency.max(1),
        );
        let mut reported = std::collections::BTreeSet::new();
        for l in &mut links {
            let Some(result) = results.get(&l.url) else {
                continue;
            };
            let why = match result {
                Ok(code) if *code < 400 => None,
                Ok(code) => Some(format!("HTTP {code}")),
                Err(e) => Some(e.clone()),
            };
            l.status = Some(match result {
                Ok(code) => format!("HTTP {code}"),
                Err(e) => e.clone(),
            });
            let Some(why) = why else { continue };
            if !reported.insert(l.url.clone()) {
                continue;
            }
            let (file, pos) = place(site, l);
            ctx.report(
                "links.online",
                &file,
                pos,
                format!("外部链接无法访问：{}（{why}；在页面 {}）", l.url, l.page),
                "改正或删除这个链接；对方网站临时不可用的，稍后用 --online 再检查。".into(),
            );
        }
    }
    domains(&mut ctx, &links);
    (links, ctx.found)
}

fn domains(ctx: &mut Ctx, links: &[ExternalLink]) {
    let mut reported = std::collections::BTreeSet::new();
    for l in links.iter().filter(|l| l.allowed == Some(false)) {
        if !reported.insert(l.url.clone()) {
            continue;
        }
        let (file, pos) = place(ctx.site, l);
        ctx.report(
            "links.domain",
            &file,
            pos,
            format!("外部链接指向白名单以外的域名 {}：{}（在页面 {}）", l.host, l.url, l.page),
            "确认这个网站可以链接后，把域名加入 site.toml 的 [compliance.links] allow_domains；否则删除这个链接。".into(),
        );
    }
}

/// Requests each URL once (HEAD, then GET where HEAD is refused), `concurrency` at a
/// time: the status code, or why there was none.
fn probe(
    mut urls: Vec<String>,
    timeout: Duration,
    concurrency: usize,
) -> BTreeMap<String, Result<u16, String>> {
    urls.sort();
    urls.dedup();
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .user_agent("gongkai-check")
            .build(),
    );
    let next = AtomicUsize::new(0);
    let results = Mutex::new(BTreeMap::new());
    std::thread::scope(|s| {
        for _ in 0..concurrency.min(urls.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let url_full = if url.starts_with("//") {
                        format!("https:{url}")
                    } else {
                        url.clone()
                    };
                    let mut r = agent.head(&url_full).call().map(|r| r.status().as_u16());
                    if matches!(r, Ok(403 | 405 | 501)) {
                        r = agent.get(&url_full).call().map(|r| r.status().as_u16());
                    }
                    let r = r.map_err(|e| plain_error(&e.to_string()));
                    if let Ok(mut m) = results.lock() {
                        m.insert(url.clone(), r);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

/// A request's failure in plain words, the original kept in brackets.
fn plain_error(e: &str) -> String {
    let plain = if e.contains("lookup") || e.contains("resolve") {
        "域名无法解析"
    } else if e.to_ascii_lowercase().contains("timeout") || e.contains("timed out") {
        "超时"
    } else if e.contains("refused") {
        "连接被拒绝"
    } else {
        "无法连接"
    };
    format!("{plain}（{e}）")
}

/// `links.csv`: one row per link and page, with a UTF-8 BOM for Excel.
pub fn csv(links: &[ExternalLink]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record(["网址", "域名", "所在页面", "源文件", "白名单", "在线检查"]);
    for l in links {
        let allowed = match l.allowed {
            Some(true) => "是",
            Some(false) => "否",
            None => "",
        };
        let _ = w.write_record([
            l.url.as_str(),
            &l.host,
            &l.page,
            l.file.as_deref().unwrap_or(""),
            allowed,
            l.status.as_deref().unwrap_or(""),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_allowed_domains() {
        assert_eq!(host("http://WWW.Gov.cn:8080/a?b"), "www.gov.cn");
        assert_eq!(host("//beian.miit.gov.cn/"), "beian.miit.gov.cn");
        let list = vec!["gov.cn".to_string()];
        assert!(allowed("www.weihai.gov.cn", &list));
        assert!(allowed("gov.cn", &list));
        assert!(!allowed("notgov.cn", &list));
        assert!(!allowed("example.com", &list));
    }
}
