//! The pages of what a 政府网站 shows beyond the 专栏: the 政府网站工作年度报表 (page,
//! PDF, CSV and JSON), 互动交流 (the channels and the 留言 answered), 办事服务 (the
//! 办事指南 and the entry to the 政务服务网), 机构职能, 领导信息 and 政务新媒体.

use super::context::PageContext;
use serde::Serialize;

use super::Renderer;
use super::context::ItemRef;
use super::report::Download;
use crate::ground::diagnostics::Diagnostics;
use crate::model::site::Site;
use crate::model::website_report::{self, SectionRows, WebsiteReport, form::FORM};
use crate::output::{Body, OutFile};

/// A 报表's generated files and downloads.
pub(super) struct ReportFiles {
    pub(super) files: Vec<OutFile>,
    /// Per 报表, in the order of `site.website_reports`.
    pub(super) downloads: Vec<Vec<Download>>,
    pub(super) diagnostics: Diagnostics,
}

/// A file made for a 报表's downloads.
struct Made {
    name: String,
    /// The name it is saved under, when its URL's is not that (ASCII paths).
    saved_as: Option<String>,
    title: &'static str,
    format: &'static str,
    bytes: Vec<u8>,
}

/// The PDF of each 报表 (the theme's `pdf/website_report.typ`), its JSON and CSV.
pub(super) fn report_files(
    site: &Site,
    typesetter: &super::typeset::Typesetter,
    layout: Option<&[u8]>,
    base_path: &str,
) -> ReportFiles {
    #[cfg(not(feature = "pdf"))]
    let _ = (typesetter, layout);
    let mut out = ReportFiles {
        files: Vec::new(),
        downloads: Vec::new(),
        diagnostics: Diagnostics::new(),
    };
    for r in &site.website_reports {
        let dir = site.config.paths.website_report(r.year);
        let sections = website_report::filled(r, &website_report::figures::compute(site, r.year));
        let mut made: Vec<Made> = Vec::new();
        #[cfg(feature = "pdf")]
        let (name, saved_as) = site
            .config
            .paths
            .website_report_pdf(&site.config.title, r.year);
        #[cfg(feature = "pdf")]
        if let Some(pdf) = layout.and_then(|layout| {
            pdf(
                site,
                r,
                &sections,
                typesetter,
                &format!("{dir}{name}"),
                layout,
            )
        }) {
            match pdf {
                Ok(bytes) => {
                    made.push(Made {
                        name,
                        saved_as,
                        title: "报表（PDF 版）",
                        format: "PDF",
                        bytes,
                    });
                }
                Err(d) => out.diagnostics.push(*d),
            }
        }
        made.push(Made {
            name: "wzbb.json".into(),
            saved_as: None,
            title: "全部数据（JSON）",
            format: "JSON",
            bytes: website_report::export::json(&site.config.title, r, &sections),
        });
        let (csv, saved_as) = if site.config.paths.ascii() {
            (
                "wzbb.csv".to_string(),
                Some("政府网站工作年度报表.csv".to_string()),
            )
        } else {
            ("政府网站工作年度报表.csv".to_string(), None)
        };
        made.push(Made {
            name: csv,
            saved_as,
            title: "报表（CSV，可用 Excel 打开）",
            format: "CSV",
            bytes: website_report::export::csv(&sections),
        });
        out.downloads.push(
            made.iter()
                .map(|m| Download {
                    title: m.title.to_string(),
                    url: format!("{base_path}{dir}{}", crate::config::paths::escape(&m.name)),
                    format: m.format.to_string(),
                    size_text: crate::model::content::size_text(m.bytes.len() as u64),
                    download: m.saved_as.clone(),
                })
                .collect(),
        );
        out.files.extend(made.into_iter().map(|m| OutFile {
            path: format!("{dir}{}", m.name),
            body: Body::Bytes(m.bytes),
        }));
    }
    out
}

