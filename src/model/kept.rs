//! What a build loaded, file by file, kept for the next build of the same site: a news or
//! disclosure item is taken from here instead of being read and parsed again (its YAML
//! front matter and Markdown body are most of a load) when its file has the size and
//! time it had, every file beside it that its load looked at (attachments, pictures) is
//! as it was, and the site's settings, the load's options and the program are the same.
//!
//! A file's stamp, not its text, decides, as it decides whether a build has anything to
//! do at all. A file saved within two seconds before the load that read it is not kept:
//! a clock coarser than the saves could give a second save the first one's stamp.
//!
//! After a header, segments of records: each segment the records' metas (what a file
//! was loaded as, in JSON, a check of it, and the lengths of its body as HTML and as
//! text), then their bodies as they are. A load reads the metas and steps over the
//! bodies (three quarters of the memo), parsing a few megabytes of metas at a time side
//! by side. A meta that is not as its check says is not taken. Each build adds
//! a segment of the files it loaded afresh (a file's later record holds), and writes the
//! memo anew only when the settings changed or the records are more than twice the
//! files. The bodies are not copied out: an item taken from the memo holds where its body
//! lies and its hash ([`Body`]), and the memo is held open for the build (a memo written
//! anew takes its name, not this file) to read the few a build shows.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::ground::ByName;
use crate::ground::date;
use crate::ground::diagnostics::Diagnostic;
use crate::ground::digest::{self, Hasher, Key, Stamp};
use crate::model::body::{self, Body};
use crate::model::content::{
    Attachment, DisclosureFront, DisclosureItem, Keys, NewsFront, NewsItem, StaticFile,
};
use crate::model::site::{ContentFile, LoadOptions};

/// What the last build loaded, as read back: each file's last record.
pub(crate) struct LoadMemo {
    /// What it was kept under ([`key`]): taken only by a load of the same.
    key: Key,
    /// Boxed: a record is a few hundred bytes, moved in and out of the table 11,000 times
    /// on an edit.
    entries: ByName<Box<Entry>>,
    /// How many records it has, the overwritten ones too.
    count: usize,
    opened: Arc<Opened>,
}

/// A load memo held open by the build that took items from it.
#[derive(Debug)]
pub(crate) struct Opened {
    file: File,
    path: PathBuf,
    unread: AtomicBool,
}

impl Opened {
    /// Whether a body taken from it did not read back as it was written (the memo
    /// changed in place, a disk's error): the build that took it must not publish what it
    /// made, and starts again without it.
    pub(crate) fn unread(&self) -> bool {
        self.unread.load(Ordering::Relaxed)
    }
}

/// Where a body lies in a memo.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    memo: Arc<Opened>,
    at: u64,
    len: u32,
    /// How many characters the body has, kept for the text (the search index cuts it).
    chars: Option<u32>,
}

impl Place {
    /// The body, if it reads back as the text that hashes to `hash`.
    pub(crate) fn read(&self, hash: Key) -> Option<String> {
        let mut buf = vec![0; self.len as usize];
        read_at(&self.memo.file, &mut buf, self.at).ok()?;
        let text = String::from_utf8(buf).ok()?;
        (body::hash_of(&text) == hash).then_some(text)
    }

    /// Marks the memo as one not to be trusted, and removes it: the next load reads every
    /// file.
    pub(crate) fn unread(&self) {
        if !self.memo.unread.swap(true, Ordering::Relaxed) {
            let _ = std::fs::remove_file(&self.memo.path);
        }
    }

