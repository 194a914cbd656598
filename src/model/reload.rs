//! Applies saved edits of news and disclosure items to a loaded site in place and says
//! which pages they touch, so that the preview server renders those and not the whole
//! site. Anything it cannot reason about finely asks for a full build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::paths;
use crate::ground::diagnostics::{Diagnostics, rel_path};
use crate::model::catalogue::relations::Relations;
use crate::model::content::Attachment;
use crate::model::content::StaticFile;
use crate::model::site::{ContentFile, LoadOptions, Loading, Site, load_file};

/// What reloading some edited items did to the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Reload {
    /// Only the items' own pages show what changed: these output files.
    Pages(BTreeSet<String>),
    /// Items were added or removed, or changed what lists show (title, date, column,
    /// summary, tags, URL; a disclosure item's catalogue keys): every page that lists
    /// items must be rendered again, with these item pages (the edited items, the items
    /// shown beside them and the disclosure items linked with them).
    Lists(BTreeSet<String>),
    /// Anything else (a report, an attachment, a new year, a new warning): the whole
    /// site must be rendered again.
    Everything,
}

/// Where an item is in the site.
#[derive(Clone, Copy)]
enum Slot {
    News(usize),
    Disclosure(usize),
}

/// The files an item brings to the output: its attachments and the pictures beside it.
fn copied_files<'a>(a: &'a [Attachment], r: &'a [StaticFile]) -> Vec<(&'a str, u64)> {
    a.iter()
        .map(|x| (x.file_name.as_str(), x.size))
        .chain(r.iter().map(|x| {
            let size = std::fs::metadata(&x.source).map_or(0, |m| m.len());
            (x.path.as_str(), size)
        }))
        .collect()
}

fn slot(site: &Site, file: &str) -> Option<Slot> {
    site.news
        .iter()
        .position(|x| x.file == file)
        .map(Slot::News)
        .or_else(|| {
            site.disclosure
                .iter()
                .position(|x| x.file == file)
                .map(Slot::Disclosure)
        })
}

/// The output files of the news items shown beside the one from `file` ("上一篇",
/// "下一篇"): their pages name it.
fn neighbours(site: &Site, file: &str) -> Vec<String> {
    let Some(i) = site.news.iter().position(|x| x.file == file) else {
        return Vec::new();
    };
    [i.checked_sub(1), Some(i + 1)]
        .into_iter()
        .flatten()
        .filter_map(|j| site.news.get(j))
        .map(|n| paths::page_file(&n.path))
        .collect()
}

/// The output files of the disclosure items linked with those from `files` (the items
/// they replace, amend or explain, and those that do so to them): their pages name them.
fn related(site: &Site, files: &[String]) -> Vec<String> {
    if !files.iter().any(|f| f.starts_with("content/disclosure/")) {
        return Vec::new();
    }
    let relations = Relations::resolve(&site.disclosure);
    site.disclosure
        .iter()
        .enumerate()
        .filter(|(_, d)| files.contains(&d.file))
        .flat_map(|(i, _)| relations.around(i))
        .map(|j| paths::page_file(&site.disclosure[j].path))
        .collect()
}

/// Whether some item's body links to the page at `path` (which is going away).
fn linked_from_content(site: &Site, path: &str) -> bool {
    let target = path.trim_end_matches('/');
    let base = site.config.base_path();
    site.news
        .iter()
        .flat_map(|n| &n.links)
        .chain(site.disclosure.iter().flat_map(|d| &d.links))
        .any(|l| {
            let l = crate::config::paths::decode(l);
            let l = l.strip_prefix(base.as_str()).unwrap_or(&l);
            l.trim_start_matches('/').starts_with(target)
        })
}

/// Reloads the news and disclosure items at `paths` (saved, created or deleted
/// Markdown files) into the site. Errors in them are returned, and the site may
/// then be half updated: load it again.
pub(crate) fn reload_items(
    site: &mut Site,
    paths: &[PathBuf],
    opts: &LoadOptions,
    hold: &dyn Fn(&ContentFile) -> bool,
) -> Result<Reload, Diagnostics> {
    // Dated paths number the items of a day together: one edit can renumber others.
    if site.config.paths.style.numbered() {
        return Ok(Reload::Everything);
    }
    // The texts as loaded before no longer vouch for these files: the gate reads them.
    for path in paths {
        site.digests.remove(&rel_path(&site.root, path));
    }
    let Some(loaded) = load_items(site, paths, opts, hold)? else {
        return Ok(Reload::Everything);
    };
    let years = site.years();
    let mut own = BTreeSet::new();
    let mut beside = BTreeSet::new();
    let mut lists = false;
    let touched: Vec<String> = loaded.iter().map(|(file, _)| file.clone()).collect();
    // The items beside each edited one, and those linked with it, before and after the
    // edits, name it.
    for file in &touched {
        beside.extend(neighbours(site, file));
    }
    beside.extend(related(site, &touched));
    for (file, item) in loaded {
        let old = slot(site, &file);
        let Some(change) = compare(site, &item, old) else {
            continue;
        };
        // Attachments are copied files of the output: a full build places them.
        if !change.same_files {
            return Ok(Reload::Everything);
        }
        if let Some(old_path) = &change.old_path
            && change.new_path.as_ref() != Some(old_path)
            && linked_from_content(site, old_path)
        {
            // A full build reports the link that now leads nowhere.
            return Ok(Reload::Everything);
        }
        match old {
            Some(Slot::News(i)) => {
                site.news.remove(i);
            }
            Some(Slot::Disclosure(i)) => {
                site.disclosure.remove(i);
            }
            None => {}
        }
        if let Some(p) = &change.new_path {
            own.insert(paths::page_file(p));
        }
        match item {
            ContentFile::News(n) => site.news.push(*n),
            ContentFile::Disclosure(d) => site.disclosure.push(*d),
            _ => {}
        }
        lists |= !change.same_in_lists;
    }
    site.sort();
    if !lists {
        return Ok(Reload::Pages(own));
    }
    // Every page shows the years of the site (navigation): a new or vanished year
    // changes them all.
    if site.years() != years {
        return Ok(Reload::Everything);
    }
    for file in &touched {
        beside.extend(neighbours(site, file));
    }
    beside.extend(related(site, &touched));
    let live: BTreeSet<String> = site
        .news
        .iter()
        .map(|n| paths::page_file(&n.path))
        .chain(site.disclosure.iter().map(|d| paths::page_file(&d.path)))
        .collect();
    let mut pages = own;
    pages.extend(beside);
    pages.retain(|p| live.contains(p));
    Ok(Reload::Lists(pages))
}

