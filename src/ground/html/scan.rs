//! The links of a page read in one pass over its bytes, for the pages gongkai writes: the
//! link check reads every page of every build, and html5ever's tokenizer (which builds
//! every token, text included) was a quarter of a build's time.
//!
//! The scan follows the HTML tokenizer's states for what matters to links (tags and their
//! attributes however quoted, comments, doctype, raw text of `script`, `style`, `title` …,
//! character references) and gives up — `None`, and the caller asks html5ever — at
//! anything the common forms do not cover: a named reference other than the five XML
//! ones, a numeric one the spec rewrites, a comment the spec ends early, `<!--` inside a
//! script, a carriage return or NUL, a tag cut off by the end. So it reads no page
//! differently from html5ever (the tests hold it to that on real pages), only faster.

use html5ever::tokenizer::states::RawKind;
use memchr::{memchr, memmem};

use super::RAW_ELEMENTS;

/// The `href` and `src` values of start tags, entities decoded; `None` when the page
/// needs the full tokenizer.
pub(super) fn links(html: &str) -> Option<Vec<String>> {
    let b = html.as_bytes();
    if memchr(0, b).is_some() {
        return None;
    }
    let mut links = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr(b'<', &b[i..]) {
        i += lt + 1;
        match b.get(i)? {
            b'!' => {
                if b[i..].starts_with(b"!--") {
                    i = comment_end(b, i + 3)?;
                } else {
                    // `<!DOCTYPE …>`, `<![CDATA[…>`: up to the next `>`.
                    i += memchr(b'>', &b[i..])? + 1;
                }
            }
            b'?' => i += memchr(b'>', &b[i..])? + 1,
            b'/' => match b.get(i + 1)? {
                c if c.is_ascii_alphabetic() => {
                    // An end tag: its attributes are read (a `>` may be quoted) and dropped.
                    let tag = tag(b, i + 1, &mut Vec::new())?;
                    i = tag.end;
                }
                b'>' => i += 2,
                _ => i += memchr(b'>', &b[i..])? + 1,
            },
            c if c.is_ascii_alphabetic() => {
                let tag = tag(b, i, &mut links)?;
                i = tag.end;
                if let Some((kind, name)) = raw_element(&b[tag.name.clone()]) {
                    i = raw_end(b, i, name, kind)?;
                }
            }
            // `<` as text: `a < b`, `<3`.
            _ => {}
        }
    }
    Some(links)
}

/// After `<!--` at `start`: where the comment ends, past its `-->`. The forms the spec
/// ends otherwise (`<!-->`, `<!--->`, `--!>`) or nests are left to the tokenizer.
fn comment_end(b: &[u8], start: usize) -> Option<usize> {
    let rest = &b[start..];
    if rest.starts_with(b">") || rest.starts_with(b"->") {
        return None;
    }
    let end = memmem::find(rest, b"-->")?;
    let body = &rest[..end];
    if memmem::find(body, b"--!").is_some() || body.ends_with(b"-") {
        return None;
    }
    Some(start + end + 3)
}

/// A tag read: where its name is, as written, and where it ends (past its `>`).
struct Tag {
    name: std::ops::Range<usize>,
    end: usize,
}

/// The kind of a raw-text element named `name` (any case), and its name in lower case.
fn raw_element(name: &[u8]) -> Option<(RawKind, &'static str)> {
    RAW_ELEMENTS
        .iter()
        .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name))
        .map(|(n, kind)| (*kind, *n))
}

/// Reads the tag whose name starts at `start`, pushing its `href` and `src` values to
/// `links` (the first of a name, as the tokenizer keeps). Nothing is copied but those
/// values: every tag of every page a build writes goes through here.
fn tag(b: &[u8], start: usize, links: &mut Vec<String>) -> Option<Tag> {
    let mut i = start;
    while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let name = start..i;
    let (mut href_seen, mut src_seen) = (false, false);
    loop {
        // Before an attribute's name.
        while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
            i += 1;
        }
        match b.get(i)? {
            b'>' => return Some(Tag { name, end: i + 1 }),
            _ => {
                // The name: a leading `=` belongs to it.
                let n0 = i;
                i += 1;
                while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                    i += 1;
                }
                let attr = &b[n0..i];
                while i < b.len() && is_space(b[i]) {
                    i += 1;
                }
                let mut value = None;
                if b.get(i)? == &b'=' {
                    i += 1;
                    while i < b.len() && is_space(b[i]) {
                        i += 1;
                    }
                    match b.get(i)? {
                        q @ (b'"' | b'\'') => {
                            let len = memchr(*q, &b[i + 1..])?;
                            value = Some(&b[i + 1..i + 1 + len]);
                            i += len + 2;
                        }
                        // `<a href=>`: no value.
                        b'>' => {}
                        _ => {
                            let v0 = i;
                            while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                                if matches!(b[i], b'"' | b'\'' | b'<' | b'=' | b'`') {
                                    // Kept by the tokenizer, but rare enough to leave to it.
                                    return None;
                                }
                                i += 1;
                            }
                            value = Some(&b[v0..i]);
                        }
                    }
                }
                let seen = if attr.eq_ignore_ascii_case(b"href") {
                    &mut href_seen
                } else if attr.eq_ignore_ascii_case(b"src") {
                    &mut src_seen
                } else {
                    continue;
                };
                if !*seen {
                    *seen = true;
                    links.push(decode(value.unwrap_or_default())?);
                }
            }
        }
    }
}

