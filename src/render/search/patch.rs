//! A search index updated in place. Made in full, the index of 10,000 pages takes a
//! good part of a build, and of a 100,000-page group seconds. So a build keeps beside
//! the output what it indexed ([`IndexState`]: each page's address and time, a hash of
//! what the index holds of it, its number of tokens), and the next build changes only the
//! files of the page numbers whose page is not the one it was: the posting shards of their
//! old and new tokens, their text files, the list of titles. Pages are numbered oldest
//! first, so the page an editor adds today takes the next number and moves no other;
//! a page removed or dated back moves the pages after it, each then a changed number.
//! Every other file is kept as it is, and the bytes are those a full build would give;
//! past [`MAX_PATCHED`] changed numbers the index is made in full. A site's build
//! ([`update`]) and a portal group's (`group::search`, which knows its changed pages by
//! member) share it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use std::borrow::Cow;

use super::{self as s, CHUNK_DOCS, Index, SearchDoc, SearchRecord, Shape};
use crate::config::SearchColumn;
use crate::model::site::Site;
use crate::output::{Body, OutFile};

/// Changes with [`IndexState`]'s shape or the index's: an older state means a full index.
const FORMAT: u32 = 5;

/// More changed pages than this and the index is made in full (patching most shards
/// costs more than making them).
pub(crate) const MAX_PATCHED: usize = 2000;

/// Reads a file of the last build's index (`search/p/3.json`) from its output.
pub type Read<'a> = &'a (dyn Fn(&str) -> Option<Vec<u8>> + Sync);

/// One page of the index as the next build needs to know it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page {
    /// Its member's place among the slugs.
    #[serde(rename = "m")]
    pub(crate) member: u32,
    /// Its address: a group orders the pages of the members it did not rebuild by it.
    #[serde(rename = "p")]
    pub(crate) path: String,
    #[serde(rename = "w")]
    pub(crate) when: i64,
    #[serde(rename = "c")]
    pub(crate) column: SearchColumn,
    #[serde(rename = "d")]
    pub(crate) date: String,
    /// Of everything the index holds of the page.
    #[serde(rename = "h")]
    pub(crate) hash: u64,
    /// Its tokens (postings).
    #[serde(rename = "k")]
    pub(crate) keys: u32,
    /// What its address and title add to the index's version.
    #[serde(rename = "t")]
    pub(crate) head: u32,
    /// What it was made of ([`SearchDoc::input`]); 0 when not known.
    #[serde(rename = "i", default)]
    pub(crate) input: u64,
}

/// What the last build's index was made of, kept beside the output (never in it, so
/// that a merged output and a one-machine output stay the same bytes).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IndexState {
    pub(crate) format: u32,
    /// The build options and the members the index was made for.
    pub(crate) key: String,
    pub(crate) shards: usize,
    pub(crate) total: usize,
    /// In index order (oldest first).
    pub(crate) pages: Vec<Page>,
    /// The hash of each posting shard, then of each text file.
    pub(crate) bodies: Vec<u32>,
}

impl IndexState {
    /// The state kept at `path`, if it is of this format.
    pub fn load(path: &Path) -> Option<IndexState> {
        let st: IndexState = crate::output::fingerprint::load_json(path)?;
        (st.format == FORMAT).then_some(st)
    }

    pub fn forget(path: &Path) {
        let _ = std::fs::remove_file(path);
    }
}

/// An index updated from the last build's: the files that differ (made anew), those
/// kept as they are, its shape, and what the next build needs.
pub struct Patched {
    pub files: Vec<OutFile>,
    pub kept: Vec<String>,
    pub shape: Shape,
    pub state: IndexState,
}

/// What the next build needs of the index `index`, made in full of `docs` (in index
/// order) for `key`; `member` gives each page's member in a portal group (0 for a site).
pub fn state_of(
    docs: &[SearchDoc],
    index: &Index,
    key: String,
    member: impl Fn(&SearchDoc) -> u32,
) -> IndexState {
    let pages = docs
        .iter()
        .zip(&index.keys)
        .map(|(d, k)| page(d, member(d), *k))
        .collect();
    let bodies = index.bodies.clone();
    IndexState {
        format: FORMAT,
        key,
        shards: index.shape.shards,
        total: index.keys.iter().map(|&k| k as usize).sum(),
        pages,
        bodies,
    }
}

