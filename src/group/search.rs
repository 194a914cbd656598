//! The group-wide search: one index of every member's pages (the same files and
//! `search.js` as a site's own search), plus `search/agencies.json`, the member of each
//! page, for the filter by agency. Members' pages enter with their titles, 文号 and
//! 索引号 and the first `[search] body_chars` characters of their text, so that the index
//! of a 100,000-page group stays small to build and to download.
//!
//! Made in full, the index of 100,000 pages takes seconds. So a build keeps beside the
//! output what it indexed ([`IndexState`]: each page's place, a hash of what the index
//! holds of it, its number of tokens), and when a few members were rebuilt and their
//! pages kept their places (an edited text or title), the next build changes only the
//! files those pages touch: the posting shards of their old and new tokens, their text
//! files, the list of titles if a title changed. Every other file is kept as it is. The
//! bytes are those a full build would give; when pages were added, removed or moved
//! (every later page's number changes), the index is made again in full.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::summary::{SearchRecord, read_records};
use crate::config::SearchColumn;
use crate::output::{Body, OutFile};
use crate::render::search::{self as s, CHUNK_DOCS, SearchDoc, Shape, index_files};

/// Changes with [`IndexState`]'s shape or the index's: an older state means a full index.
const FORMAT: u32 = 1;

/// More changed pages than this and the index is made in full (patching most shards
/// costs more than making them).
const MAX_PATCHED: usize = 2000;

#[derive(Serialize)]
struct Agencies<'a> {
    /// Member slugs, in the order of group.toml.
    slugs: &'a [String],
    /// For each page of the index, its member's place in `slugs`.
    of: Vec<usize>,
}

/// One page of the index as the next build needs to know it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Page {
    /// Its member's place among the slugs.
    #[serde(rename = "m")]
    member: u32,
    /// A hash of its address (the address itself is not needed: pages are matched by
    /// place, and this keeps the state of 100,000 pages small in memory).
    #[serde(rename = "p")]
    path: u64,
    #[serde(rename = "w")]
    when: i64,
    #[serde(rename = "c")]
    column: SearchColumn,
    #[serde(rename = "d")]
    date: String,
    /// Of everything the index holds of the page.
    #[serde(rename = "h")]
    hash: u64,
    /// Its tokens (postings).
    #[serde(rename = "k")]
    keys: u32,
    /// What its address and title add to the index's version.
    #[serde(rename = "t")]
    head: u32,
}

/// What the last build's index was made of, kept beside the output (never in it, so
/// that a merged output and a one-machine output stay the same bytes).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IndexState {
    format: u32,
    /// The build options and the members the index was made for.
    key: String,
    shards: usize,
    total: usize,
    /// In index order (newest first).
    pages: Vec<Page>,
    /// The hash of each posting shard, then of each text file.
    bodies: Vec<u32>,
}

fn state_path(out: &Path) -> PathBuf {
    crate::output::fingerprint::beside(out, "group-search")
}

impl IndexState {
    pub fn load(out: &Path) -> Option<IndexState> {
        let st: IndexState = serde_json::from_slice(&std::fs::read(state_path(out)).ok()?).ok()?;
        (st.format == FORMAT).then_some(st)
    }

    pub fn save(&self, out: &Path) {
        // Losing it costs one full index next time.
        if let Ok(bytes) = serde_json::to_vec(self) {
            let _ = std::fs::write(state_path(out), bytes);
        }
    }

    pub fn forget(out: &Path) {
        let _ = std::fs::remove_file(state_path(out));
    }
}

/// The index: files that differ from the last build's (all of them, made in full),
/// those kept as they are, its shape, and what the next build needs.
pub struct Made {
    pub files: Vec<OutFile>,
    pub kept: Vec<String>,
    pub shape: Shape,
    pub state: IndexState,
    /// Updated from the last build's rather than made in full.
    pub patched: bool,
}

impl Made {
    /// Every file of the index.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .map(|f| f.path.as_str())
            .chain(self.kept.iter().map(String::as_str))
    }
}

fn doc(r: &SearchRecord) -> SearchDoc<'_> {
    SearchDoc {
        title: r.title.clone(),
        path: r.path.clone(),
        date: r.date.clone(),
        when: r.when,
        column: r.column,
        label: r.label.clone(),
        meta: r.meta.clone(),
        text: Cow::Borrowed(&r.text),
    }
}

