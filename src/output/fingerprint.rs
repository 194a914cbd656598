//! Knows when a build would change nothing: a fingerprint of every input (site.toml,
//! content/, static/, themes/, the options and the gongkai binary itself) and of the
//! output folder as the last build left it. When both match, `build` replays the last
//! summary instead of rendering again: a rebuild with nothing changed writes nothing.

use std::collections::BTreeMap;
use std::fs;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::ground::diagnostics::{Diagnostic, rel_path};
use crate::ground::digest::{Stamp, program_stamp, stamp_of};
use crate::ground::fnv::Fnv64 as Fnv;

/// Each source file's [`Stamp`] by its path relative to the root, `/`-separated.
pub type Stamps = BTreeMap<String, Stamp>;

fn stamp(h: &mut Fnv, rel: &str, meta: &fs::Metadata) {
    let (len, mtime) = stamp_of(meta);
    h.write(rel.as_bytes());
    h.write(&len.to_le_bytes());
    h.write(&mtime.to_le_bytes());
}

/// The stamps of every file under `dir` (links not followed), by path relative to `root`.
/// Returns whether the tree is plain: `dir` a real folder, real folders and files only
/// under it, each read, each name UTF-8 without a backslash, so that the stamps' paths
/// are its files' paths.
fn tree_stamps(root: &Path, dir: &Path, out: &mut Stamps) -> bool {
    let real = fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    let mut plain = real;
    let top = rel_path(root, dir);
    add_folder(root, dir, &top, out, &mut plain);
    plain
}

/// Adds the stamps of the files in folder `dir` (`rel` from the root) and in the folders
/// under it, noting in `plain` what is not. On Unix each file is looked up by its name
/// from the handle its folder was read through, so the system resolves one name rather
/// than the whole path (a quarter less time for a walk of 11,000 files).
fn add_folder(root: &Path, dir: &Path, rel: &str, out: &mut Stamps, plain: &mut bool) {
    let Ok(entries) = fs::read_dir(dir) else {
        *plain = false;
        return;
    };
    for e in entries {
        let Ok((e, kind)) = e.and_then(|e| e.file_type().map(|k| (e, k))) else {
            *plain = false;
            continue;
        };
        let name = e.file_name();
        let child = match name.to_str() {
            Some(n) if !n.contains('\\') => format!("{rel}/{n}"),
            _ => {
                *plain = false;
                rel_path(root, &e.path())
            }
        };
        if kind.is_symlink() {
            *plain = false;
        } else if kind.is_dir() {
            add_folder(root, &e.path(), &child, out, plain);
        } else if kind.is_file() {
            #[cfg(unix)]
            let stamp = e.metadata().ok().map(|m| stamp_of(&m));
            // The path given whole: a folder's listing on Windows may hold a size or time
            // not yet brought up to date.
            #[cfg(not(unix))]
            let stamp = fs::symlink_metadata(e.path()).ok().map(|m| stamp_of(&m));
            match stamp {
                Some(stamp) => {
                    out.insert(child, stamp);
                }
                None => *plain = false,
            }
        }
    }
}

fn hash_stamps(h: &mut Fnv, stamps: &Stamps) {
    for (rel, (len, mtime)) in stamps {
        h.write(rel.as_bytes());
        h.write(&len.to_le_bytes());
        h.write(&mtime.to_le_bytes());
    }
}

/// The stamps of the files `files` and of every file under the folders `dirs` of `root`:
/// what a build of it reads. A `.toml` among `files` (site.toml, group.toml) is stamped
/// by its settings without `[deploy]`: where a site is published changes nothing a build
/// makes, so adding an upload target after building does not make the build stale.
pub fn stamps(root: &Path, files: &[&str], dirs: &[&str]) -> Stamps {
    let mut out = Stamps::new();
    for f in files {
        let path = root.join(f);
        let stamp = if f.ends_with(".toml") {
            settings_stamp(&path)
        } else {
            fs::metadata(&path).ok().map(|m| stamp_of(&m))
        };
        if let Some(stamp) = stamp {
            out.insert((*f).to_string(), stamp);
        }
    }
    for d in dirs {
        tree_stamps(root, &root.join(d), &mut out);
    }
    out
}

/// A settings file's stamp: the length and hash of its settings without the upload
/// targets (`[deploy]`, and a group's `[site.deploy]`), or of its bytes when it does not
/// parse (the build reports why).
fn settings_stamp(path: &Path) -> Option<Stamp> {
    let text = fs::read_to_string(path).ok()?;
    let settings = match text.parse::<toml::Table>() {
        Ok(mut t) => {
            for key in ["deploy", "上传"] {
                t.remove(key);
                if let Some(toml::Value::Table(site)) = t.get_mut("site") {
                    site.remove(key);
                }
            }
            t.to_string()
        }
        Err(_) => text,
    };
    let mut h = Fnv::default();
    h.write(settings.as_bytes());
    Some((settings.len() as u64, h.finish()))
}

/// What a site's build reads: site.toml, content/, static/ and themes/.
pub fn site_sources(root: &Path) -> Stamps {
    site_sources_plain(root).0
}

