//! The files pages offer for download: a report's PDF (laid out by Typst), its data as
//! JSON and its application table as CSV, the overview's figures of every year, and the
//! 申请表 of 依申请公开 as a PDF.

use rayon::prelude::*;

use super::memo::PageMemo;
use super::report::Download;
use super::search::patch::Read;
use super::typeset::Typesetter;
use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::model::site::Site;
use crate::output::{Body, OutFile};
use crate::render::theme::Theme;

/// A file made for a report's downloads.
struct MadeFile {
    name: String,
    /// The name it is saved under, when its URL's is not that (ASCII paths).
    saved_as: Option<String>,
    title: &'static str,
    format: &'static str,
    bytes: Vec<u8>,
}

/// What the downloads stage made.
pub(super) struct Made {
    pub(super) files: Vec<OutFile>,
    /// Each report's download list, in the order of `site.reports`.
    pub(super) downloads: Vec<Vec<Download>>,
    pub(super) application_pdf: Option<Download>,
    /// Each 报表's download list, in the order of `site.website_reports`.
    pub(super) website_downloads: Vec<Vec<Download>>,
    pub(super) diagnostics: Diagnostics,
    /// Which fonts the PDFs were set in, for the build's summary.
    pub(super) pdf_fonts: Option<String>,
    /// The PDFs not made for want of a Chinese font.
    pub(super) missing: Vec<crate::output::record::Missing>,
    /// Each PDF's path and key.
    pub(super) keys: Vec<(String, crate::ground::digest::Key)>,
}

/// The generated files of every report (PDF, `report.json`, the CSV of 表三), of the
/// overview (`reports.csv`, `reports.json`) and the 申请表's PDF, with the download lists.
/// PDFs whose key is that of `last` are read back from the output ([`Typesetter`]).
pub(super) fn generated_files(
    site: &Site,
    theme: &Theme,
    base_path: &str,
    last: Option<(&PageMemo, Read)>,
) -> Made {
    #[cfg_attr(not(feature = "pdf"), allow(unused_mut))]
    let mut diags = Diagnostics::new();
    let typesetter = Typesetter::new(site, theme, last);
    let per_report: Vec<(Vec<OutFile>, Vec<Download>, Option<Diagnostic>)> = site
        .reports
        .par_iter()
        .map(|rep| one_report(site, theme, rep, &typesetter, base_path))
        .collect();
    let mut files = Vec::new();
    #[cfg(feature = "pdf")]
    let application_pdf =
        application_pdf(site, theme, &typesetter, base_path, &mut files, &mut diags);
    #[cfg(not(feature = "pdf"))]
    let application_pdf = None;
    let layout = theme
        .pdf
        .get("website_report.typ")
        .map(|f| f.bytes.as_slice());
    let website = super::website::report_files(site, &typesetter, layout, base_path);
    let typeset = typesetter.finish(last.and_then(|(memo, _)| memo.fonts().map(str::to_string)));
    // The problems of loading the engine first, as when it was loaded before the PDFs.
    let mut problems = typeset.problems;
    problems.extend(diags);
    let mut diags = problems;
    files.extend(website.files);
    diags.extend(website.diagnostics);
    let no_font = diags
        .iter()
        .find(|d| d.code == "pdf-font" && !d.is_error())
        .map(|d| d.message.clone());
    let missing = no_font
        .map(|why| unmade_pdfs(site, theme, &why))
        .unwrap_or_default();
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
            body: Body::Bytes(crate::model::report::export::overview_csv(&site.reports)),
        });
        files.push(OutFile {
            path: format!("{}reports.json", site.config.paths.reports()),
            body: Body::Bytes(crate::model::report::export::overview_json(&site.reports)),
        });
    }
    Made {
        files,
        downloads,
        application_pdf,
        website_downloads: website.downloads,
        diagnostics: diags,
        pdf_fonts: typeset.fonts,
        missing,
        keys: typeset.keys,
    }
}

/// The PDFs a build with a Chinese font would have made: every report's and the
/// 申请表's, `why` they are missing.
fn unmade_pdfs(site: &Site, theme: &Theme, why: &str) -> Vec<crate::output::record::Missing> {
    let paths = &site.config.paths;
    let application = crate::model::catalogue::application::Application::of(&site.config).is_some()
        && theme.pdf.contains_key("application.typ");
    site.reports
        .iter()
        .map(|r| {
            format!(
                "{}{}",
                paths.report(r.year),
                paths.report_pdf(&r.agency, r.year).0
            )
        })
        .chain(application.then(|| paths.application_pdf().0))
        .map(|path| crate::output::record::Missing {
            path,
            why: why.to_string(),
        })
        .collect()
}

