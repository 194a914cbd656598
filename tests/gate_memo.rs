//! A build takes the gate's findings in each text that is unchanged since the last build
//! from what that build found (`gate::compliance::memo`), and reads the others again.
//! Whatever it takes must be what a fresh check finds: the same texts under the same
//! rules. These cases change a rule outside the texts (site.toml's allowed numbers, a
//! `--words` list) and expect the unchanged texts to be judged by the new rule.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/tree.rs"]
mod tree;

use std::fs;

use cli::{append_paragraph, build_into, ok, run_at, stderr};
use tree::{example, tree_of};

/// The findings a run printed (`file:line:col: 警告 [check] message`), in order.
fn findings(printed: &str) -> Vec<String> {
    printed
        .lines()
        .filter(|l| l.contains(": 警告 [") || l.contains(": 错误 ["))
        .map(str::to_string)
        .collect()
}

const WITH_NUMBER: &str = "content/news/2023/新闻发布会.md";
const WITH_WRONG_WORD: &str = "content/news/2023/政府开放日.md";
const EDITED: &str = "content/news/2023/阳光问政热线.md";
const MOBILE: &str = "13912345678";

#[test]
fn unchanged_texts_are_judged_by_the_rules_of_this_build() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    append_paragraph(&root, WITH_NUMBER, &format!("联系人手机：{MOBILE}。"));
    append_paragraph(
        &root,
        WITH_WRONG_WORD,
        "依据《中华人民共合国政府信息公开条例》。",
    );
    let settings = fs::read_to_string(root.join("site.toml")).unwrap();
    let allowing = format!("{settings}\n[compliance.privacy]\nallow_numbers = [\"{MOBILE}\"]\n");
    fs::write(root.join("site.toml"), &allowing).unwrap();
    let first = findings(&ok(build_into(&root, &out, &[])));
    assert!(
        first
            .iter()
            .any(|f| f.starts_with(WITH_WRONG_WORD) && f.contains("[wording.words]")),
        "{first:?}"
    );
    assert!(!first.iter().any(|f| f.contains("[privacy.")), "{first:?}");

    // Another text edited: the unchanged ones say what they said, as a fresh check does.
    append_paragraph(&root, EDITED, "补充说明一段。");
    let second = findings(&ok(build_into(&root, &out, &[])));
    assert_eq!(second, first);
    assert_eq!(findings(&ok(run_at(&root, &["check"]))), second);

    // A word list given now finds its word in a text the last build already read.
    let words = dir.path().join("词表.txt");
    fs::write(&words, "新闻发布会 => 新闻发布活动\n").unwrap();
    let words = words.to_str().unwrap();
    let third = findings(&ok(build_into(&root, &out, &["--words", words])));
    assert!(
        third
            .iter()
            .any(|f| f.starts_with(WITH_NUMBER) && f.contains("“新闻发布会”")),
        "{third:?}"
    );
    assert_eq!(
        findings(&ok(run_at(&root, &["check", "--words", words]))),
        third
    );

    // The number no longer allowed in site.toml: the unchanged text that has it stops
    // the build, and the output stays as the last build left it.
    let before = tree_of(&out);
    fs::write(root.join("site.toml"), &settings).unwrap();
    let refused = build_into(&root, &out, &["--words", words]);
    assert!(!refused.status.success());
    let said = stderr(&refused);
    assert!(
        findings(&said)
            .iter()
            .any(|f| f.starts_with(WITH_NUMBER) && f.contains("[privacy.mobile]")),
        "{said}"
    );
    assert!(
        tree_of(&out) == before,
        "a refused build changed the output"
    );
}

/// Adds a news item with one attachment to the site at `root`; returns the attachment's
/// path, for the caller to write.
fn with_attachment(root: &std::path::Path) -> &'static str {
    cli::write(
        root,
        "content/news/2023/公示.md",
        "---\ntitle: 外事志愿者名单公示\ndate: 2023-12-20\ncategory: 政务公开\nattachments:\n  - file: 公示名单.txt\n    title: 公示名单\n---\n\n名单见附件。\n",
    );
    "content/news/2023/公示名单.txt"
}

#[test]
fn an_attachment_is_read_again_when_its_bytes_change_and_not_before() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    let list = with_attachment(&root);
    cli::write(
        &root,
        list,
        "公示名单：张三、李四\n依据《中华人民共合国志愿服务条例》。\n",
    );
    let first = findings(&ok(build_into(&root, &out, &[])));
    assert!(
        first
            .iter()
            .any(|f| f.starts_with(list) && f.contains("[wording.words]")),
        "{first:?}"
    );

    // The attachment unchanged, another text edited: its finding is still said.
    append_paragraph(&root, EDITED, "补充说明一段。");
    let second = findings(&ok(build_into(&root, &out, &[])));
    assert_eq!(second, first);

    // The attachment's bytes changed: it is read again and its number stops the build.
    cli::write(&root, list, format!("公示名单：张三（{MOBILE}）、李四\n"));
    let said = refused_for_the_number(&build_into(&root, &out, &[]), list);
    assert!(
        !said
            .iter()
            .any(|f| f.contains("[wording.words]") && f.starts_with(list))
    );
}

