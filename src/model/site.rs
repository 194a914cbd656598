//! A site as a value: its config and everything loaded from `content/` and `static/`.
//!
//! Nothing here is global, so one process can hold many sites (a portal group).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::ground::ByName;
use crate::ground::date::Date;
use crate::ground::diagnostics::{Diagnostic, Diagnostics, Pos, rel_path};
use crate::ground::digest::{Hasher, Key};
use crate::model::catalogue::{self, Catalogue};
use crate::model::content::{
    self, Attachment, DisclosureFront, DisclosureItem, DisclosureKind, NewsFront, NewsItem,
    StaticFile, Unreadable,
};
use crate::model::kept::{self, Keep, Probe};
use crate::model::markdown;
use crate::model::report::Report;
use crate::model::report::load::load_report;
use crate::model::website::{self, Leader, Message, Organization, Service};
use crate::model::website_report::{self, WebsiteReport};

pub use crate::model::loading::LoadOptions;
pub(crate) use crate::model::loading::{Place, drafted, placeholder_left};

#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// The catalogue's tree and 索引号 pattern, read from the config.
    pub catalogue: Catalogue,
    /// Newest year first.
    pub reports: Vec<Report>,
    /// Newest first.
    pub news: Vec<NewsItem>,
    /// Newest first.
    pub disclosure: Vec<DisclosureItem>,
    /// 留言 with their 答复, newest first.
    pub messages: Vec<Message>,
    /// 办事指南, by title.
    pub services: Vec<Service>,
    /// 机构职能 (one file; a second is an error).
    pub organization: Option<Organization>,
    /// 领导信息, in their order.
    pub leaders: Vec<Leader>,
    /// 政府网站工作年度报表, newest year first.
    pub website_reports: Vec<WebsiteReport>,
    pub static_files: Vec<StaticFile>,
    /// Content files left out as drafts (`draft: true`), relative to the root.
    pub drafts: Vec<String>,
    /// Disclosure items that could not be loaded (their errors are reported).
    pub unreadable: Vec<Unreadable>,
    /// A hash of each content file's text as it was loaded, by its path relative to the
    /// root: the gate judges that text, the one published, not the file as it may be by
    /// the time the gate reads it. Looked up, never listed: not ordered.
    pub digests: ByName<Key>,
    /// The last build's load memo, when items were taken from it: their bodies are read
    /// from there.
    pub(crate) kept_memo: Option<std::sync::Arc<kept::Opened>>,
}

/// What one file of `content/` turned out to be.
pub(crate) enum ContentFile {
    Report(Box<Report>),
    News(Box<NewsItem>),
    Disclosure(Box<DisclosureItem>),
    Message(Box<Message>),
    Service(Box<Service>),
    Organization(Box<Organization>),
    Leader(Box<Leader>),
    WebsiteReport(Box<WebsiteReport>),
    /// A draft, left out (its file).
    Draft(String),
    /// A disclosure item whose front matter could not be read (the errors say why), with
    /// the names other items may refer to it by, as far as they could be read.
    Unreadable(Unreadable),
    Nothing,
}

impl Site {
    /// Whether a body of an item taken from the last build's load memo did not read back
    /// as it was written: what was made of the site must not be published (the memo is
    /// gone, and a build again reads every file).
    pub fn kept_unread(&self) -> bool {
        self.kept_memo.as_ref().is_some_and(|m| m.unread())
    }

    /// Loads the site at `root`. Returns `None` only when site.toml itself is unusable;
    /// every problem goes to the returned diagnostics.
    pub fn load(root: &Path, opts: &LoadOptions) -> (Option<Site>, Diagnostics) {
        Site::load_kept(root, opts, None)
    }

    /// [`Site::load`], taking what it can from the last build's memo of its load (see
    /// [`kept`]) and keeping this one's.
    pub fn load_kept(
        root: &Path,
        opts: &LoadOptions,
        keep: Option<Keep>,
    ) -> (Option<Site>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let Some(mut config) = Config::load(root, &mut diags) else {
            return (None, diags);
        };
        if let Some(url) = &opts.base_url {
            if let Err(why) = crate::config::check_base_url(url) {
                diags.push(
                    Diagnostic::error("config", "--base-url", format!("`{url}` {why}")).help(
                        "写成 https://www.example.gov.cn/ 这样以 http:// 或 https:// 开头的网址。",
                    ),
                );
            }
            config = config.with_base_url(url);
        }
        let (site, d) = Site::load_keeping(root, config, opts, keep);
        diags.extend(d);
        (Some(site), diags)
    }

