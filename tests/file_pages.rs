//! The `dated-file` path style, from the real binary: one file per page in a folder per
//! month (`/news/202412/t20241220_001.html`), as most portals publish, with every link,
//! the sitemap, the feed, the search index, the catalogue and `--relative` following it,
//! in a single site, a group member and `serve` (issue 28).

#[path = "support/cli.rs"]
mod cli;
#[path = "support/html.rs"]
mod html;
#[path = "support/http.rs"]
mod http;
#[path = "support/serve.rs"]
mod serve;
#[path = "support/tree.rs"]
mod tree;

use std::path::Path;

use cli::{read, run_in, stderr, write};

fn build(root: &Path, args: &[&str]) -> String {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let o = run_in(root, &all);
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

/// Writes two news items of one day (the later one first by name), one of the next day
/// with an attachment and a picture beside it, and a disclosure item, into `content`.
fn write_items(content: &Path) {
    for (name, time) in [("乙", "09:00"), ("甲", "15:30")] {
        write(
            content,
            &format!("news/{name}.md"),
            format!("---\ntitle: {name}\ndate: 2024-12-20 {time}\n---\n\n{name}的正文。\n"),
        );
    }
    write(content, "news/附件.pdf", "%PDF-1.4\n");
    std::fs::copy(
        tree::repo().join("tests/fixtures/website/static/media/weixin.png"),
        content.join("news/现场.png"),
    )
    .unwrap();
    write(
        content,
        "news/带附件.md",
        "---\ntitle: 带附件\ndate: 2024-12-21\nattachments:\n  - file: 附件.pdf\n---\n\n会议现场：![会议现场](现场.png)\n",
    );
    write(
        content,
        "disclosure/政府信息公开指南.md",
        "---\ntitle: 政府信息公开指南\ndate: 2024-01-05\nkind: guide\n---\n\n指南正文。\n",
    );
}

/// A copy of the minimal site in the `dated-file` style with the items of `write_items`;
/// the fixture's item that links to another by its Chinese path goes.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree::copy_dir(&tree::repo().join("tests/fixtures/minimal"), root);
    std::fs::remove_file(root.join("content/news/领事认证.md")).unwrap();
    write(
        root,
        "site.toml",
        format!(
            "{}\n[paths]\nstyle = \"dated-file\"\n",
            read(root, "site.toml")
        ),
    );
    write_items(&root.join("content"));
    dir
}

/// The links into the site of every page under `out` (published at its host's root):
/// root-relative and relative ones, folders standing for their `index.html`.
fn site_links(out: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut all = Vec::new();
    for e in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        let page = e.path();
        if page.extension().is_none_or(|x| x != "html") {
            continue;
        }
        let text = std::fs::read_to_string(page).unwrap();
        for attr in ["href", "src", "action"] {
            for link in html::attrs(&text, &format!("[{attr}]"), attr) {
                if link.contains("://") || link.starts_with('#') || link.starts_with("mailto:") {
                    continue;
                }
                all.push((page.to_path_buf(), link));
            }
        }
    }
    all
}

/// Every link into the site of every page under `out` leads to a file.
fn links_lead_to_files(out: &Path) {
    let links = site_links(out);
    assert!(links.len() > 50, "{links:?}");
    for (page, link) in links {
        let target = link.split(['#', '?']).next().unwrap();
        let target = percent_encoding::percent_decode_str(target)
            .decode_utf8()
            .unwrap();
        let mut file = match target.strip_prefix('/') {
            Some(rooted) => out.join(rooted),
            None => page.parent().unwrap().join(target.as_ref()),
        };
        if target.is_empty() || target.ends_with('/') {
            file = file.join("index.html");
        }
        assert!(file.is_file(), "{}: {link}", page.display());
    }
}

