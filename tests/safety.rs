//! No command destroys a source or publishes what was not meant to be public: the
//! careless and hostile inputs of the reliability pass, each driven through the real
//! binary on a copy of the example site.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/html.rs"]
mod html;
#[path = "support/tree.rs"]
mod tree;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use cli::{ok, run_at as gongkai, stderr};
use tree::{copy_dir, example};

fn failed(o: Output) -> String {
    assert!(!o.status.success(), "should have failed:\n{}", stderr(&o));
    stderr(&o)
}

/// Every file under `dir` with its bytes (links not followed).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (rel.replace('\\', "/"), fs::read(e.path()).unwrap())
        })
        .collect()
}

fn set_deploy(root: &Path, path: &str) {
    let config = fs::read_to_string(root.join("site.toml")).unwrap();
    let path = path.replace('\\', "\\\\");
    fs::write(
        root.join("site.toml"),
        format!("{config}\n[deploy.web]\nkind = \"folder\"\npath = \"{path}\"\n"),
    )
    .unwrap();
}

#[test]
fn a_deploy_folder_holding_or_inside_the_site_or_its_output_is_refused() {
    let (dir, root) = example();
    ok(gongkai(&root, &["build"]));
    let outside_target = dir.path().join("www").to_string_lossy().into_owned();
    for path in [
        ".",
        "",
        "..",
        "public",
        "public/www",
        "content",
        "../site/public",
    ] {
        let before = files(dir.path());
        let config = fs::read_to_string(root.join("site.toml")).unwrap();
        set_deploy(&root, path);
        let err = failed(gongkai(&root, &["deploy", "--delete"]));
        assert!(err.contains("已拒绝"), "{path}: {err}");
        fs::write(root.join("site.toml"), &config).unwrap();
        assert_eq!(files(dir.path()), before, "{path}: nothing may change");
    }
    // The same site deploys to a folder beside it.
    set_deploy(&root, &outside_target);
    ok(gongkai(&root, &["deploy", "--delete"]));
    assert!(Path::new(&outside_target).join("index.html").is_file());
}

#[test]
fn deploy_delete_removes_only_what_an_earlier_deploy_uploaded() {
    let (dir, root) = example();
    let www = dir.path().join("www");
    fs::create_dir_all(www.join("老栏目")).unwrap();
    fs::write(www.join("老栏目/说明.txt"), "不是 gongkai 上传的").unwrap();
    fs::write(www.join("index.html"), "旧首页").unwrap();
    set_deploy(&root, &www.to_string_lossy());
    ok(gongkai(&root, &["build"]));
    // No manifest on the target yet: --delete removes nothing.
    let err = ok(gongkai(&root, &["deploy", "--delete"]));
    assert!(err.contains("没有删除任何文件"), "{err}");
    assert!(www.join("老栏目/说明.txt").is_file());
    // A news item removed from the site: its page was uploaded, so it goes.
    let item = "news/2023/政府开放日";
    assert!(www.join(item).join("index.html").is_file());
    fs::remove_file(root.join("content/news/2023/政府开放日.md")).unwrap();
    ok(gongkai(&root, &["build"]));
    ok(gongkai(&root, &["deploy", "--delete"]));
    assert!(!www.join(item).join("index.html").exists());
    assert!(
        www.join("老栏目/说明.txt").is_file(),
        "never uploaded, never deleted"
    );
}

#[test]
fn build_refuses_an_output_folder_that_is_not_its_own() {
    let (dir, root) = example();
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/logo.txt"), "标志").unwrap();
    let thesis = dir.path().join("论文");
    fs::create_dir(&thesis).unwrap();
    fs::write(thesis.join("thesis.docx"), "毕业论文").unwrap();
    for out in [
        root.join("content"),
        root.join("content/news"),
        root.join("content/新文件夹"),
        root.join("themes"),
        root.join("static"),
        root.clone(),
        dir.path().to_path_buf(),
        thesis.clone(),
        root.join("site.toml"),
    ] {
        let before = files(dir.path());
        let o = gongkai(&root, &["build", "--out", out.to_str().unwrap()]);
        let err = failed(o);
        assert!(
            err.contains("不能写入这个输出文件夹"),
            "{}: {err}",
            out.display()
        );
        assert_eq!(files(dir.path()), before, "{}", out.display());
    }
    // A new folder, an empty one, the default public/ and a folder a build made are fine.
    let fresh = dir.path().join("输出");
    ok(gongkai(&root, &["build", "--out", fresh.to_str().unwrap()]));
    ok(gongkai(&root, &["build", "--out", fresh.to_str().unwrap()]));
    let empty = dir.path().join("空");
    fs::create_dir(&empty).unwrap();
    ok(gongkai(&root, &["build", "--out", empty.to_str().unwrap()]));
    ok(gongkai(&root, &["build"]));
    assert!(root.join("public/.gongkai-build.json").is_file());
}

