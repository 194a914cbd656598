//! Tells what kind of file an input is, from its bytes (the name only breaks ties), and
//! turns it into lines. Formats import cannot read get a message saying what to do.

use std::path::Path;

use super::{ImportError, Line};

/// The formats import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Pdf,
    Docx,
    /// Old binary Word (.doc) or WPS (.wps).
    Doc,
    /// A spreadsheet (.xlsx, .xls).
    Sheet,
    /// A scanned PDF, read by OCR.
    Scan,
}

impl Format {
    /// The name shown to users.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "文本",
            Format::Html => "网页",
            Format::Pdf => "PDF",
            Format::Docx => "Word",
            Format::Doc => "旧版 Word/WPS",
            Format::Sheet => "Excel 表格",
            Format::Scan => "扫描件 PDF，文字识别",
        }
    }
}

const EXTENSIONS: &[&str] = &[
    "pdf", "docx", "doc", "wps", "xlsx", "xls", "html", "htm", "shtml", "txt", "md", "text",
];

/// Whether a file's name ends in an extension import reads (or explains).
pub fn known_extension(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

const SAVE_AS_DOCX: &str = "请在 Word 或 WPS 中打开它，选“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再导入另存的 .docx 文件。";

/// The lines of an input, by its format; a scan is read by OCR only when `ocr`.
pub fn lines(bytes: &[u8], name: &str, ocr: bool) -> Result<(Format, Vec<Line>), ImportError> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError(format!(
            "{name} 是空文件，没有可以导入的内容。"
        )));
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return match super::pdf::lines(bytes, name)? {
            Some(lines) => Ok((Format::Pdf, lines)),
            // No text layer: a scan.
            None if ocr => Ok((Format::Scan, super::ocr::lines(bytes, name)?)),
            None => Err(ImportError(format!(
                "{name} 没有文字层（可能是扫描件或图片），其中的文字和数字无法读取。没有写入文件。"
            ))),
        };
    }
    if bytes.starts_with(b"PK\x03\x04") {
        if bytes.windows(11).any(|w| w == b"xl/workbook") {
            return Ok((Format::Sheet, super::sheet::lines(bytes, name)?));
        }
        return Ok((Format::Docx, super::docx::lines(bytes, name)?));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        if super::doc::is_word(bytes) {
            return Ok((Format::Doc, super::doc::lines(bytes, name)?));
        }
        if super::sheet::lines(bytes, name).is_ok() {
            return Ok((Format::Sheet, super::sheet::lines(bytes, name)?));
        }
        return Err(ImportError(format!(
            "{name} 是 Office 复合文件，但里面既没有 Word 文档，也没有 Excel 表格（可能已损坏，或是更早的 WPS 格式）。{SAVE_AS_DOCX}"
        )));
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(ImportError(format!(
            "{name} 是 RTF 格式，不能直接读取。{SAVE_AS_DOCX}"
        )));
    }
    let text = decode(bytes, name)?;
    let lower = name.to_ascii_lowercase();
    let start = text.trim_start();
    let head: String = start
        .chars()
        .take(1000)
        .collect::<String>()
        .to_ascii_lowercase();
    let html = [".html", ".htm", ".shtml", ".xhtml"]
        .iter()
        .any(|e| lower.ends_with(e))
        || head.starts_with("<!doctype html")
        || head.starts_with("<?xml") && head.contains("<html")
        || head.starts_with("<html")
        || head.starts_with("<!--") && head.contains("<html");
    if html {
        Ok((Format::Html, super::html::lines(&text)))
    } else if super::layout::laid_out(&text) {
        Ok((Format::Text, super::layout::lines(&text)))
    } else {
        Ok((Format::Text, super::plain::lines(&text)))
    }
}

/// The text of a text or HTML file: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK
/// (GB18030), as Chinese government sites still serve it.
fn decode(bytes: &[u8], name: &str) -> Result<String, ImportError> {
    let binary = || {
        ImportError(format!(
            "{name} 含有二进制内容，不是文本文件，也不是 PDF 或 Word（.docx）文件。"
        ))
    };
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, bad) = enc.decode(&bytes[bom..]);
        if bad || text.contains('\0') {
            return Err(binary());
        }
        return Ok(text.into_owned());
    }
    if let Ok(t) = std::str::from_utf8(bytes) {
        if t.contains('\0') {
            return Err(binary());
        }
        return Ok(t.to_string());
    }
    let (text, _, bad) = encoding_rs::GB18030.decode(bytes);
    let cjk = text
        .chars()
        .filter(|c| crate::ground::text::is_cjk(*c))
        .count();
    if !bad && !text.contains('\0') && cjk * 4 >= text.chars().count().min(4000) / 4 && cjk > 20 {
        return Ok(text.into_owned());
    }
    Err(ImportError(format!(
        "{name} 不是 UTF-8 文本，也不是 GBK 编码的文本（可能是二进制文件）。请把报告另存为 .txt、.html、.docx 或 .pdf 后再导入。"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_pages_are_read_and_binary_is_refused() {
        let (gbk, _, _) = encoding_rs::GBK.encode(
            "某县教育局2022年政府信息公开工作年度报告。一、总体情况。本年度共收到政府信息公开申请八件。",
        );
        assert!(decode(&gbk, "a.txt").unwrap().contains("年度报告"));
        let bin: Vec<u8> = (0..=255u8).collect();
        assert!(decode(&bin, "b.bin").is_err());
    }
}
