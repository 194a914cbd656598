//! Building a portal group: every member one after another into one staging folder, the
//! group pages from their summaries, then the whole output moved into place at once
//! (a failed member leaves the output as it was). A member whose inputs and output are
//! as the last build left them is not built again: its summary is read back instead.
//! `--shard K/N` builds a slice of the members and nothing else; `--merge` joins the
//! slices and makes the group pages, giving the bytes one machine would.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::config::{GROUP_FILE, Group, Member};
use super::member::{LastBuild, MemberOptions, Memos, build_member};
use super::pages;
use super::reports::{self, Status};
use super::search::{self, IndexState, Made};
use super::summary::{self, MemberSummary};
use crate::build::OnProgress;
use crate::config::paths::group as gp;
use crate::gate::compliance::memo::TextMemo;
use crate::ground::date::Date;
use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::model::site::LoadOptions;
use crate::output::fingerprint;
use crate::output::listing::Listing;
use crate::output::record::{Missing, NotUpdated, Record};
use crate::output::{BuildManifest, OutFile, Staging, WriteStats, refuse_output};
use crate::render::memo::PageMemo;

/// What a group build does.
#[derive(Debug, Clone, Default)]
pub enum Mode {
    /// Every member and the group pages.
    #[default]
    Whole,
    /// Shard K of N (1-based): a slice of the members, nothing else.
    Shard(usize, usize),
    /// The group pages from these shards' outputs, joined with them.
    Merge(Vec<PathBuf>),
}

#[derive(Debug, Clone, Default)]
pub struct GroupOptions {
    pub root: PathBuf,
    /// `public/` under the group root when not given.
    pub out: Option<PathBuf>,
    pub load: LoadOptions,
    pub strict: bool,
    pub progress: Option<OnProgress>,
    pub allow_empty: bool,
    /// What each member's gate is asked; its day also judges the group's late reports.
    pub gate: crate::gate::Options,
    pub mode: Mode,
    /// A member that fails keeps its last good output and the others are published
    /// (`--keep-going`); by default one member's error stops the whole build.
    pub keep_going: bool,
    /// Build (or check) only these members (`--member`); empty for all. The others keep
    /// the output of their last build.
    pub only: Vec<String>,
}

impl GroupOptions {
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }

    fn member_options(&self) -> MemberOptions {
        MemberOptions {
            load: self.load.clone(),
            strict: self.strict,
            progress: self.progress.clone(),
            gate: self.gate.clone(),
        }
    }
}

/// How one member fared.
#[derive(Debug, Default)]
pub struct MemberOutcome {
    pub slug: String,
    /// The agency's name, once known.
    pub name: String,
    /// Its folder (`sites/wb`).
    pub rel: String,
    pub diagnostics: Diagnostics,
    /// Built this time; false when its last build was reused.
    pub rebuilt: bool,
    pub pages: usize,
    pub items: usize,
    /// The fonts of its PDFs, when it made any.
    pub pdf_fonts: Option<String>,
    /// What its gate held back and who signed what it published, its files named from
    /// the group root.
    pub decision: crate::gate::Decision,
}

/// What a group build or check did.
#[derive(Debug, Default)]
pub struct GroupSummary {
    pub members: Vec<MemberOutcome>,
    /// The group's own problems (group.toml, the group pages, late reports).
    pub diagnostics: Diagnostics,
    pub pages: usize,
    pub files: usize,
    pub items: usize,
    pub written: Option<WriteStats>,
    pub elapsed: Duration,
    /// Nothing changed since the last build into the same folder: nothing was done.
    pub up_to_date: bool,
    /// The date late reports were judged by.
    pub as_of: Option<String>,
    /// The members were joined from the outputs of `--shard` builds.
    pub merged: bool,
    /// The group search index was updated in place, not made in full.
    pub index_updated: bool,
    /// The portal's title, once group.toml was read.
    pub title: Option<String>,
    /// Members this build did not update (`--keep-going`, `--member`), in the order of
    /// group.toml; the output was written with the others.
    pub not_updated: Vec<NotUpdated>,
    /// Members rebuilt because their last build could not make some files (PDFs for want
    /// of a font).
    pub remade_missing: usize,
}

impl GroupSummary {
    pub fn failed(&self) -> bool {
        self.diagnostics.has_errors() || self.members.iter().any(|m| m.diagnostics.has_errors())
    }

    /// The output was written although some member failed (`--keep-going`).
    pub fn partly_written(&self) -> bool {
        self.written.is_some() && self.failed()
    }

    /// Which fonts the members' PDFs were set in, each with the members that used it
    /// (those built this time, else all).
    pub fn pdf_fonts(&self) -> Vec<(String, Vec<String>)> {
        let mut fonts: Vec<(String, Vec<String>)> = Vec::new();
        let built = self
            .members
            .iter()
            .any(|m| m.rebuilt && m.pdf_fonts.is_some());
        for m in self.members.iter().filter(|m| m.rebuilt || !built) {
            let Some(f) = &m.pdf_fonts else { continue };
            match fonts.iter_mut().find(|(x, _)| x == f) {
                Some((_, who)) => who.push(m.slug.clone()),
                None => fonts.push((f.clone(), vec![m.slug.clone()])),
            }
        }
        fonts
    }