/// Of everything the index holds of a page.
fn page_hash(d: &SearchDoc) -> u64 {
    let mut h = crate::ground::fnv::Fnv64::default();
    for f in [&d.title, &d.path, &d.date, &d.label, &d.meta, &*d.text] {
        h.write(f.as_bytes());
        h.write(&[0]);
    }
    h.write(&[d.column as u8]);
    h.finish()
}

/// The member slug a page's address starts with.
fn member_of(path: &str) -> &str {
    path.split('/').next().unwrap_or("")
}

fn page(r: &SearchDoc, member: u32, keys: u32) -> Page {
    Page {
        member,
        path: crate::ground::fnv::fnv64(r.path.as_bytes()),
        when: r.when,
        column: r.column,
        date: r.date.clone(),
        hash: page_hash(r),
        keys,
        head: s::head_hash(&r.path, &r.title),
    }
}

fn places(slugs: &[String]) -> HashMap<&str, usize> {
    slugs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect()
}

fn newest_first(a: (i64, &str), b: (i64, &str)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1))
}

fn agencies_file(slugs: &[String], pages: &[Page]) -> OutFile {
    let of = pages.iter().map(|p| p.member as usize).collect();
    OutFile {
        path: "search/agencies.json".into(),
        body: Body::Bytes(serde_json::to_vec(&Agencies { slugs, of }).unwrap_or_default()),
    }
}

fn body_hash(f: &OutFile) -> u32 {
    match &f.body {
        Body::Bytes(b) => crate::ground::fnv::fnv32(b),
        Body::Copy(_) => 0,
    }
}

/// The whole index of `records` (every member's, in any order); `key` names the
/// options and members it is made for.
pub fn index(mut records: Vec<SearchRecord>, slugs: &[String], key: String) -> Made {
    records.sort_by(|a, b| newest_first((a.when, &a.path), (b.when, &b.path)));
    let place = places(slugs);
    let docs: Vec<SearchDoc> = records
        .into_iter()
        .map(|r| SearchDoc {
            title: r.title,
            path: r.path,
            date: r.date,
            when: r.when,
            column: r.column,
            label: r.label,
            meta: r.meta,
            text: Cow::Owned(r.text),
        })
        .collect();
    let index = index_files(&docs);
    let pages: Vec<Page> = docs
        .iter()
        .zip(&index.keys)
        .map(|(d, k)| {
            let m = place.get(member_of(&d.path)).copied().unwrap_or(0);
            page(d, m as u32, *k)
        })
        .collect();
    drop(docs);
    let bodies = index
        .files
        .iter()
        .filter(|f| f.path.starts_with("search/p/") || f.path.starts_with("search/t/"))
        .map(body_hash)
        .collect();
    let mut files = index.files;
    files.push(agencies_file(slugs, &pages));
    Made {
        patched: false,
        files,
        kept: Vec::new(),
        state: IndexState {
            format: FORMAT,
            key,
            shards: index.shape.shards,
            total: index.keys.iter().map(|&k| k as usize).sum(),
            pages,
            bodies,
        },
        shape: index.shape,
    }
}

/// A changed page: its number, and its record before and now.
struct Change {
    id: u32,
    old: SearchRecord,
    new: SearchRecord,
}

