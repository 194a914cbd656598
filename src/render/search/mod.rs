//! The site search index (站内搜索). A static portal has no server to search with, so
//! `build` writes an index and `assets/search.js` searches it in the visitor's browser.
//!
//! Chinese has no spaces between words, so the index holds every pair of adjacent Han
//! characters (bigrams) and every Latin word or number; a query of two or more characters
//! is found wherever it occurs, and a longer one is confirmed against the page's text.
//! The index is split so that a first search on a site of 10,000 items downloads and parses
//! little (about 200 KB compressed, measured by `bench/search`):
//!
//! - `search/meta.json`: the column of every page and the pages of every year (pages are
//!   numbered oldest first, so a year is a range), for the filters;
//! - `search/p/N.json`: the postings, split into shards by a hash of the token; a query
//!   loads only the shards of its own tokens. `^token` lists the pages with the token in
//!   their title or metadata, for ranking;
//! - `search/t/N.json`: the pages themselves (title, address, date, column, metadata and
//!   text), a few per file, loaded for the results shown;
//! - `search/docs.json`: every title, read only for a one-character query, which bigrams
//!   cannot answer.
//!
//! Normalising and tokenising must agree exactly with `search.js`: both fold full-width
//! letters and digits to half-width and Latin letters to lower case, one character for one,
//! so that positions in the folded text are positions in the original.

pub mod patch;

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::SearchColumn;
use crate::ground::date::Date;
use crate::ground::digest::Key;
use crate::model::body;
use crate::model::content::{DisclosureItem, NewsItem};
use crate::model::markdown;
use crate::model::site::Site;
use crate::output::{Body, OutFile};

/// Postings per shard the index aims at (about 30 KB compressed).
const SHARD_POSTINGS: usize = 40_000;
/// Pages per text file: small enough that the ten results of a page of results cost little.
pub(crate) const CHUNK_DOCS: usize = 8;
/// How many text files are made and written at a time (each holds a few pages' text).
const TEXT_BATCH: usize = 128;

/// Folds one character as search.js does: full-width ASCII to half-width, the ideographic
/// space to a space, Latin capitals to lower case.
pub fn fold(c: char) -> char {
    crate::ground::text::fold_width(c).to_ascii_lowercase()
}

pub fn normalize(s: &str) -> String {
    s.chars().map(fold).collect()
}

pub use crate::ground::text::is_cjk;

/// A character of a Latin word or a number (Unicode's tables are read only past ASCII).
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        !is_cjk(c) && c.is_alphanumeric()
    }
}

/// A token of the index: a pair of CJK characters, or a whole Latin word or number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Token {
    Bigram(char, char),
    Word(String),
}

impl Token {
    pub fn text(&self) -> String {
        match self {
            Token::Bigram(a, b) => [*a, *b].iter().collect(),
            Token::Word(w) => w.clone(),
        }
    }
}

/// The tokens of already-normalised text, in order, with repeats.
pub fn tokens(normalized: &str, each: impl FnMut(Token)) {
    tokens_of(normalized.chars(), each);
}

/// [`tokens`] of normalised characters, however they come.
fn tokens_of(normalized: impl Iterator<Item = char>, mut each: impl FnMut(Token)) {
    let mut prev_cjk: Option<char> = None;
    let mut word = String::new();
    for c in normalized {
        if is_cjk(c) {
            if let Some(p) = prev_cjk {
                each(Token::Bigram(p, c));
            }
            prev_cjk = Some(c);
        } else {
            prev_cjk = None;
        }
        if is_word(c) {
            word.push(c);
        } else if !word.is_empty() {
            each(Token::Word(std::mem::take(&mut word)));
        }
    }
    if !word.is_empty() {
        each(Token::Word(word));
    }
}

/// FNV-1a over the UTF-8 bytes: the shard of a token (search.js computes the same).
pub fn fnv1a(s: &str) -> u32 {
    crate::ground::fnv::fnv32(s.as_bytes())
}

/// One searchable page. Owning its text ([`SearchRecord`]), it is what a portal group's
/// members hand to the group's index and what an index updated in place reads back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchDoc<'a> {
    pub title: String,
    /// Relative to the site's base path, e.g. `news/2023/签证/`.
    pub path: String,
    /// `2023-12-31`.
    pub date: String,
    /// Orders pages newest first (date and time).
    pub when: i64,
    pub column: SearchColumn,
    /// What the result list shows as its column, e.g. `外事动态`.
    pub label: String,
    /// 索引号, 文号 and the like, shown and searched.
    pub meta: String,
    /// Body text, cut to `body_chars`: an item's body is read (and cut) only when the
    /// text is wanted.
    pub text: Text<'a>,
    /// What the page is made of, hashed without making it (a news item's:
    /// [`news_input`]); 0 when not known. An edit takes the page of an unchanged item as
    /// the last build indexed it, without making its record or reading its body. Not
    /// handed on with the record: a group's record of the page is not the member's.
    #[serde(skip)]
    pub input: u64,
}