    /// How many characters the body has, when the memo says.
    pub(crate) fn chars(&self) -> Option<usize> {
        self.chars.map(|c| c as usize)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// What a load is asked to keep and may take from the last one.
pub struct Keep<'a> {
    /// Where the memo is kept.
    pub memo: &'a Path,
    /// The memo as read before the load knew its key (once the sources' walk, which
    /// stamps the settings the key holds, found them changed, beside the look at the
    /// output), taken only when kept under the load's key; none when the load is to read
    /// it.
    pub(crate) read: Option<Option<LoadMemo>>,
    /// Each source file's stamp as this build found it, by its path from the root.
    pub stamps: &'a BTreeMap<String, Stamp>,
    /// The files of `content/`, each with its path from the root, when the walk that
    /// stamped them listed them as a walk for the load would (a plain tree): not walked
    /// again.
    pub content: Option<Vec<(String, PathBuf)>>,
    /// The stamp of the settings a portal group's member inherits (group.toml's, without
    /// its upload targets): its config is merged over them. None for a site of its own.
    pub inherited: Option<Stamp>,
}

/// What a load saw of a file beside an item: whether it is there, as what, and where it
/// really is (a link that leads out of the site is refused by the load).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Probe {
    path: PathBuf,
    seen: Option<Seen>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Seen {
    is_file: bool,
    stamp: Stamp,
    real: Option<PathBuf>,
}

impl Probe {
    /// The file at `path` as it is now.
    pub(crate) fn now(path: &Path) -> Probe {
        let seen = std::fs::metadata(path).ok().map(|m| Seen {
            is_file: m.is_file(),
            stamp: digest::stamp_of(&m),
            real: dunce::canonicalize(path).ok(),
        });
        Probe {
            path: path.to_path_buf(),
            seen,
        }
    }

    fn holds(&self) -> bool {
        *self == Probe::now(&self.path)
    }
}

type AttachmentIn = (String, String, PathBuf, String, String, String, u64, String);
type StaticIn = (PathBuf, String);
type NewsIn = (
    NewsFront,
    String,
    String,
    Option<String>,
    String,
    Vec<String>,
    Vec<AttachmentIn>,
    Vec<StaticIn>,
);
type DisclosureIn = (
    DisclosureFront,
    String,
    String,
    String,
    Vec<String>,
    Vec<AttachmentIn>,
    Vec<StaticIn>,
    Option<usize>,
    Keys,
);

#[derive(Deserialize)]
enum ContentIn {
    News(Box<NewsIn>),
    Disclosure(Box<DisclosureIn>),
    Draft,
}

/// One kept file's record, read back.
pub(crate) struct Entry {
    meta: Meta,
    /// Where the body as HTML and as text lie: kept as they are rather than as JSON
    /// strings, most of a record, and read only when wanted.
    bodies: [(u64, u32); 2],
}

#[derive(Deserialize)]
struct Meta {
    file: String,
    stamp: Stamp,
    looked: Vec<Probe>,
    #[serde(with = "crate::ground::kept_json::hex")]
    digest: Key,
    diagnostics: Vec<Diagnostic>,
    content: ContentIn,
    /// The hash of the body as HTML and as text.
    #[serde(with = "crate::ground::kept_json::hex_pair")]
    bodies: [Key; 2],
    /// The number of characters of the body as text.
    chars: u32,
    /// A news item's [`NewsItem::loaded_key`] (nought for anything else).
    #[serde(with = "crate::ground::kept_json::hex")]
    loaded: Key,
}

#[derive(Serialize)]
struct MetaOut<'a> {
    file: &'a str,
    stamp: Stamp,
    looked: &'a [Probe],
    #[serde(with = "crate::ground::kept_json::hex")]
    digest: Key,
    diagnostics: &'a [Diagnostic],
    content: ContentOut<'a>,
    #[serde(with = "crate::ground::kept_json::hex_pair")]
    bodies: [Key; 2],
    chars: u32,
    #[serde(with = "crate::ground::kept_json::hex")]
    loaded: Key,
}

type AttachmentOut<'a> = (
    &'a str,
    &'a str,
    &'a Path,
    &'a str,
    &'a str,
    &'a str,
    u64,
    &'a str,
);

#[derive(Serialize)]
#[allow(clippy::type_complexity)]
enum ContentOut<'a> {
    News(
        (
            &'a NewsFront,
            &'a str,
            &'a str,
            &'a Option<String>,
            &'a str,
            &'a [String],
            Vec<AttachmentOut<'a>>,
            Vec<(&'a Path, &'a str)>,
        ),
    ),
    Disclosure(
        (
            &'a DisclosureFront,
            &'a str,
            &'a str,
            &'a str,
            &'a [String],
            Vec<AttachmentOut<'a>>,
            Vec<(&'a Path, &'a str)>,
            Option<usize>,
            &'a Keys,
        ),
    ),
    Draft,
}

fn attachment_out(a: &Attachment) -> AttachmentOut<'_> {
    let Attachment {
        title,
        file_name,
        source,
        path,
        url,
        format,
        size,
        size_text,
    } = a;
    (
        title, file_name, source, path, url, format, *size, size_text,
    )
}

