//! The default theme in a real headless Chromium: axe-core (WCAG 2.1 A and AA) on one page
//! of every type of the example site, keyboard use, the 适老化 controls (长者模式 and 读屏
//! among them) and a 375 px screen.

#[path = "support/browser.rs"]
mod browser;
#[path = "support/http.rs"]
mod http;
#[path = "support/static_server.rs"]
mod static_server;

#[path = "support/tree.rs"]
mod tree;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use browser::Browser;
use static_server::StaticServer;
use tree::repo;

/// Builds the example site for `port` into a temporary folder.
fn built_example(out: &Path, port: u16) {
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(repo())
        .arg("--out")
        .arg(out)
        .args(["--base-url", &format!("http://127.0.0.1:{port}/")])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The example site served on loopback. The base URL needs the port before the build,
/// so a port is reserved first and the server started on it.
fn serve_example() -> (tempfile::TempDir, StaticServer) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    std::fs::create_dir_all(&out).unwrap();
    let server = StaticServer::start(&out);
    built_example(&out, server.port);
    (dir, server)
}

/// One page of every type the example site has.
const PAGES: &[(&str, &str)] = &[
    ("home", ""),
    ("news list", "news/"),
    ("column", "news/category/wsdt/"),
    ("news item", "news/2023/政府开放日/"),
    ("disclosure column", "zwgk/"),
    ("disclosure item", "zwgk/政府信息公开指南/"),
    ("category", "zwgk/fdzdgknr/jgzn/"),
    ("catalogue", "zwgk/gkml/"),
    ("application", "zwgk/ysqgk/"),
    ("application form", "zwgk/ysqgk/sqb/"),
    ("reports overview", "zwgk/ndbg/"),
    ("report", "zwgk/ndbg/2023/"),
    ("archive", "archive/"),
    ("year archive", "archive/2023/"),
    ("site map", "sitemap/"),
    ("search results", "search/?q=签证"),
    ("website reports", "wzbb/"),
    ("website report", "wzbb/2025/"),
    ("interaction", "hdjl/"),
    ("services", "bsfw/"),
    ("service guide", "bsfw/apec/"),
    ("organization", "jgzn/"),
    ("leaders", "ldxx/"),
    ("leader", "ldxx/zhuren/"),
    ("new media", "xmt/"),
    ("404", "404.html"),
];

/// Runs axe-core (WCAG 2.1 A and AA) on the page the browser shows; its violations.
fn axe(b: &Browser, kind: &str, path: &str) -> Vec<String> {
    let script = repo().join("tests/a11y/node_modules/axe-core/axe.min.js");
    let script = std::fs::read_to_string(&script).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run `npm ci --prefix tests/a11y` (.ci/run does)",
            script.display()
        )
    });
    b.eval(&format!("{script}\nreturn true;"));
    b.eval(
        "window.__axe = null;
         axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
           .then(r => { window.__axe = r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => n.target.join(' '))})); })
           .catch(e => { window.__axe = [{id: 'axe-error', help: String(e), nodes: []}]; });
         return true;",
    );
    assert!(
        b.wait_for("return window.__axe !== null;", Duration::from_secs(30)),
        "axe finished on {kind}"
    );
    b.eval("return window.__axe;")
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            format!(
                "{kind} (/{path}): {} [{}] {} at {}",
                v["id"], v["impact"], v["help"], v["nodes"]
            )
        })
        .collect()
}

