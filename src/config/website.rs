//! What a 政府网站 shows beyond the 专栏 (国办发〔2017〕47号《政府网站发展指引》, checked by
//! 国办秘函〔2019〕19号): the 互动交流 channels of the unified platform (`[interaction]`),
//! the entry to the province's 政务服务网 (`[services]`) and the 政务新媒体 accounts
//! (`[[media]]`), with the thresholds their checks use (`[compliance.interaction]`,
//! `[compliance.organization]`, `[compliance.website_reports]`).

use serde::{Deserialize, Serialize};

/// `[interaction]` (互动交流): a static site takes no messages, so it links the platform
/// that does (the city's unified 留言/信箱/征集/访谈 system) from its navigation and
/// footer, and publishes the 留言 it answered (`content/messages/`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct InteractionConfig {
    /// The channels are those of the unified platform of the government the agency
    /// belongs to (the 报表's 是否使用统一平台).
    #[serde(default, alias = "统一平台")]
    pub unified: bool,
    #[serde(default, alias = "渠道")]
    pub channels: Vec<Channel>,
}

/// One 咨询建言 channel: 领导信箱, 部门信箱, 意见征集, 在线访谈 …
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Channel {
    #[serde(alias = "名称")]
    pub name: String,
    /// Its address on the platform (a full URL) or on this site (a path from `/`).
    #[serde(alias = "链接", alias = "网址")]
    pub url: String,
    #[serde(default, alias = "描述", alias = "说明")]
    pub description: Option<String>,
}

/// `[services]` (办事服务): where a visitor applies online. Each 办事指南
/// (`content/services/`) links its own entry, or this one.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ServicesConfig {
    /// The province's 政务服务网 (一网通办), at the page of this agency or its city.
    #[serde(default, alias = "政务服务网")]
    pub portal: Option<String>,
    /// Its name as the province calls it, e.g. 山东政务服务网.
    #[serde(default, alias = "政务服务网名称")]
    pub portal_name: Option<String>,
}

/// A 政务新媒体 account (`[[media]]`), listed on its page and in the footer.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct MediaAccount {
    #[serde(alias = "名称")]
    pub name: String,
    /// 微信, 微博, 抖音, 今日头条 …
    #[serde(alias = "平台")]
    pub platform: String,
    /// The account's ID on the platform (微信号, 微博 ID …).
    #[serde(default, alias = "账号")]
    pub account: Option<String>,
    /// Its QR code, a picture under `static/` (`media/wechat.png`).
    #[serde(default, alias = "二维码")]
    pub qr: Option<String>,
    /// Its page on the platform.
    #[serde(default, alias = "链接", alias = "网址")]
    pub url: Option<String>,
}

impl MediaAccount {
    /// Whether it is an account of `platform` (微博 also as 新浪微博, 微信 as 微信公众号).
    pub fn is_on(&self, platform: &str) -> bool {
        self.platform.contains(platform)
    }
}

/// `[compliance.interaction]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct InteractionChecks {
    /// A 留言 without its 答复 this many months after it came is 超过 3 个月未回应
    /// (19号, 单项否决 互动回应差).
    #[serde(default = "three")]
    pub reply_months: u32,
}

fn three() -> u32 {
    3
}

impl Default for InteractionChecks {
    fn default() -> Self {
        InteractionChecks {
            reply_months: three(),
        }
    }
}

/// `[compliance.organization]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct OrganizationChecks {
    /// 机构职能 or a leader's page not reviewed for this many months is stale.
    #[serde(default = "twelve")]
    pub stale_months: u32,
}

fn twelve() -> u32 {
    12
}

impl Default for OrganizationChecks {
    fn default() -> Self {
        OrganizationChecks {
            stale_months: twelve(),
        }
    }
}

/// `[compliance.website_reports]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct WebsiteReportChecks {
    /// The first year the site must have a 报表 for; its earliest 报表's when not given.
    #[serde(default)]
    pub first_year: Option<u32>,
}
