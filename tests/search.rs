//! Site search: the index `build` writes, and the search page in a real headless Chromium
//! on sites served on loopback.

#[path = "support/browser.rs"]
mod browser;
#[path = "support/http.rs"]
mod http;
#[path = "support/static_server.rs"]
mod static_server;

#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use browser::Browser;
use serde_json::Value;
use static_server::StaticServer;
use tree::{copy_dir, repo};

fn build(root: &Path, out: &Path, base_url: &str) {
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(["--base-url", base_url])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A site built for, and served on, a free loopback port.
fn serve(root: &Path) -> (tempfile::TempDir, StaticServer) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    fs::create_dir_all(&out).unwrap();
    let server = StaticServer::start(&out);
    build(root, &out, &format!("http://127.0.0.1:{}/", server.port));
    (dir, server)
}

const WAIT: Duration = Duration::from_secs(10);

/// Types a query on the search page and waits for the search to finish.
fn search(b: &Browser, query: &str) -> Value {
    b.eval("document.getElementById('search-q').value=''; document.getElementById('search-status').removeAttribute('data-ms'); return true;");
    b.type_into("#search-q", query);
    b.press("\u{E007}");
    assert!(
        b.wait_for(
            "return document.getElementById('search-status').hasAttribute('data-ms');",
            WAIT
        ),
        "no answer to {query}: {}",
        b.eval("return document.getElementById('search-status').textContent;")
    );
    results(b)
}

fn results(b: &Browser) -> Value {
    b.eval(
        "return {status: document.getElementById('search-status').textContent,
          ms: +document.getElementById('search-status').getAttribute('data-ms'),
          titles: [...document.querySelectorAll('#search-results h2')].map(h => h.textContent),
          hrefs: [...document.querySelectorAll('#search-results h2 a')].map(a => a.getAttribute('href')),
          marks: [...document.querySelectorAll('#search-results mark')].map(m => m.textContent)};",
    )
}

fn titles(v: &Value) -> Vec<String> {
    v["titles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

/// Content files of the example site whose text contains `word`: the oracle for what a
/// search must find.
fn files_containing(word: &str) -> usize {
    walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            fs::read_to_string(e.path())
                .map(|t| t.replace("**", "").contains(word))
                .unwrap_or(false)
        })
        .count()
}

#[test]
fn the_example_site_finds_chinese_words_and_highlights_them() {
    let (_dir, server) = serve(&repo());
    let b = Browser::start();
    b.goto(&server.url("search/"));
    for word in ["签证", "领事认证"] {
        let v = search(&b, word);
        let t = titles(&v);
        assert_eq!(t.len(), files_containing(word), "{word}: {v}");
        assert!(
            t.iter().any(|t| t.contains("政府开放日")),
            "{word}: the open-day news item: {v}"
        );
        assert!(
            t.iter()
                .any(|t| t.contains("2023 年政府信息公开工作年度报告")),
            "{word}: the 2023 report's narrative: {v}"
        );
        let marks = v["marks"].as_array().unwrap();
        assert!(
            !marks.is_empty() && marks.iter().all(|m| m == word),
            "{word}: {v}"
        );
        assert!(
            v["status"]
                .as_str()
                .unwrap()
                .contains(&format!("找到 {} 条", t.len())),
            "{v}"
        );
    }
    let v = search(&b, "APEC 商务旅行卡");
    assert_eq!(titles(&v).len(), files_containing("APEC 商务旅行卡"), "{v}");
    let v = search(&b, "这个词语不在网站上");
    assert!(titles(&v).is_empty());
    assert!(v["status"].as_str().unwrap().contains("没有找到"), "{v}");
}

