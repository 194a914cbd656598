//! Turns a loaded site into output files: plans every page ([`plan`]), gives each kind of
//! page its context ([`pages`], [`report`]), renders them in parallel with the theme's
//! templates, makes the report downloads ([`downloads`]), lists the files copied as they
//! are, and checks every internal link of the result ([`links`]).
//!
//! Two entry points share one core: [`render_site_into`] renders everything; [`render_pages`]
//! renders some pages again after an edit (the preview server's fast path), reusing
//! what the full render [`Generated`]. A build into the output of the last one passes a
//! [`Memo`]: pages whose inputs hash as they did are left as that build wrote them
//! ([`memo`]), and the search index is updated in place ([`search::patch`]).

mod catalogue;
mod context;
mod copied;
mod downloads;
pub(crate) mod links;
pub mod memo;
mod meta;
mod pages;
#[cfg(feature = "pdf")]
pub mod pdf;
mod plan;
mod relative;
mod report;
pub mod search;
pub mod theme;
mod typeset;
mod website;

/// The PDF engine, when PDFs are made (nothing without the `pdf` feature).
#[cfg(feature = "pdf")]
type Engine = pdf::Engine;
#[cfg(not(feature = "pdf"))]
type Engine = ();

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::config::paths;
use crate::gate::Gated;
use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::ground::digest::Key;
use crate::model::site::Site;
use crate::output::{Body, OutFile};
use crate::render::memo::PageMemo;
use crate::render::search::Shape;
use crate::render::search::patch::IndexState;
use crate::render::theme::{Theme, template_error};
use context::{Making, PageContext, making};
use plan::Spec;
use report::Download;

pub use context::jiucuo_url;
pub use relative::{OFFLINE_LIMITS, relative_link};

/// What the page contexts are made from.
struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    /// Downloads of each report, in the order of `site.reports`.
    downloads: Vec<Vec<Download>>,
    /// The 申请表 as a PDF, when one was made.
    application_pdf: Option<Download>,
    /// Downloads of each 报表, in the order of `site.website_reports`.
    website_downloads: Vec<Vec<Download>>,
    /// The catalogue's lists and the links between items.
    cat: catalogue::CatalogueView,
    /// Each column's news, by place in `site.news`; and each year's items, as the
    /// archive lists them. Made once: every page of a list would scan the site again.
    columns: Vec<Vec<usize>>,
    years: std::collections::BTreeMap<u32, Vec<plan::ItemAt>>,
    /// Each item's reference key, made once when pages are hashed.
    ref_keys: std::sync::OnceLock<context::RefKeys>,
    /// What a news item's page and reference read besides items: the site's settings and
    /// where it is served.
    settings_key: Key,
    base_path: String,
    base_url: String,
    page_size: usize,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme, generated: &Generated) -> Self {
        Renderer {
            site,
            base_path: site.config.base_path(),
            base_url: site.config.base_url(),
            page_size: site.config.news.page_size.max(1),
            theme,
            downloads: generated.downloads.clone(),
            application_pdf: generated.application_pdf.clone(),
            website_downloads: generated.website_downloads.clone(),
            cat: catalogue::CatalogueView::new(site),
            columns: plan::column_news(site),
            years: plan::year_items(site),
            ref_keys: std::sync::OnceLock::new(),
            settings_key: context::settings_key(site),
        }
    }

    /// The URL of an output path, as links on pages write it.
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// The full, strict URL of an output path (canonical links, sitemap, feed).
    fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, paths::encode(path))
    }
}

/// Progress of a long render, for a terminal counter.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// What a full render made besides pages that pages name: the search index's shape and
/// each report's downloads (with their sizes). Rendering some pages again reuses it.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    search: Option<Shape>,
    downloads: Vec<Vec<Download>>,
    application_pdf: Option<Download>,
    website_downloads: Vec<Vec<Download>>,
    /// Which fonts the PDFs were set in, for the build's summary.
    pub pdf_fonts: Option<String>,
    /// What could not be made (PDFs for want of a Chinese font), paths of the site.
    pub missing: Vec<crate::output::record::Missing>,
}

