//! What templates see: the context values every page shares (the site, its navigation,
//! lists of items) and how an item is shown in a list.

use serde::Serialize;

use super::Renderer;
use crate::config::paths;
use crate::config::{Agency, NavLink, SearchColumn};
use rayon::prelude::*;

use super::plan::ItemAt;
use crate::ground::digest::{Hasher, Key, hash_serialized};
use crate::model::content::{DisclosureItem, NewsItem};
use crate::model::report::Report;

#[derive(Serialize)]
pub(super) struct SiteCtx<'a> {
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) base_url: String,
    pub(super) base_path: String,
    pub(super) agency: &'a Agency,
    pub(super) nav: Vec<NavLink>,
    pub(super) columns: Vec<ColumnCtx>,
    pub(super) years: Vec<u32>,
    pub(super) latest_report: Option<ItemRef<'a>>,
    /// The search page and what it can filter by; nothing when search is off.
    pub(super) search: Option<SearchCtx>,
    /// The catalogue's pages and its tree (without counts: lists give those).
    pub(super) catalogue: CatalogueSiteCtx,
    /// 依申请公开, when site.toml has `[application]`.
    pub(super) application: Option<ApplicationSiteCtx>,
    pub(super) generator: &'static str,
    pub(super) extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
    /// The portal group the site belongs to, if any: its name, home and navigation.
    pub(super) portal: Option<&'a crate::config::Portal>,
    /// The site's own pages, for templates (`site.urls.disclosure`).
    pub(super) urls: UrlsCtx,
    /// The 公安机关备案号's official query page, when the number can be read.
    pub(super) police_record_url: Option<String>,
    /// Links are made relative when written: the site is opened from disk too.
    pub(super) relative: bool,
    /// The latest 政府网站工作年度报表, shown prominently on the home page.
    pub(super) latest_website_report: Option<ItemRef<'a>>,
    /// 互动交流: the channels, in the navigation and the footer.
    pub(super) interaction: &'a crate::config::InteractionConfig,
    /// 办事服务: the entry to the province's 政务服务网.
    pub(super) services: &'a crate::config::ServicesConfig,
    /// 政务新媒体, in the footer.
    pub(super) media: Vec<MediaCtx<'a>>,
}

/// A 政务新媒体 account as pages show it.
#[derive(Serialize)]
pub(super) struct MediaCtx<'a> {
    pub(super) name: &'a str,
    pub(super) platform: &'a str,
    pub(super) account: Option<&'a str>,
    pub(super) url: Option<&'a str>,
    /// The QR picture's address.
    pub(super) qr: Option<String>,
}

#[derive(Serialize)]
pub(super) struct UrlsCtx {
    pub(super) home: String,
    pub(super) news: String,
    pub(super) disclosure: String,
    pub(super) reports: String,
    pub(super) archive: String,
    pub(super) site_map: String,
    pub(super) feed: String,
    /// The pages a 政府网站 has beyond the 专栏, when the site has them.
    pub(super) website_reports: Option<String>,
    pub(super) interaction: Option<String>,
    pub(super) services: Option<String>,
    pub(super) organization: Option<String>,
    pub(super) leaders: Option<String>,
    pub(super) media: Option<String>,
}

#[derive(Serialize)]
pub(super) struct CatalogueSiteCtx {
    pub(super) url: String,
    pub(super) csv_url: String,
    pub(super) json_url: String,
    pub(super) tree: Vec<TreeLink>,
}

/// A category as navigation shows it.
#[derive(Serialize)]
pub(super) struct TreeLink {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) url: String,
    pub(super) depth: usize,
}

#[derive(Serialize)]
pub(super) struct ApplicationSiteCtx {
    pub(super) url: String,
    pub(super) form_url: String,
    pub(super) pdf: Option<super::report::Download>,
}

#[derive(Serialize)]
pub(super) struct SearchCtx {
    pub(super) url: String,
    /// Each searchable column, e.g. `{key: "news", label: "新闻动态"}`.
    pub(super) columns: Vec<SearchColumnCtx>,
}

#[derive(Serialize)]
pub(super) struct SearchColumnCtx {
    pub(super) key: &'static str,
    pub(super) label: &'static str,
}

