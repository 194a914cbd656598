//! A portal group's hostile inputs (issue 25, items 1 and 6): shards joined by
//! `build --merge` are artifacts of other machines and are read as untrusted, and
//! group.toml's member folders are compared as folders, not as strings. The hostile
//! shards are made here from a real shard build of `tests/fixtures/group` by editing its
//! member summary (`.gongkai-group/waiban.json`) or its files, as an attacker with write
//! access to a CI artifact would.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use cli::{gongkai, ok, stderr};
use serde_json::Value;
use tree::{copy_dir, repo};

fn run(args: &[&str]) -> Output {
    gongkai()
        .args(args)
        .output()
        .expect("the gongkai binary runs")
}

/// A copy of the fixture group in `<tmp>/group`.
fn group() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("group");
    copy_dir(&repo().join("tests/fixtures/group"), &root);
    (dir, root)
}

/// `gongkai build` of the group at `root` into `out`, with `more` arguments.
fn build(root: &Path, out: &Path, more: &[&str]) -> Output {
    let args = ["build", "--root", root.to_str().unwrap()];
    run(&[&args[..], &["--out", out.to_str().unwrap()], more].concat())
}

/// [`group`], and its shard build `<tmp>/shard` (one shard holding all three members).
fn group_and_shard() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (dir, root) = group();
    let shard = dir.path().join("shard");
    ok(build(&root, &shard, &["--shard", "1/1"]));
    (dir, root, shard)
}

fn merge(root: &Path, shard: &Path, out: &Path) -> Output {
    build(root, out, &["--merge", shard.to_str().unwrap()])
}

const SUMMARY: &str = ".gongkai-group/waiban.json";

/// Edits waiban's member summary in the shard.
fn edit_summary(shard: &Path, f: impl FnOnce(&mut Value)) {
    let path = shard.join(SUMMARY);
    let mut v: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    f(&mut v);
    fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
}

/// Lists `entry` among waiban's files, with the hash of `bytes`.
fn list(shard: &Path, entry: &str, hash_of: &[u8]) {
    let hash: String = {
        use std::fmt::Write;
        let mut h = String::new();
        for b in sha256(hash_of) {
            write!(h, "{b:02x}").unwrap();
        }
        h
    };
    edit_summary(shard, |v| {
        v["files"].as_array_mut().unwrap().push(entry.into());
        v["hashes"][entry] = hash.into();
    });
}

/// SHA-256 by the system's `sha256sum`, so the test does not share gongkai's code.
fn sha256(bytes: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x");
    fs::write(&f, bytes).unwrap();
    let o = std::process::Command::new("sha256sum")
        .arg(&f)
        .output()
        .unwrap();
    let hex = String::from_utf8(o.stdout).unwrap();
    (0..32)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

/// The merge was refused naming `entry`, wrote no output, and `victim` is as it was.
fn refused(o: &Output, entry: &str, why: &str, out: &Path) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.lines().any(|l| l.contains(entry) && l.contains(why)),
        "`{entry}` refused for {why}:\n{err}"
    );
    assert!(!out.exists(), "nothing written:\n{err}");
}

#[test]
fn a_shard_entry_that_climbs_out_of_its_member_is_refused_and_nothing_is_written() {
    let (dir, root, shard) = group_and_shard();
    let victim = dir.path().join("victim/y.txt");
    fs::create_dir_all(victim.parent().unwrap()).unwrap();
    fs::write(&victim, "原来的内容").unwrap();
    fs::write(shard.join("waiban/y.txt"), "攻击者的内容").unwrap();
    let entry = "waiban/../../victim/y.txt";
    list(&shard, entry, "攻击者的内容".as_bytes());
    let out = dir.path().join("merged");
    refused(
        &merge(&root, &shard, &out),
        entry,
        "不在成员 `waiban` 的文件夹",
        &out,
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "原来的内容");
}

#[test]
fn an_absolute_shard_entry_is_refused() {
    let (dir, root, shard) = group_and_shard();
    let secret = dir.path().join("secret.txt");
    fs::write(&secret, "机密").unwrap();
    let entry = secret.to_str().unwrap();
    list(&shard, entry, "机密".as_bytes());
    let out = dir.path().join("merged");
    refused(&merge(&root, &shard, &out), entry, "不在成员", &out);
}

#[test]
fn a_listed_file_of_another_member_is_refused() {
    let (dir, root, shard) = group_and_shard();
    let entry = "tongji/index.html";
    list(&shard, entry, &fs::read(shard.join(entry)).unwrap());
    let out = dir.path().join("merged");
    refused(
        &merge(&root, &shard, &out),
        entry,
        "不在成员 `waiban`",
        &out,
    );
}

#[cfg(unix)]
#[test]
fn a_listed_link_to_a_file_outside_is_refused_not_copied() {
    let (dir, root, shard) = group_and_shard();
    let secret = dir.path().join("shadow");
    fs::write(&secret, "root:$6$机密").unwrap();
    let entry = "waiban/index.html";
    fs::remove_file(shard.join(entry)).unwrap();
    std::os::unix::fs::symlink(&secret, shard.join(entry)).unwrap();
    // Even with the link target's hash in the summary.
    list(&shard, "waiban/index.html", "root:$6$机密".as_bytes());
    let out = dir.path().join("merged");
    refused(&merge(&root, &shard, &out), entry, "是一个链接", &out);
}

