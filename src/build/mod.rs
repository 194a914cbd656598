//! The pipeline end to end: load → the gate → render → write, with a summary.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::gate::compliance::memo::TextMemo;
use crate::gate::{self, Gated};
use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::ground::memory;
use crate::model::kept::{Keep, LoadMemo};
use crate::model::reload::Reload;
use crate::model::site::{LoadOptions, Site};
use crate::output::fingerprint;
use crate::output::listing::{Listing, Written};
use crate::output::record::Record;
use crate::output::{Body, OutFile};
use crate::output::{BuildManifest, Copies, Staging, WriteStats, refuse_output, write_error};
use crate::render::memo::PageMemo;
use crate::render::search::patch::IndexState;
use crate::render::theme::Theme;
use crate::render::{
    Generated, Memo, keep_all, list_pages, page_files, pages_using, render_pages, render_site_into,
};

/// A callback for the progress of a long render.
#[derive(Clone)]
pub struct OnProgress(pub std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>);

impl std::fmt::Debug for OnProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnProgress")
    }
}

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// The output folder; `public/` under the root when not given.
    pub out: Option<PathBuf>,
    pub load: LoadOptions,
    /// Warnings count as errors.
    pub strict: bool,
    /// Told (pages rendered, pages to render) during the render, for a progress counter.
    pub progress: Option<OnProgress>,
    /// Publish a site with no report, news or disclosure item even where the last build
    /// had some (otherwise refused: an unreadable or misplaced `content/` looks empty).
    pub allow_empty: bool,
    /// What the gate is asked: the day (定时发布, freshness), the word list, the link checks.
    pub gate: gate::Options,
}

/// What a build (or check) did.
#[derive(Debug, Default)]
pub struct Summary {
    pub diagnostics: Diagnostics,
    pub pages: usize,
    pub files: usize,
    pub reports: usize,
    pub news: usize,
    pub disclosure: usize,
    pub written: Option<WriteStats>,
    pub elapsed: Duration,
    /// Nothing changed since the last build into the same folder: nothing was done.
    pub up_to_date: bool,
    /// Every link was written relative to its page (the site opens from disk).
    pub relative: bool,
    /// Files left out as drafts (`draft: true`).
    pub drafts: Vec<String>,
    /// Which fonts the yearly reports' PDFs were set in.
    pub pdf_fonts: Option<String>,
    /// What the build could not make (PDFs for want of a Chinese font).
    pub missing: Vec<crate::output::record::Missing>,
    /// The site's title, for summaries of what was found.
    pub site_title: Option<String>,
    /// The external links of the pages, when the checks were asked to collect them.
    pub external_links: Vec<crate::gate::compliance::links::ExternalLink>,
    /// What the gate held back and who signed what was published.
    pub decision: gate::Decision,
    /// Errors that keep the site from being shown at all (its files, templates or links),
    /// as opposed to the gate's findings, which stop publication but not the preview.
    pub broken: bool,
    /// Pages left as the last build wrote them, what they are made from being unchanged.
    pub kept: usize,
}

