//! Writes a build's files without ever leaving the output folder half written.
//!
//! What a killed build leaves, and how the next build mends it (docs/guarantees.md):
//! killed while rendering or staging, the output folder is untouched and a staging
//! folder is left beside it, which the next build removes; killed while files are moved
//! into place, the output holds some new files and some old ones, every one of them
//! whole (a rename is one step), and the next build, comparing each file's bytes,
//! writes the rest and removes what no longer belongs.
//!
//! Every file whose bytes differ from the previous output is first written into a
//! staging folder beside the output; only when all of them are written are they moved
//! into place (renames, which need no space and do not fail half way) and files the new
//! build no longer has are removed. A failed write leaves the previous output as it was.
//! Unchanged files are not touched, so they keep their modification time and an upload
//! tool skips them; a build that changes nothing writes nothing. Entries of the output
//! whose names start with `.` (a `.git`, say) are the user's and are left alone.
//!
//! The output carries [`BUILD_MANIFEST`], the list of files the build wrote: it marks the
//! folder as gongkai's (a later build may replace what is in it) and tells `deploy`
//! exactly what to publish, so nothing else that lands in the folder goes out.

pub mod fingerprint;
pub mod listing;
pub mod mime;
pub mod record;

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};

use listing::Listing;

use crate::ground::digest::{Key, Stamp, settled, stamp_of};
use rayon::prelude::*;

/// What goes into one output file.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Vec<u8>),
    /// Copied from this file.
    Copy(PathBuf),
    /// Copied from this file, whose bytes the gate read and found to hash to this key (an
    /// attachment, a file a body links to, a file of `static/`): a copy whose bytes no
    /// longer do is refused ([`ChangedSinceChecked`]), so a file saved between the gate's
    /// read and the copy is never published unchecked.
    Checked(PathBuf, Key),
}

/// A file of the output.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Relative to the output folder, `/`-separated, e.g. `news/index.html`.
    pub path: String,
    pub body: Body,
}

impl OutFile {
    /// The SHA-256 of its bytes; `None` when its source cannot be read (writing it then
    /// fails and says why).
    pub fn sha256(&self) -> Option<String> {
        read_body(&self.body)
            .ok()
            .map(|b| crate::ground::fs::sha256_hex(&b))
    }
}

/// The list of files a build wrote, kept in the output folder.
pub const BUILD_MANIFEST: &str = ".gongkai-build.json";

/// What [`BUILD_MANIFEST`] holds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BuildManifest {
    pub generator: String,
    /// Reports, news and disclosure items the build published.
    pub items: usize,
    /// Every file of the build, `/`-separated, sorted; the manifest itself not included.
    pub files: Vec<String>,
    /// False while a build is moving its files into place: the folder is then a mix of
    /// two builds (each file whole) until the next build completes.
    #[serde(default = "finished")]
    pub complete: bool,
    /// Set on the output of `build --shard K/N` (e.g. `1/4`): some members of a portal
    /// group and nothing else, not a site to publish; `build --merge` joins the parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
}

fn finished() -> bool {
    true
}

impl BuildManifest {
    pub fn new(items: usize, files: &[OutFile]) -> Self {
        Self::of_paths(items, files.iter().map(|f| f.path.clone()).collect())
    }

    /// The manifest of a build that wrote `paths` (in any order).
    pub fn of_paths(items: usize, mut paths: Vec<String>) -> Self {
        paths.sort();
        BuildManifest {
            generator: concat!("gongkai ", env!("CARGO_PKG_VERSION")).into(),
            items,
            files: paths,
            complete: true,
            part: None,
        }
    }

    /// The manifest as an output file.
    pub fn file(&self) -> OutFile {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        OutFile {
            path: BUILD_MANIFEST.into(),
            body: Body::Bytes(bytes),
        }
    }

    /// The manifest of the build in `out`, if gongkai built it.
    pub fn load(out: &Path) -> Option<BuildManifest> {
        fingerprint::load_json(&out.join(BUILD_MANIFEST))
    }
}

