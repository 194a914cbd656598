//! `gongkai deploy`: sends the built output to the web host, only what changed.
//!
//! The target keeps a manifest (`.gongkai-manifest.json`: every file with its SHA-256)
//! that says what it holds; without one, its own listing is read. New and changed files
//! are uploaded in an order that keeps a live site whole (assets, then pages, then the
//! home page, sitemap, feed and search index that link to them); then the manifest is
//! written; only then, with `--delete`, are files removed that the site no longer has. An
//! interrupted deploy leaves the old manifest (or, during deletion, the new one), so the
//! manifest never claims a file that is not there, and running it again finishes the job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use serde::{Deserialize, Serialize};

use crate::config::DeployTarget;
use crate::ground::date::Date;
use crate::ground::fs::{safe_path, sha256_hex};
use crate::output::fingerprint::Stamps;
use crate::output::record::{Missing, Record};
use crate::output::{BUILD_MANIFEST, BuildManifest};

mod folder;
pub mod place;
mod s3;
mod ssh;

use folder::Folder;
use s3::S3;
use ssh::Ssh;

pub const MANIFEST: &str = ".gongkai-manifest.json";

/// `path -> SHA-256 (hex)`, paths `/`-separated and relative to the site's root.
pub type Hashes = BTreeMap<String, String>;

#[derive(Serialize, Deserialize)]
struct Manifest {
    generator: String,
    files: Hashes,
}

pub struct DeployOptions<'a> {
    /// The built output folder.
    pub out: PathBuf,
    pub dry_run: bool,
    pub delete: bool,
    /// Compare with what the target really holds (its listing), not with its manifest,
    /// and send again whatever is missing or differs.
    pub verify: bool,
    /// Told (files uploaded, files to upload) as the upload goes.
    pub progress: &'a dyn Fn(usize, usize),
    /// Publish only the files under this folder of the output, as the target's root (one
    /// member of a portal group, `wb/`, to that member's own target).
    pub under: Option<String>,
    /// The sources as they are now, to hold the build against ([`refuse_stale`]).
    pub now: Current<'a>,
}

/// What a deploy holds the build's record against: the sources as they are now (over the
/// files `keep` admits) and today.
pub struct Current<'a> {
    pub sources: Stamps,
    pub keep: &'a dyn Fn(&str) -> bool,
    pub today: Date,
}

/// What a deploy sends and removes.
#[derive(Debug, Default)]
pub struct Plan {
    /// In upload order.
    pub upload: Vec<String>,
    pub upload_bytes: u64,
    pub delete: Vec<String>,
    pub unchanged: usize,
    /// Whether the target had a manifest (else its listing was compared).
    pub had_manifest: bool,
    /// With `verify`: files the manifest claims that the target did not hold, and files
    /// it held with other contents (both are sent again).
    pub missing: usize,
    pub differing: usize,
    /// Files an earlier deploy uploaded that the site no longer has, with their hashes:
    /// without `--delete` they stay on the target and in its manifest, so that a later
    /// `--delete` still knows they are gongkai's to remove.
    pub stale: Hashes,
    /// Stale files kept even with `--delete`, each with why: the build lacks them only
    /// because it could not make them (a PDF without a font) or did not update their
    /// member (see [`Record::keep_on_target`]).
    pub kept: Vec<Missing>,
    /// The target's manifest as it was read, to leave it alone when nothing changes.
    last: Option<Hashes>,
}

/// What a target's listing says of one of its files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remote {
    /// SHA-256 (hex), where the target computes it (a folder, an SSH server).
    pub hash: Option<String>,
    /// Size in bytes, where the target says it (object storage).
    pub size: Option<u64>,
}

impl Remote {
    /// Whether the remote file is the local one with this hash and size, as far as the
    /// listing can tell.
    fn matches(&self, hash: &str, size: u64) -> bool {
        match (&self.hash, self.size) {
            (Some(h), _) => h == hash,
            (None, Some(s)) => s == size,
            (None, None) => false,
        }
    }
}

