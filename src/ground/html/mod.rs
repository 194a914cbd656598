//! HTML read as a browser reads it (html5ever's tokenizer): the links of rendered pages
//! for the link check, and of raw HTML written in Markdown. Single-quoted or unquoted
//! attributes, entities and comments are read right, and script text is not markup.

use std::cell::RefCell;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

mod scan;

/// Collects the `href` and `src` attributes of start tags.
struct LinkSink {
    links: RefCell<Vec<String>>,
}

impl TokenSink for LinkSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let mut links = self.links.borrow_mut();
        for a in &tag.attrs {
            if matches!(&*a.name.local, "href" | "src") {
                links.push(a.value.to_string());
            }
        }
        raw_kind(&tag.name).map_or(TokenSinkResult::Continue, TokenSinkResult::RawData)
    }
}

/// The elements whose text is not markup, as a tree builder tells the tokenizer: one list
/// for the sink and the quick scan, so that the two read a page alike.
const RAW_ELEMENTS: [(&str, RawKind); 8] = [
    ("script", RawKind::ScriptData),
    ("style", RawKind::Rawtext),
    ("xmp", RawKind::Rawtext),
    ("iframe", RawKind::Rawtext),
    ("noembed", RawKind::Rawtext),
    ("noframes", RawKind::Rawtext),
    ("title", RawKind::Rcdata),
    ("textarea", RawKind::Rcdata),
];

/// The kind of the element named `name` (lower case), if its text is not markup.
fn raw_kind(name: &str) -> Option<RawKind> {
    RAW_ELEMENTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, k)| *k)
}

/// The values of the `href` and `src` attributes of a page, entities decoded.
pub fn links(html: &str) -> Vec<String> {
    scan::links(html).unwrap_or_else(|| tokenized_links(html))
}

/// [`links`] as html5ever's tokenizer reads them: for the pages the quick scan leaves to
/// it, and to hold the scan to in the tests.
fn tokenized_links(html: &str) -> Vec<String> {
    let tokenizer = Tokenizer::new(
        LinkSink {
            links: RefCell::new(Vec::new()),
        },
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(html.into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.links.take()
}

/// Whether a link leaves the site or is not a path at all (`https:`, `mailto:`, `//host`,
/// `#top`, `javascript:`), as opposed to a path on it (`/a/`, `a.png`, `../b/`).
pub fn is_external(link: &str) -> bool {
    let l = link.trim();
    if l.starts_with("//") || l.starts_with('#') || l.is_empty() {
        return true;
    }
    // A scheme: letters, digits, `+`, `-`, `.` before the first `:`, and no `/` before it.
    match l.find(':') {
        Some(i) => {
            let scheme = &l[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_read_as_a_browser_reads_them() {
        let html = r#"<a href='/单引号/'>x</a><img src=/无引号.png alt="a > b">
            <a data-href="/不是链接/" href="/a?x=1&amp;y=2">y</a>
            <!-- <a href="/注释里的/"> -->
            <script>var s = '<a href="/脚本里的/">';</script>"#;
        assert_eq!(links(html), ["/单引号/", "/无引号.png", "/a?x=1&y=2"]);
    }

    #[test]
    fn external_links_are_told_from_paths() {
        for l in [
            "https://x.gov.cn/",
            "mailto:a@b.cn",
            "//cdn/x.js",
            "#top",
            "tel:12345",
        ] {
            assert!(is_external(l), "{l}");
        }
        for l in ["/a/", "会议现场.png", "../签证/", "img/a:b.png", "./a.png"] {
            assert!(!is_external(l), "{l}");
        }
    }
}