/// Why an output folder may not be written, if it may not.
///
/// A build replaces everything in its output folder, so the folder must be one whose
/// contents are gongkai's: a folder that does not exist yet or is empty (but for dot
/// entries, which are never touched), one a build made (it holds [`BUILD_MANIFEST`]), or
/// the default `public/` of the site. It must never hold the site or lie among its
/// sources (`content/`, `static/`, `themes/`).
pub fn refuse_output(root: &Path, out: &Path, is_default: bool) -> Option<String> {
    let root_abs = crate::ground::fs::absolute(root);
    let out_abs = crate::ground::fs::absolute(out);
    if root_abs.starts_with(&out_abs) {
        return Some("输出文件夹就是网站文件夹或包含网站文件夹，构建会删除网站的源文件".into());
    }
    for source in ["content", "static", "themes", crate::config::CONFIG_FILE] {
        if out_abs.starts_with(root_abs.join(source)) {
            return Some(format!(
                "输出文件夹在网站的 {source} 里面，构建会覆盖网站的源文件"
            ));
        }
    }
    match fs::symlink_metadata(out) {
        Err(_) => return None,
        // The build would replace the link, not write where it leads.
        Ok(m) if m.file_type().is_symlink() => {
            let to = fs::read_link(out).map_or(String::new(), |t| format!("（{}）", t.display()));
            return Some(format!(
                "这个路径是一个链接（快捷方式），不是文件夹；--out 要写它指向的文件夹{to}"
            ));
        }
        Ok(m) if !m.is_dir() => return Some("这个路径是一个文件，不是文件夹".into()),
        Ok(_) => {}
    }
    if out.join(crate::config::CONFIG_FILE).exists() || out.join("content").is_dir() {
        return Some("输出文件夹里有另一个网站的源文件（site.toml 或 content）".into());
    }
    if is_default || out.join(BUILD_MANIFEST).is_file() {
        return None;
    }
    let others: Vec<String> = match fs::read_dir(out) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect(),
        Err(e) => {
            return Some(format!(
                "无法读取这个文件夹：{}",
                crate::ground::fs::describe(&e)
            ));
        }
    };
    if others.is_empty() {
        return None;
    }
    let mut shown: Vec<&str> = others.iter().map(String::as_str).collect();
    shown.sort_unstable();
    let more = if shown.len() > 3 { " 等" } else { "" };
    shown.truncate(3);
    Some(format!(
        "这个文件夹不是空的，也不是 gongkai 生成的（里面有 {}{more}），构建会删除其中的文件",
        shown.join("、")
    ))
}

#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub files: usize,
    /// Files whose bytes differ from the previous output (or are new).
    pub changed: usize,
    /// Files of the previous output that the build no longer has.
    pub removed: usize,
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.gongkai-{tag}-{}", std::process::id()))
}

fn read_body(body: &Body) -> Result<std::borrow::Cow<'_, [u8]>> {
    Ok(match body {
        Body::Bytes(b) => std::borrow::Cow::Borrowed(b.as_slice()),
        Body::Copy(p) => std::borrow::Cow::Owned(crate::ground::fs::read(p)?),
        Body::Checked(p, key) => {
            let bytes = crate::ground::fs::read(p)?;
            if crate::ground::digest::of_bytes(&bytes) != *key {
                return Err(ChangedSinceChecked(p.clone()).into());
            }
            std::borrow::Cow::Owned(bytes)
        }
    })
}

/// Removes staging folders beside `out` that builds which were killed left behind (a
/// build whose process is gone; where that cannot be told, one over a day old).
fn remove_leftovers(out: &Path) -> Result<()> {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return Ok(());
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let prefix = format!(".{}.gongkai-staging-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    for e in entries.filter_map(std::result::Result::ok) {
        let file_name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name
            .strip_prefix(&prefix)
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid, &e.path()) {
            crate::ground::fs::remove_dir_all(&e.path())?;
        }
    }
    Ok(())
}

/// Whether the build that made a staging folder may still be running.
fn process_alive(pid: u32, staging: &Path) -> bool {
    if cfg!(target_os = "linux") {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    let day = std::time::Duration::from_secs(24 * 3600);
    fs::metadata(staging)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().is_ok_and(|age| age < day))
}

