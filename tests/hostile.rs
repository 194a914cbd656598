//! Hostile and careless input (issue 13, items 11 and 15): figures that overflow, dates
//! and titles that are not, control characters, URLs and names the file system or a
//! feed reader cannot take. Each is driven through the real binary on a copy of the
//! example site and must give a Chinese error at its file and line, never a panic, a
//! wrong sum or a broken page.

#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tree::{copy_dir, repo};

/// A copy of the example site (site.toml, content, themes) as `<tmp>/site`.
fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    fs::create_dir(&root).unwrap();
    fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
    copy_dir(&repo().join("content"), &root.join("content"));
    copy_dir(&repo().join("themes"), &root.join("themes"));
    (dir, root)
}

fn gongkai(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

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
