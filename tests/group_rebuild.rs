//! Rebuilding a portal group after some members changed: the real binary on the fixture
//! group, grown to a few hundred pages so that the group search index has several
//! posting shards and text files. Whatever was kept, updated in place or made again, the
//! output must be the bytes a full build of the changed group gives.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tree::{copy_dir, repo, shown, tree_of};

/// The phrase the build log carries when the group index was updated in place.
const UPDATED: &str = "门户搜索索引只更新了改动的部分";

fn build(root: &Path, out: &Path) -> String {
    let o: Output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root", root.to_str().unwrap()])
        .args(["--out", out.to_str().unwrap()])
        .output()
        .expect("the gongkai binary runs");
    let log = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{log}");
    log
}

/// Builds `root` afresh into a new folder and compares `out` with it byte for byte.
fn same_as_fresh(root: &Path, out: &Path, step: &str) {
    let fresh = tempfile::tempdir().unwrap();
    let dir = fresh.path().join("public");
    build(root, &dir);
    let (a, b) = (tree_of(out), tree_of(&dir));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{step}: the same files"
    );
    let differ: Vec<&String> = a.keys().filter(|p| a[*p] != b[*p]).collect();
    assert!(
        differ.is_empty(),
        "{step}: these differ from a fresh build: {differ:?}"
    );
}

/// Characters the items' text is made of.
const HAN: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";

/// A news item of waiban: text of its own, so that the index has many tokens.
fn item(i: usize, extra: &str) -> String {
    let han: Vec<char> = HAN.chars().collect();
    let body: String = (0..180)
        .map(|j| han[(i * 131 + j * j * 7 + j * 13) % han.len()])
        .collect();
    format!(
        "---\ntitle: 第{i}号外事通知{extra}\ndate: 2023-{:02}-{:02}\ncategory: 工作动态\n---\n\n{extra}{body}。编号 N{i}。\n",
        1 + i % 12,
        1 + i % 28
    )
}

fn news(root: &Path, member: &str, name: &str) -> std::path::PathBuf {
    root.join("sites")
        .join(member)
        .join("content/news")
        .join(name)
}

/// The example group copied into `dir` (as `group`) and built into `dir/public`.
fn example_group(dir: &Path) -> (PathBuf, PathBuf) {
    let root = dir.join("group");
    copy_dir(&repo().join("examples/group"), &root);
    let out = dir.join("public");
    build(&root, &out);
    (root, out)
}

/// wb's news item `name` given one more line, `line`, and the group built again: wb alone
/// is built. Its file and its text before the line.
fn edit_wb(root: &Path, out: &Path, name: &str, line: &str) -> (PathBuf, String) {
    let file = news(root, "wb", name);
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, format!("{text}\n{line}\n")).unwrap();
    let log = build(root, out);
    assert!(log.contains("1 个重新生成"), "{log}");
    (file, text)
}