/// An index of `docs` (in index order) for `key`, updated from the last build's (`last`,
/// its files read through `read`), every record given; `None` when it must be made in
/// full. A site's build takes [`update_site`], which gives only the records that changed.
#[cfg(test)]
pub(crate) fn update(
    docs: &[SearchDoc],
    last: IndexState,
    key: &str,
    read: Read,
) -> Option<Patched> {
    // Each page's text hashed, side by side.
    let now = docs
        .par_iter()
        .map(|d| Now::Given(page(d, 0, 0), d))
        .collect();
    renumber(read, last, key, now)
}

/// [`update`] for a site's own pages: a news or disclosure item whose record's key
/// ([`s::news_input`], [`s::disclosure_input`]) is the one its page had in the last
/// build's index is that page again, taken without making its record (on an edit, 11,000
/// records made and their bodies cut, read back from the load memo when longer than the
/// cut, to find the one that changed).
pub fn update_site(site: &Site, last: IndexState, key: &str, read: Read) -> Option<Patched> {
    if last.key != key || last.format != FORMAT {
        return None;
    }
    let search = &site.config.search;
    let max = search.body_chars;
    let pages = &last.pages;
    let at: rustc_hash::FxHashMap<&str, usize> = (pages.iter().enumerate())
        .filter(|(_, p)| p.input != 0 && p.member == 0)
        .map(|(i, p)| (p.path.as_str(), i))
        .collect();
    // The number of the last build's page that an item's record is, if its key is that
    // page's (each key holds its item's address: no two items take one page).
    let was = |path: &str, input: u64| at.get(path).copied().filter(|&i| pages[i].input == input);
    let news = site.news.par_iter().map(|n| {
        let was = was(&n.path, s::news_input(n, max));
        Item::of(was, pages, &n.file, || s::news_document(n, max))
    });
    let disclosure = site.disclosure.par_iter().map(|d| {
        let was = was(&d.path, s::disclosure_input(d, max));
        Item::of(was, pages, &d.file, || s::disclosure_document(d, max))
    });
    let mut items: Vec<Item> = Vec::new();
    if search.indexes(SearchColumn::News) {
        items.par_extend(news);
    }
    if search.indexes(SearchColumn::Disclosure) {
        items.par_extend(disclosure);
    }
    let mut docs = s::documents_besides_items(site);
    let mut taken = Vec::new();
    for item in items {
        match item {
            Item::Taken(i) => taken.push(i),
            Item::Made(d) => docs.push(d),
        }
    }
    drop(at);
    // In index order (as [`s::in_index_order`] puts records): oldest first, then by
    // address.
    let mut order: Vec<(i64, &str, Result<usize, usize>)> = (docs.iter().enumerate())
        .map(|(j, d)| (d.when, d.path.as_str(), Err(j)))
        .chain(
            taken
                .iter()
                .map(|&i| (pages[i].when, pages[i].path.as_str(), Ok(i))),
        )
        .collect();
    order.par_sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut given: Vec<Option<Page>> = docs.par_iter().map(|d| Some(page(d, 0, 0))).collect();
    let now = order
        .into_iter()
        .map(|(_, _, at)| match at {
            Ok(i) => Now::Was(i),
            Err(j) => Now::Given(given[j].take().expect("each record once"), &docs[j]),
        })
        .collect();
    renumber(read, last, key, now)
}

/// An item's page in [`update_site`]: the last build's (by its number then), or its
/// record made.
enum Item<'a> {
    Taken(usize),
    Made(SearchDoc<'a>),
}

impl<'a> Item<'a> {
    /// The last build's page `was` (among `pages`) of the item of `file` when its key
    /// found one, else the item's record made. Debug builds make the record of a page
    /// taken too, and it must be what the page was.
    fn of(
        was: Option<usize>,
        pages: &[Page],
        file: &str,
        make: impl Fn() -> SearchDoc<'a>,
    ) -> Self {
        debug_assert!(
            was.is_none_or(|i| as_it_was(&make(), &pages[i])),
            "{file}: its search key is as it was and its record is not"
        );
        match was {
            Some(i) => Item::Taken(i),
            None => Item::Made(make()),
        }
    }
}

