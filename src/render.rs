//! Turns a loaded site into output files: plans every page, renders them in parallel
//! with the theme's templates, and checks every internal link of the result.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::{Agency, NavLink, SearchColumn};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::report::Report;
use crate::report::rules::{Finding, check_report};
use crate::report::schema::SectionContent;
use crate::report::view::{TableView, table_view};
use crate::search::Shape;
use crate::site::{DisclosureItem, NewsItem, Site, report_path};
use crate::theme::{Theme, template_error};

/// What goes into one output file.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Vec<u8>),
    /// Copied from this file.
    Copy(PathBuf),
}

#[derive(Debug, Clone)]
pub struct OutFile {
    /// Relative to the output folder, `/`-separated, e.g. `news/index.html`.
    pub path: String,
    pub body: Body,
}

/// Every page the site has, before rendering.
#[derive(Debug, Clone)]
enum Spec {
    Home,
    NewsList { page: usize },
    Column { index: usize, page: usize },
    News(usize),
    Disclosure,
    DisclosureItem(usize),
    Reports,
    Report(usize),
    Archive,
    ArchiveYear { year: u32, page: usize },
    NotFound,
    SiteMap,
    Search,
    Feed,
    Sitemap,
}

impl Spec {
    /// The template a page is rendered with.
    fn template(&self) -> &'static str {
        match self {
            Spec::Home => "index.html",
            Spec::NewsList { .. } | Spec::Column { .. } => "news_list.html",
            Spec::News(_) => "news_item.html",
            Spec::Disclosure => "disclosure.html",
            Spec::DisclosureItem(_) => "disclosure_item.html",
            Spec::Reports => "reports.html",
            Spec::Report(_) => "report.html",
            Spec::Archive => "archive.html",
            Spec::ArchiveYear { .. } => "archive_year.html",
            Spec::NotFound => "404.html",
            Spec::SiteMap => "site_map.html",
            Spec::Search => "search.html",
            Spec::Feed => "atom.xml",
            Spec::Sitemap => "sitemap.xml",
        }
    }
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: String,
    base_path: String,
    agency: &'a Agency,
    nav: Vec<NavLink>,
    columns: Vec<ColumnCtx>,
    years: Vec<u32>,
    latest_report: Option<ItemRef>,
    /// The search page and what it can filter by; nothing when search is off.
    search: Option<SearchCtx>,
    generator: &'static str,
    extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct SearchCtx {
    url: String,
    /// Each searchable column, e.g. `{key: "news", label: "新闻动态"}`.
    columns: Vec<SearchColumnCtx>,
}