    fn error(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Records how building member `m` went: its problems under its name, those of what
    /// it inherits (the same for every member) once under the group's.
    pub fn built(&mut self, m: &Member, o: &super::member::Outcome) {
        self.member(
            m,
            o.built.as_ref().map(|b| &b.summary),
            o.diagnostics.clone(),
            true,
        );
        if let (Some(last), Some(name)) = (self.members.last_mut(), &o.name) {
            last.name = name.clone();
        }
        for d in o.group.iter() {
            if !self.diagnostics.iter().any(|x| x == d) {
                self.diagnostics.push(d.clone());
            }
        }
    }

    /// Records how member `m` fared (`s`: its summary, once built).
    pub fn member(&mut self, m: &Member, s: Option<&MemberSummary>, d: Diagnostics, rebuilt: bool) {
        self.members.push(MemberOutcome {
            slug: m.slug.clone(),
            name: s.map_or_else(String::new, |s| s.name.clone()),
            rel: m.rel.clone(),
            diagnostics: d,
            rebuilt,
            pages: s.map_or(0, |s| s.pages),
            items: s.map_or(0, MemberSummary::items),
            pdf_fonts: s.and_then(|s| s.pdf_fonts.clone()),
            decision: s.map_or_else(Default::default, |s| {
                let mut d = crate::gate::Decision::default();
                d.merge(&s.decision, &format!("{}/", m.rel), &gp::member(&m.slug));
                d
            }),
        });
    }
}

/// What the last build recorded beside the output, to skip what did not change.
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    /// The options and the group's inputs the group pages were made with.
    group: String,
    /// The group pages' files and their fingerprint as written.
    pages: Vec<String>,
    pages_output: u64,
    /// Each member's inputs and output fingerprints.
    members: BTreeMap<String, (u64, u64)>,
    /// The group's own warnings and the date late reports were judged by, shown again
    /// when nothing is done.
    diagnostics: Vec<Diagnostic>,
    as_of: Option<String>,
}

fn state_path(out: &Path) -> PathBuf {
    crate::output::fingerprint::beside(out, "group-state")
}

impl State {
    fn load(out: &Path) -> State {
        fingerprint::load_json(&state_path(out)).unwrap_or_default()
    }

    /// Losing it costs one full build next time.
    fn save(&self, out: &Path) {
        fingerprint::save_json(&state_path(out), self);
    }
}

/// `gongkai check` on a group: every member and the group pages, in memory, one member
/// at a time.
pub fn check(opts: &GroupOptions) -> GroupSummary {
    let start = Instant::now();
    let mut s = GroupSummary::default();
    let Some(group) = Group::load(&opts.root, &mut s.diagnostics) else {
        return s;
    };
    s.title = Some(group.config.title.clone());
    let Some(members) = selected(&group, &opts.only, &mut s) else {
        return s;
    };
    let fp = super::fingerprint(&group, &opts.load, opts.strict);
    let mut summaries = Vec::new();
    let mut records = Vec::new();
    for m in &members {
        let o = build_member(&group, &fp, m, &opts.member_options(), None, None);
        s.built(m, &o);
        if let Some(b) = o.built {
            summaries.push(b.summary);
            records.extend(b.records);
        }
    }
    if !opts.only.is_empty() {
        // The group pages need every member; one member is checked with its late reports.
        s.as_of = Some(opts.gate.day().ymd());
        late_reports(
            &group,
            &summaries,
            Some(opts.gate.day()),
            &mut s.diagnostics,
        );
        if opts.strict {
            s.diagnostics.make_strict();
        }
        s.items = summaries.iter().map(MemberSummary::items).sum();
        s.pages = summaries.iter().map(|x| x.pages).sum();
        s.files = summaries.iter().map(|x| x.files.len()).sum();
        s.elapsed = start.elapsed();
        return s;
    }
    let made = full_index(&group, &summaries, records, String::new());
    let files = group_pages(&group, opts, &summaries, made.as_ref(), &[], &mut s);
    s.items = summaries.iter().map(MemberSummary::items).sum();
    s.files = summaries.iter().map(|x| x.files.len()).sum::<usize>()
        + files.len()
        + made.map_or(0, |m| m.count());
    s.pages = summaries.iter().map(|x| x.pages).sum::<usize>()
        + files.iter().filter(|f| f.path.ends_with(".html")).count();
    s.elapsed = start.elapsed();
    s
}

/// The members `only` names (all when empty), in the order of group.toml; none when it
/// names one the group does not have (the error is in `s`).
fn selected(group: &Group, only: &[String], s: &mut GroupSummary) -> Option<Vec<Member>> {
    let unknown: Vec<&str> = only
        .iter()
        .filter(|x| !group.members.iter().any(|m| m.slug == **x))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = group.members.iter().map(|m| m.slug.as_str()).collect();
        s.error(
            Diagnostic::error(
                "member",
                GROUP_FILE,
                format!("group.toml 中没有成员 `{}`", unknown.join("`、`")),
            )
            .help(format!(
                "--member 写成员代码（slug），这个门户的成员有：{}。",
                known.join("、")
            )),
        );
        return None;
    }
    Some(
        group
            .members
            .iter()
            .filter(|m| only.is_empty() || only.contains(&m.slug))
            .cloned()
            .collect(),
    )
}