fn attachment_in(a: AttachmentIn) -> Attachment {
    let (title, file_name, source, path, url, format, size, size_text) = a;
    Attachment {
        title,
        file_name,
        source,
        path,
        url,
        format,
        size,
        size_text,
    }
}

fn statics_out(r: &[StaticFile]) -> Vec<(&Path, &str)> {
    r.iter()
        .map(|r| (r.source.as_path(), r.path.as_str()))
        .collect()
}

fn statics_in(r: Vec<StaticIn>) -> Vec<StaticFile> {
    r.into_iter()
        .map(|(source, path)| StaticFile { source, path })
        .collect()
}

fn content_out(file: &ContentFile) -> Option<(ContentOut<'_>, Option<[&Body; 2]>)> {
    Some(match file {
        ContentFile::News(n) => {
            let NewsItem {
                front,
                file,
                path,
                column_slug,
                summary_text,
                body_html,
                body_text,
                links,
                attachments,
                resources,
                loaded_key: _,
            } = &**n;
            let news = ContentOut::News((
                front,
                file,
                path,
                column_slug,
                summary_text,
                links,
                attachments.iter().map(attachment_out).collect(),
                statics_out(resources),
            ));
            (news, Some([body_html, body_text]))
        }
        ContentFile::Disclosure(x) => {
            let DisclosureItem {
                front,
                // Follows from the front matter's kind.
                kind_label: _,
                file,
                path,
                summary_text,
                body_html,
                body_text,
                links,
                attachments,
                resources,
                category_index,
                keys,
            } = &**x;
            let item = ContentOut::Disclosure((
                front,
                file,
                path,
                summary_text,
                links,
                attachments.iter().map(attachment_out).collect(),
                statics_out(resources),
                *category_index,
                keys,
            ));
            (item, Some([body_html, body_text]))
        }
        ContentFile::Draft(_) => (ContentOut::Draft, None),
        _ => return None,
    })
}

fn content_in(file: &str, c: ContentIn, bodies: [Body; 2], loaded_key: Key) -> ContentFile {
    let [body_html, body_text] = bodies;
    match c {
        ContentIn::News(n) => {
            let (front, file, path, column_slug, summary_text, links, attachments, resources) = *n;
            let item = NewsItem {
                front,
                file,
                path,
                column_slug,
                summary_text,
                body_html,
                body_text,
                links,
                attachments: attachments.into_iter().map(attachment_in).collect(),
                resources: statics_in(resources),
                loaded_key,
            };
            // The item read back is the item that was loaded, to the last value a page
            // shows of it.
            debug_assert!(
                item.hash_as_loaded() == loaded_key,
                "{} read back from the load memo is not the item kept",
                item.file
            );
            ContentFile::News(Box::new(item))
        }
        ContentIn::Disclosure(x) => {
            let (
                front,
                file,
                path,
                summary_text,
                links,
                attachments,
                resources,
                category_index,
                keys,
            ) = *x;
            ContentFile::Disclosure(Box::new(DisclosureItem {
                kind_label: front.kind.label(),
                front,
                file,
                path,
                summary_text,
                body_html,
                body_text,
                links,
                attachments: attachments.into_iter().map(attachment_in).collect(),
                resources: statics_in(resources),
                category_index,
                keys,
            }))
        }
        ContentIn::Draft => ContentFile::Draft(file.to_string()),
    }
}

/// Everything besides a file and what it looked at that its load reads: the program,
/// where the site is, the load's options (`--base-url`, `--relative`, drafts) and the
/// site's settings. The settings are site.toml's stamp as the sources' fingerprint takes
/// it, without the upload targets: one added does not make every file read again.
pub(crate) fn key(
    root: &Path,
    canonical_root: &Path,
    config: &Config,
    opts: &LoadOptions,
    settings: [Option<&Stamp>; 2],
) -> Key {
    let mut h = Hasher::default();
    h.piece(digest::program().as_bytes());
    h.piece(root.to_string_lossy().as_bytes());
    h.piece(canonical_root.to_string_lossy().as_bytes());
    h.piece(format!("{opts:?}|{:?}|{settings:?}", config.portal).as_bytes());
    h.finish()
}

/// Metas parsed at a time: the memo is never held whole.
const CHUNK: usize = 4 << 20;

/// How much of the memo a read takes at least: the segments an edit adds, a record or
/// two each, are read a few hundred at a time.
const WINDOW: usize = 256 << 10;

