//! A build keeps what it loaded of each news and disclosure item beside its output
//! (`.public.gongkai-load.bin`), and the next build takes an item from there while the
//! item's file has the size and time it had and the files beside it that it names
//! (attachments, pictures) are as they were. Each case ends with the output byte for byte
//! what a fresh build of the site makes, and the same problems told.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use cli::{PNG, build_into, ok, read, set_time, stderr, write};
use tree::{differing, example, shown, tree_of};

const NEWS: &str = "content/news/2023/会议现场.md";
const NOTICE: &str = "content/disclosure/采购公告.md";
const ATTACHMENT: &str = "content/disclosure/attachments/采购文件.txt";
const PICTURE: &str = "content/news/2023/会议现场.png";

/// The example site with a news item that shows a picture beside it, a disclosure item
/// with an attachment, and a draft, all settled.
fn site() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, root) = example();
    write(
        &root,
        NEWS,
        "---\ntitle: 外事工作会议现场\ndate: 2023-11-02\ncategory: 外事动态\n---\n\n会议在市政府三楼召开。\n\n![会议现场](会议现场.png)\n",
    );
    write(&root, PICTURE, PNG);
    write(
        &root,
        NOTICE,
        "---\ntitle: 2023年外事服务采购公告\ndate: 2023-10-09 09:30\nkind: item\ncategory: 其他法定公开信息\n附件:\n  - 文件: 采购文件.txt\n    标题: 采购文件\n---\n\n采购项目的需求和报名方式见附件。\n",
    );
    write(&root, ATTACHMENT, "采购需求：翻译服务一项。\n");
    write(
        &root,
        "content/news/2023/草稿.md",
        "---\ntitle: 还没写完的新闻\ndate: 2023-12-01\ndraft: true\n---\n\n待补充。\n",
    );
    cli::settle(&root.join("content"));
    (dir, root)
}

/// [`site`] built once into `public/`, and where its load memo is kept.
fn built() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let (dir, root) = site();
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    let memo = dir.path().join(".public.gongkai-load.bin");
    (dir, root, out, memo)
}

/// Builds `root` into a fresh folder beside `out` and asserts `out` holds the same files,
/// and that `told` (the build into `out`) told the same problems.
fn same_as_fresh(root: &Path, out: &Path, told: &str) {
    let fresh = out.with_file_name("fresh");
    let _ = fs::remove_dir_all(&fresh);
    let _ = fs::remove_file(fresh.with_file_name(".fresh.gongkai-load.bin"));
    let o = build_into(root, &fresh, &[]);
    assert_eq!(problems(told), problems(&stderr(&o)));
    let differ = differing(out, &fresh);
    assert!(differ.is_empty(), "differ from a fresh build: {differ:?}");
}

/// The lines of a build's report that tell a problem (not its figures or its time).
fn problems(told: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = told
        .lines()
        .filter(|l| l.contains("错误") || l.contains("警告") && !l.starts_with("构建"))
        .filter(|l| !l.contains("用时"))
        .collect();
    lines.sort_unstable();
    lines
}

/// Gives `rel` new text of the same length and its old time back, and changes another
/// item so that the build has something to do: a build that takes `rel` from the memo
/// shows its old text. Returns (old words, new words).
fn rewrite_behind_the_stamp(root: &Path, rel: &str) -> (&'static str, &'static str) {
    let (old, new) = ("会议在市政府三楼召开", "会议在市政府五楼召开");
    cli::rewrite_behind_the_stamp(&root.join(rel), old, new);
    cli::append_paragraph(root, "content/news/2023/新闻发布会.md", "会后答记者问。");
    (old, new)
}

#[test]
fn an_item_whose_file_has_its_size_and_time_is_taken_from_the_memo() {
    let (dir, root) = site();
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    assert!(dir.path().join(".public.gongkai-load.bin").is_file());

    // The memo, not the file, is what the next build shows: proof that it is read.
    let (old, new) = rewrite_behind_the_stamp(&root, NEWS);
    ok(build_into(&root, &out, &[]));
    assert!(shown(&out, old) && !shown(&out, new));
    assert!(
        shown(&out, "会后答记者问"),
        "the changed item is read again"
    );

    // Saved again (a new time), it is read again: then as a fresh build makes it.
    set_time(
        &root.join(NEWS),
        SystemTime::now() - Duration::from_secs(60),
    );
    let told = ok(build_into(&root, &out, &[]));
    assert!(shown(&out, new) && !shown(&out, old));
    same_as_fresh(&root, &out, &told);
}

