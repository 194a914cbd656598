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
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::DeployTarget;
use crate::output::{BUILD_MANIFEST, BuildManifest};

pub const MANIFEST: &str = ".gongkai-manifest.json";

/// `path -> SHA-256 (hex)`, paths `/`-separated and relative to the site's root.
pub type Hashes = BTreeMap<String, String>;

#[derive(Serialize, Deserialize)]
struct Manifest {
    generator: String,
    files: Hashes,
}

pub struct DeployOptions {
    /// The built output folder.
    pub out: PathBuf,
    pub dry_run: bool,
    pub delete: bool,
    /// Show a progress counter (on a terminal).
    pub progress: bool,
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
    /// Files an earlier deploy uploaded that the site no longer has, with their hashes:
    /// without `--delete` they stay on the target and in its manifest, so that a later
    /// `--delete` still knows they are gongkai's to remove.
    pub stale: Hashes,
}

/// A place a site is published to.
pub trait Target {
    /// The target's manifest, if it has one.
    fn manifest(&mut self) -> Result<Option<Vec<u8>>, String>;
    /// The files the target holds, with their hashes where it can tell them cheaply.
    fn list(&mut self) -> Result<BTreeMap<String, Option<String>>, String>;
    /// Uploads files (relative paths under `out`), in the order given.
    fn put(&mut self, out: &Path, files: &[String], done: &dyn Fn(usize)) -> Result<(), String>;
    /// Writes the manifest, replacing the old one in one step.
    fn put_manifest(&mut self, bytes: &[u8]) -> Result<(), String>;
    fn delete(&mut self, files: &[String]) -> Result<(), String>;
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file the last build wrote into `out` (its [`BuildManifest`]), with its hash.
/// Only those are published: nothing else that lands in the folder (a `.git`, an `.env`,
/// the site's sources when `--out` names the site) ever goes out, and never a dot file.
pub fn local_files(out: &Path) -> Result<Hashes, String> {
    let Some(built) = BuildManifest::load(out) else {
        return Err(format!(
            "{} 不是 gongkai 生成的输出文件夹（里面没有 {BUILD_MANIFEST}）。先运行 `gongkai build`，再发布它生成的文件夹。",
            out.display()
        ));
    };
    let mut files = Hashes::new();
    for rel in built.files {
        if !safe_path(&rel) || rel.split('/').any(|s| s.starts_with('.')) {
            continue;
        }
        let path = out.join(&rel);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => {}
            _ => {
                return Err(format!(
                    "输出文件夹 {} 不完整：缺少 {rel}（或它不是普通文件）。重新运行 `gongkai build` 后再发布。",
                    out.display()
                ));
            }
        }
        let bytes =
            std::fs::read(&path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
        files.insert(rel, sha256_hex(&bytes));
    }
    Ok(files)
}

/// Every file under a target folder with its hash (dot entries and the manifest left
/// out): what a folder target holds when it has no manifest.
fn folder_files(dir: &Path) -> Result<Hashes, String> {
    let mut files = Hashes::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for e in walker {
        let e = e.map_err(|e| format!("无法读取发布目标 {}：{e}", dir.display()))?;
        if !e.file_type().is_file() {
            continue;
        }
        let rel = crate::diagnostics::rel_path(dir, e.path());
        let bytes = std::fs::read(e.path())
            .map_err(|err| format!("无法读取 {}：{err}", e.path().display()))?;
        files.insert(rel, sha256_hex(&bytes));
    }
    Ok(files)
}

/// Upload order: what pages link to first, then pages, then the entry points.
fn stage(path: &str) -> u8 {
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

/// Compares the output with what the target holds.
///
/// With `delete`, the files to remove are those the target's manifest records as
/// uploaded by an earlier deploy and the site no longer has: a file gongkai never put
/// there is never removed, and without a manifest nothing is.
pub fn plan(
    local: &Hashes,
    target: &mut dyn Target,
    out: &Path,
    delete: bool,
) -> Result<Plan, String> {
    let manifest = match target.manifest()? {
        Some(bytes) => serde_json::from_slice::<Manifest>(&bytes)
            .ok()
            .map(|m| m.files),
        None => None,
    };
    let remote: BTreeMap<String, Option<String>> = match &manifest {
        Some(m) => m
            .iter()
            .map(|(k, v)| (k.clone(), Some(v.clone())))
            .collect(),
        None => target.list()?,
    };
    let mut p = Plan {
        had_manifest: manifest.is_some(),
        ..Plan::default()
    };
    for (path, hash) in local {
        if remote.get(path).and_then(|h| h.as_ref()) == Some(hash) {
            p.unchanged += 1;
        } else {
            p.upload_bytes += std::fs::metadata(out.join(path))
                .map(|m| m.len())
                .unwrap_or(0);
            p.upload.push(path.clone());
        }
    }
    p.upload
        .sort_by(|a, b| stage(a).cmp(&stage(b)).then_with(|| a.cmp(b)));
    if let Some(m) = manifest {
        p.stale = m
            .into_iter()
            .filter(|(k, _)| !local.contains_key(k) && k.as_str() != MANIFEST && safe_path(k))
            .collect();
    }
    if delete {
        p.delete = p.stale.keys().cloned().collect();
    }
    Ok(p)
}

/// A relative path that stays inside the site's folder or prefix.
fn safe_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && p.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

/// Runs a deploy: plans, prints, and (unless a dry run) uploads, writes the manifest and
/// deletes.
pub fn run(target: &mut dyn Target, opts: &DeployOptions) -> Result<Plan, String> {
    let local = local_files(&opts.out)?;
    if local.is_empty() {
        return Err(format!(
            "输出文件夹 {} 是空的，请先运行 `gongkai build`。",
            opts.out.display()
        ));
    }
    let p = plan(&local, target, &opts.out, opts.delete)?;
    if opts.dry_run {
        return Ok(p);
    }
    let total = p.upload.len();
    let progress = opts.progress;
    target.put(&opts.out, &p.upload, &|n| {
        if progress {
            eprint!("\r上传 {n}/{total}");
            let _ = std::io::stderr().flush();
        }
    })?;
    if progress && total > 0 {
        eprintln!();
    }
    // The manifest claims what is there: the site, and the stale files until they are
    // deleted. An interrupted deletion leaves them claimed, so a rerun removes them.
    let mut files = local;
    files.extend(p.stale.iter().map(|(k, v)| (k.clone(), v.clone())));
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

/// `gongkai deploy [NAME]`: reads site.toml, opens the target, runs, prints the summary.
pub fn cli(
    root: &Path,
    name: Option<&str>,
    out: Option<PathBuf>,
    dry_run: bool,
    delete: bool,
) -> Result<(), String> {
    let mut diags = crate::diagnostics::Diagnostics::new();
    let Some(config) = crate::config::Config::load(root, &mut diags) else {
        let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        return Err(text.join("\n"));
    };
    let names: Vec<&String> = config.deploy.keys().collect();
    let (name, target) = match name {
        Some(n) => (
            n.to_string(),
            config.deploy.get(n).ok_or_else(|| {
                format!(
                    "site.toml 中没有发布目标 [deploy.{n}]。已有的：{}。",
                    if names.is_empty() { "（无）".to_string() } else { names.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("、") }
                )
            })?,
        ),
        None => match names.as_slice() {
            [only] => ((*only).clone(), &config.deploy[*only]),
            [] => return Err("site.toml 中没有发布目标。添加例如：\n[deploy.web]\nkind = \"folder\"\npath = \"/var/www/html\"".into()),
            _ => {
                return Err(format!(
                    "site.toml 中有多个发布目标，请指明一个：gongkai deploy {}",
                    names.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" 或 ")
                ));
            }
        },
    };
    let out = out.unwrap_or_else(|| root.join("public"));
    let mut t = open(&name, target, root, &out)?;
    let opts = DeployOptions {
        out,
        dry_run,
        delete,
        progress: crate::build::stderr_is_terminal() && !dry_run,
    };
    let p = run(t.as_mut(), &opts)?;
    if delete && !p.had_manifest {
        eprintln!(
            "目标上没有以前发布留下的清单，--delete 没有删除任何文件：它只删除 gongkai 以前上传、而网站现在已经没有的文件。"
        );
    }
    let verb = if dry_run { "将要" } else { "已" };
    for f in p.upload.iter().take(if dry_run { usize::MAX } else { 0 }) {
        eprintln!("  上传 {f}");
    }
    for f in p.delete.iter().take(if dry_run { usize::MAX } else { 0 }) {
        eprintln!("  删除 {f}");
    }
    eprintln!(
        "{}发布到 {name}：{verb}上传 {} 个文件（{}），{verb}删除 {} 个文件，{} 个文件没有变化{}。",
        if dry_run {
            "试运行，没有做任何改动。"
        } else {
            ""
        },
        p.upload.len(),
        crate::content::size_text(p.upload_bytes),
        p.delete.len(),
        p.unchanged,
        if p.had_manifest {
            ""
        } else {
            "（目标上还没有清单，按目标上现有的文件比较）"
        }
    );
    Ok(())
}

/// The target named in site.toml, for publishing the output folder `out` of the site at
/// `root`.
pub fn open(
    name: &str,
    t: &DeployTarget,
    root: &Path,
    out: &Path,
) -> Result<Box<dyn Target>, String> {
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
fn folder_target(name: &str, path: &str, root: &Path, out: &Path) -> Result<PathBuf, String> {
    let home = || {
        std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from)
    };
    let dest = match path.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => home()
            .ok_or_else(|| {
                format!("[deploy.{name}] 的 path 以 ~ 开头，但找不到当前用户的主文件夹")
            })?
            .join(rest.trim_start_matches(['/', '\\'])),
        _ => root.join(path),
    };
    let (d, r, o) = (
        crate::fs::absolute(&dest),
        crate::fs::absolute(root),
        crate::fs::absolute(out),
    );
    let clash = if r.starts_with(&d) || d.starts_with(&r) {
        Some("网站文件夹")
    } else if o.starts_with(&d) || d.starts_with(&o) {
        Some("输出文件夹")
    } else {
        None
    };
    match clash {
        Some(what) => Err(format!(
            "[deploy.{name}] 的 path（{}）与{what}重叠：发布到这里会覆盖或删除网站自己的文件，已拒绝。请把 path 改成网站文件夹之外的网站根目录，例如 /var/www/html。",
            d.display()
        )),
        None => Ok(dest),
    }
}

/// A folder: a mounted share or a local web root.
pub struct Folder {
    pub root: PathBuf,
}

impl Folder {
    /// Refuses, before anything is written or deleted, files whose folder inside the
    /// target is a symbolic link: through it a deploy would write or delete outside the
    /// target (a `news` linked to `/etc`, say). The target folder itself may be a link.
    fn no_links(&self, files: &[String]) -> Result<(), String> {
        for f in files {
            let mut p = self.root.clone();
            let segments: Vec<&str> = f.split('/').collect();
            for seg in &segments[..segments.len().saturating_sub(1)] {
                p.push(seg);
                match std::fs::symlink_metadata(&p) {
                    Ok(m) if m.file_type().is_symlink() => {
                        let to = std::fs::read_link(&p)
                            .map(|t| format!("（指向 {}）", t.display()))
                            .unwrap_or_default();
                        return Err(format!(
                            "发布目标中的 {} 是符号链接{to}：通过它写入或删除会改动发布目标之外的文件，已拒绝。请删除这个链接（在它的位置放真实的文件夹），或把 path 改为别的文件夹。",
                            p.display()
                        ));
                    }
                    Ok(_) => {}
                    // Not there yet: nothing below it can be a link.
                    Err(_) => break,
                }
            }
        }
        Ok(())
    }
}

impl Target for Folder {
    fn manifest(&mut self) -> Result<Option<Vec<u8>>, String> {
        Ok(std::fs::read(self.root.join(MANIFEST)).ok())
    }