/// The first line of a memo, before its key.
const MAGIC: &[u8] = b"gongkai-load 4\n";

/// A four-byte little-endian length at `at` in `bytes`.
fn len_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// The metas of a segment, one after another: each its JSON's length, its JSON, the
/// JSON's check ([`meta_check`]), and the lengths of its body as HTML and as text; the
/// bodies follow the metas in their order. Each meta's place in `metas`, its check and
/// its bodies' places in the memo, whose bodies start at `bodies` and run for
/// `bodies_len`; none when they do not fit.
fn entries_of(metas: &[u8], bodies: u64, bodies_len: u64) -> Option<Vec<MetaAt>> {
    let (mut at, mut body) = (0, bodies);
    let mut entries = Vec::new();
    while at < metas.len() {
        let len = len_at(metas, at)? as usize;
        let json = at + 4..(at + 4).checked_add(len)?;
        let check = metas.get(json.end..json.end + 8)?;
        let check = u64::from_le_bytes(check.try_into().ok()?);
        let (html, text) = (len_at(metas, json.end + 8)?, len_at(metas, json.end + 12)?);
        at = json.end + 16;
        let places = [(body, html), (body + u64::from(html), text)];
        body += u64::from(html) + u64::from(text);
        entries.push((json, check, places));
    }
    (at == metas.len() && body == bodies + bodies_len).then_some(entries)
}

/// A meta's place among the metas read, its check, and its bodies' places in the memo.
type MetaAt = (std::ops::Range<usize>, u64, [(u64, u32); 2]);

/// The check kept beside a meta: a meta changed in the memo (by hand, by a disk's
/// error) is not taken, and its file is loaded afresh. The pages of a news item are
/// keyed by the item's key in its meta, which no other part of the build reads again.
fn meta_check(meta: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(meta)
}

impl Entry {
    /// The record whose meta is `meta`, if it is as its `check` says, and whose bodies
    /// lie at `bodies`.
    fn of(meta: &[u8], check: u64, bodies: [(u64, u32); 2]) -> Option<Entry> {
        if meta_check(meta) != check {
            return None;
        }
        Some(Entry {
            meta: crate::ground::text::from_json(meta)?,
            bodies,
        })
    }
}

/// A memo read through a window of it: what a read asks for that is in the window is
/// taken from there; otherwise the window moves to where the read starts.
struct Window<'a> {
    file: &'a File,
    len: u64,
    at: u64,
    buf: Vec<u8>,
}

impl Window<'_> {
    /// The `len` bytes at `at`; none past the memo's end.
    fn get(&mut self, at: u64, len: usize) -> Option<&[u8]> {
        let end = at.checked_add(len as u64)?;
        if end > self.len {
            return None;
        }
        let held = self.at + self.buf.len() as u64;
        if at < self.at || end > held {
            let want = len.max(WINDOW).min(usize::try_from(self.len - at).ok()?);
            self.buf.resize(want, 0);
            read_at(self.file, &mut self.buf, at).ok()?;
            self.at = at;
        }
        let from = usize::try_from(at - self.at).ok()?;
        self.buf.get(from..from + len)
    }
}

impl LoadMemo {
    /// The memo at `path` if it is a file kept under `key`. A record that does not read
    /// is a file loaded afresh; of two records of one file, the later holds.
    pub(crate) fn read(path: &Path, key: Key) -> Option<LoadMemo> {
        Self::read_kept(path, Some(key))
    }

    /// The memo at `path` whatever it was kept under, read before its load knows its key:
    /// [`LoadMemo::kept_under`] tells whether the load may take it.
    pub(crate) fn read_early(path: &Path) -> Option<LoadMemo> {
        Self::read_kept(path, None)
    }

    /// Whether it was kept under `key`.
    pub(crate) fn kept_under(&self, key: Key) -> bool {
        self.key == key
    }

