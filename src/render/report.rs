//! The yearly report's page and the reports overview: sections, official tables,
//! acknowledged findings, downloads, and the figures of every year side by side.

use serde::Serialize;

use super::Renderer;
use crate::model::report::Report;
use crate::model::report::rules::{Finding, check_report};
use crate::model::report::schema::SectionContent;
use crate::model::report::view::{TableView, table_view};

#[derive(Serialize)]
pub(super) struct SectionCtx {
    pub(super) key: &'static str,
    pub(super) title: &'static str,
    pub(super) html: Option<String>,
    pub(super) table: Option<TableView>,
}

/// A file a report page offers: generated (PDF, data) or attached by the agency.
#[derive(Serialize, Clone, Debug)]
pub(super) struct Download {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) format: String,
    pub(super) size_text: String,
    /// The name the file is saved under, where its URL's name is not that (ASCII paths).
    pub(super) download: Option<String>,
}

/// The figures of every year, for the reports overview page.
#[derive(Serialize)]
pub(super) struct OverviewCtx {
    pub(super) figures: Vec<&'static str>,
    /// Oldest year first.
    pub(super) years: Vec<OverviewYear>,
    /// Inline SVG, made here: printed with `safe`.
    pub(super) charts: Vec<String>,
    pub(super) csv_url: String,
    pub(super) json_url: String,
}

#[derive(Serialize)]
pub(super) struct OverviewYear {
    pub(super) year: u32,
    pub(super) url: String,
    /// `—` where the year's report format does not have the figure.
    pub(super) values: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct ReportCtx<'a> {
    pub(super) year: u32,
    pub(super) title: &'a str,
    pub(super) agency: &'a str,
    pub(super) published: Option<String>,
    pub(super) url: String,
    pub(super) preamble_html: String,
    pub(super) sections: Vec<SectionCtx>,
    /// Rules that fail but were acknowledged, shown on the page.
    pub(super) findings: Vec<Finding>,
    pub(super) attachments: &'a [crate::model::content::Attachment],
    /// Generated files first, then the attachments.
    pub(super) downloads: Vec<Download>,
    pub(super) basis: &'static str,
    pub(super) example: bool,
}

impl Renderer<'_> {
    pub(super) fn report_ctx<'r>(&self, r: &'r Report, path: &str) -> ReportCtx<'r> {
        let sections = r
            .kind
            .sections
            .iter()
            .map(|sec| match sec.content {
                SectionContent::Text => SectionCtx {
                    key: sec.key,
                    title: sec.title,
                    html: Some(
                        crate::model::markdown::render(
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
            preamble_html: crate::model::markdown::render(&r.preamble, &self.base_path).html,
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

    pub(super) fn overview(&self) -> Option<OverviewCtx> {
        let reports = &self.site.reports;
        if reports.is_empty() {
            return None;
        }
        let figures = crate::model::report::export::overview_figures(reports);
        let rows = crate::model::report::export::overview(reports);
        let charts = figures
            .iter()
            .enumerate()
            .filter(|(_, f)| f.chart)
            .map(|(i, f)| {
                let points: Vec<(u32, Option<String>)> =
                    rows.iter().map(|(y, _, v)| (*y, v[i].clone())).collect();
                crate::model::report::chart::bar_chart(
                    &format!("chart-{}", f.key),
                    f.label,
                    &points,
                )
            })
            .collect();
        Some(OverviewCtx {
            figures: figures.iter().map(|f| f.label).collect(),
            years: rows
                .into_iter()
                .map(|(year, _, values)| OverviewYear {
                    year,
                    url: self.url(&self.site.config.paths.report(year)),
                    values: values
                        .into_iter()
                        .map(|v| v.unwrap_or_else(|| "—".into()))
                        .collect(),
                })
                .collect(),
            charts,
            csv_url: self.url(&format!("{}reports.csv", self.site.config.paths.reports())),
            json_url: self.url(&format!("{}reports.json", self.site.config.paths.reports())),
        })
    }
}
