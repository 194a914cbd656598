//! The whole 政府网站 an inspector checks (docs/website.md), through the real binary on
//! `tests/fixtures/website`, a site that has every part and passes every check under
//! `--strict`: the 报表's computed figures on its page, CSV and JSON; each check's
//! violation at its file and line, with the near-miss beside it left silent; the 留言
//! masked everywhere; the gate holding back the new kinds; a portal member checked and its
//! 报表 gathered by the group; empty categories hidden in every place at once.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::Path;

use cli::{ok, read, run_at, stderr, write};
use serde_json::Value;
use tree::{copy_dir, repo, tree_of};

/// The day the fixture is judged on: after its 报表's publication, before its deadline.
const DAY: &str = "2026-01-25";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/website"), dir.path());
    dir
}

/// Replaces `from` by `to` in `root/rel` (which must hold it).
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let text = read(root, rel);
    assert!(text.contains(from), "{rel} holds {from:?}");
    write(root, rel, text.replacen(from, to, 1));
}

/// The findings of `check --format json` as of `day`: (rule, level, file, line).
fn findings(root: &Path, day: &str, extra: &[&str]) -> Vec<(String, String, String, u64)> {
    let mut args = vec!["check", "--as-of", day, "--format", "json"];
    args.extend(extra);
    let o = run_at(root, &args);
    let list: Vec<Value> = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", String::from_utf8_lossy(&o.stdout), stderr(&o)));
    list.iter()
        .filter(|f| f["level"] != "info")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["level"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The line of `rel` in `root` holding `needle` (positions are read from the files).
fn line_of(root: &Path, rel: &str, needle: &str) -> u64 {
    read(root, rel)
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{rel} has no line with {needle:?}")) as u64
        + 1
}

fn build(root: &Path, day: &str) -> std::path::PathBuf {
    let out = root.join("public");
    ok(run_at(
        root,
        &["build", "--as-of", day, "--out", out.to_str().unwrap()],
    ));
    out
}

/// The text a reader sees of a page: tags dropped, entities of the common kinds decoded.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_site_with_every_part_passes_every_check_under_strict() {
    let site = fixture();
    let o = run_at(site.path(), &["check", "--as-of", DAY, "--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("0 个警告"), "{}", stderr(&o));
}

#[test]
fn the_website_report_computes_what_the_site_knows_on_its_page_csv_and_json() {
    let site = fixture();
    let out = build(site.path(), DAY);
    let page = text_of(&read(&out, "wzbb/2025/index.html"));
    // 2025: two news items (one in the 专题 column opened that year), four disclosure items
    // (one 解读), 机构职能 and one leader checked, one 办事指南 全程网办, two 留言 answered
    // after 3 and 1 days, three accounts.
    for expected in [
        "网站名称 某市人民政府测试局 网站统计",
        "首页网址 https://csj.weihai-test.gov.cn/ 网站统计",
        "总数 8 条 自动合计",
        "概况类信息更新量 2 条 网站统计",
        "政务动态信息更新量 2 条 网站统计",
        "信息公开目录信息更新量 4 条 网站统计",
        "维护数量 1 个 网站统计 新开设数量 1 个 网站统计",
        "解读材料数量 1 条 网站统计",
        "是否发布服务事项目录 是 网站统计",
        "政务服务事项数量 1 项 网站统计",
        "可全程在线办理政务服务事项数量 1 项 网站统计",
        "办件量 总数 15 件 自动合计",
        "是否使用统一平台 是 网站统计",
        "收到留言数量 2 条 网站统计 办结留言数量 2 条 网站统计 平均办理时间 2.0 天 网站统计 公开答复数量 2 条 网站统计",
        "微博 名称 测试局 网站统计",
        "微信 名称 测试局发布 网站统计",
        "其他 测试局（抖音） 网站统计",
        "独立用户访问总量 1200 个",
        "是否明确网站安全负责人 是",
    ] {
        assert!(page.contains(expected), "{expected}\n{page}");
    }
    let csv = read(&out, "wzbb/2025/政府网站工作年度报表.csv");
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    assert!(
        csv.contains("互动交流,留言办理,平均办理时间,2.0,天,网站统计"),
        "{csv}"
    );
    assert!(
        csv.contains("基本信息,,独立用户访问总量,1200,个,填报"),
        "{csv}"
    );
    let json: Value = serde_json::from_str(&read(&out, "wzbb/2025/wzbb.json")).unwrap();
    assert_eq!(json["year"], 2025);
    assert_eq!(json["basis"], "国办函〔2018〕12号");
    let row = |section: &str, key: &str| -> Value {
        json["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == section)
            .and_then(|s| {
                s["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["key"] == key)
            })
            .cloned()
            .unwrap_or_else(|| panic!("{section}.{key}"))
    };
    assert_eq!(row("publishing", "news")["value"], "2");
    assert_eq!(row("publishing", "news")["source"], "网站统计");
    assert_eq!(row("services", "cases_natural")["source"], "填报");
    // The list page, and the home page shows the 报表 first, before any other panel.
    assert!(read(&out, "wzbb/index.html").contains("某市人民政府测试局2025年政府网站工作年度报表"));
    let home = read(&out, "index.html");
    let main = &home[home.find("<main").unwrap()..];
    let report = main
        .find("prominent-report")
        .expect("the 报表 on the home page");
    assert!(
        report < main.find("home-grid").unwrap(),
        "above everything else"
    );
}

#[test]
fn the_footer_carries_the_channels_the_media_the_records_and_the_jiucuo_link_of_each_page() {
    let site = fixture();
    let out = build(site.path(), DAY);
    let page = read(&out, "bsfw/index.html");
    let jiucuo = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3710000001&amp;url=https%3A%2F%2Fcsj%2Eweihai%2Dtest%2Egov%2Ecn%2Fbsfw%2F";
    assert!(page.contains(jiucuo), "{page}");
    assert!(page.contains(r#"<a href="https://www.weihai-test.gov.cn/hdjl/xx/">局长信箱</a>"#));
    assert!(page.contains("https://beian.mps.gov.cn/#/query/webSearch?code=37100202000123"));
    assert!(
        page.contains(r#"<img src="/media/weixin.png" alt="测试局发布（微信公众号）的二维码""#)
    );
    // 办事服务 and 互动交流 are added to the navigation, which did not link them.
    let nav = &page[page.find("site-nav-list").unwrap()..page.find("</nav>").unwrap()];
    assert!(
        nav.contains(r#"<a href="/bsfw/" aria-current="page">办事服务</a>"#),
        "{nav}"
    );
    assert!(nav.contains(r#"<a href="/hdjl/">互动交流</a>"#), "{nav}");
    assert!(
        text_of(&read(&out, "xmt/index.html")).contains("测试局发布 平台：微信公众号 账号：csjfb")
    );
}

#[test]
fn a_letter_is_published_with_its_writers_name_and_numbers_masked_nowhere_whole() {
    let site = fixture();
    let out = build(site.path(), DAY);
    let page = text_of(&read(&out, "hdjl/index.html"));
    assert!(page.contains("来信人 李**"), "{page}");
    assert!(page.contains("我是李**，电话 139****5678。"), "{page}");
    assert!(page.contains("李**您好：窗口周六不办公。"), "{page}");
    for (path, bytes) in tree_of(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("13912345678") && !text.contains("李小明"),
            "{path} holds the letter's name or number"
        );
    }
    // The 答复 is the agency's own text: a number there stops the build, at its line.
    let rel = "content/messages/咨询一.md";
    edit(
        site.path(),
        rel,
        "窗口周六不办公。",
        "窗口周六不办公，可拨打 13800138000。",
    );
    let found = findings(site.path(), DAY, &[]);
    let line = line_of(site.path(), rel, "13800138000");
    assert!(
        found.contains(&("privacy.mobile".into(), "error".into(), rel.into(), line)),
        "{found:?}"
    );
}

/// A change to the fixture and the finding it must give: (rule, file, the text on its
/// line, or `None` for a finding without a line), and the rules it may give besides.
struct Case {
    name: &'static str,
    change: fn(&Path),
    day: &'static str,
    rule: &'static str,
    file: &'static str,
    line: Option<&'static str>,
    also: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "no 报表 after 1月31日",
            change: |r| {
                fs::remove_file(r.join("content/website-reports/2025.yaml")).unwrap();
                edit(
                    r,
                    "site.toml",
                    "[compliance.freshness]",
                    "[compliance.website_reports]\nfirst_year = 2025\n\n[compliance.freshness]",
                );
            },
            day: "2026-02-01",
            rule: "website-report.missing",
            file: "content/website-reports/2025.yaml",
            line: None,
            also: &[],
        },
        Case {
            name: "a 报表 published on 1 February",
            change: |r| {
                edit(
                    r,
                    "content/website-reports/2025.yaml",
                    "published: 2026-01-20",
                    "published: 2026-02-01",
                )
            },
            day: "2026-02-02",
            rule: "website-report.late",
            file: "content/website-reports/2025.yaml",
            line: Some("published:"),
            also: &[],
        },
        Case {
            name: "a 报表 without its date",
            change: |r| {
                edit(
                    r,
                    "content/website-reports/2025.yaml",
                    "published: 2026-01-20\n",
                    "",
                )
            },
            day: DAY,
            rule: "website-report.published",
            file: "content/website-reports/2025.yaml",
            line: Some("year:"),
            also: &[],
        },
        Case {
            name: "a typed figure the site's count contradicts",
            change: |r| {
                edit(
                    r,
                    "content/website-reports/2025.yaml",
                    "政务动态信息更新量: 2",
                    "政务动态信息更新量: 3",
                )
            },
            day: DAY,
            rule: "website-report.figures",
            file: "content/website-reports/2025.yaml",
            line: Some("政务动态信息更新量"),
            also: &[],
        },
        Case {
            name: "a site with no channel",
            change: |r| {
                edit(
                    r,
                    "site.toml",
                    "[[interaction.channels]]\nname = \"局长信箱\"\nurl = \"https://www.weihai-test.gov.cn/hdjl/xx/\"\n",
                    "",
                )
            },
            day: DAY,
            rule: "interaction.channel",
            file: "site.toml",
            line: Some("[interaction]"),
            also: &[],
        },
        Case {
            name: "a 留言 unanswered for more than 3 months",
            change: |r| {
                write(
                    r,
                    "content/messages/未答复.md",
                    "---\n主题: 咨询\n来信日期: 2025-10-24\n来信内容: 请问……\n---\n",
                )
            },
            day: DAY,
            rule: "interaction.overdue",
            file: "content/messages/未答复.md",
            line: Some("来信日期"),
            also: &[],
        },
        Case {
            name: "no 办事指南 and no 政务服务网",
            change: |r| {
                fs::remove_dir_all(r.join("content/services")).unwrap();
                edit(r, "site.toml", "portal = \"http://zwfw.sd.gov.cn/\"\n", "");
            },
            day: DAY,
            rule: "services.none",
            file: "site.toml",
            line: None,
            also: &[],
        },
        Case {
            name: "a 办事指南 without its 办理流程",
            change: |r| {
                edit(
                    r,
                    "content/services/证明办理.md",
                    "## 办理流程\n\n申请、受理、办结。\n",
                    "",
                )
            },
            day: DAY,
            rule: "services.parts",
            file: "content/services/证明办理.md",
            line: Some("## 设定依据"),
            also: &[],
        },
        Case {
            name: "a 办事指南 with nothing under its 办理时间",
            change: |r| edit(r, "content/services/证明办理.md", "工作日。\n", ""),
            day: DAY,
            rule: "services.parts",
            file: "content/services/证明办理.md",
            line: Some("## 办理时间"),
            also: &[],
        },
        Case {
            name: "a 办事指南 with no way to apply online",
            change: |r| {
                edit(
                    r,
                    "content/services/证明办理.md",
                    "在线办理: http://zwfw.sd.gov.cn/\n",
                    "",
                );
                edit(r, "site.toml", "portal = \"http://zwfw.sd.gov.cn/\"\n", "");
            },
            day: DAY,
            rule: "services.online",
            file: "content/services/证明办理.md",
            line: Some("---"),
            also: &[],
        },
        Case {
            name: "no 机构职能",
            change: |r| fs::remove_dir_all(r.join("content/organization")).unwrap(),
            day: DAY,
            rule: "organization.missing",
            file: "content/organization",
            line: None,
            also: &[],
        },
        Case {
            name: "机构职能 without its 办公时间",
            change: |r| {
                edit(
                    r,
                    "content/organization/机构职能.md",
                    "办公时间: 工作日 8:30—17:30\n",
                    "",
                )
            },
            day: DAY,
            rule: "organization.missing",
            file: "content/organization/机构职能.md",
            line: Some("---"),
            also: &[],
        },
        Case {
            name: "a leader without a photo",
            change: |r| edit(r, "content/leaders/局长.md", "photo: 照片.png\n", ""),
            day: DAY,
            rule: "organization.leaders",
            file: "content/leaders/局长.md",
            line: Some("---"),
            also: &[],
        },
        Case {
            name: "机构职能 not checked for over 12 months",
            change: |r| {
                edit(
                    r,
                    "content/organization/机构职能.md",
                    "更新日期: 2025-12-01",
                    "更新日期: 2025-01-24",
                )
            },
            day: DAY,
            rule: "organization.stale",
            file: "content/organization/机构职能.md",
            line: Some("更新日期"),
            also: &[],
        },
        Case {
            name: "a 专栏 without its 制度",
            change: |r| fs::remove_file(r.join("content/disclosure/制度.md")).unwrap(),
            day: DAY,
            rule: "column.parts",
            file: "site.toml",
            line: Some("[catalogue]"),
            also: &[],
        },
        Case {
            name: "a QR picture that is not under static/",
            change: |r| {
                edit(
                    r,
                    "site.toml",
                    "qr = \"media/weixin.png\"",
                    "qr = \"media/wechat.png\"",
                )
            },
            day: DAY,
            rule: "media",
            file: "site.toml",
            line: Some("qr = "),
            also: &[],
        },
        Case {
            name: "a 报表 with a field left blank",
            change: |r| {
                edit(
                    r,
                    "content/website-reports/2025.yaml",
                    "  网站总访问量: 5600\n",
                    "",
                )
            },
            day: DAY,
            rule: "website-report-blank",
            file: "content/website-reports/2025.yaml",
            line: Some("基本信息:"),
            also: &[],
        },
        Case {
            name: "a 报表 with a misspelt field",
            change: |r| {
                edit(
                    r,
                    "content/website-reports/2025.yaml",
                    "访问总量: 1200",
                    "访问总数: 1200",
                )
            },
            day: DAY,
            rule: "unknown-key",
            file: "content/website-reports/2025.yaml",
            line: Some("访问总数"),
            // The field meant is still blank.
            also: &["website-report-blank"],
        },
        Case {
            name: "a 报表 with a yes-or-no written otherwise",
            change: |r| {
                edit(
                    r,
                    "content/website-reports/2025.yaml",
                    "是否开展应急演练: 是",
                    "是否开展应急演练: 开展了",
                )
            },
            day: DAY,
            rule: "type",
            file: "content/website-reports/2025.yaml",
            line: Some("是否开展应急演练"),
            also: &[],
        },
        Case {
            name: "a 留言 with a 答复日期 and no 答复",
            change: |r| {
                write(
                    r,
                    "content/messages/空答复.md",
                    "---\n主题: 咨询\n来信日期: 2025-10-24\n来信内容: 请问……\n答复日期: 2025-10-25\n---\n",
                )
            },
            day: DAY,
            rule: "message",
            file: "content/messages/空答复.md",
            line: Some("答复日期"),
            also: &[],
        },
    ]
}

#[test]
fn each_check_of_the_whole_website_finds_its_violation_at_its_line() {
    for case in cases() {
        let site = fixture();
        (case.change)(site.path());
        let found = findings(site.path(), case.day, &[]);
        let line = case
            .line
            .map_or(0, |needle| line_of(site.path(), case.file, needle));
        assert!(
            found
                .iter()
                .any(|(r, _, f, l)| r == case.rule && f == case.file && *l == line),
            "{}: [{}] at {}:{line}\n{found:?}",
            case.name,
            case.rule,
            case.file
        );
        // Only what was broken is found.
        assert!(
            found
                .iter()
                .all(|(r, ..)| r == case.rule || case.also.contains(&r.as_str())),
            "{}: {found:?}",
            case.name
        );
    }
}

#[test]
fn the_near_misses_of_each_check_stay_silent() {
    type Change = fn(&Path);
    let near: &[(&str, Change, &str)] = &[
        (
            "no 报表 on 31 January, its last day",
            |r| {
                fs::remove_file(r.join("content/website-reports/2025.yaml")).unwrap();
                edit(
                    r,
                    "site.toml",
                    "[compliance.freshness]",
                    "[compliance.website_reports]\nfirst_year = 2025\n\n[compliance.freshness]",
                );
            },
            "2026-01-31",
        ),
        (
            "a 报表 published on 31 January",
            |r| {
                edit(
                    r,
                    "content/website-reports/2025.yaml",
                    "published: 2026-01-20",
                    "published: 2026-01-31",
                )
            },
            "2026-01-31",
        ),
        (
            "a 留言 unanswered for exactly 3 months",
            |r| {
                write(
                    r,
                    "content/messages/未答复.md",
                    "---\n主题: 咨询\n来信日期: 2025-10-25\n来信内容: 请问……\n---\n",
                )
            },
            DAY,
        ),
        (
            "a 留言 unanswered for 4 months where 6 are allowed",
            |r| {
                write(
                    r,
                    "content/messages/未答复.md",
                    "---\n主题: 咨询\n来信日期: 2025-09-20\n来信内容: 请问……\n---\n",
                );
                edit(
                    r,
                    "site.toml",
                    "[compliance.freshness]",
                    "[compliance.interaction]\nreply_months = 6\n\n[compliance.freshness]",
                );
            },
            DAY,
        ),
        (
            "no 办事指南 but the 政务服务网",
            |r| fs::remove_dir_all(r.join("content/services")).unwrap(),
            DAY,
        ),
        (
            "a 办事指南 without its own address, with the 政务服务网",
            |r| {
                edit(
                    r,
                    "content/services/证明办理.md",
                    "在线办理: http://zwfw.sd.gov.cn/\n",
                    "",
                )
            },
            DAY,
        ),
        (
            "机构职能 checked exactly 12 months ago",
            |r| {
                edit(
                    r,
                    "content/organization/机构职能.md",
                    "更新日期: 2025-12-01",
                    "更新日期: 2025-01-25",
                )
            },
            DAY,
        ),
        (
            "a leader whose keys are Chinese",
            |r| {
                let text = read(r, "content/leaders/局长.md")
                    .replace("name:", "姓名:")
                    .replace("position:", "职务:")
                    .replace("duties:", "分工:")
                    .replace("photo:", "照片:")
                    .replace("order:", "排序:")
                    .replace("updated:", "更新日期:");
                write(r, "content/leaders/局长.md", text);
            },
            DAY,
        ),
        (
            "a 报表 typing a computed text the same way, spaced",
            |r| {
                edit(
                    r,
                    "content/website-reports/2025.yaml",
                    "基本信息:\n",
                    "基本信息:\n  网站名称: 某市人民政府 测试局\n",
                )
            },
            DAY,
        ),
        (
            "a 报表 in English keys",
            |r| {
                edit(
                    r,
                    "content/website-reports/2025.yaml",
                    "信息发布:\n  政务动态信息更新量: 2",
                    "publishing:\n  news: 2",
                )
            },
            DAY,
        ),
    ];
    for (name, change, day) in near {
        let site = fixture();
        change(site.path());
        let o = run_at(site.path(), &["check", "--as-of", day, "--strict"]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
    }
}

#[test]
fn the_gate_holds_back_a_scheduled_letter_and_an_unsigned_guide() {
    let site = fixture();
    write(
        site.path(),
        "content/messages/明天.md",
        "---\n主题: 咨询护照办理\n来信日期: 2026-01-20\n来信内容: 请问……\n答复单位: 某市人民政府测试局\n答复日期: 2026-01-26\n---\n答复：请见办事指南。\n",
    );
    let out = build(site.path(), DAY);
    assert!(!read(&out, "hdjl/index.html").contains("咨询护照办理"));
    let o = run_at(site.path(), &["check", "--as-of", DAY, "--format", "json"]);
    let list: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(list.iter().any(|f| f["rule"] == "schedule.held"
        && f["file"] == "content/messages/明天.md"
        && f["date"] == "2026-01-26"));
    let out = build(site.path(), "2026-01-26");
    assert!(
        read(&out, "hdjl/index.html").contains("咨询护照办理"),
        "published on its day"
    );
    // 审核签发: with [review] required, the guide waits for its sign-off.
    edit(
        site.path(),
        "site.toml",
        "[compliance.freshness]",
        "[review]\nrequired = true\n\n[compliance.freshness]",
    );
    let found = run_at(site.path(), &["check", "--as-of", DAY, "--format", "json"]);
    let list: Vec<Value> = serde_json::from_slice(&found.stdout).unwrap();
    assert!(
        list.iter()
            .any(|f| f["rule"] == "review.waiting" && f["file"] == "content/services/证明办理.md")
    );
}

#[test]
fn an_empty_category_is_hidden_in_the_column_the_catalogue_and_the_site_map_at_once() {
    let site = fixture();
    let categories = "\n[[catalogue.categories]]\ncode = \"02\"\nname = \"规划计划\"\nslug = \"ghjh\"\n\n[[catalogue.categories]]\ncode = \"0201\"\nname = \"专项规划\"\nslug = \"zxgh\"\nparent = \"02\"\n";
    edit(
        site.path(),
        "site.toml",
        "\n[compliance.freshness]",
        &format!("{categories}\n[compliance.freshness]"),
    );
    let found = findings(site.path(), DAY, &[]);
    let line = line_of(site.path(), "site.toml", "name = \"规划计划\"");
    assert!(
        found.contains(&(
            "freshness.empty".into(),
            "warning".into(),
            "site.toml".into(),
            line
        )),
        "{found:?}"
    );
    let out = build(site.path(), DAY);
    let places = [
        "zwgk/index.html",
        "zwgk/gkml/index.html",
        "sitemap/index.html",
        "sitemap.xml",
    ];
    assert!(
        !out.join("zwgk/fdzdgknr/ghjh/index.html").exists()
            && !out.join("zwgk/fdzdgknr/zxgh/index.html").exists()
    );
    for p in places {
        let text = read(&out, p);
        assert!(
            !text.contains("规划计划") && !text.contains("/ghjh/") && !text.contains("专项规划"),
            "{p}"
        );
    }
    // Its first item makes it appear in every place at once.
    write(
        site.path(),
        "content/disclosure/专项规划.md",
        "---\ntitle: 某市测试专项规划\ndate: 2026-01-10\ncategory: 专项规划\nindex_no: csj/2026-00001\n---\n规划全文。\n",
    );
    let out = build(site.path(), DAY);
    assert!(out.join("zwgk/fdzdgknr/ghjh/index.html").exists());
    for p in places {
        assert!(read(&out, p).contains("/zwgk/fdzdgknr/zxgh/"), "{p}");
    }
    assert!(text_of(&read(&out, "zwgk/index.html")).contains("规划计划 1 条 专项规划 1 条"));
}

#[test]
fn the_column_names_its_four_parts_in_order() {
    let site = fixture();
    let out = build(site.path(), DAY);
    let page = read(&out, "zwgk/index.html");
    let at = |h: &str| {
        page.find(&format!(">{h}<"))
            .unwrap_or_else(|| panic!("{h}"))
    };
    let order = ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容"].map(at);
    assert!(order[0] < order[1] && order[1] < order[2], "{order:?}");
    assert!(page.find(">政府信息公开年报</a>").unwrap() > order[2]);
}

#[test]
fn new_website_report_writes_a_draft_listing_every_field_and_never_overwrites() {
    let site = fixture();
    fs::remove_dir_all(site.path().join("content/website-reports")).unwrap();
    let o = run_at(site.path(), &["new", "website-report", "2025"]);
    assert!(stderr(&o).contains("草稿"), "{}", stderr(&o));
    let rel = "content/website-reports/2025.yaml";
    let text = read(site.path(), rel);
    for field in [
        "独立用户访问总量:",
        "微博信息发布量:",
        "# 政务动态信息更新量：由网站统计（单位：条）",
        "是否明确网站安全负责人:",
    ] {
        assert!(text.contains(field), "{field}\n{text}");
    }
    // A draft: its blanks are warnings, the site still passes; not published.
    let found = findings(site.path(), DAY, &[]);
    assert!(
        found
            .iter()
            .any(|(r, l, f, _)| r == "website-report-blank" && l == "warning" && f == rel),
        "{found:?}"
    );
    assert!(
        run_at(site.path(), &["check", "--as-of", DAY])
            .status
            .success()
    );
    write(site.path(), rel, format!("{text}# 编辑过\n"));
    run_at(site.path(), &["new", "website-report", "2025"]);
    assert!(
        read(site.path(), rel).ends_with("# 编辑过\n"),
        "never overwritten"
    );
    // Published without a draft line, every blank is an error at once, in Chinese.
    write(
        site.path(),
        rel,
        text.replace("draft: true", "draft: false"),
    );
    let o = run_at(site.path(), &["check", "--as-of", DAY]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_eq!(err.matches("[website-report-blank]").count(), 8, "{err}");
    assert!(err.contains("“安全防护”还有 6 项没有填写"), "{err}");
}

/// A portal group of two copies of the fixture: `a` with a broken 办事指南, `b` without
/// its 报表; the group's own identity left empty.
fn group() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for slug in ["a", "b"] {
        copy_dir(
            &repo().join("tests/fixtures/website"),
            &dir.path().join("sites").join(slug),
        );
        let root = dir.path().join("sites").join(slug);
        let toml = read(&root, "site.toml")
            .replace("base_url = \"https://csj.weihai-test.gov.cn/\"\n", "");
        write(&root, "site.toml", toml);
    }
    edit(
        &dir.path().join("sites/a"),
        "content/services/证明办理.md",
        "## 办理流程\n\n申请、受理、办结。\n",
        "",
    );
    fs::remove_dir_all(dir.path().join("sites/b/content/website-reports")).unwrap();
    write(
        dir.path(),
        "group.toml",
        "title = \"某市人民政府\"\nbase_url = \"https://www.weihai-test.gov.cn/\"\n\n[agency]\nname = \"某市人民政府\"\nsponsor = \"某市人民政府\"\nsite_code = \"3710000000\"\npolice_record = \"鲁公网安备 37100202000001号\"\n\n[[members]]\nslug = \"a\"\n\n[[members]]\nslug = \"b\"\n",
    );
    dir
}

/// The findings a portal group's `check` prints, as (rule, level, file, line): the
/// group's check prints each member's findings under its name, in text.
fn group_findings(root: &Path, day: &str, extra: &[&str]) -> Vec<(String, String, String, u64)> {
    let mut args = vec!["check", "--as-of", day];
    args.extend(extra);
    stderr(&run_at(root, &args))
        .lines()
        .filter_map(|l| {
            let (place, rest) = l.split_once(": ")?;
            let (level, rest) = rest.split_once(" [")?;
            let rule = rest.split_once(']')?.0;
            let mut parts = place.split(':');
            let file = parts.next()?.to_string();
            let line = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let level = match level {
                "错误" => "error",
                "警告" => "warning",
                _ => return None,
            };
            Some((rule.to_string(), level.to_string(), file, line))
        })
        .collect()
}

#[test]
fn a_group_member_is_checked_as_a_whole_website_and_the_group_gathers_who_is_late() {
    let g = group();
    let found = group_findings(g.path(), "2026-02-02", &[]);
    let guide = "sites/a/content/services/证明办理.md";
    let line = line_of(
        &g.path().join("sites/a"),
        "content/services/证明办理.md",
        "## 设定依据",
    );
    assert!(
        found.contains(&(
            "services.parts".into(),
            "warning".into(),
            guide.into(),
            line
        )),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(r, _, f, _)| r == "website-report.missing"
                && f == "sites/b/content/website-reports/2025.yaml"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(r, _, f, _)| r == "website-report-missing"
                && f == "sites/b/content/website-reports"),
        "{found:?}"
    );
    // The portal's identity is incomplete (no address, phone, ICP): an error under --strict.
    let strict = group_findings(g.path(), "2026-02-02", &["--strict"]);
    assert!(
        strict
            .iter()
            .any(|(r, l, f, _)| r == "identity" && l == "error" && f == "group.toml"),
        "{strict:?}"
    );
    let out = g.path().join("public");
    ok(run_at(
        g.path(),
        &[
            "build",
            "--as-of",
            "2026-02-02",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    let column = text_of(&read(&out, "wzbb/index.html"));
    assert!(
        column.contains("已发布 1 个，其中逾期发布 0 个；逾期未发布 1 个。"),
        "{column}"
    );
    assert!(
        column.contains(
            "某市人民政府测试局 已发布 2026-01-20 某市人民政府测试局2025年政府网站工作年度报表"
        ),
        "{column}"
    );
    assert!(
        column.contains("某市人民政府测试局 逾期未发布 — —"),
        "{column}"
    );
    // The group's pages link the portal's 公安备案 and carry its 找错 link.
    let home = read(&out, "index.html");
    assert!(
        home.contains("https://beian.mps.gov.cn/#/query/webSearch?code=37100202000001"),
        "{home}"
    );
    assert!(home.contains("jiucuo.html?site_code=3710000000&amp;url=https%3A%2F%2Fwww%2Eweihai%2Dtest%2Egov%2Ecn%2F"), "{home}");
    assert!(
        read(&out, "a/wzbb/2025/index.html")
            .contains("某市人民政府测试局2025年政府网站工作年度报表")
    );
}

#[cfg(feature = "pdf")]
#[test]
fn the_website_report_pdf_holds_its_table() {
    let site = fixture();
    let out = build(site.path(), DAY);
    let pdf = out.join("wzbb/2025/某市人民政府测试局2025年政府网站工作年度报表.pdf");
    let o = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8_lossy(&o.stdout);
    for expected in [
        "政府网站工作年度报表",
        "国办函〔2018〕12号",
        "平均办理时间",
        "2.0 天",
        "网站统计",
        "1200 个",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
}
