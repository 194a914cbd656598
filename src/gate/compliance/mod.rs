//! The checks inspectors make after publication, made before it: 国办秘函〔2019〕19号
//! 《政府网站与政务新媒体检查指标》, 《政府信息公开条例》 and the report template.
//!
//! Each check has a name (`freshness.home`, `timeliness.26`, `privacy.id-card` …), a
//! level from `[compliance.levels]` (a warning by default, which `--strict` makes an
//! error) and says where, by which rule and how to fix it. One file per family; the
//! list of checks is [`RULES`]. "As of" is a date given by the caller (`--as-of`, else
//! today), so that a build with the same input and date finds the same things.

pub mod column;
pub mod days;
pub mod freshness;
pub mod holidays;
pub mod interaction;
pub mod links;
pub mod memo;
pub mod numbers;
pub mod organization;
pub mod privacy;
pub mod reports;
pub mod services;
pub mod sources;
pub mod summary;
pub mod timeliness;
pub mod website_reports;
pub mod wording;
pub mod xlsx;

use std::collections::HashMap;

use self::memo::TextMemo;
use super::Options;
use crate::config::{CONFIG_FILE, Level};
use crate::ground::date::Date;
use crate::ground::diagnostics::{Diagnostic, Diagnostics, Pos, nearest};
use crate::ground::digest::Hasher;
use crate::model::site::Site;

/// A named check: its name, what it checks and the rule it comes from.
pub struct Rule {
    pub id: &'static str,
    pub title: &'static str,
    pub source: &'static str,
    /// Its level unless `[compliance.levels]` says otherwise.
    pub default: Level,
}

const INDICATORS: &str = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》";

