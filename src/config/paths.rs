//! Where things are published: the output paths of pages and the URLs that lead to them.
//! Every place that names a page's path asks here, so a path is spelled once.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::{Deserialize, Serialize};

/// Characters kept as they are in a strict URL path: unreserved ones and `/`.
const PATH_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a path for places that need a strict URL (sitemap, feed ids).
pub fn encode(p: &str) -> String {
    utf8_percent_encode(p, PATH_KEEP).to_string()
}

/// Escapes what cannot stand in a URL path as written (spaces, quotes, `#`, `?`, `%`,
/// angle brackets …) and keeps everything else, Chinese included, as it is: the address
/// of an attachment named `会议纪要 #3.pdf` is `会议纪要%20%233.pdf`.
pub fn escape(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        if c.is_ascii_control() || " \"#%<>?[\\]^`{|}".contains(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes `%XX` escapes; invalid ones are kept as written.
pub fn decode(p: &str) -> String {
    decoded(p).into_owned()
}

/// [`decode`], borrowing `p` when it has nothing to decode (the link check asks for every
/// link of every page).
pub fn decoded(p: &str) -> std::borrow::Cow<'_, str> {
    percent_decode_str(p).decode_utf8_lossy()
}

/// Decodes `%XX` escapes, or `None` when an escape is malformed or the result is not
/// UTF-8 (what a request path must satisfy).
pub fn decode_strict(p: &str) -> Option<String> {
    let bytes = p.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_decode_str(p)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// The path part of a site's address, with one slash at each end: `/` for
/// `https://www.x.gov.cn`, `/wb/` for `https://www.x.gov.cn/wb`.
pub fn url_path(url: &str) -> String {
    let url = format!("{}/", url.trim_end_matches('/'));
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// The file a page path is written to: a folder (`news/`, or `` for the home page) gets
/// its `index.html`; a file path stays as it is.
pub fn page_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The folder an item's attachments are published in: the page's own folder, or for a
/// page that is a file (`news/202412/t20241220_001.html`) the folder named as it
/// (`news/202412/t20241220_001/`).
pub fn files_dir(page: &str) -> String {
    match page.strip_suffix(".html") {
        Some(stem) => format!("{stem}/"),
        None => page.to_string(),
    }
}

/// The folder that relative links on a page lead into, as a browser resolves them:
/// `news/2024/签证/` for that folder page, `news/202412/` for
/// `news/202412/t20241220_001.html`.
pub fn link_dir(page: &str) -> &str {
    page.rfind('/').map_or("", |i| &page[..=i])
}

/// Page `page` (1-based) of a list whose first page is at `base` (`news/`).
pub fn paged(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// The year archive.
pub const ARCHIVE: &str = "archive/";
/// The site map page.
pub const SITE_MAP: &str = "sitemap/";
/// The search page.
pub const SEARCH: &str = "search/";

/// How the paths of pages are spelled: site.toml's `[paths] style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// The file name as written, Chinese included (`/news/2024/签证办理/`): what sites
    /// made before the setting existed have.
    #[default]
    #[serde(alias = "中文")]
    Chinese,
    /// Pinyin of the file name (`/news/2024/qian-zheng-ban-li/`): ASCII, readable.
    #[serde(alias = "拼音")]
    Pinyin,
    /// Date and number, as many portals publish (`/news/2024/t20241220_001/`); items of
    /// one day are numbered in the order of their time, then file name.
    #[serde(alias = "日期")]
    Dated,
    /// Numbered as `Dated`, one file per page in a folder per month, as most portals
    /// publish (`/news/202412/t20241220_001.html`): fewer folders to write and upload.
    #[serde(rename = "dated-file", alias = "日期文件")]
    DatedFile,
}

impl Style {
    /// Whether items are numbered within a day (one edit can renumber others).
    pub fn numbered(self) -> bool {
        matches!(self, Style::Dated | Style::DatedFile)
    }
}

/// Where the site's parts are published (site.toml's `[paths]`). Every page path is
/// made here.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Paths {
    #[serde(default, alias = "网址风格")]
    pub style: Style,
    /// The folder of the news (`news`).
    #[serde(default = "default_news", alias = "新闻")]
    pub news: String,
    /// The folder of the 政府信息公开 column (`zwgk`).
    #[serde(default = "default_disclosure", alias = "政府信息公开")]
    pub disclosure: String,
}

fn default_news() -> String {
    "news".into()
}

fn default_disclosure() -> String {
    "zwgk".into()
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            style: Style::default(),
            news: default_news(),
            disclosure: default_disclosure(),
        }
    }
}

/// The folder of the category pages under the disclosure column.
const CATEGORIES: &str = "fdzdgknr/";

