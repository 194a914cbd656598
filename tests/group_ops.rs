//! Operating a portal group of many members (issue 24) with the real binary, on the
//! county fixture (`tests/fixtures/county`: 青山县人民政府 with six members of four kinds —
//! the county government, three 部门, the 乡镇 太平镇 and the 街道 东湖 without its 2024
//! report): machine-readable results, isolation of a failing member, one member at a
//! time, the 乡镇 and 街道 kinds, the 年报 figures year on year, and quiet rebuilds.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/html.rs"]
mod html;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use serde_yaml::Value as Yaml;
use tree::{copy_dir, repo, tree_of};

/// The day the fixture is judged by: departments' 2024 reports were due on 31 January,
/// the governments', 乡镇's and 街道's on 31 March.
const DAY: &str = "2025-04-10";

/// A copy of the county fixture, at `<tmp>/县门户`.
fn county() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("县门户");
    copy_dir(&repo().join("tests/fixtures/county"), &root);
    (dir, root)
}

/// `gongkai ARGS --root ROOT --as-of DAY`.
fn at(root: &Path, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--as-of", DAY]);
    cli::run_at(root, &all)
}

fn json(o: &Output) -> Vec<Value> {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let p = root.join(rel);
    let text = fs::read_to_string(&p).unwrap();
    fs::write(&p, f(text)).unwrap();
}

/// The files of one member's folder in the output, with their bytes.
fn member_files(out: &Path, slug: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree_of(&out.join(slug))
}