/// Every check, in the order docs/compliance.md lists them.
pub const RULES: &[Rule] = &[
    Rule {
        id: "freshness.home",
        title: "首页最新信息超过 2 周",
        source: "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决：首页长期不更新",
        default: Level::Warning,
    },
    Rule {
        id: "freshness.dynamic",
        title: "动态、要闻类栏目超过 2 周未更新",
        source: INDICATORS,
        default: Level::Warning,
    },
    Rule {
        id: "freshness.notice",
        title: "通知公告、政策文件类栏目超过 6 个月未更新",
        source: INDICATORS,
        default: Level::Warning,
    },
    Rule {
        id: "freshness.empty",
        title: "空白栏目、空白分类",
        source: INDICATORS,
        default: Level::Warning,
    },
    Rule {
        id: "timeliness.26",
        title: "成文日期到发布日期超过 20 个工作日",
        source: "《中华人民共和国政府信息公开条例》第二十六条",
        default: Level::Warning,
    },
    Rule {
        id: "timeliness.order",
        title: "成文日期晚于发布日期",
        source: "《中华人民共和国政府信息公开条例》第二十六条",
        default: Level::Warning,
    },
    Rule {
        id: "privacy.id-card",
        title: "未遮盖的居民身份证号码",
        source: "《政府信息公开条例》第十五条；《个人信息保护法》第二十八条",
        default: Level::Error,
    },
    Rule {
        id: "privacy.mobile",
        title: "手机号码",
        source: "《政府信息公开条例》第十五条；《个人信息保护法》",
        default: Level::Error,
    },
    Rule {
        id: "privacy.bank-card",
        title: "银行卡号",
        source: "《政府信息公开条例》第十五条；《个人信息保护法》第二十八条（金融账户）",
        default: Level::Error,
    },
    Rule {
        id: "wording.wenhao",
        title: "文号年份未用六角括号〔〕",
        source: "GB/T 9704—2012《党政机关公文格式》7.2.4 发文字号",
        default: Level::Warning,
    },
    Rule {
        id: "wording.words",
        title: "错误或不规范的用语（错敏词）",
        source: "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决：严重表述错误",
        default: Level::Warning,
    },
    Rule {
        id: "links.domain",
        title: "外部链接指向白名单以外的域名",
        source: "《政府网站发展指引》（国办发〔2017〕47号）：链接到非政府网站的审核",
        default: Level::Warning,
    },
    Rule {
        id: "links.online",
        title: "外部链接无法访问（--online）",
        source: "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》：不可用链接",
        default: Level::Warning,
    },
    Rule {
        id: "reports.missing",
        title: "逾期未发布上一年度年报",
        source: "《中华人民共和国政府信息公开条例》第四十九条",
        default: Level::Warning,
    },
    Rule {
        id: "reports.late",
        title: "年报晚于发布期限（部门 1月31日，本级政府 3月31日）",
        source: "《中华人民共和国政府信息公开条例》第四十九条",
        default: Level::Warning,
    },
    Rule {
        id: "reports.published",
        title: "年报没有写发布日期",
        source: "《中华人民共和国政府信息公开条例》第四十九条",
        default: Level::Warning,
    },
    Rule {
        id: "reports.jump",
        title: "表三总计与上一年相比变化超过 5 倍",
        source: "国办公开办函〔2021〕30号（数据核对）",
        default: Level::Warning,
    },
    Rule {
        id: "reports.fee",
        title: "收费情况前后不一致或没有写明",
        source: "国办公开办函〔2021〕30号：六、其他需要报告的事项",
        default: Level::Warning,
    },
    Rule {
        id: "column.parts",
        title: "政府信息公开专栏缺少指南、制度、法定主动公开内容或年报",
        source: "国办公开办函〔2019〕61号《关于规范政府信息公开平台有关事项的通知》",
        default: Level::Warning,
    },
    Rule {
        id: "website-report.missing",
        title: "逾期未发布上一年度政府网站工作年度报表",
        source: WEBSITE_REPORT,
        default: Level::Warning,
    },
    Rule {
        id: "website-report.late",
        title: "网站年度报表晚于 1 月 31 日发布",
        source: WEBSITE_REPORT,
        default: Level::Warning,
    },
    Rule {
        id: "website-report.published",
        title: "网站年度报表没有写发布日期",
        source: WEBSITE_REPORT,
        default: Level::Warning,
    },
    Rule {
        id: "website-report.figures",
        title: "报表填写的数字与网站统计的不一致",
        source: "国办函〔2018〕12号《关于做好政府网站年度报表发布工作的通知》：确保政府网站年度报表发布及时、数据真实准确",
        default: Level::Warning,
    },
    Rule {
        id: "interaction.channel",
        title: "没有网上咨询建言渠道",
        source: "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决：互动回应差（未提供网上有效咨询建言渠道）",
        default: Level::Warning,
    },
    Rule {
        id: "interaction.overdue",
        title: "留言超过 3 个月未答复",
        source: "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决：互动回应差（超过 3 个月未回应有效留言）",
        default: Level::Warning,
    },
    Rule {
        id: "services.none",
        title: "没有提供办事服务",
        source: "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决：服务不实用（未提供办事服务）",
        default: Level::Warning,
    },
    Rule {
        id: "services.parts",
        title: "办事指南缺少重点要素",
        source: "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决：服务不实用（办事指南重点要素缺失）",
        default: Level::Warning,
    },
    Rule {
        id: "services.online",
        title: "办事指南没有在线办理入口",
        source: "《政府网站发展指引》（国办发〔2017〕47号）：办事服务与政务服务平台融合，一网通办",
        default: Level::Warning,
    },
    Rule {
        id: "organization.missing",
        title: "机构职能没有发布或不全",
        source: "《中华人民共和国政府信息公开条例》第二十条（二）",
        default: Level::Warning,
    },
    Rule {
        id: "organization.leaders",
        title: "领导信息缺少职务、分工、照片或简历",
        source: "《中华人民共和国政府信息公开条例》第二十条（二）；国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》：领导信息",
        default: Level::Warning,
    },
    Rule {
        id: "organization.stale",
        title: "机构职能、领导信息超过 12 个月未核对",
        source: "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》：概况类信息更新",
        default: Level::Warning,
    },
];

