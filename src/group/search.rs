//! The group-wide search: one index of every member's pages (the same files and
//! `search.js` as a site's own search), plus `search/agencies.json`, the member of each
//! page, for the filter by agency. Members' pages enter with their titles, 文号 and
//! 索引号 and the first `[search] body_chars` characters of their text, so that the index
//! of a 100,000-page group stays small to build and to download.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

use super::summary::SearchRecord;
use crate::output::{Body, OutFile};
use crate::search::{SearchDoc, Shape, index_files};

#[derive(Serialize)]
struct Agencies<'a> {
    /// Member slugs, in the order of group.toml.
    slugs: &'a [String],
    /// For each page of the index, its member's place in `slugs`.
    of: Vec<usize>,
}

/// The index files of `records` (every member's, in any order) and the index's shape.
pub fn index(mut records: Vec<SearchRecord>, slugs: &[String]) -> (Vec<OutFile>, Shape) {
    records.sort_by(|a, b| b.when.cmp(&a.when).then_with(|| a.path.cmp(&b.path)));
    let place: HashMap<&str, usize> = slugs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let of = records
        .iter()
        .map(|r| {
            let slug = r.path.split('/').next().unwrap_or("");
            place.get(slug).copied().unwrap_or(0)
        })
        .collect();
    let agencies = OutFile {
        path: "search/agencies.json".into(),
        body: Body::Bytes(serde_json::to_vec(&Agencies { slugs, of }).unwrap_or_default()),
    };
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
    drop(docs);
    let mut files = index.files;
    files.push(agencies);
    (files, index.shape)
}