/// The pages and files a render made.
pub struct RenderedSite {
    pub files: Vec<OutFile>,
    pub generated: Generated,
    /// Template errors, broken links: the files are only complete when there is none.
    pub diagnostics: Diagnostics,
    /// The key of each PDF, made or kept, and the fonts that set them: what the next
    /// render takes as its `last_pdfs`.
    pub pdfs: PageMemo,
}

/// What a render made whose files went to a sink as they were made.
pub struct Streamed {
    /// The path of every file the sink was given, sorted.
    pub paths: Vec<String>,
    pub generated: Generated,
    /// Template errors, broken links: the files are only complete when there is none.
    pub diagnostics: Diagnostics,
    /// Each page's key, when the render was asked to keep them.
    pub memo: Option<PageMemo>,
    /// What the search index was made of, when asked with the keys.
    pub index: Option<IndexState>,
    /// How many HTML pages were left as the last build wrote them.
    pub kept: usize,
    /// The key of each PDF, made or kept, and the fonts that set them.
    pub pdfs: PageMemo,
}

/// Whether a render hashes what each page is made from, and leaves alone the pages whose
/// hash is what it was.
#[derive(Clone, Copy)]
pub enum Memo<'a> {
    /// No hashing (the preview, `check`).
    Off,
    /// Every page rendered, its key kept for the next build.
    Record,
    /// Pages whose key is that of `last` are not rendered: the output holds them as they
    /// would be. `files` are the output's files, which `last` made: when one of them is
    /// no more, the pages left alone could link to it, and every page is rendered (and
    /// its links checked) again.
    Reuse {
        last: &'a PageMemo,
        files: &'a [String],
        /// What the last build's search index was made of, to update it in place.
        index: Option<&'a IndexState>,
        /// Reads a file of the last build's output.
        read: search::patch::Read<'a>,
    },
    /// Every page rendered and its key kept, and a PDF whose key is that of `last` is read
    /// back with `read` instead of typeset (a group's member built again, its folder not
    /// as its last build left it).
    Pdfs {
        last: &'a PageMemo,
        read: search::patch::Read<'a>,
    },
}

impl Memo<'_> {
    /// Whether pages are hashed.
    fn on(&self) -> bool {
        !matches!(self, Memo::Off)
    }
}

/// Pages rendered together before they go to the sink: enough to keep every core busy,
/// few enough that a build holds a few megabytes of pages instead of the whole site (the
/// pages of 10,000 items are 130 MB). Two batches are held at once: one rendered while
/// the one before it is written.
const BATCH: usize = 256;

/// Room made for a page before it is rendered: most of the default theme's are 5–10 KB.
const PAGE_BYTES: usize = 8 * 1024;

/// A sink for [`render_site_into`] that keeps every file in `files`.
pub fn keep_all(
    files: &mut Vec<OutFile>,
) -> impl FnMut(Vec<OutFile>) -> Result<(), std::convert::Infallible> + '_ {
    |batch| {
        files.extend(batch);
        Ok(())
    }
}

