//! What a member's build leaves for the group's pages: who it is, its counts, its latest
//! items, its reports' key figures and rule findings, and its pages as the group search
//! indexes them. Kept in the output beside the member's files (`.gongkai-group/`, a dot
//! folder that is never published), so that a build that skips an unchanged member, and
//! `build --merge` on another machine, make the group pages without the member's sources.

use serde::{Deserialize, Serialize};

use super::config::{Group, Member, MemberKind};
use crate::config::Agency;
use crate::config::paths;
use crate::gate::Gated;
use crate::ground::diagnostics::Diagnostic;
use crate::model::report::rules::check_report;
use crate::output::record::Missing;
use crate::output::{Body, OutFile};

/// Changes when the summary's shape does: an older summary is rebuilt, not misread.
pub const FORMAT: u32 = 3;

/// A member's 报表 as its summary keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebsiteReportSummary {
    pub year: u32,
    pub title: String,
    /// From the group's root (`wb/wzbb/2025/`).
    pub path: String,
    pub published: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MemberSummary {
    pub format: u32,
    /// The group it was built for ([`super::fingerprint`]): `--merge` refuses shards
    /// built from another group.toml or theme.
    pub group: String,
    pub slug: String,
    /// The agency's name.
    pub name: String,
    /// The member site's title.
    pub title: String,
    pub kind: MemberKind,
    pub since: Option<u32>,
    pub agency: Agency,
    pub news: usize,
    pub disclosure: usize,
    pub pages: usize,
    /// Newest first.
    pub latest: Vec<LatestItem>,
    /// Newest year first.
    pub reports: Vec<ReportSummary>,
    /// Its 政府网站工作年度报表, newest year first.
    #[serde(default)]
    pub website_reports: Vec<WebsiteReportSummary>,
    /// The newest date the member's content carries (`2025-03-10`).
    pub newest: Option<String>,
    /// Every file of the member's output, with its folder (`wb/index.html`).
    pub files: Vec<String>,
    /// The SHA-256 of each of `files` and of its search records as written: `--merge`
    /// copies from a shard (an artifact of another machine) only files that still match.
    #[serde(default)]
    pub hashes: std::collections::BTreeMap<String, String>,
    /// The warnings of its build, shown again when it is not rebuilt.
    pub diagnostics: Vec<Diagnostic>,
    /// What its gate held back and who signed what it published.
    #[serde(default)]
    pub decision: crate::gate::Decision,
    /// The fonts its PDFs were set in.
    #[serde(default)]
    pub pdf_fonts: Option<String>,
    /// The key of each of its PDFs (by its path in the member's folder): the next build
    /// reads back those whose key is the same instead of typesetting them.
    #[serde(default)]
    pub pdfs: crate::render::memo::PageMemo,
    /// The files its build could not make (PDFs for want of a font), from the group's
    /// root: the next build makes it again.
    #[serde(default)]
    pub missing: Vec<Missing>,
}

/// What a member's render made besides its files, for its summary.
pub struct Made {
    pub pdf_fonts: Option<String>,
    /// The key of each PDF.
    pub pdfs: crate::render::memo::PageMemo,
    /// From the group's root (`wb/zwgk/ndbg/2024/….pdf`).
    pub missing: Vec<Missing>,
}

/// A news or disclosure item in the group's lists.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LatestItem {
    pub title: String,
    /// From the group's root (`wb/news/2024/签证/`).
    pub path: String,
    pub date: String,
    pub when: i64,
    /// `news` or `disclosure`.
    pub kind: String,
    pub category: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportSummary {
    pub year: u32,
    pub title: String,
    pub path: String,
    pub published: Option<String>,
    /// The report type's id and basis (`国办公开办函〔2021〕30号`).
    pub kind: String,
    pub basis: String,
    pub figures: Vec<Figure>,
    /// The 勾稽 rules that fail within the report.
    pub findings: Vec<Failing>,
}

/// A key figure of a report, as published.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Figure {
    pub key: String,
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Failing {
    pub rule: String,
    pub message: String,
    /// Kept as published, for this reason.
    pub acknowledged: Option<String>,
}

impl ReportSummary {
    pub fn figure(&self, key: &str) -> Option<&str> {
        self.figures
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.as_str())
    }
}

pub use crate::render::search::SearchRecord;

