//! Drives the real `gongkai` binary on fixture sites and on the example site at the
//! repository root.

#[path = "support/html.rs"]
mod html;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use tree::{copy_dir, repo};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the gongkai binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temporary copy of a fixture site.
fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
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
    run(&args)
}

fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn the_example_site_builds_with_every_page_type() {
    let out = tempfile::tempdir().unwrap();
    let o = build(&repo(), &out.path().join("public"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("构建完成"), "{}", stderr(&o));
    let p = out.path().join("public");
    for f in [
        "index.html",
        "news/index.html",
        "news/category/wsdt/index.html",
        "news/2023/政府开放日/index.html",
        "zwgk/index.html",
        "zwgk/政府信息公开指南/index.html",
        "zwgk/ndbg/index.html",
        "zwgk/ndbg/2023/index.html",
        "archive/index.html",
        "archive/2023/index.html",
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "assets/gongkai.css",
    ] {
        assert!(p.join(f).is_file(), "{f} is missing");
    }
    let home = fs::read_to_string(p.join("index.html")).unwrap();
    assert!(home.contains("lang=\"zh-CN\""));
    assert!(
        home.contains("威海市环翠区世昌大道 45 号"),
        "footer shows the address"
    );
    let item = fs::read_to_string(p.join("news/2023/政府开放日/index.html")).unwrap();
    assert!(
        item.contains("<strong>APEC 商务旅行卡</strong>"),
        "Chinese emphasis renders"
    );
    assert!(item.contains("当前位置"));
    let sitemap = fs::read_to_string(p.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("http://wb.weihai.gov.cn/zwgk/ndbg/2023/"));
    assert!(
        sitemap.contains("%E6%94%BF"),
        "Chinese paths are percent-encoded in the sitemap"
    );
}

/// The seed's figures as (row label, column label, value), read from its flattened
/// tables with no code of the crate: lines ending in figures, in the template's order.
fn seed_figures() -> Vec<(String, String, String)> {
    let seed = fs::read_to_string(repo().join("../shared/seeds/000_5ff55bda2311c170.txt"))
        .or_else(|_| fs::read_to_string(repo().join("../../shared/seeds/000_5ff55bda2311c170.txt")))
        .expect("the seed beside the repository");
    let nums = |line: &str| -> Vec<String> {
        line.split('\t')
            .map(str::trim)
            .filter(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit() || ch == '.'))
            .map(str::to_string)
            .collect()
    };
    let mut out = Vec::new();
    // Table 2.
    let t2 = [
        ("规章", vec!["本年制发件数", "本年废止件数", "现行有效件数"]),
        (
            "行政规范性文件",
            vec!["本年制发件数", "本年废止件数", "现行有效件数"],
        ),
        ("行政许可", vec!["本年处理决定数量"]),
        ("行政处罚", vec!["本年处理决定数量"]),
        ("行政强制", vec!["本年处理决定数量"]),
        ("行政事业性收费", vec!["本年收费金额（单位：万元）"]),
    ];
    for (row, cols) in t2 {
        let line = seed
            .lines()
            .find(|l| l.starts_with(&format!("{row}\t")))
            .unwrap();
        for (c, v) in cols.iter().zip(nums(line)) {
            out.push((row.to_string(), c.to_string(), v));
        }
    }
    // Table 3: the 25 rows with seven figures each, in order.
    let labels = [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
        "1.本机关不掌握相关政府信息",
        "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
        "1.信访举报投诉类申请",
        "2.重复申请",
        "3.要求提供公开出版物",
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
        "（七）总计",
        "四、结转下年度继续办理",
    ];
    let cols = [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ];
    let rows: Vec<Vec<String>> = seed.lines().map(nums).filter(|n| n.len() == 7).collect();
    assert_eq!(rows.len(), 25, "the seed's table 3 has 25 rows");
    for (label, figures) in labels.iter().zip(rows) {
        for (c, v) in cols.iter().zip(figures) {
            out.push((label.to_string(), c.to_string(), v));
        }
    }
    // Table 4: one line of 15 figures.
    let t4 = seed.lines().map(nums).find(|n| n.len() == 15).unwrap();
    let blocks = ["行政复议", "未经复议直接起诉", "复议后起诉"];
    let outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    for (i, v) in t4.into_iter().enumerate() {
        out.push((blocks[i / 5].to_string(), outcomes[i % 5].to_string(), v));
    }
    out
}

