//! `gongkai serve` for real: the binary on a free loopback port, requests over TCP,
//! edits on disk, and a headless Chromium that must reload by itself.

#[path = "support/browser.rs"]
mod browser;

#[path = "support/http.rs"]
mod http;
#[path = "support/serve.rs"]
mod serve;
#[path = "support/tree.rs"]
mod tree;

use http::Reply;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use serve::until;
use tree::{copy_dir, repo};

/// The preview of a copy of the minimal fixture site.
struct Served {
    server: serve::Served,
    site: tempfile::TempDir,
}

impl std::ops::Deref for Served {
    type Target = serve::Served;
    fn deref(&self) -> &serve::Served {
        &self.server
    }
}

/// Copies the minimal fixture site and serves it on a free port.
fn serve() -> Served {
    serve_with(|c| c)
}

/// As [`serve`], with more arguments or environment given by `more`.
fn serve_with(more: impl FnOnce(&mut Command) -> &mut Command) -> Served {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/minimal"), site.path());
    let static_dir = site.path().join("static");
    std::fs::create_dir_all(&static_dir).unwrap();
    for name in [
        "报告.pdf",
        "表.xlsx",
        "图.png",
        "图.jpg",
        "图.svg",
        "字.woff2",
        "数据.csv",
        "文.docx",
    ] {
        std::fs::write(static_dir.join(name), "x").unwrap();
    }
    Served {
        server: serve::Served::start_with(site.path(), more),
        site,
    }
}

/// A GET as a browser sends it (non-ASCII percent-encoded), through the tests' client.
fn get(port: u16, path: &str) -> Reply {
    let path: String = path
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                c.to_string().bytes().map(|b| format!("%{b:02X}")).collect()
            }
        })
        .collect();
    http::get(&format!("http://127.0.0.1:{port}{path}"))
}

