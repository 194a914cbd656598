//! A portal group as visitors and editors meet it: the group-wide search, the sortable
//! 年报 comparison and the 年报 pages' layout in a real headless Chromium, the preview
//! server with its reload after a member's edit, and deploys of the portal and of one
//! member.

#[path = "support/browser.rs"]
mod browser;
#[path = "support/html.rs"]
mod html;
#[path = "support/http.rs"]
mod http;
#[path = "support/serve.rs"]
mod serve;
#[path = "support/static_server.rs"]
mod static_server;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use browser::Browser;
use serde_json::Value;
use static_server::StaticServer;
use tree::{copy_dir, repo};

fn gongkai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .expect("the gongkai binary runs")
}

fn ok(o: Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    err
}

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/group"), dir.path());
    dir
}

/// The fixture group built for, and served on, a free loopback port.
fn served() -> (tempfile::TempDir, StaticServer) {
    let g = fixture();
    let out = g.path().join("public");
    fs::create_dir_all(&out).unwrap();
    let server = StaticServer::start(&out);
    let url = format!("http://127.0.0.1:{}/", server.port);
    let root = g.path().to_str().unwrap().to_string();
    ok(gongkai(&[
        "build",
        "--root",
        &root,
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        &url,
    ]));
    (g, server)
}

const WAIT: Duration = Duration::from_secs(10);

fn search(b: &Browser, query: &str) -> Value {
    b.eval("document.getElementById('search-q').value=''; document.getElementById('search-status').removeAttribute('data-ms'); return true;");
    b.type_into("#search-q", query);
    b.press("\u{E007}");
    assert!(
        b.wait_for(
            "return document.getElementById('search-status').hasAttribute('data-ms');",
            WAIT
        ),
        "no answer to {query}"
    );
    b.eval(
        "return {status: document.getElementById('search-status').textContent,
          titles: [...document.querySelectorAll('#search-results h2')].map(h => h.textContent),
          hrefs: [...document.querySelectorAll('#search-results h2 a')].map(a => a.getAttribute('href')),
          labels: [...document.querySelectorAll('#search-results .meta')].map(p => p.textContent)};",
    )
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_group_search_finds_every_members_pages_and_filters_by_agency() {
    let (_g, server) = served();
    let b = Browser::start();
    b.goto(&server.url("search/"));
    let v = search(&b, "签证");
    let mut titles = strings(&v["titles"]);
    titles.sort();
    assert_eq!(
        titles,
        ["2024年义务教育招生政策解读", "因公签证办理须知"],
        "{v}"
    );
    let labels = strings(&v["labels"]);
    assert!(
        labels.iter().any(|l| l.starts_with("某市教育局 · ")),
        "{labels:?}"
    );
    assert!(
        labels.iter().any(|l| l.starts_with("某市外事办公室 · ")),
        "{labels:?}"
    );
    // A result leads to the member's page.
    for href in strings(&v["hrefs"]) {
        let encoded: String = href
            .chars()
            .map(|c| {
                if c.is_ascii() {
                    c.to_string()
                } else {
                    c.to_string().bytes().map(|x| format!("%{x:02X}")).collect()
                }
            })
            .collect();
        assert_eq!(
            http::get(&server.url(encoded.trim_start_matches('/'))).status,
            200,
            "{href}"
        );
    }
    // Filtered by agency, kept in the address.
    b.eval("document.getElementById('search-agency').value='教育局'; return true;");
    let v = search(&b, "签证");
    assert_eq!(strings(&v["titles"]), ["2024年义务教育招生政策解读"], "{v}");
    let search_part = b.eval("return decodeURIComponent(location.search);");
    assert!(
        search_part.as_str().unwrap().contains("agency=教育局"),
        "{search_part}"
    );
    b.eval("document.getElementById('search-agency').value='tongji'; return true;");
    let v = search(&b, "签证");
    assert!(strings(&v["titles"]).is_empty(), "{v}");
    // Opened from an address with the filter, the page applies it.
    b.goto(&server.url("search/?q=%E7%AD%BE%E8%AF%81&agency=waiban"));
    assert!(b.wait_for(
        "return document.getElementById('search-status').hasAttribute('data-ms');",
        WAIT
    ));
    let titles = b.eval(
        "return [...document.querySelectorAll('#search-results h2')].map(h => h.textContent);",
    );
    assert_eq!(strings(&titles), ["因公签证办理须知"]);
}

