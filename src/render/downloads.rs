//! The files a report page offers for download: the PDF (laid out by Typst), the data as
//! JSON and the application table as CSV, and the overview's figures of every year.

use rayon::prelude::*;

use super::report::Download;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Body, OutFile};
use crate::paths;
use crate::site::Site;
use crate::theme::Theme;

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
    let _ = theme;
    let per_report: Vec<(Vec<OutFile>, Vec<Download>, Option<Diagnostic>)> = site
        .reports
        .par_iter()
        .map(|rep| {
            let dir = paths::report(rep.year);
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
            path: format!("{}reports.csv", paths::REPORTS),
            body: Body::Bytes(crate::report::export::overview_csv(&site.reports)),
        });
        files.push(OutFile {
            path: format!("{}reports.json", paths::REPORTS),
            body: Body::Bytes(crate::report::export::overview_json(&site.reports)),
        });
    }
    (files, downloads, diags)
}
