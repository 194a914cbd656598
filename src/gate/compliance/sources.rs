//! The text a site publishes, line by line, as the privacy and wording checks read it:
//! each item's file as written (front matter and body; a 留言's letter as the gate masks
//! it, since that is how it is published), each report's and 报表's file (its narrative
//! and figures; YAML comments are not published and are skipped), and the text of
//! attachments (plain text; PDF and Word through the importer's readers; Excel
//! workbooks through `xlsx.rs`).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::ground::diagnostics::Pos;
use crate::ground::digest::{Hasher, Key};
use crate::model::content::Attachment;
use crate::model::site::{Site, text_digest};

/// One line of published text and where it is.
pub struct Line {
    /// Where an editor finds it: the line in the file, or none for a PDF or Word file.
    pub pos: Option<Pos>,
    /// For a PDF or Word attachment: `第 2 页第 3 行` and the like.
    pub place: Option<String>,
    pub text: String,
}

/// A file the site publishes, with the numbers its item allows. Its lines are made when
/// they are read ([`Source::lines`]): a check whose findings are kept from the last build
/// ([`super::memo`]) needs only the file's [`Source::digest`], which for a content file is
/// the loader's ([`Site::digests`]), so that an unchanged text is not even read again.
pub struct Source {
    /// Relative to the site root.
    pub file: String,
    /// `allow_numbers` of the item's front matter.
    pub allowed: Vec<String>,
    /// The hash of its text as the build loaded it (an attachment: of its bytes).
    digest: Key,
    content: Content,
}

enum Content {
    /// A content file, read again for its lines only when they are wanted. YAML comments
    /// are not published; a 留言's letter (lines `letter`, first and last from 1) is
    /// published as the gate masks it.
    Text {
        path: PathBuf,
        yaml: bool,
        letter: Option<(usize, usize)>,
    },
    /// An attachment gongkai can read (its format `ext`), read again for its lines only
    /// when they are wanted.
    Attachment {
        path: PathBuf,
        ext: String,
        name: String,
    },
}

/// A file that is no longer what it was when the build read it: saved again while the
/// build ran.
pub struct Changed;

impl Source {
    /// Feeds what the file's lines are made from to `h`: how it is read, and the hash of
    /// its text (as loaded) or of its bytes.
    pub fn digest(&self, h: &mut Hasher) {
        match &self.content {
            Content::Text { yaml, letter, .. } => {
                h.update(&[0, u8::from(*yaml)]);
                let (first, last) = letter.unwrap_or_default();
                h.update(&(first as u64).to_le_bytes());
                h.update(&(last as u64).to_le_bytes());
            }
            Content::Attachment { ext, name, .. } => {
                h.update(&[1]);
                h.piece(ext.as_bytes());
                h.piece(name.as_bytes());
            }
        }
        h.update(&self.digest.to_le_bytes());
    }

    /// The published lines (none when an attachment can no longer be read), read again
    /// from the file; [`Changed`] when it is no longer what the build loaded.
    pub fn lines(&self) -> Result<Vec<Line>, Changed> {
        match &self.content {
            Content::Text { path, yaml, letter } => {
                let text = crate::input::text_file::read(path).map_err(|_| Changed)?;
                if text_digest(&text) != self.digest {
                    return Err(Changed);
                }
                Ok(text_lines(&text, *yaml, *letter))
            }
            Content::Attachment { path, ext, name } => {
                let Ok(bytes) = std::fs::read(path) else {
                    return Err(Changed);
                };
                if bytes_digest(&bytes) != self.digest {
                    return Err(Changed);
                }
                Ok(attachment_lines(bytes, ext, name).unwrap_or_default())
            }
        }
    }
}

