//! Portal groups (集约化): the real binary on the fixture group of three members
//! (`tests/fixtures/group`: waiban with a theme of its own, 教育局 whose 2024 report fails
//! T3-A, tongji without a 2024 report) and on the example group (`examples/group`).

#[path = "support/html.rs"]
mod html;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_yaml::Value as Yaml;
use tree::{copy_dir, repo, tree_of};

fn gongkai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .expect("the gongkai binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

/// A temporary copy of the fixture group.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/group"), dir.path());
    dir
}

fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    gongkai(&args)
}

fn read(out: &Path, file: &str) -> String {
    fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn every_member_is_published_under_its_slug_with_the_group_pages() {
    let g = fixture();
    let out = g.path().join("public");
    ok(build(g.path(), &out, &[]));
    for page in [
        "waiban/index.html",
        "waiban/zwgk/ndbg/2024/index.html",
        "教育局/index.html",
        "教育局/news/2024/招生/index.html",
        "tongji/zwgk/ndbg/2023/index.html",
        "index.html",
        "agencies/index.html",
        "latest/index.html",
        "ndbg/index.html",
        "ndbg/2024/index.html",
        "search/index.html",
        "robots.txt",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
    // The directory links every member, in the order of group.toml.
    let agencies = read(&out, "agencies/index.html");
    assert_eq!(
        html::texts(&agencies, "table.agencies tbody th a"),
        ["某市外事办公室", "某市教育局", "某市统计局"]
    );
    assert_eq!(
        html::attrs(&agencies, "table.agencies tbody th a", "href"),
        ["/waiban/", "/%E6%95%99%E8%82%B2%E5%B1%80/", "/tongji/"]
    );
    // The latest items of every member, newest first, each with its agency.
    let latest = read(&out, "latest/index.html");
    let titles = html::texts(&latest, ".item-list li > a");
    assert_eq!(
        titles[0], "2024年国民经济和社会发展统计公报发布",
        "{titles:?}"
    );
    assert_eq!(titles.len(), 5, "{titles:?}");
    assert_eq!(html::texts(&latest, ".agency-tag")[0], "某市统计局");
    // waiban's own theme: its home page and stylesheet; the others keep the group's.
    assert!(read(&out, "waiban/index.html").contains("qingxin-home"));
    assert!(!read(&out, "教育局/index.html").contains("qingxin-home"));
    assert_eq!(
        read(&out, "waiban/assets/gongkai.css"),
        read(
            g.path(),
            "sites/waiban/themes/qingxin/static/assets/gongkai.css"
        )
    );
    assert_eq!(
        read(&out, "tongji/assets/gongkai.css"),
        read(&repo(), "themes/default/static/assets/gongkai.css")
    );
    // Inherited: the column of [[site.columns]], the ICP number of the portal; waiban's
    // own [[nav]] replaces nothing but its own.
    assert!(out.join("tongji/news/category/gzdt/index.html").is_file());
    let tongji = read(&out, "tongji/index.html");
    assert!(tongji.contains("示例ICP备00000100号"));
    assert_eq!(
        html::texts(&read(&out, "waiban/index.html"), ".site-nav a"),
        ["首页", "年度报告"]
    );
    // Every member page shows the portal's bar with the shared navigation.
    let jy = read(&out, "教育局/index.html");
    assert_eq!(html::texts(&jy, ".portal-bar a")[0], "某市人民政府");
    assert_eq!(
        html::attrs(&jy, ".portal-bar a", "href"),
        ["/", "/", "/agencies/", "/ndbg/", "/search/"]
    );
    assert_eq!(
        html::attrs(&jy, "link[rel=canonical]", "href"),
        ["https://www.example.gov.cn/%E6%95%99%E8%82%B2%E5%B1%80/"]
    );
    // The manifest lists what is published, never the group's data folder.
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out, ".gongkai-build.json")).unwrap();
    let files: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(files.contains(&"教育局/index.html") && files.contains(&"ndbg/年报汇总.csv"));
    assert!(files.iter().all(|f| !f.starts_with('.')), "{files:?}");
    assert_eq!(manifest["items"], 10);
    assert!(out.join(".gongkai-group/教育局.json").is_file());
}