/// [`site_sources`], and whether their stamps list `content/`'s files whole: a plain
/// tree (its walk met no link, nothing unreadable, no name a path cannot give back), which
/// the load need not walk again ([`content_files`]).
pub fn site_sources_plain(root: &Path) -> (Stamps, bool) {
    let mut out = stamps(root, &[crate::config::CONFIG_FILE], &["static", "themes"]);
    let plain = tree_stamps(root, &root.join("content"), &mut out);
    (out, plain)
}

/// The files of a plain `content/` as the load's own walk of it finds them
/// (`ground::fs::walk_files`): every file but those a hidden name hides, in the order of
/// their paths (folder by folder, as paths compare), each with its path from the root.
pub fn content_files(root: &Path, stamps: &Stamps) -> Vec<(String, PathBuf)> {
    let hidden = |rel: &str| {
        rel.split('/')
            .skip(1)
            .any(crate::ground::fs::is_hidden_name)
    };
    let mut files: Vec<&str> = stamps
        .range::<str, _>((Bound::Included("content/"), Bound::Excluded("content0")))
        .map(|(rel, _)| rel.as_str())
        .filter(|rel| !hidden(rel))
        .collect();
    // In the order of their text already, which differs from the paths' only where a
    // name has a character before `/` (`a-b/` and `a/`).
    files.sort_by(|a, b| a.split('/').cmp(b.split('/')));
    let path = |rel: &str| match std::path::MAIN_SEPARATOR {
        '/' => root.join(rel),
        _ => rel.split('/').fold(root.to_path_buf(), |p, c| p.join(c)),
    };
    files
        .into_iter()
        .map(|rel| (rel.to_string(), path(rel)))
        .collect()
}

/// The fingerprint of a build of sources `stamps` with `options` (e.g. the base URL) by
/// the running binary.
pub fn inputs_of(stamps: &Stamps, options: &str) -> u64 {
    let mut h = Fnv::default();
    h.write(options.as_bytes());
    if let Some((len, mtime)) = program_stamp() {
        h.write(b"gongkai-binary");
        h.write(&len.to_le_bytes());
        h.write(&mtime.to_le_bytes());
    }
    hash_stamps(&mut h, stamps);
    h.finish()
}

/// The fingerprint of some files and folder trees under `root` (a portal group's
/// group.toml, themes/ and static/), as [`inputs`] takes a site's.
pub fn sources(root: &Path, files: &[&str], dirs: &[&str]) -> u64 {
    let mut h = Fnv::default();
    hash_stamps(&mut h, &stamps(root, files, dirs));
    h.finish()
}

/// The fingerprint of everything a build of `root` reads, plus `options` (e.g. the
/// base URL) and the running binary.
pub fn inputs(root: &Path, options: &str) -> u64 {
    inputs_of(&site_sources(root), options)
}

/// The fingerprint of the files `paths` of the output folder `out` as they are now
/// (a missing one counts too).
pub fn listed(out: &Path, paths: &[&str]) -> u64 {
    let mut h = Fnv::default();
    for p in paths {
        match fs::metadata(out.join(p)) {
            Ok(meta) => stamp(&mut h, p, &meta),
            Err(_) => h.write(b"\0missing"),
        }
    }
    h.finish()
}

/// The fingerprint of the files `paths` of the output folder `out` (a member's in a
/// portal group, as its build listed them) and of every folder they are in: a file
/// edited, added or removed by hand changes it, with a stat per file and folder and no
/// reading of folders (which costs far more when every page has a folder of its own).
pub fn files(out: &Path, paths: &[String]) -> u64 {
    let mut dirs = std::collections::BTreeSet::new();
    for p in paths {
        let mut d = p.as_str();
        while let Some(i) = d.rfind('/') {
            d = &d[..i];
            if !dirs.insert(d) {
                break;
            }
        }
    }
    let all: Vec<&str> = paths.iter().map(String::as_str).chain(dirs).collect();
    listed(out, &all)
}

/// What the last successful build recorded beside its output folder.
#[derive(Debug, Serialize, Deserialize)]
pub struct State {
    pub inputs: u64,
    pub output: u64,
    pub pages: usize,
    pub files: usize,
    pub reports: usize,
    pub news: usize,
    pub disclosure: usize,
    /// The warnings it printed, printed again when the build is skipped.
    pub diagnostics: Vec<Diagnostic>,
    /// The drafts it left out.
    #[serde(default)]
    pub drafts: Vec<String>,
    /// The fonts of the PDFs, said again too.
    #[serde(default)]
    pub pdf_fonts: Option<String>,
    /// What the gate held back and who signed what was published, said again too.
    #[serde(default)]
    pub decision: crate::gate::Decision,
    /// How many PDFs it left out for want of a Chinese font: the build after it is never
    /// skipped, since a font may have been installed since and fonts are not among the
    /// inputs. Its memos hold all the same, so that build remakes only what changed.
    #[serde(default)]
    pub missing: usize,
    /// The stamp of the record it saved (`record::Record`): the record is as that build
    /// left it while the stamp holds, and is not read to learn so (11,000 sources' stamps,
    /// a few milliseconds of an edit).
    #[serde(default)]
    pub record: Option<Stamp>,
}