/// Whitespace between a tag's parts; a carriage return is one too (the tokenizer reads
/// CR LF and CR as LF).
fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b' ' | b'\r')
}

/// Past the end tag of a raw-text element whose text starts at `start`: the first
/// `</name` followed by a space, `/` or `>`, any case.
fn raw_end(b: &[u8], start: usize, name: &str, kind: RawKind) -> Option<usize> {
    let mut i = start;
    loop {
        let lt = i + memmem::find(&b[i..], b"</")?;
        let after = lt + 2 + name.len();
        if b.len() >= after
            && b[lt + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && b.get(after)
                .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>')
        {
            // Script text with `<!--` has the spec's escape states: left to the tokenizer.
            if kind == RawKind::ScriptData && memmem::find(&b[start..lt], b"<!--").is_some() {
                return None;
            }
            let end = tag(b, lt + 2, &mut Vec::new())?;
            return Some(end.end);
        }
        i = lt + 2;
    }
}

/// An attribute's value with its character references decoded: `&amp;` `&lt;` `&gt;`
/// `&quot;` `&apos;` and numeric ones with their `;`; a `&` before anything else but a
/// letter, digit or `#` is itself. Others (`&copy;`, `&nbsp` …) are the tokenizer's.
fn decode(v: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(v).ok()?;
    // The tokenizer reads a CR in a value as LF.
    if memchr(b'\r', v).is_some() {
        return None;
    }
    if memchr(b'&', v).is_none() {
        return Some(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let next = rest.bytes().next();
        if !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'#') {
            out.push('&');
            continue;
        }
        let semi = rest.find(';')?;
        let name = &rest[..semi];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let n = name.strip_prefix('#')?;
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) if !hex.is_empty() && hex.len() <= 6 => {
                        u32::from_str_radix(hex, 16).ok()?
                    }
                    None if !n.is_empty() && n.len() <= 7 => n.parse().ok()?,
                    _ => return None,
                };
                // NUL, C1 controls (rewritten to Windows-1252), surrogates, beyond
                // Unicode, noncharacters and controls: the spec's special cases.
                if code < 0x20 || (0x7f..=0x9f).contains(&code) || (code & 0xfffe) == 0xfffe {
                    return None;
                }
                if (0xfdd0..=0xfdef).contains(&code) {
                    return None;
                }
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::tokenized_links;

    /// Whether the scan read `html` itself; when it did, it must read what the tokenizer
    /// reads.
    fn agrees(html: &str) -> bool {
        let scanned = super::links(html);
        if let Some(l) = &scanned {
            assert_eq!(l, &tokenized_links(html), "{html:?}");
        }
        scanned.is_some()
    }

    #[test]
    fn the_forms_pages_use_are_read_by_the_scan_as_the_tokenizer_reads_them() {
        for html in [
            r#"<a href="/新闻/">新闻</a><img src='/图.png' alt="a > b"><a href=/无引号/>x</a>"#,
            r#"<a href="/a?x=1&amp;y=2&#x2F;&#47;&lt;&gt;&quot;&apos;">y</a>"#,
            r#"<a HREF="/大写/" Href="/重复/" src="">x</a><a href>空</a><a href=>空</a>"#,
            "<a\nhref\n=\n\"/换行/\"\r\nsrc='/回车/'>x</a><a\rhref=/c/>",
            r#"<!-- <a href="/注释里的/"> --><!DOCTYPE html><?xml x?><![CDATA[<a href="/x/">]]>"#,
            r#"<script>var s = '<a href="/脚本里的/">';</script ><a href="/后面/">"#,
            r#"<style>a[href="/样式/"]{}</style><title><a href="/标题/"></title><textarea><a href=/t/></TEXTAREA>"#,
            r#"<p>1 < 2 <3 <中文 </ p> </> <a href="/a"/><a/href="/斜线/"><a href="x"<b href="y">"#,
            r#"</a href="/结束标签/"><a title=">" href="/引号里的大于号/">"#,
            r#"<a href="&">y</a><a href="& x">z</a><a href="/a#&">"#,
        ] {
            assert!(agrees(html), "left to the tokenizer: {html:?}");
        }
    }

    #[test]
    fn what_the_scan_does_not_cover_is_left_to_the_tokenizer() {
        for html in [
            r#"<a href="&copy;">"#,
            r#"<a href="&nbsp">"#,
            r#"<a href="a&b=1">"#,
            r#"<a href="&#128;">"#,
            r#"<a href="&#0;">"#,
            r#"<a href="&#xD800;">"#,
            "<a href=\"a\r\nb\">",
            r#"<!--> <a href="/x/"> -->"#,
            r#"<!---> <a href="/x/"> -->"#,
            r#"<!-- a --!> <a href="/x/"> -->"#,
            r#"<script><!-- <script> </script> <a href="/x/"> </script>"#,
            "<a href=\"/x/\"\0>",
            r#"<a href="/没有结束"#,
            r#"<a href=a"b>"#,
            "<",
        ] {
            assert!(!agrees(html), "read by the scan: {html:?}");
        }
    }

    /// Documents made of the pieces that steer a tokenizer, in many orders: wherever the
    /// scan reads one, it reads what the tokenizer reads.
    #[test]
    fn pieces_in_any_order_read_as_the_tokenizer_reads_them() {
        const PIECES: &[&str] = &[
            "<a href=\"/a/\">",
            "<img src='/b.png'>",
            "<a href=/c/ src=/d/>",
            "href=\"/e/\"",
            "<!--",
            "-->",
            "--",
            "<script>",
            "</script>",
            "<title>",
            "</title >",
            "<style>",
            "</STYLE>",
            "&amp;",
            "&#x2F;",
            "&lt;",
            "&",
            "\"",
            "'",
            "=",
            ">",
            "<",
            "/",
            " ",
            "\n",
            "\r\n",
            "<!DOCTYPE html>",
            "</a>",
            "<p class=\"x\">",
            "中文",
            "<a",
            " src",
            "<?",
            "<!",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut scanned = 0;
        for _ in 0..20_000 {
            let len = 1 + next(24);
            let html: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            scanned += usize::from(agrees(&html));
        }
        assert!(scanned > 5_000, "the scan read {scanned} of 20,000");
    }

    /// Real pages from government sites (the import fixtures) and every page of the
    /// example portal, which the scan must read itself: the default theme never sends a
    /// build to the slow path.
    #[test]
    fn real_pages_and_the_example_portal_read_as_the_tokenizer_reads_them() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut real = 0;
        for e in walkdir::WalkDir::new(repo.join("tests/fixtures"))
            .into_iter()
            .filter_map(Result::ok)
        {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "html" || x == "htm")
                && let Ok(html) = std::fs::read_to_string(p)
            {
                agrees(&html);
                real += 1;
            }
        }
        assert!(real >= 5, "{real} pages");
        let opts = crate::build::BuildOptions {
            root: repo.to_path_buf(),
            ..Default::default()
        };
        let (prepared, _) = crate::build::prepare(&opts);
        let prepared = prepared.expect("the example portal renders");
        let mut pages = 0;
        for f in &prepared.files {
            let crate::output::Body::Bytes(b) = &f.body else {
                continue;
            };
            if f.path.ends_with(".html") {
                let html = std::str::from_utf8(b).unwrap();
                assert!(agrees(html), "{} left to the tokenizer", f.path);
                pages += 1;
            }
        }
        assert!(pages > 40, "{pages} pages");
    }
}

/// Held to the tokenizer on every HTML file under `$GONGKAI_HTML_CORPUS` (run by hand on
/// large collections: `GONGKAI_HTML_CORPUS=/usr/share/doc cargo test --lib corpus -- --ignored --nocapture`).
#[cfg(test)]
#[test]
#[ignore = "needs GONGKAI_HTML_CORPUS"]
fn corpus_reads_as_the_tokenizer_reads_it() {
    let dir = std::env::var("GONGKAI_HTML_CORPUS").expect("GONGKAI_HTML_CORPUS");
    let (mut all, mut scanned) = (0, 0);
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "html" || x == "htm")
            && let Ok(html) = std::fs::read_to_string(p)
        {
            all += 1;
            if let Some(l) = links(&html) {
                assert_eq!(l, super::tokenized_links(&html), "{}", p.display());
                scanned += 1;
            }
        }
    }
    println!("{all} pages, {scanned} read by the scan, the rest by the tokenizer");
}
