//! A site's hostile inputs on the newer surfaces (issue 25, items 5, 7, 8, 9 and 10): a
//! link inside the output folder, file names a Windows (IIS) host refuses or merges,
//! personal numbers in the spellings people write, word lists and replacement rules of
//! hostile size, `--relative` output and a request with two Host headers. Each is driven
//! through the real binary on a copy of the example site; the hostile files are made
//! here, because names such as `CON.txt` or `c:olon.txt` cannot be kept in a repository
//! that is checked out on Windows.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/serve.rs"]
mod serve;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::Path;
use std::process::Output;

use cli::{ok, run_at as gongkai, stderr};
use tree::{copy_dir, example, repo, tree_of};

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

#[cfg(unix)]
#[test]
fn a_link_inside_the_output_is_refused_and_nothing_is_written_through_it() {
    let (dir, root) = example();
    ok(gongkai(&root, &["build"]));
    let out = root.join("public");
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::write(elsewhere.join("mine.txt"), "别人的文件").unwrap();
    fs::remove_dir_all(out.join("archive")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("archive")).unwrap();
    let before = tree_of(&out);
    // A change, so that the build has files to write.
    let item = fs::read_dir(root.join("content/news/2023"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let text = fs::read_to_string(&item).unwrap();
    fs::write(&item, format!("{text}\n补充一句。\n")).unwrap();
    let err = failed(gongkai(&root, &["build"]));
    assert!(
        err.contains("里有链接：archive（指向") && err.contains("删除这些链接"),
        "{err}"
    );
    assert!(
        !err.contains("磁盘空间"),
        "the fix is the links', not the disk's: {err}"
    );
    assert_eq!(tree_of(&out), before, "the output as it was");
    assert_eq!(
        fs::read_dir(&elsewhere).unwrap().count(),
        1,
        "nothing written into the linked folder"
    );
    // With the link removed, the build puts archive/ back and says it is complete.
    fs::remove_file(out.join("archive")).unwrap();
    ok(gongkai(&root, &["build"]));
    assert!(out.join("archive/index.html").is_file());
    let manifest = fs::read_to_string(out.join(".gongkai-build.json")).unwrap();
    assert!(manifest.contains("\"complete\": true"), "{manifest}");
}

/// The names of copied files a Windows host refuses or takes as another's, each with
/// what the error must say.
const HOSTILE_NAMES: [(&str, &str); 11] = [
    ("c:olon.txt", "不接受的字符 :"),
    ("what?.txt", "不接受的字符 ?"),
    ("a<b>.txt", "不接受的字符 <>"),
    ("say\"hi\".txt", "不接受的字符 \"\""),
    ("pipe|star*.txt", "不接受的字符 |*"),
    ("back\\slash.txt", "会被当成文件夹的分隔"),
    ("..\\..\\x.txt", "会被当成文件夹的分隔"),
    ("trailing.", "以点或空格结尾"),
    ("trailing ", "以点或空格结尾"),
    ("CON.txt", "Windows 保留的设备名"),
    ("nul", "Windows 保留的设备名"),
];

/// Puts every hostile name, a case twin and an NFC/NFD twin into the `static/` folder
/// at `dir`.
fn hostile_static(dir: &Path) {
    let s = dir.join("static/files");
    fs::create_dir_all(&s).unwrap();
    for (name, _) in HOSTILE_NAMES {
        fs::write(s.join(name), "内容").unwrap();
    }
    fs::write(s.join("通知A.pdf"), "甲").unwrap();
    fs::write(s.join("通知a.pdf"), "乙").unwrap();
    // `é` composed (U+00E9) and decomposed (e U+0301).
    fs::write(s.join("caf\u{e9}.txt"), "一").unwrap();
    fs::write(s.join("cafe\u{301}.txt"), "二").unwrap();
}

/// Every hostile name of [`hostile_static`] is an error at its file in `err`, under
/// `prefix` (`` or a member's folder).
fn all_named(err: &str, prefix: &str) {
    for (name, why) in HOSTILE_NAMES {
        let file = format!("{prefix}static/files/{name}");
        assert!(
            err.lines().any(|l| l.starts_with(&file) && l.contains(why)),
            "{file}: {why}\n{err}"
        );
    }
    assert!(
        err.contains("`files/通知a.pdf` 和 `files/通知A.pdf` 只差大小写"),
        "{err}"
    );
    let (nfc, nfd) = ("files/caf\u{e9}.txt", "files/cafe\u{301}.txt");
    assert!(
        err.contains(&format!("`{nfc}` 和 `{nfd}` 只差"))
            || err.contains(&format!("`{nfd}` 和 `{nfc}` 只差")),
        "{err}"
    );
}

#[test]
fn names_a_windows_host_refuses_or_merges_are_errors_at_the_file() {
    let (_dir, root) = example();
    hostile_static(&root);
    // Two attachments of one item that differ only in case.
    let news = root.join("content/news/2023");
    let item = fs::read_dir(&news)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .min()
        .unwrap();
    fs::write(news.join("表格.PDF"), "%PDF-1.7").unwrap();
    fs::write(news.join("表格.pdf"), "%PDF-1.7 另一个").unwrap();
    let text = fs::read_to_string(&item).unwrap();
    let front = "---\nattachments:\n  - file: 表格.PDF\n    title: 表一\n  - file: 表格.pdf\n    title: 表二\n";
    fs::write(
        &item,
        front.to_string() + text.strip_prefix("---\n").unwrap(),
    )
    .unwrap();
    let err = failed(gongkai(&root, &["check"]));
    all_named(&err, "");
    let rel = item
        .strip_prefix(&root)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        err.lines()
            .any(|l| l.starts_with(&rel) && l.contains("附件 `表格.") && l.contains("只差大小写")),
        "{err}"
    );
    assert!(
        err.contains("给文件改个名字"),
        "the fix in plain words: {err}"
    );
    let o = gongkai(&root, &["build"]);
    failed(o);
    assert!(!root.join("public").exists(), "nothing published");
}

#[test]
fn a_group_member_is_held_to_the_same_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("group");
    copy_dir(&repo().join("tests/fixtures/group"), &root);
    hostile_static(&root.join("sites/waiban"));
    let err = failed(gongkai(&root, &["check"]));
    all_named(&err, "sites/waiban/");
}

