//! 机构职能 (`content/organization/*.md`, one file) and 领导信息 (`content/leaders/*.md`,
//! one per leader): what 《条例》第二十条（二） asks every agency to publish — 机关职能、
//! 机构设置、办公地址、办公时间、联系方式、负责人姓名 — as structured content, each with the
//! day it was last checked (`updated`), since inspectors mark these pages stale.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Loaded, Place};
use crate::ground::date::Date;
use crate::ground::diagnostics::Diagnostics;
use crate::model::content::{self, Attachment, AttachmentRef, FrontMatter, SignOff};
use crate::model::markdown;

/// An 内设机构 of the agency.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Department {
    #[serde(alias = "名称")]
    pub name: String,
    #[serde(default, alias = "职责")]
    pub functions: Option<String>,
    #[serde(default, alias = "电话")]
    pub phone: Option<String>,
}

/// Front matter of 机构职能; the body is 主要职责.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct OrganizationFront {
    #[serde(default = "organization_title", alias = "标题")]
    pub title: String,
    /// The day the page was last checked against the agency's 三定 规定.
    #[serde(alias = "更新日期")]
    pub updated: Date,
    /// 内设机构
    #[serde(default, alias = "内设机构")]
    pub departments: Vec<Department>,
    /// 办公地址; `[agency] address` when not given.
    #[serde(default, alias = "地址")]
    pub address: Option<String>,
    #[serde(default, alias = "办公时间")]
    pub hours: Option<String>,
    /// 联系电话; `[agency] phone` when not given.
    #[serde(default, alias = "电话")]
    pub phone: Option<String>,
    #[serde(default, alias = "传真")]
    pub fax: Option<String>,
    #[serde(default, alias = "邮编")]
    pub postcode: Option<String>,
    #[serde(default, alias = "邮箱")]
    pub email: Option<String>,
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

fn organization_title() -> String {
    "机构职能".into()
}

impl FrontMatter for OrganizationFront {
    fn title(&self) -> &str {
        &self.title
    }
}

impl super::Front for OrganizationFront {
    fn draft(&self) -> bool {
        self.draft
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    #[serde(flatten)]
    pub front: OrganizationFront,
    pub file: String,
    #[serde(skip)]
    pub duties_html: String,
    #[serde(skip)]
    pub duties_text: String,
    #[serde(skip)]
    pub links: Vec<String>,
    #[serde(skip)]
    pub source_map: crate::input::source_map::SourceMap,
}

/// Front matter of a leader; the body is 简历.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct LeaderFront {
    /// 姓名
    #[serde(alias = "姓名", alias = "名称")]
    pub name: String,
    /// 职务
    #[serde(default, alias = "职务")]
    pub position: String,
    /// 分工
    #[serde(default, alias = "分工")]
    pub duties: String,
    /// 照片: a picture beside the file.
    #[serde(default, alias = "照片")]
    pub photo: Option<String>,
    /// The place in the list (a smaller number first; then by file name).
    #[serde(default, alias = "排序")]
    pub order: i64,
    /// The day the page was last checked.
    #[serde(alias = "更新日期")]
    pub updated: Date,
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

impl FrontMatter for LeaderFront {
    fn title(&self) -> &str {
        &self.name
    }
}

impl super::Front for LeaderFront {
    fn draft(&self) -> bool {
        self.draft
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Leader {
    #[serde(flatten)]
    pub front: LeaderFront,
    pub file: String,
    /// Its page, e.g. `ldxx/wang/`.
    pub path: String,
    pub photo: Option<Attachment>,
    #[serde(skip)]
    pub resume_html: String,
    #[serde(skip)]
    pub resume_text: String,
    #[serde(skip)]
    pub links: Vec<String>,
    #[serde(skip)]
    pub source_map: crate::input::source_map::SourceMap,
}

pub(super) fn load_organization(at: &Place, text: &str, diags: &mut Diagnostics) -> Loaded {
    let doc = match super::read::<OrganizationFront>(at, text, diags) {
        super::Read::Doc(doc) => doc,
        super::Read::Draft => return Loaded::Draft,
        super::Read::Unreadable => return Loaded::Nothing,
    };
    let html = markdown::render(&doc.body, at.base_path);
    Loaded::Organization(Box::new(Organization {
        front: doc.front,
        file: at.file.clone(),
        duties_html: html.html,
        duties_text: html.text,
        links: html.links,
        source_map: doc.source_map,
    }))
}

pub(super) fn load_leader(at: &Place, text: &str, diags: &mut Diagnostics) -> Loaded {
    let doc = match super::read::<LeaderFront>(at, text, diags) {
        super::Read::Doc(doc) => doc,
        super::Read::Draft => return Loaded::Draft,
        super::Read::Unreadable => return Loaded::Nothing,
    };
    let slug = super::slug_of(at, doc.front.slug.as_deref());
    let path = at.config.paths.leader(&slug);
    let photo = doc.front.photo.as_ref().and_then(|p| {
        // The key as written, English or Chinese, for the message's line.
        let key = ["photo", "照片"]
            .into_iter()
            .find(|k| doc.source_map.raw(&[k.to_string()]).is_some())
            .unwrap_or("photo");
        let refs = [(
            AttachmentRef {
                file: p.clone(),
                title: Some(format!("{}的照片", doc.front.name)),
            },
            vec![key.to_string()],
        )];
        content::resolve_attachments(&refs, at, at.dir, &path, &doc.source_map, diags)
            .into_iter()
            .next()
    });
    let html = markdown::render(&doc.body, at.base_path);
    Loaded::Leader(Box::new(Leader {
        front: doc.front,
        file: at.file.clone(),
        path,
        photo,
        resume_html: html.html,
        resume_text: html.text,
        links: html.links,
        source_map: doc.source_map,
    }))
}