/// Renders every page and lists every file to copy, handing them to `sink` a batch at a
/// time, each batch link-checked (and made relative) before it goes. Stops at the sink's
/// first error. The links are only reported when nothing else failed: a page that failed
/// to render would be a broken link on every page that names it. With a [`Memo`], each
/// page's key is kept, and pages the memo shows unchanged are left out of the sink (their
/// paths are still listed).
pub fn render_site_into<E: Send>(
    site: &Gated,
    theme: &Theme,
    progress: Progress,
    memo: Memo,
    sink: &mut (dyn FnMut(Vec<OutFile>) -> Result<(), E> + Send),
) -> Result<Streamed, E> {
    let checked = &site.bytes;
    let site = site.site();
    let last = match memo {
        Memo::Reuse { last, read, .. } | Memo::Pdfs { last, read } => Some((last, read)),
        _ => None,
    };
    // The reports' files (their PDFs typeset on one core) and the search index need only
    // the site: made side by side.
    let (made, indexed) = rayon::join(
        || downloads::generated_files(site, theme, &site.config.base_path(), last),
        || search_index(site, memo),
    );
    crate::ground::memory::release();
    let mut diags = made.diagnostics;
    let r = Renderer::new(
        site,
        theme,
        &Generated {
            search: None,
            downloads: made.downloads,
            application_pdf: made.application_pdf,
            website_downloads: made.website_downloads,
            pdf_fonts: None,
            missing: Vec::new(),
        },
    );
    let Indexed {
        files: search_files,
        texts: search_texts,
        kept: search_kept,
        shape: search,
        state: index_state,
    } = indexed;
    let specs = r.specs();
    let pages = Pages::new(&r, &specs, &search, memo.on(), None);
    let mut files = made.files;
    files.extend(search_files);
    let mut have: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    have.extend(search_kept.iter().cloned());
    let text_count = search::text_count(search_texts.len());
    have.extend(search::text_files_named(text_count));
    have.extend(pages.paths.iter().map(|p| paths::page_file(p)));
    let (copied, d) = copied::copied_files(site, theme, &have, checked);
    diags.extend(d);
    have.extend(copied.iter().map(|f| f.path.clone()));
    files.extend(copied);
    let have: links::Have = have.iter().map(String::as_str).collect();
    let catalogue_json = site.config.paths.catalogue_data("json");
    // A file of the last output that this one has too, or (opened from disk) the script
    // twin of one it has.
    let still = |f: &String| {
        have.contains(f.as_str())
            || relative::twin_of(f, &catalogue_json).is_some_and(|d| have.contains(d.as_str()))
    };
    // A file of the last output is gone: a page left alone could link to it, so the links
    // of the pages left alone are read off them as the last build wrote them. Opened from
    // disk, those pages hold links rewritten for it: every page is rendered instead.
    let gone = matches!(memo, Memo::Reuse { files, .. } if !files.iter().all(still));
    let memo = match memo {
        Memo::Reuse { .. } if gone && site.config.relative() => Memo::Record,
        m => m,
    };
    let recheck = match memo {
        Memo::Reuse { read, .. } if gone => Some(read),
        _ => None,
    };
    let mut kept_diags = Diagnostics::new();
    let mut pdfs = PageMemo::default();
    for (file, key) in made.keys {
        pdfs.insert(file, key);
    }
    pdfs.set_fonts(made.pdf_fonts.clone());
    // The pages' keys join those of the PDFs.
    let mut keys = memo.on().then(|| pdfs.clone());
    // Files of the search index left as they were count among those kept.
    let mut kept_files = search_kept;
    let (mut link_diags, nav_broken) = links::check_nav(site, &r.base_path, &have);
    let mut written = Vec::new();
    let mut hand_on = |mut batch: Vec<OutFile>, plan: &links::Pages| {
        link_diags.extend(links::check_pages(
            site,
            &r.base_path,
            &batch,
            &have,
            plan,
            &nav_broken,
        ));
        if site.config.relative() {
            relative::make_relative(&mut batch, &r.base_path, &catalogue_json);
        }
        written.extend(batch.iter().map(|f| f.path.clone()));
        sink(batch)
    };
    let none = links::Pages {
        specs: &[],
        paths: &[],
    };
    hand_on(files, &none)?;
    for batch in search::text_batches(&search_texts) {
        hand_on(batch, &none)?;
    }
    drop(search_texts);
    crate::ground::memory::release();
    let done = AtomicUsize::new(0);
    // What a batch leaves once rendered: its keys and diagnostics kept, its pages checked
    // and handed on.
    let mut finish = |made: Made, range: std::ops::Range<usize>| {
        diags.extend(made.diagnostics);
        if let Some(keys) = &mut keys {
            for (file, key) in made.keys {
                keys.insert(file, key);
            }
        }
        let plan = links::Pages {
            specs: &pages.specs[range.clone()],
            paths: &pages.paths[range],
        };
        if let Some(read) = recheck {
            kept_diags.extend(check_kept(
                site,
                &r.base_path,
                &made.kept,
                read,
                &have,
                &plan,
                &nav_broken,
            ));
        }
        kept_files.extend(made.kept);
        hand_on(made.files, &plan)
    };
    // Each batch is checked and written while the next one renders: the writes (a
    // folder made at a time) would otherwise leave a core idle.
    let mut pending: Option<(Made, std::ops::Range<usize>)> = None;
    for start in (0..pages.specs.len()).step_by(BATCH) {
        let range = start..(start + BATCH).min(pages.specs.len());
        let (made, handed) = rayon::join(
            || pages.render(range.clone(), &done, progress, memo),
            || pending.take().map_or(Ok(()), |(m, r)| finish(m, r)),
        );
        handed?;
        pending = Some((made, range));
    }
    if let Some((made, range)) = pending {
        finish(made, range)?;
    }
    if !diags.has_errors() {
        diags.extend(link_diags);
        diags.extend(kept_diags);
    }
    let kept = kept_files.iter().filter(|f| f.ends_with(".html")).count();
    written.extend(kept_files);
    written.sort();
    // Every page's spec and address, and the templates: the build no longer needs them.
    let Pages {
        tera,
        specs,
        paths,
        shared,
        r: _,
    } = pages;
    crate::ground::memory::free_later((tera, specs, paths, shared));
    Ok(Streamed {
        paths: written,
        generated: Generated {
            search,
            downloads: r.downloads,
            application_pdf: r.application_pdf,
            website_downloads: r.website_downloads,
            pdf_fonts: made.pdf_fonts,
            missing: made.missing,
        },
        diagnostics: diags,
        memo: keys,
        index: index_state,
        kept,
        pdfs,
    })
}