/// A figure of a report YAML: the sum of the first `n` numbers of each row (the data
/// columns; a seventh is the 总计 the loader checks), over `rows` (maps are groups).
fn sum_rows(v: &Yaml, rows: &[&str], n: usize) -> u64 {
    fn leaf_sum(v: &Yaml, n: usize) -> u64 {
        match v {
            Yaml::Sequence(s) => s.iter().take(n).map(|x| x.as_u64().unwrap()).sum(),
            Yaml::Mapping(m) => m.values().map(|x| leaf_sum(x, n)).sum(),
            _ => 0,
        }
    }
    rows.iter()
        .map(|r| v.get(*r).map_or(0, |x| leaf_sum(x, n)))
        .sum()
}

/// The compared figures of a member's report, read from its YAML by hand: the oracle.
fn expected(root: &Path, member: &str, year: u32) -> Vec<String> {
    let text = read(root, &format!("sites/{member}/content/reports/{year}.yaml"));
    let y: Yaml = serde_yaml::from_str(&text).unwrap();
    let a = &y["applications"];
    let processed = sum_rows(
        a,
        &[
            "granted",
            "partial",
            "denied",
            "unable",
            "not_processed",
            "other_handling",
        ],
        6,
    );
    let granted = sum_rows(a, &["granted"], 6);
    let rl = y.get("review_litigation").cloned().unwrap_or(Yaml::Null);
    let fees = y
        .get("active_disclosure")
        .and_then(|t| t.get("fees"))
        .map_or("0".to_string(), |f| match f {
            Yaml::Number(n) => n.to_string(),
            other => other.as_str().unwrap().to_string(),
        });
    let rate = if processed == 0 {
        "—".to_string()
    } else {
        format!("{:.1}%", granted as f64 * 100.0 / processed as f64)
    };
    vec![
        sum_rows(a, &["new_received"], 6).to_string(),
        processed.to_string(),
        granted.to_string(),
        rate,
        sum_rows(&rl, &["review"], 4).to_string(),
        sum_rows(&rl, &["litigation_direct", "litigation_after_review"], 4).to_string(),
        fees,
    ]
}