#[test]
fn the_search_box_is_a_plain_form_that_leads_to_the_search_page() {
    let (_dir, server) = serve(&repo());
    // Without JavaScript: a GET form whose action is the search page.
    let home = fs::read_to_string(_dir.path().join("public/index.html")).unwrap();
    let form = &home[home.find("<form class=\"site-search\"").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    assert!(form.contains("action=\"/search/\"") && form.contains("method=\"get\""));
    assert!(form.contains("name=\"q\"") && form.contains("<label for=\"site-search-q\""));
    // In the browser: type, press Enter, land on the search page with the results.
    let b = Browser::start();
    b.goto(&server.url(""));
    b.type_into("#site-search-q", "领事认证");
    b.press("\u{E007}");
    assert!(b.wait_for(
        "return document.getElementById('search-status') !== null && document.getElementById('search-status').hasAttribute('data-ms');",
        WAIT
    ));
    let url = b.eval("return location.pathname + location.search;");
    assert_eq!(
        url.as_str().unwrap(),
        "/search/?q=%E9%A2%86%E4%BA%8B%E8%AE%A4%E8%AF%81"
    );
    assert_eq!(
        b.eval("return document.getElementById('search-q').value;"),
        "领事认证"
    );
    assert!(!titles(&results(&b)).is_empty());
}

/// The dates of the results shown, in order (`外事动态 · 2023-06-01`).
fn dates(b: &Browser) -> Vec<String> {
    let v = b.eval(
        "return [...document.querySelectorAll('#search-results h2 + .meta')].map(p => p.textContent);",
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|m| {
            m.as_str()
                .unwrap()
                .rsplit(" · ")
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Pages are numbered oldest first in the index; the visitor still sees the newest
/// first: by date when asked, and within the pages that have the words in their title.
#[test]
fn results_come_newest_first_and_by_date_when_asked() {
    let (_dir, server) = serve(&repo());
    let b = Browser::start();
    b.goto(&server.url("search/"));
    let newest_first = |d: &[String]| d.windows(2).all(|w| w[0] >= w[1]);
    b.eval("document.getElementById('search-sort').value='date'; return true;");
    search(&b, "公开");
    let by_date = dates(&b);
    assert!(by_date.len() >= 3, "{by_date:?}");
    assert!(by_date.first() != by_date.last(), "{by_date:?}");
    assert!(newest_first(&by_date), "{by_date:?}");
    b.eval("document.getElementById('search-sort').value=''; return true;");
    let v = search(&b, "公开");
    let in_title = titles(&v).iter().take_while(|t| t.contains("公开")).count();
    assert!(in_title >= 2, "{v}");
    assert!(newest_first(&dates(&b)[..in_title]), "{v}");
}

#[test]
fn full_width_forms_metadata_filters_and_several_words() {
    let (_dir, server) = serve(&repo().join("tests/fixtures/search"));
    let b = Browser::start();
    b.goto(&server.url("search/"));
    // Full-width and half-width letters match each other, in either direction.
    for q in ["APEC", "ａｐｅｃ", "apec 商务旅行卡"] {
        let v = search(&b, q);
        assert_eq!(titles(&v), ["ＡＰＥＣ商务旅行卡申办指南"], "{q}: {v}");
    }
    // A longer word is confirmed against the text: a page with 领事, 事认 and 认证 apart
    // is not a match.
    let v = search(&b, "领事认证");
    assert_eq!(titles(&v), ["领事认证业务调整的通知"], "{v}");
    // Disclosure metadata: 文号 and 索引号.
    let v = search(&b, "威外办发〔2024〕3号");
    assert_eq!(titles(&v), ["因公出国（境）审批管理办法"], "{v}");
    let v = search(&b, "2024-00012");
    assert_eq!(titles(&v), ["因公出国（境）审批管理办法"], "{v}");
    // Several words narrow the results.
    assert_eq!(titles(&search(&b, "因公")).len(), 2);
    let v = search(&b, "因公 护照");
    assert_eq!(titles(&v), ["因公护照集中管理工作会议召开"], "{v}");
    // Filters by column and by year, kept in the address.
    b.eval("document.getElementById('search-col').value='disclosure'; return true;");
    let v = search(&b, "因公");
    assert_eq!(titles(&v), ["因公出国（境）审批管理办法"], "{v}");
    b.eval("document.getElementById('search-col').value=''; document.getElementById('search-year').value='2022'; return true;");
    let v = search(&b, "因公");
    assert_eq!(titles(&v), ["因公护照集中管理工作会议召开"], "{v}");
    assert!(
        b.eval("return location.search;")
            .as_str()
            .unwrap()
            .contains("year=2022")
    );
    // Drafts are not searchable.
    b.eval("document.getElementById('search-year').value=''; return true;");
    assert!(titles(&search(&b, "独角兽")).is_empty());
}

#[test]
fn the_index_is_deterministic_has_no_drafts_and_follows_site_toml() {
    let fixture = repo().join("tests/fixtures/search");
    let dir = tempfile::tempdir().unwrap();
    let (a, c) = (dir.path().join("a"), dir.path().join("c"));
    build(&fixture, &a, "https://search.example.gov.cn/");
    build(&fixture, &c, "https://search.example.gov.cn/");
    let mut files = 0;
    for e in walkdir::WalkDir::new(a.join("search")) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&a).unwrap();
            let bytes = fs::read(e.path()).unwrap();
            assert_eq!(bytes, fs::read(c.join(rel)).unwrap(), "{}", rel.display());
            let text = String::from_utf8(bytes).unwrap();
            assert!(
                !text.contains("草稿") && !text.contains("独角"),
                "a draft in {}",
                rel.display()
            );
            files += 1;
        }
    }
    assert!(
        files >= 4,
        "docs.json, a postings shard, a text chunk, the page"
    );

    // Search off: no index, no page, no search box.
    let site = dir.path().join("site");
    copy_dir(&fixture, &site);
    let config = fs::read_to_string(site.join("site.toml")).unwrap();
    fs::write(
        site.join("site.toml"),
        format!("{config}\n[search]\nenabled = false\n"),
    )
    .unwrap();
    let off = dir.path().join("off");
    build(&site, &off, "https://search.example.gov.cn/");
    assert!(!off.join("search").exists());
    assert!(
        !fs::read_to_string(off.join("index.html"))
            .unwrap()
            .contains("site-search")
    );

    // Titles and metadata only, and only the disclosure column.
    fs::write(
        site.join("site.toml"),
        format!("{config}\n[search]\ncolumns = [\"disclosure\"]\nbody_chars = 0\n"),
    )
    .unwrap();
    let some = dir.path().join("some");
    build(&site, &some, "https://search.example.gov.cn/");
    let head: Value =
        serde_json::from_slice(&fs::read(some.join("search/docs.json")).unwrap()).unwrap();
    assert_eq!(head["docs"].as_array().unwrap().len(), 1);
    let postings = fs::read_to_string(some.join("search/p/0.json")).unwrap();
    assert!(
        postings.contains("\"审批\"") && !postings.contains("\"规范\""),
        "{postings}"
    );

    // A wrong column name is named with its line.
    fs::write(
        site.join("site.toml"),
        format!("{config}\n[search]\ncolumns = [\"新闻\"]\n"),
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("site.toml:") && err.contains("新闻"), "{err}");
}
