//! `[compliance]` of site.toml: the checks against the 检查指标 and their thresholds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

fn yes() -> bool {
    true
}

/// How a named check reports what it finds (`[compliance.levels]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    #[serde(alias = "警告")]
    Warning,
    #[serde(alias = "错误")]
    Error,
    #[serde(alias = "关闭")]
    Off,
}

/// A check's level, written `"freshness.home" = "error"` or, as TOML reads an unquoted
/// dotted key, `freshness.home = "error"` (a table per family).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum LevelEntry {
    One(Level),
    Family(BTreeMap<String, Level>),
}

/// `[compliance]`: the checks against the 检查指标 and the 条例, on by default with the
/// national thresholds; every number can be changed here.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ComplianceConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Levels by check name (`freshness.home`, `privacy.id-card` …).
    #[serde(default)]
    pub levels: BTreeMap<String, LevelEntry>,
    #[serde(default)]
    pub freshness: FreshnessConfig,
    #[serde(default)]
    pub timeliness: TimelinessConfig,
    #[serde(default)]
    pub privacy: PrivacyConfig,
    #[serde(default)]
    pub wording: WordingConfig,
    #[serde(default)]
    pub reports: ReportsConfig,
    /// Days off and 调休 working days beyond data/holidays.toml.
    #[serde(default)]
    pub holidays: HolidaysConfig,
    /// External links: the domains they may lead to, how `--online` requests them.
    #[serde(default)]
    pub links: LinksConfig,
    #[serde(default)]
    pub interaction: super::InteractionChecks,
    #[serde(default)]
    pub organization: super::OrganizationChecks,
    #[serde(default)]
    pub website_reports: super::WebsiteReportChecks,
}

impl Default for ComplianceConfig {
    fn default() -> Self {
        ComplianceConfig {
            enabled: true,
            levels: BTreeMap::new(),
            freshness: FreshnessConfig::default(),
            timeliness: TimelinessConfig::default(),
            privacy: PrivacyConfig::default(),
            wording: WordingConfig::default(),
            reports: ReportsConfig::default(),
            holidays: HolidaysConfig::default(),
            links: LinksConfig::default(),
            interaction: super::InteractionChecks::default(),
            organization: super::OrganizationChecks::default(),
            website_reports: super::WebsiteReportChecks::default(),
        }
    }
}

impl ComplianceConfig {
    /// The levels written, by full check name.
    pub fn level_list(&self) -> Vec<(String, Level)> {
        let mut out = Vec::new();
        for (k, v) in &self.levels {
            match v {
                LevelEntry::One(l) => out.push((k.clone(), *l)),
                LevelEntry::Family(m) => {
                    out.extend(m.iter().map(|(n, l)| (format!("{k}.{n}"), *l)));
                }
            }
        }
        out
    }
}

/// 首页和栏目更新（国办秘函〔2019〕19号）.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FreshnessConfig {
    /// The home page's newest item may be this many days old.
    #[serde(default = "fourteen")]
    pub home_days: u32,
    /// A 动态 or 要闻 column's newest item may be this many days old.
    #[serde(default = "fourteen")]
    pub dynamic_days: u32,
    /// A 通知公告 or 政策文件 column's newest item may be this many months old.
    #[serde(default = "six")]
    pub notice_months: u32,
    /// Days allowed per column or category, by name, overriding the kind read from its
    /// name; 0 leaves it unchecked.
    #[serde(default)]
    pub columns: BTreeMap<String, u32>,
}

fn fourteen() -> u32 {
    14
}
fn six() -> u32 {
    6
}

impl Default for FreshnessConfig {
    fn default() -> Self {
        FreshnessConfig {
            home_days: 14,
            dynamic_days: 14,
            notice_months: 6,
            columns: BTreeMap::new(),
        }
    }
}

/// 《条例》第二十六条: published within so many working days of being made.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct TimelinessConfig {
    #[serde(default = "twenty")]
    pub working_days: u32,
}

fn twenty() -> u32 {
    20
}