/// The error of a build whose output could not be written; the output is as it was. A
/// file changed since the gate read it is named from `root` (the site or group), as the
/// gate's own findings are.
pub fn write_error(
    root: &Path,
    out: &Path,
    e: &anyhow::Error,
) -> crate::ground::diagnostics::Diagnostic {
    if let Some(ChangedSinceChecked(file)) = e.chain().find_map(|c| c.downcast_ref()) {
        return crate::ground::diagnostics::Diagnostic::error(
            "changed",
            crate::ground::diagnostics::rel_path(root, file),
            "这个文件在检查之后又被改过：要发布的内容和检查过的内容不一样，这次没有发布任何文件",
        )
        .help("等文件保存完毕后，再运行一次；原来的输出文件夹没有被改动。");
    }
    crate::ground::diagnostics::Diagnostic::error(
        "output",
        out.display().to_string(),
        format!("写入输出文件夹失败：{}", crate::ground::fs::error_text(e)),
    )
    .help(if e.chain().any(|c| c.is::<LinksInOutput>()) {
        "删除这些链接（输出文件夹里的文件都由构建生成），再重新构建；原来的输出文件夹没有被改动。"
    } else {
        "检查磁盘空间和文件夹权限；原来的输出文件夹没有被改动。"
    })
}

/// A build written in parts, one after another (batches of pages, the members of a
/// portal group), so that no more than one part is held in memory: each part's changed
/// files go to one staging folder beside the output, and [`Staging::commit`] moves them
/// all into place, the manifest last. Dropped without a commit, it removes the staging
/// folder and leaves the output as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    changed: BTreeSet<String>,
    /// What the last build copied, when the output is as it left it, and the time this
    /// build began (a source saved in the two seconds before is not kept).
    last_copies: Option<(Copies, u64)>,
    /// Each copied file staged or found unchanged.
    copied: Vec<Copied>,
    /// Top folders of the output known to hold exactly what they should (a member not
    /// built again): the commit does not look through them for files to remove.
    as_is: BTreeSet<String>,
    /// The folders made in the staging folder so far (relative to it).
    made: HashSet<String>,
    /// The output as it was when the staging began.
    listing: Listing,
}

impl Staging {
    /// Refuses an output that holds a link (but in the user's dot entries at the top):
    /// a file moved into place through it would land wherever it points, and the folder
    /// would then lack what the manifest lists.
    pub fn begin(out: &Path) -> Result<Staging> {
        Staging::begin_listed(out, Listing::of(out))
    }