#[test]
fn a_rebuild_after_changes_gives_the_bytes_of_a_fresh_build() {
    let g = tempfile::tempdir().unwrap();
    let root = g.path().join("group");
    copy_dir(&repo().join("tests/fixtures/group"), &root);
    fs::create_dir_all(news(&root, "waiban", "2023")).unwrap();
    for i in 0..400 {
        fs::write(
            news(&root, "waiban", &format!("2023/通知{i}.md")),
            item(i, ""),
        )
        .unwrap();
    }
    let out = g.path().join("public");
    build(&root, &out);
    let shards = fs::read_dir(out.join("search/p")).unwrap().count();
    assert!(shards > 1, "the index has several shards: {shards}");
    same_as_fresh(&root, &out, "first build");

    // A body edited: its pages keep their places, the index is updated in place.
    fs::write(
        news(&root, "waiban", "2023/通知17.md"),
        item(17, "另附会议材料清单"),
    )
    .unwrap();
    let log = build(&root, &out);
    assert!(
        log.contains("1 个重新生成") && log.contains(UPDATED),
        "{log}"
    );
    same_as_fresh(&root, &out, "a body edited");

    // Items of two members edited, a title among them (the list of titles changes).
    let edu = news(&root, "教育局", "招生.md");
    let text = fs::read_to_string(&edu).unwrap();
    fs::write(
        &edu,
        text.replacen("title: ", "title: 关于", 1) + "\n补充：咨询电话另行公布。\n",
    )
    .unwrap();
    fs::write(news(&root, "waiban", "2023/通知3.md"), item(3, "（修订）")).unwrap();
    let log = build(&root, &out);
    assert!(
        log.contains("2 个重新生成") && log.contains(UPDATED),
        "{log}"
    );
    same_as_fresh(&root, &out, "two members edited");

    // An item added in May 2023: the pages after it take the next numbers, and the
    // index is still updated in place.
    fs::write(news(&root, "waiban", "2023/通知新.md"), item(400, "新增")).unwrap();
    let log = build(&root, &out);
    assert!(
        log.contains("1 个重新生成") && log.contains(UPDATED),
        "{log}"
    );
    same_as_fresh(&root, &out, "an item added");

    // An item newer than every other page of the group: no other page moves, so of
    // the text files only the last changes.
    let texts = |out: &Path| tree_of(&out.join("search/t"));
    let before = texts(&out);
    fs::write(
        news(&root, "waiban", "2023/通知最新.md"),
        item(401, "").replace("date: 2023-06-10", "date: 2025-06-10"),
    )
    .unwrap();
    let log = build(&root, &out);
    assert!(log.contains(UPDATED), "{log}");
    let after = texts(&out);
    let changed = tree::changed(&before, &after);
    assert_eq!(changed.len(), 1, "{changed:?}");
    same_as_fresh(&root, &out, "an item newer than all");

    // An item removed, and then nothing changed.
    fs::remove_file(news(&root, "waiban", "2023/通知5.md")).unwrap();
    let log = build(&root, &out);
    assert!(log.contains(UPDATED), "{log}");
    same_as_fresh(&root, &out, "an item removed");
    let log = build(&root, &out);
    assert!(log.contains("未写入任何文件"), "{log}");

    // A file added by hand to an unchanged member's folder: the member is built again
    // and the file goes.
    fs::write(out.join("tongji/手工添加.html"), "x").unwrap();
    let log = build(&root, &out);
    assert!(log.contains("1 个重新生成"), "{log}");
    assert!(!out.join("tongji/手工添加.html").exists());
    same_as_fresh(&root, &out, "a file added by hand");

    // An index file edited by hand is made again, not patched from.
    fs::write(news(&root, "waiban", "2023/通知9.md"), item(9, "再次修订")).unwrap();
    fs::write(out.join("search/docs.json"), "{}").unwrap();
    let log = build(&root, &out);
    assert!(!log.contains(UPDATED), "{log}");
    same_as_fresh(&root, &out, "an index file edited by hand");
}

/// The PDFs of a member's output, by path from the output folder.
fn pdfs_of(out: &Path, member: &str) -> Vec<String> {
    tree_of(&out.join(member))
        .into_keys()
        .filter(|p| p.ends_with(".pdf"))
        .map(|p| format!("{member}/{p}"))
        .collect()
}

/// Sets the hash a member's summary gives the file `entry` of its output.
fn vouch(out: &Path, member: &str, entry: &str, bytes: &[u8]) {
    use sha2::Digest;
    let file = out.join(format!(".gongkai-group/{member}.json"));
    let mut summary: serde_json::Value = serde_json::from_slice(&fs::read(&file).unwrap()).unwrap();
    let hash: String = sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    summary["hashes"][entry] = serde_json::Value::String(hash);
    fs::write(&file, serde_json::to_vec(&summary).unwrap()).unwrap();
}

