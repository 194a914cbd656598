//! 留言 (`content/messages/*.md`): a message the agency answered through its 互动交流
//! channel, published with its 答复 (国办秘函〔2019〕19号: 互动回应). The front matter
//! holds the letter (来信日期, 主题, 来信人, 来信内容); the body is the 答复.
//!
//! The letter is the citizen's text: its names and numbers are masked by the gate before
//! anything renders it ([`crate::gate`]), so an editor may paste it as the platform gave it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Loaded, Place};
use crate::ground::date::Date;
use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::model::content::{FrontMatter, SignOff};
use crate::model::markdown;

/// Front matter of a 留言.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct MessageFront {
    /// 主题
    #[serde(alias = "主题", alias = "标题")]
    pub title: String,
    /// 来信日期
    #[serde(alias = "来信日期")]
    pub received: Date,
    /// 来信人, published masked (王**).
    #[serde(default, alias = "来信人")]
    pub asker: Option<String>,
    /// 来信内容, published masked.
    #[serde(default, alias = "来信内容")]
    pub letter: String,
    /// 答复单位; the agency when not given.
    #[serde(default, alias = "答复单位")]
    pub reply_office: Option<String>,
    /// 答复日期; none while the 留言 is being handled.
    #[serde(default, alias = "答复日期")]
    pub replied: Option<Date>,
    /// When it is published (定时发布); its 答复日期, else its 来信日期, when not given.
    #[serde(default, alias = "日期", alias = "发布日期")]
    pub date: Option<Date>,
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

impl FrontMatter for MessageFront {
    fn title(&self) -> &str {
        &self.title
    }
}

impl super::Front for MessageFront {
    fn draft(&self) -> bool {
        self.draft
    }
}

/// A 留言 as loaded (its letter not yet masked: the gate does that).
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    #[serde(flatten)]
    pub front: MessageFront,
    pub file: String,
    /// Its anchor on the 互动交流 page.
    pub anchor: String,
    #[serde(skip)]
    pub reply_html: String,
    #[serde(skip)]
    pub reply_text: String,
    #[serde(skip)]
    pub links: Vec<String>,
    /// The lines of the file (1-based, inclusive) that hold the letter: the privacy check
    /// reads them masked, as they are published.
    #[serde(skip)]
    pub letter_lines: (usize, usize),
    /// Whether the gate masked it.
    #[serde(skip)]
    pub masked: bool,
    /// Where its 来信日期 is written.
    #[serde(skip)]
    pub received_pos: Option<crate::ground::diagnostics::Pos>,
}

impl Message {
    /// The day it is published on (定时发布).
    pub fn date(&self) -> Date {
        self.front
            .date
            .or(self.front.replied)
            .unwrap_or(self.front.received)
    }

    /// Whether it was answered.
    pub fn answered(&self) -> bool {
        self.front.replied.is_some()
    }

    /// Days from 来信 to 答复, when answered.
    pub fn days_to_reply(&self) -> Option<i64> {
        let r = self.front.replied?;
        Some(days(r) - days(self.front.received))
    }
}

fn days(d: Date) -> i64 {
    d.sort_key().div_euclid(86_400)
}

pub(super) fn load(at: &Place, text: &str, diags: &mut Diagnostics) -> Loaded {
    let doc = match super::read::<MessageFront>(at, text, diags) {
        super::Read::Doc(doc) => doc,
        super::Read::Draft => return Loaded::Draft,
        super::Read::Unreadable => return Loaded::Nothing,
    };
    let f = &doc.front;
    let map = &doc.source_map;
    let at_key = |names: &[&str]| map.pos_alt(&[names]);
    if f.letter.trim().is_empty() {
        diags.push(
            Diagnostic::error("message", &at.file, "留言没有来信内容（letter）")
                .at(at_key(&["title", "主题", "标题"]))
                .help("在前置信息中写上 `来信内容: |`，下一行起缩进两格粘贴来信原文；其中的姓名、手机号、身份证号发布时会自动遮盖。"),
        );
    }
    let body = doc.body.trim();
    match (f.replied, body.is_empty()) {
        (Some(_), true) => diags.push(
            Diagnostic::error("message", &at.file, "写了答复日期，但没有答复内容")
                .at(at_key(&["replied", "答复日期"]))
                .help("在前置信息结束的 --- 下面写答复内容；还没有答复的留言，删去答复日期。"),
        ),
        (None, false) => diags.push(
            Diagnostic::error("message", &at.file, "写了答复内容，但没有答复日期")
                .at(at_key(&["title", "主题", "标题"]))
                .help("在前置信息中写上 `答复日期: 2025-03-06`。"),
        ),
        _ => {}
    }
    if let Some(r) = f.replied
        && days(r) < days(f.received)
    {
        diags.push(
            Diagnostic::error(
                "message",
                &at.file,
                format!("答复日期 {} 早于来信日期 {}", r.ymd(), f.received.ymd()),
            )
            .at(at_key(&["replied", "答复日期"]))
            .help("核对两个日期。"),
        );
    }
    let html = markdown::render(body, at.base_path);
    let slug = super::slug_of(at, f.slug.as_deref());
    let letter_lines = letter_lines(text, map);
    let received_pos = at_key(&["received", "来信日期"]);
    Loaded::Message(Box::new(Message {
        anchor: format!("ly-{slug}"),
        front: doc.front,
        file: at.file.clone(),
        reply_html: html.html,
        reply_text: html.text,
        links: html.links,
        letter_lines,
        masked: false,
        received_pos,
    }))
}

/// The lines of the file the letter is written on: its key's line and the indented lines
/// after it (a block scalar `来信内容: |`), up to the next key.
fn letter_lines(text: &str, map: &crate::input::source_map::SourceMap) -> (usize, usize) {
    let Some(first) = map.pos_alt(&[&["letter", "来信内容"]]).map(|p| p.line) else {
        return (0, 0);
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut last = first;
    for (i, l) in lines.iter().enumerate().skip(first) {
        let continues = l.trim().is_empty() || l.starts_with([' ', '\t']);
        if !continues || l.trim_end() == "---" {
            break;
        }
        last = i + 1;
    }
    (first, last)
}