/// A place a site is published to.
pub trait Target {
    /// The target's manifest, if it has one.
    fn manifest(&mut self) -> Result<Option<Vec<u8>>>;
    /// The files the target holds, with their hashes or sizes where it can tell them
    /// cheaply.
    fn list(&mut self) -> Result<BTreeMap<String, Remote>>;
    /// Uploads files (relative paths under `out`), in the order given.
    fn put(&mut self, out: &Path, files: &[String], done: &dyn Fn(usize)) -> Result<()>;
    /// Writes the manifest, replacing the old one in one step.
    fn put_manifest(&mut self, bytes: &[u8]) -> Result<()>;
    fn delete(&mut self, files: &[String]) -> Result<()>;
}

/// Every file the last build wrote into `out` (its [`BuildManifest`]) under the folder
/// `prefix` (`wb/`, one member of a group; empty for all), with its hash, by its path
/// under that folder. Only those are published: nothing else that lands in the folder (a
/// `.git`, an `.env`, the site's sources when `--out` names the site) ever goes out, and
/// never a dot file.
pub fn local_files(out: &Path, prefix: &str) -> Result<Hashes> {
    let Some(built) = BuildManifest::load(out) else {
        return Err(anyhow!(
            "{} 不是 gongkai 生成的输出文件夹（里面没有 {BUILD_MANIFEST}）。先运行 `gongkai build`，再发布它生成的文件夹。",
            out.display()
        ));
    };
    if !built.complete {
        bail!(
            "{} 中上次的构建没有完成（被中断了），里面新旧文件混在一起。重新运行 `gongkai build`，完成后再发布。",
            out.display()
        );
    }
    if let Some(part) = &built.part {
        bail!(
            "{} 是分片构建（--shard {part}）的输出，只有一部分成员的网站，不能发布。先用 `gongkai build --merge 各分片的输出文件夹` 合并成完整的网站，再发布合并后的文件夹。",
            out.display()
        );
    }
    use rayon::prelude::*;
    built
        .files
        .par_iter()
        .filter(|rel| safe_path(rel) && !rel.split('/').any(|s| s.starts_with('.')))
        .filter_map(|rel| Some((rel, rel.strip_prefix(prefix)?)))
        .map(|(rel, under)| {
            let path = out.join(rel);
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_file() => {}
                _ => {
                    return Err(anyhow!(
                        "输出文件夹 {} 不完整：缺少 {rel}（或它不是普通文件）。重新运行 `gongkai build` 后再发布。",
                        out.display()
                    ));
                }
            }
            let bytes =
                crate::ground::fs::read(&path)?;
            Ok((under.to_string(), sha256_hex(&bytes)))
        })
        .collect()
}

/// Refuses to publish the build in `out` unless it passed the gate and is up to date: a
/// build that passed leaves its record beside the output ([`Record`]); the sources must
/// still be those it was built from (`now`, over the files `keep` admits: a group member
/// is judged by its own folder and the group's files), it must not have been built for a
/// later day than `today`, and nothing it held back (定时发布) may have come due since.
pub fn refuse_stale(
    out: &Path,
    now: &Stamps,
    keep: &dyn Fn(&str) -> bool,
    today: Date,
) -> Result<Record> {
    let fix = "先运行 `gongkai build`，构建成功后再发布；或者用 `gongkai deploy --build` 一步完成（构建没有通过发布前检查就不会上传）。";
    let Some(record) = Record::load(out) else {
        bail!(
            "{} 没有通过发布前检查的构建记录（{} 不在）：它不是这一版 gongkai 的 `gongkai build` 成功生成的。{fix}",
            out.display(),
            Record::path(out).display()
        );
    };
    let changes = record.changes(now, keep);
    if !changes.is_empty() {
        bail!(
            "上次构建之后源文件有改动（{}），{} 里还是改动之前的网站，发布它会把旧内容留在网上。{fix}",
            changes.describe(5),
            out.display()
        );
    }
    let day = |d: Date| (d.year, d.month, d.day);
    if day(record.as_of) > day(today) {
        bail!(
            "上次构建是按 {} 生成的（--as-of），晚于今天 {}：定时发布的内容会提前上线。按今天重新构建（不写 --as-of）后再发布。",
            record.as_of.ymd(),
            today.ymd()
        );
    }
    if let Some(due) = record.next_due.filter(|d| day(*d) <= day(today)) {
        bail!(
            "有定时发布的内容 {} 起应当发布，而上次构建是按 {} 生成的，还没有包括它。{fix}",
            due.ymd(),
            record.as_of.ymd()
        );
    }
    Ok(record)
}