#[test]
fn a_member_built_again_takes_its_pdfs_from_the_last_build_only_as_it_wrote_them() {
    let g = tempfile::tempdir().unwrap();
    let root = g.path().join("group");
    copy_dir(&repo().join("tests/fixtures/group"), &root);
    let out = g.path().join("public");
    build(&root, &out);
    let pdfs = pdfs_of(&out, "waiban");
    assert!(pdfs.len() >= 2, "waiban's reports have PDFs: {pdfs:?}");
    let (kept, altered) = (&pdfs[0], &pdfs[1]);
    let edited = news(&root, "waiban", "2023/通知1.md");
    fs::create_dir_all(edited.parent().unwrap()).unwrap();

    // One PDF as the summary says the last build wrote it (its key unchanged), another
    // changed behind the summary's back; then an item of waiban's edited.
    let mark = "%PDF-1.7\n% 上次构建写下的文件\n".as_bytes();
    fs::write(out.join(kept), mark).unwrap();
    vouch(&out, "waiban", kept, mark);
    fs::write(out.join(altered), "%PDF-1.7\n% 手工改过\n").unwrap();
    fs::write(&edited, item(1, "")).unwrap();
    build(&root, &out);
    assert_eq!(
        fs::read(out.join(kept)).unwrap(),
        mark,
        "a PDF whose key is unchanged is read back from the output, not typeset"
    );
    let typeset = fs::read(out.join(altered)).unwrap();
    assert!(
        typeset.len() > 1000 && typeset.starts_with(b"%PDF"),
        "a PDF whose bytes are not the summary's is typeset again"
    );

    // A PDF gone from the output is typeset again: the output is then a fresh build's.
    fs::remove_file(out.join(kept)).unwrap();
    fs::write(&edited, item(1, "（修订）")).unwrap();
    build(&root, &out);
    same_as_fresh(&root, &out, "the PDFs typeset again");
}

#[test]
fn a_member_built_again_takes_its_unchanged_items_from_its_memos() {
    let g = tempfile::tempdir().unwrap();
    let root = g.path().join("group");
    copy_dir(&repo().join("examples/group"), &root);
    // A third member, taken out of the group at the end.
    copy_dir(&root.join("sites/wb"), &root.join("sites/wj"));
    let config = fs::read_to_string(root.join("group.toml")).unwrap();
    let config = config.replacen(
        "[[members]]",
        "[[members]]\nslug = \"wj\"\n\n[[members]]",
        1,
    );
    fs::write(root.join("group.toml"), config).unwrap();
    let (old, new) = ("会议在市政府三楼召开", "会议在市政府五楼召开");
    let meeting = news(&root, "wb", "2023/外事工作会议.md");
    fs::write(
        &meeting,
        format!("---\ntitle: 外事工作会议\ndate: 2023-12-01\ncategory: 外事动态\n---\n\n{old}。\n"),
    )
    .unwrap();
    cli::settle(&root.join("sites"));
    let out = g.path().join("public");
    build(&root, &out);
    // Each member's memos lie beside the output, as a site's do.
    for memo in [
        ".public.gongkai-member-wb-load.bin",
        ".public.gongkai-member-wb-gate.json",
        ".public.gongkai-member-wb-pages.json",
    ] {
        assert!(g.path().join(memo).is_file(), "{memo}");
    }
    // None left waiting for a commit.
    let waiting: Vec<_> = fs::read_dir(g.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".new"))
        .collect();
    assert!(waiting.is_empty(), "{waiting:?}");

    // Its text changed behind its stamp, another item of wb edited: wb is built again,
    // and the item is taken as its memo has it.
    cli::rewrite_behind_the_stamp(&meeting, old, new);
    edit_wb(&root, &out, "2023/新闻发布会.md", "会后答记者问。");
    assert!(
        shown(&out, old) && !shown(&out, new),
        "the item taken from wb's memo"
    );

    // group.toml's settings changed: what a member inherits is in its memo's key, and
    // every item of it is read again.
    let config = fs::read_to_string(root.join("group.toml")).unwrap();
    let config = config.replace(
        "portal_name = \"山东政务服务网\"",
        "portal_name = \"山东省政务服务网\"",
    );
    fs::write(root.join("group.toml"), config).unwrap();
    build(&root, &out);
    assert!(
        shown(&out, new) && !shown(&out, old),
        "read again after group.toml changed"
    );
    same_as_fresh(&root, &out, "group.toml changed");

    // A member taken out of the group leaves no memo behind; the others keep theirs.
    let memo = |slug: &str, what: &str| {
        g.path()
            .join(format!(".public.gongkai-member-{slug}-{what}"))
    };
    assert!(memo("wj", "load.bin").is_file());
    let config = fs::read_to_string(root.join("group.toml")).unwrap();
    fs::write(
        root.join("group.toml"),
        config.replacen("[[members]]\nslug = \"wj\"\n\n", "", 1),
    )
    .unwrap();
    build(&root, &out);
    assert!(!memo("wj", "load.bin").exists() && !memo("wj", "gate.json").exists());
    assert!(memo("wb", "load.bin").is_file() && memo("wb", "gate.json").is_file());
}