    /// Loads the content of the site at `root` with a config read elsewhere (a member of
    /// a portal group, whose config is merged with the group's), taking what it can from
    /// the last build's memo of its load and keeping this one's, when `keep` says where.
    pub fn load_keeping(
        root: &Path,
        mut config: Config,
        opts: &LoadOptions,
        keep: Option<Keep>,
    ) -> (Site, Diagnostics) {
        let mut diags = Diagnostics::new();
        config.relative_links = opts.relative;
        let base_path = config.base_path();
        let catalogue = Catalogue::build(&config, &mut diags);
        let content_dir = root.join("content");
        let mut walk = || {
            let walk = crate::ground::fs::walk_files(root, &content_dir);
            diags.extend(walk.problems.into_iter().collect());
            walk.files
        };

        let canonical_root = crate::ground::fs::canonical_root(root);
        let loading = Loading {
            root,
            canonical_root: &canonical_root,
            config: &config,
            catalogue: &catalogue,
            base_path: &base_path,
            opts,
        };
        let (results, kept_memo) = match keep {
            None => (
                walk()
                    .par_iter()
                    .map(|path| {
                        let mut d = Diagnostics::new();
                        (load_file(&loading, &content_dir, path, &mut d), d)
                    })
                    .collect(),
                None,
            ),
            Some(mut keep) => {
                let files = match keep.content.take() {
                    Some(listed) => listed,
                    None => walk()
                        .into_iter()
                        .map(|path| (rel_path(root, &path), path))
                        .collect(),
                };
                load_files_kept(&loading, &content_dir, &files, keep)
            }
        };

        let mut site = Site {
            root: root.to_path_buf(),
            reports: Vec::new(),
            news: Vec::new(),
            disclosure: Vec::new(),
            messages: Vec::new(),
            services: Vec::new(),
            organization: None,
            leaders: Vec::new(),
            website_reports: Vec::new(),
            static_files: Vec::new(),
            drafts: Vec::new(),
            unreadable: Vec::new(),
            digests: ByName::with_capacity_and_hasher(results.len(), Default::default()),
            config,
            catalogue,
            kept_memo,
        };
        // Room made once: an item is hundreds of bytes, and 10,000 of them moved each time
        // a list grows cost more than their count.
        let count = |news: bool| {
            results
                .iter()
                .filter(|(l, _)| match &l.file {
                    ContentFile::News(_) => news,
                    ContentFile::Disclosure(_) => !news,
                    _ => false,
                })
                .count()
        };
        site.news.reserve_exact(count(true));
        site.disclosure.reserve_exact(count(false));
        for (loaded, d) in results {
            diags.extend(d);
            if let Some((file, digest)) = loaded.digest {
                site.digests.insert(file, digest);
            }
            match loaded.file {
                ContentFile::Report(r) => site.reports.push(*r),
                ContentFile::News(n) => site.news.push(*n),
                ContentFile::Disclosure(x) => site.disclosure.push(*x),
                ContentFile::Message(m) => site.messages.push(*m),
                ContentFile::Service(x) => site.services.push(*x),
                ContentFile::Organization(o) => site.add_organization(*o, &mut diags),
                ContentFile::Leader(l) => site.leaders.push(*l),
                ContentFile::WebsiteReport(r) => site.website_reports.push(*r),
                ContentFile::Draft(f) => site.drafts.push(f),
                ContentFile::Unreadable(u) => site.unreadable.push(u),
                ContentFile::Nothing => {}
            }
        }
        site.drafts.sort();
        if site.config.paths.style.numbered() {
            site.number_dated();
        }
        site.sort();
        let static_dir = root.join("static");
        let walk = crate::ground::fs::walk_files(root, &static_dir);
        diags.extend(walk.problems.into_iter().collect());
        site.static_files = walk
            .files
            .into_iter()
            .map(|source| StaticFile {
                path: rel_path(&static_dir, &source),
                source,
            })
            .collect();
        (site, diags)
    }