#[test]
fn check_gives_every_finding_with_its_member_as_json_and_one_page_for_the_county() {
    let (dir, root) = county();
    // A 定时发布 item in 太平镇 (an `info` of its member), a warning in every member, the
    // portal's late report of 东湖 (member null).
    cli::write(
        &root,
        "sites/taiping/content/news/2025/防汛.md",
        "---\ntitle: 2025年防汛工作部署会\ndate: 2025-05-20\ncategory: 工作动态\n---\n\n部署汛期各项工作。\n",
    );
    let report = dir.path().join("检查报告.html");
    let o = at(
        &root,
        &[
            "check",
            "--format",
            "json",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", cli::stderr(&o));
    let list = json(&o);
    assert!(list.iter().all(|f| f.get("member").is_some()), "{list:?}");
    let of = |slug: &str| -> Vec<&Value> {
        list.iter()
            .filter(|f| f["member"].as_str() == Some(slug))
            .collect()
    };
    for slug in ["xzf", "jyj", "czj", "rsj", "taiping", "donghu"] {
        let mine = of(slug);
        assert!(!mine.is_empty(), "{slug}: {list:?}");
        let dir = format!("sites/{slug}/");
        assert!(
            mine.iter()
                .all(|f| f["file"].as_str().unwrap().starts_with(&dir)),
            "{slug}: {mine:?}"
        );
    }
    let held: Vec<&Value> = of("taiping")
        .into_iter()
        .filter(|f| f["rule"] == "schedule.held")
        .collect();
    assert_eq!(held.len(), 1, "{list:?}");
    assert_eq!(held[0]["date"], "2025-05-20");
    let portal: Vec<&Value> = list.iter().filter(|f| f["member"].is_null()).collect();
    assert!(
        portal.iter().any(|f| f["rule"] == "report-missing"
            && f["file"] == "sites/donghu/content/reports"
            && f["message"]
                .as_str()
                .unwrap()
                .contains("街道办事处应在 2025年3月31日 前发布")),
        "{portal:?}"
    );
    // One page for the 政务公开办: a row per member in the overview, then a section per
    // member and the portal's, each with its own findings.
    let page = fs::read_to_string(&report).unwrap();
    let sections = html::texts(&page, "section > h2");
    assert_eq!(sections.len(), 7, "{sections:?}");
    assert!(sections[4].starts_with("青山县太平镇人民政府（taiping，sites/taiping）"));
    assert!(sections[6].starts_with("门户"));
    assert_eq!(html::texts(&page, "table")[0].matches("青山县").count(), 6);
    assert!(
        html::texts(&page, "#part-6 td")
            .iter()
            .any(|t| t.contains("东湖街道办事处（donghu）没有 2024 年度")),
        "the late report in the portal's section"
    );
    // The same with errors: exit 1, and each error under its member.
    edit(&root, "sites/czj/content/news/2025/预算公开.md", |t| {
        t.replace("date: 2025-02-14", "date: 2025-13-01")
    });
    let o = at(&root, &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let errors: Vec<Value> = json(&o)
        .into_iter()
        .filter(|f| f["level"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["member"], "czj");
    assert_eq!(errors[0]["line"], 3);
    // One member, with the group's settings: its findings and its own late report only.
    let o = at(&root, &["check", "--member", "donghu", "--format", "json"]);
    assert!(o.status.success(), "{}", cli::stderr(&o));
    let list = json(&o);
    assert!(
        list.iter()
            .all(|f| f["member"] == "donghu" || f["member"].is_null()),
        "{list:?}"
    );
    assert!(list.iter().any(|f| f["rule"] == "report-missing"));
    assert!(
        cli::stderr(&o).contains("检查完成：1 个成员"),
        "{}",
        cli::stderr(&o)
    );
}

#[test]
fn a_failing_member_keeps_its_last_good_site_while_the_others_publish() {
    let (_dir, root) = county();
    let out = root.join("public");
    cli::ok(at(&root, &["build"]));
    let before = tree_of(&out);
    // Three members break three ways: a 勾稽 error in 教育局's 2024 report, a date that
    // does not exist in 人社局's news, an unmasked 身份证号 in 东湖街道's; 太平镇 publishes
    // a new item.
    edit(&root, "sites/jyj/content/reports/2024.yaml", |t| {
        t.replace(
            "granted: [17, 2, 0, 0, 0, 0]",
            "granted: [19, 2, 0, 0, 0, 0]",
        )
    });
    edit(&root, "sites/rsj/content/news/2025/春风行动.md", |t| {
        t.replace("date: 2025-02-12", "date: 2025-13-01")
    });
    let id = "110105199003071239";
    edit(
        &root,
        "sites/donghu/content/news/2025/老旧小区改造.md",
        |t| format!("{t}\n联系人身份证号 {id}。\n"),
    );
    cli::write(
        &root,
        "sites/taiping/content/news/2025/植树.md",
        "---\ntitle: 太平镇开展义务植树活动\ndate: 2025-03-12\ncategory: 工作动态\n---\n\n机关干部和村民 300 余人参加，栽植苗木 2000 株。\n",
    );
    // By default one member's error stops every member: the output is as it was.
    let o = at(&root, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        cli::stderr(&o).contains("--keep-going"),
        "{}",
        cli::stderr(&o)
    );
    assert_eq!(tree_of(&out), before);
    // With --keep-going the others publish and the three keep their last good sites.
    let o = at(&root, &["build", "--keep-going"]);
    let log = cli::stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{log}");
    assert!(log.contains("3 个成员出错，没有更新"), "{log}");
    assert!(
        log.contains(
            "青山县教育局（jyj，sites/jyj）：2 个错误，输出中保留它 2025-04-10 构建的网站"
        ),
        "{log}"
    );
    assert!(out.join("taiping/news/2025/植树/index.html").is_file());
    for slug in ["jyj", "rsj", "donghu"] {
        let then: std::collections::BTreeMap<String, Vec<u8>> = before
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(&format!("{slug}/"))?.into(), v.clone())))
            .collect();
        assert_eq!(member_files(&out, slug), then, "{slug} as it was");
    }
    assert!(
        tree_of(&out)
            .values()
            .all(|b| !String::from_utf8_lossy(b).contains(id)),
        "the number reached no file"
    );
    // The portal says which members were not updated; the record beside the output too.
    for page in ["index.html", "agencies/index.html", "ndbg/index.html"] {
        let notice = html::texts(&cli::read(&out, page), ".not-updated li");
        assert_eq!(notice.len(), 3, "{page}: {notice:?}");
        assert!(
            notice[0].starts_with("青山县教育局：本次没有更新，显示的是 2025年4月10日 的版本"),
            "{notice:?}"
        );
    }
    let record: Value = serde_json::from_str(
        &fs::read_to_string(root.join(".public.gongkai-record.json")).unwrap(),
    )
    .unwrap();
    let failed: Vec<&str> = record["not_updated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["slug"].as_str().unwrap())
        .collect();
    assert_eq!(failed, ["jyj", "rsj", "donghu"]);
    assert!(
        record["not_updated"][1]["first_error"]
            .as_str()
            .unwrap()
            .contains("2025-13-01")
    );
    // Mended, the next build updates them all and the notice goes.
    edit(&root, "sites/jyj/content/reports/2024.yaml", |t| {
        t.replace(
            "granted: [19, 2, 0, 0, 0, 0]",
            "granted: [17, 2, 0, 0, 0, 0]",
        )
    });
    edit(&root, "sites/rsj/content/news/2025/春风行动.md", |t| {
        t.replace("date: 2025-13-01", "date: 2025-02-12")
    });
    edit(
        &root,
        "sites/donghu/content/news/2025/老旧小区改造.md",
        |t| t.replace(id, "（已隐去）"),
    );
    let log = cli::ok(at(&root, &["build", "--keep-going"]));
    assert!(log.contains("3 个重新生成"), "{log}");
    assert!(html::texts(&cli::read(&out, "index.html"), ".not-updated").is_empty());
    let record = fs::read_to_string(root.join(".public.gongkai-record.json")).unwrap();
    assert!(!record.contains("not_updated"), "{record}");
}

#[test]
fn a_member_that_fails_on_its_first_build_is_listed_with_no_site() {
    let (dir, root) = county();
    edit(&root, "sites/czj/site.toml", |t| {
        format!("titel = \"财政\"\n{t}")
    });
    let out = dir.path().join("首次");
    let o = at(
        &root,
        &["build", "--keep-going", "--out", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(3), "{}", cli::stderr(&o));
    assert!(!out.join("czj").exists());
    assert!(out.join("jyj/index.html").is_file());
    let agencies = cli::read(&out, "agencies/index.html");
    assert_eq!(
        html::texts(&agencies, ".not-updated li"),
        ["青山县财政局：本次没有更新，暂无内容"]
    );
    assert!(
        html::attrs(&agencies, "a", "href")
            .iter()
            .all(|h| !h.starts_with("/czj/")),
        "no link to a site that is not there"
    );
}

#[test]
fn one_member_is_checked_and_built_inside_the_group_with_the_groups_settings() {
    let (_dir, root) = county();
    let out = root.join("public");
    // On its own a member has no base_url: only the group gives it one.
    let o = cli::run_at(&root.join("sites/taiping"), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let log = cli::ok(at(&root, &["check", "--member", "taiping"]));
    assert!(log.contains("检查完成：1 个成员"), "{log}");
    assert!(!log.contains("【成员 青山县教育局"), "{log}");
    cli::ok(at(&root, &["build"]));
    // Two members change; only one is built now.
    cli::write(
        &root,
        "sites/jyj/content/news/2025/开学.md",
        "---\ntitle: 春季学期开学工作通知\ndate: 2025-02-10\ncategory: 通知公告\n---\n\n全县中小学 2 月 17 日开学。\n",
    );
    cli::write(
        &root,
        "sites/rsj/content/news/2025/培训.md",
        "---\ntitle: 职业技能培训报名通知\ndate: 2025-03-05\ncategory: 通知公告\n---\n\n开设电工、焊工、育婴员培训班。\n",
    );
    let log = cli::ok(at(&root, &["build", "--member", "jyj"]));
    assert!(out.join("jyj/news/2025/开学/index.html").is_file());
    assert!(!out.join("rsj/news/2025/培训/index.html").exists());
    assert!(
        log.contains("1 个成员的源文件有改动，但这次只构建了 --member"),
        "{log}"
    );
    assert!(
        log.contains("青山县人力资源和社会保障局（rsj，sites/rsj）"),
        "{log}"
    );
    // Its deploy is refused (the output is not its present site); jyj's may go.
    let target = root.parent().unwrap().join("web");
    edit(&root, "group.toml", |t| {
        format!(
            "{t}\n[site.deploy.web]\nkind = \"folder\"\npath = \"{}\"\n",
            target.display()
        )
    });
    let o = cli::run_at(&root, &["deploy", "web", "--member", "rsj"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        cli::stderr(&o).contains("这次构建没有更新"),
        "{}",
        cli::stderr(&o)
    );
    assert!(!target.join("rsj").exists());
    cli::ok(cli::run_at(&root, &["deploy", "web", "--member", "jyj"]));
    assert!(target.join("jyj/news/2025/开学/index.html").is_file());
    let o = at(&root, &["build", "--member", "没有这个"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(cli::stderr(&o).contains("这个门户的成员有：xzf、jyj、czj、rsj、taiping、donghu"));
}

/// The figures of a member's report of `year` compared on the 年报 pages, read from its
/// YAML by hand: the oracle (new_received and granted, the row sums of the six columns).
fn figures(root: &Path, slug: &str, year: u32) -> (u64, u64) {
    let text = cli::read(root, &format!("sites/{slug}/content/reports/{year}.yaml"));
    let v: Yaml = serde_yaml::from_str(&text).unwrap();
    let sum = |key: &str| -> u64 {
        v["applications"][key]
            .as_sequence()
            .map_or(0, |s| s.iter().take(6).map(|x| x.as_u64().unwrap()).sum())
    };
    (sum("new_received"), sum("granted"))
}

#[test]
fn townships_and_subdistricts_report_by_31_march_and_the_portal_compares_years() {
    let (dir, root) = county();
    let out = root.join("public");
    cli::ok(at(&root, &["build"]));
    let agencies = cli::read(&out, "agencies/index.html");
    let kinds: Vec<String> = html::texts(&agencies, "table.agencies tbody td:nth-of-type(1)");
    assert_eq!(
        kinds,
        [
            "人民政府",
            "部门",
            "部门",
            "部门",
            "乡镇人民政府",
            "街道办事处"
        ]
    );
    // On 10 April the 街道's missing report is late; on 10 March it was not yet due,
    // while a 部门's would have been (31 January).
    let y2024 = cli::read(&out, "ndbg/2024/index.html");
    assert_eq!(
        html::texts(&y2024, "tr[data-slug=\"donghu\"] td")[0],
        "逾期未发布"
    );
    let march = dir.path().join("march");
    let o = cli::run_at(
        &root,
        &[
            "build",
            "--as-of",
            "2025-03-10",
            "--out",
            march.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", cli::stderr(&o));
    let page = cli::read(&march, "ndbg/2024/index.html");
    assert_eq!(
        html::texts(&page, "tr[data-slug=\"donghu\"] td")[0],
        "未到发布期限"
    );
    assert!(
        html::texts(&page, ".problems li")
            .contains(&"青山县东湖街道办事处：尚未发布（发布期限 2025年3月31日）".to_string())
    );
    // Each member's figures with their change from its own report of the year before.
    for slug in ["xzf", "jyj", "czj", "rsj", "taiping"] {
        let (now, granted) = figures(&root, slug, 2024);
        let (then, granted_then) = figures(&root, slug, 2023);
        let cells = html::texts(&y2024, &format!("tr[data-slug=\"{slug}\"] td.num"));
        let said = |n: u64, m: u64| match n.cmp(&m) {
            std::cmp::Ordering::Greater => format!("较上年 +{}", n - m),
            std::cmp::Ordering::Less => format!("较上年 −{}", m - n),
            std::cmp::Ordering::Equal => "较上年持平".into(),
        };
        assert_eq!(cells[0], format!("{now}{}", said(now, then)), "{slug}");
        assert_eq!(
            cells[2],
            format!("{granted}{}", said(granted, granted_then)),
            "{slug}"
        );
    }
    // 年报汇总: the report's 发布日期 and the member's deadline on every row.
    let csv = cli::read(&out, "ndbg/年报汇总.csv");
    let mut rows = csv.trim_start_matches('\u{feff}').lines();
    let head: Vec<&str> = rows.next().unwrap().split(',').collect();
    assert_eq!(head[5..8], ["发布日期", "发布期限", "勾稽关系未通过"]);
    let taiping = rows
        .find(|r| r.starts_with("2024,taiping,"))
        .unwrap()
        .split(',')
        .collect::<Vec<_>>();
    assert_eq!(
        taiping[3..7],
        ["乡镇人民政府", "已发布", "2025-03-20", "2025-03-31"]
    );
    let rows: Vec<Value> = serde_json::from_str(&cli::read(&out, "ndbg/年报汇总.json")).unwrap();
    let donghu = rows
        .iter()
        .find(|r| r["year"] == 2024 && r["slug"] == "donghu")
        .unwrap();
    assert_eq!(donghu["status"], "missing");
    assert_eq!(donghu["deadline"], "2025-03-31");
    assert!(donghu["published"].is_null());
    let jyj = rows
        .iter()
        .find(|r| r["year"] == 2024 && r["slug"] == "jyj")
        .unwrap();
    assert_eq!(
        (&jyj["published"], &jyj["deadline"]),
        (&"2025-01-24".into(), &"2025-01-31".into())
    );
}

#[test]
fn one_members_future_date_makes_no_member_late() {
    let (_dir, root) = county();
    // An editor of 太平镇 types next year for this year. Were the newest date the day
    // (as it once was), every member would be late for 2025.
    cli::write(
        &root,
        "sites/taiping/content/news/2025/表彰.md",
        "---\ntitle: 关于表彰2024年度先进村（社区）的决定\ndate: 2026-03-01\ncategory: 通知公告\n---\n\n表彰 5 个先进村。\n",
    );
    let log = cli::ok(at(&root, &["build"]));
    assert!(log.contains("年度报告按 2025-04-10 判断是否逾期"), "{log}");
    assert!(log.contains("定时发布：1 条，最早 2026-03-01"), "{log}");
    let out = root.join("public");
    assert!(!out.join("taiping/news/2025/表彰/index.html").exists());
    // No year after 2024 is asked for; only 东湖街道's missing 2024 report is late.
    let years = html::texts(
        &cli::read(&out, "ndbg/index.html"),
        "table.overview tbody th",
    );
    assert_eq!(years, ["2024 年度", "2023 年度"]);
    let late: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("[report-missing]"))
        .collect();
    assert_eq!(late.len(), 1, "{log}");
    assert!(
        late[0].starts_with("sites/donghu/content/reports: 警告"),
        "{log}"
    );
    let statuses = html::texts(
        &cli::read(&out, "ndbg/2024/index.html"),
        "#compare tbody td:nth-of-type(1)",
    );
    assert_eq!(
        statuses,
        [
            "已发布",
            "已发布",
            "已发布",
            "已发布",
            "已发布",
            "逾期未发布"
        ]
    );
    // Without --as-of the day is today, and the build says so.
    let log = cli::ok(cli::run_at(&root, &["build"]));
    let today = today();
    assert!(
        log.contains(&format!("年度报告按 {today} 判断是否逾期")),
        "{today}: {log}"
    );
}

/// Today in China (UTC+8, the day gongkai judges by), as `date` prints it.
fn today() -> String {
    let o = std::process::Command::new("date")
        .args(["-u", "-d", "+8 hours", "+%F"])
        .output()
        .unwrap();
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

#[test]
fn a_rebuild_lists_only_what_was_built_again() {
    let (_dir, root) = county();
    let first = cli::ok(at(&root, &["build"]));
    let warnings = |log: &str, slug: &str| -> usize {
        let head = format!("（{slug}，sites/{slug}）】");
        let Some(start) = log.find(&head) else {
            return 0;
        };
        let rest = &log[start..];
        let end = rest[head.len()..]
            .find('【')
            .map_or(rest.len(), |e| e + head.len());
        rest[..end].matches(": 警告 [").count()
    };
    let slugs = ["xzf", "jyj", "czj", "rsj", "taiping", "donghu"];
    let total: usize = slugs.iter().map(|s| warnings(&first, s)).sum();
    assert!(total >= 6, "{first}");
    // Nothing changed: no member's warnings again, but how many there are and where.
    let again = cli::ok(at(&root, &["build"]));
    assert!(!again.contains("【成员"), "{again}");
    assert!(
        again.contains(&format!(
            "另有 6 个没有变化的成员的 {total} 个警告，上次构建时已经列出"
        )),
        "{again}"
    );
    assert!(again.contains("gongkai check"), "{again}");
    // One member edited: its warnings only.
    edit(&root, "sites/czj/content/news/2025/预算公开.md", |t| {
        format!("{t}\n附件：部门预算公开表。\n")
    });
    let one = cli::ok(at(&root, &["build"]));
    assert_eq!(one.matches("【成员").count(), 1, "{one}");
    assert_eq!(warnings(&one, "czj"), warnings(&first, "czj"));
    assert!(
        one.contains(&format!(
            "另有 5 个没有变化的成员的 {} 个警告",
            total - warnings(&first, "czj")
        )),
        "{one}"
    );
}
