//! What each fuzz target does with its input: shared by the libFuzzer binaries in
//! `fuzz_targets/` and by `tests/fuzz_regressions.rs`, which replays the regression
//! inputs and seeds as ordinary tests. Each runs the input through the same library
//! code a build runs it through, and checks what must hold for any input: no panic, and
//! the outputs a build writes (XML, JSON, HTML) well-formed.

#![allow(dead_code)]

use gongkai::config::Config;
use gongkai::ground::diagnostics::Diagnostics;
use gongkai::model::content::{DisclosureFront, NewsFront, parse_document};
use gongkai::model::report::{export, load, rules, view};

/// Every message rendered, as `check` prints them.
fn print(d: &Diagnostics) {
    for x in d.iter() {
        let _ = x.to_string();
    }
}

/// A yearly report file: loading, the 勾稽 rules (within the year and against itself as
/// the year before), the tables as templates see them, the JSON and CSV exports and the
/// overview's charts.
pub fn report_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut d = Diagnostics::new();
    let loaded = load::load_report(text, "content/reports/2023.yaml", &mut d);
    if let Some(r) = loaded.report {
        let findings = rules::check_report(&r);
        rules::diagnostics(&r, &findings, false, &mut d);
        let findings = rules::check_years(&r, &r);
        rules::diagnostics(&r, &findings, true, &mut d);
        for t in r.tables.values() {
            let _ = view::table_view(&r, t);
        }
        let json = export::report_json(&r);
        serde_json::from_slice::<serde_json::Value>(&json).expect("report.json is JSON");
        let _ = export::applications_csv(&r);
        // The overview's charts are inline SVG: well-formed whatever the figures.
        for f in r.kind.key_figures {
            let points = [(r.year, Some(export::key_figure(&r, f)))];
            let svg = gongkai::model::report::chart::bar_chart("c", f.label, &points);
            roxmltree::Document::parse(&svg).expect("the chart is well-formed SVG");
        }
        let reports = [r];
        let json = export::overview_json(&reports);
        serde_json::from_slice::<serde_json::Value>(&json).expect("reports.json is JSON");
        let _ = export::overview_csv(&reports);
    }
    print(&d);
}

/// The front matter of a news item and of a disclosure item, and the body after it.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut d = Diagnostics::new();
    if let Some(doc) = parse_document::<NewsFront>(text, "content/news/n.md", &mut d) {
        let _ = doc.front.date.rfc3339();
        let _ = doc.front.date.sort_key();
        let _ = gongkai::model::markdown::first_paragraph(&doc.body, 120);
    }
    if let Some(doc) = parse_document::<DisclosureFront>(text, "content/disclosure/d.md", &mut d) {
        let _ = doc.front.date.chinese();
        let _ = doc.front.written.map(|w| w.rfc3339());
    }
    print(&d);
}

/// A site.toml, and what is derived from it for every page.
pub fn site_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut d = Diagnostics::new();
    if let Some(c) = Config::parse(text, &mut d) {
        let _ = c.base_url();
        let _ = c.base_path();
        for col in &c.columns {
            let _ = col.slug();
        }
    }
    print(&d);
}

/// Markdown to HTML: raw HTML in content is escaped, never passed through, whatever the
/// input (content is written by many hands and must not inject scripts).
pub fn markdown(data: &[u8]) {
    let Ok(md) = std::str::from_utf8(data) else {
        return;
    };
    for base in ["/", "/wb/"] {
        let r = gongkai::model::markdown::render(md, base);
        let html = r.html.to_ascii_lowercase();
        for tag in ["<script", "<iframe", "<object", "<embed", "<style", "<form"] {
            assert!(!html.contains(tag), "{tag} passed through:\n{}", r.html);
        }
    }
    let _ = gongkai::model::markdown::first_paragraph(md, 120);
}

/// The search tokenizer and index: folding keeps one character for one (search.js
/// relies on it for positions), and every index file is JSON.
pub fn search(data: &[u8]) {
    use gongkai::render::search::{SearchDoc, Token, index_files, normalize, tokens};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let n = normalize(text);
    assert_eq!(
        n.chars().count(),
        text.chars().count(),
        "folding is one for one"
    );
    tokens(&n, |t| match t {
        Token::Bigram(a, b) => assert!(n.contains([a, b].iter().collect::<String>().as_str())),
        Token::Word(w) => assert!(!w.is_empty() && n.contains(w.as_str())),
    });
    let (title, body) = text.split_once('\n').unwrap_or((text, ""));
    let docs: Vec<SearchDoc> = [(title, body), (body, title)]
        .iter()
        .enumerate()
        .map(|(i, (title, body))| SearchDoc {
            title: title.to_string(),
            path: format!("news/2024/{i}/"),
            date: "2024-01-31".into(),
            when: i as i64,
            column: gongkai::config::SearchColumn::News,
            label: "工作动态".into(),
            meta: String::new(),
            text: (*body).into(),
            input: 0,
        })
        .collect();
    let index = index_files(&docs);
    for f in &index.files {
        if let gongkai::output::Body::Bytes(b) = &f.body {
            serde_json::from_slice::<serde_json::Value>(b)
                .unwrap_or_else(|e| panic!("{} is not JSON: {e}", f.path));
        }
    }
}

