//! The content of a site: news items and disclosure items written as Markdown with
//! front matter, their attachments, and the dates they carry.

use std::collections::BTreeMap;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};

use crate::ground::date::Date;
use crate::ground::digest::{Hasher, Key, hash_serialized};

use crate::config::paths;
use crate::ground::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::input::source_map::SourceMap;
use crate::input::strict::{self, Syntax};
use crate::model::body::Body;

/// An attachment as listed in front matter.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct AttachmentRef {
    /// The file, next to the Markdown or in an `attachments/` folder beside it.
    #[serde(alias = "文件")]
    pub file: String,
    #[serde(default, alias = "标题")]
    pub title: Option<String>,
}

/// An attachment found on disk, with the URL it is published at.
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub title: String,
    pub file_name: String,
    #[serde(skip)]
    pub source: PathBuf,
    /// Where it is written, relative to the output folder.
    #[serde(skip)]
    pub path: String,
    /// Its address on pages, with what cannot stand in a URL escaped.
    pub url: String,
    /// Upper-case extension, e.g. `PDF`.
    pub format: String,
    pub size: u64,
    /// e.g. `182 KB`.
    pub size_text: String,
}

/// Human-readable size as on download links: `812 B`, `182 KB`, `2.4 MB`.
pub fn size_text(n: u64) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{} KB", n.div_ceil(1024))
    } else {
        format!("{:.1} MB", n as f64 / 1024.0 / 1024.0)
    }
}

/// Finds the files named by `refs` for the source file `at`, in `dir` (its folder, or one
/// beside it), published beside the page at `item_path`; a missing file, or a link to a
/// file outside the site, is an error at its line in the front matter.
pub(crate) fn resolve_attachments(
    refs: &[(AttachmentRef, Vec<String>)],
    at: &crate::model::loading::Place,
    dir: &Path,
    item_path: &str,
    map: &SourceMap,
    diags: &mut Diagnostics,
) -> Vec<Attachment> {
    let (root, base_path, file) = (at.root, at.base_path, at.file.as_str());
    let mut out = Vec::new();
    for (r, path) in refs {
        let name = r.file.trim();
        let candidates = [dir.join(name), dir.join("attachments").join(name)];
        candidates.iter().for_each(|p| at.look(p));
        let found = candidates.iter().find(|p| p.is_file());
        let safe = !name.is_empty()
            && !name.contains("..")
            && !name.starts_with('/')
            && !name.contains('\\');
        let (Some(src), true) = (found, safe) else {
            diags.push(
                Diagnostic::error("attachment", file, format!("找不到附件 `{name}`"))
                    .at(map.pos(path))
                    .help(format!(
                        "把文件放在 {} 或其下的 attachments 文件夹里，并检查文件名（包括扩展名）是否一致。",
                        dir.display()
                    )),
            );
            continue;
        };
        if let Err(mut d) = crate::ground::fs::check_inside(root, at.canonical_root, src) {
            d.message = format!("附件 `{name}`：{}", d.message);
            d.file = file.to_string();
            diags.push(d.at(map.pos(path)));
            continue;
        }
        if name.split('/').any(crate::ground::fs::is_hidden_name) {
            diags.push(
                Diagnostic::error(
                    "attachment",
                    file,
                    format!("附件 `{name}` 的名称以点开头或是编辑器的临时文件，这类文件不会发布"),
                )
                .at(map.pos(path))
                .help("把文件改成一个普通的名称（不以“.”开头），再在这里写上新名称。"),
            );
            continue;
        }
        let file_name = Path::new(name)
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        let size = std::fs::metadata(src).map(|m| m.len()).unwrap_or(0);
        let format = Path::new(name)
            .extension()
            .map(|e| e.to_string_lossy().to_uppercase())
            .unwrap_or_default();
        if file_name.chars().any(char::is_control) {
            diags.push(
                Diagnostic::error(
                    "attachment",
                    file,
                    format!(
                        "附件 `{}` 的文件名里有换行或其他控制字符，无法作为网址发布",
                        name.escape_debug()
                    ),
                )
                .at(map.pos(path))
                .help("把文件改成一个普通的名称（不含换行和制表符），再在这里写上新名称。"),
            );
            continue;
        }
        let out_path = format!("{item_path}{file_name}");
        out.push(Attachment {
            title: r.title.clone().unwrap_or_else(|| file_name.clone()),
            url: format!("{base_path}{}", crate::config::paths::escape(&out_path)),
            path: out_path,
            file_name,
            source: src.clone(),
            format,
            size,
            size_text: size_text(size),
        });
    }
    out
}