/// `gongkai build` on a group, in the mode the options say.
pub fn build(opts: &GroupOptions) -> GroupSummary {
    let start = Instant::now();
    let mut s = GroupSummary::default();
    let out = opts.out_dir();
    if let Some(reason) = refuse(&opts.root, &out, opts.out.is_none()) {
        s.error(
            Diagnostic::error(
                "output",
                out.display().to_string(),
                format!("不能写入这个输出文件夹：{reason}。已停止，没有改动任何文件"),
            )
            .help("用 --out 指定一个新的或空的文件夹，或者不写 --out，使用门户文件夹下的 public。"),
        );
        return s;
    }
    let Some(group) = Group::load(&opts.root, &mut s.diagnostics) else {
        return s;
    };
    if selected(&group, &opts.only, &mut s).is_none() {
        return s;
    }
    if let Err(e) = match &opts.mode {
        Mode::Merge(dirs) => merge(&group, opts, dirs, &out, &mut s),
        Mode::Whole => write(&group, opts, None, &out, &mut s),
        Mode::Shard(k, n) => write(&group, opts, Some((*k, *n)), &out, &mut s),
    } {
        s.error(crate::output::write_error(&opts.root, &out, &e));
    }
    s.elapsed = start.elapsed();
    s
}

/// Why the group may not build into `out`: what refuses a site's output, and the
/// group's own sources.
fn refuse(root: &Path, out: &Path, is_default: bool) -> Option<String> {
    let (root_abs, out_abs) = (
        crate::ground::fs::absolute(root),
        crate::ground::fs::absolute(out),
    );
    for source in [super::config::MEMBERS_DIR, GROUP_FILE] {
        if out_abs.starts_with(root_abs.join(source)) {
            return Some(format!(
                "输出文件夹在门户的 {source} 里面，构建会覆盖成员网站的源文件"
            ));
        }
    }
    if out.join(GROUP_FILE).exists() {
        return Some("输出文件夹里有另一个门户的 group.toml".into());
    }
    refuse_output(root, out, is_default)
}

/// The members to build: reused from the last build or built now, each staged.
struct Written {
    summaries: Vec<MemberSummary>,
    /// The slugs of the members built this time.
    rebuilt: Vec<String>,
    /// Members not updated this time (`--keep-going`, `--member`); those with an output
    /// kept their last build's, among `summaries`.
    not_updated: Vec<NotUpdated>,
    /// The members built whose memos (what the gate found in their texts, their pages'
    /// keys) wait beside the output for the commit ([`pending`]).
    kept: Vec<String>,
    failed: bool,
}

/// What a member keeps beside the output for its next build: its load, its gate's
/// findings, its pages' keys, what its search index was made of.
const MEMOS: [&str; 4] = ["load", "gate", "pages", "search"];

/// The memos [`MEMOS`] a member's build forgets until the group's commit: all but the
/// load's, whose records name the stamps of the files they were read from.
const AT_COMMIT: [&str; 3] = ["gate", "pages", "search"];

/// Where a member's memo of `what` (one of [`MEMOS`]) lies beside the output
/// (`.public.gongkai-member-wb-gate.json`; the load's records are not JSON: `.bin`).
fn member_memo(out: &Path, slug: &str, what: &str) -> PathBuf {
    let path = fingerprint::beside(out, &format!("member-{slug}-{what}"));
    match what {
        "load" => path.with_extension("bin"),
        _ => path,
    }
}

/// Where a member's memo at `memo` waits for the group's commit: kept only once the
/// output is what it was made with.
fn pending(memo: &Path) -> PathBuf {
    let mut p = memo.as_os_str().to_owned();
    p.push(".new");
    p.into()
}

/// Writes `value` where the memo at `memo` waits for the commit (a link in its place is
/// removed, not written through).
fn write_pending<T: Serialize>(memo: &Path, value: &T) {
    let path = pending(memo);
    let _ = std::fs::remove_file(&path);
    fingerprint::save_json(&path, value);
}