/// The broken links of the pages `kept` as the last build wrote them (`read` from its
/// output), for when a file they could link to is gone.
fn check_kept(
    site: &Site,
    base_path: &str,
    kept: &[String],
    read: search::patch::Read,
    have: &links::Have,
    plan: &links::Pages,
    nav_broken: &BTreeSet<String>,
) -> Diagnostics {
    let pages: Vec<Result<OutFile, &String>> = kept
        .par_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| {
            read(f)
                .map(|bytes| OutFile {
                    path: f.clone(),
                    body: Body::Bytes(bytes),
                })
                .ok_or(f)
        })
        .collect();
    let mut diags = Diagnostics::new();
    let mut read_back = Vec::with_capacity(pages.len());
    for page in pages {
        match page {
            Ok(f) => read_back.push(f),
            // The output changed while this build ran.
            Err(f) => diags.push(
                Diagnostic::error(
                    "output",
                    f.as_str(),
                    "上次生成的这个页面读不到了，无法检查它的链接",
                )
                .help("再运行一次 gongkai build：下次会重新生成全部页面。"),
            ),
        }
    }
    diags.extend(links::check_pages(
        site, base_path, &read_back, have, plan, nav_broken,
    ));
    diags
}

/// The site's search index as a render makes it.
#[derive(Default)]
struct Indexed<'a> {
    /// Its files made (all of them but the text files, unless updated in place).
    files: Vec<OutFile>,
    /// The pages whose text files are still to be made, a few at a time.
    texts: Vec<search::SearchDoc<'a>>,
    /// Its files left as the last build wrote them.
    kept: Vec<String>,
    shape: Option<Shape>,
    /// What it was made of, for the next build (when the render keeps keys).
    state: Option<IndexState>,
}

/// The search index of `site`: updated in place from the last build's when `memo`
/// brings one and every page kept its place, else made in full.
fn search_index<'a>(site: &'a Site, memo: Memo) -> Indexed<'a> {
    if !site.config.search.enabled {
        return Indexed::default();
    }
    let key = format!(
        "{}|{:?}|{}",
        crate::ground::digest::program(),
        site.config.search,
        site.config.relative()
    );
    let patched = match memo {
        Memo::Reuse {
            index: Some(last),
            read,
            ..
        } => search::patch::update_site(site, last.clone(), &key, read),
        _ => None,
    };
    if let Some(p) = patched {
        let mut kept = p.kept;
        // Opened from disk, each file of the index has a script twin, kept with it.
        if site.config.relative() {
            let catalogue_json = site.config.paths.catalogue_data("json");
            let twins: Vec<String> = kept
                .iter()
                .filter_map(|k| relative::script_twin(k, &catalogue_json))
                .collect();
            kept.extend(twins);
        }
        return Indexed {
            files: p.files,
            texts: Vec::new(),
            kept,
            shape: Some(p.shape),
            state: memo.on().then_some(p.state),
        };
    }
    let docs = search::documents(site);
    let index = search::index_without_texts(&docs);
    let state = memo
        .on()
        .then(|| search::patch::state_of(&docs, &index, key, |_| 0));
    Indexed {
        files: index.files,
        texts: docs,
        kept: Vec::new(),
        shape: Some(index.shape),
        state,
    }
}

