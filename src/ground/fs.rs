//! Reading the site's folders safely: every file found is inside the site, and every
//! folder that cannot be read, link that leads outside the site or link that leads
//! nowhere is a problem named with its path, never silently skipped.
//!
//! A site that loses a folder to a permission error must not build as if the folder were
//! empty (it would take the published pages down), and a link to `/etc/shadow` placed
//! among the attachments must not be published.
//!
//! Also the file operations of commands (writing the output, a new site, a deploy
//! folder): each wraps `std::fs` and names the path in its error, so that no message
//! says "Permission denied" without saying where.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::ground::diagnostics::{Diagnostic, rel_path};

/// Reads a file.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))
}

/// Writes a file (replacing it).
pub fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("无法写入 {}", path.display()))
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("无法创建文件夹 {}", path.display()))
}

/// Creates a folder whose parent exists; one already there is fine.
pub fn create_dir(path: &Path) -> Result<()> {
    match std::fs::create_dir(path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        r => r.with_context(|| format!("无法创建文件夹 {}", path.display())),
    }
}

/// Moves a file or folder (on one file system: one step).
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .with_context(|| format!("无法把 {} 移动到 {}", from.display(), to.display()))
}

/// Copies a file.
pub fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("无法把 {} 复制到 {}", from.display(), to.display()))
}

/// Removes a file.
pub fn remove_file(path: &Path) -> Result<()> {
    std::fs::remove_file(path).with_context(|| format!("无法删除 {}", path.display()))
}

/// Removes an empty folder.
pub fn remove_dir(path: &Path) -> Result<()> {
    std::fs::remove_dir(path).with_context(|| format!("无法删除文件夹 {}", path.display()))
}

/// Removes a folder and everything in it.
pub fn remove_dir_all(path: &Path) -> Result<()> {
    std::fs::remove_dir_all(path).with_context(|| format!("无法删除文件夹 {}", path.display()))
}

/// The entries of a folder.
pub fn read_dir(path: &Path) -> Result<std::fs::ReadDir> {
    std::fs::read_dir(path).with_context(|| format!("无法读取文件夹 {}", path.display()))
}

/// An error and its causes in plain words, joined the way Chinese text joins them; IO
/// errors are described with [`describe`].
pub fn error_text(e: &anyhow::Error) -> String {
    e.chain()
        .map(|cause| match cause.downcast_ref::<std::io::Error>() {
            Some(io) => describe(io),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join("：")
}

/// The files found under a folder, and what could not be read.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files (or links to files inside the site), sorted by path.
    pub files: Vec<PathBuf>,
    pub problems: Vec<Diagnostic>,
}

/// The site root as the file system resolves it (links and `..` followed), so that
/// "inside the site" can be decided by comparing paths.
pub fn canonical_root(root: &Path) -> PathBuf {
    dunce::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

/// `p` made absolute, with the part that exists resolved (links, `..`) and the rest
/// normalised by its words, so that two spellings of one place compare equal even
/// before the place exists.
pub fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut existing = p.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = dunce::canonicalize(existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::Normal(name) => out.push(name),
                    _ => {}
                }
            }
            return out;
        }
        let mut components = existing.components();
        match components.next_back() {
            Some(last) if components.as_path() != existing => {
                rest.push(last);
                existing = components.as_path();
            }
            _ => return p,
        }
    }
}

/// Whether `p`, a `/`-separated path read from a file gongkai did not write itself (a
/// deploy target's manifest, a shard's summary), stays inside the folder it is relative
/// to: not empty, not absolute, no backslash, no empty, `.` or `..` part.
pub fn safe_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && p.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

/// The SHA-256 of `bytes` in hex: how deploy manifests and shard summaries name a
/// file's content.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let d = sha2::Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Characters Windows (and so IIS) refuses in a file name, besides control characters.
pub const WINDOWS_REFUSED: [char; 9] = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

/// Whether Windows reserves `name` for a device, whatever its extension (`CON`,
/// `nul.txt`, `COM1.pdf` …): such a file cannot be created or served there.
pub fn windows_reserved(name: &str) -> bool {
    let stem = name
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end_matches(' ')
        .to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit())
}