/// A page's text as the index takes it: given, or an item's body cut to a number of
/// characters, which an index updated in place reads only for a page that changed (a
/// body left in the load memo is read from there).
#[derive(Debug, Clone)]
pub enum Text<'a> {
    Given(Cow<'a, str>),
    Body(&'a body::Body, usize),
}

impl Text<'_> {
    /// The text, borrowed when it is given or held whole.
    pub fn get(&self) -> Cow<'_, str> {
        match self {
            Text::Given(t) => Cow::Borrowed(t),
            Text::Body(b, max) => match b.text() {
                Cow::Borrowed(t) => keep(Cow::Borrowed(t), *max),
                Cow::Owned(t) => Cow::Owned(keep(Cow::Owned(t), *max).into_owned()),
            },
        }
    }

    /// The hash of the text: a body's own, without reading it, when it is not cut.
    pub fn hash(&self) -> Key {
        match self {
            Text::Body(b, max) if b.within(*max) => b.hash(),
            _ => body::hash_of(&self.get()),
        }
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(t: &'a str) -> Text<'a> {
        Text::Given(Cow::Borrowed(t))
    }
}

impl From<String> for Text<'_> {
    fn from(t: String) -> Self {
        Text::Given(Cow::Owned(t))
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.get())
    }
}

impl<'de> Deserialize<'de> for Text<'_> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Text::from)
    }
}

impl SearchDoc<'_> {
    /// The same page, owning its text (to build an index on another thread).
    pub fn into_owned(self) -> SearchDoc<'static> {
        SearchDoc {
            text: Text::from(self.text.get().into_owned()),
            title: self.title,
            path: self.path,
            date: self.date,
            when: self.when,
            column: self.column,
            label: self.label,
            meta: self.meta,
            input: self.input,
        }
    }
}

/// `text` cut to `max` characters, borrowed when it is short enough.
fn keep<'a>(text: Cow<'a, str>, max: usize) -> Cow<'a, str> {
    // No more bytes than `max` is no more characters: most bodies, without counting.
    if text.len() <= max {
        return text;
    }
    match text.char_indices().nth(max) {
        None => text,
        Some((i, _)) => Cow::Owned(text[..i].to_string()),
    }
}

/// A page owning its text.
pub type SearchRecord = SearchDoc<'static>;

/// The searchable pages of a site, oldest first: the page added today takes the next
/// number and moves no other (the results by date are the numbers from the last).
pub fn documents(site: &Site) -> Vec<SearchDoc<'_>> {
    let cfg = &site.config.search;
    let max = cfg.body_chars;
    let mut docs = Vec::new();
    // The news and disclosure items' records made side by side.
    if cfg.indexes(SearchColumn::News) {
        docs.par_extend(site.news.par_iter().map(|n| news_document(n, max)));
    }
    if cfg.indexes(SearchColumn::Disclosure) {
        docs.par_extend(
            site.disclosure
                .par_iter()
                .map(|d| disclosure_document(d, max)),
        );
    }
    docs.extend(documents_besides_items(site));
    in_index_order(&mut docs);
    docs
}

/// The record of news item `n`, its body cut to `max` characters.
pub(crate) fn news_document(n: &NewsItem, max: usize) -> SearchDoc<'_> {
    SearchDoc {
        title: n.front.title.clone(),
        path: n.path.clone(),
        date: n.front.date.ymd(),
        when: n.front.date.sort_key(),
        column: SearchColumn::News,
        label: n
            .front
            .category
            .clone()
            .unwrap_or_else(|| "新闻动态".into()),
        meta: String::new(),
        text: Text::Body(&n.body_text, max),
        input: news_input(n, max),
    }
}

/// The key of [`news_document`]'s record, made from what it reads: the item as it was
/// loaded (title, date, category), its body's text, its address and the cut. What
/// `news_document` comes to read must be hashed here too.
pub(crate) fn news_input(n: &NewsItem, max: usize) -> u64 {
    let mut h = crate::ground::digest::Hasher::default();
    h.update(b"news search\0");
    h.update(&n.loaded_key.to_le_bytes());
    h.update(&n.body_text.hash().to_le_bytes());
    h.piece(n.path.as_bytes());
    h.update(&(max as u64).to_le_bytes());
    // Never 0, which says "not known".
    (h.finish() as u64).max(1)
}

