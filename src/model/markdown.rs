//! Markdown to HTML, with Chinese emphasis done right (`**《条例》**` is bold), bare URLs
//! that end where the Chinese text after them starts, and raw HTML kept to a safe subset.
//!
//! Root-relative links (`/images/a.jpg`) get the site's base path, so a site served
//! from a sub-folder keeps working; every link is collected for the link check, and the
//! relative ones (`会议现场.png`) for copying the files they name beside the page.

use std::borrow::Cow;

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, format_html, parse_document};

/// A Markdown text as HTML, with what the site needs from it besides.
pub struct Html {
    pub html: String,
    /// Link and image targets as written in the source (raw HTML's `href` and `src`
    /// included).
    pub links: Vec<String>,
    /// The text a reader sees, blocks on their own lines (for the search index).
    pub text: String,
}

impl Html {
    /// The links that name a path relative to the page (`会议现场.png`, `img/图.jpg`),
    /// percent-decoded, without query or fragment: files that may sit beside the source.
    pub fn relative_links(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .links
            .iter()
            .filter(|l| !l.starts_with('/') && !crate::ground::html::is_external(l))
            .map(|l| crate::config::paths::decode(l.split(['#', '?']).next().unwrap_or("")))
            .filter(|l| !l.is_empty())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

fn options(raw_html: bool) -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.cjk_friendly_emphasis = true;
    // Raw HTML passes only through the sanitiser (see `sanitise`); without any, comrak's
    // own safe mode also keeps `javascript:` out of Markdown links.
    o.render.r#unsafe = raw_html;
    o.render.escape = !raw_html;
    o
}

/// Renders `md`; `base_path` is the site's path prefix, `/` at a host's root.
pub fn render(md: &str, base_path: &str) -> Html {
    let arena = Arena::new();
    let root = parse_document(&arena, md, &options(false));
    end_bare_urls(&arena, root);
    let mut links = Vec::new();
    let mut text = String::new();
    let mut raw_html = false;
    for node in root.descendants() {
        let mut data = node.data_mut();
        match &data.value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            NodeValue::CodeBlock(c) => text.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            NodeValue::HtmlBlock(b) => {
                raw_html = true;
                links.extend(crate::ground::html::links(&b.literal));
            }
            NodeValue::HtmlInline(h) => {
                raw_html = true;
                links.extend(crate::ground::html::links(h));
            }
            NodeValue::Paragraph
            | NodeValue::Heading(_)
            | NodeValue::Item(_)
            | NodeValue::TableCell
            | NodeValue::BlockQuote
                if !text.is_empty() && !text.ends_with('\n') =>
            {
                text.push('\n')
            }
            _ => {}
        }
        let url = match &mut data.value {
            NodeValue::Link(l) => &mut l.url,
            NodeValue::Image(i) => &mut i.url,
            _ => continue,
        };
        links.push(url.to_string());
        if base_path != "/" && url.starts_with('/') && !url.starts_with("//") {
            *url = format!("{}{}", base_path.trim_end_matches('/'), url);
        }
    }
    let mut html = String::new();
    // Writing into a String cannot fail.
    let _ = format_html(root, &options(raw_html), &mut html);
    if raw_html {
        html = sanitise(&html, base_path);
    }
    // Both grew by doubling; a site holds them for every item until its pages are made.
    html.shrink_to_fit();
    text.shrink_to_fit();
    Html { html, links, text }
}

/// Keeps the HTML an editor may need in an article (pictures with a size, aligned
/// paragraphs such as a 落款, tables, `br`, `sup`/`sub`) and drops everything that
/// could run code: scripts, event handlers, `javascript:` URLs, styles, forms, frames.
fn sanitise(html: &str, base_path: &str) -> String {
    let base = base_path.trim_end_matches('/').to_string();
    ammonia::Builder::default()
        .add_tag_attributes("p", &["align"])
        .add_tag_attributes("div", &["align"])
        .add_tag_attributes("img", &["title"])
        .link_rel(None)
        .attribute_filter(move |_, attr, value| {
            if matches!(attr, "href" | "src")
                && value.starts_with('/')
                && !value.starts_with("//")
                && !base.is_empty()
                && !value.starts_with(&format!("{base}/"))
            {
                return Some(Cow::Owned(format!("{base}{value}")));
            }
            Some(Cow::Borrowed(value))
        })
        .clean(html)
        .to_string()
}