/// Front matter of a news item (`content/news/**.md`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct NewsFront {
    #[serde(alias = "标题")]
    pub title: String,
    #[serde(alias = "日期")]
    pub date: Date,
    /// The column (栏目) it belongs to, e.g. 外事动态.
    #[serde(default, alias = "栏目", alias = "分类")]
    pub category: Option<String>,
    #[serde(default, alias = "标签")]
    pub tags: Vec<String>,
    #[serde(default, alias = "摘要")]
    pub summary: Option<String>,
    /// 来源, e.g. the office that wrote it.
    #[serde(default, alias = "来源")]
    pub source: Option<String>,
    #[serde(default, alias = "作者")]
    pub author: Option<String>,
    #[serde(default, alias = "网址名")]
    pub slug: Option<String>,
    #[serde(default, alias = "草稿")]
    pub draft: bool,
    /// Marks sample content that is not a real announcement.
    #[serde(default, alias = "示例")]
    pub example: bool,
    #[serde(default, alias = "附件")]
    pub attachments: Vec<AttachmentRef>,
    /// Numbers this item may publish (a contact line the personal-data check would flag).
    #[serde(default, alias = "允许的号码")]
    pub allow_numbers: Vec<String>,
    /// 审核签发: who wrote, reviewed and signed it (required by `[review]`).
    #[serde(default, alias = "审核签发")]
    pub review: Option<SignOff>,
    #[serde(default, alias = "扩展")]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// What a disclosure item is, for its place in the 政府信息公开 column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum DisclosureKind {
    /// 政府信息公开指南
    #[serde(alias = "指南")]
    Guide,
    /// 政府信息公开制度
    #[serde(alias = "制度")]
    Rules,
    /// 法定主动公开内容
    #[default]
    #[serde(alias = "法定主动公开内容")]
    Item,
    /// 政策解读 of a policy (`interprets`).
    #[serde(alias = "解读", alias = "政策解读")]
    Interpretation,
}

impl DisclosureKind {
    pub fn label(self) -> &'static str {
        match self {
            DisclosureKind::Guide => "政府信息公开指南",
            DisclosureKind::Rules => "政府信息公开制度",
            DisclosureKind::Item => "法定主动公开内容",
            DisclosureKind::Interpretation => "政策解读",
        }
    }
}

/// 有效性 of a document, written and shown in Chinese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Validity {
    #[serde(rename = "有效", alias = "valid", alias = "现行有效", alias = "现行")]
    Valid,
    #[serde(rename = "失效", alias = "expired", alias = "已失效")]
    Expired,
    #[serde(rename = "废止", alias = "repealed", alias = "已废止")]
    Repealed,
    #[serde(
        rename = "已修改",
        alias = "amended",
        alias = "修改",
        alias = "已修订",
        alias = "修订",
        alias = "已修正"
    )]
    Amended,
}

impl Validity {
    pub fn label(self) -> &'static str {
        match self {
            Validity::Valid => "有效",
            Validity::Expired => "失效",
            Validity::Repealed => "废止",
            Validity::Amended => "已修改",
        }
    }
}