#[test]
fn the_comparison_table_sorts_by_a_column_in_the_browser() {
    let (_g, server) = served();
    let b = Browser::start();
    b.goto(&server.url("ndbg/2024/"));
    let order = || {
        strings(&b.eval("return [...document.querySelectorAll('#compare tbody tr')].map(r => r.getAttribute('data-slug'));"))
    };
    assert_eq!(order(), ["waiban", "教育局", "tongji"], "as in group.toml");
    let click = |n: usize| {
        b.eval(&format!("document.querySelectorAll('#compare thead th')[{n}].querySelector('button').click(); return true;"));
    };
    // 本年新收申请: 10 and 20; a member without a report goes last either way.
    click(2);
    assert_eq!(order(), ["waiban", "教育局", "tongji"]);
    assert_eq!(
        b.eval(
            "return document.querySelectorAll('#compare thead th')[2].getAttribute('aria-sort');"
        ),
        "ascending"
    );
    click(2);
    assert_eq!(order(), ["教育局", "waiban", "tongji"]);
    assert_eq!(
        b.eval(
            "return document.querySelectorAll('#compare thead th')[2].getAttribute('aria-sort');"
        ),
        "descending"
    );
    // 行政诉讼: 1 and 0.
    click(7);
    assert_eq!(order(), ["教育局", "waiban", "tongji"]);
    // By name, in Chinese collation order.
    click(0);
    assert_eq!(order().len(), 3);
    assert_eq!(
        b.eval(
            "return document.querySelectorAll('#compare thead th')[0].getAttribute('aria-sort');"
        ),
        "ascending"
    );
}

/// `gongkai serve` on a copy of the fixture group; stopped when dropped.
struct Served {
    server: serve::Served,
    group: tempfile::TempDir,
}

impl std::ops::Deref for Served {
    type Target = serve::Served;
    fn deref(&self) -> &serve::Served {
        &self.server
    }
}

fn serve() -> Served {
    let group = fixture();
    Served {
        server: serve::Served::start(group.path(), &[]),
        group,
    }
}

#[test]
fn the_preview_serves_the_group_and_reloads_after_a_members_edit() {
    let s = serve();
    let get = |path: &str| http::get(&format!("http://127.0.0.1:{}{path}", s.port));
    let home = get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("某市人民政府"));
    let jy = get("/%E6%95%99%E8%82%B2%E5%B1%80/");
    assert_eq!(jy.status, 200);
    assert!(jy.text().contains("/__gongkai/events"), "the reload script");
    assert_eq!(
        html::attrs(&jy.text(), ".portal-bar a.portal-home", "href"),
        ["/"]
    );
    assert_eq!(
        get("/.gongkai-group/waiban.json").status,
        404,
        "the group's data is not served"
    );
    let b = Browser::start();
    b.goto(&format!("http://127.0.0.1:{}/latest/", s.port));
    b.eval("window.__before = true; return true;");
    let item = s
        .group
        .path()
        .join("sites/waiban/content/news/2024/签证办理.md");
    fs::write(
        &item,
        fs::read_to_string(&item)
            .unwrap()
            .replace("因公签证办理须知", "因公签证办理须知（修订）"),
    )
    .unwrap();
    assert!(
        b.wait_for("return !window.__before && document.body !== null && document.body.textContent.includes('因公签证办理须知（修订）');", Duration::from_secs(20)),
        "the open page reloads with the edit"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut updated = false;
    while Instant::now() < deadline && !updated {
        updated = s
            .log
            .recv_timeout(Duration::from_millis(200))
            .is_ok_and(|l| l.contains("1 个重新生成"));
    }
    assert!(updated, "only the edited member was built again");
    // A broken edit shows its problem over the pages, and the pages come back once fixed.
    let report = s
        .group
        .path()
        .join("sites/tongji/content/reports/2023.yaml");
    let good = fs::read_to_string(&report).unwrap();
    fs::write(
        &report,
        good.replace("new_received: [2,", "new_received: [3,"),
    )
    .unwrap();
    // A figure that breaks a rule is a finding of the member's gate: the preview goes on,
    // the finding in the panel under the pages.
    assert!(b.wait_for("return document.getElementById('gongkai-findings') !== null && document.getElementById('gongkai-findings').textContent.includes('T3-A');", Duration::from_secs(20)));
    assert_eq!(
        b.eval("return document.getElementById('gongkai-error') === null;"),
        serde_json::Value::Bool(true)
    );
    fs::write(&report, good).unwrap();
    assert!(b.wait_for("return document.getElementById('gongkai-findings') === null && document.body !== null && document.body.textContent.includes('最新信息');", Duration::from_secs(20)));
}