#[cfg(unix)]
#[test]
fn a_linked_folder_inside_a_shard_is_refused() {
    let (dir, root, shard) = group_and_shard();
    let elsewhere = dir.path().join("elsewhere");
    fs::rename(shard.join("waiban/news"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, shard.join("waiban/news")).unwrap();
    let out = dir.path().join("merged");
    refused(
        &merge(&root, &shard, &out),
        "waiban/news/",
        "文件夹是一个链接",
        &out,
    );
}

#[test]
fn a_page_edited_inside_a_shard_is_refused_by_its_hash() {
    let (dir, root, shard) = group_and_shard();
    let entry = "waiban/index.html";
    let page = fs::read_to_string(shard.join(entry)).unwrap();
    fs::write(
        shard.join(entry),
        page.replace("</body>", "<script>窃取()</script></body>"),
    )
    .unwrap();
    let out = dir.path().join("merged");
    refused(&merge(&root, &shard, &out), entry, "被改动过", &out);
    // The untouched shard merges.
    let (dir2, root2, shard2) = group_and_shard();
    let out2 = dir2.path().join("merged");
    ok(merge(&root2, &shard2, &out2));
    assert!(out2.join(entry).is_file());
}

#[test]
fn a_shard_summary_without_hashes_is_refused() {
    let (dir, root, shard) = group_and_shard();
    edit_summary(&shard, |v| v["hashes"] = serde_json::json!({}));
    let out = dir.path().join("merged");
    refused(
        &merge(&root, &shard, &out),
        "waiban/index.html",
        "校验值",
        &out,
    );
}

/// group.toml of the fixture group with waiban listed once more, at `path`.
fn with_member(root: &Path, slug: &str, path: &str) {
    let f = root.join("group.toml");
    let text = fs::read_to_string(&f).unwrap();
    fs::write(
        &f,
        format!("{text}\n[[members]]\nslug = \"{slug}\"\npath = \"{path}\"\n"),
    )
    .unwrap();
}

fn check(root: &Path) -> Output {
    run(&["check", "--root", root.to_str().unwrap()])
}

#[test]
fn one_member_folder_spelled_two_ways_is_refused() {
    for path in ["sites//waiban", "sites/waiban/.", "sites/./waiban/"] {
        let (_dir, root) = group();
        with_member(&root, "wb2", path);
        let o = check(&root);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{path}: {err}");
        assert!(
            err.contains("`waiban` 和 `wb2` 指向同一个文件夹 sites/waiban"),
            "{path}: {err}"
        );
    }
}

#[test]
fn an_empty_member_path_is_refused() {
    let (_dir, root) = group();
    with_member(&root, "all", "");
    let err = stderr(&check(&root));
    assert!(err.contains("成员 `all` 的 path 是空的"), "{err}");
    assert!(err.contains("group.toml:"), "at its line: {err}");
}

/// `check` of the group fails saying `says` (and not `not`), and `build` fails without
/// publishing the member `slug`.
#[cfg(unix)]
fn member_refused_and_unpublished(dir: &Path, root: &Path, slug: &str, says: &str, not: &str) {
    let o = check(root);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(says), "{err}");
    assert!(!err.contains(not), "{err}");
    let out = dir.join("public");
    let o = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.join(slug).exists(), "not published");
}

#[cfg(unix)]
#[test]
fn a_member_folder_that_links_out_of_the_group_is_refused() {
    let (dir, root) = group();
    let outside = dir.path().join("outside-site");
    copy_dir(&root.join("sites/tongji"), &outside);
    std::os::unix::fs::symlink(&outside, root.join("sites/linked")).unwrap();
    with_member(&root, "linked", "sites/linked");
    member_refused_and_unpublished(
        dir.path(),
        &root,
        "linked",
        "成员 `linked` 的文件夹 sites/linked 是一个链接，指向门户文件夹之外",
        "指向门户文件夹本身",
    );
}

#[cfg(unix)]
#[test]
fn a_member_folder_that_links_to_the_group_itself_is_refused_as_such() {
    let (dir, root) = group();
    // A site.toml in the group's folder, so that the linked folder looks like a site.
    std::fs::copy(root.join("sites/tongji/site.toml"), root.join("site.toml")).unwrap();
    std::os::unix::fs::symlink(&root, root.join("sites/all")).unwrap();
    with_member(&root, "all", "sites/all");
    member_refused_and_unpublished(
        dir.path(),
        &root,
        "all",
        "成员 `all` 的文件夹 sites/all 是一个链接，指向门户文件夹本身",
        "门户文件夹之外",
    );
}

/// A build's folders of members left as they are go unwalked (the commit leaves them
/// alone): a link put into one must still stop the build before it writes anything.
#[cfg(unix)]
#[test]
fn a_link_put_into_an_unchanged_members_folder_is_refused() {
    let (dir, root) = group();
    let out = dir.path().join("public");
    ok(build(&root, &out, &[]));
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::write(elsewhere.join("mine.txt"), "别人的文件").unwrap();
    fs::rename(out.join("tongji/news"), dir.path().join("news-moved")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("tongji/news")).unwrap();
    let before = tree::tree_of(&out);
    // Another member changed, so that the build has files to write.
    let item = root.join("sites/waiban/content/news/补充.md");
    fs::write(
        &item,
        "---\ntitle: 关于补充材料的通知\ndate: 2023-05-06\ncategory: 工作动态\n---\n\n请各单位补充报送材料。\n",
    )
    .unwrap();
    let o = build(&root, &out, &[]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("里有链接：tongji/news（指向"), "{err}");
    assert_eq!(tree::tree_of(&out), before, "the output as it was");
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 1);
}