#[test]
fn the_preview_shows_the_names_a_windows_host_refuses() {
    let (_dir, root) = example();
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/CON.txt"), "内容").unwrap();
    let s = serve::Served::start(&root, &[]);
    let page = || {
        let mut body = String::new();
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        use std::io::{Read, Write};
        stream
            .write_all(b"GET /news/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .unwrap();
        stream.read_to_string(&mut body).unwrap();
        body
    };
    serve::until("the findings panel", || page().contains("gongkai-findings"));
    let body = page();
    assert!(
        body.contains("static/CON.txt") && body.contains("Windows 保留的设备名"),
        "{}",
        &body[body.find("gongkai-findings").unwrap_or(0)..]
    );
}

#[test]
fn personal_numbers_are_found_in_the_spellings_people_write_and_nothing_else() {
    let corpus = fs::read_to_string(repo().join("tests/fixtures/privacy/spellings.txt")).unwrap();
    let (_dir, root) = example();
    let head = "---\ntitle: 联系方式更正\ndate: 2023-12-29\ncategory: 外事动态\n---\n";
    let mut body = String::from(head);
    // Each case a paragraph of its own, with the line it starts on.
    let mut cases: Vec<(bool, usize, &str)> = Vec::new();
    for line in corpus.lines() {
        let (expect, text) = match line.split_at_checked(2) {
            Some(("+ ", t)) => (true, t),
            Some(("- ", t)) => (false, t),
            _ => continue,
        };
        cases.push((expect, body.lines().count() + 1, line));
        body.push_str(&text.replace('⏎', "\n"));
        body.push_str("\n\n");
    }
    let file = "content/news/2023/联系方式更正.md";
    fs::write(root.join(file), body).unwrap();
    let err = failed(gongkai(&root, &["check"]));
    let found: Vec<usize> = err
        .lines()
        .filter(|l| l.starts_with(file) && l.contains("[privacy."))
        .filter_map(|l| l[file.len() + 1..].split(':').next()?.parse().ok())
        .collect();
    for (expect, n, line) in cases {
        assert_eq!(found.contains(&n), expect, "line {n}, {line}:\n{err}");
    }
}

/// A word list of 200,000 entries and a rule that matches every other character of a
/// 100,000-character paragraph: each phrase is looked for once per text, not once per
/// word, and one phrase is listed at most 10 times a line (issue 25, item 9). The time
/// is a benchmark's business; this says what is found.
#[test]
fn a_huge_word_list_and_a_rule_matching_everywhere_are_read_in_one_pass() {
    let (dir, root) = example();
    let words = dir.path().join("词表.txt");
    let mut list = String::from("人 => 人人\n");
    for i in 0..200_000 {
        list.push_str(&format!("错词{i:06} => 对词{i:06}\n"));
    }
    fs::write(&words, list).unwrap();
    let file = "content/news/2023/长段落.md";
    let paragraph = "人。".repeat(50_000);
    fs::write(
        root.join(file),
        format!(
            "---\ntitle: 长段落\ndate: 2023-12-29\ncategory: 外事动态\n---\n\n人人都写了错词000007和错词199999。\n\n{paragraph}\n"
        ),
    )
    .unwrap();
    let o = gongkai(&root, &["check", "--words", words.to_str().unwrap()]);
    let err = stderr(&o);
    let at = |line: usize| format!("{file}:{line}:");
    for w in ["错词000007", "错词199999"] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&at(7)) && l.contains(&format!("“{w}”是错误"))),
            "{w}: {err}"
        );
    }
    assert!(
        !err.lines()
            .any(|l| l.starts_with(&at(7)) && l.contains("“人”")),
        "人人 is the right phrase: {err}"
    );
    let long: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with(&at(9)) && l.contains("“人”"))
        .collect();
    assert_eq!(long.len(), 10, "{err}");
    assert!(
        long[9].contains("这一行共有 50000 处，只列出前 10 处"),
        "{err}"
    );
}