/// Folder names the site's own pages use.
const RESERVED: &[&str] = &[
    "archive", "assets", "search", "sitemap", "page", "wzbb", "hdjl", "bsfw", "jgzn", "ldxx", "xmt",
];

impl Paths {
    fn dir(name: &str) -> String {
        format!("{}/", name.trim_matches('/'))
    }

    /// The news list (`news/`).
    pub fn news_list(&self) -> String {
        Self::dir(&self.news)
    }

    /// The news column with this slug.
    pub fn column(&self, slug: &str) -> String {
        format!("{}category/{slug}/", self.news_list())
    }

    /// An item's page under `column` (`news/`): in a folder per year, or a file in a
    /// folder per month (`dated-file`).
    fn item(&self, column: String, (year, month): (u32, u32), slug: &str) -> String {
        if self.style == Style::DatedFile {
            format!("{column}{year}{month:02}/{slug}.html")
        } else {
            format!("{column}{year}/{slug}/")
        }
    }

    /// A news item of `year` and `month`.
    pub fn news_item(&self, year_month: (u32, u32), slug: &str) -> String {
        self.item(self.news_list(), year_month, slug)
    }

    /// The disclosure column (政府信息公开).
    pub fn disclosure(&self) -> String {
        Self::dir(&self.disclosure)
    }

    /// A disclosure item of `year` and `month`: a folder of its own, or a file in a
    /// folder per month (`dated-file`).
    pub fn disclosure_item(&self, (year, month): (u32, u32), slug: &str) -> String {
        if self.style == Style::DatedFile {
            self.item(self.disclosure(), (year, month), slug)
        } else {
            format!("{}{slug}/", self.disclosure())
        }
    }

    /// The list of yearly reports.
    pub fn reports(&self) -> String {
        format!("{}ndbg/", self.disclosure())
    }

    /// The page of the yearly report of `year`.
    pub fn report(&self, year: u32) -> String {
        format!("{}{year}/", self.reports())
    }

    /// The page of the catalogue category with this slug (法定主动公开内容 › …).
    pub fn category(&self, slug: &str) -> String {
        format!("{}{CATEGORIES}{slug}/", self.disclosure())
    }

    /// The catalogue table (政府信息公开目录).
    pub fn catalogue(&self) -> String {
        format!("{}gkml/", self.disclosure())
    }

    /// A download of the whole catalogue (`csv`, `json`).
    pub fn catalogue_data(&self, ext: &str) -> String {
        format!("{}catalogue.{ext}", self.catalogue())
    }

    /// 依申请公开.
    pub fn application(&self) -> String {
        format!("{}ysqgk/", self.disclosure())
    }

    /// The printable 申请表.
    pub fn application_form(&self) -> String {
        format!("{}sqb/", self.application())
    }

    /// The 申请表 as a PDF, and the name it is saved under when that differs (ASCII
    /// paths), as [`Paths::report_pdf`].
    pub fn application_pdf(&self) -> (String, Option<String>) {
        let name = "政府信息公开申请表.pdf".to_string();
        if self.ascii() {
            (format!("{}sqb.pdf", self.application()), Some(name))
        } else {
            (format!("{}{name}", self.application()), None)
        }
    }

    /// Folders under the disclosure column that gongkai's own pages take, so that no
    /// disclosure item may be published there.
    pub fn reserved_in_disclosure(&self) -> [String; 5] {
        [
            self.reports(),
            format!("{}page/", self.disclosure()),
            format!("{}{CATEGORIES}", self.disclosure()),
            self.catalogue(),
            self.application(),
        ]
    }

    /// The 政府网站工作年度报表 of every year (网站年度报表).
    pub fn website_reports(&self) -> String {
        "wzbb/".into()
    }

    /// The 报表 of `year`, with its downloads.
    pub fn website_report(&self, year: u32) -> String {
        format!("{}{year}/", self.website_reports())
    }

    /// The file name of a 报表's PDF, and the name it is saved under when that differs
    /// (ASCII paths), as [`Paths::report_pdf`].
    pub fn website_report_pdf(&self, site: &str, year: u32) -> (String, Option<String>) {
        let name = format!("{site}{year}年政府网站工作年度报表.pdf");
        if self.ascii() {
            (format!("{year}-wzbb.pdf"), Some(name))
        } else {
            (name, None)
        }
    }

    /// 互动交流: the channels and the 留言 answered.
    pub fn interaction(&self) -> String {
        "hdjl/".into()
    }

    /// 办事服务: the list of 办事指南.
    pub fn services(&self) -> String {
        "bsfw/".into()
    }