impl Default for TimelinessConfig {
    fn default() -> Self {
        TimelinessConfig { working_days: 20 }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PrivacyConfig {
    /// Numbers that may be published anywhere on the site (the agency's own lines …).
    #[serde(default)]
    pub allow_numbers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct WordingConfig {
    /// The small list shipped with gongkai (official names written wrong).
    #[serde(default = "yes")]
    pub default_words: bool,
    /// The agency's own: wrong => right (an empty right: the word is forbidden).
    #[serde(default)]
    pub words: BTreeMap<String, String>,
}

impl Default for WordingConfig {
    fn default() -> Self {
        WordingConfig {
            default_words: true,
            words: BTreeMap::new(),
        }
    }
}

/// Which kind of body publishes the site: it decides the 年报's deadline
/// (《条例》第四十九条). The portal group calls it `MemberKind`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AgencyKind {
    /// A department of a government at county level or above: by 1月31日.
    #[default]
    #[serde(alias = "部门")]
    Department,
    /// A people's government (本级政府): by 3月31日.
    #[serde(alias = "政府")]
    Government,
    /// A township or town government (乡镇人民政府): publishes as a people's government,
    /// by 3月31日.
    #[serde(alias = "乡镇")]
    Township,
    /// A sub-district office (街道办事处), the county's agent in a town: publishes as the
    /// township governments do, by 3月31日.
    #[serde(alias = "街道")]
    Subdistrict,
}

impl AgencyKind {
    /// The last day to publish the report of `year`.
    pub fn deadline(self, year: u32) -> crate::ground::date::Date {
        let (month, day) = match self {
            AgencyKind::Department => (1, 31),
            AgencyKind::Government | AgencyKind::Township | AgencyKind::Subdistrict => (3, 31),
        };
        crate::ground::date::Date {
            year: year + 1,
            month,
            day,
            time: None,
            offset_min: 8 * 60,
        }
    }

    /// How site.toml and group.toml write it.
    pub fn key(self) -> &'static str {
        match self {
            AgencyKind::Department => "department",
            AgencyKind::Government => "government",
            AgencyKind::Township => "township",
            AgencyKind::Subdistrict => "subdistrict",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgencyKind::Department => "部门",
            AgencyKind::Government => "人民政府",
            AgencyKind::Township => "乡镇人民政府",
            AgencyKind::Subdistrict => "街道办事处",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ReportsConfig {
    #[serde(default)]
    pub agency_kind: AgencyKind,
    /// The first year the site must have a report for; the earliest report's when not given.
    #[serde(default)]
    pub first_year: Option<u32>,
    /// A table-3 total this many times last year's (or its inverse) is a warning.
    #[serde(default = "five")]
    pub jump_factor: f64,
    /// … when the larger of the two totals is at least this.
    #[serde(default = "jump_min")]
    pub jump_min: u64,
}

fn five() -> f64 {
    5.0
}
fn jump_min() -> u64 {
    20
}

impl Default for ReportsConfig {
    fn default() -> Self {
        ReportsConfig {
            agency_kind: AgencyKind::default(),
            first_year: None,
            jump_factor: five(),
            jump_min: jump_min(),
        }
    }
}

/// Extra days off and working days (`"2027-01-01"` or `"2027-01-01..2027-01-03"`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct HolidaysConfig {
    #[serde(default)]
    pub off: Vec<String>,
    #[serde(default)]
    pub work: Vec<String>,
}

/// `[compliance.links]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct LinksConfig {
    /// Domains external links may lead to (a domain allows its subdomains); empty: any.
    #[serde(default)]
    pub allow_domains: Vec<String>,
    /// Seconds `--online` waits for each link.
    #[serde(default = "ten")]
    pub timeout_secs: u64,
    /// Links `--online` requests at a time.
    #[serde(default = "eight")]
    pub concurrency: usize,
}

fn ten() -> u64 {
    10
}
fn eight() -> usize {
    8
}

impl Default for LinksConfig {
    fn default() -> Self {
        LinksConfig {
            allow_domains: Vec::new(),
            timeout_secs: ten(),
            concurrency: eight(),
        }
    }
}