const WEBSITE_REPORT: &str = "国办函〔2018〕12号《关于做好政府网站年度报表发布工作的通知》：每年 1 月 31 日前在本网站首页显著位置发布";

/// The rule named `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// A check run: the site, the date, levels, and what was found.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub as_of: Date,
    levels: Levels,
    pub found: Diagnostics,
}

/// The level of each check that `[compliance.levels]` names (unknown names are reported
/// by [`check`]).
struct Levels(HashMap<String, Level>);

impl Levels {
    fn of(config: &crate::config::ComplianceConfig) -> Levels {
        Levels(
            config
                .level_list()
                .into_iter()
                .filter(|(id, _)| rule(id).is_some())
                .collect(),
        )
    }

    /// The finding of check `id` at `file:pos`, at the check's level; none when it is off.
    fn finding(
        &self,
        id: &'static str,
        file: &str,
        pos: Option<Pos>,
        message: String,
        fix: String,
    ) -> Option<Diagnostic> {
        let level = self
            .0
            .get(id)
            .copied()
            .or_else(|| rule(id).map(|r| r.default))
            .unwrap_or(Level::Warning);
        let source = rule(id).map_or("", |r| r.source);
        let d = match level {
            Level::Off => return None,
            Level::Warning => Diagnostic::warning("", file, message),
            Level::Error => Diagnostic::error("", file, message),
        };
        let mut d = d.at(pos).help(format!("{fix}（依据：{source}）"));
        d.code = std::borrow::Cow::Borrowed(id);
        Some(d)
    }
}