/// Runs the binary as an ordinary user when the tests run as root (as in CI), since
/// root reads folders whatever their permissions say.
fn gongkai_unprivileged(root: &Path, args: &[&str]) -> Output {
    let uid = Command::new("id").arg("-u").output().unwrap().stdout;
    let mut c = if String::from_utf8_lossy(&uid).trim() == "0" {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_gongkai"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_gongkai"))
    };
    c.args(args).arg("--root").arg(root).output().unwrap()
}

#[cfg(unix)]
#[test]
fn an_unreadable_or_missing_content_folder_fails_instead_of_emptying_the_site() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let (dir, root) = example();
    let open = |p: &Path, mode| fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    for e in walkdir::WalkDir::new(dir.path()) {
        let e = e.unwrap();
        open(e.path(), if e.file_type().is_dir() { 0o777 } else { 0o666 });
    }
    ok(gongkai_unprivileged(&root, &["build"]));
    let published = files(&root.join("public"));
    assert!(published.keys().any(|k| k.starts_with("news/2023/")));

    let locked = root.join("content/news/2023");
    open(&locked, 0o000);
    let err = failed(gongkai_unprivileged(&root, &["build"]));
    open(&locked, 0o777);
    assert!(err.contains("content/news/2023"), "{err}");
    assert!(err.contains("无法读取"), "{err}");
    assert_eq!(files(&root.join("public")), published);

    let saved = dir.path().join("content-saved");
    fs::rename(root.join("content"), &saved).unwrap();
    fs::write(root.join("content"), "不是文件夹").unwrap();
    let err = failed(gongkai(&root, &["build"]));
    assert!(err.contains("却是一个文件"), "{err}");
    fs::remove_file(root.join("content")).unwrap();
    symlink(dir.path().join("不存在"), root.join("content")).unwrap();
    let err = failed(gongkai(&root, &["build"]));
    assert!(err.contains("content"), "{err}");
    fs::remove_file(root.join("content")).unwrap();
    // No content at all: the last build had pages, so an empty site needs --allow-empty.
    let err = failed(gongkai(&root, &["build"]));
    assert!(err.contains("--allow-empty"), "{err}");
    // But a site.toml that cannot be read is its own error, not an empty site.
    let config = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(root.join("site.toml"), format!("{config}\n[deploy.本机]\n")).unwrap();
    fs::create_dir(root.join("content")).unwrap();
    let err = failed(gongkai(&root, &["build"]));
    assert!(err.contains("[deploy.\"本机\"]"), "{err}");
    assert!(!err.contains("--allow-empty"), "{err}");
    fs::write(root.join("site.toml"), config).unwrap();
    fs::remove_dir(root.join("content")).unwrap();
    assert_eq!(files(&root.join("public")), published);
    ok(gongkai(&root, &["build", "--allow-empty"]));
    assert!(!root.join("public/news/2023").exists());
}

#[test]
fn deploy_sends_only_what_the_build_wrote_and_never_a_dot_file() {
    let (dir, root) = example();
    let www = dir.path().join("www");
    set_deploy(&root, &www.to_string_lossy());
    ok(gongkai(&root, &["build"]));
    let public = root.join("public");
    fs::create_dir_all(public.join(".git")).unwrap();
    fs::write(public.join(".git/config"), "[remote] url = secret").unwrap();
    fs::write(public.join(".env"), "PASSWORD=secret").unwrap();
    fs::write(public.join("草稿.html"), "未发布").unwrap();
    fs::create_dir_all(public.join("news/.svn")).unwrap();
    fs::write(public.join("news/.svn/entries"), "secret").unwrap();
    ok(gongkai(&root, &["deploy"]));
    let sent = files(&www);
    assert!(sent.contains_key("index.html"));
    let leaked: Vec<&String> = sent
        .keys()
        .filter(|k| k.contains("secret") || k.contains(".git") || k.contains(".env"))
        .chain(
            sent.keys()
                .filter(|k| *k == "草稿.html" || k.contains(".svn")),
        )
        .collect();
    assert!(leaked.is_empty(), "{leaked:?}");
    // `--out .` names the site itself, which no build wrote: nothing is sent.
    let www2 = dir.path().join("www2");
    let config = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(
        root.join("site.toml"),
        config.replace(&*www.to_string_lossy(), &www2.to_string_lossy()),
    )
    .unwrap();
    let err = failed(gongkai(&root, &["deploy", "--out", root.to_str().unwrap()]));
    assert!(err.contains("gongkai build"), "{err}");
    assert!(!www2.exists() || files(&www2).is_empty());
}