#[derive(Serialize)]
struct SearchColumnCtx {
    key: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct ColumnCtx {
    name: String,
    slug: String,
    url: String,
    description: Option<String>,
}

/// A line in a list: what lists show of an item, never its body.
#[derive(Serialize, Clone)]
struct ItemRef {
    title: String,
    url: String,
    date: String,
    kind: &'static str,
    category: Option<String>,
    category_url: Option<String>,
    summary: String,
}

#[derive(Serialize)]
struct Crumb {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct PageCtx {
    kind: &'static str,
    title: String,
    url: String,
    permalink: String,
    breadcrumbs: Vec<Crumb>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total_pages: usize,
    total_items: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    /// A window of page links around the current one (first and last always).
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct SectionCtx {
    key: &'static str,
    title: &'static str,
    html: Option<String>,
    table: Option<TableView>,
}

/// A file a report page offers: generated (PDF, data) or attached by the agency.
#[derive(Serialize, Clone, Debug)]
struct Download {
    title: String,
    url: String,
    format: String,
    size_text: String,
}

/// The figures of every year, for the reports overview page.
#[derive(Serialize)]
struct OverviewCtx {
    figures: Vec<&'static str>,
    /// Oldest year first.
    years: Vec<OverviewYear>,
    /// Inline SVG, made here: printed with `safe`.
    charts: Vec<String>,
    csv_url: String,
    json_url: String,
}

#[derive(Serialize)]
struct OverviewYear {
    year: u32,
    url: String,
    values: Vec<String>,
}

#[derive(Serialize)]
struct ReportCtx<'a> {
    year: u32,
    title: &'a str,
    agency: &'a str,
    published: Option<String>,
    url: String,
    preamble_html: String,
    sections: Vec<SectionCtx>,
    /// Rules that fail but were acknowledged, shown on the page.
    findings: Vec<Finding>,
    attachments: &'a [crate::content::Attachment],
    /// Generated files first, then the attachments.
    downloads: Vec<Download>,
    basis: &'static str,
    example: bool,
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    /// Downloads of each report, in the order of `site.reports`.
    downloads: Vec<Vec<Download>>,
    base_path: String,
    base_url: String,
    page_size: usize,
}

/// Percent-encodes a path for places that need a strict URL (sitemap, feed ids).
pub fn encode_path(p: &str) -> String {
    let mut out = String::new();
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; invalid ones are kept as written.
pub fn decode_path(p: &str) -> String {
    let bytes = p.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (
                hex(bytes[i + 1]),
                hex(bytes.get(i + 2).copied().unwrap_or(0)),
            )
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn pages(n: usize, size: usize) -> usize {
    n.div_ceil(size).max(1)
}

/// Output path of page `page` (1-based) of a list at `base` (`news/`).
fn page_path(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

impl<'a> Renderer<'a> {
    /// A renderer without report downloads (set when the report files are made).
    fn new(site: &'a Site, theme: &'a Theme) -> Self {
        Renderer {
            site,
            base_path: site.config.base_path(),
            base_url: site.config.base_url(),
            page_size: site.config.news.page_size.max(1),
            theme,
            downloads: Vec::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, encode_path(path))
    }

    fn news_ref(&self, n: &NewsItem) -> ItemRef {
        ItemRef {
            title: n.front.title.clone(),
            url: self.url(&n.path),
            date: n.front.date.ymd(),
            kind: "news",
            category: n.front.category.clone(),
            category_url: n
                .column_slug
                .as_ref()
                .map(|s| self.url(&format!("news/category/{s}/"))),
            summary: n.summary_text.clone(),
        }
    }

    fn disclosure_ref(&self, d: &DisclosureItem) -> ItemRef {
        ItemRef {
            title: d.front.title.clone(),
            url: self.url(&d.path),
            date: d.front.date.ymd(),
            kind: "disclosure",
            category: Some(d.kind_label.to_string()),
            category_url: Some(self.url("zwgk/")),
            summary: d.summary_text.clone(),
        }
    }

    fn report_ref(&self, r: &Report) -> ItemRef {
        ItemRef {
            title: r.title.clone(),
            url: self.url(&report_path(r.year)),
            date: r.published.map(|d| d.ymd()).unwrap_or_default(),
            kind: "report",
            category: Some("政府信息公开工作年度报告".to_string()),
            category_url: Some(self.url("zwgk/ndbg/")),
            summary: String::new(),
        }
    }

    fn column_news(&self, index: usize) -> Vec<&NewsItem> {
        let c = &self.site.config.columns[index];
        self.site
            .news
            .iter()
            .filter(|n| n.front.category.as_deref() == Some(c.name.as_str()))
            .collect()
    }

    fn year_items(&self, year: u32) -> Vec<ItemRef> {
        let mut v: Vec<(i64, ItemRef)> = self
            .site
            .news
            .iter()
            .filter(|n| n.front.date.year == year)
            .map(|n| (n.front.date.sort_key(), self.news_ref(n)))
            .chain(
                self.site
                    .disclosure
                    .iter()
                    .filter(|d| d.front.date.year == year)
                    .map(|d| (d.front.date.sort_key(), self.disclosure_ref(d))),
            )
            .collect();
        v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.url.cmp(&b.1.url)));
        v.into_iter().map(|(_, r)| r).collect()
    }

    fn specs(&self) -> Vec<Spec> {
        let s = self.site;
        let mut v = vec![Spec::Home];
        for page in 1..=pages(s.news.len(), self.page_size) {
            v.push(Spec::NewsList { page });
        }
        for index in 0..s.config.columns.len() {
            for page in 1..=pages(self.column_news(index).len(), self.page_size) {
                v.push(Spec::Column { index, page });
            }
        }
        v.extend((0..s.news.len()).map(Spec::News));
        v.push(Spec::Disclosure);
        v.extend((0..s.disclosure.len()).map(Spec::DisclosureItem));
        v.push(Spec::Reports);
        v.extend((0..s.reports.len()).map(Spec::Report));
        v.push(Spec::Archive);
        for year in s.years() {
            let n = s.news.iter().filter(|n| n.front.date.year == year).count()
                + s.disclosure
                    .iter()
                    .filter(|d| d.front.date.year == year)
                    .count();
            for page in 1..=pages(n, self.page_size) {
                v.push(Spec::ArchiveYear { year, page });
            }
        }
        v.push(Spec::NotFound);
        v.push(Spec::SiteMap);
        if self.site.config.search.enabled {
            v.push(Spec::Search);
        }
        v.push(Spec::Feed);
        v.push(Spec::Sitemap);
        v
    }

    /// The output path of a page (a folder ending in `/`, or a file).
    fn spec_path(&self, spec: &Spec) -> String {
        let s = self.site;
        match spec {
            Spec::Home => String::new(),
            Spec::NewsList { page } => page_path("news/", *page),
            Spec::Column { index, page } => page_path(
                &format!("news/category/{}/", s.config.columns[*index].slug()),
                *page,
            ),
            Spec::News(i) => s.news[*i].path.clone(),
            Spec::Disclosure => "zwgk/".to_string(),
            Spec::DisclosureItem(i) => s.disclosure[*i].path.clone(),
            Spec::Reports => "zwgk/ndbg/".to_string(),
            Spec::Report(i) => report_path(s.reports[*i].year),
            Spec::Archive => "archive/".to_string(),
            Spec::ArchiveYear { year, page } => page_path(&format!("archive/{year}/"), *page),
            Spec::NotFound => "404.html".to_string(),
            Spec::SiteMap => "sitemap/".to_string(),
            Spec::Search => "search/".to_string(),
            Spec::Feed => "atom.xml".to_string(),
            Spec::Sitemap => "sitemap.xml".to_string(),
        }
    }

    fn paginator(&self, base: &str, current: usize, total_items: usize) -> Paginator {
        let total_pages = pages(total_items, self.page_size);
        let window: BTreeSet<usize> = [1, total_pages]
            .into_iter()
            .chain(current.saturating_sub(2).max(1)..=(current + 2).min(total_pages))
            .collect();
        Paginator {
            current,
            total_pages,
            total_items,
            prev_url: (current > 1).then(|| self.url(&page_path(base, current - 1))),
            next_url: (current < total_pages).then(|| self.url(&page_path(base, current + 1))),
            pages: window
                .into_iter()
                .map(|n| PageLink {
                    number: n,
                    url: self.url(&page_path(base, n)),
                    current: n == current,
                })
                .collect(),
        }
    }

    fn slice<T: Clone>(&self, items: &[T], page: usize) -> Vec<T> {
        let start = (page - 1) * self.page_size;
        items
            .iter()
            .skip(start)
            .take(self.page_size)
            .cloned()
            .collect()
    }

    fn crumbs(&self, list: &[(&str, &str)]) -> Vec<Crumb> {
        std::iter::once(("首页", ""))
            .chain(list.iter().copied())
            .map(|(t, p)| Crumb {
                title: t.to_string(),
                url: self.url(p),
            })
            .collect()
    }

    fn page(
        &self,
        kind: &'static str,
        title: &str,
        path: &str,
        crumbs: &[(&str, &str)],
    ) -> PageCtx {
        PageCtx {
            kind,
            title: title.to_string(),
            url: self.url(path),
            permalink: self.permalink(path),
            breadcrumbs: self.crumbs(crumbs),
        }
    }

    /// The context of a page (its template is `spec.template()`).
    fn context(&self, spec: &Spec, path: &str) -> Context {
        let s = self.site;
        let mut ctx = Context::new();
        match spec {
            Spec::Home => {
                ctx.insert("page", &self.page("home", &s.config.title, path, &[]));
                let news: Vec<ItemRef> = s
                    .news
                    .iter()
                    .take(s.config.news.home_size)
                    .map(|n| self.news_ref(n))
                    .collect();
                let disclosure: Vec<ItemRef> = s
                    .disclosure
                    .iter()
                    .take(6)
                    .map(|d| self.disclosure_ref(d))
                    .collect();
                ctx.insert("news", &news);
                ctx.insert("disclosure", &disclosure);
            }
            Spec::NewsList { page } => {
                ctx.insert(
                    "page",
                    &self.page("news_list", "新闻动态", path, &[("新闻动态", "news/")]),
                );
                let refs: Vec<ItemRef> = self
                    .slice(&s.news, *page)
                    .iter()
                    .map(|n| self.news_ref(n))
                    .collect();
                ctx.insert("items", &refs);
                ctx.insert("paginator", &self.paginator("news/", *page, s.news.len()));
                ctx.insert("column", &Option::<ColumnCtx>::None);
            }
            Spec::Column { index, page } => {
                let c = &s.config.columns[*index];
                let base = format!("news/category/{}/", c.slug());
                ctx.insert(
                    "page",
                    &self.page(
                        "column",
                        &c.name,
                        path,
                        &[("新闻动态", "news/"), (&c.name, &base)],
                    ),
                );
                let items = self.column_news(*index);
                let refs: Vec<ItemRef> = self
                    .slice(&items, *page)
                    .iter()
                    .map(|n| self.news_ref(n))
                    .collect();
                ctx.insert("items", &refs);
                ctx.insert("paginator", &self.paginator(&base, *page, items.len()));
                ctx.insert(
                    "column",
                    &ColumnCtx {
                        name: c.name.clone(),
                        slug: c.slug(),
                        url: self.url(&base),
                        description: c.description.clone(),
                    },
                );
            }
            Spec::News(i) => {
                let n = &s.news[*i];
                let mut crumbs = vec![("新闻动态", "news/".to_string())];
                if let (Some(c), Some(slug)) = (&n.front.category, &n.column_slug) {
                    crumbs.push((c.as_str(), format!("news/category/{slug}/")));
                }
                let crumbs: Vec<(&str, &str)> =
                    crumbs.iter().map(|(a, b)| (*a, b.as_str())).collect();
                ctx.insert(
                    "page",
                    &self.page("news_item", &n.front.title, path, &crumbs),
                );
                ctx.insert("item", n);
                ctx.insert("content", &n.body_html);
                ctx.insert(
                    "category_url",
                    &n.column_slug
                        .as_ref()
                        .map(|c| self.url(&format!("news/category/{c}/"))),
                );
                // Older and newer neighbours (the list is newest first).
                ctx.insert("newer", &(*i > 0).then(|| self.news_ref(&s.news[i - 1])));
                ctx.insert("older", &s.news.get(i + 1).map(|n| self.news_ref(n)));
            }
            Spec::Disclosure => {
                ctx.insert(
                    "page",
                    &self.page(
                        "disclosure",
                        "政府信息公开",
                        path,
                        &[("政府信息公开", "zwgk/")],
                    ),
                );
                let fixed: Vec<ItemRef> = s
                    .disclosure
                    .iter()
                    .filter(|d| crate::site::is_fixed_entry(d.front.kind))
                    .map(|d| self.disclosure_ref(d))
                    .collect();
                let items: Vec<ItemRef> = s
                    .disclosure
                    .iter()
                    .filter(|d| !crate::site::is_fixed_entry(d.front.kind))
                    .map(|d| self.disclosure_ref(d))
                    .collect();
                let reports: Vec<ItemRef> = s.reports.iter().map(|r| self.report_ref(r)).collect();
                ctx.insert("fixed", &fixed);
                ctx.insert("items", &items);
                ctx.insert("reports", &reports);
            }
            Spec::DisclosureItem(i) => {
                let d = &s.disclosure[*i];
                ctx.insert(
                    "page",
                    &self.page(
                        "disclosure_item",
                        &d.front.title,
                        path,
                        &[("政府信息公开", "zwgk/")],
                    ),
                );
                ctx.insert("item", d);
                ctx.insert("content", &d.body_html);
            }
            Spec::Reports => {
                ctx.insert("overview", &self.overview());
                ctx.insert(
                    "page",
                    &self.page(
                        "reports",
                        "政府信息公开工作年度报告",
                        path,
                        &[("政府信息公开", "zwgk/"), ("年度报告", "zwgk/ndbg/")],
                    ),
                );
                let reports: Vec<ItemRef> = s.reports.iter().map(|r| self.report_ref(r)).collect();
                ctx.insert("reports", &reports);
            }
            Spec::Report(i) => {
                let r = &s.reports[*i];
                ctx.insert(
                    "page",
                    &self.page(
                        "report",
                        &r.title,
                        path,
                        &[
                            ("政府信息公开", "zwgk/"),
                            ("年度报告", "zwgk/ndbg/"),
                            (&format!("{} 年", r.year), path),
                        ],
                    ),
                );
                ctx.insert("report", &self.report_ctx(r, path));
            }
            Spec::Archive => {
                ctx.insert(
                    "page",
                    &self.page("archive", "年度归档", path, &[("年度归档", "archive/")]),
                );
                #[derive(Serialize)]
                struct YearCtx {
                    year: u32,
                    url: String,
                    news: usize,
                    disclosure: usize,
                    report: Option<ItemRef>,
                }
                let years: Vec<YearCtx> = s
                    .years()
                    .into_iter()
                    .map(|y| YearCtx {
                        year: y,
                        url: self.url(&format!("archive/{y}/")),
                        news: s.news.iter().filter(|n| n.front.date.year == y).count(),
                        disclosure: s
                            .disclosure
                            .iter()
                            .filter(|d| d.front.date.year == y)
                            .count(),
                        report: s
                            .reports
                            .iter()
                            .find(|r| r.year == y)
                            .map(|r| self.report_ref(r)),
                    })
                    .collect();
                ctx.insert("years", &years);
            }
            Spec::ArchiveYear { year, page } => {
                let base = format!("archive/{year}/");
                let title = format!("{year} 年");
                ctx.insert(
                    "page",
                    &self.page(
                        "archive_year",
                        &title,
                        path,
                        &[("年度归档", "archive/"), (&title, &base)],
                    ),
                );
                let items = self.year_items(*year);
                ctx.insert("year", year);
                ctx.insert("items", &self.slice(&items, *page));
                ctx.insert("paginator", &self.paginator(&base, *page, items.len()));
                ctx.insert(
                    "report",
                    &s.reports
                        .iter()
                        .find(|r| r.year == *year)
                        .map(|r| self.report_ref(r)),
                );
            }
            Spec::NotFound => {
                ctx.insert("page", &self.page("404", "页面不存在", path, &[]));
            }
            Spec::SiteMap => {
                ctx.insert(
                    "page",
                    &self.page("site_map", "网站地图", path, &[("网站地图", "sitemap/")]),
                );
                let reports: Vec<ItemRef> = s.reports.iter().map(|r| self.report_ref(r)).collect();
                let disclosure: Vec<ItemRef> = s
                    .disclosure
                    .iter()
                    .filter(|d| crate::site::is_fixed_entry(d.front.kind))
                    .map(|d| self.disclosure_ref(d))
                    .collect();
                ctx.insert("reports", &reports);
                ctx.insert("disclosure", &disclosure);
            }
            Spec::Search => {
                ctx.insert(
                    "page",
                    &self.page("search", "站内搜索", path, &[("站内搜索", "search/")]),
                );
            }
            Spec::Feed => {
                ctx.insert("page", &self.page("feed", &s.config.title, path, &[]));
                #[derive(Serialize)]
                struct Entry {
                    title: String,
                    permalink: String,
                    date: String,
                    summary: String,
                    category: Option<String>,
                }
                let entries: Vec<Entry> = s
                    .news
                    .iter()
                    .take(s.config.news.feed_size)
                    .map(|n| Entry {
                        title: n.front.title.clone(),
                        permalink: self.permalink(&n.path),
                        date: n.front.date.rfc3339(),
                        summary: n.summary_text.clone(),
                        category: n.front.category.clone(),
                    })
                    .collect();
                ctx.insert("entries", &entries);
                ctx.insert(
                    "updated",
                    &crate::site::latest_date(s)
                        .map(|d| d.rfc3339())
                        .unwrap_or_else(|| "2000-01-01T00:00:00+08:00".into()),
                );
            }
            Spec::Sitemap => {
                ctx.insert("page", &self.page("sitemap", &s.config.title, path, &[]));
            }
        }
        ctx
    }

    fn report_ctx<'r>(&self, r: &'r Report, path: &str) -> ReportCtx<'r> {
        let sections = r
            .kind
            .sections
            .iter()
            .map(|sec| match sec.content {
                SectionContent::Text => SectionCtx {
                    key: sec.key,
                    title: sec.title,
                    html: Some(
                        crate::markdown::render(
                            r.texts.get(sec.key).map_or("", |s| s.as_str()),
                            &self.base_path,
                        )
                        .html,
                    ),
                    table: None,
                },
                SectionContent::Table(_) => SectionCtx {
                    key: sec.key,
                    title: sec.title,
                    html: None,
                    table: r.table(sec.key).map(|t| table_view(r, t)),
                },
            })
            .collect();
        ReportCtx {
            year: r.year,
            title: &r.title,
            agency: &r.agency,
            published: r.published.map(|d| d.chinese()),
            url: self.url(path),
            preamble_html: crate::markdown::render(&r.preamble, &self.base_path).html,
            sections,
            findings: check_report(r)
                .into_iter()
                .filter(|f| f.acknowledged.is_some())
                .collect(),
            attachments: &r.attachments,
            downloads: self
                .site
                .reports
                .iter()
                .position(|x| std::ptr::eq(x, r))
                .and_then(|i| self.downloads.get(i).cloned())
                .unwrap_or_default(),
            basis: r.kind.basis,
            example: r.example,
        }
    }