    /// Keeps the first 机构职能 file (by name); another is an error.
    fn add_organization(&mut self, o: Organization, diags: &mut Diagnostics) {
        let (keep, other) = match self.organization.take() {
            None => {
                self.organization = Some(o);
                return;
            }
            Some(had) if had.file <= o.file => (had, o),
            Some(had) => (o, had),
        };
        diags.push(
            Diagnostic::error(
                "organization",
                &other.file,
                format!("机构职能只能有一个文件，已经有 {}", keep.file),
            )
            .help("把两个文件合成一个：内设机构写在 内设机构 列表中，职能写在正文中。"),
        );
        self.organization = Some(keep);
    }

    /// Puts reports, news and disclosure items in the order the portal shows them.
    pub(crate) fn sort(&mut self) {
        self.website_reports
            .sort_by(|a, b| b.year.cmp(&a.year).then(a.file.cmp(&b.file)));
        self.messages.sort_by(|a, b| {
            b.front
                .received
                .sort_key()
                .cmp(&a.front.received.sort_key())
                .then(a.file.cmp(&b.file))
        });
        self.services
            .sort_by(|a, b| a.front.title.cmp(&b.front.title).then(a.file.cmp(&b.file)));
        self.leaders
            .sort_by(|a, b| a.front.order.cmp(&b.front.order).then(a.file.cmp(&b.file)));
        self.reports
            .sort_by(|a, b| b.year.cmp(&a.year).then(a.file.cmp(&b.file)));
        // By keys taken once, each item then moved once: an item is hundreds of bytes, and
        // 10,000 of them moved at every step of a sort cost more than their keys. News
        // and disclosure items side by side.
        use std::cmp::Reverse;
        let (news, disclosure) = (&mut self.news, &mut self.disclosure);
        rayon::join(
            || news.sort_by_cached_key(|n| (Reverse(n.front.date.sort_key()), n.path.clone())),
            || {
                disclosure.sort_by_cached_key(|d| {
                    (
                        d.front.kind,
                        Reverse(d.front.date.sort_key()),
                        d.path.clone(),
                    )
                })
            },
        );
    }

    /// Gives the items without a `slug` of their own their dated paths, as portals number
    /// them (`news/2024/t20241220_001/`): within a day, in the order of their time, then
    /// of their file.
    fn number_dated(&mut self) {
        let paths = self.config.paths.clone();
        let base = self.config.base_path();
        let news = self.news.iter().enumerate();
        let news = news.filter(|(_, n)| n.front.slug.is_none());
        for (i, d, count) in numbered(news.map(|(i, n)| (i, n.front.date, n.file.as_str()))) {
            let n = &mut self.news[i];
            let path = paths.news_item(
                (d.year, d.month),
                &crate::config::paths::dated_slug(d.year, d.month, d.day, count),
            );
            move_item(
                &mut n.path,
                &mut n.attachments,
                &mut n.resources,
                path,
                &base,
            );
        }
        let items = self.disclosure.iter().enumerate();
        let items = items.filter(|(_, x)| x.front.slug.is_none());
        for (i, d, count) in numbered(items.map(|(i, x)| (i, x.front.date, x.file.as_str()))) {
            let x = &mut self.disclosure[i];
            let path = paths.disclosure_item(
                (d.year, d.month),
                &crate::config::paths::dated_slug(d.year, d.month, d.day, count),
            );
            move_item(
                &mut x.path,
                &mut x.attachments,
                &mut x.resources,
                path,
                &base,
            );
        }
    }