/// The record of disclosure item `d`, its body cut to `max` characters.
pub(crate) fn disclosure_document(d: &DisclosureItem, max: usize) -> SearchDoc<'_> {
    let f = &d.front;
    let meta = [
        ("索引号", &f.index_no),
        ("文号", &f.doc_no),
        ("发布机构", &f.publisher),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}：{v}")))
    .collect::<Vec<_>>()
    .join("　");
    SearchDoc {
        title: f.title.clone(),
        path: d.path.clone(),
        date: f.date.ymd(),
        when: f.date.sort_key(),
        column: SearchColumn::Disclosure,
        label: d.kind_label.to_string(),
        meta,
        text: Text::Body(&d.body_text, max),
        input: disclosure_input(d, max),
    }
}

/// The key of [`disclosure_document`]'s record, made from each value it reads. What
/// `disclosure_document` comes to read must be hashed here too.
pub(crate) fn disclosure_input(d: &DisclosureItem, max: usize) -> u64 {
    let f = &d.front;
    let mut h = crate::ground::digest::Hasher::default();
    h.update(b"disclosure search\0");
    for v in [&f.title, &d.path, &f.date.ymd(), d.kind_label] {
        h.piece(v.as_bytes());
    }
    for v in [&f.index_no, &f.doc_no, &f.publisher] {
        match v {
            Some(v) => h.piece(v.as_bytes()),
            None => h.update(b"\x03none"),
        }
    }
    h.update(&f.date.sort_key().to_le_bytes());
    h.update(&d.body_text.hash().to_le_bytes());
    h.update(&(max as u64).to_le_bytes());
    (h.finish() as u64).max(1)
}

/// The searchable pages of a site other than its news and disclosure items (reports,
/// and the 政府网站's pages), in no order.
pub(crate) fn documents_besides_items(site: &Site) -> Vec<SearchDoc<'_>> {
    let cfg = &site.config.search;
    let max = cfg.body_chars;
    let mut docs = Vec::new();
    if cfg.indexes(SearchColumn::Reports) {
        for r in &site.reports {
            let mut text = markdown::render(&r.preamble, "/").text;
            for sec in r.kind.sections {
                if let Some(t) = r.texts.get(sec.key) {
                    text.push('\n');
                    text.push_str(sec.title);
                    text.push('\n');
                    text.push_str(&markdown::render(t, "/").text);
                }
            }
            let date = r
                .published
                .or_else(|| Date::parse(&format!("{}-12-31", r.year)));
            docs.push(SearchDoc {
                title: r.title.clone(),
                path: site.config.paths.report(r.year),
                date: date.map(|d| d.ymd()).unwrap_or_default(),
                when: date.map(|d| d.sort_key()).unwrap_or_default(),
                column: SearchColumn::Reports,
                label: "政府信息公开工作年度报告".into(),
                meta: String::new(),
                text: Text::Given(keep(Cow::Owned(text), max)),
                input: 0,
            });
        }
    }
    website_documents(site, &mut docs);
    docs
}

/// Puts pages in the order the index numbers them: oldest first, then by address (a
/// site's index, a group's, and the update in place of either).
pub fn in_index_order(docs: &mut [SearchDoc]) {
    docs.par_sort_by(|a, b| (a.when, &a.path).cmp(&(b.when, &b.path)));
}

/// The pages of the 政府网站 beyond the 专栏 that a visitor searches for: 机构职能 and
/// 领导信息 (with the disclosure items), 办事指南, and the 留言 as published.
fn website_documents<'a>(site: &'a Site, docs: &mut Vec<SearchDoc<'a>>) {
    let cfg = &site.config.search;
    let max = cfg.body_chars;
    let paths = &site.config.paths;
    let doc = |title: &str, path: String, date: Date, column, label: &str, text: Cow<'a, str>| {
        SearchDoc {
            title: title.to_string(),
            path,
            date: date.ymd(),
            when: date.sort_key(),
            column,
            label: label.to_string(),
            meta: String::new(),
            text: Text::Given(keep(text, max)),
            input: 0,
        }
    };
    if cfg.indexes(SearchColumn::Disclosure) {
        if let Some(o) = &site.organization {
            let f = &o.front;
            docs.push(doc(
                &f.title,
                paths.organization(),
                f.updated,
                SearchColumn::Disclosure,
                "机构职能",
                Cow::Borrowed(&o.duties_text),
            ));
        }
        for l in &site.leaders {
            let f = &l.front;
            docs.push(doc(
                &format!("{} {}", f.name, f.position),
                l.path.clone(),
                f.updated,
                SearchColumn::Disclosure,
                "领导信息",
                Cow::Owned(format!("{}\n{}", f.duties, l.resume_text)),
            ));
        }
    }
    if cfg.indexes(SearchColumn::Services) {
        for s in &site.services {
            docs.push(doc(
                &s.front.title,
                s.path.clone(),
                s.front.date,
                SearchColumn::Services,
                "办事指南",
                Cow::Borrowed(&s.body_text),
            ));
        }
    }
    if cfg.indexes(SearchColumn::Interaction) {
        for m in &site.messages {
            docs.push(doc(
                &m.front.title,
                format!("{}#{}", paths.interaction(), m.anchor),
                m.date(),
                SearchColumn::Interaction,
                "留言",
                Cow::Owned(format!("{}\n{}", m.front.letter, m.reply_text)),
            ));
        }
    }
}