    fn overview(&self) -> Option<OverviewCtx> {
        let reports = &self.site.reports;
        let figures = reports.first()?.kind.key_figures;
        let rows = crate::report::export::overview(reports);
        let charts = figures
            .iter()
            .enumerate()
            .filter(|(_, f)| f.chart)
            .map(|(i, f)| {
                let points: Vec<(u32, String)> =
                    rows.iter().map(|(y, _, v)| (*y, v[i].clone())).collect();
                crate::report::chart::bar_chart(&format!("chart-{}", f.key), f.label, &points)
            })
            .collect();
        Some(OverviewCtx {
            figures: figures.iter().map(|f| f.label).collect(),
            years: rows
                .into_iter()
                .map(|(year, _, values)| OverviewYear {
                    year,
                    url: self.url(&report_path(year)),
                    values,
                })
                .collect(),
            charts,
            csv_url: self.url("zwgk/ndbg/reports.csv"),
            json_url: self.url("zwgk/ndbg/reports.json"),
        })
    }

    fn site_ctx(&self) -> SiteCtx<'_> {
        let s = self.site;
        SiteCtx {
            title: &s.config.title,
            description: s.config.description.as_deref(),
            base_url: self.base_url.clone(),
            base_path: self.base_path.clone(),
            agency: &s.config.agency,
            nav: s
                .config
                .nav
                .iter()
                .map(|n| NavLink {
                    title: n.title.clone(),
                    url: if n.url.starts_with('/') {
                        self.url(n.url.trim_start_matches('/'))
                    } else {
                        n.url.clone()
                    },
                })
                .collect(),
            columns: s
                .config
                .columns
                .iter()
                .map(|c| ColumnCtx {
                    name: c.name.clone(),
                    slug: c.slug(),
                    url: self.url(&format!("news/category/{}/", c.slug())),
                    description: c.description.clone(),
                })
                .collect(),
            years: s.years(),
            latest_report: s.reports.first().map(|r| self.report_ref(r)),
            search: s.config.search.enabled.then(|| SearchCtx {
                url: self.url("search/"),
                columns: [
                    (SearchColumn::News, "news", "新闻动态"),
                    (SearchColumn::Disclosure, "disclosure", "政府信息公开"),
                    (SearchColumn::Reports, "reports", "年度报告"),
                ]
                .into_iter()
                .filter(|(c, _, _)| s.config.search.indexes(*c))
                .map(|(_, key, label)| SearchColumnCtx { key, label })
                .collect(),
            }),
            generator: concat!("gongkai ", env!("CARGO_PKG_VERSION")),
            extra: &s.config.extra,
        }
    }
}

