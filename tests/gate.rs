//! The one gate (src/gate): every path that can put content in front of the public — a
//! site's build, each member of a group (whole and sharded), deploy and the preview —
//! passes the same checks, and what it holds back (定时发布, 审核签发) stays out of every
//! file. The real binary on copies of the example site and the example group.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/http.rs"]
mod http;
#[path = "support/serve.rs"]
mod serve;
#[path = "support/tree.rs"]
mod tree;

use std::path::Path;

use cli::{ok, read, run_at, stderr, write};
use serde_json::Value;
use tree::{copy_dir, repo, tree_of};

/// A valid 居民身份证号码 (its check character is right) and a mobile number.
const ID: &str = "370203198001011239";
const MOBILE: &str = "13812345678";
const LEAK: &str = "\n来电人王某，身份证号 370203198001011239，联系电话 13812345678。\n";

/// The example site's news item the tests edit.
const NEWS: &str = "content/news/2023/阳光问政热线.md";

fn append(root: &Path, rel: &str, text: &str) {
    let old = read(root, rel);
    write(root, rel, old + text);
}

/// The files under `dir` whose bytes hold `needle`.
fn holding(dir: &Path, needle: &str) -> Vec<String> {
    tree_of(dir)
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(path, _)| path)
        .collect()
}

/// `check --format json` of `root` with `args`: every record.
fn json(root: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let o = run_at(root, &all);
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

#[test]
fn personal_data_stops_a_sites_build_and_reaches_no_file() {
    let (_dir, root) = tree::example();
    ok(run_at(&root, &["build", "--as-of", "2024-01-10"]));
    let before = tree_of(&root.join("public"));
    append(&root, NEWS, LEAK);
    let o = run_at(&root, &["build", "--as-of", "2024-01-10"]);
    assert!(!o.status.success(), "personal data is an error by default");
    let err = stderr(&o);
    for rule in ["[privacy.id-card]", "[privacy.mobile]"] {
        assert!(
            err.contains(&format!("{NEWS}:")) && err.contains(rule),
            "{err}"
        );
    }
    assert!(!err.contains(ID) && !err.contains(MOBILE), "masked: {err}");
    assert_eq!(
        tree_of(&root.join("public")),
        before,
        "the output as it was"
    );
    assert!(holding(&root.join("public"), MOBILE).is_empty());
    // The item's own allow_numbers lets a number out that must be published.
    let text = read(&root, NEWS).replacen("---\n", "---\nallow_numbers: [\"13812345678\"]\n", 1);
    write(&root, NEWS, text);
    let records = json(&root, &["--as-of", "2024-01-10"]);
    let rules: Vec<&str> = records
        .iter()
        .filter(|r| r["level"] == "error")
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["privacy.id-card"]);
}

/// A copy of the example group, built once as of `day`.
fn example_group(day: &str) -> tempfile::TempDir {
    let g = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/group"), g.path());
    ok(run_at(g.path(), &["build", "--as-of", day]));
    g
}

#[test]
fn a_group_member_with_personal_data_stops_the_group_on_every_path() {
    let g = example_group("2024-04-01");
    let root = g.path();
    let out = root.join("public");
    let before = tree_of(&out);
    let file = "sites/wb/content/news/2023/阳光问政热线.md";
    append(root, file, LEAK);
    for args in [
        &["check", "--as-of", "2024-04-01"][..],
        &["check", "--as-of", "2024-04-01", "--strict"],
        &["build", "--as-of", "2024-04-01"],
    ] {
        let o = run_at(root, args);
        assert!(!o.status.success(), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains("（wb，sites/wb）"), "the member named: {err}");
        assert!(
            err.contains(&format!("{file}:")) && err.contains("[privacy.id-card]"),
            "{err}"
        );
    }
    assert_eq!(tree_of(&out), before, "the output as it was");
    assert!(holding(&out, ID).is_empty() && holding(&out, MOBILE).is_empty());
    // Each shard passes its members through the gate: the one holding wb fails.
    assert_eq!(
        failed_shards(root, "[privacy.id-card]", ID),
        1,
        "the shard with wb, and only it"
    );
}