#[derive(Serialize)]
pub(super) struct ColumnCtx {
    pub(super) name: String,
    pub(super) slug: String,
    pub(super) url: String,
    pub(super) description: Option<String>,
}

/// A line in a list: what lists show of an item, never its body. Its words are borrowed
/// from the site: a rebuild keys every list page, and copying each title and summary
/// into every list it is on was a tenth of that work.
#[derive(Serialize, Clone)]
pub(super) struct ItemRef<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) date: String,
    pub(super) kind: &'static str,
    pub(super) category: Option<&'a str>,
    pub(super) category_url: Option<String>,
    pub(super) summary: &'a str,
    /// 有效性 of a disclosure item, when it says.
    pub(super) status: Option<&'static str>,
}

/// A step of a page's breadcrumbs; its title borrowed, as the page's.
#[derive(Serialize)]
pub(super) struct Crumb<'t> {
    pub(super) title: &'t str,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct PageCtx<'t> {
    pub(super) kind: &'static str,
    pub(super) title: &'t str,
    pub(super) url: String,
    pub(super) permalink: String,
    pub(super) breadcrumbs: Vec<Crumb<'t>>,
    /// The “我为政府网站找错” address for this page, when the site has a 网站标识码.
    pub(super) jiucuo: Option<String>,
}

/// The address of the national 政府网站找错 platform for a page: the 网站标识码 and the
/// page's own address, as every 政府网站's footer links it.
pub fn jiucuo_url(site_code: Option<&str>, permalink: &str) -> Option<String> {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let code = site_code.map(str::trim).filter(|c| !c.is_empty())?;
    Some(format!(
        "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={}&url={}",
        utf8_percent_encode(code, NON_ALPHANUMERIC),
        utf8_percent_encode(permalink, NON_ALPHANUMERIC)
    ))
}

/// The hash of site.toml (as loaded, with the load's options) and of where the site is
/// served: what a news item's page and reference read besides items.
pub(super) fn settings_key(site: &crate::model::site::Site) -> Key {
    let mut h = Hasher::default();
    hash_serialized(&mut h, &site.config);
    h.piece(site.config.base_path().as_bytes());
    h.piece(site.config.base_url().as_bytes());
    h.finish()
}

/// The key of each news and disclosure item's reference (by place in the site's lists),
/// made once for a build that hashes its pages: an item is shown in several lists and
/// beside two items, and a list page is hashed by its items' keys instead of their
/// references made and hashed again.
pub(super) struct RefKeys {
    news: Vec<Key>,
    disclosure: Vec<Key>,
}

impl<'a> Renderer<'a> {
    /// Every item's reference key.
    pub(super) fn ref_keys_of_all(&self) -> RefKeys {
        let s = self.site;
        RefKeys {
            news: (0..s.news.len())
                .into_par_iter()
                .map(|i| self.made_ref_key(ItemAt::News(i)))
                .collect(),
            disclosure: (0..s.disclosure.len())
                .into_par_iter()
                .map(|i| self.made_ref_key(ItemAt::Disclosure(i)))
                .collect(),
        }
    }

    /// A news item's reference is keyed by what [`Self::news_ref`] reads, a disclosure
    /// item's by its value.
    fn made_ref_key(&self, item: ItemAt) -> Key {
        match item {
            ItemAt::News(i) => self.news_ref_key(&self.site.news[i]),
            ItemAt::Disclosure(_) => {
                let mut h = Hasher::default();
                hash_serialized(&mut h, &self.item_ref(item));
                h.finish()
            }
        }
    }

    /// The key of an item's reference: the one made for the build, or made now.
    pub(super) fn ref_key(&self, item: ItemAt) -> Key {
        let kept = self.ref_keys.get().and_then(|k| match item {
            ItemAt::News(i) => k.news.get(i),
            ItemAt::Disclosure(i) => k.disclosure.get(i),
        });
        kept.copied().unwrap_or_else(|| self.made_ref_key(item))
    }