/// The links of the HTML pages among `files` that leave the site (`http(s)://` or `//`,
/// not under `base_url`), as (page file, link), each page's in order, once per page.
pub fn external_links(files: &[OutFile], base_url: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let Body::Bytes(bytes) = &f.body else {
            continue;
        };
        let mut seen = BTreeSet::new();
        for link in crate::ground::html::links(&crate::ground::text::utf8(bytes)) {
            let external = link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("//");
            let own = link.starts_with(base_url) || link == base_url.trim_end_matches('/');
            if external && !own && seen.insert(link.clone()) {
                out.push((f.path.clone(), link));
            }
        }
    }
    out
}

/// Renders only the pages whose output files are in `only` (the preview server's fast
/// path after an edit), checking their links against `existing`, the files the site
/// already has, with what the full render `generated`. Static files, attachments, report
/// files and the search index are not included.
pub fn render_pages(
    site: &Gated,
    theme: &Theme,
    only: &BTreeSet<String>,
    existing: &BTreeSet<String>,
    generated: &Generated,
) -> RenderedSite {
    let site = site.site();
    let r = Renderer::new(site, theme, generated);
    let specs = r.specs();
    let pages = Pages::new(&r, &specs, &generated.search, false, Some(only));
    let made = pages.render(
        0..pages.specs.len(),
        &AtomicUsize::new(0),
        &|_, _| {},
        Memo::Off,
    );
    let (files, mut diags) = (made.files, made.diagnostics);
    if !diags.has_errors() {
        let mut have: links::Have = existing.iter().map(String::as_str).collect();
        have.extend(files.iter().map(|f| f.path.as_str()));
        let (nav, nav_broken) = links::check_nav(site, &r.base_path, &have);
        diags.extend(nav);
        diags.extend(links::check_pages(
            site,
            &r.base_path,
            &files,
            &have,
            &links::Pages {
                specs: &pages.specs,
                paths: &pages.paths,
            },
            &nav_broken,
        ));
    }
    RenderedSite {
        files,
        generated: generated.clone(),
        diagnostics: diags,
        // No PDF is made with the pages.
        pdfs: PageMemo::default(),
    }
}

/// The pages of one render, before they are rendered: what each is, its path, and the
/// templates with the context every page shares.
struct Pages<'a> {
    r: &'a Renderer<'a>,
    tera: tera::Tera,
    specs: Vec<Spec>,
    paths: Vec<String>,
    /// By template, the hash of what every page made with it shares (the program, the
    /// templates it is made from, the global context they read, how links are written),
    /// when pages are hashed.
    shared: Option<std::collections::HashMap<String, crate::ground::digest::Hasher>>,
}

/// What rendering some pages made.
struct Made {
    files: Vec<OutFile>,
    diagnostics: Diagnostics,
    /// The files of the pages left as they were.
    kept: Vec<String>,
    /// Each page's key (rendered or kept), when pages are hashed.
    keys: Vec<(String, Key)>,
}

/// A page's key, and its context when it is rendered.
enum Page {
    /// Its key is the last build's: the page is left as it was.
    Unchanged(Key),
    Render(PageContext, Option<Key>),
}

/// What became of one page.
enum Outcome {
    Made(OutFile, Option<Key>),
    Kept(String, Key),
}

