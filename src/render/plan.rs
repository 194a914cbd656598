//! Every page the site has, planned before anything is rendered: what kind of page it
//! is, where it is written, and how long lists are split into pages.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Renderer;
use super::catalogue::DataFormat;
use super::context::ItemRef;
use crate::config::paths;
use crate::model::site::Site;

/// A page of the site, before rendering.
#[derive(Debug, Clone)]
pub(crate) enum Spec {
    Home,
    NewsList {
        page: usize,
    },
    Column {
        index: usize,
        page: usize,
    },
    News(usize),
    /// The column's page: its parts, the tree and the 法定主动公开内容, paginated.
    Disclosure {
        page: usize,
    },
    /// A catalogue category: its items and those below it.
    Category {
        index: usize,
        page: usize,
    },
    /// The catalogue table.
    Catalogue {
        page: usize,
    },
    /// catalogue.csv or catalogue.json.
    CatalogueData(DataFormat),
    Application,
    ApplicationForm,
    DisclosureItem(usize),
    Reports,
    Report(usize),
    Archive,
    ArchiveYear {
        year: u32,
        page: usize,
    },
    /// The 政府网站工作年度报表 of every year.
    WebsiteReports,
    WebsiteReport(usize),
    /// 互动交流: the channels and the 留言 answered, paginated.
    Interaction {
        page: usize,
    },
    /// 办事服务: every 办事指南 and the entry to the 政务服务网.
    Services,
    Service(usize),
    Organization,
    Leaders,
    Leader(usize),
    /// 政务新媒体.
    Media,
    NotFound,
    SiteMap,
    Search,
    Feed,
    Sitemap,
}

impl Spec {
    /// The template a page is rendered with; `None` for data files made without one.
    pub(crate) fn template(&self) -> Option<&'static str> {
        Some(match self {
            Spec::Home => "index.html",
            Spec::NewsList { .. } | Spec::Column { .. } => "news_list.html",
            Spec::News(_) => "news_item.html",
            Spec::Disclosure { .. } => "disclosure.html",
            Spec::Category { .. } => "category.html",
            Spec::Catalogue { .. } => "catalogue.html",
            Spec::CatalogueData(_) => return None,
            Spec::Application => "application.html",
            Spec::ApplicationForm => "application_form.html",
            Spec::DisclosureItem(_) => "disclosure_item.html",
            Spec::Reports => "reports.html",
            Spec::Report(_) => "report.html",
            Spec::Archive => "archive.html",
            Spec::ArchiveYear { .. } => "archive_year.html",
            Spec::WebsiteReports => "website_reports.html",
            Spec::WebsiteReport(_) => "website_report.html",
            Spec::Interaction { .. } => "interaction.html",
            Spec::Services => "services.html",
            Spec::Service(_) => "service.html",
            Spec::Organization => "organization.html",
            Spec::Leaders => "leaders.html",
            Spec::Leader(_) => "leader.html",
            Spec::Media => "media.html",
            Spec::NotFound => "404.html",
            Spec::SiteMap => "site_map.html",
            Spec::Search => "search.html",
            Spec::Feed => "atom.xml",
            Spec::Sitemap => "sitemap.xml",
        })
    }

    /// Whether the page lists or counts news and disclosure items: an item added,
    /// removed or retitled changes these pages and its own, and no other.
    pub(crate) fn lists_items(&self) -> bool {
        matches!(
            self,
            Spec::Home
                | Spec::NewsList { .. }
                | Spec::Column { .. }
                | Spec::Disclosure { .. }
                | Spec::Category { .. }
                | Spec::Catalogue { .. }
                | Spec::CatalogueData(_)
                | Spec::Archive
                | Spec::ArchiveYear { .. }
                | Spec::SiteMap
                | Spec::Feed
                | Spec::Sitemap
                | Spec::WebsiteReport(_)
        )
    }
}

/// The number of pages a list of `n` items takes at `size` a page (at least one).
fn pages(n: usize, size: usize) -> usize {
    n.div_ceil(size).max(1)
}

/// A news or disclosure item by its place in the site's list: what a list page shows.
#[derive(Debug, Clone, Copy)]
pub(super) enum ItemAt {
    News(usize),
    Disclosure(usize),
}

#[derive(Serialize)]
pub(super) struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
pub(super) struct Paginator {
    current: usize,
    total_pages: usize,
    total_items: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    /// A window of page links around the current one (first and last always).
    pages: Vec<PageLink>,
}