fn snapshot(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

#[test]
fn the_portal_and_a_member_deploy_to_their_own_targets() {
    let g = fixture();
    let root = g.path();
    let web = tempfile::tempdir().unwrap();
    let wb = tempfile::tempdir().unwrap();
    let add = |file: &str, dest: &Path| {
        let p = root.join(file);
        let text = fs::read_to_string(&p).unwrap();
        fs::write(
            &p,
            format!(
                "{text}\n[deploy.web]\nkind = \"folder\"\npath = \"{}\"\n",
                dest.display()
            ),
        )
        .unwrap();
    };
    add("group.toml", web.path());
    add("sites/waiban/site.toml", wb.path());
    let r = root.to_str().unwrap();
    ok(gongkai(&["build", "--root", r]));
    let log = ok(gongkai(&["deploy", "web", "--root", r]));
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(root.join("public/.gongkai-build.json")).unwrap())
            .unwrap();
    let mut built: Vec<String> = strings(&manifest["files"]);
    // Every file the build recorded goes up, the portal's and every member's.
    assert!(
        log.contains(&format!("已上传 {} 个文件", built.len())),
        "{} built: {log}",
        built.len()
    );
    built.push(".gongkai-manifest.json".into());
    built.sort();
    assert_eq!(
        snapshot(web.path()),
        built,
        "the portal gets what the build listed"
    );
    let log = ok(gongkai(&[
        "deploy", "web", "--root", r, "--member", "waiban",
    ]));
    assert!(log.contains("成员 某市外事办公室（waiban）"), "{log}");
    let member = snapshot(wb.path());
    assert!(
        member.contains(&"index.html".to_string())
            && member.contains(&"zwgk/ndbg/2024/index.html".to_string()),
        "{member:?}"
    );
    assert!(
        !member.iter().any(|f| f.starts_with("waiban/")
            || f.starts_with("教育局/")
            || f.starts_with("ndbg/")),
        "{member:?}"
    );
    assert_eq!(
        fs::read(wb.path().join("index.html")).unwrap(),
        fs::read(root.join("public/waiban/index.html")).unwrap()
    );
    // --each-member deploys every member with that target, here waiban only.
    let log = ok(gongkai(&["deploy", "web", "--root", r, "--each-member"]));
    assert_eq!(log.matches("成员 ").count(), 1, "{log}");
    // A shard is not a site: deploying it is refused.
    let shard = root.join("shard");
    ok(gongkai(&[
        "build",
        "--root",
        r,
        "--shard",
        "1/2",
        "--out",
        shard.to_str().unwrap(),
    ]));
    let o = gongkai(&[
        "deploy",
        "web",
        "--root",
        r,
        "--out",
        shard.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("分片构建"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The county fixture (six members) built for, and served on, a free loopback port.
fn county_served() -> (tempfile::TempDir, StaticServer) {
    let g = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/county"), g.path());
    let out = g.path().join("public");
    fs::create_dir_all(&out).unwrap();
    let server = StaticServer::start(&out);
    let url = format!("http://127.0.0.1:{}/", server.port);
    ok(gongkai(&[
        "build",
        "--root",
        g.path().to_str().unwrap(),
        "--as-of",
        "2025-04-10",
        "--base-url",
        &url,
    ]));
    (g, server)
}

/// What overlaps or is cut off on the page: every chart's value or name label that
/// touches its title, every table heading whose text does not fit its cell, every table
/// title that runs past the window's right edge.
const LAYOUT: &str = r#"
const problems = [];
const box = e => e.getBoundingClientRect();
const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
for (const svg of document.querySelectorAll('svg.chart')) {
  const title = box(svg.querySelector('.chart-title'));
  for (const t of svg.querySelectorAll('.chart-value, .chart-label')) {
    if (meet(box(t), title)) problems.push('label "' + t.textContent + '" on title "' + svg.querySelector('.chart-title').textContent + '"');
  }
  const frame = box(svg);
  for (const t of svg.querySelectorAll('text')) {
    const b = box(t);
    if (b.left < frame.left - 0.5 || b.right > frame.right + 0.5) problems.push('"' + t.textContent + '" outside its chart');
  }
}
for (const th of document.querySelectorAll('table.official thead th')) {
  const inner = th.querySelector('button') || th;
  if (inner.scrollWidth > inner.clientWidth + 1 || th.scrollWidth > th.clientWidth + 1) problems.push('heading "' + th.textContent + '" cut off');
}
for (const t of document.querySelectorAll('.table-title')) {
  if (box(t).right > document.documentElement.clientWidth + 0.5) problems.push('table title "' + t.textContent + '" past the edge');
}
return problems;
"#;

#[test]
fn the_reports_pages_keep_chart_titles_labels_and_table_headings_whole() {
    let (_g, server) = county_served();
    let b = Browser::start();
    for (width, height) in [(1280, 900), (1024, 768), (390, 844)] {
        b.resize(width, height);
        for page in ["ndbg/", "ndbg/2024/", "ndbg/2023/", "agencies/"] {
            b.goto(&server.url(page));
            let problems = strings(&b.eval(LAYOUT));
            assert!(problems.is_empty(), "{page} at {width}px: {problems:?}");
        }
        // On a laptop the comparison of six members fits without scrolling sideways.
        if width >= 1024 {
            b.goto(&server.url("ndbg/2024/"));
            let fits = b.eval("const r = document.querySelector('#compare').closest('.table-scroll'); return r.scrollWidth <= r.clientWidth;");
            assert_eq!(fits, Value::Bool(true), "at {width}px");
        }
    }
}