/// Every file under a target folder with its hash and size (dot entries left out).
pub(super) fn folder_files(dir: &Path) -> Result<BTreeMap<String, Remote>> {
    let mut files = BTreeMap::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for e in walker {
        let e = e.map_err(|e| anyhow!("无法读取发布目标 {}：{e}", dir.display()))?;
        if !e.file_type().is_file() {
            continue;
        }
        let rel = crate::ground::diagnostics::rel_path(dir, e.path());
        let bytes = crate::ground::fs::read(e.path())?;
        let remote = Remote {
            hash: Some(sha256_hex(&bytes)),
            size: Some(bytes.len() as u64),
        };
        files.insert(rel, remote);
    }
    Ok(files)
}

/// Upload order: what pages link to first, then pages, then the entry points.
pub(super) fn upload_order(path: &str) -> u8 {
    let entry = matches!(
        path,
        "index.html" | "sitemap.xml" | "atom.xml" | "robots.txt"
    ) || path.starts_with("search/")
        || path.starts_with("sitemap/");
    if entry {
        2
    } else if path.ends_with(".html") {
        1
    } else {
        0
    }
}

/// Compares the output with what the target holds: by default with the target's
/// manifest (one small file to read), with `verify` or when there is no manifest with
/// its listing.
///
/// With `delete`, the files to remove are those the target's manifest records as
/// uploaded by an earlier deploy and the site no longer has: a file gongkai never put
/// there is never removed, and without a manifest nothing is.
///
/// A stale file under one of `keep` (paths, or folders ending in `/`) stays on the target
/// even with `delete`: the build lacks it for a reason of its own, not because the site
/// dropped it.
pub fn plan(
    local: &Hashes,
    target: &mut dyn Target,
    out: &Path,
    (delete, verify): (bool, bool),
    keep: &[Missing],
) -> Result<Plan> {
    let manifest = match target.manifest()? {
        Some(bytes) => serde_json::from_slice::<Manifest>(&bytes)
            .ok()
            .map(|m| m.files),
        None => None,
    };
    let listing = if verify || manifest.is_none() {
        Some(target.list()?)
    } else {
        None
    };
    let mut p = Plan {
        had_manifest: manifest.is_some(),
        ..Plan::default()
    };
    for (path, hash) in local {
        let size = std::fs::metadata(out.join(path)).map_or(0, |m| m.len());
        let same = match (&listing, &manifest) {
            (Some(l), m) => {
                let here = l.get(path).is_some_and(|r| r.matches(hash, size));
                let claimed = m.as_ref().is_some_and(|m| m.get(path) == Some(hash));
                if claimed && !here {
                    if l.contains_key(path) {
                        p.differing += 1;
                    } else {
                        p.missing += 1;
                    }
                }
                here
            }
            (None, Some(m)) => m.get(path) == Some(hash),
            (None, None) => false,
        };
        if same {
            p.unchanged += 1;
        } else {
            p.upload_bytes += size;
            p.upload.push(path.clone());
        }
    }
    p.upload
        .sort_by(|a, b| upload_order(a).cmp(&upload_order(b)).then_with(|| a.cmp(b)));
    if let Some(m) = &manifest {
        p.stale = m
            .iter()
            .filter(|(k, _)| !local.contains_key(*k) && k.as_str() != MANIFEST && safe_path(k))
            // A stale file the listing shows gone needs no deleting or claiming.
            .filter(|(k, _)| listing.as_ref().is_none_or(|l| l.contains_key(*k)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
    }
    let why = |f: &str| {
        keep.iter()
            .find(|k| f == k.path || (k.path.ends_with('/') && f.starts_with(k.path.as_str())))
    };
    for f in p.stale.keys() {
        match why(f) {
            Some(k) => p.kept.push(Missing {
                path: f.clone(),
                why: k.why.clone(),
            }),
            None if delete => p.delete.push(f.clone()),
            None => {}
        }
    }
    p.last = manifest;
    Ok(p)
}

/// Runs a deploy: plans, prints, and (unless a dry run) uploads, writes the manifest and
/// deletes.
pub fn run(target: &mut dyn Target, opts: &DeployOptions) -> Result<Plan> {
    let prefix = opts
        .under
        .as_ref()
        .map(|u| format!("{}/", u.trim_end_matches('/')))
        .unwrap_or_default();
    let local = local_files(&opts.out, &prefix)?;
    let now = &opts.now;
    let record = refuse_stale(&opts.out, &now.sources, now.keep, now.today)?;
    let mut keep = record.keep_on_target();
    if let Some(under) = &opts.under {
        if let Some(n) = record.not_updated.iter().find(|n| n.slug == *under) {
            bail!(
                "成员 {}（{}）这次构建没有更新（{}），{} 里不是它现在的网站，没有发布。{}",
                n.name,
                n.slug,
                if n.errors > 0 {
                    format!("{} 个错误，第一个：{}", n.errors, n.first_error)
                } else {
                    "构建时用 --member 指定了别的成员".to_string()
                },
                opts.out.display(),
                "修正后重新运行 `gongkai build`（可以只构建它：`gongkai build --member 成员代码`），成功后再发布。"
            );
        }
        keep = keep
            .into_iter()
            .filter_map(|k| {
                Some(Missing {
                    path: k.path.strip_prefix(&prefix)?.to_string(),
                    why: k.why,
                })
            })
            .collect();
    }
    let out = opts.out.join(&prefix);
    if local.is_empty() {
        return Err(anyhow!(
            "输出文件夹 {} 是空的，请先运行 `gongkai build`。",
            out.display()
        ));
    }
    let p = plan(&local, target, &out, (opts.delete, opts.verify), &keep)?;
    if opts.dry_run {
        return Ok(p);
    }
    let total = p.upload.len();
    target.put(&out, &p.upload, &|n| (opts.progress)(n, total))?;
    // The manifest claims what is there: the site, and the stale files until they are
    // deleted. An interrupted deletion leaves them claimed, so a rerun removes them.
    let mut files = local;
    files.extend(p.stale.iter().map(|(k, v)| (k.clone(), v.clone())));
    if p.upload.is_empty() && p.delete.is_empty() && p.last.as_ref() == Some(&files) {
        // Nothing changed: the target's manifest already says so, and is left alone.
        return Ok(p);
    }
    target.put_manifest(&manifest_bytes(&files))?;
    if !p.delete.is_empty() {
        target.delete(&p.delete)?;
        for f in &p.delete {
            files.remove(f);
        }
        target.put_manifest(&manifest_bytes(&files))?;
    }
    Ok(p)
}

fn manifest_bytes(files: &Hashes) -> Vec<u8> {
    let manifest = Manifest {
        generator: concat!("gongkai ", env!("CARGO_PKG_VERSION")).into(),
        files: files.clone(),
    };
    serde_json::to_vec_pretty(&manifest).unwrap_or_default()
}

/// The target to publish to: the one named, or the only one site.toml declares.
pub fn choose<'a>(
    config: &'a crate::config::Config,
    name: Option<&str>,
) -> Result<(String, &'a DeployTarget)> {
    choose_from(&config.deploy, name, crate::config::CONFIG_FILE)
}

/// The target to publish to among `targets`, declared in `file`.
pub fn choose_from<'a>(
    targets: &'a BTreeMap<String, DeployTarget>,
    name: Option<&str>,
    file: &str,
) -> Result<(String, &'a DeployTarget)> {
    let names: Vec<&str> = targets.keys().map(String::as_str).collect();
    match name {
        Some(n) => {
            let t = targets.get(n).ok_or_else(|| {
                anyhow!(
                    "{file} 中没有发布目标 [deploy.{n}]。已有的：{}。",
                    if names.is_empty() {
                        "（无）".to_string()
                    } else {
                        names.join("、")
                    }
                )
            })?;
            Ok((n.to_string(), t))
        }
        None => match names.as_slice() {
            [only] => Ok((only.to_string(), &targets[*only])),
            [] => bail!(
                "{file} 中没有发布目标。添加例如：\n[deploy.web]\nkind = \"folder\"\npath = \"/var/www/html\""
            ),
            _ => bail!(
                "{file} 中有多个发布目标，请指明一个：gongkai deploy {}",
                names.join(" 或 ")
            ),
        },
    }
}

