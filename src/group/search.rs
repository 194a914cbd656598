//! The group-wide search: one index of every member's pages (the same files and
//! `search.js` as a site's own search), plus `search/agencies.json`, the member of each
//! page, for the filter by agency. Members' pages enter with their titles, 文号 and
//! 索引号 and the first `[search] body_chars` characters of their text, so that the index
//! of a 100,000-page group stays small to build and to download.
//!
//! Made in full, the index of 100,000 pages takes seconds: when a few members were
//! rebuilt and their pages kept their places, the next build updates the index in place
//! ([`crate::render::search::patch`], which a site's build uses too).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::summary::{SearchRecord, read_records};
use crate::output::{Body, OutFile};
pub use crate::render::search::patch::IndexState;
use crate::render::search::patch::{self, Change, Page, page, page_hash};
use crate::render::search::{Shape, index_files};

/// Where the group's [`IndexState`] is kept: beside the output, never in it, so that a
/// merged output and a one-machine output stay the same bytes.
pub fn state_path(out: &Path) -> PathBuf {
    crate::output::fingerprint::beside(out, "group-search")
}

#[derive(Serialize)]
struct Agencies<'a> {
    /// Member slugs, in the order of group.toml.
    slugs: &'a [String],
    /// For each page of the index, its member's place in `slugs`.
    of: Vec<usize>,
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

/// The member slug a page's address starts with.
fn member_of(path: &str) -> &str {
    path.split('/').next().unwrap_or("")
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

/// The whole index of `records` (every member's, in any order); `key` names the
/// options and members it is made for.
pub fn index(mut records: Vec<SearchRecord>, slugs: &[String], key: String) -> Made {
    records.sort_by(|a, b| newest_first((a.when, &a.path), (b.when, &b.path)));
    let place = places(slugs);
    let index = index_files(&records);
    let state = patch::state_of(&records, &index, key, |d| {
        place.get(member_of(&d.path)).copied().unwrap_or(0) as u32
    });
    drop(records);
    let mut files = index.files;
    files.push(agencies_file(slugs, &state.pages));
    Made {
        patched: false,
        files,
        kept: Vec::new(),
        shape: index.shape,
        state,
    }
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
    if last.key != key {
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
            let now = page(r, m, was.keys);
            if (now.path, now.when) != (was.path, was.when) {
                return None;
            }
            if now.hash != was.hash {
                let o = old.remove(&r.path).filter(|o| page_hash(o) == was.hash)?;
                changes.push(Change {
                    id: id as u32,
                    old: o,
                    new: r.clone(),
                });
            }
            pages[id] = now;
        }
        if changes.len() > patch::MAX_PATCHED {
            return None;
        }
    }
    let read = |path: &str| std::fs::read(out.join(path)).ok();
    let p = patch::apply(&read, last, key, pages, changes)?;
    let mut files = p.files;
    files.push(agencies_file(slugs, &p.state.pages));
    Some(Made {
        patched: true,
        files,
        kept: p.kept,
        shape: p.shape,
        state: p.state,
    })
}
