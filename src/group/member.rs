//! One member of a group, built in memory as a site of its own: its config merged over
//! the group's, its theme over the group's theme, published under `/<slug>/`. What it
//! leaves for the group pages is its [`MemberSummary`].

use std::path::Path;

use super::config::{Group, Member, member_config};
use super::summary::{Made, MemberSummary, SearchRecord, records_file, summarize};
use crate::build::OnProgress;
use crate::gate;
use crate::gate::compliance::memo::TextMemo;
use crate::ground::diagnostics::{Diagnostic, Diagnostics, rel_path};
use crate::model::kept::Keep;
use crate::model::site::{LoadOptions, Site};
use crate::output::OutFile;
use crate::output::fingerprint;
use crate::output::record::Missing;
use crate::render::memo::PageMemo;
use crate::render::search::patch::IndexState;
use crate::render::theme::Theme;
use crate::render::{Memo, Streamed, keep_all, render_site_into};

/// How members are built.
#[derive(Debug, Clone, Default)]
pub struct MemberOptions {
    pub load: LoadOptions,
    pub strict: bool,
    pub progress: Option<OnProgress>,
    /// What each member's gate is asked (the day, the word list).
    pub gate: gate::Options,
}

/// A member rendered in memory.
pub struct Built {
    /// Its pages and files under its folder, then its search records and summary.
    pub files: Vec<OutFile>,
    pub summary: MemberSummary,
    pub records: Vec<SearchRecord>,
    /// What its gate found in each text it publishes, for the next build to take from
    /// (kept once the build is committed).
    pub texts: TextMemo,
    /// Each page's key, when it was built with memos (kept once the build is committed).
    pub pages: Option<PageMemo>,
    /// What its search index was made of, when it was built with memos (likewise).
    pub index: Option<IndexState>,
}

/// What the last build of a member kept for the next, as a site's build keeps it beside
/// its output: each item as loaded (read again only when its file or those beside it
/// changed) and what the gate found in each text (read again only when it changed).
pub struct Memos<'a> {
    /// Where the load is kept.
    pub load: &'a Path,
    /// The member's sources' stamps, by their paths from its folder.
    pub stamps: &'a fingerprint::Stamps,
    /// group.toml's stamp (its settings): the member's config is merged over it.
    pub inherited: Option<crate::ground::digest::Stamp>,
    /// The gate's findings of the last build, if it kept them.
    pub texts: Option<TextMemo>,
    /// Each page's key as the last build made it, if it kept them.
    pub pages: Option<PageMemo>,
    /// What the last build's search index was made of, if it kept it: the index is then
    /// updated in place, as a site's is.
    pub index: Option<IndexState>,
}

/// How building a member went.
pub struct Outcome {
    /// Nothing when it could not be rendered; rendered with the gate's findings otherwise
    /// (whose errors, in [`Outcome::diagnostics`], stop its publication).
    pub built: Option<Built>,
    /// Its problems, files named relative to the group root (`sites/wb/content/…`).
    pub diagnostics: Diagnostics,
    /// Problems of what it inherits, in group.toml.
    pub group: Diagnostics,
    /// The agency's name, once its config could be read.
    pub name: Option<String>,
}

/// What a member's last build left in the group's output folder `out`: its summary
/// names the keys of its pages and PDFs and the hash of every file it wrote.
#[derive(Clone, Copy)]
pub struct LastBuild<'a> {
    pub summary: &'a MemberSummary,
    pub out: &'a Path,
    /// Whether its folder is as that build left it (by a stat of every file and folder
    /// the summary lists): its pages whose keys are the same are then left there.
    pub as_left: bool,
}

impl LastBuild<'_> {
    /// The file at `path` (in the member's folder) as the last build wrote it: none when
    /// it is no more, or its bytes are not those the summary names.
    fn read(&self, prefix: &str, path: &str) -> Option<Vec<u8>> {
        let file = format!("{prefix}{path}");
        let hash = self.summary.hashes.get(&file)?;
        let bytes = std::fs::read(self.out.join(&file)).ok()?;
        (crate::ground::fs::sha256_hex(&bytes) == *hash).then_some(bytes)
    }
}