/// Runs `args` at `root` and expects it refused for the 身份证号 in `file`, named.
fn refused_at(root: &Path, args: &[&str], file: &str) {
    let o = run_at(root, args);
    assert!(!o.status.success(), "{args:?}");
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{file}:")) && err.contains("[privacy.id-card]"),
        "{args:?}: {err}"
    );
}

/// A link in a body to a file beside it: the file is published as it is, as an
/// attachment is.
const LINKED: &str = "\n获奖人员名单见[名单](获奖名单.txt)。\n";

#[test]
fn a_file_the_body_links_to_is_read_by_the_gate_on_every_path() {
    let (_dir, root) = tree::example();
    ok(run_at(&root, &["build", "--as-of", "2024-01-10"]));
    let before = tree_of(&root.join("public"));
    let list = "content/news/2023/获奖名单.txt";
    append(&root, NEWS, LINKED);
    write(&root, list, LEAK);
    for args in [&["build", "--as-of", "2024-01-10"][..], &["check"]] {
        refused_at(&root, args, list);
    }
    assert_eq!(
        tree_of(&root.join("public")),
        before,
        "the output as it was"
    );
    let s = serve::Served::start(&root, &[]);
    let home = http::get(&s.url("/")).text();
    assert!(
        home.contains("gongkai-findings") && home.contains("获奖名单.txt"),
        "the preview names it"
    );
    drop(s);

    let g = example_group("2024-04-01");
    let root = g.path();
    let out = root.join("public");
    let before = tree_of(&out);
    let list = "sites/wb/content/news/2023/获奖名单.txt";
    append(root, "sites/wb/content/news/2023/阳光问政热线.md", LINKED);
    write(root, list, LEAK);
    refused_at(root, &["build", "--as-of", "2024-04-01"], list);
    assert_eq!(tree_of(&out), before, "the output as it was");
    assert!(holding(&out, ID).is_empty());
    assert_eq!(failed_shards(root, "[privacy.id-card]", ID), 1);
}

#[test]
fn a_file_of_static_is_read_by_the_gate_on_a_site_and_a_group_member() {
    let (_dir, root) = tree::example();
    ok(run_at(&root, &["build", "--as-of", "2024-01-10"]));
    let before = tree_of(&root.join("public"));
    let list = "static/files/名单.csv";
    write(&root, list, format!("姓名,身份证号\n王某,{ID}\n"));
    refused_at(&root, &["build", "--as-of", "2024-01-10"], list);
    assert_eq!(
        tree_of(&root.join("public")),
        before,
        "the output as it was"
    );

    let g = example_group("2024-04-01");
    let root = g.path();
    let out = root.join("public");
    let before = tree_of(&out);
    let list = "sites/szf/static/files/名单.csv";
    write(root, list, format!("姓名,身份证号\n王某,{ID}\n"));
    refused_at(root, &["build", "--as-of", "2024-04-01"], list);
    assert_eq!(tree_of(&out), before, "the output as it was");
}

