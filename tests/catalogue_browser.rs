//! The catalogue page in a real headless Chromium: filters, sort, page and their place in
//! the address with JavaScript on; the paginated static list with it off.

#[path = "support/browser.rs"]
mod browser;
#[path = "support/http.rs"]
mod http;
#[path = "support/static_server.rs"]
mod static_server;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::process::Command;
use std::time::Duration;

use browser::Browser;
use static_server::StaticServer;
use tree::{copy_dir, repo};

/// The catalogue fixture with 20 more items over 2021–2024 (29 in all, five a page), in
/// `dir/site`.
fn catalogue_site(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let root = dir.path().join("site");
    copy_dir(&repo().join("tests/fixtures/catalogue"), &root);
    let toml = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(
        root.join("site.toml"),
        toml.replace("page_size = 2", "page_size = 5"),
    )
    .unwrap();
    for k in 1..=20 {
        let year = 2021 + k % 4;
        let (category, status) = if k % 2 == 0 {
            ("其他文件", if k % 3 == 0 { "失效" } else { "有效" })
        } else {
            ("机构职能", "有效")
        };
        fs::write(
            root.join(format!("content/disclosure/测试文件{k}.md")),
            format!(
                "---\ntitle: 第{k}号测试文件\ndate: {year}-03-{:02}\ncategory: {category}\nindex_no: 000000001/{year}-{:05}\nstatus: {status}\ndoc_no: 某政办字〔{year}〕{k}号\n---\n\n正文。\n",
                k + 1,
                100 + k
            ),
        )
        .unwrap();
    }
    root
}