/// Removes the memos beside `out` of members that are no longer among `members` (taken
/// out of group.toml, or gone to another shard), and those a build that failed left
/// waiting for its commit.
fn remove_stale_memos(out: &Path, members: &[Member]) {
    let Some(parent) = out.parent() else { return };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let ours: BTreeSet<PathBuf> = members
        .iter()
        .flat_map(|m| MEMOS.map(|what| member_memo(out, &m.slug, what)))
        .collect();
    let prefix = fingerprint::beside(out, "member-");
    let prefix = prefix.file_name().unwrap_or_default().to_string_lossy();
    let prefix = prefix.strip_suffix(".json").unwrap_or(&prefix);
    for e in entries.filter_map(Result::ok) {
        let stale = e
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(prefix))
            && !ours.contains(&e.path());
        if stale && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Builds the members `members` into `staging`, reusing those that did not change
/// (`last`: what [`last_builds`] found of each). A member that fails with `keep_going`,
/// or that `only` leaves out, keeps its last build's output as it is.
fn write_members(
    group: &Group,
    opts: &GroupOptions,
    (members, last): (&[Member], Vec<Last>),
    fp: &str,
    (staging, state, new_state): (&mut Staging, &State, &mut State),
    s: &mut GroupSummary,
) -> anyhow::Result<Written> {
    let mut w = Written {
        summaries: Vec::new(),
        rebuilt: Vec::new(),
        not_updated: Vec::new(),
        kept: Vec::new(),
        failed: false,
    };
    let today = opts.gate.day().ymd();
    let out = opts.out_dir();
    let inherited = fingerprint::stamps(&group.root, &[GROUP_FILE], &[]);
    for (m, l) in members.iter().zip(last) {
        let print = (l.inputs, l.output);
        let made_all = l.summary.as_ref().is_some_and(|x| x.missing.is_empty());
        if l.summary.is_some() && !made_all {
            s.remade_missing += 1;
        }
        let (reused, last) = if l.current(m, state, fp, &today) {
            (l.summary, None)
        } else {
            (None, l.summary)
        };
        if let Some(x) = reused {
            let d = x.diagnostics.iter().cloned().collect();
            s.member(m, Some(&x), d, false);
            // Its folder is as the last build left it: the commit leaves it alone.
            new_state.members.insert(m.slug.clone(), print);
            staging.keep_as_is(&m.slug);
            w.summaries.push(x);
            continue;
        }
        if !opts.only.is_empty() && !opts.only.contains(&m.slug) {
            s.member(m, None, Diagnostics::new(), false);
            let why = "这次只构建了 --member 指定的成员，它的源文件有改动还没有构建".to_string();
            keep_last(m, (0, why), opts, staging, &mut w);
            continue;
        }
        let as_left = state.members.get(&m.slug).map(|p| p.1) == Some(l.output);
        let last = last.as_ref().map(|summary| LastBuild {
            summary,
            out: &out,
            as_left,
        });
        // Its memos beside the output, as a site's: the gate's forgotten until the commit
        // (a file refused as changed since it was read is read again by the next build).
        let memo = |what: &str| member_memo(&out, &m.slug, what);
        let load = memo("load");
        let texts = fingerprint::load_json::<TextMemo>(&memo("gate"));
        let pages = fingerprint::load_json::<PageMemo>(&memo("pages"));
        let index = IndexState::load(&memo("search"));
        for what in AT_COMMIT {
            let _ = std::fs::remove_file(memo(what));
        }
        let memos = Memos {
            load: &load,
            stamps: &l.sources,
            inherited: inherited.get(GROUP_FILE).copied(),
            texts,
            pages,
            index,
        };
        let o = build_member(group, fp, m, &opts.member_options(), last, Some(memos));
        s.built(m, &o);
        let errors = o.diagnostics.error_count();
        match o.built.filter(|_| errors == 0) {
            Some(b) => {
                if !w.failed {
                    staging.add(&b.files)?;
                }
                // Written now, not held: 50 members' memos are tens of megabytes.
                write_pending(&memo("gate"), &b.texts);
                if let Some(pages) = &b.pages {
                    write_pending(&memo("pages"), pages);
                }
                if let Some(index) = &b.index {
                    write_pending(&memo("search"), index);
                }
                w.kept.push(m.slug.clone());
                // The output fingerprint is taken once the files are in place (after commit).
                new_state.members.insert(m.slug.clone(), (l.inputs, 0));
                w.rebuilt.push(m.slug.clone());
                w.summaries.push(b.summary);
            }
            None if opts.keep_going => {
                let first = o.diagnostics.sorted().into_iter().find(|d| d.is_error());
                let why = first
                    .and_then(|d| d.to_string().lines().next().map(str::to_string))
                    .unwrap_or_default();
                keep_last(m, (errors, why), opts, staging, &mut w);
                if let (Some(n), Some(name)) = (w.not_updated.last_mut(), o.name) {
                    n.name = name;
                }
            }
            None => w.failed = true,
        }
    }
    Ok(w)
}

/// Keeps member `m`'s output as its last build left it (when there is one) instead of
/// building it now, and notes it as not updated, with `(errors, why)`.
fn keep_last(
    m: &Member,
    (errors, first_error): (usize, String),
    opts: &GroupOptions,
    staging: &mut Staging,
    w: &mut Written,
) {
    let out = opts.out_dir();
    let last = MemberSummary::read(&out.join(gp::summary(&m.slug))).filter(|x| x.slug == m.slug);
    let kept_from = last.as_ref().and_then(|x| x.decision.as_of);
    w.not_updated.push(NotUpdated {
        slug: m.slug.clone(),
        name: last
            .as_ref()
            .map_or_else(|| m.slug.clone(), |x| x.name.clone()),
        rel: m.rel.clone(),
        errors,
        first_error,
        kept_from,
    });
    if let Some(x) = last {
        // Whole, as the last build's commit left it; the commit leaves it alone.
        staging.keep_as_is(&m.slug);
        w.summaries.push(x);
    }
}

/// What the last build left of a member, and whether it is still as it was left.
struct Last {
    /// Its sources' stamps now.
    sources: fingerprint::Stamps,
    /// The fingerprint of its inputs now.
    inputs: u64,
    /// Its summary, if the last build had the member.
    summary: Option<MemberSummary>,
    /// The fingerprint of its output now, by the files its summary lists.
    output: u64,
}

impl Last {
    /// Whether the member's output is as its last build left it, every file made, for this
    /// group and this day: it need not be built again. A member built for another day is
    /// built again: what its gate holds back (定时发布) and what its pages say of the day
    /// (the 报表 on the home page) may have changed.
    fn current(&self, m: &Member, state: &State, fp: &str, today: &str) -> bool {
        self.summary.as_ref().is_some_and(|x| {
            state.members.get(&m.slug) == Some(&(self.inputs, self.output))
                && x.group == fp
                && x.missing.is_empty()
                && x.decision.as_of.is_some_and(|d| d.ymd() == today)
        })
    }
}

/// What the last build left of each member, found in parallel: the fingerprints stat
/// every file of every member's sources and output.
fn last_builds(members: &[Member], options: &str, out: &Path, state: &State) -> Vec<Last> {
    use rayon::prelude::*;
    members
        .par_iter()
        .map(|m| {
            let sources = fingerprint::site_sources(&m.dir);
            let inputs = fingerprint::inputs_of(&sources, &format!("{options}|{}", m.slug));
            let summary = state
                .members
                .contains_key(&m.slug)
                .then(|| MemberSummary::read(&out.join(gp::summary(&m.slug))))
                .flatten()
                .filter(|x| x.slug == m.slug);
            let output = summary
                .as_ref()
                .map_or(0, |x| fingerprint::files(out, &x.files));
            Last {
                sources,
                inputs,
                summary,
                output,
            }
        })
        .collect()
}

/// A whole build, or one shard of it.
fn write(
    group: &Group,
    opts: &GroupOptions,
    shard: Option<(usize, usize)>,
    out: &Path,
    s: &mut GroupSummary,
) -> anyhow::Result<()> {
    let members = match shard {
        Some((k, n)) => super::shard::slice(group, k, n),
        None => group.members.clone(),
    };
    let part = shard.map(|(k, n)| format!("{k}/{n}"));
    let fp = super::fingerprint(group, &opts.load, opts.strict);
    let sources = fingerprint::sources(&group.root, &[GROUP_FILE], &["themes", "static"]);
    let options = format!("{fp}|{sources}");
    let group_key = format!("{options}|{:?}|{part:?}", opts.gate.day().ymd());
    let state = State::load(out);
    let manifest = BuildManifest::load(out).filter(|m| m.complete && m.part == part);
    let last = last_builds(&members, &options, out, &state);
    // The record names every source of a whole build: walked already, member by member.
    let sources = shard
        .is_none()
        .then(|| super::sources_of(group, members.iter().zip(last.iter().map(|l| &l.sources))));
    if manifest.is_some()
        && !s.diagnostics.has_errors()
        && (shard.is_some() || Record::load(out).is_some())
        && up_to_date(&members, &last, &group_key, out, &state, s)
    {
        return Ok(());
    }
    Record::forget(out);
    // The folders of members left as they are go unwalked: the commit leaves them alone,
    // and with a folder for every page they hold most of the output (115,000 folders at
    // 50 × 2,000, more than a second to walk).
    let today = opts.gate.day().ymd();
    let as_is: BTreeSet<String> = members
        .iter()
        .zip(&last)
        .filter(|(m, l)| l.current(m, &state, &fp, &today))
        .map(|(m, _)| m.slug.clone())
        .collect();
    let mut staging = Staging::begin_listed(out, Listing::of_except(out, &as_is))?;
    let mut new_state = State {
        group: group_key,
        ..State::default()
    };
    let w = write_members(
        group,
        opts,
        (&members, last),
        &fp,
        (&mut staging, &state, &mut new_state),
        s,
    )?;
    // A member's errors stop the build unless it kept its last output (`--keep-going`).
    if w.failed || s.diagnostics.has_errors() {
        return Ok(());
    }
    let mut published: Vec<String> = w
        .summaries
        .iter()
        .flat_map(|x| x.files.iter().cloned())
        .collect();
    let mut made = None;
    if shard.is_none() {
        made = group_index(group, (out, &staging), (&state, &new_state.group), &w)?;
        s.index_updated = made.as_ref().is_some_and(|m| m.patched);
        let files = group_pages(group, opts, &w.summaries, made.as_ref(), &w.not_updated, s);
        if s.diagnostics.has_errors() {
            return Ok(());
        }
        staging.add(&files)?;
        new_state.pages = files.iter().map(|f| f.path.clone()).collect();
        if let Some(m) = &mut made {
            m.write(&mut |files| staging.add(files).map(drop))?;
            new_state.pages.extend(m.paths());
        }
        published.extend(new_state.pages.iter().cloned());
    }
    let items: usize = w.summaries.iter().map(MemberSummary::items).sum();
    if empty_refused(out, items, opts.allow_empty, s) {
        return Ok(());
    }
    let data: Vec<String> = w
        .summaries
        .iter()
        .flat_map(|x| [gp::summary(&x.slug), gp::search_records(&x.slug)])
        .collect();
    let mut m = BuildManifest::of_paths(items, published.clone());
    m.part = part;
    let keep: BTreeSet<&str> = published.iter().chain(&data).map(String::as_str).collect();
    let _ = std::fs::remove_file(state_path(out));
    IndexState::forget(&search::state_path(out));
    let stats = staging.commit(&keep, &m.file())?;
    remove_stale_data(out, &data)?;
    if let Some(sources) = sources {
        let current: Vec<MemberSummary> = w
            .summaries
            .iter()
            .filter(|x| !w.not_updated.iter().any(|n| n.slug == x.slug))
            .cloned()
            .collect();
        Record {
            as_of: opts.gate.day(),
            next_due: next_due(&current),
            decision: decision(group, &current),
            sources,
            missing: missing(&w.summaries),
            not_updated: w.not_updated.clone(),
        }
        .save(out)?;
    }
    for slug in &w.kept {
        for what in AT_COMMIT {
            let memo = member_memo(out, slug, what);
            let _ = std::fs::rename(pending(&memo), &memo);
        }
    }
    remove_stale_memos(out, &members);
    s.not_updated = w.not_updated;
    for x in w.summaries.iter().filter(|x| w.rebuilt.contains(&x.slug)) {
        if let Some(v) = new_state.members.get_mut(&x.slug) {
            v.1 = fingerprint::files(out, &x.files);
        }
    }
    let pages: Vec<&str> = new_state.pages.iter().map(String::as_str).collect();
    new_state.pages_output = fingerprint::listed(out, &pages);
    new_state.diagnostics = s.diagnostics.iter().cloned().collect();
    new_state.as_of = s.as_of.clone();
    new_state.save(out);
    if let Some(m) = made {
        fingerprint::save_json(&search::state_path(out), &m.state);
    }
    s.items = items;
    s.files = published.len();
    s.pages = published.iter().filter(|p| p.ends_with(".html")).count();
    s.written = Some(stats);
    Ok(())
}

/// Whether nothing changed since the last build into `out`; if so, `s` tells what that
/// build did.
fn up_to_date(
    members: &[Member],
    last: &[Last],
    group_key: &str,
    out: &Path,
    state: &State,
    s: &mut GroupSummary,
) -> bool {
    if state.group != group_key || state.members.len() != members.len() {
        return false;
    }
    let pages: Vec<&str> = state.pages.iter().map(String::as_str).collect();
    if fingerprint::listed(out, &pages) != state.pages_output {
        return false;
    }
    let mut found = Vec::new();
    for (m, l) in members.iter().zip(last) {
        let same = state.members.get(&m.slug) == Some(&(l.inputs, l.output));
        match l.summary.as_ref().filter(|x| same && x.missing.is_empty()) {
            Some(x) => found.push(x),
            None => return false,
        }
    }
    for (m, x) in members.iter().zip(&found) {
        s.member(m, Some(x), x.diagnostics.iter().cloned().collect(), false);
    }
    s.diagnostics
        .extend(state.diagnostics.iter().cloned().collect());
    s.as_of = state.as_of.clone();
    s.items = found.iter().map(|x| x.items()).sum();
    s.files = found.iter().map(|x| x.files.len()).sum::<usize>() + state.pages.len();
    s.pages = found.iter().map(|x| x.pages).sum::<usize>()
        + pages.iter().filter(|p| p.ends_with(".html")).count();
    s.written = Some(WriteStats::default());
    s.up_to_date = true;
    true
}

/// What the members' gates decided, their files named from the group root.
fn decision(group: &Group, summaries: &[MemberSummary]) -> crate::gate::Decision {
    let mut all = crate::gate::Decision {
        as_of: summaries.first().and_then(|x| x.decision.as_of),
        ..Default::default()
    };
    for x in summaries {
        let rel = group
            .members
            .iter()
            .find(|m| m.slug == x.slug)
            .map_or_else(|| x.slug.clone(), |m| m.rel.clone());
        all.merge(&x.decision, &format!("{rel}/"), &gp::member(&x.slug));
    }
    all
}

/// The files the members' builds could not make, from the output's root.
fn missing(summaries: &[MemberSummary]) -> Vec<Missing> {
    summaries.iter().flat_map(|x| x.missing.clone()).collect()
}

/// The earliest day an item some member held back comes due.
fn next_due(summaries: &[MemberSummary]) -> Option<Date> {
    summaries
        .iter()
        .filter_map(|x| x.decision.next_due())
        .min_by_key(Date::sort_key)
}

/// An empty group where the last build had items is refused unless allowed.
fn empty_refused(out: &Path, items: usize, allow: bool, s: &mut GroupSummary) -> bool {
    let Some(last) = BuildManifest::load(out) else {
        return false;
    };
    if items > 0 || last.items == 0 || allow {
        return false;
    }
    s.error(
        Diagnostic::error("empty", "sites", format!("这次构建没有任何年度报告、新闻或公开信息，而输出文件夹里上次构建的门户有 {} 条；发布它会撤下全部页面", last.items))
            .help("检查各成员的 content 文件夹是否还在、能否读取。如果确实要发布一个空的门户，加上 --allow-empty。"),
    );
    true
}

/// Removes summaries of members this output no longer has.
fn remove_stale_data(out: &Path, data: &[String]) -> anyhow::Result<()> {
    let keep: BTreeSet<&str> = data.iter().map(String::as_str).collect();
    let dir = out.join(gp::DATA);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    for e in entries.filter_map(Result::ok) {
        let rel = format!("{}{}", gp::DATA, e.file_name().to_string_lossy());
        if !keep.contains(rel.as_str()) {
            crate::ground::fs::remove_file(&e.path())?;
        }
    }
    Ok(())
}

/// The group search index: the last build's updated in place where it can be (only
/// some members were rebuilt, the group pages are as that build left them), else made
/// in full from every member's records.
fn group_index(
    group: &Group,
    (out, staging): (&Path, &Staging),
    (state, group_key): (&State, &str),
    w: &Written,
) -> anyhow::Result<Option<Made>> {
    if !group.config.search.enabled {
        return Ok(None);
    }
    let slugs: Vec<String> = w.summaries.iter().map(|x| x.slug.clone()).collect();
    let key = format!("{group_key}|{}", slugs.join("/"));
    let pages: Vec<&str> = state.pages.iter().map(String::as_str).collect();
    let intact = state.group == group_key && fingerprint::listed(out, &pages) == state.pages_output;
    let patched = IndexState::load(&search::state_path(out))
        .filter(|_| intact)
        .and_then(|last| {
            search::update(out, last, &slugs, &key, &w.rebuilt, |slug| {
                staging.current(&gp::search_records(slug))
            })
        });
    if patched.is_some() {
        return Ok(patched);
    }
    let mut records = Vec::new();
    for x in &w.summaries {
        records.extend(summary::read_records(
            &staging.current(&gp::search_records(&x.slug)),
        )?);
    }
    Ok(full_index(group, &w.summaries, records, key))
}

/// The whole group search index of `records`, if the group has one.
pub fn full_index(
    group: &Group,
    summaries: &[MemberSummary],
    records: Vec<summary::SearchRecord>,
    key: String,
) -> Option<Made> {
    let slugs: Vec<String> = summaries.iter().map(|x| x.slug.clone()).collect();
    group
        .config
        .search
        .enabled
        .then(|| search::index(records, &slugs, key))
}

/// The group pages and the group's own checks (late reports), into `s`.
pub fn group_pages(
    group: &Group,
    opts: &GroupOptions,
    summaries: &[MemberSummary],
    made: Option<&Made>,
    not_updated: &[NotUpdated],
    s: &mut GroupSummary,
) -> Vec<OutFile> {
    let as_of = Some(opts.gate.day());
    s.as_of = as_of.map(|d| d.ymd());
    late_reports(group, summaries, as_of, &mut s.diagnostics);
    let rel = |slug: &str| {
        group
            .members
            .iter()
            .find(|x| x.slug == slug)
            .map_or_else(|| slug.to_string(), |x| x.rel.clone())
    };
    super::website_reports::missing(
        &super::website_reports::years(summaries, as_of, group.config.reports.first_year),
        &rel,
        &mut s.diagnostics,
    );
    let (files, d) = pages::render(pages::Inputs {
        group,
        members: summaries,
        search: made.map(|m| &m.shape),
        as_of,
        load: &opts.load,
        not_updated,
    });
    s.diagnostics.extend(d);
    if opts.strict {
        s.diagnostics.make_strict();
    }
    files
}

/// A warning for each report missing after its deadline.
fn late_reports(
    group: &Group,
    summaries: &[MemberSummary],
    as_of: Option<Date>,
    diags: &mut Diagnostics,
) {
    let section = reports::section(summaries, as_of, group.config.reports.first_year);
    let when = as_of.map(|d| d.chinese()).unwrap_or_default();
    for y in &section.years {
        for e in y.entries.iter().filter(|e| e.status == Status::Missing) {
            let m = e.member;
            let rel = group
                .members
                .iter()
                .find(|x| x.slug == m.slug)
                .map_or_else(|| m.slug.clone(), |x| x.rel.clone());
            diags.push(
                Diagnostic::warning(
                    "report-missing",
                    format!("{rel}/content/reports"),
                    format!(
                        "{}（{}）没有 {} 年度的政府信息公开工作年度报告：{}应在 {} 前发布，按 {when} 计已经逾期",
                        m.name,
                        m.slug,
                        y.year,
                        m.kind.label(),
                        m.kind.deadline(y.year).chinese()
                    ),
                )
                .help(format!("在 {rel}/content/reports/ 中加上 {}.yaml（可运行 `gongkai new report {}`）。核对截止日期用 --as-of 指定日期。", y.year, y.year)),
            );
        }
    }
}

/// Joins the outputs of `build --shard` into `out` with the group pages.
fn merge(
    group: &Group,
    opts: &GroupOptions,
    dirs: &[PathBuf],
    out: &Path,
    s: &mut GroupSummary,
) -> anyhow::Result<()> {
    let fp = super::fingerprint(group, &opts.load, opts.strict);
    for d in dirs {
        if !BuildManifest::load(d).is_some_and(|m| m.complete && m.part.is_some()) {
            s.error(
                Diagnostic::error(
                    "merge",
                    d.display().to_string(),
                    "这个文件夹不是一次完成了的 `gongkai build --shard K/N` 的输出（没有 .gongkai-build.json）",
                )
                .help("--merge 后面写各个分片构建的输出文件夹。CI 传递分片时要保留以 . 开头的文件（.gongkai-build.json、.gongkai-group/）：GitHub Actions 的 upload-artifact 要加 include-hidden-files: true。"),
            );
        }
    }
    let mut found: Vec<(&Member, &PathBuf, MemberSummary)> = Vec::new();
    for m in &group.members {
        let hits: Vec<(&PathBuf, MemberSummary)> = dirs
            .iter()
            .filter_map(|d| Some((d, MemberSummary::read(&d.join(gp::summary(&m.slug)))?)))
            .collect();
        let problem = match hits.as_slice() {
            [] => Some(format!("成员 `{}` 不在任何一个分片的输出中", m.slug)),
            [(_, x)] if x.group != fp => Some(format!(
                "成员 `{}` 的分片是用不同的 group.toml、门户主题、构建选项或 gongkai 版本构建的",
                m.slug
            )),
            // Its gate judged by another day: what it held back, and its freshness, differ.
            [(_, x)] if x.decision.as_of.map(|d| d.ymd()) != Some(opts.gate.day().ymd()) => {
                Some(format!(
                    "成员 `{}` 的分片是按 {} 构建的，合并按 {}：定时发布和检查的日期不同",
                    m.slug,
                    x.decision
                        .as_of
                        .map_or_else(|| "（未知日期）".to_string(), |d| d.ymd()),
                    opts.gate.day().ymd()
                ))
            }
            [_] => None,
            more => Some(format!(
                "成员 `{}` 同时出现在多个分片中：{}",
                m.slug,
                more.iter()
                    .map(|(d, _)| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join("、")
            )),
        };
        match problem {
            Some(p) => s.error(
                Diagnostic::error("merge", GROUP_FILE, p)
                    .help("用同一份源文件和相同的选项（--as-of 写同一天）运行全部 N 个 `gongkai build --shard K/N`，再把它们的输出都写在 --merge 后面（也写同一个 --as-of）。"),
            ),
            None => {
                let (d, x) = hits.into_iter().next().unwrap_or_else(|| unreachable!("one hit"));
                found.push((m, d, x));
            }
        }
    }
    let mut checked = Vec::new();
    for (m, d, x) in &found {
        match super::merge::shard_files(d, &m.slug, x) {
            Ok(files) => checked.push(files),
            Err(problems) => problems.into_iter().for_each(|p| s.error(p)),
        }
    }
    if s.failed() {
        return Ok(());
    }
    let mut staging = Staging::begin(out)?;
    let mut published = Vec::new();
    let mut data = Vec::new();
    let mut records = Vec::new();
    for ((m, d, x), files) in found.iter().zip(&checked) {
        let own = [gp::summary(&m.slug), gp::search_records(&m.slug)];
        staging.add(files)?;
        records.extend(summary::read_records(&d.join(&own[1]))?);
        published.extend(x.files.iter().cloned());
        data.extend(own);
        s.member(m, Some(x), x.diagnostics.iter().cloned().collect(), false);
    }
    s.merged = true;
    let summaries: Vec<MemberSummary> = found.into_iter().map(|(_, _, x)| x).collect();
    let mut made = full_index(group, &summaries, records, String::new());
    let files = group_pages(group, opts, &summaries, made.as_ref(), &[], s);
    if s.failed() {
        return Ok(());
    }
    staging.add(&files)?;
    published.extend(files.iter().map(|f| f.path.clone()));
    if let Some(m) = &mut made {
        m.write(&mut |files| staging.add(files).map(drop))?;
        published.extend(m.paths());
    }
    let items: usize = summaries.iter().map(MemberSummary::items).sum();
    if empty_refused(out, items, opts.allow_empty, s) {
        return Ok(());
    }
    let keep: BTreeSet<&str> = published.iter().chain(&data).map(String::as_str).collect();
    let _ = std::fs::remove_file(state_path(out));
    IndexState::forget(&search::state_path(out));
    Record::forget(out);
    let manifest = BuildManifest::of_paths(items, published.clone());
    s.written = Some(staging.commit(&keep, &manifest.file())?);
    remove_stale_data(out, &data)?;
    // The shards were built from the sources as they are here, the same commit.
    Record {
        as_of: opts.gate.day(),
        next_due: next_due(&summaries),
        decision: decision(group, &summaries),
        sources: super::sources(group),
        missing: missing(&summaries),
        not_updated: Vec::new(),
    }
    .save(out)?;
    s.items = items;
    s.files = published.len();
    s.pages = published.iter().filter(|p| p.ends_with(".html")).count();
    Ok(())
}