#[test]
fn dated_file_pages_are_files_in_month_folders_that_every_link_feed_and_index_name() {
    let dir = site();
    let root = dir.path();
    build(root, &[]);
    let out = root.join("public");
    let first = read(&out, "news/202412/t20241220_001.html");
    assert_eq!(html::texts(&first, "h1"), ["乙"]);
    let second = read(&out, "news/202412/t20241220_002.html");
    assert_eq!(html::texts(&second, "h1"), ["甲"]);
    assert!(out.join("news/202402/t20240201_001.html").is_file());
    assert!(out.join("zwgk/202401/t20240105_001.html").is_file());
    // No folder per page: an item's attachments get one, named as its page; a picture
    // its body links to sits beside the page, where the browser looks for it.
    assert!(!out.join("news/202412/t20241220_001").exists());
    assert!(!out.join("news/2024").exists());
    assert!(out.join("news/202412/t20241221_001/附件.pdf").is_file());
    assert!(out.join("news/202412/现场.png").is_file());
    let attached = read(&out, "news/202412/t20241221_001.html");
    assert!(
        html::attrs(&attached, "a", "href")
            .contains(&"/news/202412/t20241221_001/附件.pdf".to_string()),
        "{attached}"
    );
    assert!(
        html::attrs(&second, "a", "href").contains(&"/news/202412/t20241220_001.html".into()),
        "the neighbour links name the file: {second}"
    );

    let url = "https://test.example.gov.cn/news/202412/t20241220_002.html";
    assert!(read(&out, "sitemap.xml").contains(&format!("<loc>{url}</loc>")));
    assert!(!read(&out, "sitemap.xml").contains("404.html"));
    assert!(read(&out, "atom.xml").contains(&format!("href=\"{url}\"")));
    assert!(read(&out, "search/docs.json").contains("\"news/202412/t20241220_002.html\""));
    let disclosure = "https://test.example.gov.cn/zwgk/202401/t20240105_001.html";
    assert!(read(&out, "zwgk/gkml/catalogue.csv").contains(disclosure));
    assert!(read(&out, "zwgk/gkml/catalogue.json").contains(disclosure));
    assert!(
        html::attrs(&read(&out, "zwgk/gkml/index.html"), "a", "href")
            .contains(&"/zwgk/202401/t20240105_001.html".into())
    );
    links_lead_to_files(&out);
}

#[test]
fn a_relative_dated_file_site_links_every_page_from_disk() {
    let dir = site();
    let root = dir.path();
    let out = root.join("U盘");
    build(root, &["--relative", "--out", out.to_str().unwrap()]);
    let page = read(&out, "news/202412/t20241220_002.html");
    assert!(
        html::attrs(&page, "a", "href").contains(&"../../news/202412/t20241220_001.html".into()),
        "{page}"
    );
    assert!(
        site_links(&out)
            .iter()
            .all(|(_, l)| !l.starts_with('/') || l.starts_with("//")),
        "every link relative"
    );
    links_lead_to_files(&out);
}

#[test]
fn a_group_member_in_the_dated_file_style_publishes_its_pages_as_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree::copy_dir(&tree::repo().join("tests/fixtures/group"), root);
    let member = root.join("sites/教育局");
    write(
        &member,
        "site.toml",
        format!(
            "{}\n[paths]\nstyle = \"dated-file\"\n",
            read(&member, "site.toml")
        ),
    );
    write_items(&member.join("content"));
    build(root, &["--as-of", "2025-03-10"]);
    let out = root.join("public");
    let page = read(&out, "教育局/news/202412/t20241220_002.html");
    assert_eq!(html::texts(&page, "h1"), ["甲"]);
    assert!(
        out.join("教育局/news/202412/t20241221_001/附件.pdf")
            .is_file()
    );
    assert!(out.join("教育局/zwgk/202401/t20240105_001.html").is_file());
    assert!(!out.join("教育局/news/2024").exists());
    assert!(read(&out, "教育局/sitemap.xml").contains(
        "<loc>https://www.example.gov.cn/%E6%95%99%E8%82%B2%E5%B1%80/news/202412/t20241220_002.html</loc>"
    ));
    // The group's pages and its search index lead to the member's files.
    assert!(
        html::attrs(&read(&out, "latest/index.html"), "a", "href")
            .contains(&"/%E6%95%99%E8%82%B2%E5%B1%80/news/202412/t20241221_001.html".into())
    );
    links_lead_to_files(&out);
}

#[test]
fn serve_answers_a_dated_file_page_and_its_attachment() {
    let dir = site();
    let served = serve::Served::start(dir.path(), &[]);
    let page = http::get(&served.url("/news/202412/t20241220_001.html"));
    assert_eq!(page.status, 200);
    assert_eq!(html::texts(&page.text(), "h1"), ["乙"]);
    let pdf = http::get(&served.url("/news/202412/t20241221_001/%E9%99%84%E4%BB%B6.pdf"));
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with(b"%PDF"));
    assert_eq!(
        http::get(&served.url("/news/202412/t20241220_009.html")).status,
        404
    );
}
