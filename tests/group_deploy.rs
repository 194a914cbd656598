//! Deploying a portal group's members (issue 24) with the real binary, on the county
//! fixture (`tests/fixtures/county`, six members): targets inherited from group.toml give
//! every member a place of its own, two members at one place are refused before anything
//! is sent, an unchanged deploy writes nothing, a member that was not updated is refused
//! alone, and PDFs a build could not make for want of a font are never deleted from the
//! host. Targets are real: folders, and moto's S3 server on loopback.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/http.rs"]
mod http;
#[path = "support/s3.rs"]
mod s3;
#[path = "support/tree.rs"]
mod tree;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use tree::{copy_dir, repo, tree_of};

const DAY: &str = "2025-04-10";
const SLUGS: [&str; 6] = ["xzf", "jyj", "czj", "rsj", "taiping", "donghu"];

/// A copy of the county fixture at `<tmp>/县门户`, with `targets` added to group.toml;
/// `{tmp}` in them is the temporary folder.
fn county(targets: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("县门户");
    copy_dir(&repo().join("tests/fixtures/county"), &root);
    let toml = root.join("group.toml");
    let text = fs::read_to_string(&toml).unwrap();
    let targets = targets.replace("{tmp}", &dir.path().display().to_string());
    fs::write(&toml, format!("{text}\n{targets}")).unwrap();
    (dir, root)
}

fn build(root: &Path) -> String {
    cli::ok(cli::run_at(root, &["build", "--as-of", DAY]))
}

/// `gongkai deploy ARGS --root ROOT` with the S3 keys in its environment.
fn deploy(root: &Path, args: &[&str]) -> Output {
    let mut c = cli::gongkai();
    c.arg("deploy").args(args).arg("--root").arg(root);
    for (k, v) in s3::keys() {
        c.env(k, v);
    }
    c.output().unwrap()
}

/// The files of a folder (what a deploy put there), without the target's manifest.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut t = tree_of(dir);
    t.retain(|k, _| !k.ends_with(".gongkai-manifest.json"));
    t
}

