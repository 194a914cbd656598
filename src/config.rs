//! `site.toml`: who the agency is, where the site lives, navigation and columns.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::source_map::SourceMap;
use crate::strict::{self, Syntax};
use crate::text_file;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Config {
    /// The portal's name, shown in the header and the browser tab.
    pub title: String,
    /// Where the site is published, e.g. `http://wb.weihai.gov.cn/`. A path after the
    /// host (`https://www.x.gov.cn/wb/`) is kept in every link.
    pub base_url: String,
    #[serde(default)]
    pub description: Option<String>,
    pub agency: Agency,
    #[serde(default)]
    pub nav: Vec<NavLink>,
    /// News columns (栏目); a news item's `category` names one of them.
    #[serde(default)]
    pub columns: Vec<Column>,
    #[serde(default)]
    pub news: NewsConfig,
    /// The PDF of each yearly report.
    #[serde(default)]
    pub pdf: PdfConfig,
    /// The site search (站内搜索).
    #[serde(default)]
    pub search: SearchConfig,
    /// Where `gongkai deploy NAME` publishes to (`[deploy.NAME]`).
    #[serde(default)]
    pub deploy: BTreeMap<String, DeployTarget>,
    /// The folder of the theme under `themes/`; `default` is built in.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The 政府信息公开目录: categories and 索引号 (see docs/catalogue.md).
    #[serde(default, alias = "公开目录")]
    pub catalogue: CatalogueConfig,
    /// 依申请公开: the page and the 申请表 are made when this is given.
    #[serde(default, alias = "依申请公开")]
    pub application: Option<ApplicationConfig>,
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Where each key is written in site.toml, for problems found after parsing.
    #[serde(skip)]
    pub source: SourceMap,
}

fn default_theme() -> String {
    "default".to_string()
}

