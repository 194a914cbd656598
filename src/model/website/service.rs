//! 办事指南 (`content/services/*.md`): one service the agency handles, its 要素 written as
//! the body's headings (`## 设定依据` …), with the entry to apply online on the
//! province's 政务服务网. Which 要素 a guide must have is data ([`PARTS`]): 国办秘函〔2019〕19号
//! counts a guide missing one of them as 服务不实用 (单项否决).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Loaded, Place};
use crate::ground::date::Date;
use crate::model::content::{FrontMatter, SignOff};
use crate::model::markdown;
use crate::model::report::schema::normalize_label;

/// A 要素 of a 办事指南: the heading it is written under, and the headings agencies use
/// for it.
pub struct Part {
    pub label: &'static str,
    pub aliases: &'static [&'static str],
}

/// The 要素 every 办事指南 must have besides its 事项名称 (its title), in the order a
/// guide lists them (国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》: 办事指南重点要素).
pub const PARTS: &[Part] = &[
    Part {
        label: "设定依据",
        aliases: &["办理依据", "法律依据", "依据"],
    },
    Part {
        label: "申请条件",
        aliases: &["受理条件", "办理条件", "申办条件", "申请人条件"],
    },
    Part {
        label: "办理材料",
        aliases: &["申请材料", "申报材料", "所需材料", "申办材料"],
    },
    Part {
        label: "办理地点",
        aliases: &["受理地点", "办理地址", "受理地址"],
    },
    Part {
        label: "办理时间",
        aliases: &["受理时间", "办公时间"],
    },
    Part {
        label: "联系电话",
        aliases: &["咨询电话", "咨询方式", "联系方式"],
    },
    Part {
        label: "办理流程",
        aliases: &["办理程序", "办事流程", "办理步骤"],
    },
];

/// The 要素 a heading names, if it names one.
pub fn part_of(heading: &str) -> Option<&'static Part> {
    let h = normalize_label(heading);
    PARTS.iter().find(|p| {
        normalize_label(p.label) == h || p.aliases.iter().any(|a| normalize_label(a) == h)
    })
}

/// Front matter of a 办事指南.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ServiceFront {
    /// 事项名称
    #[serde(alias = "事项名称", alias = "标题")]
    pub title: String,
    /// When it was published or last revised.
    #[serde(alias = "日期", alias = "发布日期")]
    pub date: Date,
    /// 实施机构; the agency when not given.
    #[serde(default, alias = "实施机构")]
    pub department: Option<String>,
    /// 事项类型: 行政许可, 公共服务, 其他行政权力 …
    #[serde(default, alias = "事项类型")]
    pub service_type: Option<String>,
    /// 事项编码 in the province's list.
    #[serde(default, alias = "事项编码")]
    pub item_code: Option<String>,
    /// Where to apply online (the item's page on the 政务服务网); `[services] portal`
    /// when not given.
    #[serde(default, alias = "在线办理", alias = "网上办理")]
    pub online_url: Option<String>,
    /// 可全程在线办理 (the 报表 counts them).
    #[serde(default, alias = "全程网办")]
    pub fully_online: bool,
    #[serde(default, alias = "摘要")]
    pub summary: Option<String>,
    #[serde(default, alias = "网址名")]
    pub slug: Option<String>,
    #[serde(default, alias = "草稿")]
    pub draft: bool,
    #[serde(default, alias = "示例")]
    pub example: bool,
    #[serde(default, alias = "允许的号码")]
    pub allow_numbers: Vec<String>,
    #[serde(default, alias = "审核签发")]
    pub review: Option<SignOff>,
    #[serde(default, alias = "扩展")]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl FrontMatter for ServiceFront {
    fn title(&self) -> &str {
        &self.title
    }
}

impl super::Front for ServiceFront {
    fn draft(&self) -> bool {
        self.draft
    }
}

/// A 要素 as the guide writes it: its heading's line, and whether anything is under it.
#[derive(Debug, Clone, Serialize)]
pub struct WrittenPart {
    pub label: &'static str,
    pub line: usize,
    pub empty: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    #[serde(flatten)]
    pub front: ServiceFront,
    pub file: String,
    /// Its page, e.g. `bsfw/因公护照/`.
    pub path: String,
    pub summary_text: String,
    #[serde(skip)]
    pub body_html: String,
    #[serde(skip)]
    pub body_text: String,
    #[serde(skip)]
    pub links: Vec<String>,
    /// The 要素 its headings name.
    #[serde(skip)]
    pub parts: Vec<WrittenPart>,
    /// The file's line the body starts on (where a missing 要素 is reported).
    #[serde(skip)]
    pub body_line: usize,
}

pub(super) fn load(
    at: &Place,
    text: &str,
    diags: &mut crate::ground::diagnostics::Diagnostics,
) -> Loaded {
    let doc = match super::read::<ServiceFront>(at, text, diags) {
        super::Read::Doc(doc) => doc,
        super::Read::Draft => return Loaded::Draft,
        super::Read::Unreadable => return Loaded::Nothing,
    };
    let slug = super::slug_of(at, doc.front.slug.as_deref());
    let path = at.config.paths.service(&slug);
    let html = markdown::render(&doc.body, at.base_path);
    let body_line = super::body_line(text);
    Loaded::Service(Box::new(Service {
        summary_text: doc
            .front
            .summary
            .clone()
            .unwrap_or_else(|| markdown::first_paragraph(&doc.body, 120)),
        parts: parts(&doc.body, body_line),
        front: doc.front,
        file: at.file.clone(),
        path,
        body_html: html.html,
        body_text: html.text,
        links: html.links,
        body_line,
    }))
}

/// The 要素 among the body's headings (`## 设定依据`, `### 办理材料`), each with whether
/// any text follows it before the next heading.
fn parts(body: &str, first_line: usize) -> Vec<WrittenPart> {
    let lines: Vec<&str> = body.lines().collect();
    let mut out: Vec<WrittenPart> = Vec::new();
    let mut open: Option<usize> = None;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if let Some(h) = t.strip_prefix('#') {
            let heading = h.trim_start_matches('#').trim();
            open = part_of(heading).map(|p| {
                out.push(WrittenPart {
                    label: p.label,
                    line: first_line + i,
                    empty: true,
                });
                out.len() - 1
            });
        } else if !t.is_empty()
            && let Some(k) = open
        {
            out[k].empty = false;
        }
    }
    out
}
