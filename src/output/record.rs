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
    /// Files this build could not make that a build normally makes (a report's PDF on a
    /// machine without a Chinese font): the next build that can makes them, and deploy
    /// never removes them from a target for their absence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<Missing>,
    /// Members of a portal group this build did not update (`build --keep-going`): each
    /// kept its last good output, or has none here. Deploy refuses them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_updated: Vec<NotUpdated>,
}

/// A file of the output a build could not make, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    /// Relative to the output folder (`wb/zwgk/ndbg/2024/….pdf` in a group).
    pub path: String,
    /// Why, in words (`没有可以排印中文的字体`).
    pub why: String,
}

/// A member of a portal group that a build did not update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotUpdated {
    pub slug: String,
    /// The agency's name, once its config could be read.
    pub name: String,
    /// Its folder (`sites/wb`).
    pub rel: String,
    /// Its errors this time, and the first of them.
    pub errors: usize,
    pub first_error: String,
    /// The day its output here was built, when it has one (its last good build); none
    /// when it has no output in this build.
    pub kept_from: Option<Date>,
}

impl Record {
    /// What a deploy must not remove from a target for its absence from this build, as
    /// paths or folders (ending in `/`) relative to the output, each with why: files that
    /// could not be made, and the folders of members not updated that have no output here.
    pub fn keep_on_target(&self) -> Vec<Missing> {
        self.missing
            .iter()
            .cloned()
            .chain(
                self.not_updated
                    .iter()
                    .filter(|n| n.kept_from.is_none())
                    .map(|n| Missing {
                        path: crate::config::paths::group::member(&n.slug),
                        why: format!("成员 {}（{}）这次没有更新", n.name, n.slug),
                    }),
            )
            .collect()
    }
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
        super::fingerprint::load_json(&Self::path(out))
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
