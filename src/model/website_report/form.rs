//! The form of the 政府网站工作年度报表 (国办函〔2018〕12号), as data: its sections, their
//! fields, each field's kind and unit, and which figures the site itself knows.
//!
//! The fields are those of the tables agencies publish each January, not of the official
//! form, which was not found verbatim (see docs/website.md): a field the
//! 全国政府网站信息报送系统 names differently is a change of a label or an alias here.

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number, not negative.
    Count,
    /// A number that may have decimals (平均办理时间).
    Decimal,
    /// 是 or 否.
    YesNo,
    Text,
    Date,
    /// One of the options (网站类型).
    Choice(&'static [&'static str]),
}

/// What the site knows of itself, for a year: the figures it computes instead of an
/// editor typing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// site.toml's `title`.
    SiteName,
    /// site.toml's `base_url`.
    HomeUrl,
    /// `[agency] sponsor`.
    Sponsor,
    /// `[agency] site_code`.
    SiteCode,
    /// `[agency] icp`.
    Icp,
    /// `[agency] police_record`.
    PoliceRecord,
    /// 机构职能 and leaders' pages updated in the year.
    OverviewUpdates,
    /// News items dated in the year.
    NewsUpdates,
    /// Disclosure items dated in the year.
    CatalogueUpdates,
    /// 专题 columns (`special = true`) with an item in the year.
    TopicsMaintained,
    /// 专题 columns whose first item is in the year.
    TopicsOpened,
    /// 解读 items dated in the year.
    Interpretations,
    /// Whether the site publishes 办事指南 (its service list).
    ServiceCatalogue,
    /// 办事指南 published.
    Services,
    /// 办事指南 marked 全程网办.
    ServicesOnline,
    /// `[interaction] unified`.
    UnifiedPlatform,
    /// 留言 that came in the year.
    MessagesReceived,
    /// 留言 answered in the year.
    MessagesClosed,
    /// Average days from 来信 to 答复 of those answered in the year.
    MessageDays,
    /// 留言 answered in the year and published with their 答复.
    MessagesPublished,
    /// Whether `[[media]]` lists any account.
    HasMedia,
    /// The name of the 微博 account of `[[media]]`.
    WeiboName,
    /// The name of the 微信 account of `[[media]]`.
    WechatName,
    /// The other accounts of `[[media]]`, by name.
    OtherMedia,
}

/// Where a field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The editor types it.
    Typed,
    /// The site computes it.
    Known(Known),
    /// The sum of other fields of the same section (each typed or computed).
    Sum(&'static [&'static str]),
}

#[derive(Debug)]
pub struct Field {
    /// What the YAML file may call it, besides its label and aliases.
    pub key: &'static str,
    pub label: &'static str,
    /// The heading it is printed under within its section (留言办理, 微博 …).
    pub group: Option<&'static str>,
    pub aliases: &'static [&'static str],
    pub kind: Kind,
    pub unit: Option<&'static str>,
    pub source: Source,
    /// Whether a published 报表 must fill it (typed fields; 其他 may stay empty).
    pub required: bool,
}

#[derive(Debug)]
pub struct Section {
    pub key: &'static str,
    pub title: &'static str,
    pub aliases: &'static [&'static str],
    pub fields: &'static [Field],
}

/// The 报表 as a whole.
#[derive(Debug)]
pub struct Form {
    pub name: &'static str,
    /// The document that asks for it.
    pub basis: &'static str,
    pub sections: &'static [Section],
}

impl Form {
    /// The field `key` of section `section`.
    pub fn field(&self, section: &str, key: &str) -> Option<&'static Field> {
        self.sections
            .iter()
            .find(|s| s.key == section)?
            .fields
            .iter()
            .find(|f| f.key == key)
    }
}

const fn typed(
    key: &'static str,
    label: &'static str,
    kind: Kind,
    unit: Option<&'static str>,
) -> Field {
    Field {
        key,
        label,
        group: None,
        aliases: &[],
        kind,
        unit,
        source: Source::Typed,
        required: true,
    }
}

const fn known(
    key: &'static str,
    label: &'static str,
    kind: Kind,
    unit: Option<&'static str>,
    k: Known,
) -> Field {
    Field {
        key,
        label,
        group: None,
        aliases: &[],
        kind,
        unit,
        source: Source::Known(k),
        required: true,
    }
}

const fn grouped(group: &'static str, f: Field) -> Field {
    Field {
        group: Some(group),
        ..f
    }
}

const fn optional(f: Field) -> Field {
    Field {
        required: false,
        ..f
    }
}

const fn also(aliases: &'static [&'static str], f: Field) -> Field {
    Field { aliases, ..f }
}

const ITEMS: Option<&str> = Some("条");
const UNITS: Option<&str> = Some("个");
const TIMES: Option<&str> = Some("次");
const MATTERS: Option<&str> = Some("项");
const CASES: Option<&str> = Some("件");
const SITE_TYPES: &[&str] = &["政府门户网站", "部门网站"];