    /// Sets `key` to the references of `items`, hashed by their keys.
    pub(super) fn insert_refs<I>(&self, ctx: &mut PageContext, key: &'static str, items: I)
    where
        I: IntoIterator<Item = ItemAt> + Clone,
    {
        let hashed = items.clone();
        ctx.insert_keyed(
            key,
            |h| {
                for item in hashed {
                    h.update(&self.ref_key(item).to_le_bytes());
                }
                h.update(b"\x02end");
            },
            || {
                items
                    .into_iter()
                    .map(|i| self.item_ref(i))
                    .collect::<Vec<_>>()
            },
        );
    }

    /// Sets `key` to the reference of `item`, if any, hashed by its key.
    pub(super) fn insert_ref(
        &self,
        ctx: &mut PageContext,
        key: &'static str,
        item: Option<ItemAt>,
    ) {
        ctx.insert_keyed(
            key,
            |h| match item {
                Some(i) => h.update(&self.ref_key(i).to_le_bytes()),
                None => h.update(b"\x03none"),
            },
            || item.map(|i| self.item_ref(i)),
        );
    }

    pub(super) fn news_ref(&self, n: &'a NewsItem) -> ItemRef<'a> {
        ItemRef {
            title: &n.front.title,
            url: self.url(&n.path),
            date: n.front.date.ymd(),
            kind: "news",
            category: n.front.category.as_deref(),
            category_url: n
                .column_slug
                .as_ref()
                .map(|s| self.url(&self.site.config.paths.column(s))),
            summary: &n.summary_text,
            status: None,
        }
    }

    /// The key of [`Self::news_ref`] made from what it reads, not from the reference:
    /// an edit keys 10,000 references without making them. What `news_ref` comes to
    /// read must be hashed here too.
    fn news_ref_key(&self, n: &NewsItem) -> Key {
        let mut h = Hasher::default();
        h.update(b"news reference\0");
        h.update(&self.settings_key.to_le_bytes());
        h.piece(n.front.title.as_bytes());
        h.piece(n.path.as_bytes());
        let d = &n.front.date;
        for part in [d.year, d.month, d.day, d.time.unwrap_or(u32::MAX)] {
            h.update(&part.to_le_bytes());
        }
        h.update(&d.offset_min.to_le_bytes());
        for text in [&n.front.category, &n.column_slug] {
            match text {
                Some(t) => h.piece(t.as_bytes()),
                None => h.update(b"\x03none"),
            }
        }
        h.piece(n.summary_text.as_bytes());
        h.finish()
    }

    pub(super) fn disclosure_ref(&self, d: &'a DisclosureItem) -> ItemRef<'a> {
        let node = d.category_index.map(|c| &self.site.catalogue.tree.nodes[c]);
        ItemRef {
            title: &d.front.title,
            url: self.url(&d.path),
            date: d.front.date.ymd(),
            kind: "disclosure",
            category: Some(node.map_or(d.kind_label, |n| n.name.as_str())),
            category_url: Some(match node {
                Some(n) => self.url(&self.site.config.paths.category(&n.slug)),
                None => self.url(&self.site.config.paths.disclosure()),
            }),
            summary: &d.summary_text,
            status: d.front.status.map(|v| v.label()),
        }
    }

    pub(super) fn report_ref(&self, r: &'a Report) -> ItemRef<'a> {
        ItemRef {
            title: &r.title,
            url: self.url(&self.site.config.paths.report(r.year)),
            date: r.published.map(|d| d.ymd()).unwrap_or_default(),
            kind: "report",
            category: Some("政府信息公开工作年度报告"),
            category_url: Some(self.url(&self.site.config.paths.reports())),
            summary: "",
            status: None,
        }
    }

    pub(super) fn crumbs<'t>(&self, list: &[(&'t str, &str)]) -> Vec<Crumb<'t>> {
        std::iter::once(("首页", ""))
            .chain(list.iter().copied())
            .map(|(t, p)| Crumb {
                title: t,
                url: self.url(p),
            })
            .collect()
    }

    pub(super) fn page<'t>(
        &self,
        kind: &'static str,
        title: &'t str,
        path: &str,
        crumbs: &[(&'t str, &str)],
    ) -> PageCtx<'t> {
        let permalink = self.permalink(path);
        PageCtx {
            kind,
            title,
            url: self.url(path),
            jiucuo: jiucuo_url(self.site.config.agency.site_code.as_deref(), &permalink),
            permalink,
            breadcrumbs: self.crumbs(crumbs),
        }
    }