/// A published report as `gongkai import` reads it, as plain text, a web page, a Word
/// file and a PDF (the format is detected from the bytes where they tell): no panic, no
/// hang, and when a report comes out, the YAML written for it reads back without a YAML
/// error.
pub fn import(data: &[u8]) {
    for name in ["报告.txt", "报告.html", "报告.docx", "报告.pdf"] {
        let Ok(imported) = gongkai::import::read_bytes(data, name) else {
            continue;
        };
        let yaml = gongkai::import::to_yaml(&imported, name);
        let mut d = Diagnostics::new();
        let _ = load::load_report(&yaml, "content/reports/2023.yaml", &mut d);
        assert!(
            !d.iter().any(|x| x.code == "yaml"),
            "the imported YAML reads back: {}\n{yaml}",
            d.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// A PDF as the PDF reader reads it directly (`%PDF-` put in front where the input
/// lacks it): no panic (pdf-extract's own are caught and become a refusal), no hang, no
/// memory beyond the caps; a refusal names the file.
pub fn pdf(data: &[u8]) {
    let bytes = if data.starts_with(b"%PDF-") {
        data.to_vec()
    } else {
        [&b"%PDF-1.7\n"[..], data].concat()
    };
    if let Err(e) = gongkai::import::text_lines(&bytes, "报告.pdf") {
        assert!(e.0.contains("报告.pdf"), "the message names the file: {e}");
    }
}

/// Word XML as the .docx reader reads it directly: the input is the `word/document.xml`
/// of a Word file made around it. No panic, no hang (tables, text boxes and content
/// controls nest as deep as the input says), a refusal names the file.
pub fn docx(data: &[u8]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("word/document.xml", stored)
        .expect("a zip entry");
    zip.write_all(data).expect("written in memory");
    let bytes = zip.finish().expect("a zip").into_inner();
    if let Err(e) = gongkai::import::text_lines(&bytes, "报告.docx") {
        assert!(e.0.contains("报告.docx"), "the message names the file: {e}");
    }
}

/// A shard of `build --merge` for the `merge` target: member `waiban`'s page, an
/// attachment, its search records, a link to a file outside, a link to the folder above,
/// another member's file and one outside any member. Made once per process.
fn shard() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("gongkai-fuzz-merge-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        for (p, text) in [
            (".gongkai-group/waiban.json", "{}"),
            (".gongkai-group/waiban.search.json", "[]"),
            ("waiban/index.html", "<p>外办</p>"),
            ("waiban/zwgk/附件.pdf", "%PDF-1.7"),
            ("tongji/index.html", "<p>统计局</p>"),
            ("secret.txt", "机密"),
        ] {
            std::fs::create_dir_all(d.join(p).parent().unwrap()).unwrap();
            std::fs::write(d.join(p), text).unwrap();
        }
        #[cfg(unix)]
        {
            let _ = std::os::unix::fs::symlink(d.join("secret.txt"), d.join("waiban/link.txt"));
            let _ = std::os::unix::fs::symlink("..", d.join("waiban/up"));
        }
        std::fs::canonicalize(&d).unwrap()
    })
}

/// A member summary as `build --merge` reads it from a shard (the input), checked against
/// the shard of [`shard`]: every file accepted lies under the member's folder (or is its
/// search records or summary), is a regular file reached through no link, inside the
/// shard, with the SHA-256 the summary lists; every refusal names a file of the shard.
pub fn merge(data: &[u8]) {
    use gongkai::group::summary::MemberSummary;
    use gongkai::output::Body;
    let Ok(x) = serde_json::from_slice::<MemberSummary>(data) else {
        return;
    };
    let dir = shard();
    match gongkai::group::merge::shard_files(dir, "waiban", &x) {
        Ok(files) => {
            for f in files {
                let data = f.path.starts_with(".gongkai-group/waiban.");
                assert!(
                    gongkai::ground::fs::safe_path(&f.path)
                        && (data || f.path.starts_with("waiban/")),
                    "accepted {}",
                    f.path
                );
                let Body::Copy(src) = &f.body else {
                    panic!("{}: copied from the shard", f.path)
                };
                assert_eq!(*src, dir.join(&f.path));
                let meta = std::fs::symlink_metadata(src).unwrap();
                assert!(meta.is_file(), "{} is a regular file", f.path);
                assert_eq!(
                    std::fs::canonicalize(src).unwrap(),
                    *src,
                    "no link on the way"
                );
                if f.path != ".gongkai-group/waiban.json" {
                    let bytes = std::fs::read(src).unwrap();
                    assert_eq!(
                        x.hashes.get(&f.path),
                        Some(&gongkai::ground::fs::sha256_hex(&bytes))
                    );
                }
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in problems {
                assert!(p.file.starts_with(&dir.display().to_string()), "{}", p.file);
                let _ = p.to_string();
            }
        }
    }
}