/// Whether a name is one gongkai never reads or publishes: dot files and folders, and
/// editors' backup and swap files.
pub fn is_hidden_name(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

/// The error for a link that leads out of the site: one message wherever it is found.
pub fn outside_link(root: &Path, path: &Path, target: &Path) -> Diagnostic {
    Diagnostic::error(
        "symlink",
        rel_path(root, path),
        format!(
            "这是一个指向网站文件夹之外的链接（指向 {}），为安全起见不会读取或发布",
            target.display()
        ),
    )
    .help("把需要发布的文件复制到网站文件夹里，再删除这个链接。")
}

/// Checks that `path` (which may be a link) resolves to a place inside `canonical_root`.
pub fn check_inside(
    root: &Path,
    canonical_root: &Path,
    path: &Path,
) -> Result<(), Box<Diagnostic>> {
    match dunce::canonicalize(path) {
        Ok(real) if real.starts_with(canonical_root) => Ok(()),
        Ok(real) => Err(Box::new(outside_link(root, path, &real))),
        Err(e) => Err(Box::new(
            Diagnostic::error(
                "io",
                rel_path(root, path),
                format!("无法读取：{}", describe(&e)),
            )
            .help("如果这是一个链接，它指向的文件不存在；否则检查文件的权限。"),
        )),
    }
}

/// The files under `dir`, a folder of the site at `root`. Links are followed only when
/// they lead to a place inside the site; entries whose name [`is_hidden_name`] are
/// skipped with everything under them. A missing `dir` has no files; a `dir` that is a
/// file, a broken link or unreadable is a problem.
pub fn walk_files(root: &Path, dir: &Path) -> Walk {
    let mut walk = Walk::default();
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return walk,
        Err(e) => {
            walk.problems.push(unreadable(root, dir, &e));
            return walk;
        }
        Ok(_) => {}
    }
    let canonical = canonical_root(root);
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            walk.problems.push(
                Diagnostic::error(
                    "io",
                    rel_path(root, dir),
                    "这里应当是一个文件夹，却是一个文件",
                )
                .help("把这个文件改名或移走，再新建同名的文件夹。"),
            );
            return walk;
        }
        Err(e) => {
            walk.problems.push(unreadable(root, dir, &e));
            return walk;
        }
    }
    if let Err(d) = check_inside(root, &canonical, dir) {
        walk.problems.push(*d);
        return walk;
    }
    let mut outside = Vec::new();
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            // `..\x.txt` is not hidden: the gate says what a Windows host makes of it.
            if e.depth() > 0 && is_hidden_name(&name) && !name.contains('\\') {
                return false;
            }
            if e.path_is_symlink()
                && let Err(d) = check_inside(root, &canonical, e.path())
            {
                outside.push(*d);
                return false;
            }
            true
        });
    for entry in entries {
        match entry {
            Ok(e) if e.file_type().is_file() => walk.files.push(e.into_path()),
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let d = if e.loop_ancestor().is_some() {
                    Diagnostic::error(
                        "symlink",
                        rel_path(root, &path),
                        "链接指向它所在的文件夹，形成了循环",
                    )
                    .help("删除这个链接。")
                } else if let Some(io) = e.io_error() {
                    unreadable(root, &path, io)
                } else {
                    Diagnostic::error("io", rel_path(root, &path), format!("无法读取：{e}"))
                };
                walk.problems.push(d);
            }
        }
    }
    walk.problems.extend(outside);
    walk.files.sort();
    walk
}

fn unreadable(root: &Path, path: &Path, e: &std::io::Error) -> Diagnostic {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let help = if is_link && std::fs::metadata(path).is_err() {
        "这是一个链接，它指向的文件或文件夹不存在：删除这个链接，或把文件放回原处。"
    } else {
        "检查这个文件夹的权限（当前用户需要能读取和进入它），或者把它移出网站文件夹。"
    };
    Diagnostic::error(
        "io",
        rel_path(root, path),
        format!("无法读取：{}", describe(e)),
    )
    .help(help)
}

/// An IO error in plain words, with the system's own text after it.
pub fn describe(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let plain = match e.kind() {
        NotFound => "找不到",
        PermissionDenied => "没有权限",
        AlreadyExists => "已经存在",
        StorageFull => "磁盘已满",
        ReadOnlyFilesystem => "文件系统是只读的",
        InvalidFilename => "文件名太长或含有这个文件系统不允许的字符",
        NotADirectory => "路径中有一段不是文件夹",
        IsADirectory => "这是一个文件夹，不是文件",
        DirectoryNotEmpty => "文件夹不是空的",
        FileTooLarge => "文件太大",
        QuotaExceeded => "超出了磁盘配额",
        ResourceBusy | ExecutableFileBusy => "文件正被其他程序使用",
        CrossesDevices => "不能跨磁盘移动",
        TooManyLinks => "链接太多",
        TimedOut => "超时",
        ConnectionRefused => "连接被拒绝",
        ConnectionReset | ConnectionAborted => "连接中断",
        HostUnreachable | NetworkUnreachable => "网络不通",
        OutOfMemory => "内存不足",
        _ => "系统错误",
    };
    format!("{plain}（{e}）")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_out_of_the_site_and_dangling_links_are_problems() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("站点");
        let content = root.join("content");
        std::fs::create_dir_all(content.join("news/2023")).unwrap();
        std::fs::write(content.join("news/2023/a.md"), "x").unwrap();
        std::fs::write(content.join(".secret"), "x").unwrap();
        std::fs::write(dir.path().join("outside.txt"), "secret").unwrap();
        symlink(dir.path().join("outside.txt"), content.join("leak.txt")).unwrap();
        symlink(content.join("news/2023/a.md"), content.join("inside.md")).unwrap();
        symlink(root.join("nowhere"), content.join("dangling.md")).unwrap();
        let walk = walk_files(&root, &content);
        let names: Vec<String> = walk.files.iter().map(|f| rel_path(&root, f)).collect();
        assert_eq!(names, ["content/inside.md", "content/news/2023/a.md"]);
        let files: Vec<&str> = walk.problems.iter().map(|d| d.file.as_str()).collect();
        assert!(files.contains(&"content/leak.txt"), "{files:?}");
        assert!(files.contains(&"content/dangling.md"), "{files:?}");
    }
}
