//! Writes a build's files so that the output folder is only ever replaced whole.
//!
//! Files go into a staging folder beside the output; a file whose bytes did not change
//! is hard-linked from the previous output, so it keeps its modification time and an
//! upload tool skips it. Only when every file is in place is the old folder swapped
//! out. Entries of the old folder whose names start with `.` (a `.git`, say) are
//! carried over: they are the user's, not ours.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::{Body, OutFile};

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub files: usize,
    /// Files whose bytes differ from the previous output (or are new).
    pub changed: usize,
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.gongkai-{tag}-{}", std::process::id()))
}

fn read_body(body: &Body) -> io::Result<std::borrow::Cow<'_, [u8]>> {
    Ok(match body {
        Body::Bytes(b) => std::borrow::Cow::Borrowed(b.as_slice()),
        Body::Copy(p) => std::borrow::Cow::Owned(fs::read(p).map_err(|e| with_path(e, p))?),
    })
}

fn with_path(e: io::Error, p: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", p.display()))
}

/// Replaces the folder `out` with exactly `files`.
pub fn write_output(out: &Path, files: &[OutFile]) -> io::Result<WriteStats> {
    let staging = sibling(out, "staging");
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    if let Some(parent) = out.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::create_dir_all(&staging)?;
    let result = fill(out, &staging, files).and_then(|stats| swap(out, &staging).map(|()| stats));
    if result.is_err() && staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn fill(out: &Path, staging: &Path, files: &[OutFile]) -> io::Result<WriteStats> {
    // Create folders first, in order, so parallel writers never race on them.
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| staging.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        fs::create_dir_all(&d).map_err(|e| with_path(e, &d))?;
    }
    let changed: io::Result<Vec<bool>> = files
        .par_iter()
        .map(|f| {
            let target = staging.join(&f.path);
            let old = out.join(&f.path);
            let bytes = read_body(&f.body)?;
            if let Ok(meta) = fs::symlink_metadata(&old)
                && meta.is_file()
                && meta.len() == bytes.len() as u64
                && fs::read(&old).is_ok_and(|o| o == *bytes)
            {
                if fs::hard_link(&old, &target).is_ok() {
                    return Ok(false);
                }
                // No hard links on this file system: copy and keep the old time.
                fs::write(&target, &*bytes).map_err(|e| with_path(e, &target))?;
                if let Ok(mtime) = meta.modified() {
                    let _ = fs::File::options()
                        .write(true)
                        .open(&target)
                        .and_then(|fh| fh.set_modified(mtime));
                }
                return Ok(false);
            }
            fs::write(&target, &*bytes).map_err(|e| with_path(e, &target))?;
            Ok(true)
        })
        .collect();
    let changed = changed?;
    Ok(WriteStats {
        files: files.len(),
        changed: changed.iter().filter(|c| **c).count(),
    })
}

fn swap(out: &Path, staging: &Path) -> io::Result<()> {
    if !out.exists() {
        return fs::rename(staging, out);
    }
    // Keep the user's own entries (.git, .well-known, …).
    let mut carried = Vec::new();
    for e in fs::read_dir(out)? {
        let e = e?;
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') && !staging.join(&name).exists() {
            fs::rename(e.path(), staging.join(&name))?;
            carried.push(name);
        }
    }
    let trash = sibling(out, "old");
    if let Err(e) = fs::rename(out, &trash) {
        for name in carried {
            let _ = fs::rename(staging.join(&name), out.join(&name));
        }
        return Err(e);
    }
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&trash, out);
        return Err(e);
    }
    fs::remove_dir_all(&trash)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutFile {
        OutFile {
            path: path.to_string(),
            body: Body::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn unchanged_files_keep_their_time_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_output(&out, &[file("a/index.html", "甲"), file("old.html", "旧")]).unwrap();
        fs::create_dir(out.join(".git")).unwrap();
        let t0 = fs::metadata(out.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let stats =
            write_output(&out, &[file("a/index.html", "甲"), file("b.html", "乙")]).unwrap();
        assert_eq!(stats.changed, 1);
        assert_eq!(
            fs::metadata(out.join("a/index.html"))
                .unwrap()
                .modified()
                .unwrap(),
            t0
        );
        assert!(!out.join("old.html").exists());
        assert!(out.join(".git").is_dir(), "the user's .git is kept");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no staging folder left"
        );
    }
}