    /// [`Staging::begin`] for an output whose walk the caller has made (`listing`).
    pub fn begin_listed(out: &Path, listing: Listing) -> Result<Staging> {
        refuse_links(out, &listing)?;
        remove_leftovers(out)?;
        let _ = fs::remove_file(out.join(format!("{BUILD_MANIFEST}.tmp")));
        let dir = sibling(out, "staging");
        if dir.exists() {
            crate::ground::fs::remove_dir_all(&dir)?;
        }
        crate::ground::fs::create_dir_all(&dir)?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            changed: BTreeSet::new(),
            last_copies: None,
            copied: Vec::new(),
            as_is: BTreeSet::new(),
            made: HashSet::new(),
            listing,
        })
    }

    /// Marks the top folder `name` of the output as holding exactly the files it
    /// should: the commit stages nothing into it and removes nothing from it.
    pub fn keep_as_is(&mut self, name: &str) {
        self.as_is.insert(name.to_string());
    }

    /// Takes a copied file as unchanged, without reading it or the output's copy, when
    /// its source and the output's copy have the stamps `last` (what the last build
    /// copied, when the output is as it left it) gives them. `started`: when this build
    /// began, in nanoseconds since 1970.
    pub fn trust_copies(&mut self, last: Copies, started: u64) {
        self.last_copies = Some((last, started));
    }

    /// Stages the files among `files` whose bytes differ from the output's; returns how
    /// many did.
    pub fn add(&mut self, files: &[OutFile]) -> Result<usize> {
        let last = self
            .last_copies
            .as_ref()
            .map(|(copies, _)| (copies, &self.listing));
        let (changed, copied) = write_changed(&self.out, &self.dir, files, &mut self.made, last)?;
        let n = changed.len();
        self.changed.extend(changed.into_iter().map(str::to_string));
        self.copied.extend(copied);
        Ok(n)
    }

    /// What this build copied, for the next one, once committed: each copied file's
    /// source stamp and its stamp in the output now. A source saved within two seconds
    /// of the build's start is left out (a coarse clock could give its next save the same
    /// stamp), as is every file when no start was given.
    fn copies(&self, committed: &Path) -> Copies {
        let Some((_, started)) = self.last_copies else {
            return Copies::default();
        };
        Copies(
            self.copied
                .par_iter()
                .filter(|(_, src)| settled(src, started))
                .filter_map(|(path, src)| {
                    let now = match self.changed.contains(path) {
                        true => fs::symlink_metadata(committed.join(path))
                            .ok()
                            .filter(fs::Metadata::is_file)
                            .map(|m| stamp_of(&m)),
                        false => self.listing.files.get(path).copied(),
                    };
                    Some((path.clone(), (*src, now?)))
                })
                .collect(),
        )
    }

    /// The files staged so far: those the commit will write.
    pub fn staged(&self) -> &BTreeSet<String> {
        &self.changed
    }

    /// Where the bytes this build gives `path` are now: staged, or in the output.
    pub fn current(&self, path: &str) -> PathBuf {
        if self.changed.contains(path) {
            self.dir.join(path)
        } else {
            self.out.join(path)
        }
    }

    /// Makes the output hold exactly `keep` (staged or already there, plus the user's
    /// dot entries at the top) and writes `manifest` last.
    pub fn commit(self, keep: &BTreeSet<&str>, manifest: &OutFile) -> Result<WriteStats> {
        self.commit_copies(keep, manifest).map(|(stats, _)| stats)
    }

    /// [`Staging::commit`], with what it copied for the next build (none unless
    /// [`Staging::trust_copies`] was called).
    pub fn commit_copies(
        mut self,
        keep: &BTreeSet<&str>,
        manifest: &OutFile,
    ) -> Result<(WriteStats, Copies)> {
        let bytes = read_body(&manifest.body)?;
        let changed: Vec<&str> = self.changed.iter().map(String::as_str).collect();
        let last = fs::read(self.out.join(BUILD_MANIFEST)).ok();
        let manifest_changed = last.as_deref() != Some(&bytes[..]);
        let mut keep = keep.clone();
        keep.insert(BUILD_MANIFEST);
        let removed = if self.out.exists() {
            if !changed.is_empty() || manifest_changed {
                mark_unfinished(&self.out, last.as_deref())?;
            }
            move_into_place(&self.dir, &self.out, &changed)?;
            let removed = remove_stale(&self.out, &keep, &self.as_is, &self.listing)?;
            if !changed.is_empty() || manifest_changed || removed > 0 {
                replace_file(&self.out, BUILD_MANIFEST, &bytes)?;
            }
            removed
        } else {
            crate::ground::fs::write(&self.dir.join(BUILD_MANIFEST), &*bytes)?;
            if let Some(parent) = self.out.parent() {
                crate::ground::fs::create_dir_all(parent)?;
            }
            crate::ground::fs::rename(&self.dir, &self.out)?;
            0
        };
        let copies = self.copies(&self.out);
        // What a deploy would send: dot files (a group's data) are never published.
        let changed = changed.iter().filter(|p| !p.starts_with('.')).count();
        self.changed.clear();
        let stats = WriteStats {
            files: keep.iter().filter(|p| !p.starts_with('.')).count(),
            changed,
            removed,
        };
        Ok((stats, copies))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.dir.exists() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Fails, naming them, if the output `out` (as `listing` found it) holds links outside
/// its top dot entries.
fn refuse_links(out: &Path, listing: &Listing) -> Result<()> {
    let links: Vec<String> = listing
        .links
        .iter()
        .filter(|(rel, _)| !listing::in_dot_entry(rel))
        .map(|(rel, to)| format!("{rel}（指向 {to}）"))
        .collect();
    if links.is_empty() {
        return Ok(());
    }
    Err(LinksInOutput(format!(
        "输出文件夹 {} 里有链接：{}。gongkai 不会通过链接写文件（那会写到链接指向的地方）",
        out.display(),
        links.join("、")
    ))
    .into())
}

/// The refusal of an output holding links: its own fix, not the disk's.
#[derive(Debug)]
struct LinksInOutput(String);

impl std::fmt::Display for LinksInOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LinksInOutput {}

/// The refusal of a copy whose source no longer holds the bytes the gate checked.
#[derive(Debug)]
pub struct ChangedSinceChecked(pub PathBuf);

impl std::fmt::Display for ChangedSinceChecked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} 在检查之后又被改过", self.0.display())
    }
}

