//! `site.toml`: who the agency is, where the site lives, navigation and columns.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ground::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::input::source_map::SourceMap;
use crate::input::strict::{self, Syntax};
use crate::input::text_file;

mod compliance;
pub mod paths;
mod website;
pub use compliance::*;
pub use website::*;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Config {
    /// The portal's name, shown in the header and the browser tab.
    #[serde(alias = "标题")]
    pub title: String,
    /// Where the site is published, e.g. `http://wb.weihai.gov.cn/`. A path after the
    /// host (`https://www.x.gov.cn/wb/`) is kept in every link. `.` builds a site whose
    /// links are all relative (opened from disk, a share or a USB stick).
    #[serde(alias = "网址")]
    pub base_url: String,
    #[serde(default, alias = "描述", alias = "说明")]
    pub description: Option<String>,
    #[serde(alias = "机关")]
    pub agency: Agency,
    #[serde(default, alias = "导航")]
    pub nav: Vec<NavLink>,
    /// News columns (栏目); a news item's `category` names one of them.
    #[serde(default, alias = "栏目")]
    pub columns: Vec<Column>,
    #[serde(default, alias = "新闻")]
    pub news: NewsConfig,
    /// Where the parts of the site are published and how page paths are spelled.
    #[serde(default, alias = "网址设置")]
    pub paths: crate::config::paths::Paths,
    /// The PDF of each yearly report.
    #[serde(default)]
    pub pdf: PdfConfig,
    /// The site search (站内搜索).
    #[serde(default, alias = "搜索")]
    pub search: SearchConfig,
    /// Where `gongkai deploy NAME` publishes to (`[deploy.NAME]`).
    #[serde(default, alias = "上传")]
    pub deploy: BTreeMap<String, DeployTarget>,
    /// The folder of the theme under `themes/`; `default` is built in.
    #[serde(default = "default_theme", alias = "主题")]
    pub theme: String,
    /// The 政府信息公开目录: categories and 索引号 (see docs/catalogue.md).
    #[serde(default, alias = "公开目录")]
    pub catalogue: CatalogueConfig,
    /// 依申请公开: the page and the 申请表 are made when this is given.
    #[serde(default, alias = "依申请公开")]
    pub application: Option<ApplicationConfig>,
    /// The checks of `gongkai check` against the 检查指标 (see docs/compliance.md).
    #[serde(default, alias = "检查指标")]
    pub compliance: ComplianceConfig,
    /// 审核签发 (先审后发): whether an item is published only once its sign-off is recorded.
    #[serde(default, alias = "审核签发")]
    pub review: ReviewConfig,
    /// 互动交流: the channels of the unified platform.
    #[serde(default, alias = "互动交流")]
    pub interaction: InteractionConfig,
    /// 办事服务: the entry to the province's 政务服务网.
    #[serde(default, alias = "办事服务")]
    pub services: ServicesConfig,
    /// 政务新媒体 accounts.
    #[serde(default, alias = "政务新媒体")]
    pub media: Vec<MediaAccount>,
    #[serde(default, alias = "扩展")]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The portal this site is a member of (set by a portal group, never by site.toml).
    #[serde(skip)]
    pub portal: Option<Portal>,
    /// Links written relative to each page (`gongkai build --relative`), whatever
    /// `base_url` says.
    #[serde(skip)]
    pub relative_links: bool,
    /// Where each key is written in site.toml, for problems found after parsing.
    #[serde(skip)]
    pub source: SourceMap,
}

/// What a member site of a portal group shows of the portal on every page.
#[derive(Debug, Clone, Serialize)]
pub struct Portal {
    pub title: String,
    /// The portal's home page, as pages link to it.
    pub url: String,
    /// The group's shared navigation, links resolved.
    pub nav: Vec<NavLink>,
}

fn default_theme() -> String {
    "default".to_string()
}

