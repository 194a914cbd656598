//! The media type of a published file, from its name: what the preview server answers
//! and what an upload to object storage declares.

use std::borrow::Cow;

/// The Content-Type for a file name. Text types carry `charset=utf-8` (every text file
/// gongkai writes is UTF-8, and Chinese text misread as another charset is garbage);
/// the types a portal publishes most are fixed here, anything else is guessed from the
/// extension, and an unknown one is `application/octet-stream`.
pub fn content_type(path: &str) -> Cow<'static, str> {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let known = match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "doc" => "application/msword",
        "xls" => "application/vnd.ms-excel",
        "zip" => "application/zip",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "",
    };
    if !known.is_empty() {
        return Cow::Borrowed(known);
    }
    match mime_guess::from_ext(&ext).first_raw() {
        Some(t) if t.starts_with("text/") => Cow::Owned(format!("{t}; charset=utf-8")),
        Some(t) => Cow::Borrowed(t),
        None => Cow::Borrowed("application/octet-stream"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_types_carry_a_charset() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("报告.PDF"), "application/pdf");
        assert!(content_type("x.svg").ends_with("charset=utf-8"));
        assert_eq!(content_type("会议.mp4"), "video/mp4");
        assert_eq!(content_type("说明.md"), "text/markdown; charset=utf-8");
        assert_eq!(content_type("无扩展名"), "application/octet-stream");
    }
}