impl Summary {
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

impl BuildOptions {
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// A site loaded, through the gate and rendered in memory.
pub struct Prepared {
    pub site: Gated,
    pub theme: Theme,
    /// The files as first rendered (the preview server takes them); `update_items` and
    /// `update_theme` report later changes as they go.
    pub files: Vec<OutFile>,
    /// What pages name of the generated files (search index, report downloads).
    pub generated: Generated,
}

/// Loads, validates and renders the site without writing anything, keeping every file
/// (the preview server serves them from memory).
pub fn prepare(opts: &BuildOptions) -> (Option<Prepared>, Summary) {
    let mut files = Vec::new();
    let Ok((rendered, summary)) = render(opts, Memo::Off, None, None, &mut keep_all(&mut files));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let prepared = rendered.map(|r| Prepared {
        site: r.site,
        theme: r.theme,
        files,
        generated: r.generated,
    });
    (prepared, summary)
}

/// A site loaded, through the gate and rendered, its files gone to a sink.
struct Rendered {
    site: Gated,
    theme: Theme,
    generated: Generated,
    /// Every file's path, sorted.
    paths: Vec<String>,
    /// Each page's key, when asked for.
    memo: Option<PageMemo>,
    /// What the search index was made of, asked for with the keys.
    index: Option<IndexState>,
}

/// Loads, validates and renders the site, handing its files to `sink` a batch at a time
/// as they are made, so that a build or a check never holds every page at once. Stops at
/// the sink's first error. With a [`Memo`], pages whose inputs are unchanged are left out.
fn render<E: Send>(
    opts: &BuildOptions,
    memo: Memo,
    texts: Option<&TextMemo>,
    keep: Option<Keep>,
    sink: &mut (dyn FnMut(Vec<OutFile>) -> Result<(), E> + Send),
) -> Result<(Option<Rendered>, Summary), E> {
    let start = Instant::now();
    let mut summary = Summary::default();
    let (site, mut diags) = Site::load_kept(&opts.root, &opts.load, keep);
    let Some(site) = site else {
        summary.diagnostics = diags;
        summary.broken = true;
        return Ok((None, summary));
    };
    let mut broken = diags.has_errors();
    // The theme is read while the gate reads the texts (on one core, mostly).
    let theme_name = site.config.theme.clone();
    let (site, theme) = rayon::join(
        || gate::check_with_memo(site, &opts.gate, texts),
        || Theme::load(&opts.root, &theme_name),
    );
    summary.decision = site.decision.clone();
    diags.extend(site.findings.clone());
    let site_ref = site.site();
    summary.site_title = Some(site_ref.config.title.clone());
    summary.reports = site_ref.reports.len();
    summary.relative = site_ref.config.relative();
    summary.drafts = site_ref.drafts.clone();
    summary.news = site_ref.news.len();
    summary.disclosure = site_ref.disclosure.len();
    let theme = match theme {
        Ok(t) => t,
        Err(d) => {
            diags.extend(d);
            summary.diagnostics = diags;
            summary.broken = true;
            return Ok((None, summary));
        }
    };
    let counter = |done: usize, total: usize| {
        if let Some(OnProgress(f)) = &opts.progress {
            f(done, total);
        }
    };
    // The checks of external links read them off the pages as they go by.
    let config = &site.site().config;
    let check_links = (config.compliance.enabled
        && (opts.gate.collect_links
            || opts.gate.online
            || !config.compliance.links.allow_domains.is_empty()))
    .then_some(&opts.gate);
    let base_url = config.base_url();
    let mut found = Vec::new();
    // External links are read off every page: none may be left out.
    let memo = match memo {
        Memo::Reuse { .. } if check_links.is_some() => Memo::Record,
        m => m,
    };
    let streamed = render_site_into(&site, &theme, &counter, memo, &mut |batch| {
        if check_links.is_some() {
            found.extend(crate::render::external_links(&batch, &base_url));
        }
        sink(batch)
    })?;
    broken |= streamed.diagnostics.has_errors();
    diags.extend(streamed.diagnostics);
    if let Some(c) = check_links {
        found.sort_by(|a, b| a.0.cmp(&b.0));
        let (list, d) = crate::gate::compliance::links::check(site.site(), found, c);
        diags.extend(d);
        summary.external_links = list;
    }
    if opts.strict {
        diags.make_strict();
    }
    summary.pages = streamed
        .paths
        .iter()
        .filter(|p| p.ends_with(".html"))
        .count();
    summary.pdf_fonts = streamed.generated.pdf_fonts.clone();
    summary.missing = streamed.generated.missing.clone();
    summary.files = streamed.paths.len();
    summary.kept = streamed.kept;
    summary.diagnostics = diags;
    summary.broken = broken;
    summary.elapsed = start.elapsed();
    Ok((
        Some(Rendered {
            site,
            theme,
            generated: streamed.generated,
            paths: streamed.paths,
            memo: streamed.memo,
            index: streamed.index,
        }),
        summary,
    ))
}

/// What edits of some items change in a prepared site's output.
#[derive(Debug)]
pub enum Update {
    /// These files are new or changed; those of `removed` are no more (a removed item's
    /// page, the last page of a shorter list). Everything else is as it was.
    Files {
        rendered: Vec<OutFile>,
        removed: Vec<String>,
    },
    /// The edits need a full build.
    Everything,
    /// The edits have errors; the prepared site is then half updated: prepare it again.
    Failed(Diagnostics),
}

/// Applies saved, created or deleted news and disclosure items (`paths`) to a prepared
/// site and renders only the pages they touch (the preview server's fast path).
/// `existing` are the output files the site has now, for checking links.
pub fn update_items(
    prepared: &mut Prepared,
    paths: &[PathBuf],
    load: &LoadOptions,
    existing: &BTreeSet<String>,
) -> Update {
    let Prepared {
        site,
        theme,
        generated,
        ..
    } = prepared;
    let before = page_files(site, theme);
    let pages = match site.reload_items(paths, load) {
        Ok(Reload::Pages(pages)) => pages,
        Ok(Reload::Lists(mut pages)) => {
            let problems = gate::validate::validate(site.site());
            if problems.has_errors() {
                // Two items at one address, say: shown like any broken edit.
                return Update::Failed(problems);
            }
            pages.extend(list_pages(site, theme));
            pages
        }
        Ok(Reload::Everything) => return Update::Everything,
        Err(d) => return Update::Failed(d),
    };
    let after: BTreeSet<String> = page_files(site, theme).into_iter().collect();
    let removed: Vec<String> = before.into_iter().filter(|f| !after.contains(f)).collect();
    render_update(
        site,
        theme,
        generated,
        &pages,
        existing,
        removed,
        Vec::new(),
    )
}

/// Loads the theme again after edits under `themes/` and renders only the pages whose
/// templates changed (or use one that did), with the static assets that changed. A new
/// PDF layout needs a full build.
pub fn update_theme(prepared: &mut Prepared, existing: &BTreeSet<String>) -> Update {
    let Prepared {
        site,
        theme,
        generated,
        ..
    } = prepared;
    let new = match Theme::load(&site.site().root, &site.site().config.theme) {
        Ok(t) => t,
        Err(d) => return Update::Failed(d),
    };
    let change = theme.changes(&new);
    if change.pdf {
        return Update::Everything;
    }
    *theme = new;
    let pages = pages_using(site, theme, &change.templates);
    // A file of the site's static/ takes the place of a theme asset of the same name.
    let from_site: BTreeSet<&str> = site
        .site()
        .static_files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    let removed: Vec<String> = change
        .removed_assets
        .into_iter()
        .filter(|a| !from_site.contains(a.as_str()))
        .collect();
    let assets: Vec<OutFile> = change
        .assets
        .into_iter()
        .filter(|a| !from_site.contains(a.as_str()))
        .filter_map(|path| {
            let f = theme.assets.get(&path)?;
            Some(OutFile {
                path,
                body: Body::Bytes(f.bytes.clone()),
            })
        })
        .collect();
    render_update(site, theme, generated, &pages, existing, removed, assets)
}

/// Renders `pages` of an updated site whose output was `existing`, less `removed`, plus
/// `copied` (files that go out as they are); their links are checked against that.
fn render_update(
    site: &Gated,
    theme: &Theme,
    generated: &Generated,
    pages: &BTreeSet<String>,
    existing: &BTreeSet<String>,
    removed: Vec<String>,
    copied: Vec<OutFile>,
) -> Update {
    let mut have = existing.clone();
    for f in &removed {
        have.remove(f);
    }
    have.extend(copied.iter().map(|f| f.path.clone()));
    let mut rendered = render_pages(site, theme, pages, &have, generated);
    if rendered.diagnostics.has_errors() {
        return Update::Failed(rendered.diagnostics);
    }
    rendered.files.extend(copied);
    Update::Files {
        rendered: rendered.files,
        removed,
    }
}

/// `gongkai check`: everything a build does except writing; the pages are dropped as they
/// are checked.
pub fn check(opts: &BuildOptions) -> Summary {
    let Ok((_, summary)) = render(opts, Memo::Off, None, None, &mut |_| {
        Ok::<(), std::convert::Infallible>(())
    });
    summary
}

/// `gongkai build`: writes the output only when there is no error.
pub fn build(opts: &BuildOptions) -> Summary {
    build_keeping(opts, true)
}

/// What the last build kept beside its output for the next, read before it is known
/// whether the output is as that build left it (the pages' keys, the search index's
/// records and the copies' stamps are taken only then) or what the load memo was kept
/// under (it is taken only under the load's own key).
struct LastMemos {
    texts: Option<TextMemo>,
    pages: Option<PageMemo>,
    index: Option<IndexState>,
    copies: Option<Copies>,
    load: Option<LoadMemo>,
}

impl LastMemos {
    /// Read side by side: the pages', the index's and the copies' only when the last
    /// build left a state (`state`: else there is nothing to compare the output with), the
    /// load memo only when `load`.
    fn read(out: &Path, load_memo: &Path, state: bool, load: bool) -> LastMemos {
        let mut memos = LastMemos {
            texts: None,
            pages: None,
            index: None,
            copies: None,
            load: None,
        };
        let m = &mut memos;
        rayon::scope(|s| {
            s.spawn(|_| m.texts = fingerprint::load_kept::<TextMemo>(out, "gate"));
            if load {
                s.spawn(|_| m.load = LoadMemo::read_early(load_memo));
            }
            if state {
                s.spawn(|_| m.pages = fingerprint::load_kept::<PageMemo>(out, "pages"));
                s.spawn(|_| m.index = IndexState::load(&fingerprint::beside(out, "search")));
                s.spawn(|_| m.copies = fingerprint::load_kept::<Copies>(out, "copies"));
            }
        });
        memos
    }
}

/// [`build`], taking what it can from the last build's load memo when `keep_load` says.
fn build_keeping(opts: &BuildOptions, keep_load: bool) -> Summary {
    let start = Instant::now();
    let out = opts.out_dir();
    if let Some(reason) = refuse_output(&opts.root, &out, opts.out.is_none()) {
        let d = Diagnostic::error(
            "output",
            out.display().to_string(),
            format!("不能写入这个输出文件夹：{reason}。已停止，没有改动任何文件"),
        )
        .help("用 --out 指定一个新的或空的文件夹，或者不写 --out，使用网站文件夹下的 public。");
        return Summary {
            diagnostics: std::iter::once(d).collect(),
            ..Summary::default()
        };
    }
    // The gate depends on the day and on a word list that may live outside the site.
    let day = opts.gate.day();
    let words = opts
        .gate
        .words
        .as_ref()
        .map(|p| std::fs::read(p).unwrap_or_default());
    let options = format!("{:?}|{}|{day:?}|{words:?}", opts.load, opts.strict);
    // The sources walked, and beside them what the last build wrote looked at (a stat
    // of each file and folder it made, no folder read): only when it left a state to
    // compare with, since the output is walked otherwise. The last build's manifest is
    // read, and its record's stamp taken, on the output's side. When the sources changed,
    // its memos are read as soon as that is known, while the output is still being looked
    // at: an edit spends most of its time in these, and they share the cores better side
    // by side than one after the other.
    let last = fingerprint::load(&out);
    let load_memo = fingerprint::load_memo(&out);
    let has_state = last.is_some();
    let read_memos = || LastMemos::read(&out, &load_memo, has_state, keep_load);
    let ((sources, content, inputs, memos), (last_manifest, written)) = rayon::join(
        || {
            let (sources, plain) = fingerprint::site_sources_plain(&opts.root);
            let content = plain.then(|| fingerprint::content_files(&opts.root, &sources));
            let inputs = fingerprint::inputs_of(&sources, &options);
            let same = last
                .as_ref()
                .is_some_and(|s| s.inputs == inputs && s.missing == 0);
            (sources, content, inputs, (!same).then(read_memos))
        },
        || {
            let manifest = BuildManifest::load(&out);
            let written = last.as_ref().and(manifest.as_ref()).map(|m| {
                let recorded = last.as_ref().and_then(|s| s.record).is_some_and(|was| {
                    crate::ground::digest::file_stamp(&Record::path(&out)) == Some(was)
                });
                (Written::of(&out, &m.files), recorded)
            });
            (manifest, written)
        },
    );
    // Whether the output is as the last successful build left it.
    let as_left = last
        .as_ref()
        .zip(written.as_ref())
        .is_some_and(|(state, (w, recorded))| out.is_dir() && state.output == w.print && *recorded);
    if let Some(state) = last
        && as_left
        && state.inputs == inputs
        && state.missing == 0
    {
        return Summary {
            diagnostics: state.diagnostics.into_iter().collect(),
            pages: state.pages,
            files: state.files,
            reports: state.reports,
            news: state.news,
            disclosure: state.disclosure,
            written: Some(WriteStats::default()),
            elapsed: start.elapsed(),
            up_to_date: true,
            relative: opts.load.relative,
            drafts: state.drafts,
            pdf_fonts: state.pdf_fonts,
            missing: Vec::new(),
            site_title: None,
            external_links: Vec::new(),
            decision: state.decision,
            broken: false,
            kept: 0,
        };
    }
    // What the output holds: when it is as the last build left it, what that build
    // wrote; otherwise walked (a file added or changed by hand, a link to refuse).
    let (listing, mut seen) = match written {
        Some((w, _)) if as_left => (w.listing, Some(w.seen)),
        _ => (Listing::of(&out), None),
    };
    // The last build's memos: what the gate found in each text (it reads again only the
    // texts that changed) and, when the output still holds what that build wrote, each
    // page's key, what its search index was made of and the stamps of what it copied.
    let started = crate::ground::digest::now();
    // Read here when only the output changed.
    let LastMemos {
        texts: last_texts,
        pages: last_pages,
        index: last_index,
        copies: last_copies,
        load: last_load,
    } = memos.unwrap_or_else(read_memos);
    let (last_pages, last_index, last_copies) = match as_left {
        true => (last_pages, last_index, last_copies),
        false => {
            memory::free_later((last_pages, last_index, last_copies));
            (None, None, None)
        }
    };
    let last_pages = last_pages.zip(last_manifest.as_ref());
    fingerprint::forget(&out);
    Record::forget(&out);
    let write_failed = |e: anyhow::Error, mut summary: Summary| {
        summary.diagnostics.push(write_error(&opts.root, &out, &e));
        summary.elapsed = start.elapsed();
        summary
    };
    // Changed files go to a staging folder beside the output as they are rendered; the
    // output changes only at the commit, when nothing failed.
    let mut staging = match Staging::begin_listed(&out, listing) {
        Ok(s) => s,
        Err(e) => return write_failed(e, Summary::default()),
    };
    staging.trust_copies(last_copies.unwrap_or_default(), started);
    let read = |path: &str| std::fs::read(out.join(path)).ok();
    let memo = match &last_pages {
        Some((last, manifest)) => Memo::Reuse {
            last,
            files: &manifest.files,
            index: last_index.as_ref(),
            read: &read,
        },
        None => Memo::Record,
    };
    // What the last build loaded, file by file: only the files changed since are read.
    let keep = Keep {
        memo: &load_memo,
        read: Some(last_load),
        stamps: &sources,
        content,
        inherited: None,
    };
    let keep = keep_load.then_some(keep);
    let rendered = render(opts, memo, last_texts.as_ref(), keep, &mut |batch| {
        staging.add(&batch).map(drop)
    });
    let (rendered, mut summary) = match rendered {
        Ok(r) => r,
        Err(e) => return write_failed(e, Summary::default()),
    };
    // A body taken from the load memo did not read back as it was written (the memo
    // changed in place): nothing made of it is published, and the build starts again,
    // reading every file, as a build without a memo does.
    if rendered
        .as_ref()
        .is_some_and(|r| r.site.site().kept_unread())
    {
        drop(staging);
        let _ = std::fs::remove_file(&load_memo);
        return build_keeping(opts, false);
    }
    let items = summary.reports + summary.news + summary.disclosure;
    // Only of a site that was read: when site.toml cannot be, nothing is loaded, and its
    // own error says why.
    if let Some(last) = &last_manifest
        && summary.site_title.is_some()
        && items == 0
        && last.items > 0
        && !opts.allow_empty
    {
        summary.diagnostics.push(
            Diagnostic::error(
                "empty",
                "content",
                format!(
                    "这次构建没有任何年度报告、新闻或公开信息，而输出文件夹里上次构建的网站有 {} 条；发布它会撤下全部页面",
                    last.items
                ),
            )
            .help("检查 content 文件夹是否还在、能否读取（上面列出的其他错误）。如果确实要发布一个空网站，加上 --allow-empty。"),
        );
    }
    if let Some(Rendered {
        paths,
        memo,
        index,
        site,
        theme,
        generated,
    }) = rendered
        && !summary.failed()
    {
        let manifest = BuildManifest::of_paths(items, paths);
        let keep: BTreeSet<&str> = manifest.files.iter().map(String::as_str).collect();
        // What the commit writes and removes: all else is as the build found it.
        if let Some(seen) = &mut seen {
            seen.before_commit(staging.staged(), &keep);
        }
        // The memos of the pages, the search index and the gate are written while the
        // commit runs: the next build takes the first two only beside the state, saved
        // after the commit, and the gate's findings by text whatever the output holds.
        let at = &out;
        let (committed, ()) = rayon::join(
            || staging.commit_copies(&keep, &manifest.file()),
            || {
                rayon::scope(|s| {
                    if let Some(memo) = &memo {
                        s.spawn(move |_| fingerprint::save_kept(at, "pages", memo));
                    }
                    if let Some(index) = &index {
                        s.spawn(move |_| fingerprint::save_kept(at, "search", index));
                    }
                    s.spawn(|_| fingerprint::save_kept(at, "gate", &site.texts));
                })
            },
        );
        match committed {
            Ok((stats, copies)) => {
                summary.written = Some(stats);
                let record = Record {
                    as_of: day,
                    next_due: summary.decision.next_due(),
                    decision: summary.decision.clone(),
                    sources,
                    missing: summary.missing.clone(),
                    not_updated: Vec::new(),
                };
                // The output as the commit left it is looked at while the record is saved.
                let (output, saved) = rayon::join(
                    || Written::print(&out, &manifest.files, seen.as_ref()),
                    || record.save(&out),
                );
                if let Err(e) = saved {
                    return write_failed(e, summary);
                }
                let state = fingerprint::State {
                    record: crate::ground::digest::file_stamp(&Record::path(&out)),
                    inputs,
                    output,
                    pages: summary.pages,
                    files: summary.files,
                    reports: summary.reports,
                    news: summary.news,
                    disclosure: summary.disclosure,
                    diagnostics: summary.diagnostics.iter().cloned().collect(),
                    pdf_fonts: summary.pdf_fonts.clone(),
                    drafts: summary.drafts.clone(),
                    decision: summary.decision.clone(),
                    missing: summary.missing.len(),
                };
                // Each is saved on its own, side by side: a next build that misses
                // one only does its work again.
                rayon::join(
                    || fingerprint::save(at, &state),
                    || fingerprint::save_kept(at, "copies", &copies),
                );
                drop(keep);
                memory::free_later((site, memo, index, manifest, theme, generated, record));
            }
            Err(e) => return write_failed(e, summary),
        }
    }
    summary.elapsed = start.elapsed();
    // What the build held of every item, the memos (the gate's findings by text too) and
    // the output's listing are freed while the summary is shown.
    memory::free_later((
        last_pages.map(|(p, _)| p),
        last_manifest,
        seen,
        last_index,
        last_texts,
    ));
    summary
}
