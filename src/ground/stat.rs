//! Stamps of many files under one folder, each looked up from the folder's handle: a
//! build stats 26,000 files and folders of its output on every edit, and a
//! path given whole makes the system walk every folder above the file again each time
//! (about a quarter of a stat's cost under `/home/editor/网站/public/`). Where there is no
//! such handle (Windows, a folder that cannot be opened) each path is given whole.

use std::path::{Path, PathBuf};

use crate::ground::digest::{Stamp, stamp_of};

/// What a path is, links not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    Other,
}

/// A folder to look up paths under.
pub struct Folder {
    path: PathBuf,
    #[cfg(unix)]
    handle: Option<rustix::fd::OwnedFd>,
}

impl Folder {
    pub fn open(path: &Path) -> Folder {
        Folder {
            path: path.to_path_buf(),
            #[cfg(unix)]
            handle: rustix::fs::open(
                path,
                rustix::fs::OFlags::PATH
                    | rustix::fs::OFlags::DIRECTORY
                    | rustix::fs::OFlags::CLOEXEC,
                rustix::fs::Mode::empty(),
            )
            .ok(),
        }
    }

    /// What `rel` (relative, `/`-separated; empty for the folder itself) is and its
    /// stamp, links not followed; none when it is not there or cannot be looked at.
    pub fn stat(&self, rel: &str) -> Option<(Kind, Stamp)> {
        #[cfg(unix)]
        if let Some(handle) = &self.handle {
            return stat_at(handle, if rel.is_empty() { "." } else { rel });
        }
        let meta = std::fs::symlink_metadata(self.path.join(rel)).ok()?;
        let kind = match meta.file_type() {
            t if t.is_file() => Kind::File,
            t if t.is_dir() => Kind::Folder,
            _ => Kind::Other,
        };
        Some((kind, stamp_of(&meta)))
    }
}

/// As [`stamp_of`] makes it: the size, and the time in nanoseconds since 1970 (none
/// before).
#[cfg(unix)]
fn stat_at(handle: &rustix::fd::OwnedFd, rel: &str) -> Option<(Kind, Stamp)> {
    use rustix::fs::{AtFlags, FileType, statat};
    let st = statat(handle, rel, AtFlags::SYMLINK_NOFOLLOW).ok()?;
    let kind = match FileType::from_raw_mode(st.st_mode as _) {
        FileType::RegularFile => Kind::File,
        FileType::Directory => Kind::Folder,
        _ => Kind::Other,
    };
    let (secs, nanos) = (st.st_mtime as i64, st.st_mtime_nsec as i64);
    let mtime = u64::try_from(secs)
        .ok()
        .and_then(|s| s.checked_mul(1_000_000_000))
        .and_then(|n| n.checked_add(u64::try_from(nanos).ok()?))
        .unwrap_or(if secs < 0 { 0 } else { u64::MAX });
    Some((kind, (st.st_size as u64, mtime)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A handle's stamps are those of a path given whole, for files, folders and links.
    #[test]
    fn a_stamp_looked_up_from_the_folder_is_the_stamp_of_the_whole_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("新闻/2024")).unwrap();
        std::fs::write(root.join("新闻/2024/通知.html"), "通知正文").unwrap();
        let old = std::time::UNIX_EPOCH + std::time::Duration::new(1_700_000_000, 123_456_789);
        std::fs::File::options()
            .write(true)
            .open(root.join("新闻/2024/通知.html"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("通知.html", root.join("新闻/2024/链接.html")).unwrap();
        let folder = Folder::open(root);
        let whole = |rel: &str| std::fs::symlink_metadata(root.join(rel)).map(|m| stamp_of(&m));
        for rel in ["", "新闻", "新闻/2024", "新闻/2024/通知.html"] {
            let (_, stamp) = folder.stat(rel).unwrap();
            assert_eq!(stamp, whole(rel).unwrap(), "{rel}");
        }
        assert_eq!(
            folder.stat("新闻/2024/通知.html").unwrap().1.1,
            1_700_000_000_123_456_789
        );
        assert_eq!(folder.stat("新闻/2024/通知.html").unwrap().0, Kind::File);
        assert_eq!(folder.stat("新闻/2024").unwrap().0, Kind::Folder);
        #[cfg(unix)]
        assert_eq!(folder.stat("新闻/2024/链接.html").unwrap().0, Kind::Other);
        assert!(folder.stat("新闻/没有.html").is_none());
        let missing = Folder::open(&root.join("没有的文件夹"));
        assert!(missing.stat("新闻").is_none());
    }
}