/// Whether `c` cannot be part of a URL written in Chinese text: CJK characters and
/// full-width or CJK punctuation (`，。：；（）【】《》“”…`), which URLs never hold unencoded.
fn ends_url(c: char) -> bool {
    crate::ground::text::is_cjk(c)
        || matches!(c as u32, 0x2010..=0x206F | 0x3000..=0x303F | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

/// The end of a bare URL in `s`: before the first character of the Chinese text that
/// follows it, without trailing punctuation (`.`, `,`, an unmatched `)` …).
fn url_end(s: &str) -> usize {
    let mut end = s.find(ends_url).unwrap_or(s.len());
    loop {
        let kept = &s[..end];
        match kept.chars().last() {
            Some('.' | ',' | ':' | ';' | '!' | '?' | '\'' | '"' | '*' | '_' | '~') => end -= 1,
            Some(')') if kept.matches(')').count() > kept.matches('(').count() => end -= 1,
            _ => return end,
        }
    }
}

/// comrak's autolinks run to the next space, which in Chinese text is often the end of
/// the paragraph (`网站（http://www.x.gov.cn）查阅或下载。…`): each is cut where the
/// Chinese text starts, the rest put back as text (with any further URL in it linked).
fn end_bare_urls<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>) {
    let autolinks: Vec<&'a AstNode<'a>> = root
        .descendants()
        .filter(|n| {
            let NodeValue::Link(l) = &n.data().value else {
                return false;
            };
            let Some(child) = n.first_child() else {
                return false;
            };
            let NodeValue::Text(t) = &child.data().value else {
                return false;
            };
            child.next_sibling().is_none()
                && (l.url == t.as_ref() || l.url == format!("http://{t}"))
                && t.contains(ends_url)
        })
        .collect();
    for link in autolinks {
        let Some(child) = link.first_child() else {
            continue;
        };
        let whole = match &child.data().value {
            NodeValue::Text(t) => t.to_string(),
            _ => continue,
        };
        let end = url_end(&whole);
        let (kept, rest) = whole.split_at(end);
        if let NodeValue::Link(l) = &mut link.data_mut().value {
            l.url = if l.url.starts_with("http://") && !kept.starts_with("http://") {
                format!("http://{kept}")
            } else {
                kept.to_string()
            };
        }
        child.data_mut().value = NodeValue::Text(kept.to_string().into());
        let mut after = link;
        for (piece, url) in split_urls(rest) {
            let node: &'a AstNode<'a> =
                arena.alloc(AstNode::from(NodeValue::Text(piece.to_string().into())));
            let node = match url {
                false => node,
                true => {
                    let l: &'a AstNode<'a> = arena.alloc(AstNode::from(NodeValue::Link(Box::new(
                        comrak::nodes::NodeLink {
                            url: piece.to_string(),
                            title: String::new(),
                        },
                    ))));
                    l.append(node);
                    l
                }
            };
            after.insert_after(node);
            after = node;
        }
    }
}

/// `text` cut into plain pieces and `http(s)://` URLs (ended as [`url_end`] ends them).
fn split_urls(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let start = ["http://", "https://"]
            .iter()
            .filter_map(|s| rest.find(s))
            .min();
        match start {
            Some(i) if url_end(&rest[i..]) > "https://".len() => {
                if i > 0 {
                    out.push((&rest[..i], false));
                }
                let end = i + url_end(&rest[i..]);
                out.push((&rest[i..end], true));
                rest = &rest[end..];
            }
            _ => {
                out.push((rest, false));
                break;
            }
        }
    }
    out
}