    pub(super) fn site_ctx(&self) -> SiteCtx<'_> {
        let s = self.site;
        SiteCtx {
            title: &s.config.title,
            description: s.config.description.as_deref(),
            base_url: self.base_url.clone(),
            base_path: self.base_path.clone(),
            agency: &s.config.agency,
            nav: self.nav(),
            columns: s
                .config
                .columns
                .iter()
                .map(|c| ColumnCtx {
                    name: c.name.clone(),
                    slug: c.slug(),
                    url: self.url(&s.config.paths.column(&c.slug())),
                    description: c.description.clone(),
                })
                .collect(),
            years: s.years(),
            latest_report: s.reports.first().map(|r| self.report_ref(r)),
            search: s.config.search.enabled.then(|| SearchCtx {
                url: self.url(paths::SEARCH),
                columns: [
                    (SearchColumn::News, "news", "新闻动态"),
                    (SearchColumn::Disclosure, "disclosure", "政府信息公开"),
                    (SearchColumn::Reports, "reports", "年度报告"),
                    (SearchColumn::Services, "services", "办事服务"),
                    (SearchColumn::Interaction, "interaction", "互动交流"),
                ]
                .into_iter()
                .filter(|(c, _, _)| s.config.search.indexes(*c))
                .map(|(_, key, label)| SearchColumnCtx { key, label })
                .collect(),
            }),
            catalogue: CatalogueSiteCtx {
                url: self.url(&self.site.config.paths.catalogue()),
                csv_url: self.url(&self.site.config.paths.catalogue_data("csv")),
                json_url: self.url(&self.site.config.paths.catalogue_data("json")),
                tree: s
                    .catalogue
                    .tree
                    .preorder()
                    .into_iter()
                    .filter(|&i| !self.cat.members[i].is_empty())
                    .map(|i| {
                        let n = &s.catalogue.tree.nodes[i];
                        TreeLink {
                            code: n.code.clone(),
                            name: n.name.clone(),
                            url: self.url(&self.site.config.paths.category(&n.slug)),
                            depth: n.depth,
                        }
                    })
                    .collect(),
            },
            application: s.config.application.as_ref().map(|_| ApplicationSiteCtx {
                url: self.url(&self.site.config.paths.application()),
                form_url: self.url(&self.site.config.paths.application_form()),
                pdf: self.application_pdf.clone(),
            }),
            generator: concat!("gongkai ", env!("CARGO_PKG_VERSION")),
            extra: &s.config.extra,
            portal: s.config.portal.as_ref(),
            urls: UrlsCtx {
                home: self.url(""),
                news: self.url(&s.config.paths.news_list()),
                disclosure: self.url(&s.config.paths.disclosure()),
                reports: self.url(&s.config.paths.reports()),
                archive: self.url(paths::ARCHIVE),
                site_map: self.url(paths::SITE_MAP),
                feed: self.url("atom.xml"),
                website_reports: (!s.website_reports.is_empty())
                    .then(|| self.url(&s.config.paths.website_reports())),
                interaction: self
                    .has_interaction()
                    .then(|| self.url(&s.config.paths.interaction())),
                services: self
                    .has_services()
                    .then(|| self.url(&s.config.paths.services())),
                organization: s
                    .organization
                    .is_some()
                    .then(|| self.url(&s.config.paths.organization())),
                leaders: (!s.leaders.is_empty()).then(|| self.url(&s.config.paths.leaders())),
                media: (!s.config.media.is_empty()).then(|| self.url(&s.config.paths.media())),
            },
            police_record_url: s.config.agency.police_record_url(),
            relative: s.config.relative(),
            latest_website_report: self.latest_website_report(),
            interaction: &s.config.interaction,
            services: &s.config.services,
            media: s
                .config
                .media
                .iter()
                .map(|m| MediaCtx {
                    name: &m.name,
                    platform: &m.platform,
                    account: m.account.as_deref(),
                    url: m.url.as_deref(),
                    // A picture that is not there is the gate's error, not a broken link on
                    // every page.
                    qr: m
                        .qr
                        .as_deref()
                        .map(|q| q.trim_start_matches('/'))
                        .filter(|q| s.static_files.iter().any(|f| f.path == *q))
                        .map(|q| self.url(&crate::config::paths::escape(q))),
                })
                .collect(),
        }
    }

    /// The navigation of site.toml, links resolved, followed by 办事服务 and 互动交流 when
    /// the site has them and the navigation does not link them already: inspectors look
    /// for both from every page (国办秘函〔2019〕19号).
    fn nav(&self) -> Vec<NavLink> {
        let s = self.site;
        let resolve = |url: &str| {
            if url.starts_with('/') {
                self.url(url.trim_start_matches('/'))
            } else {
                url.to_string()
            }
        };
        let mut nav: Vec<NavLink> = s
            .config
            .nav
            .iter()
            .map(|n| NavLink {
                title: n.title.clone(),
                url: resolve(&n.url),
            })
            .collect();
        let wanted = [
            (self.has_services(), "办事服务", s.config.paths.services()),
            (
                self.has_interaction(),
                "互动交流",
                s.config.paths.interaction(),
            ),
        ];
        for (has, title, path) in wanted {
            let url = self.url(&path);
            if has && !nav.iter().any(|n| n.url == url || n.title == title) {
                nav.push(NavLink {
                    title: title.to_string(),
                    url,
                });
            }
        }
        nav
    }
}