    fn list(&mut self) -> Result<BTreeMap<String, Option<String>>, String> {
        if !self.root.exists() {
            return Ok(BTreeMap::new());
        }
        Ok(folder_files(&self.root)?
            .into_iter()
            .map(|(k, v)| (k, Some(v)))
            .collect())
    }

    fn put(&mut self, out: &Path, files: &[String], done: &dyn Fn(usize)) -> Result<(), String> {
        self.no_links(files)?;
        for (i, f) in files.iter().enumerate() {
            let dest = self.root.join(f);
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("无法创建 {}：{e}", dir.display()))?;
            }
            let tmp = dest.with_extension("gongkai-tmp");
            // A leftover of that name, link or not, goes: copying onto a link writes
            // wherever it points.
            let _ = std::fs::remove_file(&tmp);
            std::fs::copy(out.join(f), &tmp)
                .and_then(|_| std::fs::rename(&tmp, &dest))
                .map_err(|e| format!("无法写入 {}：{e}", dest.display()))?;
            done(i + 1);
        }
        Ok(())
    }

    fn put_manifest(&mut self, bytes: &[u8]) -> Result<(), String> {
        std::fs::create_dir_all(&self.root).map_err(|e| e.to_string())?;
        let tmp = self.root.join(format!("{MANIFEST}.tmp"));
        let _ = std::fs::remove_file(&tmp);
        std::fs::write(&tmp, bytes)
            .and_then(|_| std::fs::rename(&tmp, self.root.join(MANIFEST)))
            .map_err(|e| format!("无法写入清单：{e}"))
    }

    fn delete(&mut self, files: &[String]) -> Result<(), String> {
        self.no_links(files)?;
        for f in files {
            let p = self.root.join(f);
            std::fs::remove_file(&p).map_err(|e| format!("无法删除 {}：{e}", p.display()))?;
            let mut dir = p.parent();
            while let Some(d) = dir {
                if d == self.root || std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        Ok(())
    }
}

/// A server over SSH, with the system's `ssh` (and `rsync` when both ends have it, else
/// `sftp`). Keys and host checking are ssh's own business: its configuration and agent,
/// or the command in `GONGKAI_SSH` (like git's `GIT_SSH_COMMAND`).
pub struct Ssh {
    pub dest: String,
    pub port: Option<u16>,
    pub path: String,
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Ssh {
    fn ssh_command(&self) -> Vec<String> {
        let mut c: Vec<String> = std::env::var("GONGKAI_SSH")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.split_whitespace().map(str::to_string).collect())
            .unwrap_or_else(|| vec!["ssh".into()]);
        c.extend(["-o".into(), "BatchMode=yes".into()]);
        if let Some(p) = self.port {
            c.extend(["-p".into(), p.to_string()]);
        }
        c
    }

    fn run(&self, remote: &str, input: Option<&[u8]>) -> Result<Vec<u8>, String> {
        let c = self.ssh_command();
        let mut child = Command::new(&c[0])
            .args(&c[1..])
            .arg(&self.dest)
            .arg(remote)
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("无法运行 ssh：{e}（需要安装 OpenSSH 客户端）"))?;
        if let (Some(data), Some(mut stdin)) = (input, child.stdin.take()) {
            stdin.write_all(data).map_err(|e| e.to_string())?;
        }
        let o = child.wait_with_output().map_err(|e| e.to_string())?;
        if !o.status.success() {
            return Err(format!(
                "在 {} 上执行命令失败：{}",
                self.dest,
                String::from_utf8_lossy(&o.stderr).trim()
            ));
        }
        Ok(o.stdout)
    }

    fn has_rsync(&self) -> bool {
        Command::new("rsync")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
            && self
                .run("command -v rsync", None)
                .is_ok_and(|o| !o.is_empty())
    }
}