impl std::error::Error for ChangedSinceChecked {}

/// Writes every file that differs from `out` into `staging`; returns their paths. The
/// folders they need are made first, each once, parents before children (`made` holds
/// those made before): one `mkdir` a folder, where making each file's folder as it is
/// written asked again for every file and raced for shared parents — on a slow disk a
/// tenth of a build.
fn write_changed<'a>(
    out: &Path,
    staging: &Path,
    files: &'a [OutFile],
    made: &mut HashSet<String>,
    last: Option<(&Copies, &Listing)>,
) -> Result<(Vec<&'a str>, Vec<Copied>)> {
    let looked: Vec<(bool, Option<Stamp>)> =
        files.par_iter().map(|f| unchanged(out, f, last)).collect();
    let copied = files
        .iter()
        .zip(&looked)
        .filter_map(|(f, (_, src))| Some((f.path.clone(), (*src)?)))
        .collect();
    let changed: Vec<&OutFile> = files
        .iter()
        .zip(&looked)
        .filter(|(_, (same, _))| !same)
        .map(|(f, _)| f)
        .collect();
    let mut folders: Vec<&str> = changed
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    for dir in folders {
        make_folder(staging, dir, made)?;
    }
    let written: Vec<Result<&str>> = changed
        .par_iter()
        .map(|f| {
            crate::ground::fs::write(&staging.join(&f.path), &*read_body(&f.body)?)?;
            Ok(f.path.as_str())
        })
        .collect();
    Ok((written.into_iter().collect::<Result<_>>()?, copied))
}

/// Whether `out` already holds `f` byte for byte, and for a copied file its source's
/// stamp. A copied file whose source and output copy have the stamps the last build left
/// them (`last`) is not read; otherwise the bytes are read only when the output holds a
/// file of their length: a copied file new to the output is read once, when it is
/// written (and a source that cannot be read is reported then).
fn unchanged(out: &Path, f: &OutFile, last: Option<(&Copies, &Listing)>) -> (bool, Option<Stamp>) {
    let (len, src) = match &f.body {
        Body::Bytes(b) => (Some(b.len() as u64), None),
        Body::Copy(p) | Body::Checked(p, _) => {
            let src = crate::ground::digest::file_stamp(p);
            (src.map(|s| s.0), src)
        }
    };
    let kept = last.zip(src).is_some_and(|((copies, listing), src)| {
        copies
            .0
            .get(&f.path)
            .is_some_and(|(was, copy)| *was == src && listing.files.get(&f.path) == Some(copy))
    });
    if kept {
        return (true, src);
    }
    let old = out.join(&f.path);
    let same = len
        .is_some_and(|len| fs::symlink_metadata(&old).is_ok_and(|m| m.is_file() && m.len() == len))
        && read_body(&f.body).is_ok_and(|b| fs::read(&old).is_ok_and(|o| o == *b));
    (same, src)
}

/// What a build copied into its output, for the next build: each copied file's source
/// stamp and its copy's stamp, by its path in the output. A copied file whose source and
/// copy still have those stamps is taken as unchanged without reading either: an edit of
/// a site with gigabytes of attachments read them all twice to find them unchanged.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Copies(std::collections::BTreeMap<String, (Stamp, Stamp)>);

/// A copied file's path in the output and its source's stamp.
type Copied = (String, Stamp);

/// Makes folder `dir` (relative, `/`-separated) in `staging` and the parents it lacks,
/// unless `made` has it.
fn make_folder(staging: &Path, dir: &str, made: &mut HashSet<String>) -> Result<()> {
    if dir.is_empty() || made.contains(dir) {
        return Ok(());
    }
    if let Some((parent, _)) = dir.rsplit_once('/') {
        make_folder(staging, parent, made)?;
    }
    crate::ground::fs::create_dir(&staging.join(dir))?;
    made.insert(dir.to_string());
    Ok(())
}