/// Every page's title: `[title, path, date, column, label, meta]` per page.
#[derive(Serialize)]
struct Head<'a> {
    docs: Vec<Shown<'a>>,
}

/// The shape of an index, written into the search page (as `search_index`) so that the
/// browser can fetch the list of pages and the postings at the same time.
#[derive(Debug, Clone, Serialize)]
pub struct Shape {
    /// Changes with the index; asked for with every file so that a browser never mixes
    /// files of two builds.
    pub version: String,
    pub shards: usize,
    /// Pages per text file.
    pub chunk: usize,
}

pub struct Index {
    pub files: Vec<OutFile>,
    pub shape: Shape,
    /// How many tokens each page has (its postings), in page order: what a group build
    /// keeps to update its index in place.
    pub keys: Vec<u32>,
    /// The hash of each posting shard, then of each text file (made or not).
    pub bodies: Vec<u32>,
}

/// Marks a key as found in a title or metadata (`^token` in the postings).
const TITLE: u64 = 1 << 62;
const WORD: u64 = 1 << 63;

/// A token as a number, so that a page's tokens cost 8 bytes each while the index is
/// built: a bigram is its two code points; a word is a hash, with its text kept aside.
fn key(t: Token, words: &mut Vec<(u64, String)>) -> u64 {
    match t {
        Token::Bigram(a, b) => ((a as u64) << 21) | b as u64,
        Token::Word(w) => {
            let h = crate::ground::fnv::fnv64(w.as_bytes());
            let k = WORD | (h >> 2);
            words.push((k, w));
            k
        }
    }
}

/// The token of a key, and whether it is a title key.
fn key_text(k: u64, words: &KeyMap<String>) -> (String, bool) {
    let title = k & TITLE != 0;
    let k = k & !TITLE;
    let text = if k & WORD != 0 {
        words.get(&k).cloned().unwrap_or_default()
    } else {
        let c = |v: u64| char::from_u32(v as u32).unwrap_or('\u{FFFD}');
        [c(k >> 21), c(k & 0x1F_FFFF)].iter().collect()
    };
    (text, title)
}

/// A page's token keys, and the text of its word keys.
pub(crate) type PageKeys = (Vec<u64>, Vec<(u64, String)>);

/// The keys of one page, sorted, each once.
pub(crate) fn page_keys(d: &SearchDoc) -> PageKeys {
    let mut keys = Vec::new();
    let mut w = Vec::new();
    // The searchable text is the title, meta and text a line each, and the title and
    // meta are searched as titles too. A line break ends every token, so each part is
    // read apart, normalised as it is read: not copied, twice, for every page of every
    // build.
    for part in [d.title.as_str(), &d.meta] {
        tokens_of(part.chars().map(fold), |tok| {
            let k = key(tok, &mut w);
            keys.extend([k, k | TITLE]);
        });
    }
    tokens_of(d.text.get().chars().map(fold), |tok| {
        keys.push(key(tok, &mut w))
    });
    keys.sort_unstable();
    keys.dedup();
    (keys, w)
}

/// A key as the postings name it (`^签证` for a title key), and its shard.
pub(crate) fn key_name(k: u64, words: &KeyMap<String>, shards: usize) -> (String, usize) {
    let (text, title) = key_text(k, words);
    let shard = fnv1a(&text) as usize % shards;
    (if title { format!("^{text}") } else { text }, shard)
}

/// The number of posting shards for `total` postings.
pub(crate) fn shard_count(total: usize) -> usize {
    shards_for(total, SHARD_POSTINGS)
}

fn shards_for(total: usize, shard_postings: usize) -> usize {
    total
        .div_ceil(shard_postings)
        .next_power_of_two()
        .clamp(1, 4096)
}