impl<'a> Pages<'a> {
    /// The pages of `all`, or those of them whose output file is in `only`. `search` is
    /// the search index's shape, which the search page names. `hashed`: each page's key
    /// is wanted.
    fn new(
        r: &'a Renderer<'a>,
        all: &[Spec],
        search: &Option<Shape>,
        hashed: bool,
        only: Option<&BTreeSet<String>>,
    ) -> Self {
        let all_paths: Vec<String> = all.par_iter().map(|s| r.spec_path(s)).collect();
        // Every page a reader may land on: folder pages and pages that are files
        // (`dated-file` items), not the 404 page nor feeds and data.
        let sitemap_urls: Vec<String> = all
            .par_iter()
            .zip(&all_paths)
            .filter(|(s, p)| {
                !matches!(s, Spec::NotFound)
                    && (p.ends_with('/') || p.is_empty() || p.ends_with(".html"))
            })
            .map(|(_, p)| r.permalink(p))
            .collect();
        let site_value = serde_json::to_value(r.site_ctx()).unwrap_or_default();
        // Global context: shared by every page instead of copied into each.
        let shared = hashed.then(|| {
            let how = format!(
                "{}|{}|{}|{}",
                crate::ground::digest::program(),
                r.base_path,
                r.site.config.relative(),
                r.site.config.paths.catalogue_data("json")
            );
            let site = serde_json::to_vec(&site_value).unwrap_or_default();
            // The search index's shape changes with any text, the sitemap's list with any
            // page: only the pages whose templates read them depend on them.
            let search = serde_json::to_vec(search).unwrap_or_default();
            let urls = serde_json::to_vec(&sitemap_urls).unwrap_or_default();
            let globals = [("search_index", &search[..]), ("sitemap_urls", &urls[..])];
            r.theme
                .templates
                .keys()
                .map(|name| {
                    let h = memo::shared(r.theme, name, &site, &globals, &how);
                    (name.clone(), h)
                })
                .collect()
        });
        // The templates copied while the items' keys are made.
        let mut tera = match hashed {
            true => {
                let (tera, _) = rayon::join(
                    || r.theme.tera.clone(),
                    || r.ref_keys.get_or_init(|| r.ref_keys_of_all()),
                );
                tera
            }
            false => r.theme.tera.clone(),
        };
        tera.global_context().insert("site", &site_value);
        tera.global_context().insert("sitemap_urls", &sitemap_urls);
        tera.global_context().insert("search_index", search);
        let (specs, paths): (Vec<Spec>, Vec<String>) = all
            .iter()
            .cloned()
            .zip(all_paths)
            .filter(|(_, p)| only.is_none_or(|only| only.contains(&paths::page_file(p))))
            .unzip();
        Pages {
            r,
            tera,
            specs,
            paths,
            shared,
        }
    }

