//! What an editor writes in a news item's body, built by the real binary: pictures
//! beside the Markdown, bare URLs in Chinese sentences, raw HTML (issue 17, items 2, 3
//! and 9).

#[path = "support/cli.rs"]
mod cli;
#[path = "support/html.rs"]
mod html;
#[path = "support/tree.rs"]
mod tree;

use cli::{PNG, read, run_in, stderr, write};

/// A copy of the minimal fixture site.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    tree::copy_dir(&tree::repo().join("tests/fixtures/minimal"), dir.path());
    dir
}

const NEWS: &str = "content/news/2024/工作会议.md";

fn news(body: &str) -> String {
    format!("---\ntitle: 召开工作会议\ndate: 2024-12-20\ncategory: 工作动态\n---\n\n{body}\n")
}

#[test]
fn a_picture_beside_the_markdown_is_published_with_the_page() {
    let dir = site();
    let root = dir.path();
    write(
        root,
        NEWS,
        news(
            "会议现场：\n\n![会议现场](会议现场.png)\n\n<img src=\"图片/合影.png\" width=\"300\" alt=\"合影\">",
        ),
    );
    write(root, "content/news/2024/会议现场.png", PNG);
    write(root, "content/news/2024/图片/合影.png", PNG);
    let o = run_in(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(root, "public/news/2024/工作会议/index.html");
    let srcs = html::attrs(&page, "main img", "src");
    assert_eq!(srcs.len(), 2, "{page}");
    assert_eq!(
        std::fs::read(root.join("public/news/2024/工作会议/会议现场.png")).unwrap(),
        PNG
    );
    assert_eq!(
        std::fs::read(root.join("public/news/2024/工作会议/图片/合影.png")).unwrap(),
        PNG
    );
    assert_eq!(html::attrs(&page, "main img[width]", "width"), ["300"]);
}

#[test]
fn a_missing_picture_is_an_error_at_its_line_with_where_to_put_it() {
    let dir = site();
    let root = dir.path();
    write(
        root,
        NEWS,
        news("第一段。\n\n![会议现场](会议现场.png)\n\n<img src=\"合影.jpg\" alt=\"合影\">"),
    );
    let o = run_in(root, &["check"]);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains(&format!(
            "{NEWS}:9:9: 错误 [broken-link] 链接指向不存在的页面或文件：会议现场.png"
        )),
        "{err}"
    );
    assert!(
        err.contains("把 会议现场.png 放在 content/news/2024/ 文件夹里"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{NEWS}:11:11: 错误 [broken-link] 链接指向不存在的页面或文件：合影.jpg"
        )),
        "{err}"
    );
}

#[test]
fn relative_links_between_pages_are_checked_too() {
    let dir = site();
    let root = dir.path();
    write(
        root,
        NEWS,
        news(
            "见[签证办理](../签证办理/)和[领事认证](../../2024/领事认证/)，另见[不存在](../没有这篇/)。",
        ),
    );
    let o = run_in(root, &["check"]);
    let err = stderr(&o);
    assert_eq!(err.matches("[broken-link]").count(), 1, "{err}");
    assert!(err.contains("../没有这篇/"), "{err}");
}

#[test]
fn a_bare_url_in_a_chinese_sentence_ends_where_the_sentence_goes_on() {
    let dir = site();
    let root = dir.path();
    write(
        root,
        NEWS,
        news(
            "本报告可在本机关网站（http://www.x.gov.cn）查阅或下载。如对本报告有疑问，请与本机关联系。",
        ),
    );
    let o = run_in(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(root, "public/news/2024/工作会议/index.html");
    assert_eq!(
        html::attrs(&page, "main .article-body a, main article a", "href")
            .into_iter()
            .filter(|h| h.starts_with("http://www.x"))
            .collect::<Vec<_>>(),
        ["http://www.x.gov.cn"]
    );
    assert!(
        html::texts(&page, "main p")
            .iter()
            .any(|p| p.ends_with("）查阅或下载。如对本报告有疑问，请与本机关联系。")),
        "{page}"
    );
}

#[test]
fn raw_html_is_kept_to_a_safe_subset() {
    let dir = site();
    let root = dir.path();
    write(
        root,
        NEWS,
        news(
            "正文。\n\n<p align=\"right\">某市人民政府测试局<br>2024年12月20日</p>\n\n<script>alert('x')</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"alert(2)\">点这里</a>\n\nm<sup>2</sup>",
        ),
    );
    let o = run_in(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(root, "public/news/2024/工作会议/index.html");
    assert_eq!(
        html::texts(&page, "main p[align=right]"),
        ["某市人民政府测试局2024年12月20日"]
    );
    assert_eq!(html::texts(&page, "main sup"), ["2"]);
    let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    for bad in ["<script", "alert", "onclick", "javascript:"] {
        assert!(!main.contains(bad), "{bad} in {main}");
    }
    assert!(main.contains("点这里"), "{main}");
}