impl Target for Ssh {
    fn manifest(&mut self) -> Result<Option<Vec<u8>>, String> {
        let o = self.run(
            &format!(
                "cat {} 2>/dev/null || true",
                quote(&format!("{}/{MANIFEST}", self.path))
            ),
            None,
        )?;
        Ok((!o.is_empty()).then_some(o))
    }

    fn list(&mut self) -> Result<BTreeMap<String, Option<String>>, String> {
        let o = self.run(
            &format!(
                "cd {} 2>/dev/null && find . -type f -exec sha256sum {{}} + || true",
                quote(&self.path)
            ),
            None,
        )?;
        Ok(String::from_utf8_lossy(&o)
            .lines()
            .filter_map(|l| l.split_once("  "))
            .map(|(h, p)| (p.trim_start_matches("./").to_string(), Some(h.to_string())))
            .collect())
    }

    fn put(&mut self, out: &Path, files: &[String], done: &dyn Fn(usize)) -> Result<(), String> {
        if files.is_empty() {
            return Ok(());
        }
        self.run(&format!("mkdir -p {}", quote(&self.path)), None)?;
        let rsync = self.has_rsync();
        // One transfer per stage, in order, so that a page's links exist before it does.
        let mut sent = 0;
        for s in 0..=2u8 {
            let group: Vec<&String> = files.iter().filter(|f| stage(f) == s).collect();
            if group.is_empty() {
                continue;
            }
            if rsync {
                let list: String = group.iter().map(|f| format!("{f}\n")).collect();
                let mut child = Command::new("rsync")
                    .args(["-rt", "--files-from=-", "-e"])
                    .arg(self.ssh_command().join(" "))
                    .arg(format!("{}/", out.display()))
                    .arg(format!("{}:{}/", self.dest, self.path))
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .map_err(|e| format!("无法运行 rsync：{e}"))?;
                if let Some(mut i) = child.stdin.take() {
                    i.write_all(list.as_bytes()).map_err(|e| e.to_string())?;
                }
                let o = child.wait_with_output().map_err(|e| e.to_string())?;
                if !o.status.success() {
                    return Err(format!(
                        "rsync 上传失败：{}",
                        String::from_utf8_lossy(&o.stderr).trim()
                    ));
                }
            } else {
                let mut batch = String::new();
                let mut dirs: Vec<String> = group
                    .iter()
                    .filter_map(|f| f.rsplit_once('/').map(|(d, _)| d.to_string()))
                    .collect();
                dirs.sort();
                dirs.dedup();
                for d in &dirs {
                    let mut acc = String::new();
                    for part in d.split('/') {
                        acc = if acc.is_empty() {
                            part.to_string()
                        } else {
                            format!("{acc}/{part}")
                        };
                        batch.push_str(&format!("-mkdir \"{}/{acc}\"\n", self.path));
                    }
                }
                for f in &group {
                    batch.push_str(&format!(
                        "put \"{}\" \"{}/{f}\"\n",
                        out.join(f).display(),
                        self.path
                    ));
                }
                let c = self.ssh_command();
                let mut args: Vec<String> =
                    vec!["-b".into(), "-".into(), "-S".into(), c[0].clone()];
                if let Some(p) = self.port {
                    args.extend(["-P".into(), p.to_string()]);
                }
                for opt in c[1..].windows(2).filter(|w| w[0] == "-o" || w[0] == "-i") {
                    args.extend([opt[0].clone(), opt[1].clone()]);
                }
                let mut child = Command::new("sftp")
                    .args(&args)
                    .arg(&self.dest)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .map_err(|e| format!("无法运行 sftp：{e}"))?;
                if let Some(mut i) = child.stdin.take() {
                    i.write_all(batch.as_bytes()).map_err(|e| e.to_string())?;
                }
                let o = child.wait_with_output().map_err(|e| e.to_string())?;
                if !o.status.success() {
                    return Err(format!(
                        "sftp 上传失败：{}",
                        String::from_utf8_lossy(&o.stderr).trim()
                    ));
                }
            }
            sent += group.len();
            done(sent);
        }
        Ok(())
    }

