//! What an editor typing Chinese meets in `check`, from the real binary: skeletons that
//! stay drafts, fixes before acknowledgements, slips of Chinese typing named at their
//! line, and the year-to-year flow of reports (issue 17, items 4, 5, 6 and 8).

#[path = "support/cli.rs"]
mod cli;
#[path = "support/tree.rs"]
mod tree;

use std::path::Path;

use cli::{read, run_in, stderr, write};

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    tree::copy_dir(&tree::repo().join("tests/fixtures/minimal"), dir.path());
    dir
}

/// `gongkai check` in `root`: (succeeded, what it printed).
fn check(root: &Path) -> (bool, String) {
    let o = run_in(root, &["check"]);
    (o.status.success(), stderr(&o))
}

/// The lines of `out` that start a diagnostic.
fn problems(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.contains(": 错误 [") || l.contains(": 警告 ["))
        .collect()
}

/// Removes the `draft: true` line of a file, as an editor does to publish it.
fn publish(root: &Path, rel: &str) {
    let text = read(root, rel);
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("draft: true"))
        .collect();
    write(root, rel, kept.join("\n") + "\n");
}

#[test]
fn a_new_report_is_a_draft_and_its_skeleton_text_cannot_go_live() {
    let dir = site();
    let root = dir.path();
    let o = run_in(root, &["new", "report", "2025"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("草稿"), "{}", stderr(&o));
    let o = run_in(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!root.join("public/zwgk/ndbg/2025").exists(), "a draft");
    publish(root, "content/reports/2025.yaml");
    let (ok, out) = check(root);
    assert!(!ok, "{out}");
    let left: Vec<&str> = problems(&out)
        .into_iter()
        .filter(|l| l.contains("[placeholder]"))
        .collect();
    assert_eq!(left.len(), 3, "{out}");
    assert!(
        left[0].starts_with("content/reports/2025.yaml:")
            && left[0].contains("“一、总体情况”还是骨架里的提示文字"),
        "{out}"
    );
}

#[test]
fn the_sample_news_of_init_is_a_draft_and_cannot_go_live_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["init", "网站", "--year", "2024"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let root = dir.path().join("网站");
    let o = run_in(&root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!read(&root, "public/index.html").contains("示例新闻"));
    publish(&root, "content/news/网站开通.md");
    let (ok, out) = check(&root);
    assert!(!ok, "{out}");
    assert!(
        out.contains("content/news/网站开通.md:")
            && out.contains("错误 [placeholder] 正文还是示例或骨架里的文字"),
        "{out}"
    );
}

const T3B_WRONG: &str = "agency: 某市人民政府测试局\napplications:\n  new_received: [3, 0, 0, 0, 0, 0, 3]\n  granted: [3, 0, 0, 0, 0, 0, 3]\n  total_processed: [2, 0, 0, 0, 0, 0, 2]\n  carried_forward: [1, 0, 0, 0, 0, 0, 1]\n";

#[test]
fn a_report_being_written_is_told_the_fix_not_how_to_acknowledge() {
    let dir = site();
    let root = dir.path();
    std::fs::remove_file(root.join("content/reports/2024.yaml")).unwrap();
    write(
        root,
        "content/reports/2030.yaml",
        format!("year: 2030\n{T3B_WRONG}"),
    );
    let (ok, out) = check(root);
    assert!(!ok, "{out}");
    assert!(out.contains("错误 [T3-B]"), "{out}");
    assert!(out.contains("改为 3，或者删去这一格让它自动计算"), "{out}");
    assert!(!out.contains("acknowledged"), "{out}");
}

#[test]
fn a_reproduced_report_is_offered_acknowledgement_after_the_fix() {
    for (file, head) in [
        ("content/reports/2019.yaml", "year: 2019\n"),
        (
            "content/reports/2030.yaml",
            "year: 2030\nimported_from: 2030年报告.pdf\n",
        ),
    ] {
        let dir = site();
        let root = dir.path();
        write(root, file, format!("{head}{T3B_WRONG}"));
        let (ok, out) = check(root);
        assert!(!ok, "{out}");
        let fix = out.find("改为 3").expect(&out);
        let ack = out.find("acknowledged:").expect(&out);
        assert!(fix < ack, "the fix comes first: {out}");
        assert!(
            out.contains("reason: 原报告发布时即如此，照原样保留"),
            "{out}"
        );
    }
}

#[test]
fn a_stand_in_reason_is_rejected() {
    let dir = site();
    let root = dir.path();
    write(
        root,
        "content/reports/2019.yaml",
        format!("year: 2019\n{T3B_WRONG}acknowledged:\n  - rule: T3-B\n    reason: 说明原因\n"),
    );
    let (ok, out) = check(root);
    assert!(!ok, "{out}");
    assert!(
        out.contains("content/reports/2019.yaml:10:5: 错误 [acknowledged] 确认规则 T3-B 的原因“说明原因”是占位文字"),
        "{out}"
    );
    let o = run_in(root, &["build"]);
    assert!(!o.status.success());
    assert!(
        !root.join("public").exists(),
        "nothing printed （说明：说明原因）"
    );
}

#[test]
fn slips_of_chinese_typing_are_named_at_their_line_with_the_fix() {
    let dir = site();
    let root = dir.path();
    write(
        root,
        "content/reports/2023.yaml",
        "year: 2023\nagency：某市人民政府测试局\n",
    );
    write(
        root,
        "content/reports/2022.yaml",
        "year: 2022\n\tagency: 某市人民政府测试局\n",
    );
    write(
        root,
        "content/reports/2021.yaml",
        "year: 2021\nagency: 某市人民政府测试局\napplications:\n  new_received: [12，3，0]\n",
    );
    write(
        root,
        "content/news/日期.md",
        "---\ntitle: 日期\ndate: 2024年12月20日\n---\n正文。\n",
    );
    let (ok, out) = check(root);
    assert!(!ok, "{out}");
    for want in [
        "content/reports/2023.yaml:2:7: 错误 [yaml] 键 `agency` 后面用了中文冒号“：”",
        "修改建议：改成英文冒号加一个空格：agency: 某市人民政府测试局",
        "content/reports/2022.yaml:2:1: 错误 [yaml] 这一行用了 Tab 缩进",
        "content/reports/2021.yaml:4:3: 错误 [row-comma] 这一行的数字之间用了中文逗号“，”",
        "修改建议：数字之间用英文逗号加空格：[12, 3, 0]",
        "content/news/日期.md:3:7: 错误 [yaml] 日期 `2024年12月20日` 的写法不对",
        "修改建议：日期写成 年-月-日：2024-12-20。",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
    write(
        root,
        "site.toml",
        read(root, "site.toml").replace("title = ", "title："),
    );
    let (ok, out) = check(root);
    assert!(!ok);
    assert!(
        out.contains("site.toml:1:6: 错误 [toml] 这一行用了中文冒号“：”"),
        "{out}"
    );
}

#[test]
fn an_upload_target_written_as_a_list_of_tables_is_told_in_tomls_words() {
    let dir = site();
    let root = dir.path();
    let toml = read(root, "site.toml");
    write(
        root,
        "site.toml",
        format!("{toml}\n[[deploy]]\nkind = \"folder\"\npath = \"/tmp/网站\"\n"),
    );
    let (ok, out) = check(root);
    assert!(!ok);
    assert!(
        out.contains(
            "错误 [toml] 这里应当是一个表（[名称] 下面各行写“键 = 值”），写的却是一个列表"
        ),
        "{out}"
    );
    assert!(out.contains("[名称.甲]"), "{out}");
    assert!(
        !out.contains("键: 值"),
        "YAML's way of writing is not TOML's: {out}"
    );
}

#[test]
fn chinese_labels_one_character_off_and_rows_in_the_wrong_group_are_named() {
    let dir = site();
    let root = dir.path();
    write(
        root,
        "content/reports/2024.yaml",
        "year: 2024\nagency: 某市人民政府测试局\napplications:\n  new_received: {商业公司: 1}\n  部份公开: [1, 0, 0, 0, 0, 0, 1]\n  denied:\n    not_held: [1, 0, 0, 0, 0, 0, 1]\n",
    );
    let (ok, out) = check(root);
    assert!(!ok, "{out}");
    for want in [
        "content/reports/2024.yaml:4:18: 错误 [unknown-key] 表三中没有名为 `商业公司` 的列",
        "是不是想写“商业企业”（commercial）？",
        "content/reports/2024.yaml:5:3: 错误 [unknown-key] 表三中没有名为 `部份公开` 的行",
        "是不是想写“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”（partial）？",
        "content/reports/2024.yaml:7:5: 错误 [wrong-group] “1.本机关不掌握相关政府信息”（not_held）属于“（四）无法提供”，不在“（三）不予公开”下",
        "把这一行移到 unable: 下面",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
}

#[test]
fn rule_errors_that_may_follow_from_a_misread_row_come_after_it() {
    let dir = site();
    let root = dir.path();
    write(
        root,
        "content/reports/2024.yaml",
        "year: 2024\nagency: 某市人民政府测试局\napplications:\n  new_received: [1, 0, 0, 0, 0, 0, 1]\n  total_processed: [1, 0, 0, 0, 0, 0, 1]\n  grnated: [1, 0, 0, 0, 0, 0, 1]\n",
    );
    let (ok, out) = check(root);
    assert!(!ok, "{out}");
    let lines = problems(&out);
    let typo = lines
        .iter()
        .position(|l| l.contains("`grnated`"))
        .expect(&out);
    let rule = lines.iter().position(|l| l.contains("[T3-B]")).expect(&out);
    assert!(typo < rule, "the cause first: {out}");
    assert!(out.contains("可能是它们引起了这一条"), "{out}");
}

#[test]
fn new_report_carries_last_years_carry_forward_and_init_then_new_report_agree() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "init",
            "县",
            "--agency",
            "某县人民政府办公室",
            "--year",
            "2024",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let root = dir.path().join("县");
    let o = run_in(&root, &["new", "report", "2024"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("已经存在"), "{}", stderr(&o));
    write(
        &root,
        "content/reports/2024.yaml",
        "year: 2024\nagency: 某县人民政府办公室\napplications:\n  new_received: [5, 2, 0, 0, 0, 0]\n  granted: [3, 1, 0, 0, 0, 0]\n  carried_forward: [2, 1, 0, 0, 0, 0]\n",
    );
    let o = run_in(&root, &["new", "report", "2025"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("已照 2024 年报告"), "{}", stderr(&o));
    let skeleton = read(&root, "content/reports/2025.yaml");
    assert!(
        skeleton.contains("  carried_over: [2, 1, 0, 0, 0, 0]"),
        "{skeleton}"
    );
    publish(&root, "content/reports/2025.yaml");
    let (_, out) = check(&root);
    assert!(!out.contains("CROSS-YEAR"), "{out}");
}

#[test]
fn the_cross_year_warning_is_printed_once() {
    let dir = site();
    let root = dir.path();
    write(
        root,
        "content/reports/2025.yaml",
        "year: 2025\nagency: 某市人民政府测试局\napplications:\n  new_received: [1, 1, 0, 0, 0, 0]\n  carried_over: [0, 1, 0, 0, 0, 0]\n  granted: [1, 2, 0, 0, 0, 0]\n",
    );
    let (_, out) = check(root);
    let cross: Vec<&str> = problems(&out)
        .into_iter()
        .filter(|l| l.contains("[CROSS-YEAR]"))
        .collect();
    assert_eq!(cross.len(), 1, "{out}");
    assert!(
        cross[0].contains("自然人 0≠1") && cross[0].contains("商业企业 1≠0"),
        "{out}"
    );
    assert!(out.contains("carried_over: [1, 0, 0, 0, 0, 0, 1]"), "{out}");
}

#[test]
fn a_draft_reports_problems_as_warnings_and_the_site_still_builds() {
    let dir = site();
    let root = dir.path();
    write(
        root,
        "content/reports/2025.yaml",
        "year: 2025\nagency: 某市人民政府测试局\ndraft: true\napplications:\n  new_received: [3, 0, 0, 0, 0, 0, 3]\n  granted: [1, 0, 0, 0, 0, 0, 1]\n",
    );
    let o = run_in(root, &["build"]);
    let out = stderr(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("content/reports/2025.yaml:5:3: 警告 [T3-A] （草稿）表三“自然人”列"),
        "{out}"
    );
    assert!(
        out.contains(
            "草稿，没有发布（写好后删去其中的 draft: true 一行）：content/reports/2025.yaml"
        ),
        "{out}"
    );
    assert!(!root.join("public/zwgk/ndbg/2025").exists());
    assert!(root.join("public/zwgk/ndbg/2024/index.html").is_file());
}

#[test]
fn an_imported_report_says_where_it_came_from_so_acknowledgement_is_offered() {
    let dir = tempfile::tempdir().unwrap();
    let source = tree::repo().join("tests/fixtures/import/report.html");
    let o = run_in(
        dir.path(),
        &["import", source.to_str().unwrap(), "-o", "r.yaml"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let yaml = read(dir.path(), "r.yaml");
    assert!(
        yaml.lines()
            .any(|l| l.starts_with("imported_from: ") && l.contains("report.html")),
        "{yaml}"
    );
}

#[test]
fn a_report_is_never_made_outside_a_site_folder() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["report", "website-report"] {
        let o = run_in(dir.path(), &["new", kind, "2025"]);
        assert!(!o.status.success(), "{kind}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("没有 site.toml，不是网站文件夹"),
            "{kind}: {err}"
        );
        assert!(!err.contains("os error"), "{kind}: {err}");
    }
    assert!(!dir.path().join("content").exists(), "nothing was written");
    let o = run_in(dir.path(), &["check"]);
    assert!(stderr(&o).contains("这里没有 site.toml"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("os error"), "{}", stderr(&o));
}
