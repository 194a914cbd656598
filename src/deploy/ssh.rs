//! An SSH target: the system's `ssh`, with `rsync` or `sftp`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, anyhow};

use super::{MANIFEST, Remote, Target, upload_order};

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

    fn run(&self, remote: &str, input: Option<&[u8]>) -> Result<Vec<u8>> {
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
            .map_err(|e| anyhow!("无法运行 ssh：{e}（需要安装 OpenSSH 客户端）"))?;
        if let (Some(data), Some(mut stdin)) = (input, child.stdin.take()) {
            stdin
                .write_all(data)
                .with_context(|| format!("无法向 {} 发送数据", self.dest))?;
        }
        let o = child
            .wait_with_output()
            .with_context(|| format!("与 {} 的 ssh 连接出错", self.dest))?;
        if !o.status.success() {
            return Err(anyhow!(
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
    fn manifest(&mut self) -> Result<Option<Vec<u8>>> {
        let o = self.run(
            &format!(
                "cat {} 2>/dev/null || true",
                quote(&format!("{}/{MANIFEST}", self.path))
            ),
            None,
        )?;
        Ok((!o.is_empty()).then_some(o))
    }

    fn list(&mut self) -> Result<BTreeMap<String, Remote>> {
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
            .map(|(h, p)| {
                let remote = Remote {
                    hash: Some(h.to_string()),
                    size: None,
                };
                (p.trim_start_matches("./").to_string(), remote)
            })
            .collect())
    }

    fn put(&mut self, out: &Path, files: &[String], done: &dyn Fn(usize)) -> Result<()> {
        if files.is_empty() {
            return Ok(());
        }
        self.run(&format!("mkdir -p {}", quote(&self.path)), None)?;
        let rsync = self.has_rsync();
        // One transfer per stage, in order, so that a page's links exist before it does.
        let mut sent = 0;
        for s in 0..=2u8 {
            let group: Vec<&String> = files.iter().filter(|f| upload_order(f) == s).collect();
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
                    .map_err(|e| anyhow!("无法运行 rsync：{e}"))?;
                if let Some(mut i) = child.stdin.take() {
                    i.write_all(list.as_bytes())
                        .context("无法把文件列表交给 rsync")?;
                }
                let o = child.wait_with_output().context("rsync 运行出错")?;
                if !o.status.success() {
                    return Err(anyhow!(
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
                    .map_err(|e| anyhow!("无法运行 sftp：{e}"))?;
                if let Some(mut i) = child.stdin.take() {
                    i.write_all(batch.as_bytes())
                        .context("无法把文件交给 sftp")?;
                }
                let o = child.wait_with_output().context("rsync 运行出错")?;
                if !o.status.success() {
                    return Err(anyhow!(
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

    fn put_manifest(&mut self, bytes: &[u8]) -> Result<()> {
        let target = format!("{}/{MANIFEST}", self.path);
        self.run(
            &format!("cat > {t}.tmp && mv {t}.tmp {t}", t = quote(&target)),
            Some(bytes),
        )?;
        Ok(())
    }

    fn delete(&mut self, files: &[String]) -> Result<()> {
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