    fn put_manifest(&mut self, bytes: &[u8]) -> Result<(), String> {
        let target = format!("{}/{MANIFEST}", self.path);
        self.run(
            &format!("cat > {t}.tmp && mv {t}.tmp {t}", t = quote(&target)),
            Some(bytes),
        )?;
        Ok(())
    }

    fn delete(&mut self, files: &[String]) -> Result<(), String> {
        for chunk in files.chunks(200) {
            let args: Vec<String> = chunk.iter().map(|f| quote(f)).collect();
            self.run(
                &format!("cd {} && rm -f -- {}", quote(&self.path), args.join(" ")),
                None,
            )?;
        }
        Ok(())
    }
}

/// S3-compatible object storage (阿里云 OSS, 华为云 OBS, 腾讯云 COS, MinIO …), with keys
/// from the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`)
/// or the user's `~/.aws/credentials` (profile `AWS_PROFILE`, else `default`).
pub struct S3 {
    bucket: rusty_s3::Bucket,
    credentials: rusty_s3::Credentials,
    prefix: String,
    agent: ureq::Agent,
}

const SIGNED_FOR: Duration = Duration::from_secs(3600);

fn credentials(name: &str) -> Result<rusty_s3::Credentials, String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if let (Some(k), Some(s)) = (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        return Ok(match env("AWS_SESSION_TOKEN") {
            Some(t) => rusty_s3::Credentials::new_with_token(k, s, t),
            None => rusty_s3::Credentials::new(k, s),
        });
    }
    let file = env("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".aws/credentials")));
    let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".into());
    if let Some(text) = file.and_then(|f| std::fs::read_to_string(f).ok()) {
        let mut current = String::new();
        let (mut key, mut secret) = (None, None);
        for l in text.lines().map(str::trim) {
            if let Some(sec) = l.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = sec.trim().to_string();
            } else if current == profile
                && let Some((k, v)) = l.split_once('=')
            {
                match k.trim() {
                    "aws_access_key_id" => key = Some(v.trim().to_string()),
                    "aws_secret_access_key" => secret = Some(v.trim().to_string()),
                    _ => {}
                }
            }
        }
        if let (Some(k), Some(s)) = (key, secret) {
            return Ok(rusty_s3::Credentials::new(k, s));
        }
    }
    Err(format!(
        "发布目标 {name} 需要对象存储的访问密钥：设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，或写在 ~/.aws/credentials 的 [{profile}] 中。密钥不能写在 site.toml 里。"
    ))
}