    /// Renders the pages of `range` in parallel, counting them in `done` for `progress`;
    /// with [`Memo::Reuse`], a page whose key is the memo's is kept, not rendered.
    fn render(
        &self,
        range: std::ops::Range<usize>,
        done: &AtomicUsize,
        progress: Progress,
        memo: Memo,
    ) -> Made {
        let (r, total) = (self.r, self.specs.len());
        let outcomes: Vec<Result<Outcome, Box<Diagnostic>>> = self.specs[range.clone()]
            .par_iter()
            .zip(self.paths[range].par_iter())
            .map(|(spec, path)| {
                let file = paths::page_file(path);
                let out = match spec.template() {
                    Some(template) => {
                        let shared = self.shared.as_ref().and_then(|m| m.get(template));
                        let page_key = |made: Option<Key>| {
                            let (shared, made) = (shared?, made?);
                            let mut h = shared.clone();
                            h.update(template.as_bytes());
                            h.update(b"\0");
                            h.update(path.as_bytes());
                            h.update(b"\0");
                            h.update(&made.to_le_bytes());
                            Some(h.finish())
                        };
                        // A rebuild hashes the page's context without building it (a
                        // news item's page: what it is made of, without its context),
                        // and builds it only for a page whose key changed.
                        let known = r.known_key(spec);
                        let made = match (memo, shared) {
                            (Memo::Reuse { last, .. }, Some(_)) => {
                                let key = page_key(known.or_else(|| {
                                    making(Making::Key, || r.context(spec, path)).key()
                                }));
                                match key {
                                    Some(key) if last.get(&file) == Some(key) => {
                                        Page::Unchanged(key)
                                    }
                                    _ => Page::Render(
                                        making(Making::Values, || r.context(spec, path)),
                                        key,
                                    ),
                                }
                            }
                            (_, Some(_)) => {
                                let how = match known {
                                    Some(_) => Making::Values,
                                    None => Making::Both,
                                };
                                let ctx = making(how, || r.context(spec, path));
                                let key = page_key(known.or_else(|| ctx.key()));
                                Page::Render(ctx, key)
                            }
                            (_, None) => {
                                Page::Render(making(Making::Values, || r.context(spec, path)), None)
                            }
                        };
                        match made {
                            Page::Unchanged(key) => Ok(Outcome::Kept(file, key)),
                            // Rendered as bytes: tera's `render` checks again that what
                            // it wrote from strings is UTF-8, at a byte a time.
                            Page::Render(ctx, key) => {
                                let mut bytes = Vec::with_capacity(PAGE_BYTES);
                                self.tera
                                    .render_to(template, &ctx.into_tera(), &mut bytes)
                                    .map(|()| {
                                        // Only the room the page fills is kept (shrunk in place).
                                        bytes.shrink_to_fit();
                                        Outcome::Made(
                                            OutFile {
                                                path: file,
                                                body: Body::Bytes(bytes),
                                            },
                                            key,
                                        )
                                    })
                                    .map_err(|e| {
                                        Box::new(template_error(
                                            &r.site.root,
                                            &r.theme.templates,
                                            &e,
                                        ))
                                    })
                            }
                        }
                    }
                    // The only page made without a template.
                    None => Ok(Outcome::Made(
                        OutFile {
                            path: file,
                            body: Body::Bytes(match spec {
                                Spec::CatalogueData(format) => r.catalogue_data(*format),
                                _ => Vec::new(),
                            }),
                        },
                        None,
                    )),
                };
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                out
            })
            .collect();
        let mut made = Made {
            files: Vec::with_capacity(outcomes.len()),
            diagnostics: Diagnostics::new(),
            kept: Vec::new(),
            keys: Vec::new(),
        };
        for outcome in outcomes {
            match outcome {
                Ok(Outcome::Made(f, key)) => {
                    if let Some(key) = key {
                        made.keys.push((f.path.clone(), key));
                    }
                    made.files.push(f);
                }
                Ok(Outcome::Kept(file, key)) => {
                    made.keys.push((file.clone(), key));
                    made.kept.push(file);
                }
                Err(d) => made.diagnostics.push(*d),
            }
        }
        made
    }
}

/// The output files of the pages rendered with any of `templates` (names such as
/// `news_item.html`).
pub fn pages_using(site: &Gated, theme: &Theme, templates: &BTreeSet<String>) -> BTreeSet<String> {
    spec_files(site.site(), theme, |s| {
        s.template().is_some_and(|t| templates.contains(t))
    })
}

/// The output file of every page, in order (e.g. `news/2024/签证/index.html`).
pub fn page_files(site: &Gated, theme: &Theme) -> Vec<String> {
    spec_files(site.site(), theme, |_| true)
}

/// The output files of the pages that list or count news and disclosure items: the home
/// page, news lists and columns, the disclosure column, its categories and catalogue
/// (with its CSV and JSON), archives, the site map, the feed and sitemap.xml. An item added, removed or retitled changes these and its own page,
/// and no other (reports, other items, the search page).
pub fn list_pages(site: &Gated, theme: &Theme) -> BTreeSet<String> {
    spec_files(site.site(), theme, Spec::lists_items)
}

/// The output files of the pages that `keep` picks, in page order.
fn spec_files<C: FromIterator<String>>(
    site: &Site,
    theme: &Theme,
    keep: impl Fn(&Spec) -> bool,
) -> C {
    let r = Renderer::new(site, theme, &Generated::default());
    r.specs()
        .iter()
        .filter(|s| keep(s))
        .map(|s| paths::page_file(&r.spec_path(s)))
        .collect()
}