/// `.public.gongkai-state.json` beside `public/`: never inside it, so it is not uploaded.
pub fn state_path(out: &Path) -> PathBuf {
    beside(out, "state")
}

/// `.public.gongkai-WHAT.json` beside the output folder `public/`: a build's record for
/// the next build, never inside the output, so it is not uploaded.
pub fn beside(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    out.with_file_name(format!(".{name}.gongkai-{what}.json"))
}

pub fn load(out: &Path) -> Option<State> {
    load_json(&state_path(out))
}

pub fn save(out: &Path, state: &State) {
    save_json(&state_path(out), state);
}

pub fn forget(out: &Path) {
    let _ = fs::remove_file(state_path(out));
    let _ = fs::remove_file(beside(out, "pages"));
    let _ = fs::remove_file(beside(out, "search"));
    let _ = fs::remove_file(beside(out, "gate"));
    let _ = fs::remove_file(beside(out, "copies"));
}

/// The memo of a build's load (`model::kept`), beside the output: what it says holds of
/// the sources whatever became of the output, so no build forgets it.
pub fn load_memo(out: &Path) -> PathBuf {
    // Records of JSON and raw text, not JSON: named for what it is.
    beside(out, "load").with_extension("bin")
}

/// What the last build kept beside its output for the next one (`what`: "pages", each
/// page's key; "gate", the findings in each text), saved with the state and forgotten
/// with it.
pub fn load_kept<T: DeserializeOwned>(out: &Path, what: &str) -> Option<T> {
    load_json(&beside(out, what))
}

/// The value kept as JSON at `path`, if it reads.
pub fn load_json<T: DeserializeOwned>(path: &Path) -> Option<T> {
    crate::ground::text::from_json(&fs::read(path).ok()?)
}

pub fn save_kept<T: Serialize>(out: &Path, what: &str, value: &T) {
    save_json(&beside(out, what), value);
}

/// Writes `value` as JSON at `path`. Losing it only costs doing the work again next time.
pub fn save_json<T: Serialize>(path: &Path, value: &T) {
    if let Ok(bytes) = serde_json::to_vec(value) {
        let _ = fs::write(path, bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(root: &Path, rel: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "正文").unwrap();
    }

    /// The files the sources' stamps list are those the load's own walk finds, in its
    /// order, or none are given and the load walks.
    #[test]
    fn a_plain_content_tree_is_listed_as_the_load_walks_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in [
            "site.toml",
            "content/news/2023/会议.md",
            "content/news/a-b/一.md",
            "content/news/a/二.md",
            "content/news/a.b/三.md",
            "content/news/2023/会议.png",
            "content/.DS_Store",
            "content/.git/config.md",
            "content/news/草稿.md~",
            "content/news/.会议.md.swp",
            "content/disclosure/附件/通知.tmp",
            "content/reports/2023.yaml",
            "static/logo.png",
        ] {
            touch(root, rel);
        }
        let walked = crate::ground::fs::walk_files(root, &root.join("content"));
        assert!(walked.problems.is_empty());
        let (stamps, plain) = site_sources_plain(root);
        assert!(plain);
        assert_eq!(stamps, site_sources(root));
        let listed = content_files(root, &stamps);
        let (rels, paths): (Vec<String>, Vec<PathBuf>) = listed.into_iter().unzip();
        assert_eq!(paths, walked.files);
        let from_root = |p: &PathBuf| crate::ground::diagnostics::rel_path(root, p);
        assert_eq!(rels, walked.files.iter().map(from_root).collect::<Vec<_>>());
        assert_eq!(walked.files.len(), 6, "{:?}", walked.files);
        // Each stamp, taken by name from its folder, is the stamp of the path given whole.
        for (rel, stamp) in stamps.iter().filter(|(r, _)| r.starts_with("content/")) {
            let whole = fs::symlink_metadata(root.join(rel)).unwrap();
            assert_eq!(*stamp, stamp_of(&whole), "{rel}");
        }
        assert!(stamps.contains_key("content/news/a-b/一.md"));

        #[cfg(unix)]
        {
            // A name with a backslash is stamped, and the tree is not plain: its stamp's
            // path does not spell the file's.
            touch(root, "content/news/反斜杠\\名.md");
            let (stamps, plain) = site_sources_plain(root);
            assert!(!plain, "a backslash: walked");
            assert!(stamps.contains_key("content/news/反斜杠/名.md"));
            fs::remove_file(root.join("content/news/反斜杠\\名.md")).unwrap();
            assert!(site_sources_plain(root).1);
        }

        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("static"), root.join("content/图片")).unwrap();
            assert!(!site_sources_plain(root).1, "a link: walked");
        }
        fs::remove_dir_all(root.join("content")).unwrap();
        assert!(!site_sources_plain(root).1, "no content: walked");
    }
}