    /// The attachments published with each item (its file, its attachments): news,
    /// disclosure items, reports, and a leader's photo.
    pub fn attachments_by_item(&self) -> impl Iterator<Item = (&str, &[Attachment])> {
        let news = self
            .news
            .iter()
            .map(|n| (n.file.as_str(), n.attachments.as_slice()));
        let disclosure = self
            .disclosure
            .iter()
            .map(|d| (d.file.as_str(), d.attachments.as_slice()));
        let reports = self
            .reports
            .iter()
            .map(|r| (r.file.as_str(), r.attachments.as_slice()));
        let photos = self
            .leaders
            .iter()
            .map(|l| (l.file.as_str(), l.photo.as_slice()));
        news.chain(disclosure).chain(reports).chain(photos)
    }

    /// The files each item's body links beside its source (pictures), copied beside its
    /// page.
    pub fn resources_by_item(&self) -> impl Iterator<Item = (&str, &[StaticFile])> {
        let news = self
            .news
            .iter()
            .map(|n| (n.file.as_str(), n.resources.as_slice()));
        let disclosure = self
            .disclosure
            .iter()
            .map(|d| (d.file.as_str(), d.resources.as_slice()));
        news.chain(disclosure)
    }

    /// Every year that has news, disclosure items or a report, newest first.
    pub fn years(&self) -> Vec<u32> {
        let mut y: Vec<u32> = self
            .news
            .iter()
            .map(|n| n.front.date.year)
            .chain(self.disclosure.iter().map(|d| d.front.date.year))
            .chain(self.reports.iter().map(|r| r.year))
            .collect();
        y.sort_unstable_by(|a, b| b.cmp(a));
        y.dedup();
        y
    }
}

/// Moves an item's page to `to`, with the files published beside it.
fn move_item(
    path: &mut String,
    attachments: &mut [Attachment],
    resources: &mut [StaticFile],
    to: String,
    base_path: &str,
) {
    use crate::config::paths::{files_dir, link_dir};
    let (files, to_files) = (files_dir(path), files_dir(&to));
    for a in attachments {
        if let Some(name) = a.path.strip_prefix(files.as_str()) {
            a.path = format!("{to_files}{name}");
            a.url = format!("{base_path}{}", crate::config::paths::escape(&a.path));
        }
    }
    for r in resources {
        if let Some(rel) = r.path.strip_prefix(link_dir(path)) {
            r.path = format!("{}{rel}", link_dir(&to));
        }
    }
    *path = to;
}

/// What loading any content file of a site needs.
pub(crate) struct Loading<'a> {
    pub(crate) root: &'a Path,
    pub(crate) canonical_root: &'a Path,
    pub(crate) config: &'a Config,
    pub(crate) catalogue: &'a Catalogue,
    pub(crate) base_path: &'a str,
    pub(crate) opts: &'a LoadOptions,
}

/// A content file loaded, and a hash of its text (when it was read) by its path.
pub(crate) struct Loaded {
    pub(crate) file: ContentFile,
    pub(crate) digest: Option<(String, Key)>,
}

/// Files loaded at a time when a load is kept: their records are written before the next.
const KEPT_CHUNK: usize = 1024;