#[test]
fn serves_pages_with_the_right_status_and_type() {
    let s = serve();
    let home = get(s.port, "/");
    assert_eq!(home.status, 200);
    assert!(
        home.headers
            .contains("content-type: text/html; charset=utf-8")
    );
    assert!(
        home.text().contains("/__gongkai/events"),
        "served pages get the reload script"
    );
    let redirect = get(s.port, "/news");
    assert_eq!(redirect.status, 301);
    assert!(redirect.headers.contains("location: /news/"));
    let item = get(s.port, "/news/2024/%E9%A2%86%E4%BA%8B%E8%AE%A4%E8%AF%81/");
    assert_eq!(item.status, 200, "percent-encoded Chinese paths work");
    assert!(item.text().contains("领事认证业务办理须知"));
    let missing = get(s.port, "/没有这个页面/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("页面不存在"),
        "the theme's 404 page"
    );
    for (path, ty) in [
        ("/assets/gongkai.css", "text/css; charset=utf-8"),
        ("/assets/gongkai.js", "text/javascript; charset=utf-8"),
        ("/atom.xml", "application/xml; charset=utf-8"),
        ("/%E6%8A%A5%E5%91%8A.pdf", "application/pdf"),
        (
            "/%E8%A1%A8.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "/%E6%96%87.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("/%E5%9B%BE.png", "image/png"),
        ("/%E5%9B%BE.jpg", "image/jpeg"),
        ("/%E5%9B%BE.svg", "image/svg+xml; charset=utf-8"),
        ("/%E5%AD%97.woff2", "font/woff2"),
        ("/%E6%95%B0%E6%8D%AE.csv", "text/csv; charset=utf-8"),
    ] {
        let r = get(s.port, path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers.contains(&format!("content-type: {ty}")),
            "{path}: {}",
            r.headers
        );
    }
    // The live-reload script is for the preview only; build never writes it.
    let out = s.site.path().join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(s.site.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(
        !std::fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("__gongkai")
    );
}

#[test]
fn nothing_outside_the_site_is_ever_served() {
    let s = serve();
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/news/%2E%2E/%2E%2E/site.toml",
        "/..%5csite.toml",
        "/news\\..\\site.toml",
        "//etc/passwd",
        "/etc/passwd",
        "/passwd",
        "/etc/hostname",
        "/content/news/签证办理.md",
        "/%00",
    ] {
        // Exactly as written: no client would send most of these.
        let (status, body) = raw(
            s.port,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        );
        assert!(
            matches!(status, 400 | 403 | 404),
            "{path} answered {status}"
        );
        assert!(
            !body.contains("root:") && !body.contains("base_url"),
            "{path} leaked a file"
        );
    }
}

#[test]
fn edits_new_files_and_deletions_show_up_and_the_events_endpoint_reports_them() {
    let s = serve();
    let mut events = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(
        events,
        "GET /__gongkai/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut reader = BufReader::new(events);
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert!(first.starts_with("HTTP/1.1 200"));

    let item = s.site.path().join("content/news/签证办理.md");
    let text = std::fs::read_to_string(&item).unwrap();
    std::fs::write(
        &item,
        text.replace(
            "签证办理说明。",
            "签证办理说明。\n\n新增的第二段：办理时间延长。",
        ),
    )
    .unwrap();
    let mut got_reload = false;
    let deadline = Instant::now() + Duration::from_secs(15);
    while !got_reload && Instant::now() < deadline {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        got_reload = line.starts_with("event: reload");
    }
    assert!(got_reload, "the events endpoint emits a reload");
    assert!(
        get(s.port, "/news/2024/签证办理/")
            .text()
            .contains("办理时间延长")
    );
    // The search index follows, just after the page (no second reload).
    until("the search index has the new words", || {
        get(s.port, "/search/p/0.json").text().contains("\"延长\"")
    });

    let new = s.site.path().join("content/news/新通知.md");
    std::fs::write(
        &new,
        "---\ntitle: 关于领事认证的新通知\ndate: 2024-07-01\ncategory: 工作动态\n---\n\n正文。\n",
    )
    .unwrap();
    until("the new item is listed", || {
        get(s.port, "/news/")
            .text()
            .contains("关于领事认证的新通知")
    });
    assert_eq!(get(s.port, "/news/2024/新通知/").status, 200);

    let renamed = s.site.path().join("content/news/新通知（修订）.md");
    std::fs::rename(&new, &renamed).unwrap();
    until("a renamed file moves its page", || {
        get(s.port, "/news/2024/新通知-修订/").status == 200
    });
    assert_eq!(get(s.port, "/news/2024/新通知/").status, 404);

    std::fs::remove_file(&renamed).unwrap();
    until("the deleted item is gone", || {
        get(s.port, "/news/2024/新通知-修订/").status == 404
    });
    assert!(
        !get(s.port, "/news/")
            .text()
            .contains("关于领事认证的新通知")
    );
}

#[test]
fn a_broken_edit_shows_the_error_and_a_fix_restores_the_site() {
    let s = serve();
    let report = s.site.path().join("content/reports/2024.yaml");
    let good = std::fs::read_to_string(&report).unwrap();
    // A file that cannot be read: the last good site stays, the error over it.
    std::fs::write(
        &report,
        good.replace(
            "granted: [2, 1, 0, 0, 0, 0, 3]",
            "granted: [2, 1, 0, 0, 0, 0, 3",
        ),
    )
    .unwrap();
    until("the error overlay", || {
        get(s.port, "/news/").text().contains("gongkai-error")
    });
    let page = get(s.port, "/news/");
    assert_eq!(page.status, 200, "the last good site stays up");
    assert!(
        page.text().contains("content/reports/2024.yaml:"),
        "file and line: {}",
        &page.text()[page.text().find("gongkai-error").unwrap_or(0)..]
    );
    // A figure that breaks a rule is a finding of the gate: the preview goes on, with
    // the finding in the panel under every page and in the terminal.
    std::fs::write(
        &report,
        good.replace(
            "granted: [2, 1, 0, 0, 0, 0, 3]",
            "granted: [5, 1, 0, 0, 0, 0, 6]",
        ),
    )
    .unwrap();
    until("the findings panel", || {
        get(s.port, "/news/").text().contains("gongkai-findings")
    });
    let page = get(s.port, "/news/").text();
    assert!(!page.contains("gongkai-error"));
    assert!(
        page.contains("content/reports/2024.yaml:10:") && page.contains("T3-B"),
        "file, line and rule: {}",
        &page[page.find("gongkai-findings").unwrap_or(0)..]
    );
    let mut printed = false;
    while let Ok(line) = s.log.recv_timeout(Duration::from_secs(1)) {
        printed |= line.contains("[T3-B]");
    }
    assert!(printed, "the terminal prints the same finding");
    std::fs::write(&report, &good).unwrap();
    until("the site comes back", || {
        let page = get(s.port, "/news/").text();
        !page.contains("gongkai-error") && !page.contains("gongkai-findings")
    });

    let template_dir = s.site.path().join("themes/default/templates");
    std::fs::create_dir_all(&template_dir).unwrap();
    std::fs::write(
        template_dir.join("404.html"),
        "{% extends \"base.html\" %}{% block main %}{{ oops( }}{% endblock main %}",
    )
    .unwrap();
    until("a template error is shown", || {
        get(s.port, "/").text().contains("templates/404.html")
    });
    std::fs::remove_file(template_dir.join("404.html")).unwrap();
    until("the template error clears", || {
        !get(s.port, "/").text().contains("gongkai-error")
    });
}

#[test]
fn a_port_in_use_gives_a_clear_message() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["serve", "--port", &port, "--root"])
        .arg(repo().join("tests/fixtures/minimal"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("已被占用"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn open_asks_the_default_browser_for_the_address() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let opened = dir.path().join("打开的网址.txt");
    let browser = dir.path().join("浏览器");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let s = serve_with(|c| c.arg("--open").env("BROWSER", &browser));
    let url = format!("http://127.0.0.1:{}/", s.port);
    until("the browser is asked for the address", || {
        std::fs::read_to_string(&opened).is_ok_and(|t| t.trim() == url)
    });
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let mut s = serve();
    let pid = s.server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(st) = s.server.child.try_wait().unwrap() {
            break st;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
}

#[test]
fn an_open_page_reloads_by_itself_in_chromium() {
    let s = serve();
    let b = browser::Browser::start();
    b.goto(&format!("http://127.0.0.1:{}/news/2024/签证办理/", s.port));
    assert!(b.wait_for(
        "return document.body !== null && document.body.innerText.includes('签证办理说明');",
        Duration::from_secs(10)
    ));
    let item = s.site.path().join("content/news/签证办理.md");
    let text = std::fs::read_to_string(&item).unwrap();
    std::fs::write(
        &item,
        text.replace(
            "签证办理说明。",
            "签证办理说明。\n\n浏览器里自动出现的新段落。",
        ),
    )
    .unwrap();
    assert!(
        b.wait_for(
            "return document.body !== null && document.body.innerText.includes('浏览器里自动出现的新段落');",
            Duration::from_secs(15)
        ),
        "the page shows the edit without a manual reload"
    );
}

#[test]
fn a_template_edit_shows_on_the_pages_that_use_it_without_a_full_build() {
    let s = serve();
    let templates = s.site.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let item = std::fs::read_to_string(repo().join("themes/default/templates/news_item.html"))
        .unwrap()
        .replace("相邻文章", "相邻文章（模板已修改）");
    std::fs::write(templates.join("news_item.html"), item).unwrap();
    until("the item page uses the edited template", || {
        get(s.port, "/news/2024/签证办理/")
            .text()
            .contains("相邻文章（模板已修改）")
    });
    assert!(!get(s.port, "/news/").text().contains("模板已修改"));
    // The server says it updated in place rather than building everything again.
    let mut updated = false;
    while let Ok(line) = s.log.recv_timeout(Duration::from_millis(500)) {
        updated |= line.starts_with("已更新");
    }
    assert!(updated, "the theme edit took the fast path");
}

#[test]
fn source_folders_deleted_and_recreated_are_still_watched() {
    let s = serve();
    let site = s.site.path();
    let backup = tempfile::tempdir().unwrap();
    let item = "content/news/签证办理.md";
    let style = "themes/default/static/assets/标记.css";
    let note = "static/说明.txt";
    for (file, text) in [(style, "/* 一 */"), (note, "第一版")] {
        std::fs::create_dir_all(site.join(file).parent().unwrap()).unwrap();
        std::fs::write(site.join(file), text).unwrap();
    }
    until("the new theme and static files are served", || {
        get(s.port, "/assets/标记.css").text() == "/* 一 */"
            && get(s.port, "/说明.txt").text() == "第一版"
    });
    // Each folder as an editor restores it from a copy: removed, then copied back with a
    // change; then a plain save afterwards must still be seen.
    let cases = [
        ("content", item, "/news/2024/签证办理/", "签证办理说明。"),
        ("static", note, "/说明.txt", "第一版"),
        ("themes", style, "/assets/标记.css", "/* 一 */"),
    ];
    for (folder, file, url, original) in cases {
        copy_dir(&site.join(folder), &backup.path().join(folder));
        let restored = backup.path().join(file);
        let text = std::fs::read_to_string(&restored).unwrap();
        std::fs::write(
            &restored,
            text.replace(original, &format!("{original}（恢复）")),
        )
        .unwrap();
        std::fs::remove_dir_all(site.join(folder)).unwrap();
        copy_dir(&backup.path().join(folder), &site.join(folder));
        until(
            &format!("{folder}/ restored from the copy is rebuilt"),
            || get(s.port, url).text().contains("（恢复）"),
        );
        for n in 1..=2 {
            let saved = format!("{original}（第 {n} 次保存）");
            std::fs::write(site.join(file), text.replace(original, &saved)).unwrap();
            until(
                &format!("save {n} in the recreated {folder}/ is seen"),
                || get(s.port, url).text().contains(&saved),
            );
        }
    }
}

/// Sends `request` byte for byte as written (paths and heads no HTTP client would send)
/// and returns the status and body of the answer.
fn raw(port: u16, request: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

/// Resident memory of a process in KiB, from /proc.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn only_requests_addressed_to_this_machine_are_answered() {
    let s = serve();
    let port = s.port;
    let ask = |host: &str| {
        let host = if host.is_empty() {
            String::new()
        } else {
            format!("Host: {host}\r\n")
        };
        raw(
            port,
            &format!("GET / HTTP/1.1\r\n{host}Connection: close\r\n\r\n"),
        )
    };
    for good in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "localhost".to_string(),
    ] {
        let (status, body) = ask(&good);
        assert_eq!(status, 200, "{good}");
        assert!(body.contains("__gongkai/events"), "{good}");
    }
    // A web page whose domain was re-pointed at 127.0.0.1 (DNS rebinding) reads nothing.
    for bad in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.nip.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        String::new(),
    ] {
        let (status, body) = ask(&bad);
        assert_eq!(status, 403, "{bad:?}");
        assert!(!body.contains("<html"), "{bad:?}: {body}");
    }
    let (status, _) = raw(
        port,
        &format!("GET /__gongkai/events HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n"),
    );
    assert_eq!(status, 403);
    // Two Host headers, whichever comes first and even when both are this machine's.
    for (a, b) in [
        (format!("localhost:{port}"), "evil.example".to_string()),
        ("evil.example".to_string(), format!("localhost:{port}")),
        ("localhost".to_string(), "localhost".to_string()),
    ] {
        let (status, body) = raw(
            port,
            &format!("GET / HTTP/1.1\r\nHost: {a}\r\nHost: {b}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status, 400, "{a} + {b}");
        assert!(!body.contains("<html"), "{a} + {b}: {body}");
    }
}

#[test]
fn a_huge_request_head_is_refused_without_being_kept_in_memory() {
    let s = serve();
    let before = rss_kib(s.child.id());
    let mut conn = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    conn.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ")
        .unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let mut sent = 0;
    while sent < 300 && conn.write_all(&chunk).is_ok() {
        sent += 1;
    }
    assert!(sent < 300, "the server stopped reading long before 300 MB");
    let mut answer = Vec::new();
    let _ = conn.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{answer}"
    );
    let after = rss_kib(s.child.id());
    assert!(
        after < before + 32 * 1024,
        "resident memory grew from {before} KiB to {after} KiB"
    );
    // Many headers: also refused; the server still answers ordinary requests.
    let many: String = (0..200).map(|i| format!("X-H{i}: {i}\r\n")).collect();
    let (status, _) = raw(
        s.port,
        &format!("GET / HTTP/1.1\r\nHost: localhost\r\n{many}\r\n"),
    );
    assert_eq!(status, 431);
    assert_eq!(get(s.port, "/").status, 200);
}