/// The 申请表 as a PDF (the theme's `pdf/application.typ`), added to `files`.
#[cfg(feature = "pdf")]
fn application_pdf(
    site: &Site,
    theme: &Theme,
    typesetter: &Typesetter,
    base_path: &str,
    files: &mut Vec<OutFile>,
    diags: &mut Diagnostics,
) -> Option<Download> {
    #[derive(serde::Serialize)]
    struct Data<'a> {
        form: crate::model::catalogue::application::Form,
        fonts: Fonts<'a>,
    }
    #[derive(serde::Serialize)]
    struct Fonts<'a> {
        body: &'a str,
        heading: &'a str,
    }
    let application = crate::model::catalogue::application::Application::of(&site.config)?;
    let layout = theme.pdf.get("application.typ")?;
    let layout_text = String::from_utf8_lossy(&layout.bytes);
    let (path, saved_as) = site.config.paths.application_pdf();
    let data = |(body, heading): (&str, &str)| {
        let data = Data {
            form: crate::model::catalogue::application::Form::new(&application.office),
            fonts: Fonts { body, heading },
        };
        serde_json::to_vec(&data).unwrap_or_default()
    };
    let made = typesetter.pdf(&path, &layout_text, None, data, |engine, json| {
        engine.compile(&layout_text, json, None)
    })?;
    match made {
        Ok(bytes) => {
            let download = Download {
                title: "政府信息公开申请表（PDF 版）".into(),
                url: format!("{base_path}{}", crate::config::paths::escape(&path)),
                format: "PDF".into(),
                size_text: crate::model::content::size_text(bytes.len() as u64),
                download: saved_as,
            };
            files.push(OutFile {
                path,
                body: Body::Bytes(bytes),
            });
            Some(download)
        }
        Err(what) => {
            let name =
                crate::render::theme::origin_name(&site.root, "application.typ", &layout.origin)
                    .replace("templates/", "pdf/");
            diags.push(
                Diagnostic::error(
                    "pdf",
                    name.clone(),
                    format!("生成申请表的 PDF 失败：{what}"),
                )
                .help(format!("检查 PDF 版式文件 {name}。")),
            );
            None
        }
    }
}

/// One report's files and download list, and the problem its PDF had, if any.
fn one_report(
    site: &Site,
    theme: &Theme,
    rep: &crate::model::report::Report,
    typesetter: &Typesetter,
    base_path: &str,
) -> (Vec<OutFile>, Vec<Download>, Option<Diagnostic>) {
    let dir = site.config.paths.report(rep.year);
    let mut made: Vec<MadeFile> = Vec::new();
    #[cfg_attr(not(feature = "pdf"), allow(unused_mut))]
    let mut problem = None;
    #[cfg(not(feature = "pdf"))]
    let _ = (theme, typesetter);
    #[cfg(feature = "pdf")]
    let (name, saved_as) = site.config.paths.report_pdf(&rep.agency, rep.year);
    #[cfg(feature = "pdf")]
    if let Some(pdf) = typesetter.pdf(
        &format!("{dir}{name}"),
        &theme.pdf.get("report.typ").map_or_else(String::new, |f| {
            String::from_utf8_lossy(&f.bytes).into_owned()
        }),
        Some(crate::render::pdf::report_day(rep)),
        |fonts| crate::render::pdf::report_data(rep, fonts),
        |engine, data| engine.render(rep, data),
    ) {
        match pdf {
            Ok(bytes) => {
                made.push(MadeFile {
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
    made.push(MadeFile {
        name: "report.json".into(),
        saved_as: None,
        title: "全部数据（JSON）",
        format: "JSON",
        bytes: crate::model::report::export::report_json(rep),
    });
    if let Some(csv) = crate::model::report::export::applications_csv(rep) {
        let (name, saved_as) = site.config.paths.report_csv();
        made.push(MadeFile {
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
            size_text: crate::model::content::size_text(m.bytes.len() as u64),
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