/// Loads `files`, each taken from the last build's memo when it holds, and keeps what
/// was loaded for the next build.
fn load_files_kept(
    loading: &Loading,
    content_dir: &Path,
    files: &[(String, PathBuf)],
    keep: Keep,
) -> (
    Vec<(Loaded, Diagnostics)>,
    Option<std::sync::Arc<kept::Opened>>,
) {
    let started = crate::ground::digest::now();
    let root = loading.root;
    let settings = [
        keep.stamps.get(crate::config::CONFIG_FILE),
        keep.inherited.as_ref(),
    ];
    let key = kept::key(
        root,
        loading.canonical_root,
        loading.config,
        loading.opts,
        settings,
    );
    let mut last = match keep.read {
        Some(read) => read.filter(|m| m.kept_under(key)),
        None => kept::LoadMemo::read(keep.memo, key),
    };
    let opened = last.as_ref().map(kept::LoadMemo::opened);
    let anew = last.as_ref().is_none_or(|m| m.overgrown(files.len()));
    let mut writer = match anew {
        true => kept::Writer::anew(keep.memo, key),
        false => Some(kept::Writer::add(keep.memo)),
    };
    let mut results = Vec::with_capacity(files.len());
    for chunk in files.chunks(KEPT_CHUNK) {
        let entries: Vec<Option<Box<kept::Entry>>> = chunk
            .iter()
            .map(|(file, _)| last.as_mut().and_then(|m| m.take(file)))
            .collect();
        let loaded: Vec<(Loaded, Diagnostics, Option<kept::Record>)> = chunk
            .par_iter()
            .zip(entries)
            .map(|((file, path), entry)| {
                let stamp = keep.stamps.get(file);
                let reused = entry.zip(opened.as_ref());
                if let Some(r) = reused.and_then(|(e, m)| kept::reuse(e, m, stamp)) {
                    let record = anew
                        .then(|| {
                            let d = &r.diagnostics;
                            kept::record(&r.file, Some(&r.digest), stamp, &r.looked, d, started)
                        })
                        .flatten();
                    let loaded = Loaded {
                        file: r.file,
                        digest: Some(r.digest),
                    };
                    return (loaded, r.diagnostics.into_iter().collect(), record);
                }
                let mut d = Diagnostics::new();
                let looked = std::cell::RefCell::new(Vec::new());
                let loaded = load_file_looking(loading, content_dir, path, Some(&looked), &mut d);
                let looked = looked.into_inner();
                let own: Vec<Diagnostic> = d.iter().cloned().collect();
                let digest = loaded.digest.as_ref();
                let record = kept::record(&loaded.file, digest, stamp, &looked, &own, started);
                (loaded, d, record)
            })
            .collect();
        let mut records = Vec::new();
        for (loaded, d, record) in loaded {
            records.extend(record);
            results.push((loaded, d));
        }
        if let Some(w) = writer.as_mut() {
            w.records(records);
        }
    }
    if let Some(w) = writer {
        w.finish();
    }
    (results, opened)
}

/// The hash of a content file's text that [`Site::digests`] keeps.
pub fn text_digest(text: &str) -> Key {
    let mut h = Hasher::default();
    h.update(text.as_bytes());
    h.finish()
}

pub(crate) fn load_file(
    loading: &Loading,
    content_dir: &Path,
    path: &Path,
    diags: &mut Diagnostics,
) -> Loaded {
    load_file_looking(loading, content_dir, path, None, diags)
}

/// [`load_file`], noting in `looked` (for a memo of the load) the files beside it that
/// it looks at.
fn load_file_looking(
    loading: &Loading,
    content_dir: &Path,
    path: &Path,
    looked: Option<&std::cell::RefCell<Vec<Probe>>>,
    diags: &mut Diagnostics,
) -> Loaded {
    let mut digest = None;
    let file = read_file(loading, content_dir, path, &mut digest, looked, diags);
    Loaded { file, digest }
}

fn read_file(
    loading: &Loading,
    content_dir: &Path,
    path: &Path,
    digest: &mut Option<(String, Key)>,
    looked: Option<&std::cell::RefCell<Vec<Probe>>>,
    diags: &mut Diagnostics,
) -> ContentFile {
    let Loading {
        root,
        canonical_root,
        config,
        catalogue,
        base_path,
        opts,
    } = *loading;
    let file = rel_path(root, path);
    let rel = rel_path(content_dir, path);
    let section = rel.split('/').next().unwrap_or("");
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let is_md = ext == "md" || ext == "markdown";
    let is_yaml = ext == "yaml" || ext == "yml";
    let yaml_section = section == "reports" || section == website_report::SECTION;
    if !(is_md || (is_yaml && yaml_section)) {
        // Attachments and images live beside the content; they are copied when named.
        return ContentFile::Nothing;
    }
    let text = match crate::input::text_file::read(path) {
        Ok(t) => t,
        Err(e) => {
            let code = match e.kind {
                crate::input::text_file::Problem::Io(_) => "io",
                _ => "encoding",
            };
            diags.push(
                Diagnostic::error(code, &file, e.what())
                    .at(e.line().map(|l| Pos::new(l, 1)))
                    .help(e.help()),
            );
            return ContentFile::Nothing;
        }
    };
    *digest = Some((file.clone(), text_digest(&text)));
    let at = Place {
        root,
        canonical_root,
        path,
        dir: path.parent().unwrap_or(root),
        file,
        config,
        catalogue,
        base_path,
        opts,
        looked,
    };
    match (section, is_yaml) {
        ("reports", true) => load_report_file(at, &text, diags),
        (website_report::SECTION, true) => load_website_report(at, &text, diags),
        ("news", false) => load_news(at, &text, diags),
        ("disclosure", false) => load_disclosure(at, &text, diags),
        (s, false) if website::SECTIONS.contains(&s) => match website::load(s, &at, &text, diags) {
            website::Loaded::Message(m) => ContentFile::Message(m),
            website::Loaded::Service(x) => ContentFile::Service(x),
            website::Loaded::Organization(o) => ContentFile::Organization(o),
            website::Loaded::Leader(l) => ContentFile::Leader(l),
            website::Loaded::Draft => ContentFile::Draft(at.file),
            website::Loaded::Nothing => ContentFile::Nothing,
        },
        _ => {
            diags.push(
                Diagnostic::warning("content-place", &at.file, "这个文件不在 content 下的内容文件夹中，不会发布")
                    .help("新闻放在 content/news/，公开信息放在 content/disclosure/，年度报告放在 content/reports/，网站年度报表放在 content/website-reports/，留言放在 content/messages/，办事指南放在 content/services/，机构职能放在 content/organization/，领导信息放在 content/leaders/。"),
            );
            ContentFile::Nothing
        }
    }
}

