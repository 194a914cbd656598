//! The group's own pages, made from the members' summaries: the portal's home, the
//! agency directory, the latest items of every member, the group-wide search and the
//! 年报 section, with the group theme's assets and the group's `static/`. Their links are
//! checked against everything the output will hold, members' files included.

use std::collections::BTreeSet;

use serde::Serialize;
use tera::Context;

use super::config::{Group, resolve_nav};
use super::reports::{self, COMPARED, Section, Status};
use super::summary::MemberSummary;
use crate::config::paths::{self, group as gp};
use crate::config::{Agency, NavLink};
use crate::ground::date::Date;
use crate::ground::diagnostics::{Diagnostic, Diagnostics, rel_path};
use crate::model::site::LoadOptions;
use crate::output::record::NotUpdated;
use crate::output::{Body, OutFile};
use crate::render::search::Shape;
use crate::render::theme::{Origin, Theme, template_error};

/// What the group pages are made from.
pub struct Inputs<'a> {
    pub group: &'a Group,
    /// Every member's summary, in the order of group.toml.
    pub members: &'a [MemberSummary],
    /// The group search index's shape, when the group has one ([`super::search`]).
    pub search: Option<&'a Shape>,
    pub as_of: Option<Date>,
    pub load: &'a LoadOptions,
    /// Members this build did not update: each kept its last output (among `members`)
    /// or has none; the pages say so.
    pub not_updated: &'a [NotUpdated],
}

/// A member the pages say was not updated.
#[derive(Serialize)]
struct NotUpdatedCtx {
    name: String,
    /// Its site, when it has one in the output (its last build's).
    url: Option<String>,
    note: String,
}

#[derive(Serialize)]
struct SearchColumnCtx {
    key: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct SearchCtx {
    url: String,
    columns: Vec<SearchColumnCtx>,
}

/// The `site` of the group pages: the shape of a site's, so that `base.html` serves both.
#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: String,
    base_path: String,
    agency: &'a Agency,
    nav: Vec<NavLink>,
    columns: Vec<()>,
    years: Vec<u32>,
    latest_report: Option<()>,
    search: Option<SearchCtx>,
    generator: &'static str,
    extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
    portal: Option<()>,
    /// Marks the pages of a portal group.
    group: bool,
    /// The 公安机关备案号's official query page, linked as on members' pages.
    police_record_url: Option<String>,
    /// The 互动交流 channels members inherit (`[site.interaction]`), in the footer.
    interaction: crate::config::InteractionConfig,
    media: Vec<()>,
    urls: GroupUrls,
}

/// The group's own pages base.html links when a site has them.
#[derive(Serialize)]
struct GroupUrls {
    website_reports: String,
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
    /// The “我为政府网站找错” address of the page.
    jiucuo: Option<String>,
}

#[derive(Serialize)]
struct LinkCtx {
    title: String,
    url: String,
    year: u32,
}

#[derive(Serialize)]
struct MemberCtx<'a> {
    slug: &'a str,
    name: &'a str,
    title: &'a str,
    kind: &'static str,
    url: String,
    news: usize,
    disclosure: usize,
    reports: usize,
    latest_report: Option<LinkCtx>,
    address: Option<&'a str>,
    phone: Option<&'a str>,
    /// Its site is its last build's: this build could not update it.
    not_updated: bool,
}

#[derive(Serialize)]
struct ItemCtx<'a> {
    title: &'a str,
    url: String,
    date: &'a str,
    kind: &'a str,
    category: Option<&'a str>,
    agency: &'a str,
    agency_url: String,
}

#[derive(Serialize)]
struct YearCtx {
    year: u32,
    url: String,
    members: usize,
    published: usize,
    missing: usize,
    not_due: usize,
    failing: usize,
}

#[derive(Serialize)]
struct CellCtx {
    text: String,
    /// A number to sort by (empty when there is none).
    sort: String,
    /// The change from the member's report of the year before (`较上年 +3`).
    change: Option<String>,
}

#[derive(Serialize)]
struct FailCtx<'a> {
    rule: &'a str,
    message: &'a str,
    acknowledged: Option<&'a str>,
}

#[derive(Serialize)]
struct RowCtx<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    kind: &'static str,
    status: Status,
    status_label: &'static str,
    deadline: String,
    report: Option<LinkCtx>,
    values: Vec<CellCtx>,
    failing: Vec<FailCtx<'a>>,
}