/// One reference or a list of them (`amends: X` or `amends: [X, Y]`).
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// Front matter of a disclosure item (`content/disclosure/**.md`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct DisclosureFront {
    #[serde(alias = "标题")]
    pub title: String,
    #[serde(alias = "日期", alias = "发布日期")]
    pub date: Date,
    #[serde(default, alias = "类别")]
    pub kind: DisclosureKind,
    /// 索引号
    #[serde(default, alias = "索引号")]
    pub index_no: Option<String>,
    /// 发布机构
    #[serde(default, alias = "发布机构")]
    pub publisher: Option<String>,
    /// 成文日期
    #[serde(default, alias = "成文日期")]
    pub written: Option<Date>,
    /// 文号
    #[serde(default, alias = "文号")]
    pub doc_no: Option<String>,
    /// 主题分类
    #[serde(default, alias = "主题分类")]
    pub topic: Option<String>,
    /// The catalogue category (a name or code of site.toml's tree).
    #[serde(default, alias = "分类", alias = "目录分类", alias = "栏目")]
    pub category: Option<String>,
    /// 有效性
    #[serde(default, alias = "有效性")]
    pub status: Option<Validity>,
    /// The item that replaces this one (its 索引号, title or slug).
    #[serde(default, alias = "替代文件")]
    pub replaced_by: Option<String>,
    /// The items this one amends.
    #[serde(default, alias = "修改的文件", deserialize_with = "one_or_many")]
    pub amends: Vec<String>,
    /// For a 解读: the policy it explains (a reference, or the URL of one elsewhere).
    #[serde(default, alias = "解读对象")]
    pub interprets: Option<String>,
    /// A 规范性文件 (also when its category says so).
    #[serde(default, alias = "规范性文件")]
    pub normative: bool,
    #[serde(default, alias = "摘要")]
    pub summary: Option<String>,
    #[serde(default, alias = "网址名")]
    pub slug: Option<String>,
    #[serde(default, alias = "草稿")]
    pub draft: bool,
    #[serde(default, alias = "示例")]
    pub example: bool,
    #[serde(default, alias = "附件")]
    pub attachments: Vec<AttachmentRef>,
    /// Numbers this item may publish (a contact line the personal-data check would flag).
    #[serde(default, alias = "允许的号码")]
    pub allow_numbers: Vec<String>,
    /// 审核签发: who wrote, reviewed and signed it (required by `[review]`).
    #[serde(default, alias = "审核签发")]
    pub review: Option<SignOff>,
    #[serde(default, alias = "扩展")]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// 审核签发 of an item or a report (`review:`, `审核签发:`): who wrote it, who reviewed
/// it, who signed it off and when, and that its 保密审查 was done. The build record keeps
/// it for every published item, so an inspector or a 保密 review can read who let what out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct SignOff {
    #[serde(default, alias = "撰稿", alias = "拟稿")]
    pub written_by: Option<String>,
    #[serde(default, alias = "审核")]
    pub reviewed_by: Option<String>,
    #[serde(default, alias = "签发")]
    pub signed_by: Option<String>,
    #[serde(default, alias = "签发日期")]
    pub signed_on: Option<Date>,
    #[serde(default, alias = "保密审查", deserialize_with = "secrecy")]
    pub secrecy_checked: bool,
}

impl SignOff {
    /// The keys of `review:` with their Chinese names (report YAML checks them by hand).
    pub const KEYS: &'static [(&'static str, &'static [&'static str])] = &[
        ("written_by", &["撰稿", "拟稿"]),
        ("reviewed_by", &["审核"]),
        ("signed_by", &["签发"]),
        ("signed_on", &["签发日期"]),
        ("secrecy_checked", &["保密审查"]),
    ];
}

/// 保密审查 done: `true`, or the words offices write (`是`, `已审查`, `通过` …).
fn secrecy<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Word(String),
    }
    Ok(match Flag::deserialize(d)? {
        Flag::Bool(b) => b,
        Flag::Word(w) => match w.trim() {
            "是" | "已审查" | "已保密审查" | "通过" | "已通过" | "审查通过" | "已完成"
            | "不涉密" | "无涉密内容" => true,
            "否" | "未审查" | "未通过" | "" => false,
            other => {
                return Err(serde::de::Error::custom(format!(
                    "保密审查写的是 `{other}`||保密审查做完了写 `是`（或 true、已审查、通过），还没做写 `否`。"
                )));
            }
        },
    })
}

/// What every kind of front matter has, and is checked for when it is read.
pub trait FrontMatter: serde::de::DeserializeOwned + Serialize {
    fn title(&self) -> &str;
}

impl FrontMatter for NewsFront {
    fn title(&self) -> &str {
        &self.title
    }
}

impl FrontMatter for DisclosureFront {
    fn title(&self) -> &str {
        &self.title
    }
}

/// A Markdown file split into its front matter and body.
pub struct Document<F> {
    pub front: F,
    pub body: String,
    pub source_map: SourceMap,
}

