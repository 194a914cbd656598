//! A folder target: a mounted share or a local web root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};

use super::{MANIFEST, Remote, Target, folder_files};

/// A folder: a mounted share or a local web root.
pub struct Folder {
    pub root: PathBuf,
}

impl Folder {
    /// Refuses, before anything is written or deleted, files whose folder inside the
    /// target is a symbolic link: through it a deploy would write or delete outside the
    /// target (a `news` linked to `/etc`, say). The target folder itself may be a link.
    fn no_links(&self, files: &[String]) -> Result<()> {
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
                        return Err(anyhow!(
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
    fn manifest(&mut self) -> Result<Option<Vec<u8>>> {
        Ok(std::fs::read(self.root.join(MANIFEST)).ok())
    }

    fn list(&mut self) -> Result<BTreeMap<String, Remote>> {
        if !self.root.exists() {
            return Ok(BTreeMap::new());
        }
        folder_files(&self.root)
    }

    fn put(&mut self, out: &Path, files: &[String], done: &dyn Fn(usize)) -> Result<()> {
        self.no_links(files)?;
        for (i, f) in files.iter().enumerate() {
            let dest = self.root.join(f);
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| anyhow!("无法创建 {}：{e}", dir.display()))?;
            }
            let tmp = dest.with_extension("gongkai-tmp");
            // A leftover of that name, link or not, goes: copying onto a link writes
            // wherever it points.
            let _ = std::fs::remove_file(&tmp);
            std::fs::copy(out.join(f), &tmp)
                .and_then(|_| std::fs::rename(&tmp, &dest))
                .map_err(|e| anyhow!("无法写入 {}：{e}", dest.display()))?;
            done(i + 1);
        }
        Ok(())
    }

    fn put_manifest(&mut self, bytes: &[u8]) -> Result<()> {
        crate::ground::fs::create_dir_all(&self.root)?;
        let tmp = self.root.join(format!("{MANIFEST}.tmp"));
        let _ = std::fs::remove_file(&tmp);
        std::fs::write(&tmp, bytes)
            .and_then(|_| std::fs::rename(&tmp, self.root.join(MANIFEST)))
            .map_err(|e| anyhow!("无法写入清单：{e}"))
    }

    fn delete(&mut self, files: &[String]) -> Result<()> {
        self.no_links(files)?;
        for f in files {
            let p = self.root.join(f);
            std::fs::remove_file(&p).map_err(|e| anyhow!("无法删除 {}：{e}", p.display()))?;
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
