//! The text a site publishes, line by line, as the privacy and wording checks read it:
//! each item's file as written (front matter and body; a 留言's letter as the gate masks
//! it, since that is how it is published), each report's and 报表's file (its narrative
//! and figures; YAML comments are not published and are skipped), and the text of
//! attachments (plain text; PDF and Word through the importer's readers; Excel
//! workbooks through `xlsx.rs`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::memo::TextMemo;
use crate::ground::diagnostics::Pos;
use crate::ground::digest::{self, Hasher, Key, Stamp};
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
    /// An attachment's stamp when its bytes were hashed, if it was saved long enough
    /// before ([`digest::settled`]) to stand for them in the next build.
    stamp: Option<Stamp>,
    content: Content,
}

/// The key of each attachment's bytes as the gate read them, by the attachment's path:
/// its copy into the output must have those bytes ([`crate::output::Body::Checked`]).
pub type Bytes = HashMap<PathBuf, Key>;

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
    /// An attachment's stamp and the key of its bytes, when the stamp may stand for them.
    pub fn bytes(&self) -> Option<(Stamp, Key)> {
        Some((self.stamp?, self.digest))
    }

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
                if digest::of_bytes(&bytes) != self.digest {
                    return Err(Changed);
                }
                Ok(attachment_lines(bytes, ext, name).unwrap_or_default())
            }
        }
    }
}

/// Every published text of `site`, in a stable order. An attachment whose stamp is the
/// one `last` found it with is not read again: the key of its bytes is taken from there,
/// as the load takes an unchanged text from its memo, and its copy checks the bytes.
pub fn read(site: &Site, last: Option<&TextMemo>) -> Vec<Source> {
    // (file, is YAML, allowed numbers) of every content file, read in parallel.
    let mut files: Vec<(&str, bool, &[String])> = Vec::new();
    // A file published as it is (an attachment, or a file the body links to beside
    // it) is read once, with the numbers its item allows.
    let mut attachments: Vec<AsIs> = Vec::new();
    for n in &site.news {
        files.push((&n.file, false, &n.front.allow_numbers));
        let allowed = &n.front.allow_numbers[..];
        attachments.extend(n.attachments.iter().map(|a| AsIs::attachment(a, allowed)));
        attachments.extend(n.resources.iter().map(|r| AsIs::file(&r.source, allowed)));
    }
    for x in &site.disclosure {
        files.push((&x.file, false, &x.front.allow_numbers));
        let allowed = &x.front.allow_numbers[..];
        attachments.extend(x.attachments.iter().map(|a| AsIs::attachment(a, allowed)));
        attachments.extend(x.resources.iter().map(|r| AsIs::file(&r.source, allowed)));
    }
    for r in &site.reports {
        files.push((&r.file, true, &[]));
        attachments.extend(r.attachments.iter().map(|a| AsIs::attachment(a, &[])));
    }
    // `static/` is where a file linked as `/files/名单.pdf` goes: published as it is too.
    attachments.extend(site.static_files.iter().map(|s| AsIs::file(&s.source, &[])));
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
    attachments.sort_by(|a, b| a.source.cmp(b.source));
    attachments.dedup_by(|a, b| a.source == b.source);
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
                stamp: None,
                content: Content::Text {
                    path,
                    yaml: *yaml,
                    letter: letters.get(f).copied(),
                },
            })
        })
        .collect();
    let now = digest::now();
    let read: Vec<Source> = attachments
        .par_iter()
        .filter_map(|a| attachment(&site.root, a, last, now))
        .collect();
    out.extend(read);
    out
}

/// The files among `files` (under `root`) that gongkai can read, as texts published as
/// they are.
pub fn as_is(root: &Path, files: &[PathBuf]) -> Vec<Source> {
    let now = digest::now();
    files
        .par_iter()
        .filter_map(|f| attachment(root, &AsIs::file(f, &[]), None, now))
        .collect()
}

/// The key of each attachment's bytes among `texts`, by its path.
pub fn bytes_of(texts: &[Source]) -> Bytes {
    texts
        .iter()
        .filter_map(|t| match &t.content {
            Content::Attachment { path, .. } => Some((path.clone(), t.digest)),
            Content::Text { .. } => None,
        })
        .collect()
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

/// A file published as it is, with the numbers its item allows.
struct AsIs<'a> {
    source: &'a Path,
    /// Its format, in lower case (`pdf`).
    ext: String,
    /// Its name, as an editor knows it.
    name: &'a str,
    allowed: &'a [String],
}

impl<'a> AsIs<'a> {
    fn attachment(a: &'a Attachment, allowed: &'a [String]) -> Self {
        AsIs {
            source: &a.source,
            ext: a.format.to_ascii_lowercase(),
            name: &a.file_name,
            allowed,
        }
    }

    /// A file known only by its path (one the body links to beside it, `[名单](名单.pdf)`,
    /// or one of `static/`): published like an attachment, so read like one; its format
    /// is its extension's.
    fn file(source: &'a Path, allowed: &'a [String]) -> Self {
        let name = source.file_name().and_then(|n| n.to_str()).unwrap_or("");
        AsIs {
            source,
            ext: name
                .rsplit_once('.')
                .map_or("", |(_, e)| e)
                .to_ascii_lowercase(),
            name,
            allowed,
        }
    }
}

/// A file published as it is that gongkai can read; none for images, spreadsheets it
/// cannot open and the like. Its stamp is taken before its bytes are read: a save after
/// that gives it a new stamp, so what `last` kept of it never stands for bytes it was
/// not read with.
fn attachment(root: &Path, a: &AsIs, last: Option<&TextMemo>, now: u64) -> Option<Source> {
    let ext = a.ext.clone();
    if !matches!(
        ext.as_str(),
        "txt" | "text" | "csv" | "pdf" | "docx" | "xlsx"
    ) {
        return None;
    }
    let file = crate::ground::diagnostics::rel_path(root, a.source);
    let stamp = digest::file_stamp(a.source).filter(|s| digest::settled(s, now));
    let digest = match (stamp, last.and_then(|m| m.bytes_of(&file))) {
        (Some(is), Some((was, key))) if is == was => key,
        _ => digest::of_bytes(&std::fs::read(a.source).ok()?),
    };
    Some(Source {
        file,
        allowed: a.allowed.to_vec(),
        digest,
        stamp,
        content: Content::Attachment {
            path: a.source.to_path_buf(),
            ext,
            name: a.name.to_string(),
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
            stamp: None,
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
