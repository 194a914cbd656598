//! One context function per kind of page: what its template is given.

use super::context::PageContext;
use serde::Serialize;

use super::Renderer;
use super::context::{ColumnCtx, ItemRef};
use super::plan::ItemAt;
use super::plan::Spec;
use crate::config::paths;
use crate::ground::digest::{Hasher, Key};

impl Renderer<'_> {
    /// The context of a page (its template is `spec.template()`).
    pub(super) fn context(&self, spec: &Spec, path: &str) -> PageContext {
        let mut ctx = match spec {
            Spec::Home => self.home(path),
            Spec::NewsList { page } => self.news_list(path, *page),
            Spec::Column { index, page } => self.column(path, *index, *page),
            Spec::News(i) => self.news_item(path, *i),
            Spec::Disclosure { page } => self.disclosure(path, *page),
            Spec::Category { index, page } => self.category_page(path, *index, *page),
            Spec::Catalogue { page } => self.catalogue_page(path, *page),
            Spec::CatalogueData(_) => PageContext::new(),
            Spec::Application => self.application_page(path, false),
            Spec::ApplicationForm => self.application_page(path, true),
            Spec::DisclosureItem(i) => self.disclosure_item(path, *i),
            Spec::Reports => self.reports(path),
            Spec::Report(i) => self.report(path, *i),
            Spec::Archive => self.archive(path),
            Spec::ArchiveYear { year, page } => self.archive_year(path, *year, *page),
            Spec::WebsiteReports => self.website_reports_page(path),
            Spec::WebsiteReport(i) => self.website_report_page(path, *i),
            Spec::Interaction { page } => self.interaction_page(path, *page),
            Spec::Services => self.services_page(path),
            Spec::Service(i) => self.service_page(path, *i),
            Spec::Organization => self.organization_page(path),
            Spec::Leaders => self.leaders_page(path),
            Spec::Leader(i) => self.leader_page(path, *i),
            Spec::Media => self.media_page(path),
            Spec::NotFound => self.simple("404", "页面不存在", path, &[]),
            Spec::SiteMap => self.site_map(path),
            Spec::Search => self.simple("search", "站内搜索", path, &[("站内搜索", paths::SEARCH)]),
            Spec::Feed => self.feed(path),
            Spec::Sitemap => self.simple("sitemap", &self.site.config.title, path, &[]),
        };
        ctx.insert("meta", &self.meta(spec, path));
        ctx
    }

    /// A page's context key made from what the page is made of rather than from its
    /// context, for the pages that have one: a news item's.
    pub(super) fn known_key(&self, spec: &Spec) -> Option<Key> {
        match spec {
            Spec::News(i) => Some(self.news_item_key(*i)),
            _ => None,
        }
    }

    /// A page whose template needs nothing but the page itself.
    pub(super) fn simple(
        &self,
        kind: &'static str,
        title: &str,
        path: &str,
        crumbs: &[(&str, &str)],
    ) -> PageContext {
        let mut ctx = PageContext::new();
        ctx.insert("page", &self.page(kind, title, path, crumbs));
        ctx
    }

    fn home(&self, path: &str) -> PageContext {
        let s = self.site;
        let mut ctx = self.simple("home", &s.config.title, path, &[]);
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
        ctx.insert("services", &self.home_services());
        ctx.insert("messages", &self.home_messages());
        ctx
    }

    fn news_list(&self, path: &str, page: usize) -> PageContext {
        let s = self.site;
        let news = s.config.paths.news_list();
        let mut ctx = self.simple("news_list", "新闻动态", path, &[("新闻动态", &news)]);
        self.insert_refs(
            &mut ctx,
            "items",
            self.page_range(s.news.len(), page).map(ItemAt::News),
        );
        ctx.insert("paginator", &self.paginator(&news, page, s.news.len()));
        ctx.insert("column", &Option::<ColumnCtx>::None);
        ctx
    }

    fn column(&self, path: &str, index: usize, page: usize) -> PageContext {
        let c = &self.site.config.columns[index];
        let p = &self.site.config.paths;
        let base = p.column(&c.slug());
        let mut ctx = self.simple(
            "column",
            &c.name,
            path,
            &[("新闻动态", &p.news_list()), (&c.name, &base)],
        );
        let items = &self.columns[index];
        let listed = self.slice(items, page).iter().map(|&i| ItemAt::News(i));
        self.insert_refs(&mut ctx, "items", listed);
        ctx.insert("paginator", &self.paginator(&base, page, items.len()));
        ctx.insert(
            "column",
            &ColumnCtx {
                name: c.name.clone(),
                slug: c.slug(),
                url: self.url(&base),
                description: c.description.clone(),
            },
        );
        ctx
    }

    fn news_item(&self, path: &str, i: usize) -> PageContext {
        let s = self.site;
        let n = &s.news[i];
        let column = n.column_slug.as_deref().map(|c| s.config.paths.column(c));
        let news = s.config.paths.news_list();
        let mut crumbs = vec![("新闻动态", news.as_str())];
        if let (Some(c), Some(url)) = (&n.front.category, &column) {
            crumbs.push((c.as_str(), url.as_str()));
        }
        let mut ctx = self.simple("news_item", &n.front.title, path, &crumbs);
        ctx.insert("item", n);
        ctx.insert_body("content", &n.body_html);
        ctx.insert("category_url", &column.map(|c| self.url(&c)));
        let (newer, older) = self.news_neighbours(i);
        self.insert_ref(&mut ctx, "newer", newer.map(ItemAt::News));
        self.insert_ref(&mut ctx, "older", older.map(ItemAt::News));
        ctx
    }

    /// The newer and the older neighbour of the `i`th news item (the list is newest
    /// first).
    fn news_neighbours(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let older = Some(i + 1).filter(|&j| j < self.site.news.len());
        (i.checked_sub(1), older)
    }

    /// The key of the `i`th news item's page context, made from what [`Self::news_item`]
    /// reads: the item as it was loaded, where it is written, its neighbours' references
    /// and the site's settings. An edit then keys 10,000 news pages without making their
    /// contexts. What `news_item` comes to read must be hashed here too.
    pub(super) fn news_item_key(&self, i: usize) -> Key {
        let n = &self.site.news[i];
        debug_assert_ne!(n.loaded_key, 0, "{} was loaded without its key", n.file);
        let mut h = Hasher::default();
        h.update(b"news page\0");
        h.update(&self.settings_key.to_le_bytes());
        h.update(&n.loaded_key.to_le_bytes());
        h.piece(n.path.as_bytes());
        let (newer, older) = self.news_neighbours(i);
        for neighbour in [newer, older] {
            match neighbour {
                Some(j) => h.update(&self.ref_key(ItemAt::News(j)).to_le_bytes()),
                None => h.update(b"\x03none"),
            }
        }
        h.finish()
    }

    fn disclosure(&self, path: &str, page: usize) -> PageContext {
        let s = self.site;
        let mut ctx = self.simple(
            "disclosure",
            "政府信息公开",
            path,
            &[("政府信息公开", &s.config.paths.disclosure())],
        );
        let fixed: Vec<ItemRef> = s
            .disclosure
            .iter()
            .filter(|d| crate::model::site::is_fixed_entry(d.front.kind))
            .map(|d| self.disclosure_ref(d))
            .collect();
        let reports: Vec<ItemRef> = s.reports.iter().map(|r| self.report_ref(r)).collect();
        let part = |kind| -> Vec<ItemRef> {
            s.disclosure
                .iter()
                .filter(|d| d.front.kind == kind)
                .map(|d| self.disclosure_ref(d))
                .collect()
        };
        ctx.insert(
            "guides",
            &part(crate::model::content::DisclosureKind::Guide),
        );
        ctx.insert("rules", &part(crate::model::content::DisclosureKind::Rules));
        ctx.insert("fixed", &fixed);
        let listed = self.slice(&self.cat.listed, page);
        self.insert_refs(
            &mut ctx,
            "items",
            listed.iter().map(|&i| ItemAt::Disclosure(i)),
        );
        ctx.insert(
            "paginator",
            &self.paginator(
                &self.site.config.paths.disclosure(),
                page,
                self.cat.listed.len(),
            ),
        );
        ctx.insert("reports", &reports);
        ctx.insert("tree", &self.tree(None));
        ctx
    }

    fn reports(&self, path: &str) -> PageContext {
        let mut ctx = PageContext::new();
        ctx.insert("overview", &self.overview());
        ctx.insert(
            "page",
            &self.page(
                "reports",
                "政府信息公开工作年度报告",
                path,
                &[
                    ("政府信息公开", &self.site.config.paths.disclosure()),
                    ("年度报告", &self.site.config.paths.reports()),
                ],
            ),
        );
        let reports: Vec<ItemRef> = self
            .site
            .reports
            .iter()
            .map(|r| self.report_ref(r))
            .collect();
        ctx.insert("reports", &reports);
        ctx
    }

    fn report(&self, path: &str, i: usize) -> PageContext {
        let r = &self.site.reports[i];
        let mut ctx = self.simple(
            "report",
            &r.title,
            path,
            &[
                ("政府信息公开", &self.site.config.paths.disclosure()),
                ("年度报告", &self.site.config.paths.reports()),
                (&format!("{} 年", r.year), path),
            ],
        );
        ctx.insert("report", &self.report_ctx(r, path));
        ctx
    }

    fn archive(&self, path: &str) -> PageContext {
        #[derive(Serialize)]
        struct YearCtx<'a> {
            year: u32,
            url: String,
            news: usize,
            disclosure: usize,
            report: Option<ItemRef<'a>>,
        }
        let s = self.site;
        let mut ctx = self.simple("archive", "年度归档", path, &[("年度归档", paths::ARCHIVE)]);
        let years: Vec<YearCtx> = s
            .years()
            .into_iter()
            .map(|y| YearCtx {
                year: y,
                url: self.url(&paths::archive_year(y)),
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
        ctx
    }

    fn archive_year(&self, path: &str, year: u32, page: usize) -> PageContext {
        let base = paths::archive_year(year);
        let title = format!("{year} 年");
        let mut ctx = self.simple(
            "archive_year",
            &title,
            path,
            &[("年度归档", paths::ARCHIVE), (&title, &base)],
        );
        let items = self.year_items(year);
        ctx.insert("year", &year);
        self.insert_refs(&mut ctx, "items", self.slice(items, page).iter().copied());
        ctx.insert("paginator", &self.paginator(&base, page, items.len()));
        ctx.insert(
            "report",
            &self
                .site
                .reports
                .iter()
                .find(|r| r.year == year)
                .map(|r| self.report_ref(r)),
        );
        ctx
    }

    fn site_map(&self, path: &str) -> PageContext {
        let s = self.site;
        let mut ctx = self.simple(
            "site_map",
            "网站地图",
            path,
            &[("网站地图", paths::SITE_MAP)],
        );
        let reports: Vec<ItemRef> = s.reports.iter().map(|r| self.report_ref(r)).collect();
        let disclosure: Vec<ItemRef> = s
            .disclosure
            .iter()
            .filter(|d| crate::model::site::is_fixed_entry(d.front.kind))
            .map(|d| self.disclosure_ref(d))
            .collect();
        ctx.insert("reports", &reports);
        ctx.insert("disclosure", &disclosure);
        ctx.insert("tree", &self.tree(None));
        ctx
    }

    fn feed(&self, path: &str) -> PageContext {
        #[derive(Serialize)]
        struct Entry {
            title: String,
            permalink: String,
            date: String,
            summary: String,
            category: Option<String>,
        }
        let s = self.site;
        let mut ctx = self.simple("feed", &s.config.title, path, &[]);
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
            &crate::model::site::latest_date(s)
                .map(|d| d.rfc3339())
                .unwrap_or_else(|| "2000-01-01T00:00:00+08:00".into()),
        );
        ctx
    }
}
