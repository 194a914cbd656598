//! The gate: the one function between loading and rendering that decides what may be
//! published. Every path that can put something in front of the public passes it — a
//! single site's `check` and `build`, each member of a portal group (whole, `--shard`,
//! `--merge` reads what members' gates said), the preview (`serve`: findings shown, never
//! blocking) and `deploy` (which publishes only a build whose record says it passed and
//! whose sources have not changed since).
//!
//! [`check`] takes a loaded site and gives back a [`Gated`] site: the items that may be
//! published now, held back what may not yet be (定时发布: dated after the build's day;
//! 审核签发: not yet signed, when `[review] required`), and the findings that decide
//! whether it may go out at all — [`validate`] (report rules, addresses, the catalogue),
//! the checks against the 检查指标 ([`compliance`], personal data an error by default) and
//! the sign-off records ([`review`]). Rendering takes a [`Gated`] site only, so nothing
//! reaches the output without passing here.

pub mod compliance;
pub mod masking;
pub mod names;
pub mod review;
pub mod schedule;
pub mod validate;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use self::compliance::memo::TextMemo;
use crate::ground::date::Date;
use crate::ground::diagnostics::Diagnostics;
use crate::model::content::SignOff;
use crate::model::reload::Reload;
use crate::model::site::{ContentFile, LoadOptions, Site};

/// What the gate is asked beyond the site.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The day the site is published on (`--as-of`; today when not given): items dated
    /// later wait (定时发布), freshness and deadlines are judged by it.
    pub as_of: Option<Date>,
    /// The agency's own list of wrong and forbidden phrases (`--words FILE`).
    pub words: Option<PathBuf>,
    /// Collect the external links of the rendered pages (for `--links-report`).
    pub collect_links: bool,
    /// Request every external link (`--online`).
    pub online: bool,
    /// Let through what would be held back (the preview's `--drafts`), still listed.
    pub show_held: bool,
}

impl Options {
    /// The day the gate judges by.
    pub fn day(&self) -> Date {
        self.as_of.unwrap_or_else(Date::today)
    }
}

/// Why an item is not published yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Why {
    /// 定时发布: dated after the day of the build; the first build on or after that day
    /// publishes it.
    Scheduled { date: Date },
    /// 审核签发: what its sign-off still lacks, in the order the work is done.
    Unsigned { missing: Vec<String> },
}

/// An item or report the gate held back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    /// The source file, relative to the site root.
    pub file: String,
    pub title: String,
    #[serde(flatten)]
    pub why: Why,
}

/// Who let one published item out, as the build record keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    pub file: String,
    pub title: String,
    /// Its address on the site (relative to the site's root).
    pub path: String,
    #[serde(flatten)]
    pub sign_off: SignOff,
}

/// What the gate decided, beside the site it let through: the record a build keeps.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Decision {
    /// The day it judged by.
    pub as_of: Option<Date>,
    pub held: Vec<Held>,
    /// The sign-offs of what was published (where recorded).
    pub signed: Vec<Signed>,
}

impl Decision {
    /// The earliest day a held item becomes due: a build on or after it publishes more.
    pub fn next_due(&self) -> Option<Date> {
        self.held
            .iter()
            .filter_map(|h| match h.why {
                Why::Scheduled { date } => Some(date),
                Why::Unsigned { .. } => None,
            })
            .min_by_key(Date::sort_key)
    }

    pub fn scheduled(&self) -> impl Iterator<Item = &Held> {
        self.held
            .iter()
            .filter(|h| matches!(h.why, Why::Scheduled { .. }))
    }

    /// Adds a group member's decision: its files under `dir` (`sites/wb/`), its pages
    /// under `prefix` (`wb/`).
    pub fn merge(&mut self, member: &Decision, dir: &str, prefix: &str) {
        self.held.extend(member.held.iter().map(|h| Held {
            file: format!("{dir}{}", h.file),
            ..h.clone()
        }));
        self.signed.extend(member.signed.iter().map(|s| Signed {
            file: format!("{dir}{}", s.file),
            path: format!("{prefix}{}", s.path),
            ..s.clone()
        }));
    }

    pub fn unsigned(&self) -> impl Iterator<Item = &Held> {
        self.held
            .iter()
            .filter(|h| matches!(h.why, Why::Unsigned { .. }))
    }
}

/// A site as the gate let it through: only what may be published now, with what the
/// gate found. Made by [`check`] only; rendering takes nothing else.
pub struct Gated {
    site: Site,
    options: Options,
    /// The findings that decide whether the site may be published (errors stop it).
    pub findings: Diagnostics,
    pub decision: Decision,
    /// What was found in each published text, for the next run of the gate.
    pub texts: TextMemo,
    /// The key of each attachment's bytes as the gate read them: its copy must have them.
    pub bytes: compliance::sources::Bytes,
}

impl Gated {
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Whether the gate lets the site be published.
    pub fn passed(&self) -> bool {
        !self.findings.has_errors()
    }

    /// Gives the site back (the caller is done rendering it).
    pub fn into_site(self) -> Site {
        self.site
    }

    /// Loads saved items again into the site (the preview's fast path), each through the
    /// gate's holding back as a full build would, and says which pages they touch. The
    /// findings are not run again here: [`Gated::recheck`] does that when asked.
    pub fn reload_items(
        &mut self,
        paths: &[PathBuf],
        load: &LoadOptions,
    ) -> Result<Reload, Diagnostics> {
        let day = self.options.day();
        let (config, show) = (self.site.config.clone(), self.options.show_held);
        let hold = move |file: &ContentFile| {
            !show
                && schedule::Front::of(file)
                    .is_some_and(|front| schedule::holds(&front, &config, day).is_some())
        };
        crate::model::reload::reload_items(&mut self.site, paths, load, &hold)
    }

    /// Runs the findings again on the site as it is now (after [`Gated::reload_items`]).
    pub fn recheck(&mut self) {
        let mut d = validate::validate(&self.site);
        let (found, texts, bytes) =
            findings_after_hold(&self.site, &self.options, Some(&self.texts));
        d.extend(found);
        self.findings = d;
        self.texts = texts;
        self.bytes = bytes;
    }
}

/// The gate: holds back what may not be published yet and finds what stops publication.
pub fn check(site: Site, options: &Options) -> Gated {
    check_with_memo(site, options, None)
}

/// The gate, taking the findings of texts unchanged since `last` was made from it
/// ([`compliance::memo`]): the same findings, found faster.
pub fn check_with_memo(mut site: Site, options: &Options, last: Option<&TextMemo>) -> Gated {
    let day = options.day();
    // Addresses, report years and references are checked over everything loaded: an item
    // held back today is published by a later build, unchanged.
    let mut all = validate::validate(&site);
    let held = if options.show_held {
        schedule::held(&site, day)
    } else {
        schedule::hold_back(&mut site, day)
    };
    masking::mask_messages(&mut site, day.year);
    let (found, texts, bytes) = findings_after_hold(&site, options, last);
    all.extend(found);
    // The compliance checks read every published text line by line; that memory is free now.
    crate::ground::memory::release();
    let decision = Decision {
        as_of: Some(day),
        held,
        signed: review::signed(&site),
    };
    Gated {
        site,
        options: options.clone(),
        findings: all,
        decision,
        texts,
        bytes,
    }
}

fn findings_after_hold(
    site: &Site,
    options: &Options,
    last: Option<&TextMemo>,
) -> (Diagnostics, TextMemo, compliance::sources::Bytes) {
    let mut d = review::check(site, options.day());
    let (found, texts, bytes) = compliance::check(site, options, last);
    d.extend(found);
    (d, texts, bytes)
}
