//! Where things are published: the output paths of pages and the URLs that lead to them.
//! Every place that names a page's path asks here, so a path is spelled once.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Characters kept as they are in a strict URL path: unreserved ones and `/`.
const PATH_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a path for places that need a strict URL (sitemap, feed ids).
pub fn encode(p: &str) -> String {
    utf8_percent_encode(p, PATH_KEEP).to_string()
}

/// Escapes what cannot stand in a URL path as written (spaces, quotes, `#`, `?`, `%`,
/// angle brackets …) and keeps everything else, Chinese included, as it is: the address
/// of an attachment named `会议纪要 #3.pdf` is `会议纪要%20%233.pdf`.
pub fn escape(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        if c.is_ascii_control() || " \"#%<>?[\\]^`{|}".contains(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes `%XX` escapes; invalid ones are kept as written.
pub fn decode(p: &str) -> String {
    percent_decode_str(p).decode_utf8_lossy().into_owned()
}

/// Decodes `%XX` escapes, or `None` when an escape is malformed or the result is not
/// UTF-8 (what a request path must satisfy).
pub fn decode_strict(p: &str) -> Option<String> {
    let bytes = p.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_decode_str(p)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// The file a page path is written to: a folder (`news/`, or `` for the home page) gets
/// its `index.html`; a file path stays as it is.
pub fn page_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Page `page` (1-based) of a list whose first page is at `base` (`news/`).
pub fn paged(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// The news column with this slug.
pub fn column(slug: &str) -> String {
    format!("news/category/{slug}/")
}

/// The page of the yearly report of `year`.
pub fn report(year: u32) -> String {
    format!("zwgk/ndbg/{year}/")
}

/// The disclosure column (政府信息公开).
pub const DISCLOSURE: &str = "zwgk/";
/// The list of yearly reports.
pub const REPORTS: &str = "zwgk/ndbg/";
/// The news list.
pub const NEWS: &str = "news/";
/// The year archive.
pub const ARCHIVE: &str = "archive/";

/// The catalogue table (政府信息公开目录).
pub const CATALOGUE: &str = "zwgk/gkml/";
/// 依申请公开.
pub const APPLICATION: &str = "zwgk/ysqgk/";
/// The printable 申请表.
pub const APPLICATION_FORM: &str = "zwgk/ysqgk/sqb/";

/// The page of the catalogue category with this slug (法定主动公开内容 › …).
pub fn category(slug: &str) -> String {
    format!("{DISCLOSURE}{CATEGORIES}{slug}/")
}

/// The folder of the category pages under the disclosure column.
const CATEGORIES: &str = "fdzdgknr/";

/// A download of the whole catalogue (`csv`, `json`).
pub fn catalogue_data(ext: &str) -> String {
    format!("{CATALOGUE}catalogue.{ext}")
}

/// The 申请表 as a PDF.
pub fn application_pdf() -> String {
    format!("{APPLICATION}政府信息公开申请表.pdf")
}

/// Folders under the disclosure column that gongkai's own pages take, so that no
/// disclosure item may be published there.
pub fn reserved_in_disclosure() -> [String; 5] {
    [
        REPORTS.to_string(),
        format!("{DISCLOSURE}page/"),
        format!("{DISCLOSURE}{CATEGORIES}"),
        CATALOGUE.to_string(),
        APPLICATION.to_string(),
    ]
}

/// One year of the archive.
pub fn archive_year(year: u32) -> String {
    format!("archive/{year}/")
}

/// The longest file or folder name the file systems a site is built on take (ext4, XFS,
/// APFS: 255 bytes of UTF-8, in which a Chinese character takes three): the most a slug
/// may have.
pub const MAX_NAME_BYTES: usize = 255;

/// A URL-safe slug that keeps Chinese characters: spaces and punctuation become `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_through_percent_encoding() {
        let p = "news/2023/签证/";
        assert_eq!(decode(&encode(p)), p);
        assert_eq!(encode("a b"), "a%20b");
        assert_eq!(decode("%E7%AD%BE%ZZ"), "签%ZZ");
        assert_eq!(decode_strict("/%E7%AD%BE").as_deref(), Some("/签"));
        for bad in ["/%2", "/%zz", "/%ff%fe"] {
            assert_eq!(decode_strict(bad), None, "{bad}");
        }
    }

    #[test]
    fn escaped_paths_keep_chinese_and_decode_back() {
        let name = "会议纪要 #3 \"终稿\"?.pdf";
        assert_eq!(escape(name), "会议纪要%20%233%20%22终稿%22%3F.pdf");
        assert_eq!(decode(&escape(name)), name);
        assert_eq!(escape("50%.pdf"), "50%25.pdf");
    }

    #[test]
    fn slugs_keep_chinese() {
        assert_eq!(
            slugify("政府信息公开 指南（2024）"),
            "政府信息公开-指南-2024"
        );
    }

    #[test]
    fn folders_are_written_as_their_index() {
        assert_eq!(page_file(""), "index.html");
        assert_eq!(page_file("news/"), "news/index.html");
        assert_eq!(page_file("atom.xml"), "atom.xml");
        assert_eq!(paged("news/", 1), "news/");
        assert_eq!(paged("news/", 3), "news/page/3/");
    }
}