/// Progress of a long render, for a terminal counter.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// What a full render made besides pages that pages name: the search index's shape and
/// each report's downloads (with their sizes). Rendering some pages again reuses it.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    search: Option<Shape>,
    downloads: Vec<Vec<Download>>,
    /// Which fonts the PDFs were set in, for the build's summary.
    pub pdf_fonts: Option<String>,
}

/// What rendering made.
pub struct Rendered {
    pub files: Vec<OutFile>,
    pub generated: Generated,
    /// Template errors, broken links: the files are only complete when there is none.
    pub diagnostics: Diagnostics,
}

/// Renders every page and lists every file to copy.
pub fn render_site(site: &Site, theme: &Theme, progress: Progress) -> Rendered {
    render(site, theme, progress, None)
}

/// Renders only the pages whose output files are in `only` (the preview server's fast
/// path after an edit), checking their links against `existing`, the files the site
/// already has, with what the full render `generated`. Static files, attachments, report
/// files and the search index are not included.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    only: &BTreeSet<String>,
    existing: &BTreeSet<String>,
    generated: &Generated,
) -> Rendered {
    render(site, theme, &|_, _| {}, Some((only, existing, generated)))
}

/// The output files of the pages rendered with any of `templates` (names such as
/// `news_item.html`).
pub fn pages_using(site: &Site, theme: &Theme, templates: &BTreeSet<String>) -> BTreeSet<String> {
    spec_files(site, theme, |s| templates.contains(s.template()))
}

