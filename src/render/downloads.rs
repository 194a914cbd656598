//! The files pages offer for download: a report's PDF (laid out by Typst), its data as
//! JSON and its application table as CSV, the overview's figures of every year, and the
//! 申请表 of 依申请公开 as a PDF.

use rayon::prelude::*;

use super::Engine;
use super::report::Download;
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
}

/// The generated files of every report (PDF, `report.json`, the CSV of 表三), of the
/// overview (`reports.csv`, `reports.json`) and the 申请表's PDF, with the download lists.
pub(super) fn generated_files(site: &Site, theme: &Theme, base_path: &str) -> Made {
    let mut diags = Diagnostics::new();
    #[cfg_attr(not(feature = "pdf"), allow(unused_mut))]
    let mut fonts = None;
    #[cfg(feature = "pdf")]
    let engine = pdf_engine(site, theme, &mut diags);
    #[cfg(feature = "pdf")]
    if let Some(e) = &engine {
        fonts = Some(e.used.clone());
    }
    let no_font = diags
        .iter()
        .find(|d| d.code == "pdf-font" && !d.is_error())
        .map(|d| d.message.clone());
    let missing = no_font
        .map(|why| unmade_pdfs(site, theme, &why))
        .unwrap_or_default();
    #[cfg(not(feature = "pdf"))]
    let (_, engine) = (theme, None::<Engine>);
    let per_report: Vec<(Vec<OutFile>, Vec<Download>, Option<Diagnostic>)> = site
        .reports
        .par_iter()
        .map(|rep| one_report(site, rep, engine.as_ref(), base_path))
        .collect();
    let mut files = Vec::new();
    #[cfg(feature = "pdf")]
    let application_pdf = engine
        .as_ref()
        .and_then(|e| application_pdf(site, theme, e, base_path, &mut files, &mut diags));
    #[cfg(not(feature = "pdf"))]
    let application_pdf = None;
    let layout = theme
        .pdf
        .get("website_report.typ")
        .map(|f| f.bytes.as_slice());
    let website = super::website::report_files(site, engine.as_ref().zip(layout), base_path);
    files.extend(website.files);
    diags.extend(website.diagnostics);
    // Typst memoises layout work in a global cache; the PDFs are done, so free it before
    // the pages are rendered (it is most of a build's peak memory otherwise).
    #[cfg(feature = "pdf")]
    {
        drop(engine);
        typst::comemo::evict(0);
    }
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
        pdf_fonts: fonts,
        missing,
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

/// The PDF engine with the theme's report layout, when the site has anything to lay out
/// and PDFs are on.
#[cfg(feature = "pdf")]
fn pdf_engine(
    site: &Site,
    theme: &Theme,
    diags: &mut Diagnostics,
) -> Option<crate::render::pdf::Engine> {
    let wanted = !site.reports.is_empty()
        || !site.website_reports.is_empty()
        || site.config.application.is_some();
    if !site.config.pdf.enabled || !wanted {
        return None;
    }
    let (name, template) = theme
        .pdf
        .get("report.typ")
        .map(|f| {
            (
                crate::render::theme::origin_name(&site.root, "report.typ", &f.origin)
                    .replace("templates/", "pdf/"),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .unwrap_or_default();
    crate::render::pdf::Engine::load(&site.root, &site.config.pdf, &template, &name)
        .map_err(|d| diags.push(*d))
        .ok()
}

/// The 申请表 as a PDF (the theme's `pdf/application.typ`), added to `files`.
#[cfg(feature = "pdf")]
fn application_pdf(
    site: &Site,
    theme: &Theme,
    engine: &crate::render::pdf::Engine,
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
    let (body, heading) = engine.fonts();
    let data = Data {
        form: crate::model::catalogue::application::Form::new(&application.office),
        fonts: Fonts { body, heading },
    };
    let json = serde_json::to_vec(&data).unwrap_or_default();
    match engine.compile(&String::from_utf8_lossy(&layout.bytes), json, None) {
        Ok(bytes) => {
            let (path, saved_as) = site.config.paths.application_pdf();
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
    rep: &crate::model::report::Report,
    engine: Option<&Engine>,
    base_path: &str,
) -> (Vec<OutFile>, Vec<Download>, Option<Diagnostic>) {
    let dir = site.config.paths.report(rep.year);
    let mut made: Vec<MadeFile> = Vec::new();
    #[cfg_attr(not(feature = "pdf"), allow(unused_mut))]
    let mut problem = None;
    #[cfg(not(feature = "pdf"))]
    let _ = engine;
    #[cfg(feature = "pdf")]
    if let Some(engine) = engine {
        match engine.render(rep) {
            Ok(bytes) => {
                let (name, saved_as) = site.config.paths.report_pdf(&rep.agency, rep.year);
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