/// Rewrites the output's manifest, if it has one (`last`, its bytes as read), as
/// unfinished.
fn mark_unfinished(out: &Path, last: Option<&[u8]>) -> Result<()> {
    let Some(bytes) = last.and_then(unfinished) else {
        return Ok(());
    };
    replace_file(out, BUILD_MANIFEST, &bytes)
}

/// The manifest `bytes` (a build's) marked as not finished, or none when they are not a
/// manifest. The key is found in the bytes [`BuildManifest::file`] wrote, where it comes
/// once, after the files (a quote inside a path is written `\"`, so no path holds it):
/// an edit of 10,000 items no longer parses and writes again 600 KB of paths to mark it.
fn unfinished(bytes: &[u8]) -> Option<Vec<u8>> {
    const DONE: &[u8] = b"\"complete\": true";
    if let Some(at) = bytes.windows(DONE.len()).rposition(|w| w == DONE) {
        return Some(
            [
                &bytes[..at],
                b"\"complete\": false",
                &bytes[at + DONE.len()..],
            ]
            .concat(),
        );
    }
    let mut m: BuildManifest = crate::ground::text::from_json(bytes)?;
    m.complete = false;
    serde_json::to_vec_pretty(&m).ok()
}

/// Writes `out/name` in one step (a temporary file renamed over it).
fn replace_file(out: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = out.join(format!("{name}.tmp"));
    crate::ground::fs::write(&tmp, bytes)?;
    crate::ground::fs::rename(&tmp, &out.join(name))
}

fn move_into_place(staging: &Path, out: &Path, changed: &[&str]) -> Result<()> {
    for path in changed {
        let target = out.join(path);
        // A folder where a file now goes, or a file where a folder now goes.
        if target.is_dir() {
            crate::ground::fs::remove_dir_all(&target)?;
        }
        let mut ancestor = target.parent();
        while let Some(a) = ancestor.filter(|a| a.starts_with(out) && *a != out) {
            if a.is_file() {
                crate::ground::fs::remove_file(a)?;
            }
            ancestor = a.parent();
        }
        if let Some(parent) = target.parent() {
            crate::ground::fs::create_dir_all(parent)?;
        }
        crate::ground::fs::rename(&staging.join(path), &target)?;
    }
    Ok(())
}