/// The PDF of one 报表 (at `path`): its rows as data for the layout; none when PDFs are
/// not made.
#[cfg(feature = "pdf")]
fn pdf(
    site: &Site,
    r: &WebsiteReport,
    sections: &[SectionRows],
    typesetter: &super::typeset::Typesetter,
    path: &str,
    layout: &[u8],
) -> Option<Result<Vec<u8>, Box<crate::ground::diagnostics::Diagnostic>>> {
    #[derive(Serialize)]
    struct Data<'a> {
        title: &'a str,
        site: &'a str,
        year: u32,
        published: Option<String>,
        basis: &'static str,
        sections: &'a [SectionRows],
        fonts: Fonts<'a>,
    }
    #[derive(Serialize)]
    struct Fonts<'a> {
        body: &'a str,
        heading: &'a str,
    }
    let data = |(body, heading): (&str, &str)| {
        let data = Data {
            title: &r.title,
            site: &site.config.title,
            year: r.year,
            published: r.published.map(|d| d.chinese()),
            basis: FORM.basis,
            sections,
            fonts: Fonts { body, heading },
        };
        serde_json::to_vec(&data).unwrap_or_default()
    };
    let day = r.published.unwrap_or(crate::ground::date::Date {
        year: r.year + 1,
        month: 1,
        day: 31,
        time: None,
        offset_min: 8 * 60,
    });
    let layout = String::from_utf8_lossy(layout);
    typesetter.pdf(path, &layout, Some(day), data, |engine, json| {
        engine.compile(&layout, json, Some(day)).map_err(|what| {
            Box::new(
                crate::ground::diagnostics::Diagnostic::error(
                    "pdf",
                    &r.file,
                    format!("生成 {} 年网站年度报表的 PDF 失败：{what}", r.year),
                )
                .help("检查主题的 PDF 版式文件 pdf/website_report.typ。"),
            )
        })
    })
}

/// A row of a 报表 page: a field, its value, and the group cell it opens (with its span).
#[derive(Serialize)]
struct RowCtx<'a> {
    label: &'a str,
    value: &'a str,
    unit: Option<&'a str>,
    computed: bool,
    source: &'a str,
    /// The group heading this row starts, with the rows it spans.
    group: Option<Span<'a>>,
    /// Whether the row belongs to a group (its label cell is narrower).
    grouped: bool,
    /// The section cell this row starts, with the rows it spans.
    section: Option<Span<'a>>,
}

/// A heading cell spanning rows.
#[derive(Serialize)]
struct Span<'a> {
    title: &'a str,
    rows: usize,
}

fn rows(sections: &[SectionRows]) -> Vec<RowCtx<'_>> {
    let mut out = Vec::new();
    for s in sections {
        for (i, r) in s.rows.iter().enumerate() {
            let starts_group = r.group.is_some() && (i == 0 || s.rows[i - 1].group != r.group);
            let span = s.rows[i..]
                .iter()
                .take_while(|x| x.group == r.group)
                .count();
            out.push(RowCtx {
                label: r.label,
                value: &r.value,
                unit: r.unit,
                computed: r.computed,
                source: r.source,
                group: starts_group.then(|| Span {
                    title: r.group.unwrap_or(""),
                    rows: span,
                }),
                grouped: r.group.is_some(),
                section: (i == 0).then_some(Span {
                    title: s.title,
                    rows: s.rows.len(),
                }),
            });
        }
    }
    out
}

/// A 留言 as the 互动交流 page shows it (masked by the gate).
#[derive(Serialize)]
struct MessageCtx<'a> {
    title: &'a str,
    anchor: &'a str,
    received: String,
    asker: Option<&'a str>,
    /// The letter's paragraphs.
    letter: Vec<String>,
    office: &'a str,
    replied: Option<String>,
    reply_html: &'a str,
    days: Option<i64>,
    example: bool,
}

/// A letter's paragraphs: lines joined (a platform wraps them), blank lines between.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[derive(Serialize)]
struct ServiceRef<'a> {
    title: &'a str,
    url: String,
    department: &'a str,
    service_type: Option<&'a str>,
    fully_online: bool,
    online_url: Option<&'a str>,
    summary: &'a str,
}

#[derive(Serialize)]
struct LeaderRef<'a> {
    name: &'a str,
    position: &'a str,
    duties: &'a str,
    url: String,
    photo: Option<&'a str>,
    photo_alt: String,
}