    /// A 办事指南.
    pub fn service(&self, slug: &str) -> String {
        format!("{}{slug}/", self.services())
    }

    /// 机构职能.
    pub fn organization(&self) -> String {
        "jgzn/".into()
    }

    /// 领导信息: every leader.
    pub fn leaders(&self) -> String {
        "ldxx/".into()
    }

    /// One leader's page (简历, 分工).
    pub fn leader(&self, slug: &str) -> String {
        format!("{}{slug}/", self.leaders())
    }

    /// 政务新媒体.
    pub fn media(&self) -> String {
        "xmt/".into()
    }

    /// The slug of a name (a file name, a column name) in this style: Chinese kept, or
    /// in pinyin.
    pub fn slug(&self, name: &str) -> String {
        match self.style {
            Style::Chinese => slugify(name),
            Style::Pinyin | Style::Dated | Style::DatedFile => pinyin_slug(name),
        }
    }

    /// Whether page paths are ASCII only.
    pub fn ascii(&self) -> bool {
        self.style != Style::Chinese
    }

    /// The file name of a report's PDF, and the name it is saved under when that differs
    /// (ASCII paths): both name the agency and the year.
    pub fn report_pdf(&self, agency: &str, year: u32) -> (String, Option<String>) {
        let name = format!("{agency}{year}年政府信息公开工作年度报告.pdf");
        if self.ascii() {
            (format!("{year}-ndbg.pdf"), Some(name))
        } else {
            (name, None)
        }
    }

    /// The file name of a report's application table (CSV), as [`Paths::report_pdf`].
    pub fn report_csv(&self) -> (String, Option<String>) {
        let name = "收到和处理政府信息公开申请情况.csv".to_string();
        if self.ascii() {
            ("applications.csv".into(), Some(name))
        } else {
            (name, None)
        }
    }

    /// What is wrong with the folder names, if anything.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (key, v) in [("news", &self.news), ("disclosure", &self.disclosure)] {
            let v = v.trim_matches('/');
            if v.is_empty()
                || !v.split('/').all(|seg| {
                    !seg.is_empty()
                        && seg
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                })
            {
                out.push(format!(
                    "paths.{key} = \"{v}\" 不是可用的文件夹名：只能用英文字母、数字、- 和 _"
                ));
            } else if RESERVED.contains(&v) {
                out.push(format!("paths.{key} = \"{v}\" 与网站自带的页面 /{v}/ 重名"));
            }
        }
        if self.news.trim_matches('/') == self.disclosure.trim_matches('/') {
            out.push("paths.news 与 paths.disclosure 不能是同一个文件夹".into());
        }
        out
    }
}

/// The slug of item number `n` (from 1) of a day, as portals number them: `t20241220_001`.
pub fn dated_slug(year: u32, month: u32, day: u32, n: usize) -> String {
    format!("t{year:04}{month:02}{day:02}_{n:03}")
}

/// An ASCII slug: Chinese characters in pinyin without tones, one syllable a word
/// (`2024年工作会议` → `2024-nian-gong-zuo-hui-yi`), Latin letters and digits kept.
pub fn pinyin_slug(s: &str) -> String {
    use pinyin::ToPinyin;
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in s.trim().chars() {
        if let Some(p) = c.to_pinyin() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            words.push(p.plain().to_string());
        } else if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c.to_ascii_lowercase());
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let mut out = String::new();
    for w in words {
        if out.len() + w.len() >= 80 && !out.is_empty() {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w);
    }
    out
}

/// One year of the archive.
pub fn archive_year(year: u32) -> String {
    format!("archive/{year}/")
}

/// The longest file or folder name the file systems a site is built on take (ext4, XFS,
/// APFS: 255 bytes of UTF-8, in which a Chinese character takes three): the most a slug
/// may have.
pub const MAX_NAME_BYTES: usize = 255;

/// A URL-safe slug that keeps Chinese characters: spaces and punctuation become `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The pages of a portal group, at the group's root; each member site is published
/// under its slug (`wb/`, `教育局/`).
pub mod group {
    /// The directory of member agencies (机构目录).
    pub const AGENCIES: &str = "agencies/";
    /// The latest items of every member.
    pub const LATEST: &str = "latest/";
    /// The yearly reports of every member (年报汇总).
    pub const REPORTS: &str = "ndbg/";
    /// The 政府网站工作年度报表 of every member (国办函〔2018〕12号: 开设专栏集中发布).
    pub const WEBSITE_REPORTS: &str = "wzbb/";
    /// The group-wide search page and its index.
    pub const SEARCH: &str = "search/";
    /// Every member's key figures of every year, as CSV and JSON.
    pub const SUMMARY_CSV: &str = "ndbg/年报汇总.csv";
    pub const SUMMARY_JSON: &str = "ndbg/年报汇总.json";
    /// Names a member's slug may not take: the group's own pages and files.
    pub const RESERVED: &[&str] = &[
        "agencies",
        "latest",
        "ndbg",
        "wzbb",
        "search",
        "assets",
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
    ];
    /// What each member's build leaves for the group pages (and for `--merge`), inside
    /// the output but never published (a dot folder).
    pub const DATA: &str = ".gongkai-group/";