#[test]
fn the_2023_report_page_shows_every_figure_of_the_seed_in_its_cell() {
    let out = tempfile::tempdir().unwrap();
    let o = build(&repo(), &out.path().join("p"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(out.path().join("p/zwgk/ndbg/2023/index.html")).unwrap();
    let cells = html::table_cells(&html);
    let figures = seed_figures();
    assert_eq!(figures.len(), 10 + 25 * 7 + 15);
    // Data cells: 10 in table 2, 175 in table 3, 15 in table 4.
    assert_eq!(cells.len(), figures.len());
    for (row, col, value) in &figures {
        // The row's own label is the most specific header; 总计 and 其他 repeat, so the
        // column header must be found among the cell's headers too.
        let matching: Vec<&(Vec<String>, String)> = cells
            .iter()
            .filter(|(h, _)| h.iter().any(|t| t == row) && h.iter().any(|t| t == col))
            .collect();
        let in_block = |h: &Vec<String>| {
            // Table 4 has no row labels: its blocks are header cells.
            !["未经复议直接起诉", "复议后起诉"]
                .iter()
                .any(|b| h.contains(&b.to_string()) && b != row)
        };
        let matching: Vec<_> = matching.into_iter().filter(|(h, _)| in_block(h)).collect();
        assert_eq!(
            matching.len(),
            1,
            "one cell for {row} / {col}: {matching:?}"
        );
        assert_eq!(&matching[0].1, value, "{row} / {col}");
    }
    assert!(
        cells.iter().any(|(_, v)| v == "55.0592"),
        "the fee is printed as written"
    );
    assert!(
        html::attrs(&html, "th[rowspan]", "rowspan").contains(&"22".to_string()),
        "三、本年度办理结果 spans its 22 rows"
    );
    assert!(!html::texts(&html, "table caption").is_empty());
    assert!(
        html.contains("有效推进外事领域信息公开"),
        "narrative carried over"
    );
    assert!(html.contains("（四）政务公开工作创新举措"));
}

#[test]
fn every_arithmetic_rule_fails_with_its_name_file_and_line() {
    let cases = [
        ("T3-A", 6),
        ("T3-B", 6),
        ("T3-C", 4),
        ("T4-A", 4),
        ("T4-B", 4),
        ("T4-C", 4),
    ];
    for (rule, line) in cases {
        let site = fixture("minimal");
        fs::copy(
            repo().join(format!("tests/fixtures/rules/{rule}.yaml")),
            site.path().join("content/reports/2024.yaml"),
        )
        .unwrap();
        let o = run(&["check", "--root", site.path().to_str().unwrap()]);
        let err = stderr(&o);
        assert!(!o.status.success(), "{rule} must fail: {err}");
        let expected = format!("content/reports/2024.yaml:{line}:");
        assert!(
            err.lines()
                .any(|l| l.starts_with(&expected) && l.contains(&format!("[{rule}]"))),
            "{rule} at {expected}\n{err}"
        );
    }
}

#[test]
fn cross_year_carry_over_is_a_warning_and_strict_makes_it_an_error() {
    let site = fixture("minimal");
    fs::copy(
        repo().join("tests/fixtures/rules/CROSS-YEAR.yaml"),
        site.path().join("content/reports/2023.yaml"),
    )
    .unwrap();
    let root = site.path().to_str().unwrap();
    let o = run(&["check", "--root", root]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("content/reports/2024.yaml:6:") && err.contains("警告 [CROSS-YEAR]"),
        "{err}"
    );
    assert!(!run(&["check", "--root", root, "--strict"]).status.success());
}

#[test]
fn an_acknowledged_rule_becomes_a_warning_shown_on_the_report_page() {
    let site = fixture("minimal");
    let mut text = fs::read_to_string(repo().join("tests/fixtures/rules/T3-A.yaml")).unwrap();
    text.push_str("acknowledged:\n  - rule: T3-A\n    reason: 原报告如此发布，保留原貌\n");
    fs::write(site.path().join("content/reports/2024.yaml"), text).unwrap();
    let out = site.path().join("public");
    let o = build(site.path(), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("警告 [T3-A]"));
    let page = fs::read_to_string(out.join("zwgk/ndbg/2024/index.html")).unwrap();
    assert!(page.contains("原报告如此发布，保留原貌"));
}

#[test]
fn malformed_yaml_and_unknown_keys_are_reported_together_with_file_and_line() {
    let site = fixture("minimal");
    fs::write(
        site.path().join("content/reports/2024.yaml"),
        "year: 2024\nagency: [未闭合\n",
    )
    .unwrap();
    fs::write(
        site.path().join("content/news/拼写错误.md"),
        "---\ntitle: 拼写错误的键\ndate: 2024-05-01\ncatgory: 工作动态\n---\n正文\n",
    )
    .unwrap();
    fs::write(
        site.path().join("content/news/坏日期.md"),
        "---\ntitle: 日期\ndate: 2024-13-01\n---\n正文\n",
    )
    .unwrap();
    let o = run(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("content/reports/2024.yaml:2:9: 错误 [yaml] 方括号 [ 没有配对的 ]"),
        "the unclosed bracket is named where it opens: {err}"
    );
    assert!(
        err.contains("content/news/拼写错误.md:4:1: 错误 [unknown-key] 未知的键 `catgory`"),
        "{err}"
    );
    assert!(
        err.contains("`category`"),
        "the nearest key is suggested: {err}"
    );
    assert!(err.contains("content/news/坏日期.md:3:"), "{err}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = fixture("minimal");
    let out = site.path().join("public");
    assert!(build(site.path(), &out, &[]).status.success());
    let before = read_tree(&out);
    fs::write(
        site.path().join("content/news/坏的.md"),
        "---\ntitle: [\n---\n",
    )
    .unwrap();
    let o = build(site.path(), &out, &[]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("输出文件夹保持原样"));
    assert_eq!(read_tree(&out), before);
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("gongkai"))
        // What the load read holds of the sources whatever the build became (load_memo.rs).
        .filter(|e| e.file_name() != ".public.gongkai-load.bin")
        .collect();
    assert!(leftovers.is_empty(), "no staging folder is left behind");
}

#[test]
fn two_builds_give_identical_bytes_and_unchanged_files_keep_their_time() {
    let site = fixture("minimal");
    let a = site.path().join("a");
    let b = site.path().join("b");
    assert!(build(site.path(), &a, &[]).status.success());
    assert!(build(site.path(), &b, &[]).status.success());
    assert_eq!(read_tree(&a), read_tree(&b));
    let t0 = fs::metadata(a.join("index.html"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let o = build(site.path(), &a, &[]);
    assert!(
        stderr(&o).contains("内容没有变化，未写入任何文件"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::metadata(a.join("index.html"))
            .unwrap()
            .modified()
            .unwrap(),
        t0
    );
    // An edit is rebuilt: only the pages it touches change, the rest keep their time.
    let zwgk_time = fs::metadata(a.join("zwgk/index.html"))
        .unwrap()
        .modified()
        .unwrap();
    let item = site.path().join("content/news/签证办理.md");
    let text = fs::read_to_string(&item)
        .unwrap()
        .replace("签证办理说明。", "签证办理说明（已更新）。");
    fs::write(&item, text).unwrap();
    let o = build(site.path(), &a, &[]);
    assert!(!stderr(&o).contains("内容没有变化"), "{}", stderr(&o));
    assert!(
        fs::read_to_string(a.join("news/2024/签证办理/index.html"))
            .unwrap()
            .contains("已更新")
    );
    // What that build wrote it knows as it left it: the next one has nothing to do.
    let o = build(site.path(), &a, &[]);
    assert!(stderr(&o).contains("内容没有变化"), "{}", stderr(&o));
    assert_eq!(
        fs::metadata(a.join("zwgk/index.html"))
            .unwrap()
            .modified()
            .unwrap(),
        zwgk_time
    );
    // What the edit's build left is what a fresh build of the edited site makes.
    let fresh = site.path().join("fresh");
    assert!(build(site.path(), &fresh, &[]).status.success());
    assert_eq!(read_tree(&a), read_tree(&fresh));
    // A file removed from the output by hand is put back.
    fs::remove_file(a.join("404.html")).unwrap();
    assert!(build(site.path(), &a, &[]).status.success());
    assert!(a.join("404.html").is_file());
    // With nothing changed in the sources, what was put into the output by hand is
    // still seen (a build looks only at what it wrote, and at the folders above it):
    // a file beside a page is removed, a page's folder emptied is made again.
    fs::write(a.join("news/2024/签证办理/旧稿.html"), "旧").unwrap();
    let o = build(site.path(), &a, &[]);
    assert!(!stderr(&o).contains("内容没有变化"), "{}", stderr(&o));
    assert!(!a.join("news/2024/签证办理/旧稿.html").exists());
    fs::remove_dir_all(a.join("news/2024/签证办理")).unwrap();
    assert!(build(site.path(), &a, &[]).status.success());
    assert_eq!(read_tree(&a), read_tree(&fresh));
    let o = build(site.path(), &a, &[]);
    assert!(stderr(&o).contains("内容没有变化"), "{}", stderr(&o));
}

#[test]
fn attachments_are_copied_and_listed_and_a_missing_one_names_its_line() {
    let site = fixture("minimal");
    let out = site.path().join("public");
    assert!(build(site.path(), &out, &[]).status.success());
    let dir = out.join("news/2024/领事认证");
    assert!(dir.join("申请表（样表）.docx").is_file());
    let page = fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(page.contains("DOCX · 22 B"), "format and size are listed");
    fs::remove_file(site.path().join("content/news/申请表（样表）.docx")).unwrap();
    let o = run(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(
        stderr(&o).contains("content/news/领事认证.md:6:") && stderr(&o).contains("[attachment]"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_broken_link_in_content_is_an_error_at_its_line() {
    let site = fixture("minimal");
    fs::write(
        site.path().join("content/news/断链.md"),
        "---\ntitle: 断链\ndate: 2024-06-01\n---\n\n第一段。\n\n请看[办事指南](/zwgk/不存在/)。\n",
    )
    .unwrap();
    let o = run(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("content/news/断链.md:8:") && err.contains("[broken-link]"),
        "{err}"
    );
}

#[test]
fn init_writes_a_site_that_builds_as_is_and_new_report_adds_a_skeleton() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("新网站");
    let o = run(&[
        "init",
        site.to_str().unwrap(),
        "--agency",
        "某县人民政府办公室",
        "--year",
        "2024",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = build(&site, &site.join("public"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !site.join("public/zwgk/ndbg/2024/index.html").exists(),
        "the report skeleton is a draft"
    );
    // What the build wrote and kept beside its output is no part of a commit.
    assert!(site.join(".public.gongkai-load.bin").is_file());
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(&site)
            .output()
            .expect("git runs")
    };
    assert!(git(&["init", "-q"]).status.success());
    let status = String::from_utf8(git(&["status", "--porcelain", "-uall"]).stdout).unwrap();
    assert!(status.contains("site.toml"), "{status}");
    assert!(
        !status.contains("public"),
        "the output and the files beside it are ignored: {status}"
    );
    let o = run(&["new", "report", "2025", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let skeleton = fs::read_to_string(site.join("content/reports/2025.yaml")).unwrap();
    assert!(skeleton.contains("agency: 某县人民政府办公室"));
    assert!(skeleton.contains("# 1.属于国家秘密"));
    assert!(skeleton.contains("\ndraft: true"));
    assert!(
        run(&["check", "--root", site.to_str().unwrap()])
            .status
            .success()
    );
    fs::write(site.join("content/reports/2025.yaml"), "year: 2025\n").unwrap();
    let o = run(&["new", "report", "2025", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("已经存在"), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(site.join("content/reports/2025.yaml")).unwrap(),
        "year: 2025\n",
        "never overwrites"
    );
}

#[test]
fn an_output_folder_holding_the_site_is_refused() {
    let site = fixture("minimal");
    let o = build(site.path(), site.path(), &[]);
    assert!(!o.status.success());
    assert!(
        site.path().join("site.toml").is_file(),
        "nothing of the site was touched"
    );
}

#[test]
fn a_site_under_a_sub_path_keeps_the_path_in_every_link() {
    let site = fixture("minimal");
    let out = site.path().join("public");
    let o = build(
        site.path(),
        &out,
        &["--base-url", "https://www.example.gov.cn/测试局/"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let page = fs::read_to_string(out.join("news/2024/领事认证/index.html")).unwrap();
    assert!(
        page.contains("href=\"/测试局/news/2024/签证办理/\""),
        "content links get the base path"
    );
    assert!(page.contains("href=\"/测试局/assets/gongkai.css\""));
}

#[test]
fn duplicate_years_and_urls_are_errors_and_check_writes_nothing() {
    let site = fixture("minimal");
    fs::copy(
        site.path().join("content/reports/2024.yaml"),
        site.path().join("content/reports/2024-副本.yaml"),
    )
    .unwrap();
    fs::create_dir_all(site.path().join("content/news/旧")).unwrap();
    fs::copy(
        site.path().join("content/news/签证办理.md"),
        site.path().join("content/news/旧/签证办理.md"),
    )
    .unwrap();
    let o = run(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("[duplicate-year]") && err.contains("2024-副本.yaml"),
        "{err}"
    );
    assert!(
        err.contains("[duplicate-url]") && err.contains("/news/2024/签证办理/"),
        "{err}"
    );
    assert!(!site.path().join("public").exists(), "check writes nothing");
}

/// Every text file of `dir` as Windows Notepad saves it: CRLF line ends and a UTF-8 BOM.
fn as_notepad_saves(dir: &Path) {
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let p = e.path();
        let text_file = ["toml", "md", "yaml", "html", "typ"]
            .iter()
            .any(|x| p.extension().is_some_and(|e| e == *x));
        if e.file_type().is_file() && text_file {
            let text = fs::read_to_string(p).unwrap().replace('\n', "\r\n");
            fs::write(p, format!("\u{feff}{text}")).unwrap();
        }
    }
}

#[test]
fn files_saved_by_notepad_give_the_same_site_in_a_chinese_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, notepad) = (dir.path().join("我的网站"), dir.path().join("记事本 网站"));
    for site in [&plain, &notepad] {
        for part in ["site.toml", "content", "themes"] {
            let from = repo().join(part);
            if from.is_dir() {
                copy_dir(&from, &site.join(part));
            } else {
                fs::create_dir_all(site).unwrap();
                fs::copy(&from, site.join(part)).unwrap();
            }
        }
    }
    as_notepad_saves(&notepad);
    let o = run(&["check", "--root", notepad.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for site in [&plain, &notepad] {
        let o = build(site, &site.join("public"), &[]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (a, b) = (
        read_tree(&plain.join("public")),
        read_tree(&notepad.join("public")),
    );
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert!(x == y, "{} differs between LF and CRLF+BOM sources", x.0);
    }
}

#[test]
fn a_gbk_or_utf16_file_is_named_never_misread() {
    let site = fixture("minimal");
    // 外事动态 in GBK, on line 2 of the front matter.
    fs::write(
        site.path().join("content/news/签证办理.md"),
        b"---\r\ntitle: \xCD\xE2\xCA\xC2\xB6\xAF\xCC\xAC\r\ndate: 2024-01-01\r\n---\r\n",
    )
    .unwrap();
    let config = site.path().join("site.toml");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            fs::read_to_string(&config)
                .unwrap()
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let o = run(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/news/签证办理.md:2:1: 错误 [encoding] 文件是 GBK（GB2312）编码")
            && err.contains("另存为")
            && err.contains("UTF-8"),
        "{err}"
    );
    fs::write(&config, utf16).unwrap();
    let err = stderr(&run(&["check", "--root", site.path().to_str().unwrap()]));
    assert!(
        err.contains("site.toml: 错误 [encoding] 文件是 UTF-16"),
        "{err}"
    );
}