/// Plain text of the first paragraph, for summaries and descriptions.
pub fn first_paragraph(md: &str, max_chars: usize) -> String {
    let para = md
        .split("\n\n")
        .map(str::trim)
        .find(|p| {
            !p.is_empty()
                && !p.starts_with('#')
                && !p.starts_with('!')
                && !p.starts_with('|')
                && !p.starts_with('<')
        })
        .unwrap_or("");
    let text: String = para
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`' | '#' | '>' | '[' | ']'))
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    truncate_chars(text.trim(), max_chars)
}

pub fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_emphasis_next_to_punctuation_is_bold() {
        let r = render("根据**《条例》**规定", "/");
        assert!(r.html.contains("<strong>《条例》</strong>"), "{}", r.html);
    }

    #[test]
    fn plain_text_keeps_what_a_reader_sees() {
        let r = render("# 标题\n\n办理**签证**，见[通知](/a/)。\n\n- 一\n- 二", "/");
        assert_eq!(r.text, "标题\n办理签证，见通知。\n一\n二");
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_stay_out() {
        for md in [
            "<script>alert(1)</script>\n\n正文",
            "<img src=\"a.png\" onerror=\"alert(1)\">",
            "<a href=\"javascript:alert(1)\">点</a>",
            "[点](javascript:alert(1))",
            "<p style=\"background:url(javascript:alert(1))\" onclick=\"x()\">字</p>",
            "<iframe src=\"https://x.cn/\"></iframe>",
        ] {
            let r = render(md, "/");
            for bad in [
                "<script",
                "onerror",
                "onclick",
                "javascript:",
                "style=",
                "<iframe",
            ] {
                assert!(!r.html.contains(bad), "{md} → {}", r.html);
            }
        }
    }

    #[test]
    fn a_safe_subset_of_raw_html_is_kept() {
        let r = render(
            "正文\n\n<img src=\"会议现场.png\" width=\"300\" alt=\"会议现场\">\n\n<p align=\"right\">某县人民政府办公室<br>2024年12月20日</p>\n\nH<sub>2</sub>O，10<sup>3</sup>",
            "/wb/",
        );
        assert!(r.html.contains("width=\"300\""), "{}", r.html);
        assert!(r.html.contains("alt=\"会议现场\""), "{}", r.html);
        assert!(r.html.contains("<p align=\"right\">"), "{}", r.html);
        assert!(r.html.contains("<br>"), "{}", r.html);
        assert!(r.html.contains("<sub>2</sub>") && r.html.contains("<sup>3</sup>"));
        assert_eq!(r.relative_links(), ["会议现场.png"]);
        let r = render("<img src=\"/images/a.png\">", "/wb/");
        assert!(r.html.contains("src=\"/wb/images/a.png\""), "{}", r.html);
    }

    #[test]
    fn bare_urls_end_where_the_chinese_text_starts() {
        let r = render(
            "可在本机关网站（http://www.x.gov.cn）查阅或下载。如对本报告有疑问，请联系。",
            "/",
        );
        assert!(
            r.html.contains(
                "（<a href=\"http://www.x.gov.cn\">http://www.x.gov.cn</a>）查阅或下载。如对本报告有疑问"
            ),
            "{}",
            r.html
        );
        assert!(r.text.contains("）查阅或下载"), "{}", r.text);
        let r = render(
            "网址 www.x.gov.cn/zwgk。另见https://y.gov.cn和http://z.gov.cn/a.",
            "/",
        );
        assert!(
            r.html
                .contains("<a href=\"http://www.x.gov.cn/zwgk\">www.x.gov.cn/zwgk</a>。另见"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<a href=\"https://y.gov.cn\">https://y.gov.cn</a>和<a href=\"http://z.gov.cn/a\">http://z.gov.cn/a</a>."),
            "{}",
            r.html
        );
    }

    #[test]
    fn the_sentence_of_a_published_report_links_only_its_url() {
        // From 高平市人民政府办公室's 2023 report (shared/import-devset/partial/18-…):
        // half-width brackets around the URL, and `<…>` that is a title, not HTML.
        let md = "《关于印发<中华人民共和国政府信息公开工作年度报告格式>的通知》要求编制。本年度报告的电子版可在“高平市人民政府门户网站”(http://www.sxgp.gov.cn/)下载。如对本年度报告有任何疑问,请与高平市人民政府办公室信息室联系。";
        let r = render(md, "/");
        assert!(
            r.html.contains("(<a href=\"http://www.sxgp.gov.cn/\">http://www.sxgp.gov.cn/</a>)下载。如对本年度报告有任何疑问"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("&lt;中华人民共和国政府信息公开工作年度报告格式&gt;"),
            "{}",
            r.html
        );
    }

    #[test]
    fn root_links_get_the_base_path_and_are_collected() {
        let r = render("[指南](/zwgk/指南/) ![图](/images/a.jpg)", "/wb/");
        assert!(r.html.contains("href=\"/wb/zwgk/"), "{}", r.html);
        assert_eq!(r.links, vec!["/zwgk/指南/", "/images/a.jpg"]);
    }
}