/// The identity a government site must show (《政府网站发展指引》).
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct Agency {
    /// The agency's full name.
    #[serde(alias = "名称", alias = "机关名称")]
    pub name: String,
    /// 主办单位
    #[serde(alias = "主办单位")]
    pub sponsor: String,
    /// 承办单位, if another body runs the site.
    #[serde(default, alias = "承办单位")]
    pub organizer: Option<String>,
    #[serde(default, alias = "地址")]
    pub address: Option<String>,
    #[serde(default, alias = "邮编")]
    pub postcode: Option<String>,
    #[serde(default, alias = "电话")]
    pub phone: Option<String>,
    #[serde(default, alias = "邮箱")]
    pub email: Option<String>,
    /// 网站标识码
    #[serde(default, alias = "网站标识码")]
    pub site_code: Option<String>,
    /// ICP备案号, e.g. 鲁ICP备05002386号
    #[serde(default, alias = "ICP备案号")]
    pub icp: Option<String>,
    /// 公安机关备案号, e.g. 鲁公网安备 37100202000123号
    #[serde(default, alias = "公安备案号", alias = "公安机关备案号")]
    pub police_record: Option<String>,
    /// The 党政机关网站标识 image the agency was issued, as a path under `static/`.
    /// None ships with gongkai: only the agency may use its own.
    #[serde(default, alias = "网站标识图片")]
    pub mark_image: Option<String>,
    /// Where the mark links to (its verification page).
    #[serde(default, alias = "网站标识链接")]
    pub mark_url: Option<String>,
}

impl Agency {
    /// The number of the 公安机关备案号 (`37100202000123` of `鲁公网安备 37100202000123号`).
    pub fn police_record_code(&self) -> Option<String> {
        let digits: String = crate::ground::text::fold_str(self.police_record.as_deref()?)
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        (digits.len() >= 10).then_some(digits)
    }

