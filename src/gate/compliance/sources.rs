//! The text a site publishes, line by line, as the privacy and wording checks read it:
//! each item's file as written (front matter and body; a 留言's letter as the gate masks
//! it, since that is how it is published), each report's and 报表's file (its narrative
//! and figures; YAML comments are not published and are skipped), and the text of
//! attachments (plain text; PDF and Word through the importer's readers; Excel
//! workbooks through `xlsx.rs`).

use std::path::Path;

use rayon::prelude::*;

use crate::ground::diagnostics::Pos;
use crate::model::content::Attachment;
use crate::model::site::Site;

/// One line of published text and where it is.
pub struct Line {
    /// Where an editor finds it: the line in the file, or none for a PDF or Word file.
    pub pos: Option<Pos>,
    /// For a PDF or Word attachment: `第 2 页第 3 行` and the like.
    pub place: Option<String>,
    pub text: String,
}

/// A file's published text, with the numbers its item allows.
pub struct Source {
    /// Relative to the site root.
    pub file: String,
    pub lines: Vec<Line>,
    /// `allow_numbers` of the item's front matter.
    pub allowed: Vec<String>,
}

/// Every published text of `site`, in a stable order.
pub fn read(site: &Site) -> Vec<Source> {
    // (file, is YAML, allowed numbers) of every content file, read in parallel.
    let mut files: Vec<(&str, bool, &[String])> = Vec::new();
    // An attachment is read once, with the numbers its item allows.
    let mut attachments: Vec<(&Attachment, &[String])> = Vec::new();
    for n in &site.news {
        files.push((&n.file, false, &n.front.allow_numbers));
        let allowed = &n.front.allow_numbers[..];
        attachments.extend(n.attachments.iter().map(|a| (a, allowed)));
    }
    for x in &site.disclosure {
        files.push((&x.file, false, &x.front.allow_numbers));
        let allowed = &x.front.allow_numbers[..];
        attachments.extend(x.attachments.iter().map(|a| (a, allowed)));
    }
    for r in &site.reports {
        files.push((&r.file, true, &[]));
        attachments.extend(r.attachments.iter().map(|a| (a, &[][..])));
    }
    for m in &site.messages {
        files.push((&m.file, false, &m.front.allow_numbers));
    }
    for x in &site.services {
        files.push((&x.file, false, &x.front.allow_numbers));
    }
    for l in &site.leaders {
        files.push((&l.file, false, &l.front.allow_numbers));
    }
    if let Some(o) = &site.organization {
        files.push((&o.file, false, &o.front.allow_numbers));
    }
    for r in &site.website_reports {
        files.push((&r.file, true, &[]));
    }
    attachments.sort_by(|a, b| a.0.source.cmp(&b.0.source));
    attachments.dedup_by(|a, b| a.0.source == b.0.source);
    let mut out: Vec<Source> = files
        .par_iter()
        .filter_map(|(f, yaml, allowed)| file(site, f, *yaml, allowed))
        .collect();
    for m in &site.messages {
        if let Some(source) = out.iter_mut().find(|s| s.file == m.file) {
            published_letter(source, m.letter_lines);
        }
    }
    let read: Vec<Source> = attachments
        .par_iter()
        .filter_map(|(a, allowed)| attachment(site, a, allowed))
        .collect();
    out.extend(read);
    out
}

/// A 留言's letter (`lines`, first and last from 1) as it is published: masked by the gate
/// (`crate::gate::masking`), so only what the agency wrote is held to the rule.
fn published_letter(source: &mut Source, (first, last): (usize, usize)) {
    for line in &mut source.lines {
        if line.pos.is_some_and(|p| (first..=last).contains(&p.line)) {
            line.text = crate::gate::masking::mask_line(&line.text, u32::MAX);
        }
    }
}

fn file(site: &Site, rel: &str, yaml: bool, allowed: &[String]) -> Option<Source> {
    let text = crate::input::text_file::read(&site.root.join(rel)).ok()?;
    let lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !(yaml && l.trim_start().starts_with('#')))
        .map(|(i, l)| Line {
            pos: Some(Pos::new(i + 1, 1)),
            place: None,
            text: l.to_string(),
        })
        .collect();
    Some(Source {
        file: rel.to_string(),
        lines,
        allowed: allowed.to_vec(),
    })
}

/// The lines of an attachment gongkai can read; none for images, spreadsheets and the like.
fn attachment(site: &Site, a: &Attachment, allowed: &[String]) -> Option<Source> {
    let ext = a.format.to_ascii_lowercase();
    if !matches!(
        ext.as_str(),
        "txt" | "text" | "csv" | "pdf" | "docx" | "xlsx"
    ) {
        return None;
    }
    let bytes = std::fs::read(&a.source).ok()?;
    let file = crate::ground::diagnostics::rel_path(&site.root, Path::new(&a.source));
    if matches!(ext.as_str(), "txt" | "text" | "csv") {
        let text = crate::input::text_file::decode(bytes).ok()?;
        let lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| Line {
                pos: Some(Pos::new(i + 1, 1)),
                place: None,
                text: l.to_string(),
            })
            .collect();
        return Some(Source {
            file,
            lines,
            allowed: allowed.to_vec(),
        });
    }
    let lines: Vec<Line> = if ext == "xlsx" {
        super::xlsx::rows(&bytes)?
            .into_iter()
            .map(|(place, text)| Line {
                pos: None,
                place: Some(place),
                text,
            })
            .collect()
    } else {
        crate::import::text_lines(&bytes, &a.file_name)
            .ok()?
            .iter()
            .map(|l| Line {
                pos: None,
                place: Some(l.loc.to_string()),
                text: l.text(),
            })
            .collect()
    };
    Some(Source {
        file,
        lines,
        allowed: allowed.to_vec(),
    })
}