/// The 政府网站工作年度报表.
pub static FORM: Form = Form {
    name: "政府网站工作年度报表",
    basis: "国办函〔2018〕12号",
    sections: &[
        Section {
            key: "basic",
            title: "基本信息",
            aliases: &["网站基本信息"],
            fields: &[
                known("site_name", "网站名称", Kind::Text, None, Known::SiteName),
                known("home_url", "首页网址", Kind::Text, None, Known::HomeUrl),
                known("sponsor", "主办单位", Kind::Text, None, Known::Sponsor),
                typed("site_type", "网站类型", Kind::Choice(SITE_TYPES), None),
                known(
                    "site_code",
                    "政府网站标识码",
                    Kind::Text,
                    None,
                    Known::SiteCode,
                ),
                known("icp", "ICP备案号", Kind::Text, None, Known::Icp),
                also(
                    &["公安备案号"],
                    known(
                        "police_record",
                        "公安机关备案号",
                        Kind::Text,
                        None,
                        Known::PoliceRecord,
                    ),
                ),
                also(
                    &["独立用户访问量"],
                    typed("unique_visitors", "独立用户访问总量", Kind::Count, UNITS),
                ),
                also(
                    &["总访问量"],
                    typed("visits", "网站总访问量", Kind::Count, TIMES),
                ),
            ],
        },
        Section {
            key: "publishing",
            title: "信息发布",
            aliases: &["信息发布情况"],
            fields: &[
                Field {
                    source: Source::Sum(&["overview", "news", "catalogue"]),
                    ..typed("total", "总数", Kind::Count, ITEMS)
                },
                also(
                    &["概况类信息"],
                    known(
                        "overview",
                        "概况类信息更新量",
                        Kind::Count,
                        ITEMS,
                        Known::OverviewUpdates,
                    ),
                ),
                also(
                    &["政务动态信息"],
                    known(
                        "news",
                        "政务动态信息更新量",
                        Kind::Count,
                        ITEMS,
                        Known::NewsUpdates,
                    ),
                ),
                also(
                    &["信息公开目录信息"],
                    known(
                        "catalogue",
                        "信息公开目录信息更新量",
                        Kind::Count,
                        ITEMS,
                        Known::CatalogueUpdates,
                    ),
                ),
            ],
        },
        Section {
            key: "topics",
            title: "专栏专题",
            aliases: &["专栏专题情况"],
            fields: &[
                known(
                    "maintained",
                    "维护数量",
                    Kind::Count,
                    UNITS,
                    Known::TopicsMaintained,
                ),
                known(
                    "opened",
                    "新开设数量",
                    Kind::Count,
                    UNITS,
                    Known::TopicsOpened,
                ),
            ],
        },
        Section {
            key: "interpretation",
            title: "解读回应",
            aliases: &["解读回应情况"],
            fields: &[
                grouped(
                    "解读信息发布",
                    Field {
                        source: Source::Sum(&["materials", "products", "media_articles"]),
                        ..typed("total", "总数", Kind::Count, ITEMS)
                    },
                ),
                grouped(
                    "解读信息发布",
                    known(
                        "materials",
                        "解读材料数量",
                        Kind::Count,
                        ITEMS,
                        Known::Interpretations,
                    ),
                ),
                grouped(
                    "解读信息发布",
                    typed("products", "解读产品数量", Kind::Count, ITEMS),
                ),
                grouped(
                    "解读信息发布",
                    typed("media_articles", "媒体评论文章数量", Kind::Count, ITEMS),
                ),
                also(
                    &["回应公众关注热点或重大舆情"],
                    typed(
                        "responses",
                        "回应公众关注热点或重大舆情数量",
                        Kind::Count,
                        TIMES,
                    ),
                ),
            ],
        },
        Section {
            key: "services",
            title: "办事服务",
            aliases: &["办事服务情况"],
            fields: &[
                known(
                    "catalogue",
                    "是否发布服务事项目录",
                    Kind::YesNo,
                    None,
                    Known::ServiceCatalogue,
                ),
                typed("registered_users", "注册用户数", Kind::Count, UNITS),
                also(
                    &["政务服务事项"],
                    known(
                        "items",
                        "政务服务事项数量",
                        Kind::Count,
                        MATTERS,
                        Known::Services,
                    ),
                ),
                also(
                    &["可全程在线办理政务服务事项"],
                    known(
                        "online_items",
                        "可全程在线办理政务服务事项数量",
                        Kind::Count,
                        MATTERS,
                        Known::ServicesOnline,
                    ),
                ),
                grouped(
                    "办件量",
                    Field {
                        source: Source::Sum(&["cases_natural", "cases_legal"]),
                        ..typed("cases_total", "总数", Kind::Count, CASES)
                    },
                ),
                grouped(
                    "办件量",
                    typed("cases_natural", "自然人办件量", Kind::Count, CASES),
                ),
                grouped(
                    "办件量",
                    typed("cases_legal", "法人办件量", Kind::Count, CASES),
                ),
            ],
        },
        Section {
            key: "interaction",
            title: "互动交流",
            aliases: &["互动交流情况"],
            fields: &[
                known(
                    "unified",
                    "是否使用统一平台",
                    Kind::YesNo,
                    None,
                    Known::UnifiedPlatform,
                ),
                grouped(
                    "留言办理",
                    also(
                        &["收到留言"],
                        known(
                            "received",
                            "收到留言数量",
                            Kind::Count,
                            ITEMS,
                            Known::MessagesReceived,
                        ),
                    ),
                ),
                grouped(
                    "留言办理",
                    also(
                        &["办结留言"],
                        known(
                            "closed",
                            "办结留言数量",
                            Kind::Count,
                            ITEMS,
                            Known::MessagesClosed,
                        ),
                    ),
                ),
                grouped(
                    "留言办理",
                    known(
                        "average_days",
                        "平均办理时间",
                        Kind::Decimal,
                        Some("天"),
                        Known::MessageDays,
                    ),
                ),
                grouped(
                    "留言办理",
                    also(
                        &["公开答复"],
                        known(
                            "published",
                            "公开答复数量",
                            Kind::Count,
                            ITEMS,
                            Known::MessagesPublished,
                        ),
                    ),
                ),
                grouped(
                    "征集调查",
                    typed("surveys", "征集调查期数", Kind::Count, Some("期")),
                ),
                grouped(
                    "征集调查",
                    typed("opinions", "收到意见数量", Kind::Count, ITEMS),
                ),
                grouped(
                    "征集调查",
                    typed(
                        "survey_results",
                        "公布调查结果期数",
                        Kind::Count,
                        Some("期"),
                    ),
                ),
                grouped(
                    "在线访谈",
                    typed("interviews", "访谈期数", Kind::Count, Some("期")),
                ),
                grouped(
                    "在线访谈",
                    typed("interview_messages", "网民留言数量", Kind::Count, ITEMS),
                ),
                grouped(
                    "在线访谈",
                    typed("interview_answers", "答复网民提问数量", Kind::Count, ITEMS),
                ),
                typed("smart_qa", "是否提供智能问答", Kind::YesNo, None),
            ],
        },
        Section {
            key: "security",
            title: "安全防护",
            aliases: &["安全防护情况"],
            fields: &[
                typed("assessments", "安全检测评估次数", Kind::Count, TIMES),
                typed("problems_found", "发现问题数量", Kind::Count, UNITS),
                typed("problems_fixed", "问题整改数量", Kind::Count, UNITS),
                typed("monitoring", "是否建立安全监测预警机制", Kind::YesNo, None),
                typed("drills", "是否开展应急演练", Kind::YesNo, None),
                typed("officer", "是否明确网站安全负责人", Kind::YesNo, None),
            ],
        },
        Section {
            key: "media",
            title: "移动新媒体",
            aliases: &["移动新媒体情况", "政务新媒体"],
            fields: &[
                known(
                    "has_media",
                    "是否有移动新媒体",
                    Kind::YesNo,
                    None,
                    Known::HasMedia,
                ),
                grouped(
                    "微博",
                    also(
                        &["微博名称"],
                        known("weibo_name", "名称", Kind::Text, None, Known::WeiboName),
                    ),
                ),
                grouped(
                    "微博",
                    also(
                        &["微博信息发布量"],
                        typed("weibo_posts", "信息发布量", Kind::Count, ITEMS),
                    ),
                ),
                grouped(
                    "微博",
                    also(
                        &["微博关注量"],
                        typed("weibo_followers", "关注量", Kind::Count, UNITS),
                    ),
                ),
                grouped(
                    "微信",
                    also(
                        &["微信名称"],
                        known("wechat_name", "名称", Kind::Text, None, Known::WechatName),
                    ),
                ),
                grouped(
                    "微信",
                    also(
                        &["微信信息发布量"],
                        typed("wechat_posts", "信息发布量", Kind::Count, ITEMS),
                    ),
                ),
                grouped(
                    "微信",
                    also(
                        &["微信订阅数"],
                        typed("wechat_subscribers", "订阅数", Kind::Count, UNITS),
                    ),
                ),
                also(
                    &["其他新媒体"],
                    known("other", "其他", Kind::Text, None, Known::OtherMedia),
                ),
            ],
        },
        Section {
            key: "innovation",
            title: "创新发展",
            aliases: &["创新发展情况"],
            fields: &[
                typed("search_service", "搜索即服务", Kind::YesNo, None),
                typed("multilingual", "多语言版本", Kind::YesNo, None),
                typed("accessible", "无障碍浏览", Kind::YesNo, None),
                typed("personalised", "千人千网", Kind::YesNo, None),
                optional(also(
                    &["其他创新"],
                    typed("other", "其他", Kind::Text, None),
                )),
            ],
        },
        Section {
            key: "filing",
            title: "填报信息",
            aliases: &["填报"],
            fields: &[
                typed("head", "单位负责人", Kind::Text, None),
                typed("reviewer", "审核人", Kind::Text, None),
                typed("filler", "填报人", Kind::Text, None),
                typed("phone", "联系电话", Kind::Text, None),
                typed("date", "填报日期", Kind::Date, None),
            ],
        },
    ],
};