/// The output's files under `slug/`, as paths relative to that folder.
fn member_output(out: &Path, slug: &str) -> BTreeMap<String, Vec<u8>> {
    let listed: serde_json::Value =
        serde_json::from_str(&cli::read(out, ".gongkai-build.json")).unwrap();
    listed["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str()?.strip_prefix(&format!("{slug}/")))
        .map(|f| (f.to_string(), fs::read(out.join(slug).join(f)).unwrap()))
        .collect()
}

#[test]
fn inherited_targets_give_every_member_its_own_place_and_delete_never_removes_another_members_file()
{
    // The portal's web root, and the same root inherited by every member: each member's
    // place is its own folder of the portal (the slug appended).
    let (dir, root) = county(
        "[deploy.web]\nkind = \"folder\"\npath = \"{tmp}/www\"\n\n[site.deploy.web]\nkind = \"folder\"\npath = \"{tmp}/www\"\n\n[site.deploy.bak]\nkind = \"folder\"\npath = \"../备份/{slug}/htdocs\"\n",
    );
    let out = root.join("public");
    build(&root);
    let log = cli::ok(deploy(&root, &["web", "--each-member"]));
    let www = dir.path().join("www");
    for slug in SLUGS {
        assert!(
            log.contains(&format!("（{slug}）→ {}：", www.join(slug).display())),
            "{log}"
        );
        assert_eq!(files(&www.join(slug)), member_output(&out, slug), "{slug}");
    }
    // `{slug}` where the group puts it, a relative path from the group root.
    cli::ok(deploy(&root, &["bak", "--each-member"]));
    for slug in SLUGS {
        let place = dir.path().join("备份").join(slug).join("htdocs");
        assert_eq!(files(&place), member_output(&out, slug), "{slug}");
    }
    // The portal itself deploys to the root that holds the members' folders.
    cli::ok(deploy(&root, &["web"]));
    // An item of 教育局 is removed; --delete takes its page away and no other member's.
    let others: BTreeMap<&str, BTreeMap<String, Vec<u8>>> = SLUGS
        .iter()
        .filter(|s| **s != "jyj")
        .map(|s| (*s, files(&www.join(s))))
        .collect();
    fs::remove_file(root.join("sites/jyj/content/news/2025/校园安全.md")).unwrap();
    build(&root);
    let log = cli::ok(deploy(&root, &["web", "--each-member", "--delete"]));
    assert!(
        !www.join("jyj/news/2025/校园安全/index.html").exists(),
        "{log}"
    );
    assert_eq!(files(&www.join("jyj")), member_output(&out, "jyj"));
    for (slug, before) in &others {
        assert_eq!(&files(&www.join(slug)), before, "{slug} untouched");
    }
}

#[test]
fn two_members_at_one_place_are_refused_before_anything_is_sent() {
    // 财政局's own site.toml names the folder 教育局 inherits.
    let (dir, root) = county("[site.deploy.web]\nkind = \"folder\"\npath = \"{tmp}/www/{slug}\"\n");
    let www = dir.path().join("www");
    let czj = root.join("sites/czj/site.toml");
    let text = fs::read_to_string(&czj).unwrap();
    fs::write(
        &czj,
        format!(
            "{text}\n[deploy.web]\npath = \"{}\"\n",
            www.join("jyj").display()
        ),
    )
    .unwrap();
    build(&root);
    for args in [
        &["web", "--each-member"][..],
        &["web", "--member", "rsj"],
        &["web", "--member", "czj", "--delete"],
    ] {
        let o = deploy(&root, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = cli::stderr(&o);
        assert!(
            err.contains(&format!(
                "成员 青山县教育局（jyj）和成员 青山县财政局（czj）的发布目标是同一个位置 {}",
                www.join("jyj").display()
            )),
            "{err}"
        );
        assert!(err.contains("没有发送任何文件"), "{err}");
        assert!(!www.exists(), "nothing was written: {args:?}");
    }
    // A member's place inside the portal's, but not its own folder of it, is refused too.
    let (dir, root) = county(
        "[deploy.web]\nkind = \"folder\"\npath = \"{tmp}/www\"\n\n[site.deploy.web]\nkind = \"folder\"\npath = \"{tmp}/www/ndbg\"\n",
    );
    build(&root);
    let o = deploy(&root, &["web"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        cli::stderr(&o).contains("的发布目标")
            && cli::stderr(&o).contains("在门户（group.toml）的发布目标"),
        "{}",
        cli::stderr(&o)
    );
    assert!(!dir.path().join("www").exists());
}

#[test]
fn object_storage_prefixes_are_per_member_and_an_unchanged_deploy_writes_nothing() {
    let moto = s3::Moto::start("portal");
    let proxy = s3::Counting::start(moto.port);
    let (_dir, root) = county(&format!(
        "[site.deploy.oss]\nkind = \"s3\"\nbucket = \"portal\"\nendpoint = \"http://127.0.0.1:{}\"\nprefix = \"qingshan/{{slug}}\"\n",
        proxy.port
    ));
    let out = root.join("public");
    build(&root);
    cli::ok(deploy(&root, &["oss", "--each-member"]));
    let first = proxy.puts();
    for slug in SLUGS {
        let objects: BTreeMap<String, Vec<u8>> = moto
            .objects("portal", &format!("qingshan/{slug}/"))
            .into_iter()
            .filter(|(k, _)| !k.ends_with(".gongkai-manifest.json"))
            .map(|(k, v)| (k[format!("qingshan/{slug}/").len()..].to_string(), v))
            .collect();
        assert_eq!(objects, member_output(&out, slug), "{slug}");
    }
    let sent: usize = SLUGS.iter().map(|s| member_output(&out, s).len()).sum();
    assert_eq!(
        first,
        sent + SLUGS.len(),
        "every file and one manifest per member"
    );
    // Nothing changed: no object and no manifest is written again.
    let log = cli::ok(deploy(&root, &["oss", "--each-member"]));
    assert_eq!(proxy.puts(), first, "{log}");
    // One member edited: its changed pages and its manifest only.
    let item = root.join("sites/taiping/content/news/2025/春耕.md");
    let text = fs::read_to_string(&item).unwrap();
    fs::write(&item, format!("{text}\n补充：全镇已完成春播 1.1 万亩。\n")).unwrap();
    build(&root);
    let log = cli::ok(deploy(&root, &["oss", "--each-member"]));
    let line = log
        .lines()
        .skip_while(|l| !l.contains("（taiping）"))
        .nth(1)
        .unwrap();
    let uploaded: usize = line
        .split("已上传 ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(uploaded > 0, "{log}");
    assert_eq!(proxy.puts(), first + uploaded + 1, "{log}");
}

#[test]
fn a_member_that_was_not_updated_is_refused_alone_and_its_files_stay_on_the_host() {
    let (dir, root) = county(
        "[deploy.web]\nkind = \"folder\"\npath = \"{tmp}/www\"\n\n[site.deploy.web]\nkind = \"folder\"\npath = \"{tmp}/www\"\n",
    );
    let www = dir.path().join("www");
    build(&root);
    cli::ok(deploy(&root, &["web"]));
    let live_jyj = files(&www.join("jyj"));
    // 教育局's report breaks; a fresh CI workspace has no earlier output to keep.
    let report = root.join("sites/jyj/content/reports/2024.yaml");
    let text = fs::read_to_string(&report).unwrap();
    fs::write(&report, text.replace("granted: [17, 2", "granted: [19, 2")).unwrap();
    fs::remove_dir_all(root.join("public")).unwrap();
    let o = cli::run_at(&root, &["build", "--as-of", DAY, "--keep-going"]);
    assert_eq!(o.status.code(), Some(3), "{}", cli::stderr(&o));
    // Member by member: 教育局 is refused, the others go; the exit code says so.
    let o = deploy(&root, &["web", "--each-member", "--delete"]);
    let log = cli::stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{log}");
    assert!(
        log.contains("5 个成员已发布，1 个成员没有发布：jyj"),
        "{log}"
    );
    assert!(
        log.contains("成员 青山县教育局（jyj）这次构建没有更新（2 个错误"),
        "{log}"
    );
    // The whole portal: 教育局's live files stay, even with --delete, and it is said.
    let log = cli::ok(deploy(&root, &["web", "--delete"]));
    assert!(
        log.contains("注意：成员 青山县教育局（jyj）这次构建没有更新，目标上它原有的文件保留不删"),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "目标上有 {} 个文件这次构建没有，保留不删（成员 青山县教育局（jyj）这次没有更新）",
            live_jyj.len()
        )),
        "{log}"
    );
    assert_eq!(files(&www.join("jyj")), live_jyj);
}

#[test]
fn pdfs_a_build_could_not_make_are_made_by_the_next_and_never_deleted_from_the_host() {
    // 太平镇 makes PDFs with the font the group names; the font file is what a runner
    // has installed (a link to the system's Noto CJK), or, on a runner that lost it, a
    // file that holds no font at all.
    let (dir, root) = county(
        "[deploy.web]\nkind = \"folder\"\npath = \"{tmp}/www\"\n\n[site.pdf]\nenabled = false\nfonts = [\"字体/正文.ttc\"]\n",
    );
    let text = fs::read_to_string(root.join("group.toml")).unwrap();
    // The fixture's own [site.pdf] is replaced by the one above.
    let first = text.find("[site.pdf]\nenabled = false\n\n").unwrap();
    let text = format!(
        "{}{}",
        &text[..first],
        &text[first + "[site.pdf]\nenabled = false\n\n".len()..]
    );
    fs::write(root.join("group.toml"), text).unwrap();
    cli::write(&root, "sites/taiping/site.toml", {
        let t = cli::read(&root, "sites/taiping/site.toml");
        format!("{t}\n[pdf]\nenabled = true\n")
    });
    let noto = Path::new("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc");
    assert!(
        noto.is_file(),
        "fonts-noto-cjk is installed by scripts/test"
    );
    let font = root.join("字体/正文.ttc");
    fs::create_dir_all(font.parent().unwrap()).unwrap();
    let install = |with: bool| {
        let _ = fs::remove_file(&font);
        if with {
            std::os::unix::fs::symlink(noto, &font).unwrap();
        } else {
            fs::write(&font, b"not a font").unwrap();
        }
    };
    let out = root.join("public");
    let pdfs = |dir: &Path| -> Vec<String> {
        let mut v: Vec<String> = tree_of(dir)
            .into_keys()
            .filter(|k| k.ends_with(".pdf"))
            .collect();
        v.sort();
        v
    };
    install(true);
    let log = build(&root);
    assert!(
        log.contains("年度报告 PDF 字体（taiping）：正文 Noto Serif CJK SC"),
        "{log}"
    );
    let made = pdfs(&out);
    assert_eq!(made.len(), 2, "{made:?}");
    cli::ok(deploy(&root, &["web"]));
    let www = dir.path().join("www");
    assert_eq!(pdfs(&www), made);
    // A fresh CI runner that lost its font: the pages are built, the PDFs are not, and
    // the record beside the output says what is missing.
    install(false);
    let ci = dir.path().join("ci");
    let ci_out = ci.to_str().unwrap().to_string();
    let at_ci = |args: &[&str]| -> Vec<String> {
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        all.extend(["--out".to_string(), ci_out.clone()]);
        all
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cli::run_at(&root, &args)
    };
    let send = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        deploy(&root, &args)
    };
    let log = cli::ok(run(at_ci(&["build", "--as-of", DAY])));
    assert!(log.contains("没有可以排印中文的字体"), "{log}");
    assert!(pdfs(&ci).is_empty());
    let record: serde_json::Value =
        serde_json::from_str(&cli::read(dir.path(), ".ci.gongkai-record.json")).unwrap();
    let mut missing: Vec<&str> = record["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    missing.sort();
    assert_eq!(missing, made);
    // deploy --delete keeps them on the host, and says why.
    let log = cli::ok(send(at_ci(&["web", "--delete"])));
    assert!(
        log.contains("目标上有 2 个文件这次构建没有，保留不删（site.toml 的 [pdf] fonts 中没有可以排印中文的字体"),
        "{log}"
    );
    assert_eq!(pdfs(&www), made);
    // The font is back: nothing else changed, and the next build makes the PDFs.
    install(true);
    let log = cli::ok(run(at_ci(&["build", "--as-of", DAY])));
    assert!(log.contains("1 个成员上次没能生成全部文件"), "{log}");
    assert_eq!(pdfs(&ci), made);
    let record = cli::read(dir.path(), ".ci.gongkai-record.json");
    assert!(!record.contains("\"missing\""), "{record}");
    cli::ok(send(at_ci(&["web", "--delete"])));
    assert_eq!(pdfs(&www), made);
}