fn bytes_digest(bytes: &[u8]) -> Key {
    let mut h = Hasher::default();
    h.update(bytes);
    h.finish()
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
    let letters: std::collections::HashMap<&str, (usize, usize)> = site
        .messages
        .iter()
        .map(|m| (m.file.as_str(), m.letter_lines))
        .collect();
    let mut out: Vec<Source> = files
        .par_iter()
        .filter_map(|(f, yaml, allowed)| {
            let path = site.root.join(f);
            // As loaded; a file loaded again by the preview is read here.
            let digest = match site.digests.get(*f) {
                Some(d) => *d,
                None => text_digest(&crate::input::text_file::read(&path).ok()?),
            };
            Some(Source {
                file: f.to_string(),
                allowed: allowed.to_vec(),
                digest,
                content: Content::Text {
                    path,
                    yaml: *yaml,
                    letter: letters.get(f).copied(),
                },
            })
        })
        .collect();
    let read: Vec<Source> = attachments
        .par_iter()
        .filter_map(|(a, allowed)| attachment(site, a, allowed))
        .collect();
    out.extend(read);
    out
}

fn text_lines(text: &str, yaml: bool, letter: Option<(usize, usize)>) -> Vec<Line> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !(yaml && l.trim_start().starts_with('#')))
        .map(|(i, l)| {
            // A 留言's letter as it is published: masked by the gate
            // (`crate::gate::masking`), so only what the agency wrote is held to the rule.
            let text = match letter {
                Some((first, last)) if (first..=last).contains(&(i + 1)) => {
                    crate::gate::masking::mask_line(l, u32::MAX)
                }
                _ => l.to_string(),
            };
            Line {
                pos: Some(Pos::new(i + 1, 1)),
                place: None,
                text,
            }
        })
        .collect()
}

/// An attachment gongkai can read; none for images, spreadsheets it cannot open and the
/// like.
fn attachment(site: &Site, a: &Attachment, allowed: &[String]) -> Option<Source> {
    let ext = a.format.to_ascii_lowercase();
    if !matches!(
        ext.as_str(),
        "txt" | "text" | "csv" | "pdf" | "docx" | "xlsx"
    ) {
        return None;
    }
    let bytes = std::fs::read(&a.source).ok()?;
    Some(Source {
        file: crate::ground::diagnostics::rel_path(&site.root, Path::new(&a.source)),
        allowed: allowed.to_vec(),
        digest: bytes_digest(&bytes),
        content: Content::Attachment {
            path: a.source.clone(),
            ext,
            name: a.file_name.clone(),
        },
    })
}

/// The lines of an attachment's `bytes` in format `ext`: plain text; PDF and Word
/// through the importer's readers; Excel workbooks through `xlsx.rs`.
fn attachment_lines(bytes: Vec<u8>, ext: &str, name: &str) -> Option<Vec<Line>> {
    if matches!(ext, "txt" | "text" | "csv") {
        let text = crate::input::text_file::decode(bytes).ok()?;
        return Some(text_lines(&text, false, None));
    }
    let lines = if ext == "xlsx" {
        super::xlsx::rows(&bytes)?
            .into_iter()
            .map(|(place, text)| Line {
                pos: None,
                place: Some(place),
                text,
            })
            .collect()
    } else {
        crate::import::text_lines(&bytes, name)
            .ok()?
            .iter()
            .map(|l| Line {
                pos: None,
                place: Some(l.loc.to_string()),
                text: l.text(),
            })
            .collect()
    };
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_saved_again_after_loading_is_not_judged_as_if_it_were_the_loaded_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("新闻.md");
        let loaded = "---\ntitle: 通知\n---\n\n联系电话见附件。\n";
        std::fs::write(&path, loaded).unwrap();
        let source = Source {
            file: "content/news/新闻.md".into(),
            allowed: Vec::new(),
            digest: text_digest(loaded),
            content: Content::Text {
                path: path.clone(),
                yaml: false,
                letter: None,
            },
        };
        let lines = source.lines().ok().expect("the text as loaded");
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[4].text, "联系电话见附件。");
        std::fs::write(&path, format!("{loaded}联系人手机 13912345678。\n")).unwrap();
        assert!(source.lines().is_err());
    }
}