#[cfg(unix)]
#[test]
fn links_that_leave_the_site_are_refused_everywhere() {
    use std::os::unix::fs::symlink;
    let (dir, root) = example();
    let secret = dir.path().join("shadow");
    fs::write(&secret, "root:$6$secret-hash:19000:0:99999:7:::").unwrap();
    let secret_dir = dir.path().join("私人文件夹");
    fs::create_dir(&secret_dir).unwrap();
    fs::write(secret_dir.join("工资.txt"), "secret-salary").unwrap();
    // An attachment named in front matter.
    let news = root.join("content/news/2023/政府开放日.md");
    let text = fs::read_to_string(&news).unwrap();
    let text = text.replacen("---\n", "---\nattachments:\n  - file: 密码.txt\n", 1);
    fs::write(&news, text).unwrap();
    symlink(&secret, root.join("content/news/2023/密码.txt")).unwrap();
    // static/: a file and a folder; content/: a Markdown file; themes/: a template.
    fs::create_dir_all(root.join("static")).unwrap();
    symlink(&secret, root.join("static/shadow.txt")).unwrap();
    symlink(&secret_dir, root.join("static/docs")).unwrap();
    symlink(&secret, root.join("content/news/2023/外部.md")).unwrap();
    symlink(
        &secret,
        root.join("themes/default/templates/partial_secret.html"),
    )
    .unwrap();
    // A link that stays inside the site is fine.
    symlink(
        root.join("content/reports/2023.yaml"),
        root.join("static/2023.yaml"),
    )
    .unwrap();

    let err = failed(gongkai(&root, &["build"]));
    for place in [
        "content/news/2023/政府开放日.md",
        "static/shadow.txt",
        "static/docs",
        "content/news/2023/外部.md",
        "themes/default/templates/partial_secret.html",
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains(place) && l.contains("网站文件夹之外的链接")),
            "{place}: {err}"
        );
    }
    assert!(!err.contains("static/2023.yaml"), "{err}");
    assert!(!root.join("public").exists(), "nothing written");
    let check = failed(gongkai(&root, &["check"]));
    assert!(!check.contains("secret-hash"), "{check}");
}

#[cfg(unix)]
#[test]
fn io_errors_name_their_path() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, root) = example();
    let mode = |p: &Path, m| fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
    for e in walkdir::WalkDir::new(dir.path()) {
        let e = e.unwrap();
        mode(e.path(), if e.file_type().is_dir() { 0o777 } else { 0o666 });
    }
    // An unreadable content file.
    let item = root.join("content/news/2023/政府开放日.md");
    mode(&item, 0o000);
    let err = failed(gongkai_unprivileged(&root, &["check"]));
    mode(&item, 0o666);
    assert!(
        err.lines()
            .any(|l| l.contains("content/news/2023/政府开放日.md") && l.contains("无法读取")),
        "{err}"
    );
    // An output folder that cannot be written.
    let locked = dir.path().join("只读");
    fs::create_dir(&locked).unwrap();
    mode(&locked, 0o555);
    let out = locked.join("public");
    let err = failed(gongkai_unprivileged(
        &root,
        &["build", "--out", out.to_str().unwrap()],
    ));
    assert!(err.contains(&*locked.to_string_lossy()), "{err}");
    assert!(err.contains("没有权限"), "{err}");
    // A deploy folder that cannot be written.
    ok(gongkai_unprivileged(&root, &["build"]));
    set_deploy(&root, &locked.join("www").to_string_lossy());
    let err = failed(gongkai_unprivileged(&root, &["deploy"]));
    assert!(err.contains(&*locked.to_string_lossy()), "{err}");
}