#[test]
fn a_member_built_again_renders_only_its_pages_whose_keys_changed() {
    let g = tempfile::tempdir().unwrap();
    let (root, out) = example_group(g.path());
    // A page of wb changed in the output behind its stamp (same length, same time): the
    // member's folder still counts as its last build left it.
    let page = out.join("wb/news/2023/阳光问政热线/index.html");
    cli::rewrite_behind_the_stamp(&page, "阳光问政热线", "阳光问政专线");
    // Another item's body edited: wb is built again, and only the pages whose keys
    // changed are rendered; the page above is left as it lies.
    edit_wb(
        &root,
        &out,
        "2023/政府开放日.md",
        "开放日共接待市民一百二十人次。",
    );
    let text_of = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    assert!(text_of("wb/news/2023/政府开放日/index.html").contains("一百二十人次"));
    assert!(
        text_of("wb/news/2023/阳光问政热线/index.html").contains("阳光问政专线"),
        "left, not rendered"
    );
    // Each page's key is kept beside the output, as a site's are.
    let pages = fs::read_to_string(g.path().join(".public.gongkai-member-wb-pages.json")).unwrap();
    assert!(
        pages.contains("news/2023/阳光问政热线/index.html"),
        "{pages}"
    );
}

#[test]
fn a_member_built_again_updates_its_search_index_in_place() {
    let g = tempfile::tempdir().unwrap();
    let (root, out) = example_group(g.path());
    // What wb's index was made of is kept beside the output, as a site's is.
    let memo = g.path().join(".public.gongkai-member-wb-search.json");
    assert!(fs::read_to_string(&memo).unwrap().contains("ldxx/zhuren/"));
    // A text file of wb's index that holds only a leader's page, changed in the output
    // behind its stamp: the member's folder still counts as its last build left it.
    let leader = out.join("wb/search/t/2.json");
    assert!(
        fs::read_to_string(&leader)
            .unwrap()
            .contains("ldxx/zhuren/")
    );
    cli::rewrite_behind_the_stamp(&leader, "主持全面工作", "主持日常工作");
    // A news item's body edited: wb is built again, its index updated in place. The text
    // file that holds the item is made again; the leader's is left as it lies.
    let (edited, text) = edit_wb(
        &root,
        &out,
        "2023/政府开放日.md",
        "开放日共接待市民一百二十人次。",
    );
    let text_of = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    assert!(text_of("wb/search/t/0.json").contains("一百二十人次"));
    assert!(
        text_of("wb/search/t/2.json").contains("主持日常工作"),
        "left, not made again"
    );
    assert!(memo.exists(), "kept again after the commit");
    // The leader's text mended by hand and the item edited again: the build is a fresh
    // build's, byte for byte.
    cli::rewrite_behind_the_stamp(&leader, "主持日常工作", "主持全面工作");
    fs::write(&edited, format!("{text}\n开放日共接待市民一百三十人次。\n")).unwrap();
    build(&root, &out);
    same_as_fresh(&root, &out, "after the index was updated in place");
}