#[test]
fn the_reports_section_compares_the_figures_of_the_members_yaml() {
    let g = fixture();
    let out = g.path().join("public");
    let log = ok(build(g.path(), &out, &["--as-of", "2025-03-10"]));
    assert!(log.contains("年度报告按 2025-03-10 判断是否逾期"), "{log}");
    let csv = read(&out, "ndbg/年报汇总.csv");
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let head: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let col = |name: &str| {
        head.iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}: {head:?}"))
    };
    let json: serde_json::Value = serde_json::from_str(&read(&out, "ndbg/年报汇总.json")).unwrap();
    for (year, members) in [
        (2023, vec!["waiban", "教育局", "tongji"]),
        (2024, vec!["waiban", "教育局"]),
    ] {
        let page = read(&out, &format!("ndbg/{year}/index.html"));
        for m in members {
            let want = expected(g.path(), m, year);
            // Each figure, without the change from the year before said under it.
            let cells: Vec<String> = html::texts(&page, &format!("tr[data-slug=\"{m}\"] td.num"))
                .into_iter()
                .map(|c| c.split("较上年").next().unwrap().to_string())
                .collect();
            assert_eq!(cells, want, "{m} {year} on the page");
            let row = rows
                .iter()
                .find(|r| r[0] == year.to_string() && r[1] == m)
                .unwrap_or_else(|| panic!("{m} {year} in the CSV"));
            for (name, value) in [
                "本年新收申请",
                "办理结果总计",
                "予以公开",
                "予以公开率",
                "行政复议",
                "行政诉讼",
                "行政事业性收费（万元）",
            ]
            .iter()
            .zip(&want)
            {
                assert_eq!(&row[col(name)], value, "{m} {year} {name} in the CSV");
            }
            let j = json
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["year"] == year && r["slug"] == m)
                .unwrap();
            assert_eq!(
                j["figures"]["new_received"].to_string(),
                want[0],
                "{m} {year} in the JSON"
            );
            assert_eq!(j["status"], "published");
        }
    }
    // tongji has no 2024 report: late, listed, and in the CSV without figures.
    let y2024 = read(&out, "ndbg/2024/index.html");
    let problems = html::texts(&y2024, ".problems li");
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("某市统计局：逾期未发布")),
        "{problems:?}"
    );
    let tongji = rows
        .iter()
        .find(|r| r[0] == "2024" && r[1] == "tongji")
        .unwrap();
    assert_eq!(tongji[col("状态")], "逾期未发布");
    assert_eq!(tongji[col("本年新收申请")], "");
    // 教育局's 2024 report fails T3-A, kept as published with its reason.
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("某市教育局：T3-A") && p.contains("保留原貌")),
        "{problems:?}"
    );
    let jy = rows
        .iter()
        .find(|r| r[0] == "2024" && r[1] == "教育局")
        .unwrap();
    assert_eq!(jy[col("勾稽关系未通过")], "T3-A（已说明）");
    assert!(
        log.contains("某市统计局（tongji）没有 2024 年度的政府信息公开工作年度报告"),
        "{log}"
    );
    // Judged on 31 January 2025 the 2024 report is not late yet.
    let out2 = g.path().join("public2");
    let log = ok(build(g.path(), &out2, &["--as-of", "2025-01-31"]));
    assert!(!log.contains("report-missing"), "{log}");
    let problems = html::texts(&read(&out2, "ndbg/2024/index.html"), ".problems li");
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("某市统计局：尚未发布")),
        "{problems:?}"
    );
    // The section's charts carry their figures as text.
    assert!(y2024.contains(
        "<desc id=\"chart-2024-new_received-d\">某市外事办公室：10；某市教育局：20</desc>"
    ));
}