/// Adds attachments (name, bytes) to the news item 政府开放日, listed in its front matter.
fn attach(root: &Path, files: &[(&str, &str)]) {
    let news = root.join("content/news/2023/政府开放日.md");
    let list: String = files
        .iter()
        .map(|(name, _)| format!("  - file: {}\n", serde_json::to_string(name).unwrap()))
        .collect();
    let text = fs::read_to_string(&news).unwrap();
    fs::write(
        &news,
        text.replacen("---\n", &format!("---\nattachments:\n{list}"), 1),
    )
    .unwrap();
    for (name, body) in files {
        fs::write(root.join("content/news/2023").join(name), body).unwrap();
    }
}

#[test]
fn a_copied_file_named_like_a_generated_one_is_an_error_naming_both() {
    let (_dir, root) = example();
    attach(&root, &[("index.html", "<p>附件</p>")]);
    fs::create_dir_all(root.join("static/news")).unwrap();
    fs::write(root.join("static/news/index.html"), "旧的新闻列表").unwrap();
    fs::write(root.join("content/reports/report.json"), "{}").unwrap();
    let report = fs::read_to_string(root.join("content/reports/2023.yaml")).unwrap();
    fs::write(
        root.join("content/reports/2023.yaml"),
        format!("{report}\nattachments:\n  - file: report.json\n"),
    )
    .unwrap();
    let err = failed(gongkai(&root, &["build"]));
    for (file, path) in [
        (
            "content/news/2023/政府开放日.md",
            "/news/2023/政府开放日/index.html",
        ),
        ("static/news/index.html", "/news/index.html"),
        ("content/reports/2023.yaml", "/zwgk/ndbg/2023/report.json"),
    ] {
        assert!(
            err.lines().any(|l| l.starts_with(file)
                && l.contains("[collision]")
                && l.contains(path)
                && l.contains("同名")),
            "{file}: {err}"
        );
    }
    assert!(!root.join("public").exists(), "nothing written");
}