/// The output file of every page, in order (e.g. `news/2024/签证/index.html`).
pub fn page_files(site: &Site, theme: &Theme) -> Vec<String> {
    spec_files(site, theme, |_| true)
}

/// The output files of the pages that list or count news and disclosure items: the home
/// page, news lists and columns, the disclosure column, archives, the site map, the feed
/// and sitemap.xml. An item added, removed or retitled changes these and its own page,
/// and no other (reports, other items, the search page).
pub fn list_pages(site: &Site, theme: &Theme) -> BTreeSet<String> {
    spec_files(site, theme, |s| {
        matches!(
            s,
            Spec::Home
                | Spec::NewsList { .. }
                | Spec::Column { .. }
                | Spec::Disclosure
                | Spec::Archive
                | Spec::ArchiveYear { .. }
                | Spec::SiteMap
                | Spec::Feed
                | Spec::Sitemap
        )
    })
}

/// The output files of the pages that `keep` picks, in page order.
fn spec_files<C: FromIterator<String>>(
    site: &Site,
    theme: &Theme,
    keep: impl Fn(&Spec) -> bool,
) -> C {
    let r = Renderer::new(site, theme);
    r.specs()
        .iter()
        .filter(|s| keep(s))
        .map(|s| output_file(&r.spec_path(s)))
        .collect()
}

fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

fn render(
    site: &Site,
    theme: &Theme,
    progress: Progress,
    only: Option<(&BTreeSet<String>, &BTreeSet<String>, &Generated)>,
) -> Rendered {
    let mut r = Renderer::new(site, theme);
    let mut diags = Diagnostics::new();
    let mut generated = Vec::new();
    let pdf_fonts = match only {
        Some((_, _, made)) => {
            r.downloads = made.downloads.clone();
            made.pdf_fonts.clone()
        }
        None => {
            let (files, downloads, d, fonts) = report_files(site, theme, &r.base_path);
            generated = files;
            r.downloads = downloads;
            diags.extend(d);
            fonts
        }
    };
    let r = r;
    let all_specs = r.specs();
    let all_paths: Vec<String> = all_specs.iter().map(|s| r.spec_path(s)).collect();
    let sitemap_urls: Vec<String> = all_paths
        .iter()
        .filter(|p| p.ends_with('/') || p.is_empty())
        .map(|p| r.permalink(p))
        .collect();
    // The search page carries the index's shape (shard count, version): made with the
    // index, or the full render's when only some pages are rendered again.
    let (search_files, search_index) = match only {
        Some((_, _, made)) => (Vec::new(), made.search.clone()),
        None if site.config.search.enabled => {
            let index = crate::search::index_files(&crate::search::documents(site));
            (index.files, Some(index.shape))
        }
        None => (Vec::new(), None),
    };
    let site_value = serde_json::to_value(r.site_ctx()).unwrap_or_default();
    // Global context: shared by every page instead of copied into each.
    let mut tera = r.theme.tera.clone();
    tera.global_context().insert("site", &site_value);
    tera.global_context().insert("sitemap_urls", &sitemap_urls);
    tera.global_context().insert("search_index", &search_index);
    let (specs, paths): (Vec<Spec>, Vec<String>) = all_specs
        .iter()
        .zip(&all_paths)
        .filter(|(_, p)| only.is_none_or(|(set, _, _)| set.contains(&output_file(p))))
        .map(|(s, p)| (s.clone(), p.clone()))
        .unzip();
    let done = AtomicUsize::new(0);
    let total = specs.len();
    let rendered: Vec<Result<OutFile, Box<Diagnostic>>> = specs
        .par_iter()
        .zip(paths.par_iter())
        .map(|(spec, path)| {
            let out = tera.render(spec.template(), &r.context(spec, path));
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            out.map(|html| OutFile {
                path: output_file(path),
                body: Body::Bytes(html.into_bytes()),
            })
            .map_err(|e| Box::new(template_error(&site.root, &r.theme.templates, &e)))
        })
        .collect();
    let mut files = Vec::with_capacity(rendered.len() + generated.len());
    files.extend(generated);
    files.extend(search_files);
    for res in rendered {
        match res {
            Ok(f) => files.push(f),
            Err(d) => diags.push(*d),
        }
    }
    if let Some((_, existing, _)) = only {
        if !diags.has_errors() {
            let mut have: BTreeSet<&str> = existing.iter().map(String::as_str).collect();
            have.extend(files.iter().map(|f| f.path.as_str()));
            diags.extend(check_links(
                site,
                &r.base_path,
                &files,
                &have,
                &specs,
                &paths,
            ));
        }
        return Rendered {
            files,
            generated: Generated {
                search: search_index,
                downloads: r.downloads,
                pdf_fonts,
            },
            diagnostics: diags,
        };
    }
    for (path, f) in &r.theme.assets {
        let body = match &f.origin {
            crate::theme::Origin::BuiltIn => Body::Bytes(f.bytes.clone()),
            crate::theme::Origin::Site(p) => Body::Copy(p.clone()),
        };
        files.push(OutFile {
            path: path.clone(),
            body,
        });
    }
    for s in &site.static_files {
        files.push(OutFile {
            path: s.path.clone(),
            body: Body::Copy(s.source.clone()),
        });
    }
    let attachments = site
        .news
        .iter()
        .flat_map(|n| n.attachments.iter().map(move |a| (n.path.as_str(), a)))
        .chain(
            site.disclosure
                .iter()
                .flat_map(|d| d.attachments.iter().map(move |a| (d.path.as_str(), a))),
        )
        .chain(
            site.reports
                .iter()
                .flat_map(|rep| rep.attachments.iter().map(move |a| (rep.file.as_str(), a))),
        );
    for (_, a) in attachments {
        files.push(OutFile {
            path: a
                .url
                .strip_prefix(&r.base_path)
                .unwrap_or(&a.url)
                .to_string(),
            body: Body::Copy(a.source.clone()),
        });
    }
    // Static files may be replaced by later ones (site over theme); keep the last.
    files.reverse();
    let mut seen = BTreeSet::new();
    files.retain(|f| seen.insert(f.path.clone()));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if !diags.has_errors() {
        let have: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        diags.extend(check_links(
            site,
            &r.base_path,
            &files,
            &have,
            &specs,
            &paths,
        ));
    }
    Rendered {
        files,
        generated: Generated {
            search: search_index,
            downloads: r.downloads,
            pdf_fonts,
        },
        diagnostics: diags,
    }
}

