//! Hostile and careless input (issue 13, items 11 and 15): figures that overflow, dates
//! and titles that are not, control characters, URLs and names the file system or a
//! feed reader cannot take. Each is driven through the real binary on a copy of the
//! example site and must give a Chinese error at its file and line, never a panic, a
//! wrong sum or a broken page.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use cli::{ok, run_at as gongkai, stderr};
use tree::example;

/// A run that failed as designed: exit code 1 (a panic exits with 101).
fn failed(o: Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(1),
        "should have failed:\n{}",
        stderr(&o)
    );
    stderr(&o)
}

/// Replaces the one occurrence of `from` in the site file `rel`.
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{rel}: `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The line of `rel` that holds `needle`, as `rel:N:`.
fn at_line(root: &Path, rel: &str, needle: &str) -> String {
    let text = fs::read_to_string(root.join(rel)).unwrap();
    let n = text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    format!("{rel}:{n}:")
}

const REPORT: &str = "content/reports/2023.yaml";

#[test]
fn report_figures_cannot_overflow_or_be_nan() {
    let (_dir, root) = example();
    // u64::MAX + 2 wraps to 1, which would balance T3-A against (七)总计 = 1.
    edit(
        &root,
        REPORT,
        "new_received: [1, 0, 0, 0, 0, 0, 1]",
        "new_received: [18446744073709551615, 0, 0, 0, 0, 0, 1]",
    );
    edit(
        &root,
        REPORT,
        "carried_over: [0, 0, 0, 0, 0, 0, 0]",
        "carried_over: [2, 99999999999999999999999, 0, 0, 0, 0, 0]",
    );
    edit(&root, REPORT, "fees: 55.0592 ", "fees: .nan ");
    edit(&root, REPORT, "licensing: 0 ", "licensing: 1e3 ");
    let err = failed(gongkai(&root, &["check"]));
    for (needle, message) in [
        ("new_received:", "18446744073709551615 太大"),
        ("carried_over:", "99999999999999999999999 太大"),
        ("fees:", "写的是 `.nan`"),
        ("licensing:", "写的是 `1e3`"),
    ] {
        let line = at_line(&root, REPORT, needle);
        assert!(
            err.lines()
                .any(|l| l.starts_with(&line) && l.contains(message)),
            "{line} {message}:\n{err}"
        );
    }
    assert!(!err.contains("invalid type"), "no serde English: {err}");

    // Infinity, too many places and more than 10⁹ 万元 are not published either.
    for (fees, message) in [
        (".inf", "写的是 `.inf`"),
        ("-.inf", "写的是 `-.inf`"),
        ("1.1234567", "小数位太多"),
        ("1000000000.5", "太大"),
    ] {
        let (_dir, root) = example();
        edit(&root, REPORT, "fees: 55.0592 ", &format!("fees: {fees} "));
        let err = failed(gongkai(&root, &["build"]));
        let line = at_line(&root, REPORT, "fees:");
        assert!(
            err.lines()
                .any(|l| l.starts_with(&line) && l.contains(message)),
            "{fees}: {err}"
        );
        assert!(!root.join("public").exists(), "{fees}: nothing published");
    }
}

#[test]
fn report_figures_at_the_ceiling_are_accepted() {
    let (_dir, root) = example();
    edit(
        &root,
        REPORT,
        "new_received: [1, 0, 0, 0, 0, 0, 1]",
        "new_received: [1000000000, 0, 0, 0, 0, 0, 1000000000]",
    );
    edit(
        &root,
        REPORT,
        "granted: [1, 0, 0, 0, 0, 0, 1]",
        "granted: [1000000000, 0, 0, 0, 0, 0, 1000000000]",
    );
    edit(
        &root,
        REPORT,
        "total_processed: [1, 0, 0, 0, 0, 0, 1]",
        "total_processed: [1000000000, 0, 0, 0, 0, 0, 1000000000]",
    );
    edit(&root, REPORT, "fees: 55.0592 ", "fees: 999999999.999999 ");
    ok(gongkai(&root, &["build"]));
    let json = fs::read_to_string(root.join("public/zwgk/ndbg/2023/report.json")).unwrap();
    assert!(json.contains("999999999.999999"), "{json}");
    assert!(json.contains("1000000000"), "{json}");
}

const NEWS: &str = "content/news/2023/政府开放日.md";
const GUIDE: &str = "content/disclosure/政府信息公开指南.md";

/// Whether some line of `err` starts with `line` and holds `message`.
fn says(err: &str, line: &str, message: &str) -> bool {
    err.lines()
        .any(|l| l.starts_with(line) && l.contains(message))
}

#[test]
fn control_characters_are_refused_in_titles_and_taken_out_of_bodies() {
    let (_dir, root) = example();
    // Escaped, so the YAML and TOML parsers take them; written under an alias key.
    edit(
        &root,
        NEWS,
        "title: 市外办",
        "标题: \"市外\\u0001办\"\n# title: ",
    );
    edit(
        &root,
        "site.toml",
        "title = \"年度报告\"",
        "title = \"年度\\u0085报告\"",
    );
    edit(
        &root,
        REPORT,
        "title: 威海市人民政府外事办公室 2023 年",
        "title: \"威海\\u001b市人民政府外事办公室 2023 年\"\n# ",
    );
    let err = failed(gongkai(&root, &["check"]));
    for (file, needle, c) in [
        (NEWS, "标题:", "U+0001"),
        ("site.toml", "年度\\u0085报告", "U+0085"),
        (REPORT, "title: \"威海", "U+001B"),
    ] {
        let line = at_line(&root, file, needle);
        assert!(says(&err, &line, c), "{line} {c}:\n{err}");
    }

    // A page break pasted from Word into a body is taken out, with a warning at its line,
    // and the feed stays well-formed XML.
    let (_dir, root) = example();
    let path = root.join(NEWS);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}\n第二段\u{c}分页，\u{1}结束。\n")).unwrap();
    let err = ok(gongkai(&root, &["build"]));
    assert!(
        says(&err, &at_line(&root, NEWS, "第二段"), "U+000C"),
        "{err}"
    );
    let atom = fs::read_to_string(root.join("public/atom.xml")).unwrap();
    roxmltree::Document::parse(&atom).expect("atom.xml is well-formed");
    let page = fs::read_to_string(root.join("public/news/2023/政府开放日/index.html")).unwrap();
    assert!(page.contains("第二段分页，结束。"), "{page}");
}

#[test]
fn dates_outside_1949_to_2100_are_refused() {
    for date in ["99999-01-01", "0000-01-01", "1948-12-31", "2101-01-01"] {
        let (_dir, root) = example();
        edit(&root, NEWS, "date: 2023-12-31", &format!("date: {date}"));
        edit(
            &root,
            GUIDE,
            "date: 2023-",
            &format!("written: {date}\ndate: 2023-"),
        );
        let err = failed(gongkai(&root, &["check"]));
        for (file, needle) in [(NEWS, "date:"), (GUIDE, "written:")] {
            let line = at_line(&root, file, needle);
            assert!(
                says(&err, &line, "不在 1949 年到 2100 年之间"),
                "{date} {line}: {err}"
            );
        }
    }
    let (_dir, root) = example();
    edit(&root, NEWS, "date: 2023-12-31", "date: 1949-10-01");
    edit(
        &root,
        GUIDE,
        "date: 2023-",
        "written: 2100-12-31\ndate: 2023-",
    );
    ok(gongkai(&root, &["check"]));
}

#[test]
fn empty_titles_are_refused() {
    let (_dir, root) = example();
    edit(&root, NEWS, "title: 市外办", "title: \"  \"\n# ");
    edit(&root, GUIDE, "title: ", "标题: \"\"\n# ");
    edit(
        &root,
        REPORT,
        "title: 威海市人民政府外事办公室 2023 年",
        "title: ''\n# ",
    );
    edit(&root, "site.toml", "title = \"首页\"", "title = \"\"");
    let err = failed(gongkai(&root, &["check"]));
    for (file, needle) in [
        (NEWS, "title: \"  \""),
        (GUIDE, "标题:"),
        (REPORT, "title: ''"),
        ("site.toml", "title = \"\""),
    ] {
        let line = at_line(&root, file, needle);
        assert!(says(&err, &line, "不能为空"), "{line}:\n{err}");
    }
}

#[test]
fn base_url_and_navigation_links_must_work_from_every_page() {
    let (_dir, root) = example();
    edit(
        &root,
        "site.toml",
        "base_url = \"http://wb.weihai.gov.cn/\"",
        "base_url = \"http://wb.weihai.gov.cn/?from=menu#top\"",
    );
    edit(
        &root,
        "site.toml",
        "url = \"/news/category/wsdt/\"",
        "url = \"news/category/wsdt/\"",
    );
    edit(
        &root,
        "site.toml",
        "url = \"/archive/\"",
        "url = \"//archive/\"",
    );
    let err = failed(gongkai(&root, &["check"]));
    for (needle, message) in [
        ("base_url", "? 或 #"),
        ("url = \"news/", "相对地址"),
        ("url = \"//archive/", "以 // 开头"),
    ] {
        let line = at_line(&root, "site.toml", needle);
        assert!(says(&err, &line, message), "{line}:\n{err}");
    }
    let (_dir, root) = example();
    let err = failed(gongkai(
        &root,
        &["check", "--base-url", "https://u:p@x.gov.cn/"],
    ));
    assert!(says(&err, "--base-url", "用户名或密码"), "{err}");
    ok(gongkai(
        &root,
        &["check", "--base-url", "https://网站.中国/外办/"],
    ));
}

#[test]
fn init_writes_a_valid_site_whatever_the_agency_is_called() {
    let dir = tempfile::tempdir().unwrap();
    for (i, agency) in ["a\"b", "威海: 外办 # 第一", "'引号'\\反斜杠", "2023"]
        .iter()
        .enumerate()
    {
        let site = dir.path().join(i.to_string());
        let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["init", site.to_str().unwrap(), "--agency", agency])
            .args(["--year", "2025"])
            .output()
            .unwrap();
        ok(o);
        let err = ok(gongkai(&site, &["check"]));
        assert!(!err.contains("错误"), "{agency}: {err}");
        // The name reads back as written from site.toml and from the report (a draft).
        let toml: toml::Value =
            toml::from_str(&fs::read_to_string(site.join("site.toml")).unwrap()).unwrap();
        assert_eq!(toml["agency"]["name"].as_str(), Some(*agency));
        let report: serde_yaml::Value = serde_yaml::from_str(
            &fs::read_to_string(site.join("content/reports/2025.yaml")).unwrap(),
        )
        .unwrap();
        assert_eq!(report["agency"].as_str(), Some(*agency));
    }
    for agency in ["第一行\n第二行", " "] {
        let site = dir.path().join("refused");
        let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["init", site.to_str().unwrap(), "--agency", agency])
            .output()
            .unwrap();
        let err = failed(o);
        assert!(err.contains("机关名称"), "{err}");
        assert!(!site.exists());
    }
}

#[test]
fn new_report_refuses_years_no_report_can_be_for() {
    let (_dir, root) = example();
    for year in ["0", "99999", "2007", "2101"] {
        let err = failed(gongkai(&root, &["new", "report", year]));
        assert!(err.contains("2008 到 2100"), "{year}: {err}");
        assert!(!root.join(format!("content/reports/{year}.yaml")).exists());
    }
    ok(gongkai(&root, &["new", "report", "2008"]));
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args([
            "init",
            dir.path().join("s").to_str().unwrap(),
            "--year",
            "99999",
        ])
        .output()
        .unwrap();
    failed(o);
}

#[test]
fn a_slug_too_long_for_the_file_system_fails_check_at_its_line() {
    let (_dir, root) = example();
    // 86 Chinese characters: 258 bytes, three more than a folder name may have.
    let long = "长".repeat(86);
    edit(
        &root,
        NEWS,
        "date: 2023-12-31",
        &format!("date: 2023-12-31\nslug: {long}"),
    );
    edit(
        &root,
        "site.toml",
        "slug = \"zwgk\"",
        &format!("slug = \"{}\"", "栏".repeat(90)),
    );
    let err = failed(gongkai(&root, &["check"]));
    assert!(
        says(&err, &at_line(&root, NEWS, "slug:"), "258 字节"),
        "{err}"
    );
    assert!(
        says(
            &err,
            &at_line(&root, "site.toml", "slug = \"栏"),
            "270 字节"
        ),
        "{err}"
    );
    assert!(!err.contains("磁盘"), "{err}");
    // 85 characters are fine.
    let (_dir, root) = example();
    edit(
        &root,
        NEWS,
        "date: 2023-12-31",
        &format!("date: 2023-12-31\nslug: {}", "长".repeat(85)),
    );
    ok(gongkai(&root, &["build"]));
}

#[cfg(unix)]
#[test]
fn deploy_does_not_write_or_delete_through_a_linked_folder_of_the_target() {
    use std::os::unix::fs::symlink;
    let (dir, root) = example();
    let www = dir.path().join("www");
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(&www).unwrap();
    fs::create_dir_all(elsewhere.join("2023")).unwrap();
    fs::write(elsewhere.join("2023/keep.txt"), "不是网站的文件").unwrap();
    // The target's news folder is a link out of the target.
    symlink(&elsewhere, www.join("news")).unwrap();
    let config = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(
        root.join("site.toml"),
        format!(
            "{config}\n[deploy.web]\nkind = \"folder\"\npath = \"{}\"\n",
            www.display()
        ),
    )
    .unwrap();
    ok(gongkai(&root, &["build"]));
    let err = failed(gongkai(&root, &["deploy"]));
    assert!(err.contains("符号链接") && err.contains("news"), "{err}");
    let names: Vec<_> = walkdir::WalkDir::new(&elsewhere)
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    assert_eq!(
        names.len(),
        3,
        "nothing written outside the target: {names:?}"
    );
    assert!(
        !www.join("index.html").exists(),
        "refused before anything was written"
    );

    // A real folder in its place deploys; a link put there afterwards stops --delete.
    fs::remove_file(www.join("news")).unwrap();
    ok(gongkai(&root, &["deploy"]));
    assert!(www.join("news/2023/政府开放日/index.html").is_file());
    fs::remove_file(root.join(NEWS)).unwrap();
    ok(gongkai(&root, &["build"]));
    fs::rename(www.join("news/2023"), dir.path().join("moved")).unwrap();
    symlink(dir.path().join("moved"), www.join("news/2023")).unwrap();
    let err = failed(gongkai(&root, &["deploy", "--delete"]));
    assert!(err.contains("符号链接"), "{err}");
    assert!(dir.path().join("moved/政府开放日/index.html").is_file());
}

/// Runs `gongkai ARGS --root root`, killed after `limit`: `None` if it did not finish.
fn within(root: &Path, args: &[&str], limit: std::time::Duration) -> Option<Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .arg("--root")
        .arg(root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn yaml_nested_a_hundred_thousand_brackets_deep_is_refused_at_once() {
    let (_dir, root) = example();
    let depth = 100_000;
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let report = fs::read_to_string(root.join("content/reports/2023.yaml")).unwrap();
    fs::write(
        root.join("content/reports/2023.yaml"),
        format!("{report}\nextra:\n  x: {deep}\n"),
    )
    .unwrap();
    fs::write(
        root.join("content/news/深.md"),
        format!("---\ntitle: 深\ndate: 2024-01-02\ntags: {deep}\n---\n正文。\n"),
    )
    .unwrap();
    // The scanner's time grew with the square of the depth (a minute here): a hang guard,
    // not a benchmark.
    let o = within(&root, &["check"], std::time::Duration::from_secs(30))
        .expect("refused within 30 seconds");
    let err = failed(o);
    for file in ["content/reports/2023.yaml", "content/news/深.md"] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(file) && l.contains("嵌套超过 200 层")),
            "{file}: {err}"
        );
    }
}