#[test]
fn attachment_names_with_url_characters_are_escaped_in_links() {
    let (_dir, root) = example();
    // Names a Windows host also takes (`?`, `"`, `<>` are refused by the gate:
    // hostile_sites.rs `names_a_windows_host_refuses_or_merges_are_errors_at_the_file`).
    let names = [
        "会议 纪要#1.pdf",
        "50%.pdf",
        "和&号；分号.pdf",
        "方括号[2023].pdf",
    ];
    let files: Vec<(&str, &str)> = names.iter().map(|n| (*n, "附件内容")).collect();
    attach(&root, &files);
    ok(gongkai(&root, &["build"]));
    let page = root.join("public/news/2023/政府开放日/index.html");
    let html_text = fs::read_to_string(&page).unwrap();
    let hrefs = html::attrs(&html_text, "a[href]", "href");
    for name in names {
        let href = hrefs
            .iter()
            .find(|h| {
                let decoded = percent_decode(h);
                decoded.ends_with(&format!("/{name}"))
            })
            .unwrap_or_else(|| panic!("a link to {name}: {hrefs:?}"));
        assert!(
            !href.contains([' ', '#', '?', '"', '<', '>']) && !href.ends_with("50%.pdf"),
            "{href}"
        );
        let target = root
            .join("public")
            .join(percent_decode(href).trim_start_matches('/'));
        assert!(target.is_file(), "{href} leads to {}", target.display());
    }
    // A name no URL can carry.
    let (_dir2, root2) = example();
    attach(&root2, &[("换\n行.pdf", "x")]);
    let err = failed(gongkai(&root2, &["build"]));
    assert!(err.contains("控制字符"), "{err}");
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn deploy_verify_finds_and_repairs_what_went_missing_on_the_target() {
    let (dir, root) = example();
    let www = dir.path().join("www");
    set_deploy(&root, &www.to_string_lossy());
    ok(gongkai(&root, &["build"]));
    ok(gongkai(&root, &["deploy"]));
    let sent = files(&www);
    fs::remove_file(www.join("index.html")).unwrap();
    fs::write(www.join("zwgk/index.html"), "被改动的页面").unwrap();
    // The manifest alone says nothing changed.
    let err = ok(gongkai(&root, &["deploy"]));
    assert!(!www.join("index.html").exists(), "{err}");
    let err = ok(gongkai(&root, &["deploy", "--verify", "--dry-run"]));
    assert!(
        err.contains("1 个文件在目标上不见了") && err.contains("1 个文件与清单不一致"),
        "{err}"
    );
    assert!(
        !www.join("index.html").exists(),
        "a dry run repairs nothing"
    );
    ok(gongkai(&root, &["deploy", "--verify"]));
    assert_eq!(files(&www), sent, "the target is whole again");
    let err = ok(gongkai(&root, &["deploy", "--verify"]));
    assert!(err.contains("一致"), "{err}");
}

/// Edits the example site into its "second edition": one item changed, one removed, one
/// added, so that a build changes, adds and removes files.
fn second_edition(root: &Path) {
    let item = root.join("content/news/2023/新闻发布会.md");
    let text = fs::read_to_string(&item).unwrap();
    fs::write(&item, format!("{text}\n第二版增加的段落。\n")).unwrap();
    fs::remove_file(root.join("content/news/2023/阳光问政热线.md")).unwrap();
    fs::write(
        root.join("content/news/2023/第二版新增.md"),
        "---\ntitle: 第二版新增的动态\ndate: 2023-12-30\ncategory: 外事动态\n---\n\n正文。\n",
    )
    .unwrap();
}

/// What a build killed at each of its steps leaves, made by hand from the files of two
/// real builds (a kill's timing cannot be chosen), and the next build mending it: the
/// output equals a clean build, no staging folder is left, and while the output is
/// mixed, deploy refuses it.
#[test]
fn a_killed_build_leaves_whole_files_and_the_next_build_mends_the_output() {
    let (dir, root) = example();
    ok(gongkai(&root, &["build"]));
    let first = files(&root.join("public"));
    let reference = dir.path().join("参照");
    copy_dir(&root, &reference);
    fs::remove_dir_all(reference.join("public")).unwrap();
    second_edition(&reference);
    ok(gongkai(&reference, &["build"]));
    let second = files(&reference.join("public"));
    let new_or_changed: Vec<&String> = second
        .iter()
        .filter(|(k, v)| first.get(*k) != Some(*v) && !k.starts_with('.'))
        .map(|(k, _)| k)
        .collect();
    assert!(new_or_changed.len() > 4, "{new_or_changed:?}");
    let write = |base: &Path, files: &[(&String, &Vec<u8>)]| {
        for (k, v) in files {
            let p = base.join(k);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, v).unwrap();
        }
    };
    let unfinished = |public: &Path| {
        let p = public.join(".gongkai-build.json");
        let m = fs::read_to_string(&p).unwrap();
        fs::write(&p, m.replace("\"complete\": true", "\"complete\": false")).unwrap();
    };
    let staged: Vec<(&String, &Vec<u8>)> =
        new_or_changed.iter().map(|k| (*k, &second[*k])).collect();
    let half = staged.len() / 2;
    // 1: killed while rendering or staging; 2: while moving files into place;
    // 3: while removing the files the site no longer has.
    for step in 1..=3 {
        let site = dir.path().join(format!("第{step}步"));
        copy_dir(&root, &site);
        second_edition(&site);
        let public = site.join("public");
        let staging = site.join(".public.gongkai-staging-4194999");
        match step {
            1 => write(&staging, &staged[..half]),
            2 => {
                write(&public, &staged[..half]);
                write(&staging, &staged[half..]);
                unfinished(&public);
            }
            _ => {
                write(&public, &staged);
                unfinished(&public);
            }
        }
        if step > 1 {
            set_deploy(&site, &dir.path().join("www").to_string_lossy());
            let err = failed(gongkai(&site, &["deploy", "--dry-run"]));
            assert!(err.contains("没有完成"), "step {step}: {err}");
        }
        ok(gongkai(&site, &["build"]));
        assert_eq!(
            files(&public),
            second,
            "step {step}: the next build mends it"
        );
        assert!(
            !staging.exists(),
            "step {step}: the staging folder is removed"
        );
    }
}

#[test]
fn staging_folders_of_builds_that_died_are_removed_by_the_next_build() {
    let (_dir, root) = example();
    ok(gongkai(&root, &["build"]));
    // A pid above Linux's largest, so no process has it.
    let dead = root.join(".public.gongkai-staging-4194999");
    fs::create_dir_all(dead.join("news")).unwrap();
    fs::write(dead.join("news/index.html"), "半截").unwrap();
    fs::write(
        root.join("content/news/2023/新.md"),
        "---\ntitle: 新的一条\ndate: 2023-12-01\n---\n\n正文。\n",
    )
    .unwrap();
    ok(gongkai(&root, &["build"]));
    assert!(!dead.exists());
}