/// Splits and parses a Markdown file with `---` (YAML) or `+++` (TOML) front matter.
pub fn parse_document<F: FrontMatter>(
    text: &str,
    file: &str,
    diags: &mut Diagnostics,
) -> Option<Document<F>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (syntax, delim) = if text.starts_with("---") {
        (Syntax::Yaml, "---")
    } else if text.starts_with("+++") {
        (Syntax::Toml, "+++")
    } else {
        diags.push(
            Diagnostic::error("front-matter", file, "文件开头缺少前置信息（front matter）")
                .at(Some(Pos::new(1, 1)))
                .help("在第一行写 ---，接着写 title: 标题 和 date: 2024-01-31 等，再写一行 --- 结束，之后是正文。"),
        );
        return None;
    };
    let after_open = &text[delim.len()..];
    let after_open = after_open.strip_prefix('\r').unwrap_or(after_open);
    let Some(after_open) = after_open.strip_prefix('\n') else {
        diags.push(
            Diagnostic::error("front-matter", file, format!("第一行应当只有 {delim}"))
                .at(Some(Pos::new(1, 1))),
        );
        return None;
    };
    let close = format!("\n{delim}");
    let Some(end) = after_open
        .find(&close)
        .or_else(|| after_open.starts_with(delim).then_some(0))
    else {
        diags.push(
            Diagnostic::error("front-matter", file, format!("前置信息没有结束行 {delim}"))
                .at(Some(Pos::new(1, 1)))
                .help(format!("在前置信息的最后加一行 {delim}，正文写在它下面。")),
        );
        return None;
    };
    let front_text = &after_open[..end];
    let rest = &after_open[end..];
    let rest = rest.strip_prefix('\n').unwrap_or(rest);
    let body = rest[delim.len().min(rest.len())..].trim_start_matches(['\r', '\n']);
    let body_line = text[..text.len() - body.len()].matches('\n').count() + 1;
    let body = without_controls(body, file, body_line, diags);
    let parsed = strict::parse::<F>(syntax, front_text, file, 1);
    diags.extend(parsed.diagnostics);
    let front = parsed.value?;
    if front.title().trim().is_empty() {
        let at = ["title", "标题"].iter().find_map(|k| {
            parsed
                .source_map
                .raw(&[k.to_string()])
                .map(|_| k.to_string())
        });
        diags.push(
            Diagnostic::error("title", file, "标题不能为空")
                .at(at.and_then(|k| parsed.source_map.pos(&[k])))
                .help("在前置信息中写上标题，例如 `title: 关于开展政府开放日活动的通知`；标题显示在页面、列表和订阅源中。"),
        );
    }
    Some(Document {
        front,
        body,
        source_map: parsed.source_map,
    })
}

/// The body with its control characters taken out (they would make the feed unreadable),
/// each line that had one named in a warning: text pasted from Word often holds a page
/// break, and the editor cannot see it.
fn without_controls(body: &str, file: &str, first_line: usize, diags: &mut Diagnostics) -> String {
    if !body.chars().any(crate::ground::text::is_control) {
        return body.to_string();
    }
    for (i, line) in body.lines().enumerate() {
        if let Some(c) = line.chars().find(|c| crate::ground::text::is_control(*c)) {
            diags.push(
                Diagnostic::warning(
                    "control-character",
                    file,
                    format!(
                        "正文这一行有看不见的控制字符 {}，发布时已删除",
                        crate::ground::text::code_point(c)
                    ),
                )
                .at(Some(Pos::new(first_line + i, 1)))
                .help("在编辑器中删除这个字符（常见于从 Word、PDF 或网页复制来的文字）。"),
            );
        }
    }
    body.chars()
        .filter(|c| !crate::ground::text::is_control(*c))
        .collect()
}