    fn read_kept(path: &Path, key: Option<Key>) -> Option<LoadMemo> {
        // A link in its place is not followed: the memo written anew takes the link's
        // place instead of being added to wherever it points.
        if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
            return None;
        }
        let mut file = File::open(path).ok()?;
        let mut head = vec![0; MAGIC.len() + 33];
        file.read_exact(&mut head).ok()?;
        let opened = Arc::new(Opened {
            file,
            path: path.to_path_buf(),
            unread: AtomicBool::new(false),
        });
        let (magic, hex) = head.split_at(MAGIC.len());
        let hex = std::str::from_utf8(hex).ok()?.trim_end();
        let kept_under = digest::from_hex(hex)?;
        if magic != MAGIC || key.is_some_and(|k| k != kept_under) {
            return None;
        }
        let mut memo = LoadMemo {
            key: kept_under,
            entries: ByName::default(),
            count: 0,
            opened: Arc::clone(&opened),
        };
        let len = opened.file.metadata().ok()?.len();
        let mut window = Window {
            file: &opened.file,
            len,
            at: 0,
            buf: Vec::new(),
        };
        // Segment by segment, a segment's head (the lengths of its metas and of its
        // bodies) and its metas gathered, its bodies stepped over; a segment cut short or
        // that does not add up ends the read (what came before holds).
        let mut metas = Vec::new();
        let mut places: Vec<MetaAt> = Vec::new();
        let mut at = head.len() as u64;
        loop {
            let segment = window.get(at, 8).map(|h| (len_at(h, 0), len_at(h, 4)));
            let Some((Some(metas_len), Some(bodies_len))) = segment else {
                break;
            };
            let start = at + 8;
            let bodies = start + u64::from(metas_len);
            let Some(read) = window.get(start, metas_len as usize) else {
                break;
            };
            if bodies + u64::from(bodies_len) > len {
                break;
            }
            let Some(entries) = entries_of(read, bodies, u64::from(bodies_len)) else {
                break;
            };
            at = bodies + u64::from(bodies_len);
            // A segment of a chunk or more (a memo written anew) is parsed where it was
            // read, not copied first; smaller ones are gathered, in their order.
            if metas.is_empty() && read.len() >= CHUNK {
                memo.parse(read, entries);
                continue;
            }
            let base = metas.len();
            metas.extend_from_slice(read);
            places.extend(
                entries.into_iter().map(|(json, check, bodies)| {
                    (json.start + base..json.end + base, check, bodies)
                }),
            );
            if metas.len() >= CHUNK {
                memo.parse(&metas, std::mem::take(&mut places));
                metas.clear();
            }
        }
        memo.parse(&metas, places);
        Some(memo)
    }

    /// Adds the records whose metas lie at `places` in `metas`, parsed side by side.
    fn parse(&mut self, metas: &[u8], places: Vec<MetaAt>) {
        self.count += places.len();
        let entries: Vec<Box<Entry>> = places
            .into_par_iter()
            .filter_map(|(json, check, bodies)| Entry::of(&metas[json], check, bodies))
            .map(Box::new)
            .collect();
        self.entries.reserve(entries.len());
        // Each record's file name is its key, taken out of it rather than copied (11,000
        // names on an edit), and given back when the record is taken.
        for mut e in entries {
            self.entries.insert(std::mem::take(&mut e.meta.file), e);
        }
    }

    /// Takes what `file` was loaded as.
    pub(crate) fn take(&mut self, file: &str) -> Option<Box<Entry>> {
        let (file, mut entry) = self.entries.remove_entry(file)?;
        entry.meta.file = file;
        Some(entry)
    }

    /// Whether its records are so many more than the files of a site of `files` that it is
    /// better written afresh than added to.
    pub(crate) fn overgrown(&self, files: usize) -> bool {
        self.count > 2 * files + 64
    }

    /// The memo held open, where the items taken from it read their bodies.
    pub(crate) fn opened(&self) -> Arc<Opened> {
        Arc::clone(&self.opened)
    }
}

/// A file's load taken from its kept record in `memo`, when its stamp is `stamp` and what
/// it looked at is as it was: what it was loaded as, its problems, its text's hash.
pub(crate) fn reuse(
    entry: Box<Entry>,
    memo: &Arc<Opened>,
    stamp: Option<&Stamp>,
) -> Option<Reused> {
    let Entry { meta, bodies } = *entry;
    if stamp != Some(&meta.stamp) || !meta.looked.iter().all(Probe::holds) {
        return None;
    }
    let digest = meta.digest;
    let body = |i: usize, chars: Option<u32>| -> Option<Body> {
        let (at, len) = bodies[i];
        let place = Place {
            memo: Arc::clone(memo),
            at,
            len,
            chars,
        };
        Some(Body::kept(meta.bodies[i], place))
    };
    let bodies = [body(0, None)?, body(1, Some(meta.chars))?];
    Some(Reused {
        file: content_in(&meta.file, meta.content, bodies, meta.loaded),
        digest: (meta.file, digest),
        diagnostics: meta.diagnostics,
        looked: meta.looked,
    })
}