fn load_website_report(at: Place, text: &str, diags: &mut Diagnostics) -> ContentFile {
    let mut own = Diagnostics::new();
    let Some(mut r) = website_report::load::load(text, &at.file, &mut own) else {
        diags.extend(own);
        return ContentFile::Nothing;
    };
    if r.title.is_empty() {
        r.title = WebsiteReport::default_title(&at.config.title, r.year);
    }
    if r.draft && !at.opts.include_drafts {
        diags.extend(drafted(own));
        return ContentFile::Draft(at.file);
    }
    diags.extend(own);
    ContentFile::WebsiteReport(Box::new(r))
}

fn load_report_file(at: Place, text: &str, diags: &mut Diagnostics) -> ContentFile {
    let mut own = Diagnostics::new();
    let loaded = load_report(text, &at.file, &mut own);
    let Some(mut r) = loaded.report else {
        diags.extend(own);
        return ContentFile::Nothing;
    };
    if r.draft && !at.opts.include_drafts {
        // A report is filled in over weeks as a draft: its problems, rules included,
        // are shown all along, without holding back the rest of the site.
        let findings = crate::model::report::rules::check_report(&r);
        crate::model::report::rules::diagnostics(&r, &findings, false, &mut own);
        diags.extend(drafted(own));
        return ContentFile::Draft(at.file);
    }
    diags.extend(own);
    for sec in r.kind.sections {
        let left = r.texts.get(sec.key).is_some_and(|t| {
            t.contains(&crate::input::placeholder::report_text(sec.hint)) || t.trim() == sec.hint
        });
        if left {
            diags.push(
                Diagnostic::error(
                    "placeholder",
                    &at.file,
                    format!("“{}”还是骨架里的提示文字，会原样发布", sec.title),
                )
                .at(r.source_map.pos(&[sec.key.to_string()]))
                .help("换成本年度的实际情况；还没写好就在文件开头保留 draft: true，草稿不会发布。"),
            );
        }
    }
    let report_path = at.config.paths.report(r.year);
    // A report's attachments may sit in a folder named after its year.
    let year_dir = at.dir.join(r.year.to_string());
    let dir = if year_dir.is_dir() {
        year_dir.as_path()
    } else {
        at.dir
    };
    r.attachments = content::resolve_attachments(
        &loaded.attachment_refs,
        &at,
        dir,
        &report_path,
        &r.source_map,
        diags,
    );
    ContentFile::Report(Box::new(r))
}