/// The index of the last build in `out` (described by `last`) with the pages of the
/// members `rebuilt` replaced by their records now at `now(slug)`; `None` when it must be
/// made in full (pages added, removed or moved, other options, a file not as left).
pub fn update(
    out: &Path,
    last: IndexState,
    slugs: &[String],
    key: &str,
    rebuilt: &[String],
    now: impl Fn(&str) -> PathBuf,
) -> Option<Made> {
    if last.key != key || last.format != FORMAT {
        return None;
    }
    let place = places(slugs);
    let mut old: HashMap<String, SearchRecord> = HashMap::new();
    let mut new: Vec<SearchRecord> = Vec::new();
    for slug in rebuilt {
        let data = out.join(crate::config::paths::group::search_records(slug));
        old.extend(
            read_records(&data)
                .ok()?
                .into_iter()
                .map(|r| (r.path.clone(), r)),
        );
        new.extend(read_records(&now(slug)).ok()?);
    }
    // Each rebuilt member's pages must take the places its pages had, with the same
    // addresses and times: then every page keeps its number.
    let mut pages = last.pages.clone();
    let mut changes = Vec::new();
    for slug in rebuilt {
        let m = *place.get(slug.as_str())? as u32;
        let mut mine: Vec<&SearchRecord> =
            new.iter().filter(|r| member_of(&r.path) == slug).collect();
        mine.sort_by(|a, b| newest_first((a.when, &a.path), (b.when, &b.path)));
        let spots: Vec<usize> = (0..pages.len()).filter(|&i| pages[i].member == m).collect();
        if spots.len() != mine.len() {
            return None;
        }
        for (id, r) in spots.into_iter().zip(mine) {
            let was = &last.pages[id];
            let now = page(&doc(r), m, was.keys);
            if (now.path, now.when) != (was.path, was.when) {
                return None;
            }
            if now.hash != was.hash {
                let o = old
                    .remove(&r.path)
                    .filter(|o| page_hash(&doc(o)) == was.hash)?;
                changes.push(Change {
                    id: id as u32,
                    old: o,
                    new: r.clone(),
                });
            }
            pages[id] = now;
        }
        if changes.len() > MAX_PATCHED {
            return None;
        }
    }
    changes.sort_by_key(|c| c.id);
    let mut files = Vec::new();
    let (shards, mut bodies) = (last.shards, last.bodies);
    let total = patch_postings(out, (shards, last.total), &mut pages, &changes, &mut files)?;
    for f in &files {
        let shard = f
            .path
            .trim_start_matches("search/p/")
            .trim_end_matches(".json");
        *bodies.get_mut(shard.parse::<usize>().ok()?)? = body_hash(f);
    }
    for f in patch_texts(out, &changes)? {
        let chunk = f
            .path
            .trim_start_matches("search/t/")
            .trim_end_matches(".json");
        *bodies.get_mut(shards + chunk.parse::<usize>().ok()?)? = body_hash(&f);
        files.push(f);
    }
    files.extend(patch_titles(out, &changes)?);
    files.push(OutFile {
        path: "search/meta.json".into(),
        body: Body::Bytes(s::meta_json(
            pages.iter().map(|p| (p.column, p.date.as_str())),
        )),
    });
    files.push(agencies_file(slugs, &pages));
    let made: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let kept: Vec<String> = std::iter::once("search/docs.json".to_string())
        .chain((0..shards).map(|i| format!("search/p/{i}.json")))
        .chain((0..pages.len().div_ceil(CHUNK_DOCS)).map(|i| format!("search/t/{i}.json")))
        .filter(|p| !made.contains(p.as_str()))
        .collect();
    let version = s::version(bodies.iter().copied(), pages.iter().map(|p| p.head));
    Some(Made {
        patched: true,
        files,
        kept,
        shape: Shape {
            version,
            shards,
            chunk: CHUNK_DOCS,
        },
        state: IndexState {
            format: FORMAT,
            key: key.to_string(),
            shards,
            total,
            pages,
            bodies,
        },
    })
}

/// Postings to drop and to add, by shard and token.
type Delta = BTreeMap<usize, BTreeMap<String, (Vec<u32>, Vec<u32>)>>;