/// The target named in site.toml, for publishing the output folder `out` of the site at
/// `root`.
pub fn open(name: &str, t: &DeployTarget, root: &Path, out: &Path) -> Result<Box<dyn Target>> {
    Ok(match t {
        DeployTarget::Folder { path } => Box::new(Folder {
            root: folder_target(name, path, root, out)?,
        }),
        DeployTarget::Ssh {
            host,
            user,
            port,
            path,
        } => Box::new(Ssh {
            dest: match user {
                Some(u) => format!("{u}@{host}"),
                None => host.clone(),
            },
            port: *port,
            path: path.trim_end_matches('/').to_string(),
        }),
        DeployTarget::S3 {
            bucket,
            endpoint,
            region,
            prefix,
            virtual_host,
        } => Box::new(S3::new(
            name,
            bucket,
            endpoint,
            region,
            prefix,
            *virtual_host,
        )?),
    })
}

/// The folder of a `kind = "folder"` target: `~` is the user's home, a relative path is
/// relative to the site. A folder that holds the site or its output, or lies inside
/// either, is refused: publishing there would overwrite or (with `--delete`) remove the
/// sources, or nest a copy of the site in itself on every deploy.
fn folder_target(name: &str, path: &str, root: &Path, out: &Path) -> Result<PathBuf> {
    let dest = folder_path(name, path, root)?;
    let (d, r, o) = (
        crate::ground::fs::absolute(&dest),
        crate::ground::fs::absolute(root),
        crate::ground::fs::absolute(out),
    );
    let clash = if r.starts_with(&d) || d.starts_with(&r) {
        Some("网站文件夹")
    } else if o.starts_with(&d) || d.starts_with(&o) {
        Some("输出文件夹")
    } else {
        None
    };
    match clash {
        Some(what) => Err(anyhow!(
            "[deploy.{name}] 的 path（{}）与{what}重叠：发布到这里会覆盖或删除网站自己的文件，已拒绝。请把 path 改成网站文件夹之外的网站根目录，例如 /var/www/html。",
            d.display()
        )),
        None => Ok(dest),
    }
}