/// The identity a government site must show (《政府网站发展指引》).
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct Agency {
    /// The agency's full name.
    pub name: String,
    /// 主办单位
    pub sponsor: String,
    /// 承办单位, if another body runs the site.
    #[serde(default)]
    pub organizer: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub postcode: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// 网站标识码
    #[serde(default)]
    pub site_code: Option<String>,
    /// ICP备案号, e.g. 鲁ICP备05002386号
    #[serde(default)]
    pub icp: Option<String>,
    /// 公安机关备案号, e.g. 鲁公网安备 37100202000123号
    #[serde(default)]
    pub police_record: Option<String>,
    /// The 党政机关网站标识 image the agency was issued, as a path under `static/`.
    /// None ships with gongkai: only the agency may use its own.
    #[serde(default)]
    pub mark_image: Option<String>,
    /// Where the mark links to (its verification page).
    #[serde(default)]
    pub mark_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct NavLink {
    pub title: String,
    /// A path on this site (`/news/`) or a full URL.
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Column {
    pub name: String,
    /// The folder name in URLs; the name itself when not given.
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

impl Column {
    pub fn slug(&self) -> String {
        self.slug
            .clone()
            .unwrap_or_else(|| crate::paths::slugify(&self.name))
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct NewsConfig {
    /// Items per list page.
    #[serde(default = "default_page_size")]
    pub page_size: usize,
    /// Items in the feed.
    #[serde(default = "default_feed_size")]
    pub feed_size: usize,
    /// Items on the home page.
    #[serde(default = "default_home_size")]
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
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Font files (.ttf, .otf, .ttc) with simplified Chinese; the Noto CJK fonts at their
    /// usual places when empty. Relative paths are relative to the site folder.
    #[serde(default)]
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
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Which parts of the site are searchable.
    #[serde(default = "all_search_columns")]
    pub columns: Vec<SearchColumn>,
    /// How many characters of each page's text are indexed (titles and metadata always
    /// are); 0 indexes titles and metadata only.
    #[serde(default = "default_body_chars")]
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
        if let Some(m) = &mut config.agency.mark_image {
            *m = m.trim_start_matches('/').to_string();
        }
        let at = |p: &[&str]| {
            parsed
                .source_map
                .pos(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        };
        if let Err(why) = check_base_url(&config.base_url) {
            diags.push(
                Diagnostic::error(
                    "config",
                    CONFIG_FILE,
                    format!("base_url `{}` {why}", config.base_url),
                )
                .at(at(&["base_url"]))
                .help("写成 https://www.example.gov.cn/ 这样以 http:// 或 https:// 开头的网址；网站在子目录时写上目录，如 https://www.example.gov.cn/wb/。"),
            );
        }
        let mut empty = Vec::new();
        if config.title.trim().is_empty() {
            empty.push((vec!["title".to_string()], "网站名称 title"));
        }
        if config.agency.name.trim().is_empty() {
            empty.push((vec!["agency".into(), "name".into()], "机关名称 name"));
        }
        if config.agency.sponsor.trim().is_empty() {
            empty.push((vec!["agency".into(), "sponsor".into()], "主办单位 sponsor"));
        }
        for (i, link) in config.nav.iter().enumerate() {
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
                        .at(parsed.source_map.pos(&p))
                        .help("站内页面写成以 / 开头的地址（如 /news/），其他网站写完整网址（如 https://www.gov.cn/）。"),
                );
            }
        }
        for (i, c) in config.columns.iter().enumerate() {
            let slug = c.slug();
            if slug.len() > crate::paths::MAX_NAME_BYTES {
                let key = if c.slug.is_some() { "slug" } else { "name" };
                diags.push(
                    Diagnostic::error(
                        "slug-length",
                        CONFIG_FILE,
                        format!(
                            "栏目的 {key} 做文件夹名有 {} 字节，超过了文件系统允许的 {} 字节（约 85 个汉字）",
                            slug.len(),
                            crate::paths::MAX_NAME_BYTES
                        ),
                    )
                    .at(parsed.source_map.pos(&["columns".into(), i.to_string(), key.into()]))
                    .help("给这个栏目写一个短的 slug，例如 `slug = \"gzdt\"`：它决定栏目页的网址和文件夹名。"),
                );
            }
        }
        for (path, what) in empty {
            diags.push(
                Diagnostic::error("config", CONFIG_FILE, format!("{what} 不能为空"))
                    .at(parsed.source_map.pos(&path))
                    .help("填写这一项：它显示在每个页面上。"),
            );
        }
        if config.news.page_size == 0 {
            diags.push(
                Diagnostic::error("config", CONFIG_FILE, "news.page_size 不能为 0")
                    .at(at(&["news", "page_size"]))
                    .help("每页条数一般为 15 或 20。"),
            );
        }
        for (key, label) in [("site_code", "网站标识码"), ("icp", "ICP备案号")] {
            let v = match key {
                "site_code" => &config.agency.site_code,
                _ => &config.agency.icp,
            };
            if v.as_deref().is_none_or(|s| s.trim().is_empty()) {
                diags.push(
                    Diagnostic::warning("identity", CONFIG_FILE, format!("没有填写{label}，页脚将不显示"))
                        .at(at(&["agency"]))
                        .help(format!("按《政府网站发展指引》，政府网站页脚应当显示{label}：在 [agency] 下填写 {key}。")),
                );
            }
        }
        Some(config)
    }

    /// The base URL with exactly one trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }

    /// The path part of the base URL (`/` or `/wb/`), prefixed to every link.
    pub fn base_path(&self) -> String {
        let url = self.base_url();
        let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        }
    }

    pub fn with_base_url(mut self, url: &str) -> Self {
        self.base_url = url.to_string();
        self
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
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
            pdf: PdfConfig::default(),
            search: SearchConfig::default(),
            deploy: BTreeMap::new(),
            theme: default_theme(),
            catalogue: CatalogueConfig::default(),
            application: None,
            extra: BTreeMap::new(),
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
