//! The preview of a portal group: every member and the group pages built in memory and
//! served as one site. A save inside one member's folder builds that member again and
//! the group pages; anything else (group.toml, the group's theme) the whole group.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::{Event, Events, Live, Rebuild, load_files};
use crate::config::paths::group as gp;
use crate::group::build::{GroupOptions, GroupSummary, full_index, group_pages};
use crate::group::config::{GROUP_FILE, Group, MEMBERS_DIR};
use crate::group::member::{MemberOptions, build_member};
use crate::group::summary::{MemberSummary, SearchRecord};

/// One member as last built.
struct Part {
    files: HashMap<String, Arc<Vec<u8>>>,
    summary: MemberSummary,
    records: Vec<SearchRecord>,
}

pub(super) struct GroupPreview {
    pub(super) opts: GroupOptions,
    parts: BTreeMap<String, Part>,
    pub(super) live: Arc<Live>,
    pub(super) events: Events,
}

impl GroupPreview {
    pub(super) fn new(opts: GroupOptions, live: Arc<Live>, events: Events) -> Self {
        GroupPreview {
            opts,
            parts: BTreeMap::new(),
            live,
            events,
        }
    }

    /// Builds the members named (all when `None`) and the group pages, and serves the
    /// result; a failure keeps the last good pages and shows the problems over them.
    fn build(&mut self, only: Option<&[String]>) {
        let mut s = GroupSummary::default();
        let Some(group) = Group::load(&self.opts.root, &mut s.diagnostics) else {
            return self.fail(&s);
        };
        let fp = crate::group::fingerprint(&group, &self.opts.load, false);
        if only.is_none() {
            self.parts.clear();
        }
        self.parts
            .retain(|slug, _| group.members.iter().any(|m| m.slug == *slug));
        let mopts = MemberOptions {
            load: self.opts.load.clone(),
            strict: false,
            progress: self.opts.progress.clone(),
            gate: self.opts.gate.clone(),
        };
        let mut broken = false;
        for m in &group.members {
            let wanted =
                only.is_none_or(|o| o.contains(&m.slug)) || !self.parts.contains_key(&m.slug);
            if !wanted {
                let p = &self.parts[&m.slug];
                s.member(
                    m,
                    Some(&p.summary),
                    p.summary.diagnostics.iter().cloned().collect(),
                    false,
                );
                continue;
            }
            let o = build_member(&group, &fp, m, &mopts, None, None);
            s.built(m, &o);
            broken |= o.built.is_none();
            if let Some(b) = o.built {
                let files = b
                    .files
                    .into_iter()
                    .filter(|f| !f.path.starts_with(gp::DATA))
                    .collect();
                self.parts.insert(
                    m.slug.clone(),
                    Part {
                        files: load_files(files),
                        summary: b.summary,
                        records: b.records,
                    },
                );
            }
        }
        if broken || s.diagnostics.has_errors() {
            return self.fail(&s);
        }
        let summaries: Vec<MemberSummary> =
            self.parts.values().map(|p| p.summary.clone()).collect();
        let order: Vec<MemberSummary> = group
            .members
            .iter()
            .filter_map(|m| summaries.iter().find(|x| x.slug == m.slug).cloned())
            .collect();
        let records = self
            .parts
            .values()
            .flat_map(|p| p.records.iter().cloned())
            .collect();
        let made = full_index(&group, &order, records, String::new());
        let mut pages = group_pages(&group, &self.opts, &order, made.as_ref(), &[], &mut s);
        pages.extend(
            made.into_iter()
                .flat_map(crate::group::search::Made::into_files),
        );
        if s.diagnostics.has_errors() {
            return self.fail(&s);
        }
        let mut files = load_files(pages);
        for p in self.parts.values() {
            files.extend(p.files.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        s.files = files.len();
        s.pages = files.keys().filter(|k| k.ends_with(".html")).count();
        s.items = order.iter().map(MemberSummary::items).sum();
        (self.events)(Event::GroupBuilt(&s));
        // The members' gates found what stops publication: shown in the panel.
        let findings = s.failed().then(|| errors_text(&s));
        self.live.publish(files, None, findings);
    }

    fn fail(&mut self, s: &GroupSummary) {
        (self.events)(Event::GroupBuilt(s));
        let files = self.live.current().files.clone();
        self.live.publish(files, Some(errors_text(s)), None);
    }

    /// The members whose folders hold all of `paths`, or `None` when a change is
    /// outside every member (group.toml, the group's theme).
    fn members_of(&self, paths: &[PathBuf]) -> Option<Vec<String>> {
        let mut diags = crate::ground::diagnostics::Diagnostics::new();
        let group = Group::load(&self.opts.root, &mut diags)?;
        let mut slugs = Vec::new();
        for p in paths {
            let m = group.members.iter().find(|m| p.starts_with(&m.dir))?;
            if !slugs.contains(&m.slug) {
                slugs.push(m.slug.clone());
            }
        }
        Some(slugs)
    }
}

impl Rebuild for GroupPreview {
    fn full(&mut self) {
        self.build(None);
    }

    fn rebuild(&mut self, paths: &[PathBuf]) {
        let start = Instant::now();
        let healthy = self.live.current().errors.is_none();
        match self.members_of(paths) {
            Some(slugs) if healthy => {
                self.build(Some(&slugs));
                if self.live.current().errors.is_none() {
                    (self.events)(Event::Updated(start.elapsed()));
                }
            }
            _ => self.full(),
        }
    }
}

/// The folders of a group that hold sources: its theme and static files, and its
/// members (under `sites/` or wherever group.toml puts them).
pub(super) fn source_folders(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = ["themes", "static", MEMBERS_DIR]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let mut diags = crate::ground::diagnostics::Diagnostics::new();
    if let Some(g) = Group::load(root, &mut diags) {
        v.extend(
            g.members
                .into_iter()
                .map(|m| m.dir)
                .filter(|d| !d.starts_with(root.join(MEMBERS_DIR))),
        );
    }
    v
}

/// Whether a changed path is one of the group's sources: group.toml, its theme and
/// static files, and inside a member what a site's sources are.
pub(super) fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    if rel == Path::new(GROUP_FILE) {
        return true;
    }
    if rel
        .components()
        .any(|c| super::watch::is_noise(Path::new(c.as_os_str())))
    {
        return false;
    }
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().to_string());
    match first.as_deref() {
        Some("themes" | "static") => true,
        // Other files beside group.toml.
        _ if rel.components().count() == 1 => false,
        // A member's own output folder is not a source.
        _ => !rel.components().any(|c| c.as_os_str() == "public"),
    }
}

/// The errors of a group build, each member's, then the group's.
fn errors_text(s: &GroupSummary) -> String {
    s.members
        .iter()
        .flat_map(|m| {
            m.diagnostics
                .sorted()
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
        .chain(s.diagnostics.sorted().into_iter().cloned())
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n\n")
}