/// Builds member `m` of `group` in memory. Its PDFs are typeset again only when what
/// they are made from changed since `last`: a news item edited costs its pages, not
/// the fonts and layout of every yearly report; with `memos`, its unchanged items are
/// not loaded and its unchanged texts not read again either.
pub fn build_member(
    group: &Group,
    fingerprint: &str,
    m: &Member,
    opts: &MemberOptions,
    last: Option<LastBuild>,
    memos: Option<Memos>,
) -> Outcome {
    let mc = member_config(group, m, &opts.load);
    let mut diags = mc.member;
    let failed = |diags: Diagnostics, name: Option<String>| Outcome {
        built: None,
        diagnostics: relocate(diags, group, m),
        group: mc.group.clone(),
        name,
    };
    let Some(config) = mc.config else {
        return failed(diags, None);
    };
    let name = Some(config.agency.name.clone());
    let keep = memos.as_ref().map(|k| Keep {
        memo: k.load,
        read: None,
        stamps: k.stamps,
        content: None,
        inherited: k.inherited,
    });
    let (site, d) = Site::load_keeping(&m.dir, config, &opts.load, keep);
    let mut broken = d.has_errors() || mc.group.has_errors();
    diags.extend(d);
    let last_texts = memos.as_ref().and_then(|k| k.texts.as_ref());
    let site = gate::check_with_memo(site, &opts.gate, last_texts);
    diags.extend(site.findings.clone());
    let theme = match Theme::load_from(&[&group.root, &m.dir], &site.site().config.theme) {
        Ok(t) => t,
        Err(d) => {
            diags.extend(d);
            return failed(diags, name);
        }
    };
    let counter = |done: usize, total: usize| {
        if let Some(OnProgress(f)) = &opts.progress {
            f(done, total);
        }
    };
    let prefix = crate::config::paths::group::member(&m.slug);
    let read = |path: &str| last.and_then(|l| l.read(&prefix, path));
    let read = &read as crate::render::search::patch::Read;
    // A build (with memos) keeps each page's key; when the member's folder is as its last
    // build left it, the pages whose keys are the same stay there and are not rendered. A
    // PDF whose key is the same is read back (its bytes checked against the summary).
    let in_folder: Vec<String>;
    let memo = match (last, memos.as_ref().and_then(|k| k.pages.as_ref())) {
        (Some(l), Some(pages)) if l.as_left => {
            let files = l.summary.files.iter();
            in_folder = files
                .filter_map(|f| f.strip_prefix(&prefix).map(str::to_string))
                .collect();
            Memo::Reuse {
                last: pages,
                files: &in_folder,
                index: memos.as_ref().and_then(|k| k.index.as_ref()),
                read,
            }
        }
        (Some(l), _) => Memo::Pdfs {
            last: &l.summary.pdfs,
            read,
        },
        (None, _) if memos.is_some() => Memo::Record,
        (None, _) => Memo::Off,
    };
    let mut files = Vec::new();
    let Ok(Streamed {
        paths,
        generated,
        diagnostics,
        memo: keys,
        pdfs,
        index,
        ..
    }) = render_site_into(&site, &theme, &counter, memo, &mut keep_all(&mut files));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    drop(theme);
    broken |= diagnostics.has_errors();
    diags.extend(diagnostics);
    if opts.strict {
        diags.make_strict();
    }
    // What the gate found stops publication (the group sees the errors), not the preview.
    if broken {
        return failed(diags, name);
    }
    let diags = relocate(diags, group, m);
    let mut files: Vec<OutFile> = files
        .into_iter()
        .map(|f| OutFile {
            path: format!("{prefix}{}", f.path),
            body: f.body,
        })
        .collect();
    // Every file it has, rendered now or left as the last build wrote it.
    let paths: Vec<String> = paths.iter().map(|p| format!("{prefix}{p}")).collect();
    let warnings = diags.sorted().into_iter().cloned().collect();
    let made = Made {
        pdf_fonts: generated.pdf_fonts,
        pdfs,
        missing: generated
            .missing
            .into_iter()
            .map(|x| Missing {
                path: format!("{prefix}{}", x.path),
                why: x.why,
            })
            .collect(),
    };
    let (mut summary, records) = summarize(group, fingerprint, (m, &site, made), &paths, warnings);
    files.push(records_file(&m.slug, &records));
    summary.hashes = hashes(&files);
    // A file left as the last build wrote it has the hash that build found.
    if let Some(l) = last.filter(|l| l.as_left) {
        for p in &summary.files {
            if !summary.hashes.contains_key(p)
                && let Some(h) = l.summary.hashes.get(p)
            {
                summary.hashes.insert(p.clone(), h.clone());
            }
        }
    }
    files.push(summary.file());
    Outcome {
        built: Some(Built {
            files,
            summary,
            records,
            texts: site.texts,
            pages: keys,
            index,
        }),
        diagnostics: diags,
        group: mc.group,
        name,
    }
}

/// The SHA-256 of each file, by its path.
fn hashes(files: &[OutFile]) -> std::collections::BTreeMap<String, String> {
    use rayon::prelude::*;
    files
        .par_iter()
        .filter_map(|f| Some((f.path.clone(), f.sha256()?)))
        .collect()
}

/// Member-relative diagnostics made relative to the group root (`content/x.md` →
/// `sites/wb/content/x.md`).
pub fn relocate(diags: Diagnostics, group: &Group, m: &Member) -> Diagnostics {
    diags
        .into_iter()
        .map(|d| {
            let file = if d.file.starts_with('(') {
                d.file.clone()
            } else if Path::new(&d.file).is_absolute() {
                rel_path(&group.root, Path::new(&d.file))
            } else {
                format!("{}/{}", m.rel, d.file)
            };
            Diagnostic { file, ..d }
        })
        .collect()
}