#[test]
fn the_portals_own_static_is_read_by_the_gate_on_check_build_and_merge() {
    let g = example_group("2024-04-01");
    let root = g.path();
    let out = root.join("public");
    let before = tree_of(&out);
    let list = "static/files/名单.txt";
    write(root, list, LEAK);
    for args in [
        &["check", "--as-of", "2024-04-01"][..],
        &["build", "--as-of", "2024-04-01"],
    ] {
        refused_at(root, args, list);
    }
    assert_eq!(tree_of(&out), before, "the output as it was");
    // The shards hold members only; the merge makes the portal's pages and is stopped.
    assert_eq!(failed_shards(root, "[privacy.id-card]", ID), 0);
    let merged = root.join("merged");
    let o = cli::gongkai()
        .args(["build", "--as-of", "2024-04-01", "--root"])
        .arg(root)
        .arg("--out")
        .arg(&merged)
        .arg("--merge")
        .arg(root.join("shard-1"))
        .arg(root.join("shard-2"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("[privacy.id-card]"), "{}", stderr(&o));
    assert!(!merged.exists() || holding(&merged, ID).is_empty());
    // A number group.toml allows every member is allowed in the portal's files too.
    let toml = read(root, "group.toml")
        + &format!("\n[site.compliance.privacy]\nallow_numbers = [\"{ID}\", \"{MOBILE}\"]\n");
    write(root, "group.toml", toml);
    ok(run_at(root, &["build", "--as-of", "2024-04-01"]));
    assert_eq!(holding(&out, ID), ["files/名单.txt"]);
}

/// Builds the group at `root` in two shards; returns how many failed. A failed one says
/// `code`, and no shard's output holds `leak`.
fn failed_shards(root: &Path, code: &str, leak: &str) -> usize {
    let mut failed = 0;
    for k in ["1/2", "2/2"] {
        let shard = root.join(format!("shard-{}", &k[..1]));
        let o = cli::gongkai()
            .args(["build", "--as-of", "2024-04-01", "--shard", k, "--root"])
            .arg(root)
            .arg("--out")
            .arg(&shard)
            .output()
            .unwrap();
        if !o.status.success() {
            failed += 1;
            assert!(stderr(&o).contains(code), "{}", stderr(&o));
        }
        assert!(!shard.exists() || holding(&shard, leak).is_empty());
    }
    failed
}

/// The example site with a folder deploy target `web` beside it.
fn deployable() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let (dir, root) = tree::example();
    let target = dir.path().join("www");
    let toml = read(&root, "site.toml")
        + &format!(
            "\n[deploy.web]\nkind = \"folder\"\npath = {:?}\n",
            target.to_str().unwrap()
        );
    write(&root, "site.toml", toml);
    (dir, root, target)
}