fn load_news(at: Place, text: &str, diags: &mut Diagnostics) -> ContentFile {
    let mut own = Diagnostics::new();
    let Some(doc) = content::parse_document::<NewsFront>(text, &at.file, &mut own) else {
        diags.extend(own);
        return ContentFile::Nothing;
    };
    if doc.front.draft && !at.opts.include_drafts {
        diags.extend(drafted(own));
        return ContentFile::Draft(at.file);
    }
    diags.extend(own);
    placeholder_left(&at, text, diags);
    let config = at.config;
    let slug = item_slug(&config.paths, doc.front.slug.as_deref(), at.path);
    let key = doc.front.slug.as_ref().map(|_| "slug");
    content::check_slug(&slug, key, &doc.source_map, &at.file, diags);
    let item_path = config
        .paths
        .news_item((doc.front.date.year, doc.front.date.month), &slug);
    // A column that is not declared has no page: one error here, and no link to it.
    let column_slug = doc
        .front
        .category
        .as_deref()
        .and_then(|c| config.column(c))
        .map(|col| col.slug());
    if let Some(c) = &doc.front.category
        && config.column(c).is_none()
    {
        diags.push(unknown_column(config, c, &at.file, &doc.source_map));
    }
    let body = ItemBody::of(
        &at,
        &doc,
        &item_path,
        &doc.front.attachments,
        doc.front.summary.as_deref(),
        diags,
    );
    let mut item = NewsItem {
        front: doc.front,
        file: at.file,
        path: item_path,
        column_slug,
        summary_text: body.summary,
        body_html: body.html.html.into(),
        body_text: body.html.text.into(),
        links: body.html.links,
        attachments: body.attachments,
        resources: body.resources,
        loaded_key: 0,
    };
    item.loaded_key = item.hash_as_loaded();
    ContentFile::News(Box::new(item))
}

fn load_disclosure(at: Place, text: &str, diags: &mut Diagnostics) -> ContentFile {
    let mut own = Diagnostics::new();
    let Some(doc) = content::parse_document::<DisclosureFront>(text, &at.file, &mut own) else {
        diags.extend(own);
        return ContentFile::Unreadable(Unreadable::of(&at.file, at.path, text));
    };
    if doc.front.draft && !at.opts.include_drafts {
        diags.extend(drafted(own));
        return ContentFile::Draft(at.file);
    }
    diags.extend(own);
    placeholder_left(&at, text, diags);
    let slug = item_slug(&at.config.paths, doc.front.slug.as_deref(), at.path);
    let key = doc.front.slug.as_ref().map(|_| "slug");
    content::check_slug(&slug, key, &doc.source_map, &at.file, diags);
    let item_path = at
        .config
        .paths
        .disclosure_item((doc.front.date.year, doc.front.date.month), &slug);
    let keys = content::Keys::of(&doc.source_map, doc.front.amends.len());
    let category_index =
        catalogue::check::check_item(&doc.front, &keys, at.catalogue, &at.file, diags);
    let body = ItemBody::of(
        &at,
        &doc,
        &item_path,
        &doc.front.attachments,
        doc.front.summary.as_deref(),
        diags,
    );
    ContentFile::Disclosure(Box::new(DisclosureItem {
        kind_label: doc.front.kind.label(),
        front: doc.front,
        file: at.file,
        path: item_path,
        summary_text: body.summary,
        body_html: body.html.html.into(),
        body_text: body.html.text.into(),
        links: body.html.links,
        attachments: body.attachments,
        resources: body.resources,
        category_index,
        keys,
    }))
}

/// Items `(index, date, file)` in the order the dated path styles number them (date, time,
/// file), each with its number within its day.
fn numbered<'a>(items: impl Iterator<Item = (usize, Date, &'a str)>) -> Vec<(usize, Date, usize)> {
    let mut items: Vec<_> = items.collect();
    items.sort_by_key(|(_, d, file)| ((d.year, d.month, d.day), d.time, *file));
    let mut seen = std::collections::HashMap::new();
    items
        .into_iter()
        .map(|(i, d, _)| {
            let count = seen.entry((d.year, d.month, d.day)).or_insert(0);
            *count += 1;
            (i, d, *count)
        })
        .collect()
}