/// Loads the edited files (a deleted one, or one that `hold` keeps back, as nothing);
/// `None` when one of them is not an item or they bring new warnings (a full build
/// reports those).
fn load_items(
    site: &Site,
    paths: &[PathBuf],
    opts: &LoadOptions,
    hold: &dyn Fn(&ContentFile) -> bool,
) -> Result<Option<Vec<(String, ContentFile)>>, Diagnostics> {
    let content_dir = site.root.join("content");
    let base_path = site.config.base_path();
    let canonical_root = crate::ground::fs::canonical_root(&site.root);
    let mut diags = Diagnostics::new();
    let mut loaded = Vec::new();
    for path in paths {
        let file = rel_path(&site.root, path);
        if !is_item_file(&file) {
            return Ok(None);
        }
        let item = if path.is_file() {
            let loading = Loading {
                root: &site.root,
                canonical_root: &canonical_root,
                config: &site.config,
                catalogue: &site.catalogue,
                base_path: &base_path,
                opts,
            };
            let item = load_file(&loading, &content_dir, path, &mut diags).file;
            if hold(&item) {
                ContentFile::Nothing
            } else {
                item
            }
        } else {
            ContentFile::Nothing
        };
        loaded.push((file, item));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(diags.is_empty().then_some(loaded))
}

/// What an edit did to one item.
struct Change {
    old_path: Option<String>,
    new_path: Option<String>,
    /// Lists show the item as before (title, date, column, summary, tags, URL).
    same_in_lists: bool,
    /// It has the attachments it had.
    same_files: bool,
}

/// Compares an item as loaded again with what the site had in `old`; `None` when it
/// neither was nor is an item of the site (a new draft).
fn compare(site: &Site, item: &ContentFile, old: Option<Slot>) -> Option<Change> {
    let (old_path, old_files) = match old {
        Some(Slot::News(i)) => (
            Some(site.news[i].path.clone()),
            site.news[i].attachments.len() + site.news[i].resources.len(),
        ),
        Some(Slot::Disclosure(i)) => (
            Some(site.disclosure[i].path.clone()),
            site.disclosure[i].attachments.len() + site.disclosure[i].resources.len(),
        ),
        None => (None, 0),
    };
    let (new_path, same_in_lists, same_files) = match (item, old) {
        (ContentFile::News(n), Some(Slot::News(i))) => {
            let o = &site.news[i];
            let shown = |x: &crate::model::content::NewsItem| {
                (
                    x.front.title.clone(),
                    x.front.date,
                    x.front.category.clone(),
                    x.summary_text.clone(),
                    x.path.clone(),
                    x.front.tags.clone(),
                )
            };
            (
                Some(n.path.clone()),
                shown(o) == shown(n),
                copied_files(&o.attachments, &o.resources)
                    == copied_files(&n.attachments, &n.resources),
            )
        }
        (ContentFile::Disclosure(d), Some(Slot::Disclosure(i))) => {
            let o = &site.disclosure[i];
            // Lists, the catalogue and the pages of linked items show these.
            let shown = |x: &crate::model::content::DisclosureItem| {
                let f = &x.front;
                (
                    (
                        f.title.clone(),
                        f.date,
                        f.kind,
                        x.summary_text.clone(),
                        x.path.clone(),
                    ),
                    (
                        f.category.clone(),
                        f.status,
                        f.index_no.clone(),
                        f.doc_no.clone(),
                    ),
                    (f.publisher.clone(), f.written, f.normative),
                    (
                        f.replaced_by.clone(),
                        f.amends.clone(),
                        f.interprets.clone(),
                    ),
                )
            };
            (
                Some(d.path.clone()),
                shown(o) == shown(d),
                copied_files(&o.attachments, &o.resources)
                    == copied_files(&d.attachments, &d.resources),
            )
        }
        (ContentFile::News(n), None) => (
            Some(n.path.clone()),
            false,
            n.attachments.is_empty() && n.resources.is_empty(),
        ),
        (ContentFile::Disclosure(d), None) => (
            Some(d.path.clone()),
            false,
            d.attachments.is_empty() && d.resources.is_empty(),
        ),
        // Deleted, or now a draft.
        (_, Some(_)) => (None, false, old_files == 0),
        (_, None) => return None,
    };
    Some(Change {
        old_path,
        new_path,
        same_in_lists,
        same_files,
    })
}

/// Whether `file` (relative to the site root) is a news or disclosure item's source.
pub fn is_item_file(file: &str) -> bool {
    (file.starts_with("content/news/") || file.starts_with("content/disclosure/"))
        && (file.ends_with(".md") || file.ends_with(".markdown"))
}

/// Whether `path` under `root` is a news or disclosure item's source.
pub fn is_item_path(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root)
        .is_ok_and(|_| is_item_file(&rel_path(root, path)))
}
