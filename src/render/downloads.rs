//! The files a report page offers for download: the PDF (laid out by Typst), the data as
//! JSON and the application table as CSV, and the overview's figures of every year.

use rayon::prelude::*;

use super::report::Download;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Body, OutFile};
use crate::site::Site;
use crate::theme::Theme;

/// A file made for a report's downloads.
struct Made {
    name: String,
    /// The name it is saved under, when its URL's is not that (ASCII paths).
    saved_as: Option<String>,
    title: &'static str,
    format: &'static str,
    bytes: Vec<u8>,
}

/// The generated files of every report (PDF, `report.json`, the CSV of 表三) and of the
/// overview (`reports.csv`, `reports.json`), with each report's download list.
pub(super) fn report_files(
    site: &Site,
    theme: &Theme,
    base_path: &str,
) -> (Vec<OutFile>, Vec<Vec<Download>>, Diagnostics) {
    let mut diags = Diagnostics::new();
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
            Ok(e) => Some(e),
            Err(d) => {
                diags.push(*d);
                None
            }
        }
    } else {
        None
    };
    #[cfg(not(feature = "pdf"))]
    let (_, engine) = (theme, None::<Engine>);
    let per_report: Vec<(Vec<OutFile>, Vec<Download>, Option<Diagnostic>)> = site
        .reports
        .par_iter()
        .map(|rep| one_report(site, rep, engine.as_ref(), base_path))
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
            path: format!("{}reports.csv", site.config.paths.reports()),
            body: Body::Bytes(crate::report::export::overview_csv(&site.reports)),
        });
        files.push(OutFile {
            path: format!("{}reports.json", site.config.paths.reports()),
            body: Body::Bytes(crate::report::export::overview_json(&site.reports)),
        });
    }
    (files, downloads, diags)
}

/// The PDF engine, when PDFs are made.
#[cfg(feature = "pdf")]
type Engine = crate::pdf::Engine;
#[cfg(not(feature = "pdf"))]
type Engine = ();

/// One report's files and download list, and the problem its PDF had, if any.
fn one_report(
    site: &Site,
    rep: &crate::report::Report,
    engine: Option<&Engine>,
    base_path: &str,
) -> (Vec<OutFile>, Vec<Download>, Option<Diagnostic>) {
    let dir = site.config.paths.report(rep.year);
    let mut made: Vec<Made> = Vec::new();
    #[cfg_attr(not(feature = "pdf"), allow(unused_mut))]
    let mut problem = None;
    #[cfg(not(feature = "pdf"))]
    let _ = engine;
    #[cfg(feature = "pdf")]
    if let Some(engine) = engine {
        match engine.render(rep) {
            Ok(bytes) => {
                let (name, saved_as) = site.config.paths.report_pdf(&rep.agency, rep.year);
                made.push(Made {
                    name,
                    saved_as,
                    title: "年度报告（PDF 版）",
                    format: "PDF",
                    bytes,
                });
            }
            Err(d) => problem = Some(*d),
        }
    }
    made.push(Made {
        name: "report.json".into(),
        saved_as: None,
        title: "全部数据（JSON）",
        format: "JSON",
        bytes: crate::report::export::report_json(rep),
    });
    if let Some(csv) = crate::report::export::applications_csv(rep) {
        let (name, saved_as) = site.config.paths.report_csv();
        made.push(Made {
            name,
            saved_as,
            title: "申请情况表（CSV，可用 Excel 打开）",
            format: "CSV",
            bytes: csv,
        });
    }
    let mut downloads: Vec<Download> = made
        .iter()
        .map(|m| Download {
            title: m.title.to_string(),
            url: format!("{base_path}{dir}{}", m.name),
            format: m.format.to_string(),
            size_text: crate::content::size_text(m.bytes.len() as u64),
            download: m.saved_as.clone(),
        })
        .collect();
    downloads.extend(rep.attachments.iter().map(|a| Download {
        title: a.title.clone(),
        url: a.url.clone(),
        format: a.format.clone(),
        size_text: a.size_text.clone(),
        download: None,
    }));
    let files = made
        .into_iter()
        .map(|m| OutFile {
            path: format!("{dir}{}", m.name),
            body: Body::Bytes(m.bytes),
        })
        .collect();
    (files, downloads, problem)
}