#[test]
fn an_edit_after_a_build_makes_what_a_fresh_build_makes() {
    let (dir, root) = site();
    let out = dir.path().join("public");
    let first = ok(build_into(&root, &out, &[]));
    same_as_fresh(&root, &out, &first);
    cli::append_paragraph(&root, NEWS, "与会人员参观了外事展览。");
    let told = ok(build_into(&root, &out, &[]));
    same_as_fresh(&root, &out, &told);
    assert!(shown(&out, "与会人员参观了外事展览"));
    // The draft stays out, and is said to be left out, as in a fresh build.
    assert!(told.contains("草稿"), "{told}");
}

#[test]
fn an_attachment_changed_behind_a_kept_item_is_seen() {
    let (dir, root) = site();
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    let longer = "采购需求：翻译服务一项。\n".repeat(200);
    write(&root, ATTACHMENT, &longer);
    let told = ok(build_into(&root, &out, &[]));
    assert_eq!(read(&out, "zwgk/采购公告/采购文件.txt"), longer);
    same_as_fresh(&root, &out, &told);

    // Gone: the item that names it is refused, as in a fresh build, and nothing written.
    fs::remove_file(root.join(ATTACHMENT)).unwrap();
    let before = tree_of(&out);
    let o = build_into(&root, &out, &[]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("找不到附件 `采购文件.txt`"),
        "{}",
        stderr(&o)
    );
    assert_eq!(before, tree_of(&out));
    let fresh = build_into(&root, &dir.path().join("fresh"), &[]);
    assert!(!fresh.status.success());
    assert_eq!(problems(&stderr(&o)), problems(&stderr(&fresh)));
}

#[test]
fn a_picture_removed_behind_a_kept_item_is_seen() {
    let (dir, root) = site();
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    fs::remove_file(root.join(PICTURE)).unwrap();
    let o = build_into(&root, &out, &[]);
    let fresh = build_into(&root, &dir.path().join("fresh"), &[]);
    assert_eq!(o.status.success(), fresh.status.success());
    assert!(
        !o.status.success(),
        "the body links to a picture that is gone"
    );
    assert_eq!(problems(&stderr(&o)), problems(&stderr(&fresh)));
}

#[cfg(unix)]
#[test]
fn an_attachment_turned_into_a_link_out_of_the_site_is_refused() {
    let (dir, root) = site();
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    let outside = dir.path().join("机密.txt");
    fs::write(&outside, "不应公开的内容\n").unwrap();
    fs::remove_file(root.join(ATTACHMENT)).unwrap();
    std::os::unix::fs::symlink(&outside, root.join(ATTACHMENT)).unwrap();
    let before = tree_of(&out);
    let o = build_into(&root, &out, &[]);
    assert!(!o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("附件 `采购文件.txt`"), "{}", stderr(&o));
    assert_eq!(before, tree_of(&out));
    assert!(!shown(&out, "不应公开的内容"));
}