/// An error when a slug is too long to be a folder name, at `key` of the front matter
/// when it was written there, else at the file whose name it was made from.
pub fn check_slug(
    slug: &str,
    key: Option<&str>,
    source_map: &SourceMap,
    file: &str,
    diags: &mut Diagnostics,
) {
    if slug.len() <= paths::MAX_NAME_BYTES {
        return;
    }
    let head: String = slug.chars().take(12).collect();
    let (whose, help) = match key {
        Some(_) => (
            "slug",
            "写一个短一些的 slug，例如 `slug: 开放日`：它决定这一页的网址和文件夹名。",
        ),
        None => (
            "文件名",
            "改短文件名，或在前置信息中写一个短一些的 slug，例如 `slug: 开放日`。",
        ),
    };
    diags.push(
        Diagnostic::error(
            "slug-length",
            file,
            format!(
                "{whose}“{head}…”有 {} 字节，做文件夹名超过了文件系统允许的 {} 字节（约 85 个汉字）",
                slug.len(),
                paths::MAX_NAME_BYTES
            ),
        )
        .at(key.and_then(|k| source_map.pos(&[k.to_string()])))
        .help(help),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_the_forms_editors_write() {
        let d = Date::parse("2019-08-23T09:50:00+08:00").unwrap();
        assert_eq!(d.rfc3339(), "2019-08-23T09:50:00+08:00");
        assert_eq!(
            Date::parse("2024-01-31").unwrap().chinese(),
            "2024年1月31日"
        );
        assert!(Date::parse("2023-02-30").is_none());
        assert!(Date::parse("二〇二三年").is_none());
        for s in [
            "2024年12月20日",
            "2024/12/20",
            "２０２４－１２－２０",
            "2024.12.20",
        ] {
            assert_eq!(
                Date::suggest(s).map(|d| d.ymd()).as_deref(),
                Some("2024-12-20"),
                "{s}"
            );
        }
        assert_eq!(Date::from_days(0).ymd(), "1970-01-01");
        assert_eq!(Date::from_days(20_088).ymd(), "2024-12-31");
        assert_eq!(Date::from_days(19_782).ymd(), "2024-02-29");
        for out in ["0000-01-01", "1948-12-31", "2101-01-01", "99999-01-01"] {
            assert!(Date::parse(out).is_none(), "{out}");
            assert!(Date::problem(out).contains("1949"), "{out}");
        }
        assert!(Date::parse("1949-10-01").is_some());
        assert_eq!(
            Date::parse("2024-01-31T09:30+0530").unwrap().rfc3339(),
            "2024-01-31T09:30:00+05:30"
        );
        for bad_zone in ["+99999999:00", "+24:00", "-08:60", "+-1:00", "+8:-5"] {
            assert!(
                Date::parse(&format!("2024-01-31T09:30{bad_zone}")).is_none(),
                "{bad_zone}"
            );
        }
        assert!(Date::parse("2100-12-31T23:59:59+08:00").is_some());
    }

    #[test]
    fn front_matter_unknown_key_has_file_line() {
        let mut d = Diagnostics::new();
        let doc: Option<Document<NewsFront>> = parse_document(
            "---\ntitle: 标题\ndate: 2024-01-02\ncategroy: 外事动态\n---\n正文\n",
            "n.md",
            &mut d,
        );
        assert!(doc.is_some());
        let e = d.iter().next().unwrap().to_string();
        assert!(e.starts_with("n.md:4:1: 错误 [unknown-key]"), "{e}");
        assert!(e.contains("`category`"), "{e}");
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NewsItem {
    #[serde(flatten)]
    pub front: NewsFront,
    /// Source file relative to the site root.
    pub file: String,
    /// Output path relative to the site root, ending in `/`, e.g. `news/2023/签证/`.
    pub path: String,
    pub column_slug: Option<String>,
    pub summary_text: String,
    #[serde(skip)]
    pub body_html: Body,
    /// The body as plain text, for the search index.
    #[serde(skip)]
    pub body_text: Body,
    #[serde(skip)]
    pub links: Vec<String>,
    pub attachments: Vec<Attachment>,
    /// Files the body names beside its source (pictures), copied beside its page.
    #[serde(skip)]
    pub resources: Vec<StaticFile>,
    /// The item as it was loaded, hashed ([`NewsItem::hash_as_loaded`]): kept in the
    /// load memo with it, so that a rebuild keys the pages that show an item it did not
    /// read again without hashing the item again.
    #[serde(skip)]
    pub loaded_key: Key,
}

impl NewsItem {
    /// The hash of everything a page may show of the item: its values and its body's.
    pub fn hash_as_loaded(&self) -> Key {
        let mut h = Hasher::default();
        hash_serialized(&mut h, self);
        h.update(&self.body_html.hash().to_le_bytes());
        h.finish()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DisclosureItem {
    #[serde(flatten)]
    pub front: DisclosureFront,
    pub kind_label: &'static str,
    pub file: String,
    pub path: String,
    pub summary_text: String,
    #[serde(skip)]
    pub body_html: Body,
    /// The body as plain text, for the search index.
    #[serde(skip)]
    pub body_text: Body,
    #[serde(skip)]
    pub links: Vec<String>,
    pub attachments: Vec<Attachment>,
    /// Files the body names beside its source (pictures), copied beside its page.
    #[serde(skip)]
    pub resources: Vec<StaticFile>,
    /// Its category in the site's catalogue tree.
    #[serde(skip)]
    pub category_index: Option<usize>,
    /// Where its catalogue keys are written, for errors found across items.
    #[serde(skip)]
    pub keys: Keys,
}

impl DisclosureItem {
    /// The last part of its URL (`zwgk/SLUG/`).
    pub fn slug(&self) -> &str {
        self.path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
    }
}

/// A file copied as is: from `static/`, or an attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    pub source: PathBuf,
    /// Output path relative to the output folder.
    pub path: String,
}

/// Where the catalogue's keys of an item's front matter are written (each key under its
/// English or Chinese name), for errors found after loading.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Keys {
    pub title: Option<Pos>,
    pub index_no: Option<Pos>,
    pub category: Option<Pos>,
    pub status: Option<Pos>,
    pub replaced_by: Option<Pos>,
    pub amends: Vec<Option<Pos>>,
    pub interprets: Option<Pos>,
    /// 成文日期, for the timeliness check.
    pub written: Option<Pos>,
}

/// The names a front matter key may be written under (English first).
pub const KEY_NAMES: &[(&str, &[&str])] = &[
    ("title", &["title", "标题"]),
    ("index_no", &["index_no", "索引号"]),
    ("category", &["category", "分类", "目录分类"]),
    ("status", &["status", "有效性"]),
    ("replaced_by", &["replaced_by", "替代文件"]),
    ("amends", &["amends", "修改的文件"]),
    ("interprets", &["interprets", "解读对象"]),
    ("written", &["written", "成文日期"]),
];

fn names(key: &str) -> &'static [&'static str] {
    KEY_NAMES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(&[], |(_, n)| *n)
}

impl Keys {
    /// The positions of an item's keys, `amends` having `amends` entries.
    pub fn of(map: &SourceMap, amends: usize) -> Keys {
        let at = |key: &str| map.pos_alt(&[names(key)]);
        Keys {
            title: at("title"),
            index_no: at("index_no"),
            category: at("category"),
            status: at("status"),
            replaced_by: at("replaced_by"),
            amends: (0..amends)
                .map(|i| {
                    let i = i.to_string();
                    map.pos_alt(&[names("amends"), &[i.as_str()]])
                })
                .collect(),
            interprets: at("interprets"),
            written: at("written"),
        }
    }
}

/// A disclosure item that could not be loaded: what other items may call it, so that a
/// reference to it is told as a consequence of its errors, not sent to a lookalike.
#[derive(Debug, Clone, Default)]
pub struct Unreadable {
    pub file: String,
    /// Its title, 索引号, 文号 and slug (the file's name when it has none), as written.
    pub names: Vec<String>,
}

impl Unreadable {
    /// Reads what it can of the `key: value` lines of a front matter that failed.
    pub(crate) fn of(file: &str, path: &Path, text: &str) -> Unreadable {
        const KEYS: &[&str] = &[
            "title",
            "标题",
            "index_no",
            "索引号",
            "doc_no",
            "文号",
            "slug",
            "网址名",
        ];
        let mut names: Vec<String> = text
            .lines()
            .skip(1)
            .take_while(|l| !l.starts_with("---") && !l.starts_with("+++"))
            .filter_map(|l| {
                let (k, v) = l.split_once([':', '='])?;
                let v = v.trim().trim_matches(['"', '\'']).trim();
                (KEYS.contains(&k.trim()) && !v.is_empty()).then(|| v.to_string())
            })
            .collect();
        if let Some(stem) = path.file_stem() {
            names.push(stem.to_string_lossy().into_owned());
        }
        Unreadable {
            file: file.to_string(),
            names,
        }
    }
}