/// A file's load taken from the memo.
pub(crate) struct Reused {
    pub(crate) file: ContentFile,
    pub(crate) digest: (String, Key),
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) looked: Vec<Probe>,
}

/// The record that keeps a file's load, when it may be kept: a news or disclosure item
/// (or a draft of one) saved before `started`, the load's start, by more than a clock's
/// step.
pub(crate) fn record(
    loaded: &ContentFile,
    digest: Option<&(String, Key)>,
    stamp: Option<&Stamp>,
    looked: &[Probe],
    diagnostics: &[Diagnostic],
    started: u64,
) -> Option<Record> {
    let (file, digest) = digest?;
    let stamp = *stamp?;
    let kept_kind = file.starts_with("content/news/") || file.starts_with("content/disclosure/");
    if !kept_kind || !digest::settled(&stamp, started) {
        return None;
    }
    let (content, bodies) = content_out(loaded)?;
    let texts = match bodies {
        Some([html, text]) => [
            (html.try_text()?, html.hash()),
            (text.try_text()?, text.hash()),
        ],
        None => {
            let empty = || (Cow::Borrowed(""), body::hash_of(""));
            [empty(), empty()]
        }
    };
    let meta = MetaOut {
        file,
        stamp,
        looked,
        digest: *digest,
        diagnostics,
        content,
        bodies: [texts[0].1, texts[1].1],
        chars: u32::try_from(texts[1].0.chars().count()).ok()?,
        loaded: match loaded {
            ContentFile::News(n) => n.loaded_key,
            _ => 0,
        },
    };
    let meta = date::exactly(|| serde_json::to_vec(&meta)).ok()?;
    let (html, text) = (texts[0].0.as_bytes(), texts[1].0.as_bytes());
    let len = |n: usize| u32::try_from(n).ok().map(u32::to_le_bytes);
    let mut entry = Vec::with_capacity(meta.len() + 20);
    entry.extend(len(meta.len())?);
    entry.extend(&meta);
    entry.extend(meta_check(&meta).to_le_bytes());
    entry.extend(len(html.len())?);
    entry.extend(len(text.len())?);
    Some(Record {
        entry,
        bodies: [html, text].concat(),
    })
}

/// A file's record: its entry among a segment's metas and its bodies, HTML then text.
pub(crate) struct Record {
    entry: Vec<u8>,
    bodies: Vec<u8>,
}

/// Writes `records` as one segment: the lengths of their metas and of their bodies, the
/// metas, then the bodies. An empty one is not written.
fn write_segment(w: &mut impl Write, records: &[Record]) -> std::io::Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let total = |part: fn(&Record) -> usize| {
        let len: usize = records.iter().map(part).sum();
        u32::try_from(len).map_err(|_| std::io::Error::from(std::io::ErrorKind::FileTooLarge))
    };
    w.write_all(&total(|r| r.entry.len())?.to_le_bytes())?;
    w.write_all(&total(|r| r.bodies.len())?.to_le_bytes())?;
    for r in records {
        w.write_all(&r.entry)?;
    }
    for r in records {
        w.write_all(&r.bodies)?;
    }
    Ok(())
}

/// Where a load's records go: added to the last memo as one segment, or into a new memo
/// a segment per batch of files loaded, which takes the last one's place whole when done
/// (two builds at once each leave a whole memo).
pub(crate) enum Writer {
    Add {
        path: PathBuf,
        records: Vec<Record>,
    },
    Anew {
        path: PathBuf,
        /// A segment that could not be written: the memo is not kept.
        failed: bool,
        // Closed before the file it writes is removed (fields drop in this order).
        file: BufWriter<File>,
        tmp: Tmp,
    },
}

/// A memo being written, removed unless it took the memo's place (a load that stopped
/// halfway leaves nothing).
pub(crate) struct Tmp(PathBuf);

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

impl Writer {
    /// Adds to the memo at `path`, whose records are of this load's key.
    pub(crate) fn add(path: &Path) -> Writer {
        Writer::Add {
            path: path.to_path_buf(),
            records: Vec::new(),
        }
    }