    /// The official query page of the 公安机关备案号, where the footer links it.
    pub fn police_record_url(&self) -> Option<String> {
        self.police_record_code()
            .map(|c| format!("https://beian.mps.gov.cn/#/query/webSearch?code={c}"))
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct NavLink {
    #[serde(alias = "标题")]
    pub title: String,
    /// A path on this site (`/news/`) or a full URL.
    #[serde(alias = "链接", alias = "网址")]
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Column {
    #[serde(alias = "名称", alias = "栏目名称")]
    pub name: String,
    /// The folder name in URLs; made from the name (in the site's path style) when not
    /// given.
    #[serde(default, alias = "网址名")]
    pub slug: Option<String>,
    #[serde(default, alias = "描述", alias = "说明")]
    pub description: Option<String>,
    /// A 专栏专题 (a special topic, counted in the 报表), not a regular news column.
    #[serde(default, alias = "专题")]
    pub special: bool,
}

impl Column {
    /// The folder name in URLs (filled in from the name when the config is loaded).
    pub fn slug(&self) -> String {
        self.slug
            .clone()
            .unwrap_or_else(|| crate::config::paths::slugify(&self.name))
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct NewsConfig {
    /// Items per list page.
    #[serde(default = "default_page_size", alias = "每页条数")]
    pub page_size: usize,
    /// Items in the feed.
    #[serde(default = "default_feed_size", alias = "订阅条数")]
    pub feed_size: usize,
    /// Items on the home page.
    #[serde(default = "default_home_size", alias = "首页条数")]
    pub home_size: usize,
}

fn default_page_size() -> usize {
    20
}
fn default_feed_size() -> usize {
    20
}
fn default_home_size() -> usize {
    8
}

impl Default for NewsConfig {
    fn default() -> Self {
        NewsConfig {
            page_size: default_page_size(),
            feed_size: default_feed_size(),
            home_size: default_home_size(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct PdfConfig {
    /// Set to false for no PDF (and no link to one).
    #[serde(default = "yes", alias = "启用")]
    pub enabled: bool,
    /// Font files (.ttf, .otf, .ttc) with simplified Chinese; the Noto CJK fonts at their
    /// usual places when empty. Relative paths are relative to the site folder.
    #[serde(default, alias = "字体")]
    pub fonts: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Default for PdfConfig {
    fn default() -> Self {
        PdfConfig {
            enabled: true,
            fonts: Vec::new(),
        }
    }
}

/// A place the site is published to. Credentials are never written here: SSH uses the
/// user's own ssh setup; object storage reads its keys from the environment or
/// `~/.aws/credentials`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum DeployTarget {
    /// A folder: a mounted share or a local web root (relative to the site folder).
    Folder { path: String },
    /// A server over SSH (rsync when both ends have it, else SFTP).
    Ssh {
        host: String,
        #[serde(default)]
        user: Option<String>,
        #[serde(default)]
        port: Option<u16>,
        /// The web root on the server.
        path: String,
    },
    /// S3-compatible object storage (阿里云 OSS, 华为云 OBS, 腾讯云 COS, MinIO …).
    S3 {
        bucket: String,
        endpoint: String,
        #[serde(default = "default_region")]
        region: String,
        /// Folder inside the bucket; nothing outside it is touched.
        #[serde(default)]
        prefix: String,
        /// `https://BUCKET.endpoint/` addressing (most Chinese clouds) instead of
        /// `https://endpoint/BUCKET/`.
        #[serde(default)]
        virtual_host: bool,
    },
}

fn default_region() -> String {
    "us-east-1".into()
}

/// What the search index holds. The index is written by `build`; searching happens in
/// the visitor's browser.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SearchConfig {
    /// Set to false for no index, no search page and no search box.
    #[serde(default = "yes", alias = "启用")]
    pub enabled: bool,
    /// Which parts of the site are searchable.
    #[serde(default = "all_search_columns", alias = "栏目")]
    pub columns: Vec<SearchColumn>,
    /// How many characters of each page's text are indexed (titles and metadata always
    /// are); 0 indexes titles and metadata only.
    #[serde(default = "default_body_chars", alias = "正文字数")]
    pub body_chars: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchColumn {
    News,
    Disclosure,
    Reports,
}

fn all_search_columns() -> Vec<SearchColumn> {
    vec![
        SearchColumn::News,
        SearchColumn::Disclosure,
        SearchColumn::Reports,
    ]
}

fn default_body_chars() -> usize {
    5000
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            columns: all_search_columns(),
            body_chars: default_body_chars(),
        }
    }
}

impl SearchConfig {
    pub fn indexes(&self, column: SearchColumn) -> bool {
        self.enabled && self.columns.contains(&column)
    }
}

pub const CONFIG_FILE: &str = "site.toml";

/// Whether `url` can be the base of every link of the site: an absolute http(s) URL
/// with a host, and nothing after the path (a query or fragment would end up in the
/// middle of every link); else why not.
pub fn check_base_url(url: &str) -> Result<(), &'static str> {
    let Ok(u) = url::Url::parse(url) else {
        return Err("不是完整的网址");
    };
    if !matches!(u.scheme(), "http" | "https") || !url.contains("://") {
        Err("不是以 http:// 或 https:// 开头的网址")
    } else if u.host_str().is_none_or(str::is_empty) {
        Err("缺少域名")
    } else if !u.username().is_empty() || u.password().is_some() {
        Err("含有用户名或密码，它们会出现在每个页面的链接中")
    } else if u.query().is_some() || u.fragment().is_some() || url.contains(['?', '#']) {
        Err("含有 ? 或 # 之后的部分，它们会插进每个链接的中间")
    } else {
        Ok(())
    }
}

/// Whether a navigation link works from every page: a path from the root of the site,
/// or a full URL. A relative one (`news/`) points elsewhere on every level of pages.
pub fn check_nav_url(url: &str) -> Result<(), &'static str> {
    let lower = url.trim().to_ascii_lowercase();
    if url.trim().is_empty() {
        Err("是空的")
    } else if url.starts_with("//") {
        Err("以 // 开头，会被当作另一个网站的域名")
    } else if url.starts_with('/')
        || ["http://", "https://", "mailto:", "tel:"]
            .iter()
            .any(|p| lower.starts_with(p))
    {
        Ok(())
    } else {
        Err("是相对地址，在不同层级的页面上会指向不同的位置")
    }
}

impl Config {
    /// Reads `root/site.toml`; problems go to `diags`.
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Config> {
        let path = root.join(CONFIG_FILE);
        let text = match text_file::read(&path) {
            Ok(t) => t,
            Err(text_file::TextFileError {
                kind: text_file::Problem::Io(e),
                ..
            }) => {
                diags.push(
                    Diagnostic::error("config", CONFIG_FILE, format!("无法读取 {}：{e}", path.display()))
                        .help("在网站文件夹中运行，或用 --root 指定网站文件夹；新建网站可运行 `gongkai init 文件夹`。"),
                );
                return None;
            }
            Err(e) => {
                diags.push(
                    Diagnostic::error("encoding", CONFIG_FILE, e.what())
                        .at(e.line().map(|l| Pos::new(l, 1)))
                        .help(e.help()),
                );
                return None;
            }
        };
        Config::parse(&text, diags)
    }

    /// Reads the text of a site.toml; problems go to `diags`.
    pub fn parse(text: &str, diags: &mut Diagnostics) -> Option<Config> {
        let parsed = strict::parse::<Config>(Syntax::Toml, text, CONFIG_FILE, 0);
        diags.extend(parsed.diagnostics);
        let mut config = parsed.value?;
        config.source = parsed.source_map.clone();
        let at = |p: &[&str]| {
            parsed
                .source_map
                .pos(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        };
        config.check(&at, diags);
        Some(config)
    }

    /// The checks of a parsed config beyond its types (also of a portal member's settings
    /// merged over its group's), and what must be right before going live; `at` places a
    /// key path in the file. Fills in what follows from the rest (column slugs).
    pub fn check(&mut self, at: &dyn Fn(&[&str]) -> Option<Pos>, diags: &mut Diagnostics) {
        if let Some(m) = &mut self.agency.mark_image {
            *m = m.trim_start_matches('/').to_string();
        }
        for c in &mut self.columns {
            if c.slug.is_none() {
                c.slug = Some(self.paths.slug(&c.name));
            }
        }
        if let Some(why) = (!self.relative_base())
            .then(|| check_base_url(&self.base_url).err())
            .flatten()
        {
            diags.push(
                Diagnostic::error(
                    "config",
                    CONFIG_FILE,
                    format!("base_url `{}` {why}", self.base_url),
                )
                .at(at(&["base_url"]))
                .help("写成 https://www.example.gov.cn/ 这样以 http:// 或 https:// 开头的网址，网站在子目录时写上目录，如 https://www.example.gov.cn/wb/；只在本机或共享文件夹里打开的网站写 \".\"。"),
            );
        }
        let mut empty = Vec::new();
        if self.title.trim().is_empty() {
            empty.push((vec!["title".to_string()], "网站名称 title"));
        }
        if self.agency.name.trim().is_empty() {
            empty.push((vec!["agency".into(), "name".into()], "机关名称 name"));
        }
        if self.agency.sponsor.trim().is_empty() {
            empty.push((vec!["agency".into(), "sponsor".into()], "主办单位 sponsor"));
        }
        for (i, link) in self.nav.iter().enumerate() {
            let path = vec!["nav".to_string(), i.to_string()];
            if link.title.trim().is_empty() {
                let mut p = path.clone();
                p.push("title".into());
                empty.push((p, "导航链接的文字 title"));
            }
            if let Err(why) = check_nav_url(&link.url) {
                let mut p = path;
                p.push("url".into());
                diags.push(
                    Diagnostic::error("config", CONFIG_FILE, format!("导航链接 `{}` {why}", link.url))
                        .at(self.source.pos(&p))
                        .help("站内页面写成以 / 开头的地址（如 /news/），其他网站写完整网址（如 https://www.gov.cn/）。"),
                );
            }
        }
        for (i, c) in self.columns.iter().enumerate() {
            let slug = c.slug();
            if slug.len() > crate::config::paths::MAX_NAME_BYTES {
                let key = if c.slug.is_some() { "slug" } else { "name" };
                diags.push(
                    Diagnostic::error(
                        "slug-length",
                        CONFIG_FILE,
                        format!(
                            "栏目的 {key} 做文件夹名有 {} 字节，超过了文件系统允许的 {} 字节（约 85 个汉字）",
                            slug.len(),
                            crate::config::paths::MAX_NAME_BYTES
                        ),
                    )
                    .at(self.source.pos(&["columns".into(), i.to_string(), key.into()]))
                    .help("给这个栏目写一个短的 slug，例如 `slug = \"gzdt\"`：它决定栏目页的网址和文件夹名。"),
                );
            }
        }
        for (path, what) in empty {
            diags.push(
                Diagnostic::error("config", CONFIG_FILE, format!("{what} 不能为空"))
                    .at(self.source.pos(&path))
                    .help("填写这一项：它显示在每个页面上。"),
            );
        }
        if self.news.page_size == 0 {
            diags.push(
                Diagnostic::error("config", CONFIG_FILE, "news.page_size 不能为 0")
                    .at(at(&["news", "page_size"]))
                    .help("每页条数一般为 15 或 20。"),
            );
        }
        for problem in self.paths.problems() {
            diags.push(
                Diagnostic::error("config", CONFIG_FILE, problem)
                    .at(at(&["paths"]))
                    .help("例如 [paths] 下写 news = \"xwdt\"、disclosure = \"xxgk\"。"),
            );
        }
        let folder = self.paths.disclosure.trim_matches('/');
        if self
            .base_path()
            .trim_end_matches('/')
            .ends_with(&format!("/{folder}"))
        {
            diags.push(
                Diagnostic::warning(
                    "paths",
                    CONFIG_FILE,
                    format!("网站放在 {} 下，政府信息公开栏目会在 {}{folder}/", self.base_path(), self.base_path()),
                )
                .at(at(&["base_url"]))
                .help("在 site.toml 中加上 [paths] 一节，写 disclosure = \"xxgk\" 之类的另一个文件夹名。"),
            );
        }
        self.check_before_going_live(at, diags);
    }

    /// Warnings for what a site must not go live with: an example base URL, the
    /// identity 《政府网站发展指引》 asks for left empty, a 公安备案 number that cannot
    /// be linked to its official query page.
    fn check_before_going_live(
        &self,
        at: &dyn Fn(&[&str]) -> Option<Pos>,
        diags: &mut Diagnostics,
    ) {
        let host = self
            .base_url
            .split_once("://")
            .map_or("", |(_, r)| r.split(['/', ':']).next().unwrap_or(""));
        let example = [
            "example.gov.cn",
            "example.com",
            "example.org",
            "example.net",
            "example",
            "localhost",
            "127.0.0.1",
        ];
        if example
            .iter()
            .any(|e| host == *e || host.ends_with(&format!(".{e}")))
        {
            diags.push(
                Diagnostic::warning(
                    "live",
                    CONFIG_FILE,
                    format!("base_url 还是示例网址 {}：页面的规范链接、订阅和站点地图都会指向它", self.base_url),
                )
                .at(at(&["base_url"]))
                .help("上线前改成网站的真实地址，如 base_url = \"https://www.xx.gov.cn/\"；只在本机、内网或 U 盘上查看，用 gongkai build --relative。"),
            );
        }
        self.agency.check_identity(CONFIG_FILE, at, diags);
    }
}

impl Config {
    /// Whether every link is written relative to its page (`base_url = "."`, or
    /// `gongkai build --relative`).
    pub fn relative(&self) -> bool {
        self.relative_links || self.relative_base()
    }

    /// Whether `base_url` is `.`: a site made to be opened from disk only.
    fn relative_base(&self) -> bool {
        matches!(self.base_url.trim(), "." | "./")
    }

    /// The base URL with exactly one trailing slash (`/` for a relative site, whose
    /// root-relative links are made relative when written).
    pub fn base_url(&self) -> String {
        if self.relative_base() {
            return "/".into();
        }
        format!("{}/", self.base_url.trim_end_matches('/'))
    }

    /// The path part of the base URL (`/` or `/wb/`), prefixed to every link.
    pub fn base_path(&self) -> String {
        if self.relative_base() {
            return "/".into();
        }
        crate::config::paths::url_path(&self.base_url)
    }

    pub fn with_base_url(mut self, url: &str) -> Self {
        self.base_url = url.to_string();
        self
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

impl Agency {
    /// Warnings for the identity 《政府网站发展指引》 asks a 政府网站 to show, left empty,
    /// and a 公安备案 number that cannot be linked: in `file` (site.toml or group.toml),
    /// `at` placing a key path.
    pub fn check_identity(
        &self,
        file: &str,
        at: &dyn Fn(&[&str]) -> Option<Pos>,
        diags: &mut Diagnostics,
    ) {
        let a = self;
        let empty = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        let missing: Vec<(&str, &str)> = [
            ("sponsor", "主办单位", a.sponsor.trim().is_empty()),
            ("address", "地址", empty(&a.address)),
            ("phone", "电话", empty(&a.phone)),
            ("site_code", "网站标识码", empty(&a.site_code)),
            ("icp", "ICP备案号", empty(&a.icp)),
            ("police_record", "公安机关备案号", empty(&a.police_record)),
        ]
        .into_iter()
        .filter(|(_, _, m)| *m)
        .map(|(k, z, _)| (k, z))
        .collect();
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|(_, z)| *z).collect();
            let lines: Vec<String> = missing
                .iter()
                .map(|(k, z)| format!("{k} = \"…\"（{z}）"))
                .collect();
            diags.push(
                Diagnostic::warning(
                    "identity",
                    file,
                    format!("网站标识信息没有填全：{}，页脚将不显示", names.join("、")),
                )
                .at(at(&["agency"]))
                .help(format!(
                    "按《政府网站发展指引》，政府网站页脚应当显示主办单位、联系方式、网站标识码、ICP备案号和公安机关备案号。上线前在 [agency] 下填写：{}。",
                    lines.join("，")
                )),
            );
        }
        if let Some(record) = a.police_record.as_deref().filter(|r| !r.trim().is_empty())
            && a.police_record_code().is_none()
        {
            diags.push(
                Diagnostic::warning(
                    "identity",
                    file,
                    format!("公安机关备案号“{record}”里没有备案编号，页脚无法链接到公安部的备案查询页"),
                )
                .at(at(&["agency", "police_record"]))
                .help("照备案证书写全，如 police_record = \"鲁公网安备 37100202000123号\"（编号是 14 位数字）。"),
            );
        }
    }
}

/// The 政府信息公开目录 (`[catalogue]`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CatalogueConfig {
    /// 组织机构代码 (or 统一社会信用代码): the 前段码 of every 索引号.
    #[serde(default, alias = "组织机构代码")]
    pub org_code: Option<String>,
    /// How 索引号 are written: `{组织机构代码}`, `{YYYY}`, `{NNNNN}` and `{分类}` among
    /// literal text.
    #[serde(default = "default_index_pattern", alias = "索引号格式")]
    pub index_pattern: String,
    /// The category tree, in the order the column shows it.
    #[serde(default, alias = "分类")]
    pub categories: Vec<Category>,
}

fn default_index_pattern() -> String {
    "{组织机构代码}/{YYYY}-{NNNNN}".to_string()
}

impl Default for CatalogueConfig {
    fn default() -> Self {
        CatalogueConfig {
            org_code: None,
            index_pattern: default_index_pattern(),
            categories: Vec::new(),
        }
    }
}

/// A category of the catalogue (`[[catalogue.categories]]`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Category {
    #[serde(alias = "代码")]
    pub code: String,
    #[serde(alias = "名称")]
    pub name: String,
    /// The folder name of its page; the name itself when not given.
    #[serde(default, alias = "网址名")]
    pub slug: Option<String>,
    /// The code or name of the category above it.
    #[serde(default, alias = "上级")]
    pub parent: Option<String>,
    #[serde(default, alias = "说明")]
    pub description: Option<String>,
    /// Its items are 规范性文件, each of which should have a 解读.
    #[serde(default, alias = "规范性文件")]
    pub normative: bool,
}

/// `[review]`: 审核签发. Agencies publish only what was reviewed and signed (先审后发,
/// 三审三校); with `required`, an item without its sign-off in the front matter waits.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct ReviewConfig {
    #[serde(default, alias = "必须")]
    pub required: bool,
}

/// 依申请公开 (`[application]`): who receives applications and how.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct ApplicationConfig {
    /// 受理机构; the agency when not given.
    #[serde(default, alias = "受理机构")]
    pub office: Option<String>,
    #[serde(default, alias = "地址")]
    pub address: Option<String>,
    #[serde(default, alias = "邮政编码")]
    pub postcode: Option<String>,
    #[serde(default, alias = "办公时间")]
    pub hours: Option<String>,
    #[serde(default, alias = "电话")]
    pub phone: Option<String>,
    #[serde(default, alias = "传真")]
    pub fax: Option<String>,
    #[serde(default, alias = "电子邮箱")]
    pub email: Option<String>,
    /// The address of an online application system.
    #[serde(default, alias = "在线申请")]
    pub online: Option<String>,
    /// Where letters go, when not `address`.
    #[serde(default, alias = "信函地址")]
    pub post: Option<String>,
    /// The fee rule; 《条例》第四十二条 when not given.
    #[serde(default, alias = "收费")]
    pub fees: Option<String>,
    /// Markdown shown at the end of the page.
    #[serde(default, alias = "说明")]
    pub notes: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_comes_from_the_base_url() {
        let c = Config {
            title: String::new(),
            base_url: "https://www.x.gov.cn/wb".into(),
            description: None,
            agency: Agency::default(),
            nav: vec![],
            columns: vec![],
            news: NewsConfig::default(),
            paths: crate::config::paths::Paths::default(),
            pdf: PdfConfig::default(),
            search: SearchConfig::default(),
            deploy: BTreeMap::new(),
            theme: default_theme(),
            catalogue: CatalogueConfig::default(),
            application: None,
            compliance: ComplianceConfig::default(),
            review: ReviewConfig::default(),
            interaction: InteractionConfig::default(),
            services: ServicesConfig::default(),
            media: Vec::new(),
            extra: BTreeMap::new(),
            portal: None,
            relative_links: false,
            source: SourceMap::default(),
        };
        assert_eq!(c.base_path(), "/wb/");
        assert_eq!(
            c.clone().with_base_url("http://127.0.0.1:1111").base_path(),
            "/"
        );
    }

    #[test]
    fn base_urls_and_nav_links_that_break_links_are_refused() {
        assert!(check_base_url("https://www.x.gov.cn/wb/").is_ok());
        assert!(check_base_url("http://网站.中国").is_ok());
        for bad in [
            "www.x.gov.cn",
            "ftp://x/",
            "https://",
            "https://x/?a=1",
            "https://x/#top",
            "https://u:p@x/",
            "https://x/?",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
        for good in [
            "/",
            "/news/",
            "https://www.gov.cn/",
            "mailto:a@b.cn",
            "tel:0631-5221337",
        ] {
            assert!(check_nav_url(good).is_ok(), "{good}");
        }
        for bad in [
            "news/",
            "./news/",
            "../",
            "//x.cn/",
            "",
            "javascript:alert(1)",
        ] {
            assert!(check_nav_url(bad).is_err(), "{bad}");
        }
    }
}