/// `--relative` output opened from disk: no page keeps a link from the root of the disk,
/// not in `<noscript>` (text to the rewriter) nor in the catalogue's `data-src`.
#[test]
fn relative_output_keeps_no_link_from_the_root_anywhere() {
    let (_dir, root) = example();
    ok(gongkai(&root, &["build", "--relative"]));
    let out = root.join("public");
    let mut pages = 0;
    for (path, bytes) in tree_of(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        for attr in ["href", "src", "data-src", "action"] {
            for quote in ['"', '\''] {
                let from_root = format!(" {attr}={quote}/");
                for (i, _) in html.match_indices(&from_root) {
                    let next = html[i + from_root.len()..].chars().next();
                    assert_eq!(
                        next,
                        Some('/'),
                        "{path}: {}",
                        &html[i..(i + 80).min(html.len())]
                    );
                }
            }
        }
    }
    assert!(pages > 10, "{pages} pages");
    let search = fs::read_to_string(out.join("search/index.html")).unwrap();
    assert!(
        search.contains("<a href=\"../sitemap/index.html\">网站地图</a>"),
        "{search}"
    );
    let catalogue = fs::read_to_string(out.join("zwgk/gkml/index.html")).unwrap();
    assert!(catalogue.contains("data-src=\"../../zwgk/gkml/catalogue.json\""));
}