/// The index's version from the hashes of its shard and text files (in order) and of
/// its pages' addresses and titles.
pub(crate) fn version(
    bodies: impl Iterator<Item = u32>,
    heads: impl Iterator<Item = u32>,
) -> String {
    let mut h = crate::ground::fnv::fnv32(b"");
    for b in bodies.chain(heads) {
        h = crate::ground::fnv::mix32(h, b);
    }
    format!("{h:08x}")
}

/// What a page adds to the version: its address and title.
pub(crate) fn head_hash(path: &str, title: &str) -> u32 {
    fnv1a(path) ^ fnv1a(title)
}

/// A page as the result list shows it: `[title, path, date, column, label, meta, text]`.
type Record<'a> = (
    &'a str,
    &'a str,
    &'a str,
    SearchColumn,
    &'a str,
    &'a str,
    Cow<'a, str>,
);

/// What the filters need: the column of each page (`n`, `d`, `r`) and `[year, first,
/// end]` page ranges.
#[derive(Serialize)]
struct Meta {
    columns: String,
    years: Vec<(String, usize, usize)>,
}

/// The index files of `docs`, under `search/`.
pub fn index_files(docs: &[SearchDoc]) -> Index {
    index_files_sized(docs, SHARD_POSTINGS, None)
}

/// The index with a given number of shards (the preview server keeps the number the
/// search page it serves already names).
pub fn index_files_with(docs: &[SearchDoc], shards: Option<usize>) -> Index {
    index_files_sized(docs, SHARD_POSTINGS, shards)
}

fn index_files_sized(docs: &[SearchDoc], shard_postings: usize, fixed: Option<usize>) -> Index {
    let chunk_bodies: Vec<String> = docs.par_chunks(CHUNK_DOCS).map(chunk_json).collect();
    let hashes = chunk_bodies.iter().map(|b| fnv1a(b)).collect();
    let mut index = index_of(docs, shard_postings, fixed, hashes);
    index.files.extend(
        chunk_bodies
            .into_iter()
            .enumerate()
            .map(|(i, b)| text_file(i, b)),
    );
    index
}

/// The index of `docs` but for its text files, which [`text_files`] makes a few at a
/// time: at 10,000 pages they are 23 MB, more than a build holds of anything else at
/// once beside the site.
pub fn index_without_texts(docs: &[SearchDoc]) -> Index {
    let hashes = docs
        .par_chunks(CHUNK_DOCS)
        .map(|c| fnv1a(&chunk_json(c)))
        .collect();
    index_of(docs, SHARD_POSTINGS, None, hashes)
}

/// How many text files an index of `pages` pages has.
pub fn text_count(pages: usize) -> usize {
    pages.div_ceil(CHUNK_DOCS)
}

/// The text files `chunks` of the index of `docs`.
pub fn text_files(docs: &[SearchDoc], chunks: std::ops::Range<usize>) -> Vec<OutFile> {
    let end = (chunks.end * CHUNK_DOCS).min(docs.len());
    docs[(chunks.start * CHUNK_DOCS).min(end)..end]
        .par_chunks(CHUNK_DOCS)
        .enumerate()
        .map(|(i, c)| text_file(chunks.start + i, chunk_json(c)))
        .collect()
}

/// The text files of the index of `docs`, made [`TEXT_BATCH`] at a time, so that only
/// a batch of them is held at once.
pub fn text_batches<'a>(docs: &'a [SearchDoc]) -> impl Iterator<Item = Vec<OutFile>> + 'a {
    let n = text_count(docs.len());
    (0..n)
        .step_by(TEXT_BATCH)
        .map(move |start| text_files(docs, start..(start + TEXT_BATCH).min(n)))
}

/// The paths of the first `count` text files.
pub fn text_files_named(count: usize) -> impl Iterator<Item = String> {
    (0..count).map(text_path)
}

pub(crate) fn text_path(i: usize) -> String {
    format!("search/t/{i}.json")
}

fn text_file(i: usize, body: String) -> OutFile {
    OutFile {
        path: text_path(i),
        body: Body::Bytes(body.into_bytes()),
    }
}