/// Whether record `d` is what the last build indexed as `p`.
fn as_it_was(d: &SearchDoc, p: &Page) -> bool {
    (d.when, d.path.as_str(), page_hash(d)) == (p.when, p.path.as_str(), p.hash)
}

/// A page of the index being made: given with its record, or a page of the last
/// build's index (by its number then) that is as it was.
pub(crate) enum Now<'a, 'd> {
    Given(Page, &'a SearchDoc<'d>),
    Was(usize),
}

impl Now<'_, '_> {
    pub(crate) fn page<'p>(&'p self, last: &'p [Page]) -> Option<&'p Page> {
        match self {
            Now::Given(p, _) => Some(p),
            Now::Was(i) => last.get(*i),
        }
    }
}

/// The last build's index (`last`, read through `read`) made the index of `now` (in
/// index order): each number whose page is not the page it was is a change.
pub(crate) fn renumber(read: Read, last: IndexState, key: &str, now: Vec<Now>) -> Option<Patched> {
    if last.key != key || last.format != FORMAT {
        return None;
    }
    let mut texts = Texts::new(read);
    let mut pages = Vec::with_capacity(now.len());
    let mut changes = Vec::new();
    let total = now.len().max(last.pages.len());
    let mut now = now.into_iter();
    for id in 0..total {
        let was = last.pages.get(id);
        // A page given is moved into the new state, not copied (11,000 on an edit).
        let (is, given, was_at) = match now.next() {
            Some(Now::Given(p, d)) => (Some(Cow::Owned(p)), Some(d), None),
            Some(Now::Was(i)) => (Some(Cow::Borrowed(last.pages.get(i)?)), None, Some(i)),
            None => (None, None, None),
        };
        // The tokens the number had, when its page is the one it had.
        let kept = match (was, is.as_deref()) {
            (Some(w), Some(p)) if (&w.path, w.when, w.hash) == (&p.path, p.when, p.hash) => {
                Some(w.keys)
            }
            _ => None,
        };
        let is = match (kept, is) {
            (Some(keys), Some(is)) => {
                pages.push(Page {
                    keys,
                    ..is.into_owned()
                });
                continue;
            }
            (_, is) => is,
        };
        let old = match was {
            Some(was) => Some(texts.record(id, was)?),
            None => None,
        };
        let new = match (given, was_at) {
            (Some(d), _) => Some(d.clone().into_owned()),
            (None, Some(i)) => Some(texts.record(i, last.pages.get(i)?)?),
            (None, None) => None,
        };
        if let Some(is) = is {
            pages.push(is.into_owned());
        }
        changes.push(Change {
            id: id as u32,
            keys: was.map_or(0, |w| w.keys),
            old,
            new,
        });
        if changes.len() > MAX_PATCHED {
            return None;
        }
    }
    apply(read, &mut texts, last, key, pages, changes)
}

/// The text files of the last build's index, each read once.
struct Texts<'r> {
    read: Read<'r>,
    chunks: HashMap<usize, Vec<Row>>,
}

impl<'r> Texts<'r> {
    fn new(read: Read<'r>) -> Self {
        Texts {
            read,
            chunks: HashMap::new(),
        }
    }

    /// The pages of text file `chunk`; `None` if it cannot be read.
    fn rows(&mut self, chunk: usize) -> Option<&Vec<Row>> {
        Some(match self.chunks.entry(chunk) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let bytes = (self.read)(&s::text_path(chunk))?;
                e.insert(crate::ground::text::from_json(&bytes)?)
            }
        })
    }

    /// What the index held of page `id`, which the state describes as `was`; `None` if
    /// its text file does not hold that.
    fn record(&mut self, id: usize, was: &Page) -> Option<SearchRecord> {
        let (title, path, date, column, label, meta, text) =
            self.rows(id / CHUNK_DOCS)?.get(id % CHUNK_DOCS)?.clone();
        let old = SearchRecord {
            title,
            path,
            date,
            when: was.when,
            column,
            label,
            meta,
            text: text.into(),
            input: was.input,
        };
        (page_hash(&old) == was.hash).then_some(old)
    }
}

