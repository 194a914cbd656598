//! `group.toml`: a portal group (集约化平台) — the portal's identity, its shared
//! navigation, what every member inherits and the member list — and each member's
//! site.toml merged over what it inherits.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::paths;
use crate::config::{Agency, Config, DeployTarget, NavLink, Portal};
use crate::ground::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::input::source_map::{KeyPath, SourceMap};
use crate::input::strict::{self, Syntax};
use crate::model::site::LoadOptions;

/// The file that makes a folder a portal group.
pub const GROUP_FILE: &str = "group.toml";
/// Where members live by default: `sites/<slug>/`.
pub const MEMBERS_DIR: &str = "sites";

/// Whether `root` is a portal group (it holds `group.toml`).
pub fn is_group(root: &Path) -> bool {
    root.join(GROUP_FILE).is_file()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct GroupConfig {
    /// The portal's name (e.g. 威海市人民政府).
    pub title: String,
    /// Where the portal is published; member `wb` is published at `<base_url>wb/`.
    pub base_url: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The portal's identity, shown on the group's pages; members inherit its
    /// 网站标识码, ICP备案号 and 公安备案号.
    pub agency: Agency,
    /// The shared navigation: on the group's pages and above every member's header.
    #[serde(default)]
    pub nav: Vec<NavLink>,
    /// The theme of the group's pages, and of every member that does not name its own.
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub members: Vec<MemberEntry>,
    /// What every member inherits: any key of site.toml, the member's own winning.
    #[serde(default)]
    pub site: toml::Table,
    #[serde(default)]
    pub search: GroupSearch,
    #[serde(default)]
    pub reports: GroupReports,
    #[serde(default)]
    pub latest: LatestConfig,
    /// Where `gongkai deploy NAME` publishes the whole portal.
    #[serde(default)]
    pub deploy: BTreeMap<String, DeployTarget>,
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

fn default_theme() -> String {
    "default".into()
}

impl GroupConfig {
    /// The `[compliance]` every member inherits (`[site.compliance]`), which the portal's
    /// own files are judged by; the defaults when there is none, or when it is written
    /// wrong (each member's build says how).
    pub fn compliance(&self) -> crate::config::ComplianceConfig {
        self.site
            .get("compliance")
            .and_then(|c| c.clone().try_into().ok())
            .unwrap_or_default()
    }
}

/// One member agency (`[[members]]`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct MemberEntry {
    /// The folder the member is published in (`wb` → `/wb/`); letters, digits, Chinese.
    pub slug: String,
    /// Its site folder, relative to the group; `sites/<slug>` when not given.
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub kind: MemberKind,
    /// The first year the member must publish a yearly report (when it joined).
    #[serde(default)]
    pub since: Option<u32>,
}

/// What kind of body a member is: it decides the deadline of its yearly report
/// (《政府信息公开条例》第四十九条). The same as a single site's `[compliance.reports]
/// agency_kind`, whose `reports.missing` check uses the same deadlines.
pub use crate::config::AgencyKind as MemberKind;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct GroupSearch {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Characters of each page's text in the group-wide index (titles, 文号 and 索引号
    /// always are): the index of 100,000 pages stays small. Each member's own search
    /// keeps its full text.
    #[serde(default = "default_group_body")]
    pub body_chars: usize,
}

fn yes() -> bool {
    true
}
fn default_group_body() -> usize {
    200
}

impl Default for GroupSearch {
    fn default() -> Self {
        GroupSearch {
            enabled: true,
            body_chars: default_group_body(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct GroupReports {
    /// The first year every member must have a report for; the earliest year any member
    /// has one when not given.
    #[serde(default)]
    pub first_year: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct LatestConfig {
    /// Latest items on the portal's home page.
    #[serde(default = "default_home")]
    pub home: usize,
    /// Latest items on the page of latest items.
    #[serde(default = "default_page")]
    pub page: usize,
}

fn default_home() -> usize {
    10
}
fn default_page() -> usize {
    50
}

impl Default for LatestConfig {
    fn default() -> Self {
        LatestConfig {
            home: default_home(),
            page: default_page(),
        }
    }
}

/// A member as the group builds it.
#[derive(Debug, Clone)]
pub struct Member {
    pub slug: String,
    /// Its site folder.
    pub dir: PathBuf,
    /// The folder relative to the group root, `/`-separated (`sites/wb`), for messages.
    pub rel: String,
    pub kind: MemberKind,
    pub since: Option<u32>,
}

/// A loaded portal group.
#[derive(Debug, Clone)]
pub struct Group {
    pub root: PathBuf,
    pub config: GroupConfig,
    pub members: Vec<Member>,
    source_map: SourceMap,
}

impl Group {
    /// Reads `root/group.toml` and finds its members; `None` when it cannot be used.
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Group> {
        let text = match std::fs::read_to_string(root.join(GROUP_FILE)) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::error(
                    "config",
                    GROUP_FILE,
                    format!("无法读取：{}", crate::ground::fs::describe(&e)),
                ));
                return None;
            }
        };
        let parsed = strict::parse::<GroupConfig>(Syntax::Toml, &text, GROUP_FILE, 0);
        diags.extend(parsed.diagnostics);
        let config = parsed.value?;
        let mut group = Group {
            root: root.to_path_buf(),
            config,
            members: Vec::new(),
            source_map: parsed.source_map,
        };
        if !(group.config.base_url.starts_with("http://")
            || group.config.base_url.starts_with("https://"))
        {
            diags.push(
                Diagnostic::error(
                    "config",
                    GROUP_FILE,
                    format!("base_url `{}` 不是完整的网址", group.config.base_url),
                )
                .at(group.pos(&["base_url"]))
                .help("写成 https://www.example.gov.cn/ 这样以 http:// 或 https:// 开头的网址。"),
            );
        }
        group
            .config
            .agency
            .check_identity(GROUP_FILE, &|p| group.pos(p), diags);
        group.members = group.find_members(diags);
        Some(group)
    }

    /// The position of a key of group.toml.
    pub fn pos(&self, path: &[&str]) -> Option<Pos> {
        let p: KeyPath = path.iter().map(|s| s.to_string()).collect();
        self.source_map.pos(&p)
    }

    /// The members of `[[members]]` that can be built; the others are reported.
    fn find_members(&self, diags: &mut Diagnostics) -> Vec<Member> {
        let mut out: Vec<Member> = Vec::new();
        let mut slugs: BTreeMap<&str, usize> = BTreeMap::new();
        // Each member's folder with every link resolved: two spellings of one folder
        // are one folder.
        let mut reals: Vec<PathBuf> = Vec::new();
        let root = dunce::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        for (i, e) in self.config.members.iter().enumerate() {
            let index = i.to_string();
            let at = |key: &str| self.pos(&["members", &index, key]);
            let problem = slug_problem(&e.slug);
            if let Some(p) = problem {
                diags.push(
                    Diagnostic::error("member", GROUP_FILE, format!("成员代码 `{}` {p}", e.slug))
                        .at(at("slug"))
                        .help("成员代码是成员网站在门户下的文件夹名（如 wb、教育局），只用小写字母、数字、汉字、- 和 _。"),
                );
                continue;
            }
            if let Some(first) = slugs.insert(&e.slug, i) {
                diags.push(
                    Diagnostic::error(
                        "duplicate-slug",
                        GROUP_FILE,
                        format!(
                            "成员代码 `{}` 重复：第 {} 个和第 {} 个成员用了同一个代码",
                            e.slug,
                            first + 1,
                            i + 1
                        ),
                    )
                    .at(at("slug"))
                    .help("每个成员的 slug 必须不同：它是成员网站在门户下的文件夹名。"),
                );
                continue;
            }
            let rel = e
                .path
                .clone()
                .unwrap_or_else(|| format!("{MEMBERS_DIR}/{}", e.slug));
            let parts: Vec<Component> = Path::new(&rel).components().collect();
            let inside = parts.iter().all(|c| matches!(c, Component::Normal(_)));
            // One spelling per folder: `sites//wb` and `sites/wb/.` are `sites/wb`.
            let rel: String = parts
                .iter()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if rel.is_empty() {
                diags.push(
                    Diagnostic::error("member", GROUP_FILE, format!("成员 `{}` 的 path 是空的：那就是门户文件夹本身", e.slug))
                        .at(at("path"))
                        .help(format!("path 写成员网站自己的文件夹，例如 {MEMBERS_DIR}/{}；不写 path 就是这个文件夹。", e.slug)),
                );
                continue;
            }
            if !inside {
                diags.push(
                    Diagnostic::error("member", GROUP_FILE, format!("成员 `{}` 的 path `{rel}` 不在门户文件夹里", e.slug))
                        .at(at("path"))
                        .help("path 写相对于 group.toml 所在文件夹的路径，例如 sites/wb；不能以 / 开头，也不能含 ..。"),
                );
                continue;
            }
            let dir = self.root.join(&rel);
            if !dir.join(crate::config::CONFIG_FILE).is_file() {
                diags.push(
                    Diagnostic::error("member", GROUP_FILE, format!("找不到成员 `{}` 的网站：{rel}/site.toml 不存在", e.slug))
                        .at(at("slug"))
                        .help(format!("新建 {rel}/site.toml（可运行 `gongkai init {rel}`），或者从 group.toml 中删除这个成员。")),
                );
                continue;
            }
            let real = dunce::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
            if real == root {
                diags.push(
                    Diagnostic::error("symlink", GROUP_FILE, format!("成员 `{}` 的文件夹 {rel} 是一个链接，指向门户文件夹本身（group.toml 所在的文件夹）；门户文件夹不能做成员", e.slug))
                        .at(at("path"))
                        .help(format!("把成员网站的文件放进 {rel} 这个真正的文件夹，再删除这个链接。")),
                );
                continue;
            }
            if !real.starts_with(&root) {
                diags.push(
                    Diagnostic::error("symlink", GROUP_FILE, format!("成员 `{}` 的文件夹 {rel} 是一个链接，指向门户文件夹之外（{}），为安全起见不会读取或发布", e.slug, real.display()))
                        .at(at("path"))
                        .help(format!("把成员网站的文件复制到 {rel}，再删除这个链接。")),
                );
                continue;
            }
            if let Some((other, _)) = out.iter().zip(&reals).find(|(_, r)| **r == real) {
                diags.push(
                    Diagnostic::error(
                        "member",
                        GROUP_FILE,
                        format!(
                            "成员 `{}` 和 `{}` 指向同一个文件夹 {rel}",
                            other.slug, e.slug
                        ),
                    )
                    .at(at("path"))
                    .help("每个成员要有自己的网站文件夹。"),
                );
                continue;
            }
            reals.push(real);
            out.push(Member {
                slug: e.slug.clone(),
                dir,
                rel,
                kind: e.kind,
                since: e.since,
            });
        }
        if self.config.members.is_empty() {
            diags.push(
                Diagnostic::error("member", GROUP_FILE, "group.toml 没有列出任何成员")
                    .help("为每个成员网站加一段：\n      [[members]]\n      slug = \"wb\""),
            );
        }
        self.unlisted(&out, diags);
        out
    }

    /// Warns of member-like folders under `sites/` that group.toml does not list.
    fn unlisted(&self, members: &[Member], diags: &mut Diagnostics) {
        let listed: BTreeSet<&str> = members.iter().map(|m| m.rel.as_str()).collect();
        let Ok(entries) = std::fs::read_dir(self.root.join(MEMBERS_DIR)) else {
            return;
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().join(crate::config::CONFIG_FILE).is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let rel = format!("{MEMBERS_DIR}/{name}");
            if !listed.contains(rel.as_str()) {
                diags.push(
                    Diagnostic::warning(
                        "member",
                        rel.clone(),
                        "这个成员网站没有列在 group.toml 中，不会构建",
                    )
                    .help(format!(
                        "在 group.toml 中加上\n      [[members]]\n      slug = \"{name}\""
                    )),
                );
            }
        }
    }

    /// The address the group is published at (the preview's when `load` says so).
    pub fn base_url(&self, load: &LoadOptions) -> String {
        let url = load.base_url.as_deref().unwrap_or(&self.config.base_url);
        format!("{}/", url.trim_end_matches('/'))
    }

    /// The address a member is published at: the group's, then its slug.
    pub fn member_url(&self, slug: &str, load: &LoadOptions) -> String {
        format!("{}{}/", self.base_url(load), paths::encode(slug))
    }

    /// What members show of the portal.
    pub fn portal(&self, load: &LoadOptions) -> Portal {
        let base = paths::url_path(&self.base_url(load));
        Portal {
            title: self.config.title.clone(),
            url: base.clone(),
            nav: resolve_nav(&self.config.nav, &base),
        }
    }
}

/// Navigation links with site paths (`/agencies/`) under `base`, full URLs as written.
pub fn resolve_nav(nav: &[NavLink], base: &str) -> Vec<NavLink> {
    nav.iter()
        .map(|n| NavLink {
            title: n.title.clone(),
            url: match n.url.strip_prefix('/') {
                Some(p) => format!("{base}{p}"),
                None => n.url.clone(),
            },
        })
        .collect()
}

/// What is wrong with a member's slug, if anything.
fn slug_problem(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        Some("是空的")
    } else if paths::slugify(slug) != slug {
        Some("含有不能用在网址中的字符或大写字母")
    } else if paths::group::RESERVED.contains(&slug) {
        Some("是门户自己的页面所用的名字")
    } else {
        None
    }
}

/// A member's config, merged from what it inherits and its own site.toml, with the
/// problems found: those in the member's files (relative to its folder) and those in
/// group.toml (relative to the group).
pub struct MemberConfig {
    pub config: Option<Config>,
    pub member: Diagnostics,
    pub group: Diagnostics,
}

/// Merges `over` into `base`: tables key by key, anything else replaced whole (so a
/// member's `[[nav]]` replaces the inherited one).
pub fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            // An empty value (`site_code = ""`, as `init` writes) says nothing: it inherits.
            (Some(_), toml::Value::String(s)) if s.trim().is_empty() => {}
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn lookup<'a>(t: &'a toml::Table, path: &[String]) -> Option<&'a toml::Value> {
    let (first, rest) = path.split_first()?;
    rest.iter().try_fold(t.get(first)?, |v, seg| match v {
        toml::Value::Table(t) => t.get(seg),
        toml::Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

/// What a member inherits before its own site.toml: the group's theme and identity
/// numbers, then the group's `[site]` (with its font paths made absolute).
fn inherited(group: &Group) -> toml::Table {
    let mut t = toml::Table::new();
    t.insert("theme".into(), group.config.theme.clone().into());
    let a = &group.config.agency;
    let mut agency = toml::Table::new();
    for (key, v) in [
        ("site_code", &a.site_code),
        ("icp", &a.icp),
        ("police_record", &a.police_record),
    ] {
        if let Some(v) = v {
            agency.insert(key.into(), v.clone().into());
        }
    }
    t.insert("agency".into(), agency.into());
    let mut site = group.config.site.clone();
    if let Some(toml::Value::Table(pdf)) = site.get_mut("pdf")
        && let Some(toml::Value::Array(fonts)) = pdf.get_mut("fonts")
    {
        for f in fonts.iter_mut() {
            if let toml::Value::String(s) = f
                && Path::new(s.as_str()).is_relative()
            {
                *s = crate::ground::fs::absolute(&group.root.join(&*s))
                    .display()
                    .to_string();
            }
        }
    }
    merge(&mut t, site);
    t
}

/// What stands for the member's slug in an upload target inherited from group.toml.
pub const SLUG: &str = "{slug}";

/// Gives each upload target inherited from group.toml's `[site.deploy.NAME]` the member's
/// own place: `{slug}` in any of its values becomes the member's slug; a target that
/// names no `{slug}` gets the slug as its last folder (`path`, or the S3 `prefix`), the
/// member's folder of the portal. A relative folder `path` is relative to the group root.
/// Without this every member would be sent to one place, each replacing (and with
/// `--delete` removing) the others' files.
fn inherit_deploy(merged: &mut toml::Table, group: &Group, slug: &str) {
    let Some(toml::Value::Table(targets)) = merged.get_mut("deploy") else {
        return;
    };
    for (_, target) in targets.iter_mut() {
        let toml::Value::Table(t) = target else {
            continue;
        };
        let mut named = false;
        for (_, v) in t.iter_mut() {
            if let toml::Value::String(s) = v
                && s.contains(SLUG)
            {
                *s = s.replace(SLUG, slug);
                named = true;
            }
        }
        let is_s3 = t.get("kind").and_then(toml::Value::as_str) == Some("s3");
        let key = if is_s3 { "prefix" } else { "path" };
        if !named {
            let base = t.get(key).and_then(toml::Value::as_str).unwrap_or_default();
            let joined = match base.trim_end_matches(['/', '\\']) {
                "" if is_s3 => slug.to_string(),
                "" => base.to_string(),
                b => format!("{b}/{slug}"),
            };
            t.insert(key.into(), joined.into());
        }
        let is_folder = t.get("kind").and_then(toml::Value::as_str) == Some("folder");
        if is_folder
            && let Some(toml::Value::String(p)) = t.get_mut("path")
            && !p.starts_with('~')
            && Path::new(p.as_str()).is_relative()
        {
            *p = crate::ground::fs::absolute(&group.root.join(&*p))
                .display()
                .to_string();
        }
    }
}

/// Reads member `m`'s site.toml and merges it over what it inherits.
pub fn member_config(group: &Group, m: &Member, load: &LoadOptions) -> MemberConfig {
    let mut out = MemberConfig {
        config: None,
        member: Diagnostics::new(),
        group: Diagnostics::new(),
    };
    let file = crate::config::CONFIG_FILE;
    let text = match std::fs::read_to_string(m.dir.join(file)) {
        Ok(t) => t,
        Err(e) => {
            out.member.push(Diagnostic::error(
                "config",
                file,
                format!("无法读取：{}", crate::ground::fs::describe(&e)),
            ));
            return out;
        }
    };
    let parsed = strict::parse::<toml::Table>(Syntax::Toml, &text, file, 0);
    out.member.extend(parsed.diagnostics);
    let Some(own) = parsed.value else {
        return out;
    };
    let own_map = parsed.source_map;
    if own.contains_key("base_url") {
        out.member.push(
            Diagnostic::warning(
                "member-url",
                file,
                "门户成员的网址由 group.toml 的 base_url 和成员代码决定，这里的 base_url 不会使用",
            )
            .at(own_map.pos(&["base_url".to_string()]))
            .help("删除这一行。"),
        );
    }
    let mut merged = inherited(group);
    inherit_deploy(&mut merged, group, &m.slug);
    // The member's kind in group.toml decides its own deadline check too (a 乡镇 is
    // not late on 1 February), unless its site.toml says otherwise.
    let mut reports = toml::Table::new();
    reports.insert("agency_kind".into(), m.kind.key().into());
    let mut compliance = toml::Table::new();
    compliance.insert("reports".into(), reports.into());
    let mut kind = toml::Table::new();
    kind.insert("compliance".into(), compliance.into());
    merge(&mut merged, kind);
    merge(&mut merged, own.clone());
    merged.insert("base_url".into(), group.member_url(&m.slug, load).into());
    if !merged.contains_key("title")
        && let Some(name) = lookup(&merged, &["agency".into(), "name".into()])
    {
        merged.insert("title".into(), name.clone());
    }
    // Where a key of the merged config was written: the member's file or group.toml.
    let place = |p: &KeyPath| -> (bool, Option<Pos>) {
        if lookup(&own, p).is_some() || lookup(&group.config.site, p).is_none() {
            (true, own_map.pos(p))
        } else {
            let mut in_group = vec!["site".to_string()];
            in_group.extend(p.iter().cloned());
            (false, group.source_map.pos(&in_group))
        }
    };
    let mut push = |is_member: bool, d: Diagnostic| {
        if is_member {
            out.member.push(d);
        } else {
            out.group.push(Diagnostic {
                file: GROUP_FILE.into(),
                ..d
            });
        }
    };
    let mut ignored: Vec<KeyPath> = Vec::new();
    let mut track = serde_path_to_error::Track::new();
    let de = serde_path_to_error::Deserializer::new(toml::Value::Table(merged), &mut track);
    let result: Result<Config, toml::de::Error> =
        serde_ignored::deserialize(de, |p| ignored.push(strict::key_path(&p)));
    let mut config = match result {
        Ok(c) => c,
        Err(e) => {
            let path = path_segments(&track.path());
            let (is_member, pos) = place(&path);
            push(
                is_member,
                Diagnostic::error(
                    "toml",
                    file,
                    format!(
                        "值的类型不对：{}",
                        crate::input::syntax::toml_typed_message(e.message()).0
                    ),
                )
                .at(pos)
                .help("检查这一项的写法和类型（文字要用英文双引号括起来，数字不要加引号）。"),
            );
            return out;
        }
    };
    let understood = serde_json::to_value(&config).unwrap_or_default();
    for p in ignored {
        let (is_member, pos) = place(&p);
        push(is_member, strict::unknown_key(&understood, &p, file, pos));
    }
    let at = |p: &[&str]| own_map.pos(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    config.check(&at, &mut out.member);
    config.portal = Some(group.portal(load));
    out.config = Some(config);
    out
}

fn path_segments(p: &serde_path_to_error::Path) -> KeyPath {
    use serde_path_to_error::Segment;
    p.iter()
        .filter_map(|s| match s {
            Segment::Map { key } => Some(key.clone()),
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_merge_key_by_key_and_the_member_wins() {
        let mut base: toml::Table =
            toml::from_str("theme = \"a\"\n[agency]\nicp = \"鲁ICP\"\nsponsor = \"门户\"\n[[nav]]\ntitle = \"首页\"\nurl = \"/\"\n")
                .unwrap();
        let over: toml::Table = toml::from_str(
            "[agency]\nsponsor = \"外办\"\n[[nav]]\ntitle = \"外事\"\nurl = \"/wsdt/\"\n",
        )
        .unwrap();
        merge(&mut base, over);
        assert_eq!(base["theme"].as_str(), Some("a"));
        assert_eq!(base["agency"]["icp"].as_str(), Some("鲁ICP"));
        assert_eq!(base["agency"]["sponsor"].as_str(), Some("外办"));
        let nav = base["nav"].as_array().unwrap();
        assert_eq!(nav.len(), 1, "arrays are replaced whole");
        assert_eq!(nav[0]["title"].as_str(), Some("外事"));
    }

    #[test]
    fn deadlines_follow_article_49() {
        assert_eq!(MemberKind::Department.deadline(2024).ymd(), "2025-01-31");
        assert_eq!(MemberKind::Government.deadline(2024).ymd(), "2025-03-31");
    }

    #[test]
    fn slugs_are_url_folders_that_the_group_pages_do_not_use() {
        assert_eq!(slug_problem("wb"), None);
        assert_eq!(slug_problem("教育局"), None);
        assert!(slug_problem("").is_some());
        assert!(slug_problem("WB").is_some());
        assert!(slug_problem("a/b").is_some());
        assert!(slug_problem("search").is_some());
    }

    fn group_with(member: &str, site: &str) -> (tempfile::TempDir, Group) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join(GROUP_FILE),
            format!("title = \"门户\"\nbase_url = \"https://www.x.gov.cn/\"\n\n[agency]\nname = \"门户\"\nsponsor = \"办公室\"\nicp = \"鲁ICP备1号\"\n\n[[members]]\nslug = \"教育局\"\n\n[site]\n{site}"),
        )
        .unwrap();
        std::fs::create_dir_all(root.join("sites/教育局")).unwrap();
        std::fs::write(root.join("sites/教育局/site.toml"), member).unwrap();
        let mut diags = Diagnostics::new();
        let group = Group::load(root, &mut diags).unwrap();
        assert!(!diags.has_errors(), "{diags:?}");
        (dir, group)
    }

    #[test]
    fn a_member_inherits_what_it_does_not_say_and_gets_its_address_from_the_group() {
        let (_dir, g) = group_with(
            "[agency]\nname = \"教育局\"\nsponsor = \"教育局\"\n[news]\nhome_size = 3\n",
            "news.page_size = 7\nnews.home_size = 5\n",
        );
        let mc = member_config(&g, &g.members[0], &LoadOptions::default());
        let c = mc.config.unwrap();
        assert_eq!(c.title, "教育局", "the title defaults to the agency's name");
        assert_eq!((c.news.page_size, c.news.home_size), (7, 3));
        assert_eq!(c.agency.icp.as_deref(), Some("鲁ICP备1号"));
        assert_eq!(
            c.base_url,
            "https://www.x.gov.cn/%E6%95%99%E8%82%B2%E5%B1%80/"
        );
        assert_eq!(c.base_path(), "/%E6%95%99%E8%82%B2%E5%B1%80/");
        assert_eq!(c.portal.unwrap().url, "/");
    }

    #[test]
    fn a_wrong_inherited_value_is_placed_in_group_toml_and_a_wrong_own_one_in_site_toml() {
        let (_dir, g) = group_with(
            "[agency]\nname = \"教育局\"\nsponsor = \"教育局\"\n",
            "news.page_size = \"七\"\n",
        );
        let mc = member_config(&g, &g.members[0], &LoadOptions::default());
        assert!(mc.config.is_none());
        let d: Vec<String> = mc.group.iter().map(|d| d.to_string()).collect();
        assert!(
            d[0].starts_with("group.toml:13:1: 错误 [toml] 值的类型不对"),
            "{d:?}"
        );
        let (_dir, g) = group_with(
            "[agency]\nname = \"教育局\"\nsponsor = \"教育局\"\n[news]\npage_size = \"七\"\n",
            "",
        );
        let mc = member_config(&g, &g.members[0], &LoadOptions::default());
        let d: Vec<String> = mc.member.iter().map(|d| d.to_string()).collect();
        assert!(
            d[0].starts_with("site.toml:5:1: 错误 [toml] 值的类型不对"),
            "{d:?}"
        );
    }
}