/// The index's lists, postings and shape, its text files known by their hashes.
fn index_of(
    docs: &[SearchDoc],
    shard_postings: usize,
    fixed: Option<usize>,
    chunk_hashes: Vec<u32>,
) -> Index {
    let (postings, words, keys) = postings(docs);
    let total: usize = keys.iter().map(|&k| k as usize).sum();
    let shards = fixed.unwrap_or_else(|| shards_for(total, shard_postings));
    let mut by_shard: Vec<Vec<(String, Ids)>> = vec![Vec::new(); shards];
    for (k, ids) in postings {
        let (name, shard) = key_name(k, &words, shards);
        by_shard[shard].push((name, ids));
    }
    drop(words);
    let shard_bodies: Vec<String> = by_shard
        .into_par_iter()
        .map(|mut m| {
            m.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            shard_json(&m)
        })
        .collect();
    let bodies: Vec<u32> = shard_bodies
        .iter()
        .map(|b| fnv1a(b))
        .chain(chunk_hashes)
        .collect();
    let version = version(
        bodies.iter().copied(),
        docs.iter().map(|d| head_hash(&d.path, &d.title)),
    );
    let mut files = vec![
        OutFile {
            path: "search/docs.json".into(),
            body: Body::Bytes(serde_json::to_vec(&head(docs)).unwrap_or_default()),
        },
        OutFile {
            path: "search/meta.json".into(),
            body: Body::Bytes(serde_json::to_vec(&meta(docs)).unwrap_or_default()),
        },
    ];
    for (i, b) in shard_bodies.into_iter().enumerate() {
        files.push(OutFile {
            path: format!("search/p/{i}.json"),
            body: Body::Bytes(b.into_bytes()),
        });
    }
    Index {
        files,
        shape: Shape {
            version,
            shards,
            chunk: CHUNK_DOCS,
        },
        keys,
        bodies,
    }
}

/// A text file of the index: `[title, path, date, column, label, meta, text]` per page.
pub(crate) fn chunk_json(docs: &[SearchDoc]) -> String {
    let records: Vec<Record> = docs
        .iter()
        .map(|d| {
            let (title, path, date, column, label, meta) = shown(d);
            (title, path, date, column, label, meta, d.text.get())
        })
        .collect();
    serde_json::to_string(&records).unwrap_or_default()
}

/// A map by token key. The keys are a few million small integers per build, inserted
/// one by one in page order: a multiply-and-rotate hash rather than SipHash (no one
/// chooses the keys to collide; the output does not depend on the map's order).
pub(crate) type KeyMap<V> = HashMap<u64, V, rustc_hash::FxBuildHasher>;

/// Every token's pages, the text of word tokens, and the number of tokens of each page.
type Postings = (KeyMap<Ids>, KeyMap<String>, Vec<u32>);

/// Every token's pages, the text of word tokens, and the number of tokens of each page.
///
/// Tokenised in parallel a batch at a time, so that only one batch's token lists are
/// held at once; the postings are filled in page order, so each list comes out sorted.
fn postings(docs: &[SearchDoc]) -> Postings {
    let mut postings: KeyMap<Ids> = KeyMap::default();
    let mut words: KeyMap<String> = KeyMap::default();
    let mut counts = Vec::with_capacity(docs.len());
    for (b, batch) in docs.chunks(1024).enumerate() {
        let lists: Vec<PageKeys> = batch.par_iter().map(page_keys).collect();
        for (i, (keys, w)) in lists.into_iter().enumerate() {
            let id = (b * 1024 + i) as u32;
            counts.push(keys.len() as u32);
            for k in keys {
                postings.entry(k).or_default().push(id);
            }
            words.extend(w);
        }
    }
    (postings, words, counts)
}

/// A page as lists show it: `[title, path, date, column, label, meta]`.
type Shown<'a> = (&'a str, &'a str, &'a str, SearchColumn, &'a str, &'a str);

fn shown<'a>(d: &'a SearchDoc) -> Shown<'a> {
    (
        d.title.as_str(),
        d.path.as_str(),
        d.date.as_str(),
        d.column,
        d.label.as_str(),
        d.meta.as_str(),
    )
}

/// `search/docs.json`: every page's title and what lists show of it.
fn head<'a>(docs: &'a [SearchDoc]) -> Head<'a> {
    Head {
        docs: docs.iter().map(shown).collect(),
    }
}

/// `search/meta.json`: each page's column and the page ranges of each year (the filters).
fn meta(docs: &[SearchDoc]) -> Meta {
    meta_of(docs.iter().map(|d| (d.column, d.date.as_str())))
}

/// `search/meta.json` of pages given by their column and date, in page order.
pub(crate) fn meta_json<'a>(pages: impl Iterator<Item = (SearchColumn, &'a str)>) -> Vec<u8> {
    serde_json::to_vec(&meta_of(pages)).unwrap_or_default()
}

