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
use crate::render::search::patch::{self, Now, Page, page};
use crate::render::search::{
    Shape, in_index_order, index_without_texts, text_batches, text_count, text_files,
};

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
    /// Made in full, all but the text files ([`Made::write`] makes them).
    pub files: Vec<OutFile>,
    /// The pages of an index made in full, whose text files are made a few at a time:
    /// at 100,000 pages those files are 80 MB, as much again as the pages.
    texts: Vec<SearchRecord>,
    /// How many text files [`Made::write`] makes.
    text_count: usize,
    pub kept: Vec<String>,
    pub shape: Shape,
    pub state: IndexState,
    /// Updated from the last build's rather than made in full.
    pub patched: bool,
}

impl Made {
    /// Every file of the index.
    pub fn paths(&self) -> impl Iterator<Item = String> + '_ {
        self.files
            .iter()
            .map(|f| f.path.clone())
            .chain(self.kept.iter().cloned())
            .chain(crate::render::search::text_files_named(self.text_count))
    }

    /// The files of the index made (all of them, made in full), the text files a few at a
    /// time into `sink`; the pages are let go after it.
    pub fn write<E>(
        &mut self,
        sink: &mut impl FnMut(&[OutFile]) -> Result<(), E>,
    ) -> Result<(), E> {
        sink(&self.files)?;
        for batch in text_batches(&self.texts) {
            sink(&batch)?;
        }
        self.texts = Vec::new();
        Ok(())
    }

    /// Every file made, the text files included (the preview keeps them all).
    pub fn into_files(self) -> Vec<OutFile> {
        let mut all = self.files;
        all.extend(text_files(&self.texts, 0..self.text_count));
        all
    }

    /// How many files the index has.
    pub fn count(&self) -> usize {
        self.files.len() + self.kept.len() + self.text_count
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
    in_index_order(&mut records);
    let place = places(slugs);
    let index = index_without_texts(&records);
    let state = patch::state_of(&records, &index, key, |d| {
        place.get(member_of(&d.path)).copied().unwrap_or(0) as u32
    });
    let mut files = index.files;
    files.push(agencies_file(slugs, &state.pages));
    Made {
        patched: false,
        files,
        text_count: text_count(records.len()),
        texts: records,
        kept: Vec::new(),
        shape: index.shape,
        state,
    }
}

/// The index of the last build in `out` (described by `last`) with the pages of the
/// members `rebuilt` replaced by their records now at `now(slug)`; `None` when it must be
/// made in full (other options or members, too many pages moved, a file not as left).
pub fn update(
    out: &Path,
    last: IndexState,
    slugs: &[String],
    key: &str,
    rebuilt: &[String],
    now: impl Fn(&str) -> PathBuf,
) -> Option<Made> {
    let place = places(slugs);
    let mut records: Vec<SearchRecord> = Vec::new();
    let mut members = std::collections::HashSet::new();
    for slug in rebuilt {
        records.extend(read_records(&now(slug)).ok()?);
        members.insert(*place.get(slug.as_str())? as u32);
    }
    // The pages of the members not rebuilt as they were, and the rebuilt ones' as they
    // are, in index order.
    let mut pages: Vec<Now> = last
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !members.contains(&p.member))
        .map(|(i, _)| Now::Was(i))
        .collect();
    for r in &records {
        let m = *place.get(member_of(&r.path))? as u32;
        members.contains(&m).then_some(())?;
        pages.push(Now::Given(page(r, m, 0), r));
    }
    // As `in_index_order` orders the pages.
    fn order<'p>(n: &'p Now, last: &'p [Page]) -> Option<(i64, &'p str)> {
        n.page(last).map(|p| (p.when, p.path.as_str()))
    }
    pages.sort_by(|a, b| order(a, &last.pages).cmp(&order(b, &last.pages)));
    let read = |path: &str| std::fs::read(out.join(path)).ok();
    let p = patch::renumber(&read, last, key, pages)?;
    let mut files = p.files;
    files.push(agencies_file(slugs, &p.state.pages));
    Some(Made {
        patched: true,
        files,
        texts: Vec::new(),
        text_count: 0,
        kept: p.kept,
        shape: p.shape,
        state: p.state,
    })
}