/// Removes files of `out` that are not in `keep`, and folders left empty; the user's
/// dot entries at the top are kept, and the top folders `as_is` are not looked through.
/// What is there is known from `listing`, the walk made before the staged files were
/// moved in (they are all in `keep`); only folders that held no kept file are looked
/// into again, to see whether they are empty now.
fn remove_stale(
    out: &Path,
    keep: &BTreeSet<&str>,
    as_is: &BTreeSet<String>,
    listing: &Listing,
) -> Result<usize> {
    let ours = |rel: &str| !listing::in_dot_entry(rel) && !as_is.contains(listing::top(rel));
    let mut removed = 0;
    for rel in listing.files.keys().filter(|r| ours(r)) {
        if keep.contains(rel.as_str()) {
            continue;
        }
        let path = out.join(rel);
        // Gone already when its folder made way for a file of the same name.
        if fs::symlink_metadata(&path).is_ok() {
            crate::ground::fs::remove_file(&path)?;
        }
        removed += 1;
    }
    let mut held: HashSet<&str> = HashSet::new();
    for rel in keep {
        let mut d = *rel;
        while let Some(i) = d.rfind('/') {
            d = &d[..i];
            if !held.insert(d) {
                break;
            }
        }
    }
    let mut empty: Vec<&String> = listing
        .dirs
        .iter()
        .filter(|d| ours(d) && !held.contains(d.as_str()))
        .collect();
    // Deepest first, so a folder is seen after its children were removed.
    empty.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    for d in empty {
        let path = out.join(d);
        let Ok(mut entries) = fs::read_dir(&path) else {
            continue;
        };
        if entries.next().is_none() {
            crate::ground::fs::remove_dir(&path)?;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copied file's stamps are kept for the next build only when its source was saved
    /// more than two seconds before the build began; the copy's stamp is the output's
    /// after the commit.
    #[test]
    fn a_copied_file_is_kept_by_its_stamps_only_once_settled() {
        let dir = tempfile::tempdir().unwrap();
        let (src, out) = (dir.path().join("附件"), dir.path().join("public"));
        fs::create_dir_all(&src).unwrap();
        for name in ["旧.pdf", "新.pdf"] {
            fs::write(src.join(name), "公开").unwrap();
        }
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(src.join("旧.pdf"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        let copy = |name: &str| OutFile {
            path: format!("files/{name}"),
            body: Body::Copy(src.join(name)),
        };
        let mut staging = Staging::begin(&out).unwrap();
        staging.trust_copies(Copies::default(), crate::ground::digest::now());
        staging.add(&[copy("旧.pdf"), copy("新.pdf")]).unwrap();
        let keep = BTreeSet::from(["files/旧.pdf", "files/新.pdf"]);
        let manifest = file(BUILD_MANIFEST, "{}");
        let (_, copies) = staging.commit_copies(&keep, &manifest).unwrap();
        let kept: Vec<&str> = copies.0.keys().map(String::as_str).collect();
        assert_eq!(kept, ["files/旧.pdf"]);
        let (source, copied) = copies.0["files/旧.pdf"];
        let meta = |p: &Path| stamp_of(&fs::metadata(p).unwrap());
        assert_eq!(source, meta(&src.join("旧.pdf")));
        assert_eq!(copied, meta(&out.join("files/旧.pdf")));
    }

    /// A manifest marked unfinished is the manifest with `complete` false and nothing
    /// else changed, a path that reads like the key included; what is not a manifest is
    /// not marked.
    #[test]
    fn a_manifest_is_marked_unfinished_in_its_key_alone() {
        let files = [
            file("新闻/2024/\"complete\": true.html", "通知"),
            file("index.html", "首页"),
        ];
        let mut manifest = BuildManifest::new(3, &files);
        manifest.part = Some("1/4".into());
        let Body::Bytes(bytes) = manifest.file().body else {
            unreachable!()
        };
        let marked: BuildManifest = serde_json::from_slice(&unfinished(&bytes).unwrap()).unwrap();
        manifest.complete = false;
        assert_eq!(
            serde_json::to_value(&marked).unwrap(),
            serde_json::to_value(&manifest).unwrap()
        );
        assert!(unfinished("不是清单".as_bytes()).is_none());
    }

    fn file(path: &str, text: &str) -> OutFile {
        OutFile {
            path: path.to_string(),
            body: Body::Bytes(text.as_bytes().to_vec()),
        }
    }

    fn write_output(out: &Path, files: &[OutFile]) -> Result<WriteStats> {
        let mut staging = Staging::begin(out)?;
        staging.add(files)?;
        let keep: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        staging.commit(&keep, &BuildManifest::new(1, files).file())
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
        assert_eq!((stats.changed, stats.removed), (1, 1));
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

    #[test]
    fn a_folder_becomes_a_file_and_emptied_folders_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = [
            file("通知/index.html", "甲"),
            file("旧栏目/2024/一/index.html", "乙"),
            file("留/index.html", "丙"),
        ];
        write_output(&out, &first).unwrap();
        fs::create_dir_all(out.join(".git/objects")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref").unwrap();
        // `通知` was a folder and is now a file; `旧栏目` has nothing left.
        let second = [file("通知", "新"), file("留/index.html", "丙")];
        let stats = write_output(&out, &second).unwrap();
        assert_eq!(fs::read_to_string(out.join("通知")).unwrap(), "新");
        assert!(!out.join("旧栏目").exists(), "emptied folders go");
        assert!(out.join(".git/HEAD").is_file(), "the user's entries stay");
        assert_eq!(stats.removed, 2);
    }

    /// A link given as the output is named as a link, with where it leads, not as a file.
    #[cfg(unix)]
    #[test]
    fn an_output_that_is_a_link_is_refused_as_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("别处");
        fs::create_dir(&elsewhere).unwrap();
        let link = dir.path().join("输出");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let why = refuse_output(&dir.path().join("站点"), &link, false).unwrap();
        assert!(
            why.starts_with("这个路径是一个链接（快捷方式），不是文件夹"),
            "{why}"
        );
        assert!(why.contains("别处"), "{why}");
        let file = dir.path().join("文件");
        fs::write(&file, "").unwrap();
        let why = refuse_output(&dir.path().join("站点"), &file, false).unwrap();
        assert_eq!(why, "这个路径是一个文件，不是文件夹");
    }
}