fn meta_of<'a>(pages: impl Iterator<Item = (SearchColumn, &'a str)>) -> Meta {
    let mut meta = Meta {
        columns: String::new(),
        years: Vec::new(),
    };
    for (i, (column, date)) in pages.enumerate() {
        meta.columns.push(match column {
            SearchColumn::News => 'n',
            SearchColumn::Disclosure => 'd',
            SearchColumn::Reports => 'r',
            SearchColumn::Services => 's',
            SearchColumn::Interaction => 'i',
        });
        let year = date.get(..4).unwrap_or("").to_string();
        match meta.years.last_mut() {
            Some((y, _, end)) if *y == year => *end = i + 1,
            _ => meta.years.push((year, i, i + 1)),
        }
    }
    meta
}

/// A token's page numbers, rising, held as the gaps the index writes, seven bits to a
/// byte: the postings of 10,000 pages are four and a half million numbers, most of them
/// small gaps, a quarter of the memory of a `u32` each.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ids {
    gaps: Vec<u8>,
    last: u32,
}

impl Ids {
    /// Adds `id`, not below the last one added.
    pub(crate) fn push(&mut self, id: u32) {
        let mut gap = id - self.last;
        self.last = id;
        while gap >= 0x80 {
            self.gaps.push((gap as u8 & 0x7f) | 0x80);
            gap >>= 7;
        }
        self.gaps.push(gap as u8);
    }

    /// Each page number's gap from the one before (the first's from 0).
    fn gaps(&self) -> impl Iterator<Item = u32> + '_ {
        let mut bytes = self.gaps.iter();
        std::iter::from_fn(move || {
            let mut gap = 0u32;
            let mut shift = 0;
            loop {
                let b = *bytes.next()?;
                gap |= u32::from(b & 0x7f) << shift;
                if b < 0x80 {
                    return Some(gap);
                }
                shift += 7;
            }
        })
    }
}

impl FromIterator<u32> for Ids {
    fn from_iter<I: IntoIterator<Item = u32>>(ids: I) -> Ids {
        let mut out = Ids::default();
        for id in ids {
            out.push(id);
        }
        out
    }
}