#[test]
fn check_reports_each_members_problems_under_its_name_and_the_groups() {
    let g = fixture();
    let root = g.path();
    let out = root.join("public");
    ok(build(root, &out, &[]));
    let before = tree_of(&out);
    // As it is, the group checks with warnings: 教育局's acknowledged rule under its name,
    // tongji's late report under the group's.
    let log = ok(gongkai(&["check", "--root", root.to_str().unwrap()]));
    let jy_at = log
        .find("【成员 某市教育局（教育局，sites/教育局）】")
        .expect(&log);
    let portal_at = log.find("【门户】").expect(&log);
    assert!(log[jy_at..portal_at].contains("警告 [T3-A]"), "{log}");
    assert!(
        log[portal_at..].contains("sites/tongji/content/reports: 警告 [report-missing]"),
        "{log}"
    );
    assert!(log.contains("检查完成：3 个成员"), "{log}");
    let jy = root.join("sites/教育局/content/reports/2024.yaml");
    let text = fs::read_to_string(&jy).unwrap();
    fs::write(&jy, &text[..text.find("acknowledged:").unwrap()]).unwrap();
    let tongji = root.join("sites/waiban/site.toml");
    fs::write(
        &tongji,
        format!("titel = \"x\"\n{}", fs::read_to_string(&tongji).unwrap()),
    )
    .unwrap();
    let group = root.join("group.toml");
    let text = fs::read_to_string(&group).unwrap();
    fs::write(
        &group,
        format!("{text}\n[[members]]\nslug = \"waiban\"\n\n[site.pdf]\nenabeld = false\n"),
    )
    .unwrap();
    let o = gongkai(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let log = stderr(&o);
    let section = |head: &str| -> String {
        let start = log.find(head).unwrap_or_else(|| panic!("{head}\n{log}"));
        let rest = &log[start + head.len()..];
        rest[..rest.find('【').unwrap_or(rest.len())].to_string()
    };
    let jy = section("【成员 某市教育局（教育局，sites/教育局）】");
    assert!(
        jy.contains("sites/教育局/content/reports/2024.yaml:11:3: 错误 [T3-A]"),
        "{jy}"
    );
    let tj = section("【成员 某市外事办公室（waiban，sites/waiban）】");
    assert!(
        tj.contains("sites/waiban/site.toml:1:1: 错误 [unknown-key] 未知的键 `titel`"),
        "{tj}"
    );
    assert!(tj.contains("`title`"), "the nearest key: {tj}");
    let portal = section("【门户】");
    let lines: Vec<String> = fs::read_to_string(&group)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let line_of = |needle: &str| lines.iter().rposition(|l| l.contains(needle)).unwrap() + 1;
    let dup = format!(
        "group.toml:{}:1: 错误 [duplicate-slug] 成员代码 `waiban` 重复",
        line_of("slug = \"waiban\"")
    );
    assert!(portal.contains(&dup), "{dup}\n{portal}");
    let key = format!(
        "group.toml:{}:1: 错误 [unknown-key] 未知的键 `enabeld`",
        line_of("enabeld")
    );
    assert_eq!(log.matches(&key).count(), 1, "once, under the group: {log}");
    assert!(portal.contains(&key), "{key}\n{portal}");
    assert!(log.contains("检查失败"), "{log}");
    // A build of the same input fails and leaves the last output as it was.
    let o = build(root, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(tree_of(&out), before);
}

#[test]
fn shards_joined_by_merge_are_byte_identical_to_one_build() {
    let g = fixture();
    let root = g.path();
    let whole = root.join("whole");
    ok(build(root, &whole, &[]));
    for n in [2, 3] {
        let mut dirs = Vec::new();
        let mut members = 0;
        for k in 1..=n {
            let d = root.join(format!("shard-{k}-of-{n}"));
            let log = ok(build(root, &d, &["--shard", &format!("{k}/{n}")]));
            assert!(
                !d.join("index.html").exists(),
                "a shard makes no group pages"
            );
            members += fs::read_dir(d.join(".gongkai-group")).unwrap().count() / 2;
            assert!(log.contains("构建完成"), "{log}");
            dirs.push(d);
        }
        assert_eq!(members, 3, "each member in exactly one shard");
        let merged = root.join(format!("merged-{n}"));
        let mut args = vec![
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
            "--merge",
        ];
        args.extend(dirs.iter().map(|d| d.to_str().unwrap()));
        let log = ok(gongkai(&args));
        assert!(log.contains("从分片的输出合并"), "{log}");
        let (a, b) = (tree_of(&whole), tree_of(&merged));
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (path, bytes) in &a {
            assert!(b[path] == *bytes, "{path} differs with {n} shards");
        }
    }
    // The same slice every time: shard 1 of 3 holds the heaviest member.
    let again = root.join("again");
    ok(build(root, &again, &["--shard", "1/3"]));
    assert_eq!(tree_of(&again), tree_of(&root.join("shard-1-of-3")));
    // A missing shard, and shards of another group.toml, are refused by name.
    let missing = root.join("missing");
    let o = gongkai(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        missing.to_str().unwrap(),
        "--merge",
        root.join("shard-1-of-2").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("不在任何一个分片的输出中"),
        "{}",
        stderr(&o)
    );
    assert!(!missing.exists());
    let group = root.join("group.toml");
    fs::write(
        &group,
        fs::read_to_string(&group)
            .unwrap()
            .replace("某市人民政府门户网站", "另一个门户"),
    )
    .unwrap();
    let o = gongkai(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        missing.to_str().unwrap(),
        "--merge",
        root.join("shard-1-of-2").to_str().unwrap(),
        root.join("shard-2-of-2").to_str().unwrap(),
    ]);
    assert!(stderr(&o).contains("不同的 group.toml"), "{}", stderr(&o));
}

#[test]
fn a_member_whose_inputs_did_not_change_is_not_built_again() {
    let g = fixture();
    let root = g.path();
    let out = root.join("public");
    ok(build(root, &out, &[]));
    let log = ok(build(root, &out, &[]));
    assert!(
        log.contains("3 个成员（0 个重新生成，3 个没有变化"),
        "{log}"
    );
    assert!(log.contains("未写入任何文件"), "{log}");
    assert!(
        log.contains("report-missing"),
        "the group's warnings again: {log}"
    );
    let mtime = |p: &str| fs::metadata(out.join(p)).unwrap().modified().unwrap();
    let (waiban, latest) = (mtime("waiban/index.html"), mtime("latest/index.html"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let item = root.join("sites/tongji/content/news/统计公报.md");
    fs::write(
        &item,
        fs::read_to_string(&item)
            .unwrap()
            .replace("统计公报发布", "统计公报正式发布"),
    )
    .unwrap();
    let log = ok(build(root, &out, &[]));
    assert!(
        log.contains("3 个成员（1 个重新生成，2 个没有变化"),
        "{log}"
    );
    assert_eq!(mtime("waiban/index.html"), waiban);
    assert_ne!(mtime("latest/index.html"), latest);
    assert!(read(&out, "latest/index.html").contains("统计公报正式发布"));
    // A member's output edited by hand is built again.
    fs::write(out.join("waiban/index.html"), "x").unwrap();
    let log = ok(build(root, &out, &[]));
    assert!(log.contains("1 个重新生成"), "{log}");
    assert!(read(&out, "waiban/index.html").contains("qingxin-home"));
}

#[test]
fn a_single_site_is_not_a_group_and_cannot_be_sharded() {
    let dir = tempfile::tempdir().unwrap();
    let o = gongkai(&[
        "build",
        "--root",
        repo().join("tests/fixtures/minimal").to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
        "--shard",
        "1/2",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("只用于门户"), "{}", stderr(&o));
    let o = gongkai(&["build", "--root", ".", "--shard", "3/2"]);
    assert!(stderr(&o).contains("--shard 要写成 K/N"), "{}", stderr(&o));
}

#[test]
fn the_example_group_is_written_from_the_seed_only() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let root = repo().join("examples/group");
    ok(build(&root, &out, &["--as-of", "2024-01-31"]));
    // The 外事办公室 member is the example site's report, unchanged.
    assert_eq!(
        read(&root, "sites/wb/content/reports/2023.yaml"),
        read(&repo(), "content/reports/2023.yaml")
    );
    let page = read(&out, "ndbg/2023/index.html");
    assert_eq!(
        html::texts(&page, "tr[data-slug=\"wb\"] td.num"),
        ["1", "1", "1", "100.0%", "0", "0", "55.0592"]
    );
    // The city government has no report in the seed: it shows as not published, late
    // once its deadline (31 March) has passed (by default, today).
    let status = html::texts(&page, "tr[data-slug=\"szf\"] td")[0].clone();
    assert_eq!(status, "未到发布期限");
    let late = dir.path().join("late");
    ok(build(&root, &late, &["--as-of", "2024-04-01"]));
    let page = read(&late, "ndbg/2023/index.html");
    assert_eq!(
        html::texts(&page, "tr[data-slug=\"szf\"] td")[0],
        "逾期未发布"
    );
    assert!(
        html::texts(&page, "tr[data-slug=\"szf\"] td.num")
            .iter()
            .all(|v| v == "—")
    );
}

#[test]
fn a_members_empty_identity_numbers_inherit_the_groups() {
    let g = fixture();
    // What `gongkai init` writes for a new member: the numbers left empty.
    let toml = g.path().join("sites/tongji/site.toml");
    let text = fs::read_to_string(&toml).unwrap()
        + "address = \"\"\nsite_code = \"\"\nicp = \"\"\npolice_record = \"\"\n";
    fs::write(&toml, text).unwrap();
    let out = g.path().join("public");
    ok(build(g.path(), &out, &["--as-of", "2025-03-10"]));
    let page = read(&out, "tongji/index.html");
    assert!(
        page.contains("0000000100") && page.contains("示例ICP备00000100号"),
        "the group's numbers in the member's footer"
    );
}