/// A page's context: the values its template is given, in the order they were set. Kept
/// apart from tera's context, which cannot be read back, so that a build can hash what a
/// page is made from and leave a page whose inputs did not change as the last build
/// wrote it ([`super::memo`]). How it is made — its values, its key, or both — is set
/// around the call that makes it ([`making`]): the page functions are the same for all three.
pub(super) struct PageContext {
    values: Vec<(&'static str, tera::Value)>,
    /// What was set so far, hashed as it was set (when the key is wanted).
    key: Option<Box<Hasher>>,
    /// Whether the values are built (not when only the key is wanted).
    built: bool,
}

/// What a page's context is made for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Making {
    /// The values its template is given.
    Values,
    /// Only its key: the values are hashed as they are set, never built. A rebuild makes
    /// this of every page, and the values only of the pages whose key changed.
    Key,
    /// Both, from one pass (a build that renders every page and keeps their keys).
    Both,
}

thread_local! {
    static MAKING: std::cell::Cell<Making> = const { std::cell::Cell::new(Making::Values) };
}

/// Runs `f`, which makes one page's context, making it for `how`.
pub(super) fn making<R>(how: Making, f: impl FnOnce() -> R) -> R {
    let was = MAKING.replace(how);
    let made = f();
    MAKING.set(was);
    made
}

impl PageContext {
    pub(super) fn new() -> Self {
        let how = MAKING.get();
        PageContext {
            values: Vec::new(),
            key: (how != Making::Values).then(Box::default),
            built: how != Making::Key,
        }
    }

    /// Sets `key` to `value` (a later value of a key takes the place of an earlier one).
    pub(super) fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Some(h) = &mut self.key {
            h.piece(key.as_bytes());
            hash_serialized(h, value);
        }
        if self.built {
            self.values
                .push((key, tera::Value::from_serializable(value)));
        }
    }

    /// The context as the templates get it.
    pub(super) fn into_tera(self) -> tera::Context {
        let mut ctx = tera::Context::new();
        for (key, value) in self.values {
            ctx.insert_value(key, value);
        }
        ctx
    }

    /// Sets `key` to the value `value` makes, hashed by `hash` instead of by the value
    /// itself, and made only when the values are wanted: for values whose parts have keys
    /// made once per build ([`RefKeys`]). `hash` must tell apart any two values
    /// `value` could make.
    pub(super) fn insert_keyed<T: Serialize>(
        &mut self,
        key: &'static str,
        hash: impl FnOnce(&mut Hasher),
        value: impl FnOnce() -> T,
    ) {
        if let Some(h) = &mut self.key {
            h.piece(key.as_bytes());
            h.update(b"\x01keyed");
            hash(h);
        }
        if self.built {
            self.values
                .push((key, tera::Value::from_serializable(&value())));
        }
    }

    /// Sets `key` to an item's body, hashed by its hash: a body kept in the load memo is
    /// read only for a page that is rendered.
    pub(super) fn insert_body(&mut self, key: &'static str, body: &crate::model::body::Body) {
        self.insert_keyed(
            key,
            |h| h.update(&body.hash().to_le_bytes()),
            || body.text(),
        );
    }

    /// The hash of every key and value set, when made for its key.
    pub(super) fn key(&self) -> Option<crate::ground::digest::Key> {
        self.key.as_ref().map(|h| h.finish())
    }
}