/// The summary of member `m`, built into `files` from `site`, and its search records.
pub fn summarize(
    group: &Group,
    fingerprint: &str,
    (m, gated, made): (&Member, &Gated, Made),
    files: &[String],
    diagnostics: Vec<Diagnostic>,
) -> (MemberSummary, Vec<SearchRecord>) {
    let site = gated.site();
    let prefix = paths::group::member(&m.slug);
    let mut latest: Vec<LatestItem> = site
        .news
        .iter()
        .map(|n| LatestItem {
            title: n.front.title.clone(),
            path: format!("{prefix}{}", n.path),
            date: n.front.date.ymd(),
            when: n.front.date.sort_key(),
            kind: "news".into(),
            category: n.front.category.clone(),
        })
        .chain(site.disclosure.iter().map(|d| LatestItem {
            title: d.front.title.clone(),
            path: format!("{prefix}{}", d.path),
            date: d.front.date.ymd(),
            when: d.front.date.sort_key(),
            kind: "disclosure".into(),
            category: Some(d.kind_label.to_string()),
        }))
        .collect();
    latest.sort_by(|a, b| b.when.cmp(&a.when).then_with(|| a.path.cmp(&b.path)));
    latest.truncate(group.config.latest.page.max(group.config.latest.home));
    let newest = site
        .news
        .iter()
        .map(|n| n.front.date)
        .chain(site.disclosure.iter().map(|d| d.front.date))
        .chain(site.reports.iter().filter_map(|r| r.published))
        .max_by_key(|d| d.sort_key())
        .map(|d| d.ymd());
    let reports = site
        .reports
        .iter()
        .map(|r| ReportSummary {
            year: r.year,
            title: r.title.clone(),
            path: format!("{prefix}{}", site.config.paths.report(r.year)),
            published: r.published.map(|d| d.ymd()),
            kind: r.kind.id.to_string(),
            basis: r.kind.basis.to_string(),
            figures: r
                .kind
                .key_figures
                .iter()
                .map(|f| Figure {
                    key: f.key.to_string(),
                    label: f.label.to_string(),
                    value: crate::model::report::export::key_figure(r, f),
                })
                .collect(),
            findings: check_report(r)
                .into_iter()
                .map(|f| Failing {
                    rule: f.rule.to_string(),
                    message: f.message,
                    acknowledged: f.acknowledged,
                })
                .collect(),
        })
        .collect();
    let website_reports = site
        .website_reports
        .iter()
        .map(|r| WebsiteReportSummary {
            year: r.year,
            title: r.title.clone(),
            path: format!("{prefix}{}", site.config.paths.website_report(r.year)),
            published: r.published.map(|d| d.ymd()),
        })
        .collect();
    let body_chars = group.config.search.body_chars;
    let records = crate::render::search::documents(site)
        .into_iter()
        .map(|d| SearchRecord {
            label: format!("{} · {}", site.config.agency.name, d.label),
            path: format!("{prefix}{}", d.path),
            text: d
                .text
                .get()
                .chars()
                .take(body_chars)
                .collect::<String>()
                .into(),
            title: d.title,
            date: d.date,
            when: d.when,
            column: d.column,
            meta: d.meta,
            // The group's record is not the member's (its label, address and cut).
            input: 0,
        })
        .collect();
    let summary = MemberSummary {
        format: FORMAT,
        group: fingerprint.to_string(),
        slug: m.slug.clone(),
        name: site.config.agency.name.clone(),
        title: site.config.title.clone(),
        kind: m.kind,
        since: m.since,
        agency: site.config.agency.clone(),
        news: site.news.len(),
        disclosure: site.disclosure.len(),
        pages: files.iter().filter(|f| f.ends_with(".html")).count(),
        latest,
        reports,
        website_reports,
        newest,
        files: files.to_vec(),
        hashes: std::collections::BTreeMap::new(),
        diagnostics,
        decision: gated.decision.clone(),
        pdf_fonts: made.pdf_fonts,
        pdfs: made.pdfs,
        missing: made.missing,
    };
    (summary, records)
}

impl MemberSummary {
    /// Reports, news and disclosure items.
    pub fn items(&self) -> usize {
        self.reports.len() + self.news + self.disclosure
    }

    /// The member's folder in the output (`wb/`).
    pub fn path(&self) -> String {
        paths::group::member(&self.slug)
    }

    pub fn file(&self) -> OutFile {
        OutFile {
            path: paths::group::summary(&self.slug),
            body: Body::Bytes(serde_json::to_vec(self).unwrap_or_default()),
        }
    }

    /// The summary a build left in `dir` (an output folder), if it is one this build
    /// can use.
    pub fn read(path: &std::path::Path) -> Option<MemberSummary> {
        let s: MemberSummary = crate::output::fingerprint::load_json(path)?;
        (s.format == FORMAT).then_some(s)
    }
}

/// The search records of a member as an output file.
pub fn records_file(slug: &str, records: &[SearchRecord]) -> OutFile {
    OutFile {
        path: paths::group::search_records(slug),
        body: Body::Bytes(serde_json::to_vec(records).unwrap_or_default()),
    }
}

/// The search records a build left at `path`.
pub fn read_records(path: &std::path::Path) -> anyhow::Result<Vec<SearchRecord>> {
    let bytes = crate::ground::fs::read(path)?;
    serde_json::from_slice(&bytes).map_err(|e| anyhow::anyhow!("无法读取 {}：{e}", path.display()))
}