/// `Content-Type` of an uploaded file, with charset for text.
pub fn content_type(path: &str) -> &'static str {
    crate::serve::content_type(path)
}

/// Pages and data change with every build; other files may be cached a while.
fn cache_control(path: &str) -> &'static str {
    if [".html", ".xml", ".json", ".csv"]
        .iter()
        .any(|e| path.ends_with(e))
    {
        "no-cache"
    } else {
        "public, max-age=3600"
    }
}

impl S3 {
    fn new(
        name: &str,
        bucket: &str,
        endpoint: &str,
        region: &str,
        prefix: &str,
        virtual_host: bool,
    ) -> Result<S3, String> {
        let url = url::Url::parse(endpoint)
            .map_err(|e| format!("发布目标 {name} 的 endpoint 不是有效的网址：{e}"))?;
        let style = if virtual_host {
            rusty_s3::UrlStyle::VirtualHost
        } else {
            rusty_s3::UrlStyle::Path
        };
        let bucket = rusty_s3::Bucket::new(url, style, bucket.to_string(), region.to_string())
            .map_err(|e| format!("发布目标 {name}：{e}"))?;
        let prefix = prefix.trim_matches('/');
        Ok(S3 {
            bucket,
            credentials: credentials(name)?,
            prefix: if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}/")
            },
            agent: ureq::Agent::new_with_config(
                ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(120)))
                    .build(),
            ),
        })
    }

    fn key(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    fn check(
        resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        what: &str,
    ) -> Result<ureq::http::Response<ureq::Body>, String> {
        let mut r = resp.map_err(|e| format!("{what}失败：{e}"))?;
        if r.status().is_success() {
            Ok(r)
        } else {
            let body = r.body_mut().read_to_string().unwrap_or_default();
            Err(format!(
                "{what}失败：HTTP {} {}",
                r.status(),
                body.chars().take(300).collect::<String>()
            ))
        }
    }
}