/// The folder a `kind = "folder"` target names: `~` is the user's home, a relative path
/// is relative to the site at `root`.
fn folder_path(name: &str, path: &str, root: &Path) -> Result<PathBuf> {
    // "D:\new" in double quotes is TOML for a line break after "D:".
    if path.chars().any(char::is_control) {
        bail!(
            "site.toml 中 [deploy.{name}] 的 path 含有换行或制表符：Windows 路径写在双引号里时，反斜杠被当作转义符（如 \\n 成了换行）。请改用单引号，例如 path = 'D:\\网站\\发布' 或 path = '\\\\服务器\\共享\\网站'，或把反斜杠写成 /。"
        );
    }
    let home = || {
        std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from)
    };
    let dest = match path.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => home()
            .ok_or_else(|| {
                anyhow!("[deploy.{name}] 的 path 以 ~ 开头，但找不到当前用户的主文件夹")
            })?
            .join(rest.trim_start_matches(['/', '\\'])),
        _ => root.join(path),
    };
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_points_go_last_and_assets_first() {
        let mut v = vec![
            "index.html",
            "news/a/index.html",
            "assets/gongkai.css",
            "sitemap.xml",
            "search/docs.json",
        ];
        v.sort_by(|a, b| upload_order(a).cmp(&upload_order(b)).then_with(|| a.cmp(b)));
        assert_eq!(
            v,
            [
                "assets/gongkai.css",
                "news/a/index.html",
                "index.html",
                "search/docs.json",
                "sitemap.xml"
            ]
        );
    }

    #[test]
    fn a_listing_compares_by_hash_else_by_size() {
        let by_hash = Remote {
            hash: Some("ab".into()),
            size: Some(3),
        };
        assert!(
            by_hash.matches("ab", 999),
            "the hash decides when there is one"
        );
        assert!(!by_hash.matches("cd", 3));
        let by_size = Remote {
            hash: None,
            size: Some(3),
        };
        assert!(by_size.matches("anything", 3));
        assert!(!by_size.matches("anything", 4));
        assert!(
            !Remote::default().matches("ab", 3),
            "unknown means send again"
        );
    }

    #[test]
    fn nothing_outside_the_site_is_ever_deleted() {
        assert!(safe_path("news/签证/index.html"));
        for p in ["../x", "/etc/passwd", "a/../../b", "", "a//b", "a\\b"] {
            assert!(!safe_path(p), "{p}");
        }
    }
}