/// The posting shards the changed pages' old and new tokens fall in, into `files`;
/// returns the number of postings now, `None` when the number of shards would change.
fn patch_postings(
    out: &Path,
    (shards, mut total): (usize, usize),
    pages: &mut [Page],
    changes: &[Change],
    files: &mut Vec<OutFile>,
) -> Option<usize> {
    let mut delta: Delta = BTreeMap::new();
    for c in changes {
        let (ok, ow) = s::page_keys(&doc(&c.old));
        let (nk, nw) = s::page_keys(&doc(&c.new));
        let page = pages.get_mut(c.id as usize)?;
        if ok.len() != page.keys as usize {
            return None;
        }
        page.keys = nk.len() as u32;
        total = total - ok.len() + nk.len();
        let words: s::KeyMap<String> = ow.into_iter().chain(nw).collect();
        let (os, ns): (BTreeSet<u64>, BTreeSet<u64>) =
            (ok.into_iter().collect(), nk.into_iter().collect());
        for (keys, other, adds) in [(&os, &ns, false), (&ns, &os, true)] {
            for k in keys.difference(other) {
                let (name, shard) = s::key_name(*k, &words, shards);
                let e = delta.entry(shard).or_default().entry(name).or_default();
                if adds { &mut e.1 } else { &mut e.0 }.push(c.id);
            }
        }
    }
    if s::shard_count(total) != shards {
        return None;
    }
    for (shard, tokens) in delta {
        let path = format!("search/p/{shard}.json");
        let body = patch_shard(&out.join(&path), tokens)?;
        files.push(OutFile {
            path,
            body: Body::Bytes(body.into_bytes()),
        });
    }
    Some(total)
}

/// The text files holding changed pages, from the last build's.
fn patch_texts(out: &Path, changes: &[Change]) -> Option<Vec<OutFile>> {
    let chunks: BTreeSet<usize> = changes.iter().map(|c| c.id as usize / CHUNK_DOCS).collect();
    let mut files = Vec::new();
    for chunk in chunks {
        let path = format!("search/t/{chunk}.json");
        let mut rows: Vec<Row> =
            serde_json::from_slice(&std::fs::read(out.join(&path)).ok()?).ok()?;
        for c in changes
            .iter()
            .filter(|c| c.id as usize / CHUNK_DOCS == chunk)
        {
            let (title, path, date, column, label, meta) = shown(&c.new);
            *rows.get_mut(c.id as usize % CHUNK_DOCS)? =
                (title, path, date, column, label, meta, c.new.text.clone());
        }
        files.push(OutFile {
            path,
            body: Body::Bytes(serde_json::to_vec(&rows).ok()?),
        });
    }
    Some(files)
}

/// `search/docs.json` from the last build's, if a changed page shows otherwise in lists.
fn patch_titles(out: &Path, changes: &[Change]) -> Option<Option<OutFile>> {
    if changes.iter().all(|c| shown(&c.old) == shown(&c.new)) {
        return Some(None);
    }
    let path = "search/docs.json".to_string();
    let mut head: Head = serde_json::from_slice(&std::fs::read(out.join(&path)).ok()?).ok()?;
    for c in changes {
        *head.docs.get_mut(c.id as usize)? = shown(&c.new);
    }
    Some(Some(OutFile {
        path,
        body: Body::Bytes(serde_json::to_vec(&head).ok()?),
    }))
}

/// A text file's page: `[title, path, date, column, label, meta, text]`.
type Row = (String, String, String, SearchColumn, String, String, String);

/// A page as lists show it (`search/docs.json`): `[title, path, date, column, label, meta]`.
type Shown = (String, String, String, SearchColumn, String, String);

fn shown(r: &SearchRecord) -> Shown {
    (
        r.title.clone(),
        r.path.clone(),
        r.date.clone(),
        r.column,
        r.label.clone(),
        r.meta.clone(),
    )
}

/// `search/docs.json`, owned.
#[derive(Serialize, Deserialize)]
struct Head {
    docs: Vec<Shown>,
}

/// A posting shard of the last build with `tokens`' postings dropped and added.
fn patch_shard(path: &Path, tokens: BTreeMap<String, (Vec<u32>, Vec<u32>)>) -> Option<String> {
    let gaps: BTreeMap<String, Vec<u32>> =
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let mut lists: BTreeMap<String, Vec<u32>> = gaps
        .into_iter()
        .map(|(t, g)| {
            let mut id = 0;
            let ids = g
                .iter()
                .map(|d| {
                    id += d;
                    id
                })
                .collect();
            (t, ids)
        })
        .collect();
    for (token, (drop, add)) in tokens {
        let ids = lists.entry(token).or_default();
        ids.retain(|i| !drop.contains(i));
        ids.extend(add);
        ids.sort_unstable();
        ids.dedup();
    }
    let m: Vec<(String, Vec<u32>)> = lists
        .into_iter()
        .filter(|(_, ids)| !ids.is_empty())
        .collect();
    Some(s::shard_json(&m))
}