/// Renders every group page; files named in the output relative to the group's root.
pub fn render(inputs: Inputs) -> (Vec<OutFile>, Diagnostics) {
    let group = inputs.group;
    let mut diags = Diagnostics::new();
    let theme = match Theme::load_from(&[&group.root], &group.config.theme) {
        Ok(t) => t,
        Err(d) => return (Vec::new(), d),
    };
    let base_url = group.base_url(inputs.load);
    let base_path = paths::url_path(&base_url);
    let mut files = Vec::new();
    let search = inputs.search;
    let section = reports::section(
        inputs.members,
        inputs.as_of,
        group.config.reports.first_year,
    );
    let p = Pages {
        group,
        members: inputs.members,
        section: &section,
        base_path: base_path.clone(),
        base_url: base_url.clone(),
        not_updated: inputs.not_updated,
    };
    let specs = p.specs();
    let sitemap: Vec<String> = specs
        .iter()
        .map(|(path, _, _)| path.as_str())
        .filter(|path| path.is_empty() || path.ends_with('/'))
        .map(|path| p.permalink(path))
        .chain(inputs.members.iter().map(|m| p.permalink(&m.path())))
        .collect();
    let mut tera = theme.tera.clone();
    tera.global_context().insert(
        "site",
        &serde_json::to_value(p.site_ctx()).unwrap_or_default(),
    );
    tera.global_context().insert("sitemap_urls", &sitemap);
    tera.global_context().insert("search_index", &search);
    tera.global_context()
        .insert("not_updated", &p.not_updated_ctx());
    for (path, template, ctx) in specs {
        match tera.render(template, &ctx) {
            Ok(html) => files.push(OutFile {
                path: paths::page_file(&path),
                body: Body::Bytes(html.into_bytes()),
            }),
            Err(e) => diags.push(template_error(&group.root, &theme.templates, &e)),
        }
    }
    files.push(OutFile {
        path: gp::SUMMARY_CSV.into(),
        body: Body::Bytes(reports::summary_csv(&section, &base_url)),
    });
    files.push(OutFile {
        path: gp::SUMMARY_JSON.into(),
        body: Body::Bytes(reports::summary_json(&section, &base_url)),
    });
    let as_of = inputs.as_of.unwrap_or_else(Date::today);
    copied(group, &theme, inputs.members, as_of, &mut files, &mut diags);
    if !diags.has_errors() {
        diags.extend(check_links(&files, inputs.members, &base_path));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, diags)
}

/// The theme's assets and the group's `static/`, which must not take a member's folder.
/// The portal's own files go out as they are, through the gate as a site's `static/`
/// does: personal data in them stops the build (at the levels, and with the numbers,
/// that group.toml's `[site.compliance]` gives every member), and each is copied only
/// with the bytes the gate read.
fn copied(
    group: &Group,
    theme: &Theme,
    members: &[MemberSummary],
    as_of: Date,
    files: &mut Vec<OutFile>,
    diags: &mut Diagnostics,
) {
    let static_dir = group.root.join("static");
    let walk = crate::ground::fs::walk_files(&group.root, &static_dir);
    diags.extend(walk.problems.into_iter().collect());
    let (found, checked) = crate::gate::compliance::check_as_is(
        &group.root,
        &walk.files,
        &group.config.compliance(),
        as_of,
    );
    diags.extend(found);
    let own: BTreeSet<String> = walk
        .files
        .iter()
        .map(|f| rel_path(&static_dir, f))
        .collect();
    for (path, f) in &theme.assets {
        if own.contains(path) {
            continue;
        }
        let body = match &f.origin {
            Origin::BuiltIn => Body::Bytes(f.bytes.clone()),
            Origin::Site(p) => Body::Copy(p.clone()),
        };
        files.push(OutFile {
            path: path.clone(),
            body,
        });
    }
    let made: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    for source in walk.files {
        let path = rel_path(&static_dir, &source);
        let top = path.split('/').next().unwrap_or("");
        if members.iter().any(|m| m.slug == top) || made.contains(&path) {
            diags.push(
                Diagnostic::error(
                    "duplicate-url",
                    format!("static/{path}"),
                    format!("门户的 static/{path} 会占用成员网站或门户页面的网址 /{path}"),
                )
                .help("给这个文件换一个名字或文件夹。"),
            );
            continue;
        }
        let body = match checked.get(&source) {
            Some(key) => Body::Checked(source, *key),
            None => Body::Copy(source),
        };
        files.push(OutFile { path, body });
    }
}