impl<'a> Ctx<'a> {
    /// A run on `site` with the levels of its `[compliance.levels]`.
    pub fn new(site: &'a Site, opts: &Options) -> Ctx<'a> {
        Ctx {
            site,
            as_of: opts.day(),
            levels: Levels::of(&site.config.compliance),
            found: Diagnostics::new(),
        }
    }

    /// Records a finding of check `id` at `file:pos`, at the check's level.
    pub fn report(
        &mut self,
        id: &'static str,
        file: &str,
        pos: Option<Pos>,
        message: String,
        fix: String,
    ) {
        if let Some(d) = self.levels.finding(id, file, pos, message, fix) {
            self.found.push(d);
        }
    }
}

/// The gate for files published as they are outside any site (a portal group's own
/// `static/`): personal data in each one it can read, at the levels of `config` and with
/// the numbers it allows, judged as of `as_of`; with the key of each one's bytes, which
/// its copy must have.
pub fn check_as_is(
    root: &std::path::Path,
    files: &[std::path::PathBuf],
    config: &crate::config::ComplianceConfig,
    as_of: Date,
) -> (Diagnostics, sources::Bytes) {
    let texts = sources::as_is(root, files);
    let allowed = privacy::allowed_by(&config.privacy);
    let levels = Levels::of(config);
    let mut found = Diagnostics::new();
    for source in &texts {
        let hits = match source.lines() {
            Ok(lines) => privacy::hits(&lines, &[], &allowed, as_of.year),
            Err(sources::Changed) => {
                found.push(saved_while_checked(&source.file));
                continue;
            }
        };
        for (id, pos, message, fix) in hits {
            if let Some(d) = levels.finding(id, &source.file, pos, message, fix) {
                found.push(d);
            }
        }
    }
    (found, sources::bytes_of(&texts))
}

/// Runs every check that is on against `site`; the findings in its texts are taken from
/// `last` where a text is as it was (see [`memo`]), and given back for the next run with
/// the key of each attachment's bytes as read.
pub fn check(
    site: &Site,
    opts: &Options,
    last: Option<&TextMemo>,
) -> (Diagnostics, TextMemo, sources::Bytes) {
    let config = &site.config.compliance;
    let mut ctx = Ctx::new(site, opts);
    for (id, _) in config.level_list() {
        if rule(&id).is_some() {
            continue;
        }
        let mut path = vec!["compliance".to_string(), "levels".to_string()];
        path.extend(id.split('.').map(str::to_string));
        let mut help = match nearest(&id, RULES.iter().map(|r| r.id)) {
            Some(n) => format!("是不是 `{n}`？"),
            None => String::new(),
        };
        help.push_str("可用的检查见 docs/compliance.md。");
        ctx.found.push(
            Diagnostic::error(
                "unknown-key",
                CONFIG_FILE,
                format!("[compliance.levels] 中没有名为 `{id}` 的检查"),
            )
            .at(site.config.source.pos(&path))
            .help(help),
        );
    }
    let texts = sources::read(site, last);
    let mut word_problems = Diagnostics::new();
    let words = config
        .enabled
        .then(|| wording::word_list(&config.wording, opts.words.as_deref(), &mut word_problems));
    let allowed = privacy::site_allowed(site);
    let max_year = ctx.as_of.year;
    let matcher = words.as_deref().map(wording::Matcher::new);
    let (found, memo) = memo::find_all(
        &texts,
        &text_rules(&allowed, max_year, words.as_deref()),
        last,
        |source| match source.lines() {
            Ok(lines) => memo::Found {
                privacy: privacy::hits(&lines, &source.allowed, &allowed, max_year),
                wording: matcher
                    .as_ref()
                    .map(|m| wording::hits(&lines, m))
                    .unwrap_or_default(),
                changed: false,
            },
            Err(sources::Changed) => memo::Found {
                changed: true,
                ..memo::Found::default()
            },
        },
    );
    // Personal data is checked even with the checks turned off: only its own levels (or
    // an item's allow_numbers) let a number out (条例第十五条, 个人信息保护法).
    for (source, f) in texts.iter().zip(&found) {
        if f.changed {
            ctx.found.push(saved_while_checked(&source.file));
        }
        report_all(&mut ctx, &source.file, &f.privacy);
    }
    let bytes = sources::bytes_of(&texts);
    if !config.enabled {
        return (ctx.found, memo, bytes);
    }
    let calendar = holidays::Calendar::new(&config.holidays, &site.config.source);
    ctx.found.extend(calendar.problems.clone());
    freshness::check(&mut ctx);
    timeliness::check(&mut ctx, &calendar);
    ctx.found.extend(word_problems);
    for (source, f) in texts.iter().zip(&found) {
        report_all(&mut ctx, &source.file, &f.wording);
    }
    reports::check(&mut ctx);
    column::check(&mut ctx);
    website_reports::check(&mut ctx);
    interaction::check(&mut ctx);
    services::check(&mut ctx);
    organization::check(&mut ctx);
    (ctx.found, memo, bytes)
}

/// The refusal of a text saved again after the build read it.
fn saved_while_checked(file: &str) -> Diagnostic {
    Diagnostic::error(
        "changed",
        file,
        "这个文件在生成过程中又被保存过：要发布的内容和检查的内容可能不一样，这次没有发布",
    )
    .help("等文件保存完毕后，再运行一次。")
}

/// What the findings in every text depend on besides the text: the program, the numbers
/// the site allows, the latest year of birth, whether wording is checked and its words.
fn text_rules(allowed: &[String], max_year: u32, words: Option<&[wording::Word]>) -> Hasher {
    let mut h = Hasher::default();
    h.piece(crate::ground::digest::program().as_bytes());
    for n in allowed {
        h.piece(n.as_bytes());
    }
    h.update(&max_year.to_le_bytes());
    h.update(&[u8::from(words.is_some())]);
    for w in words.unwrap_or_default() {
        h.piece(w.wrong.as_bytes());
        h.piece(w.right.as_bytes());
        h.piece(w.from.as_bytes());
    }
    h
}

fn report_all(ctx: &mut Ctx, file: &str, hits: &[memo::Hit]) {
    for (id, pos, message, fix) in hits {
        ctx.report(id, file, *pos, message.clone(), fix.clone());
    }
}