impl<'a> Renderer<'a> {
    /// The latest 报表, as the home page shows it (from 1 January until the next).
    pub(super) fn latest_website_report(&self) -> Option<ItemRef<'a>> {
        self.site
            .website_reports
            .first()
            .map(|r| self.website_report_ref(r))
    }

    fn website_report_ref(&self, r: &'a WebsiteReport) -> ItemRef<'a> {
        ItemRef {
            title: &r.title,
            url: self.url(&self.site.config.paths.website_report(r.year)),
            date: r.published.map(|d| d.ymd()).unwrap_or_default(),
            kind: "website_report",
            category: Some(FORM.name),
            category_url: Some(self.url(&self.site.config.paths.website_reports())),
            summary: "",
            status: None,
        }
    }

    /// The 办事指南 on the home page (the first few, by title).
    pub(super) fn home_services(&self) -> Vec<ItemRef<'a>> {
        let p = &self.site.config.paths;
        self.site
            .services
            .iter()
            .take(6)
            .map(|x| ItemRef {
                title: &x.front.title,
                url: self.url(&x.path),
                date: x.front.date.ymd(),
                kind: "service",
                category: x.front.service_type.as_deref(),
                category_url: Some(self.url(&p.services())),
                summary: &x.summary_text,
                status: None,
            })
            .collect()
    }

    /// The latest 留言 answered, on the home page.
    pub(super) fn home_messages(&self) -> Vec<ItemRef<'a>> {
        let base = self.site.config.paths.interaction();
        self.site
            .messages
            .iter()
            .filter(|m| m.answered())
            .take(5)
            .map(|m| ItemRef {
                title: &m.front.title,
                url: format!("{}#{}", self.url(&base), m.anchor),
                date: m.front.replied.unwrap_or(m.front.received).ymd(),
                kind: "message",
                category: Some("留言答复"),
                category_url: Some(self.url(&base)),
                summary: "",
                status: None,
            })
            .collect()
    }

    pub(super) fn website_reports_page(&self, path: &str) -> PageContext {
        let p = &self.site.config.paths;
        let mut ctx = self.simple(
            "website_reports",
            FORM.name,
            path,
            &[(FORM.name, &p.website_reports())],
        );
        let list: Vec<ItemRef> = self
            .site
            .website_reports
            .iter()
            .map(|r| self.website_report_ref(r))
            .collect();
        ctx.insert("reports", &list);
        ctx.insert("basis", FORM.basis);
        ctx
    }

    pub(super) fn website_report_page(&self, path: &str, i: usize) -> PageContext {
        let r = &self.site.website_reports[i];
        let p = &self.site.config.paths;
        let mut ctx = self.simple(
            "website_report",
            &r.title,
            path,
            &[
                (FORM.name, &p.website_reports()),
                (&format!("{} 年", r.year), path),
            ],
        );
        let sections =
            website_report::filled(r, &website_report::figures::compute(self.site, r.year));
        ctx.insert("rows", &rows(&sections));
        ctx.insert("year", &r.year);
        ctx.insert("published", &r.published.map(|d| d.chinese()));
        ctx.insert("basis", FORM.basis);
        ctx.insert("example", &r.example);
        ctx.insert(
            "downloads",
            self.website_downloads.get(i).map_or(&[][..], Vec::as_slice),
        );
        ctx
    }

    pub(super) fn interaction_page(&self, path: &str, page: usize) -> PageContext {
        let s = self.site;
        let base = s.config.paths.interaction();
        let mut ctx = self.simple("interaction", "互动交流", path, &[("互动交流", &base)]);
        let agency = s.config.agency.name.as_str();
        let messages: Vec<MessageCtx> = self
            .slice(&s.messages, page)
            .iter()
            .map(|m| MessageCtx {
                title: &m.front.title,
                anchor: &m.anchor,
                received: m.front.received.ymd(),
                asker: m.front.asker.as_deref(),
                letter: paragraphs(&m.front.letter),
                office: m.front.reply_office.as_deref().unwrap_or(agency),
                replied: m.front.replied.map(|d| d.ymd()),
                reply_html: &m.reply_html,
                days: m.days_to_reply(),
                example: m.front.example,
            })
            .collect();
        ctx.insert("messages", &messages);
        ctx.insert("channels", &s.config.interaction.channels);
        ctx.insert("unified", &s.config.interaction.unified);
        ctx.insert("paginator", &self.paginator(&base, page, s.messages.len()));
        ctx
    }

    fn service_ref<'s>(&'s self, x: &'s crate::model::website::Service) -> ServiceRef<'s> {
        ServiceRef {
            title: &x.front.title,
            url: self.url(&x.path),
            department: x
                .front
                .department
                .as_deref()
                .unwrap_or(&self.site.config.agency.name),
            service_type: x.front.service_type.as_deref(),
            fully_online: x.front.fully_online,
            online_url: x.front.online_url.as_deref().or(self
                .site
                .config
                .services
                .portal
                .as_deref()),
            summary: &x.summary_text,
        }
    }

    pub(super) fn services_page(&self, path: &str) -> PageContext {
        let s = self.site;
        let mut ctx = self.simple(
            "services",
            "办事服务",
            path,
            &[("办事服务", &s.config.paths.services())],
        );
        let list: Vec<ServiceRef> = s.services.iter().map(|x| self.service_ref(x)).collect();
        ctx.insert("services", &list);
        ctx.insert("portal", &s.config.services);
        ctx
    }

    pub(super) fn service_page(&self, path: &str, i: usize) -> PageContext {
        let s = self.site;
        let x = &s.services[i];
        let mut ctx = self.simple(
            "service",
            &x.front.title,
            path,
            &[
                ("办事服务", &s.config.paths.services()),
                (&x.front.title, path),
            ],
        );
        ctx.insert("service", &self.service_ref(x));
        ctx.insert("item", x);
        ctx.insert("content", &x.body_html);
        ctx.insert("portal", &s.config.services);
        ctx
    }

    pub(super) fn organization_page(&self, path: &str) -> PageContext {
        let s = self.site;
        let mut ctx = self.simple(
            "organization",
            "机构职能",
            path,
            &[("机构职能", &s.config.paths.organization())],
        );
        if let Some(o) = &s.organization {
            let a = &s.config.agency;
            ctx.insert("organization", o);
            ctx.insert("duties", &o.duties_html);
            ctx.insert("address", &o.front.address.as_ref().or(a.address.as_ref()));
            ctx.insert("phone", &o.front.phone.as_ref().or(a.phone.as_ref()));
            ctx.insert("updated", &o.front.updated.ymd());
        }
        ctx.insert("leaders", &self.leader_refs());
        ctx
    }

    fn leader_refs(&self) -> Vec<LeaderRef<'_>> {
        self.site
            .leaders
            .iter()
            .map(|l| LeaderRef {
                name: &l.front.name,
                position: &l.front.position,
                duties: &l.front.duties,
                url: self.url(&l.path),
                photo: l.photo.as_ref().map(|p| p.url.as_str()),
                photo_alt: format!("{}的照片", l.front.name),
            })
            .collect()
    }

    pub(super) fn leaders_page(&self, path: &str) -> PageContext {
        let mut ctx = self.simple(
            "leaders",
            "领导信息",
            path,
            &[("领导信息", &self.site.config.paths.leaders())],
        );
        ctx.insert("leaders", &self.leader_refs());
        ctx
    }

    pub(super) fn leader_page(&self, path: &str, i: usize) -> PageContext {
        let l = &self.site.leaders[i];
        let mut ctx = self.simple(
            "leader",
            &l.front.name,
            path,
            &[
                ("领导信息", &self.site.config.paths.leaders()),
                (&l.front.name, path),
            ],
        );
        ctx.insert("leader", l);
        ctx.insert("resume", &l.resume_html);
        ctx.insert("photo", &l.photo.as_ref().map(|p| p.url.as_str()));
        ctx.insert("updated", &l.front.updated.ymd());
        ctx
    }

    pub(super) fn media_page(&self, path: &str) -> PageContext {
        self.simple(
            "media",
            "政务新媒体",
            path,
            &[("政务新媒体", &self.site.config.paths.media())],
        )
    }
}