#[test]
fn deploy_never_uploads_a_build_older_than_its_sources() {
    let (_dir, root, target) = deployable();
    ok(run_at(&root, &["build"]));
    ok(run_at(&root, &["deploy", "web"]));
    let published = tree_of(&target);
    let title = "市外办负责人做客“阳光问政热线”解读外事政策";
    let text = read(&root, NEWS).replace(title, "市外办负责人做客热线节目");
    write(&root, NEWS, text);
    let o = run_at(&root, &["deploy", "web"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains(NEWS) && err.contains("gongkai build"), "{err}");
    assert_eq!(tree_of(&target), published, "nothing was sent");
    // `deploy --build` builds first and publishes the new page.
    ok(run_at(&root, &["deploy", "web", "--build"]));
    assert!(!holding(&target, "市外办负责人做客热线节目").is_empty());
    // A build the gate stops is never published either.
    append(&root, NEWS, LEAK);
    let o = run_at(&root, &["deploy", "web", "--build"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("[privacy.id-card]"));
    assert!(holding(&target, MOBILE).is_empty());
    // An output without the record of a build that passed (made by hand, or by an older
    // gongkai) is refused.
    let text = read(&root, NEWS).replace(LEAK.trim(), "");
    write(&root, NEWS, text);
    ok(run_at(&root, &["build"]));
    std::fs::remove_file(root.join(".public.gongkai-record.json")).unwrap();
    let o = run_at(&root, &["deploy", "web"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("gongkai build"), "{}", stderr(&o));
    // A build with nothing else changed makes the record again, and one spoilt by hand too:
    // the build that finds it not as it left it does not take itself as up to date.
    ok(run_at(&root, &["build"]));
    ok(run_at(&root, &["deploy", "web"]));
    write(&root, ".public.gongkai-record.json", "{\"sources\": 记录");
    ok(run_at(&root, &["build"]));
    let record: Value = serde_json::from_str(&read(&root, ".public.gongkai-record.json")).unwrap();
    assert!(record["sources"].is_object(), "{record}");
    ok(run_at(&root, &["deploy", "web"]));
}

#[test]
fn a_group_members_deploy_is_judged_by_its_own_sources() {
    let g = example_group("2024-04-01");
    let root = g.path();
    for (slug, name) in [("wb", "waiban"), ("szf", "shizhengfu")] {
        let target = root.join(format!("www-{name}"));
        let file = format!("sites/{slug}/site.toml");
        let toml = read(root, &file)
            + &format!(
                "\n[deploy.web]\nkind = \"folder\"\npath = {:?}\n",
                target.to_str().unwrap()
            );
        write(root, &file, toml);
    }
    // Built for today, so that the example's later 办事指南 and 留言 are published and no
    // scheduled item has come due since.
    ok(run_at(root, &["build"]));
    // Members built for another day are built again: the 办事指南 held back on 2024-04-01
    // are published now.
    let services = read(root, "public/wb/bsfw/index.html");
    assert!(services.contains("领事认证"), "{services}");
    // An edit in wb stops wb's deploy and the portal's, not szf's.
    append(
        root,
        "sites/wb/content/news/2023/阳光问政热线.md",
        "\n补充一句。\n",
    );
    let o = run_at(root, &["deploy", "web", "--member", "wb"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("sites/wb/content/news/2023/阳光问政热线.md"));
    ok(run_at(root, &["deploy", "web", "--member", "szf"]));
    assert!(root.join("www-shizhengfu/index.html").is_file());
    assert!(!root.join("www-waiban").exists());
}

#[test]
fn the_preview_shows_the_gates_findings_and_keeps_previewing() {
    let (_dir, root) = tree::example();
    let s = serve::Served::start(&root, &[]);
    let home = || http::get(&s.url("/")).text();
    assert!(!home().contains("gongkai-findings"));
    append(&root, NEWS, LEAK);
    serve::until("the findings panel", || home().contains("gongkai-findings"));
    let page = home();
    assert!(page.contains("privacy.id-card") && page.contains("3702**********1239"));
    assert!(!page.contains("gongkai-error"), "the preview goes on");
    let text = read(&root, NEWS).replace(LEAK.trim(), "来电人王某。");
    write(&root, NEWS, text);
    serve::until("the panel gone once fixed", || {
        !home().contains("gongkai-findings")
    });
}

#[test]
fn a_scheduled_item_waits_for_its_day_everywhere() {
    let (_dir, root) = tree::example();
    let (dir, title) = ("content/news/2024", "关于春节假期值班安排的通知");
    write(
        &root,
        &format!("{dir}/春节值班.md"),
        format!(
            "---\ntitle: {title}\ndate: 2024-02-05\ncategory: 外事动态\n---\n\n春节期间值班安排如下。\n"
        ),
    );
    let err = ok(run_at(&root, &["build", "--as-of", "2024-01-10"]));
    assert!(err.contains("最早 2024-02-05"), "{err}");
    assert!(
        err.contains(&format!("《{title}》：2024-02-05 发布")),
        "{err}"
    );
    let out = root.join("public");
    assert!(
        holding(&out, title).is_empty(),
        "not on any page, feed, sitemap or index"
    );
    let records = json(&root, &["--as-of", "2024-01-10"]);
    let held: Vec<&Value> = records
        .iter()
        .filter(|r| r["rule"] == "schedule.held" && r["file"].as_str().unwrap().starts_with(dir))
        .collect();
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["date"], "2024-02-05");
    assert_eq!(held[0]["level"], "info");
    // Its day come, deploy refuses the old build; the next build publishes it.
    let target = root.parent().unwrap().join("www");
    let toml = read(&root, "site.toml")
        + &format!(
            "\n[deploy.web]\nkind = \"folder\"\npath = {:?}\n",
            target.to_str().unwrap()
        );
    write(&root, "site.toml", toml);
    ok(run_at(&root, &["build", "--as-of", "2024-01-10"]));
    let o = run_at(&root, &["deploy", "web"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("2024-02-05"), "{}", stderr(&o));
    ok(run_at(&root, &["build", "--as-of", "2024-02-05"]));
    let files = holding(&out, title);
    for f in ["index.html", "atom.xml", "search/docs.json"] {
        assert!(files.iter().any(|x| x == f), "{f} in {files:?}");
    }
    assert!(files.iter().any(|x| x.starts_with("news/2024/")));
}

const SIGNED: &str =
    "review:\n  撰稿: 张三\n  审核: 李四\n  保密审查: 是\n  签发: 王五\n  签发日期: 2023-12-28\n";

#[test]
fn with_review_required_only_signed_items_are_published_and_the_record_says_who() {
    let (_dir, root) = tree::example();
    let toml = read(&root, "site.toml") + "\n[review]\nrequired = true\n";
    write(&root, "site.toml", toml);
    let text = read(&root, NEWS).replacen("---\n", &format!("---\n{SIGNED}"), 1);
    write(&root, NEWS, text);
    let half = "content/news/2023/政府开放日.md";
    let text = read(&root, half).replacen("---\n", "---\nreview:\n  撰稿: 赵六\n  审核: 孙七\n", 1);
    write(&root, half, text);
    let err = ok(run_at(&root, &["build", "--as-of", "2024-01-10"]));
    assert!(err.contains("待审核签发，没有发布"), "{err}");
    let out = root.join("public");
    assert!(!holding(&out, "市外办负责人做客“阳光问政热线”解读外事政策").is_empty());
    assert!(
        holding(&out, "王五").is_empty(),
        "the record stays beside the output"
    );
    let record: Value = serde_json::from_str(&read(&root, ".public.gongkai-record.json")).unwrap();
    let signed = record["decision"]["signed"].as_array().unwrap();
    assert_eq!(signed.len(), 1);
    assert_eq!(signed[0]["file"], NEWS);
    assert_eq!(signed[0]["signed_by"], "王五");
    assert_eq!(
        signed[0]["signed_on"].as_str().unwrap()[..10],
        *"2023-12-28"
    );
    // check says what waits for whom.
    let err = stderr(&run_at(&root, &["check", "--as-of", "2024-01-10"]));
    assert!(
        err.contains(&format!("{half}《"))
            && err.contains("待保密审查，还缺 保密审查、签发人、签发日期"),
        "{err}"
    );
    let records = json(&root, &["--as-of", "2024-01-10"]);
    let waiting = records.iter().find(|r| r["file"] == half).unwrap();
    assert_eq!(waiting["rule"], "review.waiting");
    let by = records
        .iter()
        .find(|r| r["rule"] == "review.signed")
        .unwrap();
    assert_eq!(by["sign_off"]["reviewed_by"], "李四");
}

/// The agency an import could not find is written as a stand-in, which would be the
/// report's published title: it is refused on every path — a site's check, build and
/// deploy, the preview (shown), a group member's build and the shard that holds it.
#[test]
fn a_reports_stand_in_agency_stops_every_path() {
    const REPORT: &str = "content/reports/2023.yaml";
    let stand_in = |root: &Path, rel: &str| {
        let text = read(root, rel).replace(
            "agency: 威海市人民政府外事办公室",
            "agency: \"（请填写机关名称）\"",
        );
        write(root, rel, text);
    };
    let (_dir, root, target) = deployable();
    ok(run_at(&root, &["build"]));
    let out = root.join("public");
    let before = tree_of(&out);
    // The preview shows it.
    let s = serve::Served::start(&root, &[]);
    stand_in(&root, REPORT);
    serve::until("the stand-in shown", || {
        http::get(&s.url("/")).text().contains("report-agency")
    });
    drop(s);
    for args in [&["check"][..], &["build"], &["deploy", "web", "--build"]] {
        let o = run_at(&root, args);
        assert!(!o.status.success(), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains(&format!("{REPORT}:6:")) && err.contains("[report-agency]"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(tree_of(&out), before, "the output as it was");
    assert!(!target.exists() || holding(&target, "请填写机关名称").is_empty());

    let g = example_group("2024-04-01");
    let root = g.path();
    let before = tree_of(&root.join("public"));
    let file = format!("sites/wb/{REPORT}");
    stand_in(root, &file);
    let o = run_at(root, &["build", "--as-of", "2024-04-01"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("（wb，sites/wb）") && err.contains("[report-agency]"),
        "{err}"
    );
    assert_eq!(
        tree_of(&root.join("public")),
        before,
        "the output as it was"
    );
    assert_eq!(
        failed_shards(root, "[report-agency]", "请填写机关名称"),
        1,
        "the shard with wb, and only it"
    );
}