/// The error for a news `category` that names no column of site.toml, at its line.
fn unknown_column(
    config: &Config,
    name: &str,
    file: &str,
    map: &crate::input::source_map::SourceMap,
) -> Diagnostic {
    let names: Vec<&str> = config.columns.iter().map(|c| c.name.as_str()).collect();
    let mut help = match crate::ground::diagnostics::nearest(name, names.iter().copied()) {
        Some(n) => format!("是不是“{n}”？"),
        None => String::new(),
    };
    if names.is_empty() {
        help.push_str("site.toml 还没有定义栏目：在 [[columns]] 中定义，或删除这一行。");
    } else {
        help.push_str(&format!(
            "已定义的栏目：{}。也可以在 site.toml 的 [[columns]] 中新增这个栏目。",
            names.join("、")
        ));
    }
    Diagnostic::error(
        "column",
        file,
        format!("栏目“{name}”没有在 site.toml 的 [[columns]] 中定义"),
    )
    .at(map.pos_alt(&[&["category", "栏目", "分类"]]))
    .help(help)
}

/// What a news or disclosure item's Markdown body and attachments give its page.
struct ItemBody {
    html: markdown::Html,
    summary: String,
    attachments: Vec<Attachment>,
    resources: Vec<StaticFile>,
}

impl ItemBody {
    fn of<F>(
        at: &Place,
        doc: &content::Document<F>,
        item_path: &str,
        attachments: &[content::AttachmentRef],
        summary: Option<&str>,
        diags: &mut Diagnostics,
    ) -> ItemBody {
        let refs = index_refs(attachments, "attachments");
        let html = markdown::render(&doc.body, at.base_path);
        ItemBody {
            resources: resources(
                at,
                &html.relative_links(),
                crate::config::paths::link_dir(item_path),
            ),
            html,
            summary: summary
                .map(str::to_string)
                .unwrap_or_else(|| markdown::first_paragraph(&doc.body, 120)),
            attachments: content::resolve_attachments(
                &refs,
                at,
                at.dir,
                &crate::config::paths::files_dir(item_path),
                &doc.source_map,
                diags,
            ),
        }
    }
}

/// The files that the relative links of a body name beside its source (`会议现场.png`,
/// `图片/1.jpg`), to be copied to the same place beside its page (into `link_dir`, the
/// folder its relative links lead into). Links that lead out of
/// the source's folder, to other content files, or to nothing are left to the link check.
fn resources(at: &Place, links: &[String], link_dir: &str) -> Vec<StaticFile> {
    links
        .iter()
        .filter_map(|link| {
            let rel = link.trim_start_matches("./");
            let parts: Vec<&str> = rel.split('/').collect();
            if parts.iter().any(|p| {
                p.is_empty() || *p == "." || *p == ".." || crate::ground::fs::is_hidden_name(p)
            }) || rel.contains('\\')
            {
                return None;
            }
            let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            if matches!(ext.as_str(), "md" | "markdown" | "yaml" | "yml") {
                return None;
            }
            let source = at.dir.join(rel);
            at.look(&source);
            if !source.is_file()
                || crate::ground::fs::check_inside(at.root, at.canonical_root, &source).is_err()
            {
                return None;
            }
            Some(StaticFile {
                source,
                path: format!("{link_dir}{rel}"),
            })
        })
        .collect()
}

fn item_slug(paths: &crate::config::paths::Paths, front: Option<&str>, path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let s = paths.slug(front.unwrap_or(&stem));
    if s.is_empty() { "item".to_string() } else { s }
}

fn index_refs(
    list: &[content::AttachmentRef],
    key: &str,
) -> Vec<(content::AttachmentRef, Vec<String>)> {
    list.iter()
        .enumerate()
        .map(|(i, a)| {
            (
                a.clone(),
                vec![key.to_string(), i.to_string(), "file".to_string()],
            )
        })
        .collect()
}

/// The latest date on the site, for feeds: deterministic, unlike the clock.
pub fn latest_date(site: &Site) -> Option<Date> {
    site.news.first().map(|n| n.front.date)
}

/// Whether a disclosure item is the guide or the rules of the column.
pub fn is_fixed_entry(kind: DisclosureKind) -> bool {
    matches!(kind, DisclosureKind::Guide | DisclosureKind::Rules)
}
