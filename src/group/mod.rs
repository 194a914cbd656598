//! A portal group (集约化): one repository holding a portal and its member agencies, built
//! by one command.
//!
//! ```text
//! group.toml            the portal: identity, shared navigation, inherited settings, members
//! themes/  static/      the group's theme (members inherit it) and the portal's own files
//! sites/<slug>/         one member: site.toml, content/, static/, themes/ as any site
//! ```
//!
//! Each member is a site of its own ([`member`]), its site.toml merged over what the
//! group gives ([`config`]), published under `/<slug>/`. Members are built one after
//! another, each released before the next, so memory does not grow with their number;
//! each leaves a [`summary`] from which the group's pages are made ([`pages`]: the
//! agency directory, the latest items, the group-wide [`search`], the 年报 section of
//! [`reports`]). A member whose inputs did not change is not built again ([`build`]), and
//! the members can be split over machines and joined again ([`shard`], `--merge`).

pub mod build;
pub mod config;
pub mod member;
pub mod merge;
pub mod pages;
pub mod reports;
pub mod search;
pub mod shard;
pub mod summary;
pub mod website_reports;

pub use config::{GROUP_FILE, Group, Member, is_group};

use crate::ground::fnv::Fnv64;
use crate::model::site::LoadOptions;

/// What members are built from besides their own folders, by content (not by file
/// times, which differ between checkouts): group.toml, the group's themes, the options
/// and the gongkai version. Shards joined by `--merge` must agree on it.
pub fn fingerprint(group: &Group, load: &LoadOptions, strict: bool) -> String {
    let mut h = Fnv64::default();
    h.write(concat!("gongkai ", env!("CARGO_PKG_VERSION")).as_bytes());
    h.write(format!("{load:?}|{strict}").as_bytes());
    h.write(&std::fs::read(group.root.join(GROUP_FILE)).unwrap_or_default());
    let themes = group.root.join("themes");
    let mut files: Vec<_> = walkdir::WalkDir::new(&themes)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for f in files {
        h.write(crate::ground::diagnostics::rel_path(&themes, &f).as_bytes());
        h.write(&std::fs::read(&f).unwrap_or_default());
    }
    format!("{:016x}", h.finish())
}

/// What a build of the group reads, file by file (for the record deploy checks): the
/// group's own files and each member's site.toml, content/, static/ and themes/, by path
/// from the group root.
pub fn sources(group: &Group) -> crate::output::fingerprint::Stamps {
    let members: Vec<_> = group
        .members
        .iter()
        .map(|m| crate::output::fingerprint::site_sources(&m.dir))
        .collect();
    sources_of(group, group.members.iter().zip(&members))
}

/// [`sources`] from each member's sources as walked already.
pub fn sources_of<'a>(
    group: &Group,
    members: impl Iterator<Item = (&'a Member, &'a crate::output::fingerprint::Stamps)>,
) -> crate::output::fingerprint::Stamps {
    let mut all =
        crate::output::fingerprint::stamps(&group.root, &[GROUP_FILE], &["themes", "static"]);
    for (m, stamps) in members {
        for (path, stamp) in stamps {
            all.insert(format!("{}/{path}", m.rel), *stamp);
        }
    }
    all
}