/// `{"签证":[0,3,1]}`: page numbers of each token, each after the first as the gap from the
/// one before (small numbers compress well).
pub(crate) fn shard_json(m: &[(String, Ids)]) -> String {
    use std::fmt::Write;
    let mut out = String::from("{");
    for (i, (tok, ids)) in m.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(tok).unwrap_or_default());
        out.push_str(":[");
        for (j, gap) in ids.gaps().enumerate() {
            if j > 0 {
                out.push(',');
            }
            let _ = write!(out, "{gap}");
        }
        out.push(']');
    }
    out.push('}');
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn all(s: &str) -> Vec<String> {
        let mut v = Vec::new();
        tokens(&normalize(s), |t| v.push(t.text()));
        v
    }

    #[test]
    fn full_width_letters_and_digits_fold_to_half_width_one_for_one() {
        assert_eq!(
            normalize("ＡＰＥＣ　商务旅行卡２０２３"),
            "apec 商务旅行卡2023"
        );
        let s = "办理ＡＰＥＣ卡";
        assert_eq!(normalize(s).chars().count(), s.chars().count());
    }

    #[test]
    fn han_text_gives_bigrams_and_latin_gives_words() {
        assert_eq!(all("领事认证"), ["领事", "事认", "认证"]);
        assert_eq!(all("APEC商务卡 2023年"), ["apec", "商务", "务卡", "2023"]);
        assert_eq!(
            all("签，证"),
            Vec::<String>::new(),
            "punctuation breaks a pair"
        );
    }

    #[test]
    fn shards_follow_a_hash_search_js_can_compute() {
        // Reference values of 32-bit FNV-1a.
        assert_eq!(fnv1a(""), 0x811c9dc5);
        assert_eq!(fnv1a("a"), 0xe40c292c);
        assert_eq!(fnv1a("签证"), 0xaf00_2893, "over the UTF-8 bytes");
    }

    /// Each file of an index made in memory, by path.
    pub(crate) fn bytes(files: &[OutFile]) -> std::collections::BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .map(|f| match &f.body {
                Body::Bytes(b) => (f.path.clone(), b.clone()),
                Body::Copy(_) | Body::Checked(..) => unreachable!("the index is made in memory"),
            })
            .collect()
    }

    pub(crate) fn doc(title: &str, text: &str) -> SearchDoc<'static> {
        SearchDoc {
            title: title.into(),
            path: format!("news/2023/{title}/"),
            date: "2023-01-01".into(),
            when: 0,
            column: SearchColumn::News,
            label: "外事动态".into(),
            meta: String::new(),
            text: Text::from(text.to_string()),
            input: 0,
        }
    }

    fn postings(index: &Index, token: &str) -> Vec<u32> {
        let n = index.shape.shards as u32;
        let f = index
            .files
            .iter()
            .find(|f| {
                let bare = token.trim_start_matches('^');
                f.path == format!("search/p/{}.json", fnv1a(bare) % n)
            })
            .unwrap();
        let Body::Bytes(b) = &f.body else {
            unreachable!()
        };
        let m: serde_json::Value = serde_json::from_slice(b).unwrap();
        let mut id = 0;
        m[token]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|g| {
                        id += g.as_u64().unwrap() as u32;
                        id
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn page_numbers_are_held_as_gaps_of_seven_bits_a_byte() {
        let ids: Ids = [0, 1, 127, 255, 16_639, 2_113_791, u32::MAX]
            .into_iter()
            .collect();
        let gaps: Vec<u32> = ids.gaps().collect();
        assert_eq!(
            gaps,
            [0, 1, 126, 128, 16_384, 2_097_152, u32::MAX - 2_113_791]
        );
        assert_eq!(ids.gaps.len(), 1 + 1 + 1 + 2 + 3 + 4 + 5);
        assert_eq!(
            shard_json(&[("签证".into(), [3, 5, 200].into_iter().collect())]),
            r#"{"签证":[3,2,195]}"#
        );
    }

    #[test]
    fn postings_name_every_page_with_the_token_in_gap_form() {
        let docs = vec![
            doc("签证办理", "因公签证"),
            doc("外事动态", "友城交流"),
            doc("认证", "领事认证与签证"),
        ];
        let files = index_files(&docs);
        assert_eq!(postings(&files, "签证"), [0, 2]);
        assert_eq!(postings(&files, "认证"), [2]);
        assert_eq!(postings(&files, "^签证"), [0], "in the title, for ranking");
        assert_eq!(postings(&files, "^认证"), [2]);
        assert_eq!(postings(&files, "没有"), Vec::<u32>::new());
        let chunks: Vec<_> = files
            .files
            .iter()
            .filter(|f| f.path.starts_with("search/t/"))
            .collect();
        assert_eq!(chunks.len(), 1);
    }

    #[test]
    fn large_indexes_are_split_into_shards_and_text_chunks() {
        let docs: Vec<SearchDoc<'static>> = (0..400)
            .map(|i| {
                let body = "政府信息公开工作年度报告领事认证签证护照".repeat(1 + i % 7);
                doc(
                    &format!("第{i}号通知"),
                    &format!("{body}编号{}", i * 7919 % 10007),
                )
            })
            .collect();
        let files = index_files_sized(&docs, 500, None);
        let shards = files
            .files
            .iter()
            .filter(|f| f.path.starts_with("search/p/"))
            .count();
        let chunks = files
            .files
            .iter()
            .filter(|f| f.path.starts_with("search/t/"))
            .count();
        assert!(shards > 1 && shards.is_power_of_two(), "{shards}");
        assert_eq!(chunks, 400 / CHUNK_DOCS);
        assert_eq!(postings(&files, "认证").len(), 400);
        assert_eq!(postings(&files, "7919"), [1]);
        // The same input gives the same bytes.
        let again = index_files_sized(&docs, 500, None);
        assert_eq!(files.shape.version, again.shape.version);
        for (a, b) in files.files.iter().zip(&again.files) {
            let (Body::Bytes(x), Body::Bytes(y)) = (&a.body, &b.body) else {
                unreachable!()
            };
            assert_eq!((a.path.as_str(), x), (b.path.as_str(), y));
        }
    }

    #[test]
    fn an_index_whose_texts_come_a_few_at_a_time_is_the_same_index() {
        let docs: Vec<SearchDoc<'static>> = (0..77)
            .map(|i| {
                doc(
                    &format!("第{i}号通知"),
                    &"领事认证签证护照".repeat(1 + i % 5),
                )
            })
            .collect();
        let whole = index_files(&docs);
        let mut parts = index_without_texts(&docs);
        assert_eq!(parts.shape.version, whole.shape.version);
        let count = text_count(docs.len());
        assert_eq!(count, 10);
        for start in (0..count).step_by(3) {
            parts
                .files
                .extend(text_files(&docs, start..(start + 3).min(count)));
        }
        assert_eq!(parts.files.len(), whole.files.len());
        assert_eq!(bytes(&parts.files), bytes(&whole.files));
        let named: Vec<String> = text_files_named(count).collect();
        assert!(
            named
                .iter()
                .all(|n| whole.files.iter().any(|f| &f.path == n))
        );
    }
}