    /// The 年报 page of one year.
    pub fn reports_year(year: u32) -> String {
        format!("ndbg/{year}/")
    }

    /// The folder a member is published in.
    pub fn member(slug: &str) -> String {
        format!("{slug}/")
    }

    /// A member's summary for the group pages.
    pub fn summary(slug: &str) -> String {
        format!("{DATA}{slug}.json")
    }

    /// A member's pages as the group search indexes them.
    pub fn search_records(slug: &str) -> String {
        format!("{DATA}{slug}.search.json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_through_percent_encoding() {
        let p = "news/2023/签证/";
        assert_eq!(decode(&encode(p)), p);
        assert_eq!(encode("a b"), "a%20b");
        assert_eq!(decode("%E7%AD%BE%ZZ"), "签%ZZ");
        assert_eq!(decode_strict("/%E7%AD%BE").as_deref(), Some("/签"));
        for bad in ["/%2", "/%zz", "/%ff%fe"] {
            assert_eq!(decode_strict(bad), None, "{bad}");
        }
    }

    #[test]
    fn escaped_paths_keep_chinese_and_decode_back() {
        let name = "会议纪要 #3 \"终稿\"?.pdf";
        assert_eq!(escape(name), "会议纪要%20%233%20%22终稿%22%3F.pdf");
        assert_eq!(decode(&escape(name)), name);
        assert_eq!(escape("50%.pdf"), "50%25.pdf");
    }

    #[test]
    fn slugs_keep_chinese() {
        assert_eq!(
            slugify("政府信息公开 指南（2024）"),
            "政府信息公开-指南-2024"
        );
    }

    #[test]
    fn ascii_slugs_are_pinyin_and_paths_follow_the_settings() {
        assert_eq!(pinyin_slug("2024年工作会议"), "2024-nian-gong-zuo-hui-yi");
        assert_eq!(
            pinyin_slug("关于印发《XX办法》的通知"),
            "guan-yu-yin-fa-xx-ban-fa-de-tong-zhi"
        );
        assert_eq!(dated_slug(2024, 12, 20, 1), "t20241220_001");
        let p = Paths {
            style: Style::Pinyin,
            news: "xwdt".into(),
            disclosure: "/xxgk/".into(),
        };
        assert_eq!(p.news_item((2024, 12), "a"), "xwdt/2024/a/");
        assert_eq!(p.disclosure_item((2024, 12), "a"), "xxgk/a/");
        let file = Paths {
            style: Style::DatedFile,
            ..Paths::default()
        };
        assert_eq!(
            file.news_item((2024, 3), "t20240320_001"),
            "news/202403/t20240320_001.html"
        );
        assert_eq!(
            file.disclosure_item((2024, 12), "t20241220_002"),
            "zwgk/202412/t20241220_002.html"
        );
        assert_eq!(p.column("gzdt"), "xwdt/category/gzdt/");
        assert_eq!(p.report(2024), "xxgk/ndbg/2024/");
        assert_eq!(p.slug("签证办理"), "qian-zheng-ban-li");
        assert!(p.problems().is_empty());
        let bad = Paths {
            news: "新闻".into(),
            disclosure: "search".into(),
            ..Paths::default()
        };
        assert_eq!(bad.problems().len(), 2, "{:?}", bad.problems());
    }

    #[test]
    fn folders_are_written_as_their_index() {
        assert_eq!(page_file(""), "index.html");
        assert_eq!(page_file("news/"), "news/index.html");
        assert_eq!(page_file("atom.xml"), "atom.xml");
        assert_eq!(page_file("news/202412/t1.html"), "news/202412/t1.html");
        assert_eq!(files_dir("news/202412/t1.html"), "news/202412/t1/");
        assert_eq!(files_dir("news/2024/签证/"), "news/2024/签证/");
        assert_eq!(link_dir("news/202412/t1.html"), "news/202412/");
        assert_eq!(link_dir("news/2024/签证/"), "news/2024/签证/");
        assert_eq!(paged("news/", 1), "news/");
        assert_eq!(paged("news/", 3), "news/page/3/");
    }
}