impl Renderer<'_> {
    /// Every page, in the order they are listed (the sitemap's order).
    pub(super) fn specs(&self) -> Vec<Spec> {
        let s = self.site;
        let mut v = vec![Spec::Home];
        for page in 1..=pages(s.news.len(), self.page_size) {
            v.push(Spec::NewsList { page });
        }
        for index in 0..s.config.columns.len() {
            for page in 1..=pages(self.columns[index].len(), self.page_size) {
                v.push(Spec::Column { index, page });
            }
        }
        v.extend((0..s.news.len()).map(Spec::News));
        for page in 1..=pages(self.cat.listed.len(), self.page_size) {
            v.push(Spec::Disclosure { page });
        }
        // A category with nothing in it has no page and is shown nowhere (a 空白栏目).
        for index in s.catalogue.tree.preorder() {
            if self.cat.members[index].is_empty() {
                continue;
            }
            for page in 1..=pages(self.cat.members[index].len(), self.page_size) {
                v.push(Spec::Category { index, page });
            }
        }
        for page in 1..=pages(s.disclosure.len(), self.page_size) {
            v.push(Spec::Catalogue { page });
        }
        v.push(Spec::CatalogueData(DataFormat::Csv));
        v.push(Spec::CatalogueData(DataFormat::Json));
        if s.config.application.is_some() {
            v.push(Spec::Application);
            v.push(Spec::ApplicationForm);
        }
        v.extend((0..s.disclosure.len()).map(Spec::DisclosureItem));
        v.push(Spec::Reports);
        v.extend((0..s.reports.len()).map(Spec::Report));
        v.push(Spec::Archive);
        for year in s.years() {
            for page in 1..=pages(self.year_items(year).len(), self.page_size) {
                v.push(Spec::ArchiveYear { year, page });
            }
        }
        v.extend(self.website_specs());
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
    pub(super) fn spec_path(&self, spec: &Spec) -> String {
        let s = self.site;
        match spec {
            Spec::Home => String::new(),
            Spec::NewsList { page } => paths::paged(&s.config.paths.news_list(), *page),
            Spec::Column { index, page } => paths::paged(
                &s.config.paths.column(&s.config.columns[*index].slug()),
                *page,
            ),
            Spec::News(i) => s.news[*i].path.clone(),
            Spec::Disclosure { page } => paths::paged(&s.config.paths.disclosure(), *page),
            Spec::Category { index, page } => paths::paged(
                &s.config
                    .paths
                    .category(&s.catalogue.tree.nodes[*index].slug),
                *page,
            ),
            Spec::Catalogue { page } => paths::paged(&s.config.paths.catalogue(), *page),
            Spec::CatalogueData(DataFormat::Csv) => s.config.paths.catalogue_data("csv"),
            Spec::CatalogueData(DataFormat::Json) => s.config.paths.catalogue_data("json"),
            Spec::Application => s.config.paths.application(),
            Spec::ApplicationForm => s.config.paths.application_form(),
            Spec::DisclosureItem(i) => s.disclosure[*i].path.clone(),
            Spec::Reports => s.config.paths.reports(),
            Spec::Report(i) => s.config.paths.report(s.reports[*i].year),
            Spec::Archive => paths::ARCHIVE.to_string(),
            Spec::ArchiveYear { year, page } => paths::paged(&paths::archive_year(*year), *page),
            Spec::WebsiteReports => s.config.paths.website_reports(),
            Spec::WebsiteReport(i) => s.config.paths.website_report(s.website_reports[*i].year),
            Spec::Interaction { page } => paths::paged(&s.config.paths.interaction(), *page),
            Spec::Services => s.config.paths.services(),
            Spec::Service(i) => s.services[*i].path.clone(),
            Spec::Organization => s.config.paths.organization(),
            Spec::Leaders => s.config.paths.leaders(),
            Spec::Leader(i) => s.leaders[*i].path.clone(),
            Spec::Media => s.config.paths.media(),
            Spec::NotFound => "404.html".to_string(),
            Spec::SiteMap => paths::SITE_MAP.to_string(),
            Spec::Search => paths::SEARCH.to_string(),
            Spec::Feed => "atom.xml".to_string(),
            Spec::Sitemap => "sitemap.xml".to_string(),
        }
    }

    /// The pages of what a 政府网站 shows beyond the 专栏, each when it has something.
    fn website_specs(&self) -> Vec<Spec> {
        let s = self.site;
        let mut v = Vec::new();
        if !s.website_reports.is_empty() {
            v.push(Spec::WebsiteReports);
            v.extend((0..s.website_reports.len()).map(Spec::WebsiteReport));
        }
        if self.has_interaction() {
            for page in 1..=pages(s.messages.len(), self.page_size) {
                v.push(Spec::Interaction { page });
            }
        }
        if self.has_services() {
            v.push(Spec::Services);
            v.extend((0..s.services.len()).map(Spec::Service));
        }
        if s.organization.is_some() {
            v.push(Spec::Organization);
        }
        if !s.leaders.is_empty() {
            v.push(Spec::Leaders);
            v.extend((0..s.leaders.len()).map(Spec::Leader));
        }
        if !s.config.media.is_empty() {
            v.push(Spec::Media);
        }
        v
    }

    /// Whether the site has a 互动交流 page (channels or answered 留言).
    pub(super) fn has_interaction(&self) -> bool {
        !self.site.config.interaction.channels.is_empty() || !self.site.messages.is_empty()
    }

    /// Whether the site has a 办事服务 page (guides or the 政务服务网 entry).
    pub(super) fn has_services(&self) -> bool {
        !self.site.services.is_empty() || self.site.config.services.portal.is_some()
    }

    /// News and disclosure items of a year, newest first (the same day in URL order).
    pub(super) fn year_items(&self, year: u32) -> &[ItemAt] {
        self.years.get(&year).map_or(&[], Vec::as_slice)
    }

    /// The reference a list shows of an item.
    pub(super) fn item_ref(&self, item: ItemAt) -> ItemRef<'_> {
        match item {
            ItemAt::News(i) => self.news_ref(&self.site.news[i]),
            ItemAt::Disclosure(i) => self.disclosure_ref(&self.site.disclosure[i]),
        }
    }

    pub(super) fn paginator(&self, base: &str, current: usize, total_items: usize) -> Paginator {
        let total_pages = pages(total_items, self.page_size);
        let window: BTreeSet<usize> = [1, total_pages]
            .into_iter()
            .chain(current.saturating_sub(2).max(1)..=(current + 2).min(total_pages))
            .collect();
        Paginator {
            current,
            total_pages,
            total_items,
            prev_url: (current > 1).then(|| self.url(&paths::paged(base, current - 1))),
            next_url: (current < total_pages).then(|| self.url(&paths::paged(base, current + 1))),
            pages: window
                .into_iter()
                .map(|n| PageLink {
                    number: n,
                    url: self.url(&paths::paged(base, n)),
                    current: n == current,
                })
                .collect(),
        }
    }

    /// The items of page `page` (1-based) of a list.
    pub(super) fn slice<'s, T>(&self, items: &'s [T], page: usize) -> &'s [T] {
        &items[self.page_range(items.len(), page)]
    }

    /// The places of the items of page `page` (1-based) of a list of `len`.
    pub(super) fn page_range(&self, len: usize, page: usize) -> std::ops::Range<usize> {
        let start = ((page - 1) * self.page_size).min(len);
        start..(start + self.page_size).min(len)
    }
}

