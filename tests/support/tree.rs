//! The repository and copies of site folders, for tests that edit a site.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The repository root: the example site, the default theme, `tests/fixtures/`.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder tree `from` (a fixture site, say) into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A copy of the example site (site.toml, content, themes) in a temporary folder, as
/// `<tmp>/site`; the folder around it is there for targets and files outside the site.
pub fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir(&root).unwrap();
    std::fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
    copy_dir(&repo().join("content"), &root.join("content"));
    copy_dir(&repo().join("themes"), &root.join("themes"));
    (dir, root)
}

/// Every file under `dir` with its bytes, dot files included, by path relative to `dir`.
pub fn tree_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The files of `after` that `before` did not have, or had with other bytes.
pub fn changed<'a>(
    before: &BTreeMap<String, Vec<u8>>,
    after: &'a BTreeMap<String, Vec<u8>>,
) -> Vec<&'a String> {
    after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k)
        .collect()
}

/// The files that differ between the folders `a` and `b`: in one and not the other, or
/// with other bytes.
pub fn differing(a: &Path, b: &Path) -> Vec<String> {
    let (a, b) = (tree_of(a), tree_of(b));
    let differ: std::collections::BTreeSet<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect();
    differ.into_iter().cloned().collect()
}

/// Whether any page (an `.html` file) under `out` shows `words`.
pub fn shown(out: &Path, words: &str) -> bool {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains(words)))
}
