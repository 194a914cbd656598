//! A folder target: a mounted share or a local web root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};

use super::{MANIFEST, Remote, Target, folder_files};

/// A folder: a mounted share or a local web root.
pub struct Folder {
    pub root: PathBuf,
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
        for (i, f) in files.iter().enumerate() {
            let dest = self.root.join(f);
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| anyhow!("无法创建 {}：{e}", dir.display()))?;
            }
            let tmp = dest.with_extension("gongkai-tmp");
            std::fs::copy(out.join(f), &tmp)
                .and_then(|_| std::fs::rename(&tmp, &dest))
                .map_err(|e| anyhow!("无法写入 {}：{e}", dest.display()))?;
            done(i + 1);
        }
        Ok(())
    }

    fn put_manifest(&mut self, bytes: &[u8]) -> Result<()> {
        crate::fs::create_dir_all(&self.root)?;
        let tmp = self.root.join(format!("{MANIFEST}.tmp"));
        std::fs::write(&tmp, bytes)
            .and_then(|_| std::fs::rename(&tmp, self.root.join(MANIFEST)))
            .map_err(|e| anyhow!("无法写入清单：{e}"))
    }

    fn delete(&mut self, files: &[String]) -> Result<()> {
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