/// Broken internal links of the group pages: every link under the group's base path
/// must lead to a file of the output (group pages or a member's).
fn check_links(files: &[OutFile], members: &[MemberSummary], base_path: &str) -> Diagnostics {
    let mut have: crate::render::links::Have = files.iter().map(|f| f.path.as_str()).collect();
    for m in members {
        have.extend(m.files.iter().map(String::as_str));
    }
    let mut diags = Diagnostics::new();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let Body::Bytes(bytes) = &f.body else {
            continue;
        };
        let html = crate::ground::text::utf8(bytes);
        for link in crate::render::links::broken_links(&html, &f.path, base_path, &have) {
            diags.push(
                Diagnostic::error(
                    "broken-link",
                    format!("(门户模板) 页面 /{}", f.path),
                    format!("链接指向不存在的页面或文件：{link}"),
                )
                .help("检查 group.toml 中 nav 的链接地址，或门户模板中的链接。"),
            );
        }
    }
    diags
}

/// The context functions of the group pages.
struct Pages<'a> {
    group: &'a Group,
    members: &'a [MemberSummary],
    section: &'a Section<'a>,
    base_path: String,
    base_url: String,
    not_updated: &'a [NotUpdated],
}

impl Pages<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    fn not_updated_ctx(&self) -> Vec<NotUpdatedCtx> {
        self.not_updated
            .iter()
            .map(|n| NotUpdatedCtx {
                name: n.name.clone(),
                url: n
                    .kept_from
                    .map(|_| self.url(&paths::encode(&gp::member(&n.slug)))),
                note: match n.kept_from {
                    Some(d) => format!("本次没有更新，显示的是 {} 的版本", d.chinese()),
                    None => "本次没有更新，暂无内容".into(),
                },
            })
            .collect()
    }

    fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, paths::encode(path))
    }

    /// Every page: its path, template and context.
    fn specs(&self) -> Vec<(String, &'static str, Context)> {
        let mut v = vec![
            (String::new(), "group_index.html", self.home()),
            (gp::AGENCIES.into(), "group_agencies.html", self.agencies()),
            (gp::LATEST.into(), "group_latest.html", self.latest()),
            (gp::REPORTS.into(), "group_reports.html", self.reports()),
        ];
        for (i, y) in self.section.years.iter().enumerate() {
            v.push((
                gp::reports_year(y.year),
                "group_reports_year.html",
                self.year(i),
            ));
        }
        v.push((
            gp::WEBSITE_REPORTS.into(),
            "group_website_reports.html",
            self.website_reports(),
        ));
        if self.group.config.search.enabled {
            let ctx = self.simple(
                "search",
                "站内搜索",
                gp::SEARCH,
                &[("站内搜索", gp::SEARCH)],
            );
            v.push((
                gp::SEARCH.into(),
                "group_search.html",
                self.with_agencies(ctx),
            ));
        }
        v.push((
            "404.html".into(),
            "group_404.html",
            self.simple("404", "页面不存在", "404.html", &[]),
        ));
        v.push((
            "sitemap.xml".into(),
            "sitemap.xml",
            self.simple("sitemap", &self.group.config.title, "sitemap.xml", &[]),
        ));
        v
    }

    fn site_ctx(&self) -> SiteCtx<'_> {
        let c = &self.group.config;
        SiteCtx {
            title: &c.title,
            description: c.description.as_deref(),
            base_url: self.base_url.clone(),
            base_path: self.base_path.clone(),
            agency: &c.agency,
            nav: resolve_nav(&c.nav, &self.base_path),
            columns: Vec::new(),
            years: self.section.years.iter().map(|y| y.year).collect(),
            latest_report: None,
            search: c.search.enabled.then(|| SearchCtx {
                url: self.url(gp::SEARCH),
                columns: vec![
                    SearchColumnCtx {
                        key: "news",
                        label: "新闻动态",
                    },
                    SearchColumnCtx {
                        key: "disclosure",
                        label: "政府信息公开",
                    },
                    SearchColumnCtx {
                        key: "reports",
                        label: "年度报告",
                    },
                    SearchColumnCtx {
                        key: "services",
                        label: "办事服务",
                    },
                    SearchColumnCtx {
                        key: "interaction",
                        label: "互动交流",
                    },
                ],
            }),
            generator: concat!("gongkai ", env!("CARGO_PKG_VERSION")),
            extra: &c.extra,
            portal: None,
            group: true,
            police_record_url: c.agency.police_record_url(),
            interaction: c
                .site
                .get("interaction")
                .cloned()
                .and_then(|v| v.try_into().ok())
                .unwrap_or_default(),
            media: Vec::new(),
            urls: GroupUrls {
                website_reports: self.url(gp::WEBSITE_REPORTS),
            },
        }
    }

    fn simple(
        &self,
        kind: &'static str,
        title: &str,
        path: &str,
        crumbs: &[(&str, &str)],
    ) -> Context {
        let mut ctx = Context::new();
        ctx.insert(
            "page",
            &PageCtx {
                kind,
                title: title.to_string(),
                url: self.url(path),
                jiucuo: crate::render::jiucuo_url(
                    self.group.config.agency.site_code.as_deref(),
                    &self.permalink(path),
                ),
                permalink: self.permalink(path),
                breadcrumbs: std::iter::once(("首页", ""))
                    .chain(crumbs.iter().copied())
                    .map(|(t, p)| Crumb {
                        title: t.into(),
                        url: self.url(p),
                    })
                    .collect(),
            },
        );
        ctx
    }

    fn with_agencies(&self, mut ctx: Context) -> Context {
        let members: Vec<MemberCtx> = self.members.iter().map(|m| self.member(m)).collect();
        ctx.insert("members", &members);
        ctx
    }

    fn member<'m>(&self, m: &'m MemberSummary) -> MemberCtx<'m> {
        MemberCtx {
            slug: &m.slug,
            name: &m.name,
            title: &m.title,
            kind: m.kind.label(),
            url: self.url(&paths::encode(&m.path())),
            news: m.news,
            disclosure: m.disclosure,
            reports: m.reports.len(),
            latest_report: m.reports.first().map(|r| LinkCtx {
                title: r.title.clone(),
                url: self.url(&paths::encode(&r.path)),
                year: r.year,
            }),
            address: m.agency.address.as_deref(),
            phone: m.agency.phone.as_deref(),
            not_updated: self.not_updated.iter().any(|n| n.slug == m.slug),
        }
    }

    /// The newest `n` items of all members.
    fn latest_items(&self, n: usize) -> Vec<ItemCtx<'_>> {
        let mut all: Vec<(&MemberSummary, &super::summary::LatestItem)> = self
            .members
            .iter()
            .flat_map(|m| m.latest.iter().map(move |i| (m, i)))
            .collect();
        all.sort_by(|a, b| {
            b.1.when
                .cmp(&a.1.when)
                .then_with(|| a.1.path.cmp(&b.1.path))
        });
        all.into_iter()
            .take(n)
            .map(|(m, i)| ItemCtx {
                title: &i.title,
                url: self.url(&paths::encode(&i.path)),
                date: &i.date,
                kind: &i.kind,
                category: i.category.as_deref(),
                agency: &m.name,
                agency_url: self.url(&paths::encode(&m.path())),
            })
            .collect()
    }

    fn years(&self) -> Vec<YearCtx> {
        self.section
            .years
            .iter()
            .map(|y| YearCtx {
                year: y.year,
                url: self.url(&gp::reports_year(y.year)),
                members: y
                    .entries
                    .iter()
                    .filter(|e| e.status != Status::NotExpected)
                    .count(),
                published: y.count(Status::Published),
                missing: y.count(Status::Missing),
                not_due: y.count(Status::NotDue),
                failing: y.entries.iter().filter(|e| e.failing()).count(),
            })
            .collect()
    }

    fn home(&self) -> Context {
        let mut ctx = self.with_agencies(self.simple("home", &self.group.config.title, "", &[]));
        ctx.insert("latest", &self.latest_items(self.group.config.latest.home));
        ctx.insert("years", &self.years());
        ctx
    }

    fn agencies(&self) -> Context {
        self.with_agencies(self.simple(
            "group_agencies",
            "机构目录",
            gp::AGENCIES,
            &[("机构目录", gp::AGENCIES)],
        ))
    }

    fn latest(&self) -> Context {
        let mut ctx = self.simple(
            "group_latest",
            "最新信息",
            gp::LATEST,
            &[("最新信息", gp::LATEST)],
        );
        ctx.insert("items", &self.latest_items(self.group.config.latest.page));
        ctx
    }

    fn reports(&self) -> Context {
        let mut ctx = self.simple(
            "group_reports",
            "政府信息公开工作年度报告",
            gp::REPORTS,
            &[("年度报告", gp::REPORTS)],
        );
        // Oldest first, for the charts.
        let totals: Vec<(u32, [u64; 3])> = self
            .section
            .years
            .iter()
            .rev()
            .map(|y| {
                let sum = |key: &str| -> u64 {
                    y.entries
                        .iter()
                        .filter_map(|e| e.value(key)?.parse::<u64>().ok())
                        .sum()
                };
                (
                    y.year,
                    [sum("new_received"), sum("review"), sum("litigation")],
                )
            })
            .collect();
        let charts: Vec<String> = [
            "全部成员本年新收申请",
            "全部成员行政复议",
            "全部成员行政诉讼",
        ]
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let points: Vec<(u32, Option<String>)> = totals
                .iter()
                .map(|(y, v)| (*y, Some(v[i].to_string())))
                .collect();
            crate::model::report::chart::bar_chart(&format!("group-chart-{i}"), title, &points)
        })
        .collect();
        ctx.insert("years", &self.years());
        ctx.insert(
            "charts",
            &if totals.is_empty() {
                Vec::new()
            } else {
                charts
            },
        );
        ctx.insert("csv_url", &self.url(gp::SUMMARY_CSV));
        ctx.insert("json_url", &self.url(gp::SUMMARY_JSON));
        ctx.insert("as_of", &self.section.as_of.map(|d| d.chinese()));
        ctx
    }

    /// The column of the members' 政府网站工作年度报表, with who is late.
    fn website_reports(&self) -> Context {
        let mut ctx = self.simple(
            "group_website_reports",
            "政府网站工作年度报表",
            gp::WEBSITE_REPORTS,
            &[("网站年度报表", gp::WEBSITE_REPORTS)],
        );
        ctx.insert("as_of", &self.section.as_of.map(|d| d.chinese()));
        let years = super::website_reports::years(
            self.members,
            self.section.as_of,
            self.group.config.reports.first_year,
        );
        super::website_reports::page_context(&years, &|p| self.url(p), ctx)
    }

    fn year(&self, i: usize) -> Context {
        let y = &self.section.years[i];
        let title = format!("{} 年度", y.year);
        let mut ctx = self.simple(
            "group_reports_year",
            &format!("{} 年政府信息公开工作年度报告汇总", y.year),
            &gp::reports_year(y.year),
            &[
                ("年度报告", gp::REPORTS),
                (&title, &gp::reports_year(y.year)),
            ],
        );
        let rows: Vec<RowCtx> = y
            .entries
            .iter()
            .filter(|e| e.status != Status::NotExpected)
            .map(|e| RowCtx {
                slug: &e.member.slug,
                name: &e.member.name,
                url: self.url(&paths::encode(&e.member.path())),
                kind: e.member.kind.label(),
                status: e.status,
                status_label: e.status.label(),
                deadline: e.member.kind.deadline(y.year).chinese(),
                report: e.report.map(|r| LinkCtx {
                    title: r.title.clone(),
                    url: self.url(&paths::encode(&r.path)),
                    year: r.year,
                }),
                values: COMPARED
                    .iter()
                    .map(|(k, _)| {
                        let text = e.value(k);
                        let before = e.earlier(k, y.year - 1);
                        CellCtx {
                            sort: text
                                .as_deref()
                                .map(|t| t.trim_end_matches('%').to_string())
                                .unwrap_or_default(),
                            change: text
                                .as_deref()
                                .zip(before.as_deref())
                                .and_then(|(now, then)| reports::change(now, then)),
                            text: text.unwrap_or_else(|| "—".into()),
                        }
                    })
                    .collect(),
                failing: e
                    .report
                    .iter()
                    .flat_map(|r| &r.findings)
                    .map(|f| FailCtx {
                        rule: &f.rule,
                        message: &f.message,
                        acknowledged: f.acknowledged.as_deref(),
                    })
                    .collect(),
            })
            .collect();
        let charts: Vec<String> = ["new_received", "review", "litigation", "fees"]
            .iter()
            .filter_map(|key| {
                let label = COMPARED.iter().find(|(k, _)| k == key)?.1;
                let points: Vec<(String, String)> = y
                    .entries
                    .iter()
                    .filter_map(|e| Some((e.member.name.clone(), e.value(key)?)))
                    .collect();
                (!points.is_empty()).then(|| {
                    crate::model::report::chart::hbar_chart(
                        &format!("chart-{}-{key}", y.year),
                        label,
                        &points,
                    )
                })
            })
            .collect();
        ctx.insert("year", &y.year);
        ctx.insert(
            "figures",
            &COMPARED.iter().map(|(_, l)| *l).collect::<Vec<_>>(),
        );
        ctx.insert("rows", &rows);
        ctx.insert("charts", &charts);
        ctx.insert("as_of", &self.section.as_of.map(|d| d.chinese()));
        ctx.insert("csv_url", &self.url(gp::SUMMARY_CSV));
        ctx
    }
}
