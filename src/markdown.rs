//! Markdown to HTML, with Chinese emphasis done right (`**《条例》**` is bold).
//!
//! Root-relative links (`/images/a.jpg`) get the site's base path, so a site served
//! from a sub-folder keeps working; every link is collected for the link check.

use comrak::nodes::NodeValue;
use comrak::{Arena, Options, format_html, parse_document};

/// A Markdown text as HTML, with what the site needs from it besides.
pub struct Html {
    pub html: String,
    /// Link and image targets as written in the source.
    pub links: Vec<String>,
    /// The text a reader sees, blocks on their own lines (for the search index).
    pub text: String,
}

fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.cjk_friendly_emphasis = true;
    // Raw HTML in content is escaped, never passed through: content is written by
    // many hands and must not be able to inject scripts into a government site.
    o.render.r#unsafe = false;
    o.render.escape = true;
    o
}

/// Renders `md`; `base_path` is the site's path prefix, `/` at a host's root.
pub fn render(md: &str, base_path: &str) -> Html {
    let arena = Arena::new();
    let opts = options();
    let root = parse_document(&arena, md, &opts);
    let mut links = Vec::new();
    let mut text = String::new();
    for node in root.descendants() {
        let mut data = node.data_mut();
        match &data.value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            NodeValue::CodeBlock(c) => text.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
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
    let _ = format_html(root, &opts, &mut html);
    Html { html, links, text }
}

/// Plain text of the first paragraph, for summaries and descriptions.
pub fn first_paragraph(md: &str, max_chars: usize) -> String {
    let para = md
        .split("\n\n")
        .map(str::trim)
        .find(|p| {
            !p.is_empty() && !p.starts_with('#') && !p.starts_with('!') && !p.starts_with('|')
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
    fn raw_html_is_not_passed_through() {
        let r = render("<script>alert(1)</script>\n\n正文", "/");
        assert!(!r.html.contains("<script>"), "{}", r.html);
    }

    #[test]
    fn root_links_get_the_base_path_and_are_collected() {
        let r = render("[指南](/zwgk/指南/) ![图](/images/a.jpg)", "/wb/");
        assert!(r.html.contains("href=\"/wb/zwgk/"), "{}", r.html);
        assert_eq!(r.links, vec!["/zwgk/指南/", "/images/a.jpg"]);
    }
}