/// Goes to `url` once the reading aid `class`, turned on in the last page, is remembered
/// there. Chromium hands a page's localStorage to its storage service after the page has
/// set it, and a page opened the same instant in a new renderer can read the storage from
/// before (a reader's next click comes a second later, not a millisecond): the page is
/// opened again until the setting shows, and the test fails if it never does.
fn goto_remembered(b: &Browser, url: &str, class: &str) {
    let on = format!("return document.documentElement.classList.contains('{class}');");
    for _ in 0..20 {
        b.goto(url);
        if b.eval(&on) == true {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{class} is not remembered on {url}");
}

#[test]
fn every_page_type_has_no_axe_violations() {
    let (_dir, server) = serve_example();
    let b = Browser::start();
    let mut violations = Vec::new();
    for (kind, path) in PAGES {
        b.goto(&server.url(path));
        if path.starts_with("search/") {
            assert!(b.wait_for(
                "return document.querySelectorAll('#search-results li').length > 0;",
                Duration::from_secs(10)
            ));
        }
        if path.starts_with("zwgk/gkml/") {
            assert!(b.wait_for(
                "return document.documentElement.getAttribute('data-catalogue') === 'ready';",
                Duration::from_secs(10)
            ));
        }
        violations.extend(axe(&b, kind, path));
    }
    assert!(
        violations.is_empty(),
        "axe-core violations:\n{}",
        violations.join("\n")
    );
}

/// The catalogue fixture served on loopback: pages the example has no case of (a
/// banner, 解读 both ways, a third-level category, a filtered catalogue).
#[test]
fn catalogue_page_types_have_no_axe_violations() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    std::fs::create_dir_all(&out).unwrap();
    let server = StaticServer::start(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(repo().join("tests/fixtures/catalogue"))
        .arg("--out")
        .arg(&out)
        .args(["--base-url", &format!("http://127.0.0.1:{}/", server.port)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let b = Browser::start();
    let mut violations = Vec::new();
    for (kind, path) in [
        ("repealed document", "zwgk/旧管理办法/"),
        ("policy with 解读", "zwgk/新管理办法/"),
        ("解读", "zwgk/新管理办法解读/"),
        ("amended document", "zwgk/公开工作规则/"),
        ("third-level category", "zwgk/fdzdgknr/xzfbwj/"),
        ("column page 2", "zwgk/page/2/"),
        ("catalogue page 2", "zwgk/gkml/page/2/"),
        (
            "filtered catalogue",
            "zwgk/gkml/?fl=0101&sort=title&order=asc",
        ),
    ] {
        b.goto(&server.url(path));
        if path.starts_with("zwgk/gkml/") {
            assert!(b.wait_for(
                "return document.documentElement.getAttribute('data-catalogue') === 'ready';",
                Duration::from_secs(10)
            ));
        }
        violations.extend(axe(&b, kind, path));
    }
    assert!(
        violations.is_empty(),
        "axe-core violations:\n{}",
        violations.join("\n")
    );
}

/// The fixture portal group served on loopback: the group's own pages and a member's
/// page with the portal bar.
#[test]
fn every_page_type_of_a_portal_group_has_no_axe_violations() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    std::fs::create_dir_all(&out).unwrap();
    let server = StaticServer::start(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(repo().join("tests/fixtures/group"))
        .arg("--out")
        .arg(&out)
        .args(["--base-url", &format!("http://127.0.0.1:{}/", server.port)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pages = [
        ("group home", ""),
        ("agency directory", "agencies/"),
        ("latest items", "latest/"),
        ("reports section", "ndbg/"),
        ("reports of a year", "ndbg/2024/"),
        ("website reports column", "wzbb/"),
        ("group search results", "search/?q=签证"),
        ("group 404", "404.html"),
        ("member home with the portal bar", "教育局/"),
    ];
    let b = Browser::start();
    let mut violations = Vec::new();
    for (kind, path) in pages {
        b.goto(&server.url(path));
        if path.starts_with("search/") {
            assert!(b.wait_for(
                "return document.querySelectorAll('#search-results li').length > 0;",
                Duration::from_secs(10)
            ));
        }
        violations.extend(axe(&b, kind, path));
    }
    assert!(
        violations.is_empty(),
        "axe-core violations:\n{}",
        violations.join("\n")
    );
    // On a 375 px screen only the tables scroll, inside their own boxes.
    b.resize(375, 800);
    for (kind, path) in pages {
        b.goto(&server.url(path));
        let fits = b.eval("return document.documentElement.scrollWidth <= window.innerWidth;");
        assert_eq!(fits, true, "{kind} scrolls sideways at 375 px");
    }
}

#[test]
fn keyboard_users_reach_the_main_content_and_the_navigation() {
    let (_dir, server) = serve_example();
    let b = Browser::start();
    b.goto(&server.url("zwgk/ndbg/2023/"));
    b.eval("document.activeElement.blur(); return true;");
    b.press("\u{E004}");
    assert_eq!(
        b.eval("return document.activeElement.className;"),
        "skip-link",
        "Tab first reaches the skip link"
    );
    let outline = b.eval("return getComputedStyle(document.activeElement).outlineStyle;");
    assert_eq!(outline, "solid", "the focused element shows a focus ring");
    b.press("\u{E007}");
    assert!(
        b.wait_for(
            "return document.activeElement.id === 'main';",
            Duration::from_secs(5)
        ),
        "Enter on the skip link moves focus to the main content"
    );
    // Tab order: the navigation links come before the main content's links.
    b.goto(&server.url(""));
    b.eval("document.activeElement.blur(); return true;");
    let mut reached_nav = false;
    for _ in 0..12 {
        b.press("\u{E004}");
        if b.eval("return !!document.activeElement.closest('.site-nav');") == true {
            reached_nav = true;
            break;
        }
    }
    assert!(reached_nav, "the main navigation is reachable with Tab");
}

#[test]
fn reading_aids_are_remembered_across_pages() {
    let (_dir, server) = serve_example();
    let b = Browser::start();
    b.goto(&server.url(""));
    assert_eq!(
        b.eval("return getComputedStyle(document.body).fontSize;"),
        "16px",
        "base text is 16 px"
    );
    b.eval("document.querySelector('[data-a11y=text]').click(); return true;");
    assert_eq!(
        b.eval("return document.querySelector('[data-a11y=text]').getAttribute('aria-pressed');"),
        "true"
    );
    goto_remembered(&b, &server.url("zwgk/ndbg/2023/"), "large-text");
    assert_eq!(
        b.eval("return getComputedStyle(document.body).fontSize;"),
        "20px"
    );
    b.eval("document.querySelector('[data-a11y=contrast]').click(); return true;");
    goto_remembered(&b, &server.url("news/"), "high-contrast");
    assert_eq!(
        b.eval("return getComputedStyle(document.body).backgroundColor;"),
        "rgb(0, 0, 0)"
    );
    // Large text does not break the layout: nothing wider than the window.
    assert_eq!(
        b.eval("return document.documentElement.scrollWidth <= window.innerWidth;"),
        true
    );
}

#[test]
fn a_375_px_screen_scrolls_only_inside_the_report_tables() {
    let (_dir, server) = serve_example();
    let b = Browser::start();
    b.resize(375, 800);
    for (kind, path) in PAGES {
        b.goto(&server.url(path));
        let fits = b.eval("return document.documentElement.scrollWidth <= window.innerWidth;");
        assert_eq!(fits, true, "{kind} scrolls sideways at 375 px");
    }
    b.goto(&server.url("zwgk/ndbg/2023/"));
    assert_eq!(
        b.eval("const s = document.querySelector('.table-scroll'); return s.scrollWidth > s.clientWidth;"),
        true,
        "the wide table scrolls within its own box"
    );
    // The menu opens on touch (a click) and shows the navigation.
    assert_eq!(
        b.eval("return getComputedStyle(document.getElementById('site-nav-list')).display;"),
        "none"
    );
    b.eval("document.querySelector('.menu-toggle').click(); return true;");
    assert_eq!(
        b.eval("return getComputedStyle(document.getElementById('site-nav-list')).display;"),
        "flex"
    );
}

/// Tabs from the top of the page until the element matching `css` has the focus.
fn tab_to(b: &Browser, css: &str) {
    b.eval("document.activeElement.blur(); return true;");
    for _ in 0..40 {
        b.press("\u{E004}");
        if b.eval(&format!("return document.activeElement.matches('{css}');")) == true {
            return;
        }
    }
    panic!("{css} is not reachable with Tab");
}

#[test]
fn elder_mode_is_reached_by_keyboard_enlarges_simplifies_and_passes_axe() {
    let (_dir, server) = serve_example();
    let b = Browser::start();
    b.goto(&server.url(""));
    tab_to(&b, "[data-a11y=elder]");
    b.press("\u{E007}");
    assert_eq!(
        b.eval("return document.documentElement.classList.contains('elder');"),
        true,
        "Enter on the focused button turns it on"
    );
    assert_eq!(
        b.eval("return document.querySelector('[data-a11y=elder]').getAttribute('aria-pressed');"),
        "true"
    );
    assert_eq!(
        b.eval("return getComputedStyle(document.body).fontSize;"),
        "24px",
        "type half as large again"
    );
    let cursor = b.eval("return getComputedStyle(document.body).cursor;");
    assert!(
        cursor.as_str().unwrap().starts_with("url("),
        "a large cursor: {cursor}"
    );
    assert_eq!(
        b.eval("return getComputedStyle(document.querySelector('.home-grid')).gridTemplateColumns.split(' ').length;"),
        1,
        "one column"
    );
    let mut violations = axe(&b, "home in 长者模式", "");
    // Remembered on the next page: the 报表 in 长者模式, nothing wider than the window.
    goto_remembered(&b, &server.url("wzbb/2025/"), "elder");
    violations.extend(axe(&b, "报表 in 长者模式", "wzbb/2025/"));
    assert_eq!(
        b.eval("return document.documentElement.scrollWidth <= window.innerWidth;"),
        true
    );
    assert!(
        violations.is_empty(),
        "axe-core violations:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_screen_reader_speaks_through_the_browser_from_the_keyboard_and_passes_axe() {
    let (_dir, server) = serve_example();
    let b = Browser::start();
    b.goto(&server.url("wzbb/2025/"));
    assert_eq!(
        b.eval("return 'speechSynthesis' in window && !document.querySelector('[data-a11y=speech]').hidden;"),
        true,
        "the browser's own speech synthesis: the button is shown"
    );
    // Listen to what is spoken: the page calls the browser's speechSynthesis.speak.
    b.eval(
        "window.__said = []; speechSynthesis.speak = function (u) { window.__said.push(u.text + '|' + u.lang); }; return true;",
    );
    let said = |b: &Browser| -> Vec<String> {
        b.eval("return window.__said;")
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    tab_to(&b, "[data-a11y=speech]");
    b.press(" ");
    assert_eq!(
        b.eval("return document.querySelector('[data-a11y=speech]').getAttribute('aria-pressed');"),
        "true",
        "Space on the focused button turns it on"
    );
    assert_eq!(
        b.eval("return document.getElementById('speech-bar').hidden;"),
        false
    );
    assert!(
        said(&b).last().unwrap().starts_with("读屏已开启"),
        "{:?}",
        said(&b)
    );
    assert!(said(&b).iter().all(|s| s.ends_with("|zh-CN")), "in Chinese");
    // What gets the focus next is read aloud.
    b.press("\u{E004}");
    let focused = b.eval("return document.activeElement.textContent.trim();");
    let last = said(&b).last().unwrap().clone();
    assert!(
        last.contains(focused.as_str().unwrap()) && last.contains("，"),
        "{last} / {focused}"
    );
    // 朗读本页 reads the main content: the 报表 with its figures.
    tab_to(&b, "[data-speech=page]");
    b.press("\u{E007}");
    let last = said(&b).last().unwrap().clone();
    assert!(
        last.starts_with("威海市人民政府外事办公室2025年政府网站工作年度报表")
            && last.contains("平均办理时间"),
        "{last}"
    );
    assert_eq!(
        b.eval("return document.getElementById('speech-status').textContent;"),
        "正在朗读本页主要内容。"
    );
    let mut violations = axe(&b, "报表 with 读屏 on", "wzbb/2025/");
    // Remembered on the next page, with its bar.
    goto_remembered(&b, &server.url("hdjl/"), "speech");
    assert_eq!(
        b.eval("return document.getElementById('speech-bar').hidden;"),
        false
    );
    violations.extend(axe(&b, "互动交流 with 读屏 on", "hdjl/"));
    assert!(
        violations.is_empty(),
        "axe-core violations:\n{}",
        violations.join("\n")
    );
    // Off again: the bar goes.
    b.click("[data-a11y=speech]");
    assert_eq!(
        b.eval("return document.getElementById('speech-bar').hidden;"),
        true
    );
}