/// The last build's index (`last`, read through `read`) with `changes` made, its pages
/// now `pages`; `None` when it must be made in full (the number of shards changes, a
/// file is not as the state says).
fn apply(
    read: Read,
    texts: &mut Texts,
    last: IndexState,
    key: &str,
    mut pages: Vec<Page>,
    mut changes: Vec<Change>,
) -> Option<Patched> {
    changes.sort_by_key(|c| c.id);
    let mut files = Vec::new();
    let (shards, mut bodies) = (last.shards, last.bodies);
    let total = patch_postings(read, (shards, last.total), &mut pages, &changes, &mut files)?;
    for f in &files {
        let shard = f
            .path
            .trim_start_matches("search/p/")
            .trim_end_matches(".json");
        *bodies.get_mut(shard.parse::<usize>().ok()?)? = body_hash(f);
    }
    // The text files now: those past the last page gone, a new one for pages past the
    // last file.
    let had = s::text_count(last.pages.len());
    bodies.resize(shards + s::text_count(pages.len()), 0);
    for f in patch_texts(texts, had, &changes, pages.len())? {
        let chunk = f
            .path
            .trim_start_matches("search/t/")
            .trim_end_matches(".json");
        *bodies.get_mut(shards + chunk.parse::<usize>().ok()?)? = body_hash(&f);
        files.push(f);
    }
    files.extend(patch_titles(read, &changes, pages.len())?);
    files.push(OutFile {
        path: "search/meta.json".into(),
        body: Body::Bytes(s::meta_json(
            pages.iter().map(|p| (p.column, p.date.as_str())),
        )),
    });
    let made: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let kept: Vec<String> = std::iter::once("search/docs.json".to_string())
        .chain((0..shards).map(|i| format!("search/p/{i}.json")))
        .chain(s::text_files_named(s::text_count(pages.len())))
        .filter(|p| !made.contains(p.as_str()))
        .collect();
    let version = s::version(bodies.iter().copied(), pages.iter().map(|p| p.head));
    Some(Patched {
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

/// Of everything the index holds of a page.
pub(crate) fn page_hash(d: &SearchDoc) -> u64 {
    // The keys' hasher (xxh3), not FNV a byte at a time: this hashes every page's text on
    // every build, 9 MB at 10,000 items. The state keeps 64 of its bits.
    let mut h = crate::ground::digest::Hasher::default();
    for f in [&d.title, &d.path, &d.date, &d.label, &d.meta] {
        h.piece(f.as_bytes());
    }
    h.update(&d.text.hash().to_le_bytes());
    h.update(&[d.column as u8]);
    h.finish() as u64
}

/// What the next build needs to know of page `r` of `member`, with `keys` tokens.
pub(crate) fn page(r: &SearchDoc, member: u32, keys: u32) -> Page {
    Page {
        member,
        path: r.path.clone(),
        when: r.when,
        column: r.column,
        date: r.date.clone(),
        hash: page_hash(r),
        keys,
        head: s::head_hash(&r.path, &r.title),
        input: r.input,
    }
}

/// What a shard or text file adds to the index's version.
pub(crate) fn body_hash(f: &OutFile) -> u32 {
    match &f.body {
        Body::Bytes(b) => crate::ground::fnv::fnv32(b),
        Body::Copy(_) | Body::Checked(..) => 0,
    }
}

/// A changed page number: the record it had (and its number of tokens) and has, `None`
/// where the index had or has no page of that number.
pub(crate) struct Change {
    pub(crate) id: u32,
    pub(crate) keys: u32,
    pub(crate) old: Option<SearchRecord>,
    pub(crate) new: Option<SearchRecord>,
}

/// Postings to drop and to add, by shard and token.
type Delta = BTreeMap<usize, BTreeMap<String, (Vec<u32>, Vec<u32>)>>;

/// The posting shards the changed pages' old and new tokens fall in, into `files`;
/// returns the number of postings now, `None` when the number of shards would change.
fn patch_postings(
    read: Read,
    (shards, mut total): (usize, usize),
    pages: &mut [Page],
    changes: &[Change],
    files: &mut Vec<OutFile>,
) -> Option<usize> {
    let mut delta: Delta = BTreeMap::new();
    let keys_of = |r: &Option<SearchRecord>| r.as_ref().map(s::page_keys).unwrap_or_default();
    for c in changes {
        let (ok, ow) = keys_of(&c.old);
        let (nk, nw) = keys_of(&c.new);
        if ok.len() != c.keys as usize {
            return None;
        }
        if c.new.is_some() {
            pages.get_mut(c.id as usize)?.keys = nk.len() as u32;
        }
        total = (total + nk.len()).checked_sub(ok.len())?;
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
        let body = patch_shard(read(&path)?, tokens)?;
        files.push(OutFile {
            path,
            body: Body::Bytes(body.into_bytes()),
        });
    }
    Some(total)
}

/// The text files holding changed page numbers, from the last build's (of which there
/// were `had`), for an index of `count` pages.
fn patch_texts(
    texts: &mut Texts,
    had: usize,
    changes: &[Change],
    count: usize,
) -> Option<Vec<OutFile>> {
    let chunks: BTreeSet<usize> = changes
        .iter()
        .map(|c| c.id as usize / CHUNK_DOCS)
        .filter(|&c| c < s::text_count(count))
        .collect();
    let mut files = Vec::new();
    for chunk in chunks {
        let path = s::text_path(chunk);
        let first = chunk * CHUNK_DOCS;
        // A text file the last build wrote must be there; past them, a new one.
        let mut rows: Vec<Row> = if chunk < had {
            texts.rows(chunk)?.clone()
        } else {
            Vec::new()
        };
        rows.truncate((count - first).min(CHUNK_DOCS));
        for c in changes
            .iter()
            .filter(|c| c.id as usize / CHUNK_DOCS == chunk)
        {
            let Some(new) = &c.new else { continue };
            put(&mut rows, c.id as usize - first, row(new))?;
        }
        files.push(OutFile {
            path,
            body: Body::Bytes(serde_json::to_vec(&rows).ok()?),
        });
    }
    Some(files)
}

/// Sets `rows[i]`, or adds it when it is the next row; `None` for a gap.
fn put<T>(rows: &mut Vec<T>, i: usize, value: T) -> Option<()> {
    match i.cmp(&rows.len()) {
        std::cmp::Ordering::Less => rows[i] = value,
        std::cmp::Ordering::Equal => rows.push(value),
        std::cmp::Ordering::Greater => return None,
    }
    Some(())
}

fn row(r: &SearchRecord) -> Row {
    let (title, path, date, column, label, meta) = shown(r);
    (
        title,
        path,
        date,
        column,
        label,
        meta,
        r.text.get().into_owned(),
    )
}

/// `search/docs.json` from the last build's, if a page was added or removed or a changed
/// one shows otherwise in lists; the index now has `count` pages.
fn patch_titles(read: Read, changes: &[Change], count: usize) -> Option<Option<OutFile>> {
    let shows = |r: &Option<SearchRecord>| r.as_ref().map(shown);
    if changes.iter().all(|c| shows(&c.old) == shows(&c.new)) {
        return Some(None);
    }
    let path = "search/docs.json".to_string();
    let mut head: Head = crate::ground::text::from_json(&read(&path)?)?;
    head.docs.truncate(count);
    for c in changes {
        if let Some(new) = &c.new {
            put(&mut head.docs, c.id as usize, shown(new))?;
        }
    }
    Some(Some(OutFile {
        path,
        body: Body::Bytes(serde_json::to_vec(&head).ok()?),
    }))
}

/// A text file's page: `[title, path, date, column, label, meta, text]`.
pub(crate) type Row = (String, String, String, SearchColumn, String, String, String);

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
fn patch_shard(bytes: Vec<u8>, tokens: BTreeMap<String, (Vec<u32>, Vec<u32>)>) -> Option<String> {
    let gaps: BTreeMap<String, Vec<u32>> = crate::ground::text::from_json(&bytes)?;
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
    let m: Vec<(String, s::Ids)> = lists
        .into_iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(t, ids)| (t, ids.into_iter().collect()))
        .collect();
    Some(s::shard_json(&m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::tests::{bytes, doc};

    /// The state a build keeps is the one of the index it wrote, text files made a few
    /// at a time included: the next build patches that index rather than making it anew,
    /// and the patched index is the one made afresh.
    #[test]
    fn an_index_made_without_its_texts_is_patched_into_the_index_made_afresh() {
        let mut docs: Vec<SearchDoc<'static>> = (0..50)
            .map(|i| {
                doc(
                    &format!("第{i}号通知"),
                    &"领事认证签证护照".repeat(1 + i % 4),
                )
            })
            .collect();
        let built = s::index_without_texts(&docs);
        let state = state_of(&docs, &built, "k".into(), |_| 0);
        let mut output = bytes(&s::index_files(&docs).files);
        docs[17].text = "因公出国（境）审批办理指南".into();
        let read = |p: &str| output.get(p).cloned();
        let patched = update(&docs, state, "k", &read).expect("patched in place, not made anew");
        assert!(
            patched.files.len() < 10,
            "{} files made",
            patched.files.len()
        );
        let fresh = s::index_files(&docs);
        assert_eq!(patched.shape.version, fresh.shape.version);
        output.extend(bytes(&patched.files));
        assert_eq!(output, bytes(&fresh.files));
    }

    /// Fifty pages a day apart, numbered oldest first.
    fn days(n: usize) -> Vec<SearchDoc<'static>> {
        (0..n)
            .map(|i| SearchDoc {
                when: i as i64 * 1440,
                ..doc(
                    &format!("第{i}号通知"),
                    &"领事认证签证护照".repeat(1 + i % 4),
                )
            })
            .collect()
    }

    /// The index of `before` patched into the index of `after`: its files, those kept
    /// included, are the files of the index made afresh, and its version the same.
    fn patched(before: &[SearchDoc], after: &[SearchDoc]) -> Patched {
        let built = s::index_files(before);
        let state = state_of(before, &built, "k".into(), |_| 0);
        let output = bytes(&built.files);
        let read = |p: &str| output.get(p).cloned();
        let patched = update(after, state, "k", &read).expect("patched in place, not made anew");
        let fresh = s::index_files(after);
        assert_eq!(patched.shape.version, fresh.shape.version);
        let mut now = bytes(&patched.files);
        for k in &patched.kept {
            now.insert(k.clone(), output[k].clone());
        }
        assert_eq!(now, bytes(&fresh.files));
        patched
    }

    /// An editor's new page is the newest: it takes the next number, and of the text
    /// files only the last is made again.
    #[test]
    fn a_page_added_after_the_others_moves_no_other_page() {
        let before = days(50);
        let mut after = before.clone();
        after.push(SearchDoc {
            when: 100 * 1440,
            ..doc(
                "关于办理因公护照的通知",
                "外事办公室受理因公出国（境）护照申请",
            )
        });
        let p = patched(&before, &after);
        let texts: Vec<&str> = p
            .files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|f| f.starts_with("search/t/"))
            .collect();
        assert_eq!(texts, ["search/t/6.json"]);
        assert_eq!(p.state.pages.len(), 51);
    }

    /// A page removed or dated back moves the pages after it: each moved number is a
    /// change, and the index is still the one made afresh, a text file fewer or more.
    #[test]
    fn pages_removed_or_dated_back_are_patched_into_the_index_made_afresh() {
        let before = days(50);
        let mut removed = before.clone();
        removed.remove(45);
        patched(&before, &removed);
        removed.truncate(48);
        patched(&before, &removed);
        let mut back = before.clone();
        back.insert(
            44,
            SearchDoc {
                when: 43 * 1440 + 1,
                ..doc("补录的通知", "补录的签证通知")
            },
        );
        back.push(SearchDoc {
            when: 60 * 1440,
            ..doc("第六十号通知", "新的护照")
        });
        let p = patched(&before, &back);
        assert!(p.files.iter().any(|f| f.path == "search/t/6.json"));
    }
}