fn build(root: &std::path::Path, out: &std::path::Path, args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The catalogue site built for and served on a loopback port.
fn served_catalogue() -> (tempfile::TempDir, StaticServer) {
    let dir = tempfile::tempdir().unwrap();
    let root = catalogue_site(&dir);
    let out = dir.path().join("public");
    fs::create_dir_all(&out).unwrap();
    let server = StaticServer::start(&out);
    build(
        &root,
        &out,
        &["--base-url", &format!("http://127.0.0.1:{}/", server.port)],
    );
    (dir, server)
}

fn ready(b: &Browser) {
    assert!(
        b.wait_for(
            "return document.documentElement.getAttribute('data-catalogue') === 'ready';",
            Duration::from_secs(10)
        ),
        "the catalogue script loaded its data"
    );
}

fn column(b: &Browser, n: usize) -> Vec<String> {
    b.texts(&format!("#catalogue-table tbody tr td:nth-child({n})"))
}

fn status(b: &Browser) -> String {
    b.texts("#catalogue-status").join("")
}

/// Chooses category 0101, which takes the categories below it along: two documents.
fn choose_0101(b: &Browser) {
    b.click("#cf-cat option[value='0101']");
    assert_eq!(
        column(b, 2),
        [
            "某县行政规范性文件制定和监督管理办法",
            "某县行政规范性文件管理办法"
        ]
    );
}

#[test]
fn filters_sort_and_pages_live_in_the_address() {
    let (_dir, server) = served_catalogue();
    let b = Browser::start();
    b.goto(&server.url("zwgk/gkml/"));
    ready(&b);
    assert_eq!(status(&b), "共 29 条，第 1/6 页");
    assert_eq!(column(&b, 2).len(), 5);

    choose_0101(&b);
    assert!(
        b.current_url().ends_with("/zwgk/gkml/?fl=0101"),
        "{}",
        b.current_url()
    );
    // The address brings the same list back.
    b.goto(&b.current_url());
    ready(&b);
    assert_eq!(
        b.eval("return document.getElementById('cf-cat').value;"),
        "0101"
    );
    assert_eq!(column(&b, 2).len(), 2);
    b.click("#catalogue-filters button[type=reset]");
    assert!(b.wait_for("return location.search === '';", Duration::from_secs(5)));
    assert_eq!(status(&b), "共 29 条，第 1/6 页");

    b.click("#cf-status option[value='废止']");
    assert_eq!(column(&b, 2), ["某县行政规范性文件管理办法"]);
    b.click("#cf-status option[value='']");
    b.click("#cf-year option[value='2022']");
    let dates = column(&b, 6);
    assert!(
        !dates.is_empty() && dates.iter().all(|d| d.starts_with("2022-")),
        "{dates:?}"
    );
    b.click("#cf-year option[value='']");
    b.type_into("#cf-q", "图解");
    assert_eq!(
        column(&b, 2),
        ["图解：某县行政规范性文件制定和监督管理办法"]
    );
    assert!(
        b.current_url().contains("q=%E5%9B%BE%E8%A7%A3"),
        "{}",
        b.current_url()
    );
    b.click("#catalogue-filters button[type=reset]");
    assert!(b.wait_for("return location.search === '';", Duration::from_secs(5)));

    // Sorting by 索引号, up then down.
    b.click("th[data-key='index_no'] button");
    assert_eq!(
        b.eval(
            "return document.querySelector(\"th[data-key='index_no']\").getAttribute('aria-sort');"
        ),
        "ascending"
    );
    let up = column(&b, 1);
    let mut sorted = up.clone();
    sorted.sort();
    assert_eq!(up, sorted);
    assert_eq!(
        up[0], "000000001/2021-00104",
        "the smallest of all pages first"
    );
    b.click("th[data-key='index_no'] button");
    assert_eq!(column(&b, 1)[0], "000000001/2024-00119");
    assert!(
        b.current_url().contains("sort=index_no&order=desc"),
        "{}",
        b.current_url()
    );

    // Pages: the back button steps back through them.
    b.click("th[data-key='date'] button");
    assert!(b.wait_for("return location.search === '';", Duration::from_secs(5)));
    let first = column(&b, 2);
    b.click("#catalogue-pages a[href*='page=2']");
    assert_eq!(status(&b), "共 29 条，第 2/6 页");
    assert!(b.current_url().ends_with("?page=2"), "{}", b.current_url());
    assert_ne!(column(&b, 2), first);
    b.back();
    assert!(b.wait_for("return location.search === '';", Duration::from_secs(5)));
    assert_eq!(column(&b, 2), first);

    // Started on a static page, the script goes on from it; a filter leads back to the
    // catalogue's own address.
    b.goto(&server.url("zwgk/gkml/page/2/"));
    ready(&b);
    assert_eq!(status(&b), "共 29 条，第 2/6 页");
    b.click("#cf-status option[value='失效']");
    assert!(
        b.current_url()
            .ends_with("/zwgk/gkml/?status=%E5%A4%B1%E6%95%88"),
        "{}",
        b.current_url()
    );
    assert_eq!(column(&b, 7).len(), 3, "k = 6, 12, 18");
}

#[test]
fn without_javascript_the_catalogue_is_a_paginated_list() {
    let (_dir, server) = served_catalogue();
    let b = Browser::without_javascript();
    b.goto(&server.url("zwgk/gkml/"));
    assert!(b.texts("html.js").is_empty(), "no script ran");
    assert!(
        b.texts("#catalogue-filters label")
            .iter()
            .all(String::is_empty),
        "filters that need a script are not shown"
    );
    let first = column(&b, 2);
    assert_eq!(first.len(), 5);
    assert_eq!(b.texts(".pagination .count"), ["共 29 条，6 页"]);
    b.click(".pagination a[rel=next]");
    assert!(
        b.current_url().ends_with("/zwgk/gkml/page/2/"),
        "{}",
        b.current_url()
    );
    let second = column(&b, 2);
    assert_eq!(second.len(), 5);
    assert!(second.iter().all(|t| !first.contains(t)));
    // Browsing by category is the filter without a script.
    b.goto(&server.url("zwgk/gkml/"));
    b.click(".browse a[href='/zwgk/fdzdgknr/gfxwj/']");
    assert!(b.current_url().ends_with("/zwgk/fdzdgknr/gfxwj/"));
    assert_eq!(
        b.texts(".side-main .item-list li > a"),
        [
            "某县行政规范性文件制定和监督管理办法",
            "某县行政规范性文件管理办法"
        ]
    );
}

/// Built with `--relative` and opened from disk (a USB stick, a share): browsers refuse
/// `fetch` from `file://`, so the data comes as a script, and the filters, the sort and
/// the pages work as they do on the web, their address naming the folder's index.html.
#[test]
fn opened_from_disk_the_filters_work_too() {
    let dir = tempfile::tempdir().unwrap();
    let root = catalogue_site(&dir);
    let out = dir.path().join("U盘");
    build(&root, &out, &["--relative"]);
    assert!(out.join("zwgk/gkml/catalogue.js").is_file());
    let url = |rel: &str| format!("file://{}/{rel}", out.display());
    let b = Browser::start();
    b.goto(&url("zwgk/gkml/index.html"));
    ready(&b);
    assert_eq!(status(&b), "共 29 条，第 1/6 页");
    choose_0101(&b);
    assert!(
        b.current_url().ends_with("/zwgk/gkml/index.html?fl=0101"),
        "{}",
        b.current_url()
    );
    // The address brings the same list back, from disk as well.
    b.goto(&b.current_url());
    ready(&b);
    assert_eq!(column(&b, 2).len(), 2);
    b.click("#catalogue-filters button[type=reset]");
    assert!(b.wait_for("return location.search === '';", Duration::from_secs(5)));
    b.click("#catalogue-pages a[href*='page=2']");
    assert_eq!(status(&b), "共 29 条，第 2/6 页");
    // Started on a static page, a filter keeps to that page's file (browsers let a page
    // from disk change its query, not its file), and its address brings the list back.
    b.goto(&url("zwgk/gkml/page/2/index.html"));
    ready(&b);
    assert_eq!(status(&b), "共 29 条，第 2/6 页");
    b.click("#cf-status option[value='失效']");
    assert!(
        b.current_url()
            .ends_with("index.html?status=%E5%A4%B1%E6%95%88"),
        "{}",
        b.current_url()
    );
    assert_eq!(column(&b, 7).len(), 3);
    b.goto(&b.current_url());
    ready(&b);
    assert_eq!(column(&b, 7).len(), 3);
    assert_eq!(status(&b), "共 3 条，第 1/1 页");
}