/// A build of `root` into `out` refused because `file` (as problems name it) changed
/// since the gate read it, the output as `before`; then the next build, which reads it
/// again, refused for the mobile number in it, the output still as `before`.
fn refused_as_changed_then_for_the_number(
    root: &std::path::Path,
    out: &std::path::Path,
    file: &str,
    before: &std::collections::BTreeMap<String, Vec<u8>>,
) {
    let refused = build_into(root, out, &[]);
    assert!(!refused.status.success());
    let err = stderr(&refused);
    let named = format!("{file}: 错误 [changed]");
    assert!(err.lines().any(|l| l.starts_with(&named)), "{err}");
    assert!(
        tree_of(out) == *before,
        "a refused build changed the output"
    );
    refused_for_the_number(&build_into(root, out, &[]), file);
    assert!(
        tree_of(out) == *before,
        "a refused build changed the output"
    );
}

/// The findings of `refused`, a build refused for the mobile number in `file` (as
/// problems name it).
fn refused_for_the_number(refused: &std::process::Output, file: &str) -> Vec<String> {
    assert!(!refused.status.success());
    let said = findings(&stderr(refused));
    assert!(
        said.iter()
            .any(|f| f.starts_with(file) && f.contains("[privacy.mobile]")),
        "{said:?}"
    );
    said
}

/// A list of names, and one of the same length (so of one stamp) with a mobile number.
fn lists_of_one_length() -> (&'static str, String) {
    let clean = "公示名单：张三、李四、王五、赵六，共四人。\n";
    let mut leaking = format!("公示名单：张三（{MOBILE}）、李四。");
    while leaking.len() + 1 < clean.len() {
        leaking.push(' ');
    }
    leaking.push('\n');
    assert_eq!(clean.len(), leaking.len(), "one length, so one stamp");
    (clean, leaking)
}

#[test]
fn an_attachment_is_taken_by_its_stamp_and_never_copied_unchecked() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    let list = with_attachment(&root);
    let (clean, leaking) = lists_of_one_length();
    cli::write(&root, list, clean);
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    cli::set_time(&root.join(list), an_hour_ago);
    ok(build_into(&root, &out, &[]));
    let copy = tree_of(&out)
        .into_keys()
        .find(|p| p.ends_with("/公示名单.txt"))
        .map(|p| out.join(p))
        .expect("the attachment published");
    assert_eq!(fs::read_to_string(&copy).unwrap(), clean);

    // Its bytes changed under the same stamp (a tool that keeps the time): the stamp
    // stands for the bytes the gate read, as it does for a text, and the copy made of
    // them stays; nothing unchecked is published.
    cli::write(&root, list, &leaking);
    cli::set_time(&root.join(list), an_hour_ago);
    ok(build_into(&root, &out, &[]));
    assert_eq!(fs::read_to_string(&copy).unwrap(), clean);

    // The output's copy touched: the copy is made again from the source, whose bytes are
    // not those the gate read. Refused, the output as it was.
    let before = tree_of(&out);
    cli::set_time(&copy, std::time::SystemTime::now());
    // Named from the site's folder, as every other problem; the next build reads the
    // attachment again and finds the number.
    refused_as_changed_then_for_the_number(&root, &out, list, &before);
}

#[test]
fn a_group_members_attachment_taken_by_its_stamp_is_never_published_unchecked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("group");
    tree::copy_dir(&tree::repo().join("examples/group"), &root);
    let wb = root.join("sites/wb");
    let out = dir.path().join("public");
    let list = with_attachment(&wb);
    let (clean, leaking) = lists_of_one_length();
    cli::write(&wb, list, clean);
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    cli::set_time(&wb.join(list), an_hour_ago);
    ok(build_into(&root, &out, &[]));

    // Its bytes changed under the same stamp, and another item of wb edited: wb is built
    // again with its memos, the gate takes the attachment's key by its stamp, and the copy
    // made from the source is not of the bytes the gate read. Refused, named from the
    // group's folder, the output as it was.
    cli::write(&wb, list, &leaking);
    cli::set_time(&wb.join(list), an_hour_ago);
    append_paragraph(&wb, EDITED, "补充说明。");
    let before = tree_of(&out);
    // The next build reads it again (the member's gate memo was not kept) and finds the
    // number; nothing published holds it.
    refused_as_changed_then_for_the_number(&root, &out, &format!("sites/wb/{list}"), &before);
    let leaked = tree_of(&out)
        .into_values()
        .any(|b| String::from_utf8_lossy(&b).contains(MOBILE));
    assert!(!leaked, "the number was published");
}