impl Target for S3 {
    fn manifest(&mut self) -> Result<Option<Vec<u8>>, String> {
        use rusty_s3::S3Action;
        let key = self.key(MANIFEST);
        let url = self
            .bucket
            .get_object(Some(&self.credentials), &key)
            .sign(SIGNED_FOR);
        let mut r = self
            .agent
            .get(url.as_str())
            .call()
            .map_err(|e| format!("读取清单失败：{e}"))?;
        if r.status() == 404 {
            return Ok(None);
        }
        if !r.status().is_success() {
            return Err(format!("读取清单失败：HTTP {}", r.status()));
        }
        r.body_mut()
            .read_to_vec()
            .map(Some)
            .map_err(|e| e.to_string())
    }

    fn list(&mut self) -> Result<BTreeMap<String, Option<String>>, String> {
        use rusty_s3::S3Action;
        let mut out = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = self.bucket.list_objects_v2(Some(&self.credentials));
            if !self.prefix.is_empty() {
                action.with_prefix(self.prefix.as_str());
            }
            if let Some(t) = &token {
                action.with_continuation_token(t.clone());
            }
            let url = action.sign(SIGNED_FOR);
            let mut r = Self::check(self.agent.get(url.as_str()).call(), "列出存储桶中的文件")?;
            let text = r.body_mut().read_to_string().map_err(|e| e.to_string())?;
            let parsed = rusty_s3::actions::ListObjectsV2::parse_response(&text)
                .map_err(|e| format!("存储桶列表无法解析：{e}"))?;
            for c in parsed.contents {
                if let Some(rel) = c.key.strip_prefix(&self.prefix) {
                    out.insert(rel.to_string(), None);
                }
            }
            match parsed.next_continuation_token {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        Ok(out)
    }

    fn put(&mut self, out: &Path, files: &[String], done: &dyn Fn(usize)) -> Result<(), String> {
        use rusty_s3::S3Action;
        for (i, f) in files.iter().enumerate() {
            let bytes = std::fs::read(out.join(f)).map_err(|e| format!("无法读取 {f}：{e}"))?;
            let key = self.key(f);
            let url = self
                .bucket
                .put_object(Some(&self.credentials), &key)
                .sign(SIGNED_FOR);
            Self::check(
                self.agent
                    .put(url.as_str())
                    .header("Content-Type", content_type(f))
                    .header("Cache-Control", cache_control(f))
                    .send(&bytes[..]),
                &format!("上传 {f} "),
            )?;
            done(i + 1);
        }
        Ok(())
    }

    fn put_manifest(&mut self, bytes: &[u8]) -> Result<(), String> {
        use rusty_s3::S3Action;
        let key = self.key(MANIFEST);
        let url = self
            .bucket
            .put_object(Some(&self.credentials), &key)
            .sign(SIGNED_FOR);
        Self::check(
            self.agent
                .put(url.as_str())
                .header("Content-Type", "application/json")
                .header("Cache-Control", "no-cache")
                .send(bytes),
            "写入清单",
        )?;
        Ok(())
    }

    fn delete(&mut self, files: &[String]) -> Result<(), String> {
        use rusty_s3::S3Action;
        for f in files {
            let key = self.key(f);
            let url = self
                .bucket
                .delete_object(Some(&self.credentials), &key)
                .sign(SIGNED_FOR);
            Self::check(
                self.agent.delete(url.as_str()).call(),
                &format!("删除 {f} "),
            )?;
        }
        Ok(())
    }
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
        v.sort_by(|a, b| stage(a).cmp(&stage(b)).then_with(|| a.cmp(b)));
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
    fn nothing_outside_the_site_is_ever_deleted() {
        assert!(safe_path("news/签证/index.html"));
        for p in ["../x", "/etc/passwd", "a/../../b", "", "a//b", "a\\b"] {
            assert!(!safe_path(p), "{p}");
        }
    }
}