/// Each column's news, by place in `site.news` (in its order, newest first).
pub(super) fn column_news(site: &Site) -> Vec<Vec<usize>> {
    site.config
        .columns
        .iter()
        .map(|c| {
            (0..site.news.len())
                .filter(|&i| site.news[i].front.category.as_deref() == Some(c.name.as_str()))
                .collect()
        })
        .collect()
}

/// The news and disclosure items of each year, newest first (the same day in URL
/// order), as the places they are kept: a page of the year's archive makes references
/// of its own slice only.
pub(super) fn year_items(site: &Site) -> std::collections::BTreeMap<u32, Vec<ItemAt>> {
    let mut years: std::collections::BTreeMap<u32, Vec<(i64, &str, ItemAt)>> =
        std::collections::BTreeMap::new();
    for (i, n) in site.news.iter().enumerate() {
        let d = n.front.date;
        years
            .entry(d.year)
            .or_default()
            .push((d.sort_key(), n.path.as_str(), ItemAt::News(i)));
    }
    for (i, x) in site.disclosure.iter().enumerate() {
        let d = x.front.date;
        years.entry(d.year).or_default().push((
            d.sort_key(),
            x.path.as_str(),
            ItemAt::Disclosure(i),
        ));
    }
    years
        .into_iter()
        .map(|(year, mut v)| {
            v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
            (year, v.into_iter().map(|(_, _, i)| i).collect())
        })
        .collect()
}