    /// Begins a memo at `path` of records of `key`.
    pub(crate) fn anew(path: &Path, key: Key) -> Option<Writer> {
        let tmp = Tmp(path.with_extension(format!("{}.tmp", std::process::id())));
        let mut file = BufWriter::with_capacity(1 << 20, File::create(&tmp.0).ok()?);
        file.write_all(MAGIC).ok()?;
        writeln!(file, "{}", digest::hex(key)).ok()?;
        Some(Writer::Anew {
            path: path.to_path_buf(),
            failed: false,
            tmp,
            file,
        })
    }

    /// Takes the records of a batch of files loaded.
    pub(crate) fn records(&mut self, batch: Vec<Record>) {
        match self {
            Writer::Add { records, .. } => records.extend(batch),
            Writer::Anew { file, failed, .. } => {
                *failed |= write_segment(file, &batch).is_err();
            }
        }
    }

    /// Writes what is left. Losing the memo only costs loading every file next time.
    pub(crate) fn finish(self) {
        match self {
            Writer::Add { path, records } => {
                if records.is_empty() {
                    return;
                }
                // One write, so that another build's segment is never cut into this one.
                let mut bytes = Vec::new();
                let added = write_segment(&mut bytes, &records).is_ok()
                    && std::fs::OpenOptions::new()
                        .append(true)
                        .open(&path)
                        .and_then(|mut f| f.write_all(&bytes))
                        .is_ok();
                if !added {
                    let _ = std::fs::remove_file(&path);
                }
            }
            Writer::Anew {
                path,
                failed,
                file,
                tmp,
            } => {
                if !failed && file.into_inner().is_ok() {
                    let _ = std::fs::rename(&tmp.0, &path);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_saved_in_the_seconds_before_the_load_is_not_kept() {
        let started = 1_800_000_000_000_000_000;
        let file = ContentFile::Draft("content/news/草稿.md".into());
        let digest = ("content/news/草稿.md".to_string(), 7);
        let kept = |saved: u64| record(&file, Some(&digest), Some(&(10, saved)), &[], &[], started);
        assert!(kept(started - digest::SETTLED - 1).is_some());
        assert!(kept(started - digest::SETTLED).is_none());
        assert!(kept(started + 1).is_none(), "a time ahead of the clock");
        let report = ("content/reports/2023.yaml".to_string(), 7);
        let other = record(&file, Some(&report), Some(&(10, 0)), &[], &[], started);
        assert!(other.is_none(), "only news and disclosure items are kept");
    }

    /// A memo at `path` of `records`, written as a build writes one, read back.
    fn memo_of(path: &Path, records: Vec<Record>) -> LoadMemo {
        let mut w = Writer::anew(path, 9).unwrap();
        w.records(records);
        w.finish();
        LoadMemo::read(path, 9).unwrap()
    }

    #[test]
    fn a_record_reads_back_as_it_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".public.gongkai-load.bin");
        let started = 1_800_000_000_000_000_000;
        let file = ContentFile::Draft("content/news/草稿.md".into());
        let digest = ("content/news/草稿.md".to_string(), 0xabc);
        let looked = [Probe::now(Path::new("/nonexistent/会议现场.png"))];
        let told = [Diagnostic::warning(
            "index-no",
            "content/news/草稿.md",
            "没有索引号",
        )];
        let rec = || {
            let stamp = Some(&(10, 5));
            record(&file, Some(&digest), stamp, &looked, &told, started).unwrap()
        };
        let mut memo = memo_of(&path, vec![rec()]);
        let entry = memo.take("content/news/草稿.md").unwrap();
        assert_eq!(entry.meta.looked, looked);
        let r = reuse(entry, &memo.opened(), Some(&(10, 5))).unwrap();
        assert_eq!(r.digest, digest);
        assert_eq!(r.diagnostics, told);
        assert!(matches!(r.file, ContentFile::Draft(f) if f == "content/news/草稿.md"));
        let mut memo = memo_of(&path, vec![rec()]);
        let entry = memo.take("content/news/草稿.md").unwrap();
        assert!(
            reuse(entry, &memo.opened(), Some(&(10, 6))).is_none(),
            "another time"
        );
    }

    /// A news item's record, its body `words`.
    fn news_record(file: &str, words: &str) -> Record {
        let front: NewsFront =
            serde_yaml::from_str("title: 外事工作会议\ndate: 2024-03-01").unwrap();
        let item = NewsItem {
            front,
            file: file.to_string(),
            path: "news/2024/外事工作会议/".to_string(),
            column_slug: None,
            summary_text: String::new(),
            body_html: Body::new(format!("<p>{words}</p>")),
            body_text: Body::new(words.to_string()),
            links: Vec::new(),
            attachments: Vec::new(),
            resources: Vec::new(),
            loaded_key: 0,
        };
        let item = NewsItem {
            loaded_key: item.hash_as_loaded(),
            ..item
        };
        let digest = (file.to_string(), 1);
        let file = ContentFile::News(Box::new(item));
        record(&file, Some(&digest), Some(&(10, 5)), &[], &[], u64::MAX).unwrap()
    }

    /// The body an entry's item holds, read back from the memo.
    fn body_of(memo: &mut LoadMemo, file: &str) -> String {
        let entry = memo.take(file).unwrap();
        let r = reuse(entry, &memo.opened(), Some(&(10, 5))).unwrap();
        match r.file {
            ContentFile::News(n) => n.body_text.text().into_owned(),
            _ => panic!("{file} is not a news item"),
        }
    }

    /// The records of a memo written anew in batches, a segment each, and of one an edit
    /// added after them are read back from each segment, their bodies stepped over; a
    /// segment cut short ends the read, and the segments before it hold.
    #[test]
    fn records_read_back_from_every_segment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".public.gongkai-load.bin");
        // Bodies longer than the window a read takes at least: stepped over.
        let long = "各单位要高度重视，严格按照规定程序报批。".repeat(WINDOW / 20);
        let files: Vec<String> = (0..5).map(|i| format!("content/news/第{i}条.md")).collect();
        let mut anew = Writer::anew(&path, 9).unwrap();
        for batch in files.chunks(2) {
            anew.records(batch.iter().map(|f| news_record(f, &long)).collect());
        }
        anew.finish();
        let anew = std::fs::read(&path).unwrap();
        let mut add = Writer::add(&path);
        add.records(vec![news_record("content/news/第0条.md", "改过的正文。")]);
        add.finish();
        let mut memo = LoadMemo::read(&path, 9).unwrap();
        assert_eq!(memo.count, 6);
        assert_eq!(body_of(&mut memo, "content/news/第0条.md"), "改过的正文。");
        for f in &files[1..] {
            assert_eq!(body_of(&mut memo, f), long);
        }
        // The added segment cut short: the memo as written anew.
        let grown = std::fs::read(&path).unwrap();
        std::fs::write(&path, &grown[..grown.len() - 3]).unwrap();
        let mut memo = LoadMemo::read(&path, 9).unwrap();
        assert_eq!(memo.count, 5);
        assert_eq!(body_of(&mut memo, "content/news/第0条.md"), long);
        // Cut inside the first segment's metas: nothing read.
        std::fs::write(&path, &anew[..MAGIC.len() + 33 + 100]).unwrap();
        assert_eq!(LoadMemo::read(&path, 9).unwrap().count, 0);
    }

    /// A kept body is read from where the memo holds it, and only as it was written.
    #[test]
    fn a_body_reads_back_only_as_it_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".public.gongkai-load.bin");
        let text = "会议在市政府三楼召开，研究因公出国（境）审批工作。";
        let mut bytes = b"\0\0\0".to_vec();
        bytes.extend(text.as_bytes());
        std::fs::write(&path, &bytes).unwrap();
        let place = || Place {
            memo: Arc::new(Opened {
                file: File::open(&path).unwrap(),
                path: path.clone(),
                unread: AtomicBool::new(false),
            }),
            at: 3,
            len: text.len() as u32,
            chars: Some(text.chars().count() as u32),
        };
        let hash = body::hash_of(text);
        let kept = Body::kept(hash, place());
        assert_eq!(kept.text(), text);
        assert!(kept.within(25) && !kept.within(24));
        let other = Body::kept(body::hash_of("别的正文"), place());
        assert_eq!(other.try_text(), None, "another text's hash");
        // Changed in place: told, and the memo is removed.
        let p = place();
        let memo = Arc::clone(&p.memo);
        bytes[5] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        let changed = Body::kept(hash, p);
        assert_eq!(changed.text(), "");
        assert!(memo.unread() && !path.exists());
    }
}
