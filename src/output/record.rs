//! What a build that passed the gate leaves beside its output: the sources it was built
//! from (each file's size and time), the day its gate judged by, what it held back and
//! who signed what it published (the audit trail an inspector or a 保密 review reads).
//! Deploy publishes a build only when its sources are still those (an edit since, even
//! the masking of a leaked number, needs `gongkai build` first) and no item it held back
//! has come due since (定时发布).
//!
//! It lives beside the output (`.public.gongkai-record.json`), never inside it: the titles
//! of what is not yet published must not travel with the site however it is uploaded,
//! file times differ from one checkout to another, and the output stays byte-identical.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::gate::Decision;
use crate::ground::date::Date;
use crate::output::fingerprint::{Stamps, beside};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// The day the gate judged by.
    pub as_of: Date,
    /// The earliest day an item it held back comes due.
    pub next_due: Option<Date>,
    /// What the gate held back, and who signed each published item and when (for a
    /// group, every member's, its files named from the group root).
    pub decision: Decision,
    pub sources: Stamps,
}

/// How the sources differ from a record: the files saved, added and removed since.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub changed: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }

    /// The first few, in words: `改动了 content/news/a.md、新增了 …`.
    pub fn describe(&self, at_most: usize) -> String {
        let mut parts = Vec::new();
        for (what, files) in [
            ("改动了", &self.changed),
            ("新增了", &self.added),
            ("删除了", &self.removed),
        ] {
            if files.is_empty() {
                continue;
            }
            let shown: Vec<&str> = files.iter().take(at_most).map(String::as_str).collect();
            let more = if files.len() > at_most {
                format!(" 等 {} 个文件", files.len())
            } else {
                String::new()
            };
            parts.push(format!("{what} {}{more}", shown.join("、")));
        }
        parts.join("；")
    }
}

impl Record {
    pub fn path(out: &Path) -> PathBuf {
        beside(out, "record")
    }

    pub fn load(out: &Path) -> Option<Record> {
        serde_json::from_slice(&std::fs::read(Self::path(out)).ok()?).ok()
    }

    /// Writes the record; a failure is an error, since without it deploy refuses the build.
    pub fn save(&self, out: &Path) -> anyhow::Result<()> {
        let bytes = serde_json::to_vec(self)?;
        crate::ground::fs::write(&Self::path(out), &bytes)
    }

    pub fn forget(out: &Path) {
        let _ = std::fs::remove_file(Self::path(out));
    }

    /// How `now` differs from the recorded sources, over the files `keep` admits.
    pub fn changes(&self, now: &Stamps, keep: impl Fn(&str) -> bool) -> Changes {
        let mut c = Changes::default();
        for (path, stamp) in now.iter().filter(|(p, _)| keep(p)) {
            match self.sources.get(path) {
                None => c.added.push(path.clone()),
                Some(s) if s != stamp => c.changed.push(path.clone()),
                Some(_) => {}
            }
        }
        c.removed = self
            .sources
            .keys()
            .filter(|p| keep(p) && !now.contains_key(*p))
            .cloned()
            .collect();
        c
    }
}