#[test]
fn other_settings_load_every_file_again() {
    let (dir, root) = site();
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    // A column's address is part of each of its items as loaded.
    let toml = read(&root, "site.toml");
    assert!(toml.contains("slug = \"wsdt\""));
    write(&root, "site.toml", toml.replace("wsdt", "waishi"));
    let told = ok(build_into(&root, &out, &[]));
    same_as_fresh(&root, &out, &told);
    assert!(out.join("news/category/waishi").is_dir());
    assert!(!out.join("news/category/wsdt").exists());
    // Numbered pages (`news/2023/t20231102_1/`) are given after the load: the memo keeps
    // what the load made, and the numbers follow on every build.
    let toml = read(&root, "site.toml");
    write(
        &root,
        "site.toml",
        format!("{toml}\n[paths]\nstyle = \"dated\"\n"),
    );
    let told = ok(build_into(&root, &out, &[]));
    same_as_fresh(&root, &out, &told);
    // Taken from the memo under the new settings too.
    let (old, new) = rewrite_behind_the_stamp(&root, NEWS);
    ok(build_into(&root, &out, &[]));
    assert!(shown(&out, old) && !shown(&out, new));
    // Where the site is published changes nothing loaded: the memo still holds.
    let toml = read(&root, "site.toml");
    write(
        &root,
        "site.toml",
        format!(
            "{toml}
[deploy.web]
kind = \"folder\"\npath = \"/srv/web\"\n"
        ),
    );
    cli::append_paragraph(&root, "content/news/2023/新闻发布会.md", "再补一句。");
    ok(build_into(&root, &out, &[]));
    assert!(shown(&out, "再补一句"));
    assert!(shown(&out, old) && !shown(&out, new));
}

/// Where a memo's records start: after the header's two lines.
fn records_start(memo: &[u8]) -> usize {
    let lines = memo.iter().enumerate().filter(|(_, b)| **b == b'\n');
    lines.map(|(i, _)| i + 1).nth(1).unwrap()
}

/// `old` changed to `new` (as many bytes) in the memo at `memo`, in its records' metas
/// or in their bodies only. The memo: two lines of header, then segments, each the
/// lengths of its metas and of its bodies (four bytes each), the metas, the bodies.
fn change_in_memo(memo: &Path, old: &str, new: &str, in_metas: bool) {
    assert_eq!(old.len(), new.len());
    let mut bytes = fs::read(memo).unwrap();
    let mut at = records_start(&bytes);
    let mut changed = 0;
    while at + 8 <= bytes.len() {
        let len = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
        let (metas, bodies) = (len(at), len(at + 4));
        let start = at + 8;
        let part = match in_metas {
            true => start..start + metas,
            false => start + metas..start + metas + bodies,
        };
        let mut i = part.start;
        while i + old.len() <= part.end {
            if &bytes[i..i + old.len()] == old.as_bytes() {
                bytes[i..i + old.len()].copy_from_slice(new.as_bytes());
                changed += 1;
            }
            i += 1;
        }
        at = start + metas + bodies;
    }
    assert!(changed > 0, "the item's words are in the memo");
    fs::write(memo, bytes).unwrap();
}

/// The pages of `out` that show `words`, removed (to be made again).
fn remove_pages_showing(out: &Path, words: &str) {
    let pages: Vec<_> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| fs::read_to_string(e.path()).is_ok_and(|t| t.contains(words)))
        .map(|e| e.into_path())
        .collect();
    assert!(!pages.is_empty());
    for p in &pages {
        fs::remove_file(p).unwrap();
    }
}

/// A site built, an item's words changed in its memo (in the records' metas or in their
/// bodies), the pages that showed them removed, and built again: the words as written are
/// shown, the changed ones nowhere, and the output is a fresh build's.
fn built_after_changing_the_memo(in_metas: bool) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (dir, root, out, memo) = built();
    let (old, new) = ("会议在市政府三楼召开", "会议在市政府五楼召开");
    change_in_memo(&memo, old, new, in_metas);
    remove_pages_showing(&out, old);
    let told = ok(build_into(&root, &out, &[]));
    assert!(shown(&out, old) && !shown(&out, new));
    same_as_fresh(&root, &out, &told);
    (dir, root, out)
}

/// Only the items whose page is made again read their body from the memo: one changed
/// there in place is found then, and nothing made of it is published; the build starts
/// again, reading every file.
#[test]
fn a_body_changed_in_the_memo_is_never_published() {
    let (_dir, root, out) = built_after_changing_the_memo(false);
    // The memo made again is taken from by the next build.
    cli::append_paragraph(&root, "content/news/2023/新闻发布会.md", "会后答记者问。");
    let told = ok(build_into(&root, &out, &[]));
    same_as_fresh(&root, &out, &told);
}

