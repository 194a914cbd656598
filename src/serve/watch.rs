//! Watching the site's sources: which files changed, and what a change needs.
//!
//! Classifying a batch of changes is a pure step (`classify`), kept apart from reacting
//! to it, so it can be tested without a file system watcher.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// What a batch of changed files asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    /// Only news or disclosure items (Markdown files) were saved, created, removed or
    /// renamed: reload just those.
    Items(Vec<PathBuf>),
    /// Only files under `themes/` changed: load the theme again and render the pages
    /// whose templates changed.
    Theme,
    /// Anything else (config, static files, reports, attachments, folders of content):
    /// build everything again.
    Full,
}

/// Files whose changes never matter: editor swap and backup files, hidden files.
pub fn is_noise(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "4913"
}

/// Whether `path` is one of the site's sources (site.toml, content/, static/, themes/).
pub fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().to_string());
    match first.as_deref() {
        Some("site.toml") => rel.components().count() == 1,
        Some("content" | "static" | "themes") => {
            !rel.components().any(|c| is_noise(Path::new(c.as_os_str())))
        }
        _ => false,
    }
}

/// Decides what a batch of changes (paths that exist or not) needs.
pub fn classify(root: &Path, paths: &[PathBuf]) -> Change {
    let items = paths
        .iter()
        .all(|p| crate::model::reload::is_item_path(root, p) && !p.is_dir());
    let theme = paths
        .iter()
        .all(|p| p.strip_prefix(root.join("themes")).is_ok());
    if theme && !paths.is_empty() {
        return Change::Theme;
    }
    if items && !paths.is_empty() {
        let mut v = paths.to_vec();
        v.sort();
        v.dedup();
        Change::Items(v)
    } else {
        Change::Full
    }
}

pub type Watcher = Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>;

/// Watches the sources of the site at `root`; every debounced batch of relevant changed
/// paths is sent to `tx`. A short window (50 ms) joins the several events of one save
/// without adding noticeably to the time until the browser reloads.
pub fn watch(root: &Path, tx: Sender<Vec<PathBuf>>) -> Result<SourceWatcher, String> {
    let r = root.to_path_buf();
    let folders = ["content", "static", "themes"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    watch_with(root, folders, move |p| is_source(&r, p), tx)
}

/// Watches `root` one level deep and `folders` (when they exist, now or later) in full;
/// the changed paths for which `relevant` holds are sent to `tx`.
pub fn watch_with(
    root: &Path,
    folders: Vec<PathBuf>,
    relevant: impl Fn(&Path) -> bool + Send + 'static,
    tx: Sender<Vec<PathBuf>>,
) -> Result<SourceWatcher, String> {
    let mut debouncer: Watcher = new_debouncer(
        Duration::from_millis(50),
        None,
        move |res: DebounceEventResult| {
            let Ok(events) = res else { return };
            let mut paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                .flat_map(|e| e.event.paths.iter().cloned())
                .filter(|p| relevant(p))
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        },
    )
    .map_err(|e| format!("无法监视文件变化：{e}"))?;
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("无法监视 {}：{e}", root.display()))?;
    let mut watcher = SourceWatcher {
        debouncer,
        folders,
        watched: Vec::new(),
    };
    watcher.cover_new_folders(&[])?;
    Ok(watcher)
}

/// The watcher, and which source folders it covers.
pub struct SourceWatcher {
    debouncer: Watcher,
    /// The folders to watch in full, once they exist.
    folders: Vec<PathBuf>,
    /// Each watched source folder with the identity it had when the watch was set.
    watched: Vec<(PathBuf, FolderId)>,
}

/// What tells one folder from another at the same path: a folder deleted and created
/// again (`rm -rf content; cp -r backup/content .`) is a new one, which the watch on the
/// old one never sees. File systems reuse a freed inode number at once, so its birth
/// time is part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FolderId {
    #[cfg(unix)]
    inode: (u64, u64),
    created: Option<std::time::SystemTime>,
}

fn folder_id(path: &Path) -> Option<FolderId> {
    let m = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    Some(FolderId {
        #[cfg(unix)]
        inode: {
            use std::os::unix::fs::MetadataExt;
            (m.dev(), m.ino())
        },
        created: m.created().ok(),
    })
}

impl SourceWatcher {
    /// Brings the watches in line with the source folders on disk, after each batch of
    /// `changed` paths: a folder created since (a `themes/` added while serving) is
    /// watched, and one deleted, replaced or moved away is watched again at its path.
    /// The root itself is watched one level deep, so the batch names such a folder.
    pub fn cover_new_folders(&mut self, changed: &[PathBuf]) -> Result<(), String> {
        for d in self.folders.clone() {
            let now = folder_id(&d);
            let was = self.watched.iter().position(|(p, _)| *p == d);
            if let Some(i) = was {
                if Some(self.watched[i].1) == now && !changed.contains(&d) {
                    continue;
                }
                // The watch may already be gone with the folder; either way it is stale.
                let _ = self.debouncer.unwatch(&d);
                self.watched.remove(i);
            }
            if let Some(id) = now {
                self.debouncer
                    .watch(&d, RecursiveMode::Recursive)
                    .map_err(|e| format!("无法监视 {}：{e}", d.display()))?;
                self.watched.push((d.clone(), id));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_reloaded_alone_everything_else_is_a_full_build() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/news")).unwrap();
        let item = root.join("content/news/签证.md");
        std::fs::write(&item, "x").unwrap();
        assert_eq!(
            classify(root, std::slice::from_ref(&item)),
            Change::Items(vec![item.clone()])
        );
        let gone = root.join("content/news/已删除.md");
        assert_eq!(
            classify(root, &[item.clone(), gone.clone()]),
            Change::Items(vec![gone, item.clone()]),
            "a removed item is reloaded too"
        );
        std::fs::create_dir_all(root.join("content/news/2023.md")).unwrap();
        assert_eq!(
            classify(root, &[root.join("content/news/2023.md")]),
            Change::Full,
            "a folder is not an item"
        );
        assert_eq!(
            classify(root, &[root.join("content/news/签证.pdf")]),
            Change::Full,
            "attachments are placed by a full build"
        );
        assert_eq!(classify(root, &[root.join("site.toml")]), Change::Full);
        let template = root.join("themes/default/templates/base.html");
        assert_eq!(
            classify(root, std::slice::from_ref(&template)),
            Change::Theme
        );
        assert_eq!(classify(root, &[template, item.clone()]), Change::Full);
        assert_eq!(
            classify(root, &[root.join("content/reports/2023.yaml")]),
            Change::Full
        );
    }

    #[test]
    fn only_sources_count() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/site.toml")));
        assert!(is_source(root, Path::new("/site/content/news/签证.md")));
        assert!(!is_source(
            root,
            Path::new("/site/content/news/.签证.md.swp")
        ));
        assert!(!is_source(root, Path::new("/site/content/news/签证.md~")));
        assert!(!is_source(root, Path::new("/site/public/index.html")));
        assert!(!is_source(root, Path::new("/site/target/debug/x")));
    }
}