/// The generated files of every report (PDF, `report.json`, the CSV of 表三) and of the
/// overview (`reports.csv`, `reports.json`), with each report's download list and the
/// fonts of the PDFs.
fn report_files(
    site: &Site,
    theme: &Theme,
    base_path: &str,
) -> (
    Vec<OutFile>,
    Vec<Vec<Download>>,
    Diagnostics,
    Option<String>,
) {
    let mut diags = Diagnostics::new();
    #[cfg_attr(not(feature = "pdf"), allow(unused_mut))]
    let mut fonts = None;
    #[cfg(feature = "pdf")]
    let engine = if site.config.pdf.enabled && !site.reports.is_empty() {
        let (name, template) = theme
            .pdf
            .get("report.typ")
            .map(|f| {
                (
                    crate::theme::origin_name(&site.root, "report.typ", &f.origin)
                        .replace("templates/", "pdf/"),
                    String::from_utf8_lossy(&f.bytes).into_owned(),
                )
            })
            .unwrap_or_default();
        match crate::pdf::Engine::load(&site.root, &site.config.pdf, &template, &name) {
            Ok(e) => {
                fonts = Some(e.used.clone());
                Some(e)
            }
            Err(d) => {
                diags.push(*d);
                None
            }
        }
    } else {
        None
    };
    #[cfg(not(feature = "pdf"))]
    let _ = theme;
    let per_report: Vec<(Vec<OutFile>, Vec<Download>, Option<Diagnostic>)> = site
        .reports
        .par_iter()
        .map(|rep| {
            let dir = report_path(rep.year);
            let mut made: Vec<(String, String, &'static str, Vec<u8>)> = Vec::new();
            #[cfg_attr(not(feature = "pdf"), allow(unused_mut))]
            let mut problem = None;
            #[cfg(feature = "pdf")]
            if let Some(engine) = &engine {
                match engine.render(rep) {
                    Ok(bytes) => made.push((
                        format!("{}年政府信息公开工作年度报告.pdf", rep.year),
                        "年度报告（PDF 版）".into(),
                        "PDF",
                        bytes,
                    )),
                    Err(d) => problem = Some(*d),
                }
            }
            made.push((
                "report.json".into(),
                "全部数据（JSON）".into(),
                "JSON",
                crate::report::export::report_json(rep),
            ));
            if let Some(csv) = crate::report::export::applications_csv(rep) {
                made.push((
                    "收到和处理政府信息公开申请情况.csv".into(),
                    "申请情况表（CSV，可用 Excel 打开）".into(),
                    "CSV",
                    csv,
                ));
            }
            let mut downloads: Vec<Download> = made
                .iter()
                .map(|(name, title, format, bytes)| Download {
                    title: title.clone(),
                    url: format!("{base_path}{dir}{name}"),
                    format: format.to_string(),
                    size_text: crate::content::size_text(bytes.len() as u64),
                })
                .collect();
            downloads.extend(rep.attachments.iter().map(|a| Download {
                title: a.title.clone(),
                url: a.url.clone(),
                format: a.format.clone(),
                size_text: a.size_text.clone(),
            }));
            let files = made
                .into_iter()
                .map(|(name, _, _, bytes)| OutFile {
                    path: format!("{dir}{name}"),
                    body: Body::Bytes(bytes),
                })
                .collect();
            (files, downloads, problem)
        })
        .collect();
    // Typst memoises layout work in a global cache; the PDFs are done, so free it before
    // the pages are rendered (it is most of a build's peak memory otherwise).
    #[cfg(feature = "pdf")]
    {
        drop(engine);
        typst::comemo::evict(0);
    }
    let mut files = Vec::new();
    let mut downloads = Vec::new();
    for (f, d, problem) in per_report {
        files.extend(f);
        downloads.push(d);
        if let Some(p) = problem {
            diags.push(p);
        }
    }
    if !site.reports.is_empty() {
        files.push(OutFile {
            path: "zwgk/ndbg/reports.csv".into(),
            body: Body::Bytes(crate::report::export::overview_csv(&site.reports)),
        });
        files.push(OutFile {
            path: "zwgk/ndbg/reports.json".into(),
            body: Body::Bytes(crate::report::export::overview_json(&site.reports)),
        });
    }
    (files, downloads, diags, fonts)
}

/// Every `href` and `src` of the rendered pages that points into the site must lead to
/// a file of the output.
fn check_links(
    site: &Site,
    base_path: &str,
    files: &[OutFile],
    have: &BTreeSet<&str>,
    specs: &[Spec],
    paths: &[String],
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let by_path: std::collections::HashMap<String, &Spec> = specs
        .iter()
        .zip(paths)
        .map(|(s, p)| {
            (
                if p.is_empty() || p.ends_with('/') {
                    format!("{p}index.html")
                } else {
                    p.clone()
                },
                s,
            )
        })
        .collect();
    // Pages are read in parallel (a third of a second on 10,000 pages otherwise); the
    // rare broken links are reported in page order.
    let found: Vec<(&OutFile, BTreeSet<String>)> = files
        .par_iter()
        .filter_map(|f| {
            let Body::Bytes(bytes) = &f.body else {
                return None;
            };
            if !f.path.ends_with(".html") {
                return None;
            }
            let broken = broken_links(&String::from_utf8_lossy(bytes), base_path, have);
            (!broken.is_empty()).then_some((f, broken))
        })
        .collect();
    for (f, broken) in found {
        for link in broken {
            let spec = by_path.get(&f.path);
            let (file, links): (String, &[String]) = match spec {
                Some(Spec::News(i)) => (site.news[*i].file.clone(), &site.news[*i].links),
                Some(Spec::DisclosureItem(i)) => {
                    (site.disclosure[*i].file.clone(), &site.disclosure[*i].links)
                }
                Some(Spec::Report(i)) => (site.reports[*i].file.clone(), &[]),
                _ => (String::new(), &[]),
            };
            let from_content = links
                .iter()
                .any(|l| link.ends_with(l.as_str()) || link == *l)
                || matches!(spec, Some(Spec::Report(_)));
            let d = if from_content && !file.is_empty() {
                let pos = line_of(&site.root.join(&file), &link, base_path);
                Diagnostic::error(
                    "broken-link",
                    file,
                    format!("链接指向不存在的页面或文件：{link}"),
                )
                .at(pos)
                .help("检查链接地址的拼写，或者把被链接的文件放到 static/ 或内容旁边。")
            } else {
                Diagnostic::error(
                    "broken-link",
                    format!("(模板) 页面 /{}", f.path),
                    format!("链接指向不存在的页面或文件：{link}"),
                )
                .help("检查模板或 site.toml 中 nav 的链接地址。")
            };
            diags.push(d);
        }
    }
    diags
}

/// The links of a page into the site that lead to no file of it.
fn broken_links(html: &str, base_path: &str, have: &BTreeSet<&str>) -> BTreeSet<String> {
    let mut broken = BTreeSet::new();
    for link in html_links(html) {
        let Some(local) = link.strip_prefix(base_path) else {
            continue;
        };
        if link.starts_with("//") {
            continue;
        }
        let local = local.split(['#', '?']).next().unwrap_or("");
        let local = decode_path(local);
        let ok = if local.is_empty() || local.ends_with('/') {
            have.contains(format!("{local}index.html").as_str())
        } else {
            have.contains(local.as_str()) || have.contains(format!("{local}/index.html").as_str())
        };
        if !ok {
            broken.insert(decode_path(&link));
        }
    }
    broken
}

/// Where in a source file a link was written.
fn line_of(file: &std::path::Path, link: &str, base_path: &str) -> Option<Pos> {
    let text = crate::text_file::read(file).ok()?;
    let written = if base_path != "/" {
        link.strip_prefix(base_path.trim_end_matches('/'))
            .unwrap_or(link)
    } else {
        link
    };
    text.find(&format!("({written}"))
        .or_else(|| text.find(written))
        .map(|off| Pos::of_offset(&text, off + 1))
}

/// The values of `href="…"` and `src="…"` attributes, entity `&amp;` decoded.
fn html_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let after = &rest[i + attr.len()..];
            let end = after.find('"').unwrap_or(after.len());
            out.push(after[..end].replace("&amp;", "&"));
            rest = &after[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_through_percent_encoding() {
        let p = "news/2023/签证/";
        assert_eq!(decode_path(&encode_path(p)), p);
        assert_eq!(encode_path("a b"), "a%20b");
    }
}