/// What a file was loaded as (its title, summary, the key its pages are known by) is
/// kept with a check: one changed in the memo is not taken, and the file is read again.
#[test]
fn a_record_changed_in_the_memo_is_never_published() {
    built_after_changing_the_memo(true);
}

/// A memo of many more records than files is written anew, with the bodies of the items
/// taken from it read from the old one; the next build reads them from the new one.
#[test]
fn an_overgrown_memo_is_written_anew_with_its_bodies() {
    let (_dir, root, out, memo) = built();
    let bytes = fs::read(&memo).unwrap();
    // After the header's two lines, the records: forty times over, each later one holds.
    let head = records_start(&bytes);
    let mut grown = bytes.clone();
    for _ in 0..40 {
        grown.extend(&bytes[head..]);
    }
    fs::write(&memo, &grown).unwrap();
    cli::append_paragraph(&root, "content/news/2023/新闻发布会.md", "会后答记者问。");
    let told = ok(build_into(&root, &out, &[]));
    same_as_fresh(&root, &out, &told);
    let now = fs::metadata(&memo).unwrap().len() as usize;
    assert!(
        now < grown.len() / 10,
        "written anew: {now} of {}",
        grown.len()
    );
    // Every page made again, every body read from the memo written anew: none fails
    // (a build that found one would have removed the memo and read every file).
    let words = "会议在市政府三楼召开";
    for e in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_some_and(|x| x == "html") {
            fs::remove_file(e.path()).unwrap();
        }
    }
    let told = ok(build_into(&root, &out, &[]));
    assert!(shown(&out, words));
    assert!(memo.is_file(), "no body failed to read back");
    same_as_fresh(&root, &out, &told);
}

/// With the index keeping a few characters of each text, a kept item's text is cut
/// from its body read back: the index updated after an edit is the one made afresh.
#[test]
fn an_index_of_cut_texts_is_updated_from_kept_bodies() {
    let (dir, root) = site();
    let config = read(&root, "site.toml");
    write(
        &root,
        "site.toml",
        format!("{config}\n[search]\nbody_chars = 8\n"),
    );
    cli::settle(&root.join("content"));
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    cli::append_paragraph(&root, NEWS, "与会人员参观了外事展览。");
    let told = ok(build_into(&root, &out, &[]));
    same_as_fresh(&root, &out, &told);
    let texts = fs::read_to_string(out.join("search/t/0.json")).unwrap();
    assert!(texts.contains("会议在市政府三楼"), "{texts}");
}

#[test]
fn a_broken_memo_costs_only_a_full_load() {
    let (_dir, root, out, memo) = built();
    let bytes = fs::read(&memo).unwrap();
    // Cut in the middle of a record, then garbage in place of the records.
    fs::write(&memo, &bytes[..bytes.len() / 2]).unwrap();
    cli::append_paragraph(&root, NEWS, "补充说明一。");
    let told = ok(build_into(&root, &out, &[]));
    same_as_fresh(&root, &out, &told);
    let mut garbage = bytes[..48].to_vec();
    garbage.extend([0xff; 4000]);
    fs::write(&memo, garbage).unwrap();
    cli::append_paragraph(&root, NEWS, "补充说明二。");
    let told = ok(build_into(&root, &out, &[]));
    same_as_fresh(&root, &out, &told);
}

#[cfg(unix)]
#[test]
fn a_memo_that_is_a_link_is_not_written_through() {
    let (dir, root, out, memo) = built();
    let elsewhere = dir.path().join("别处.bin");
    fs::rename(&memo, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &memo).unwrap();
    let before = fs::read(&elsewhere).unwrap();
    cli::append_paragraph(&root, NEWS, "补充说明。");
    set_time(
        &root.join(NEWS),
        SystemTime::now() - Duration::from_secs(60),
    );
    let told = ok(build_into(&root, &out, &[]));
    same_as_fresh(&root, &out, &told);
    assert_eq!(
        fs::read(&elsewhere).unwrap(),
        before,
        "nothing written where it points"
    );
    assert!(
        fs::symlink_metadata(&memo).unwrap().is_file(),
        "a memo in its place"
    );
}
