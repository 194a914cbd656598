//! Reading a text file an editor wrote: site.toml, content, report YAML, templates.
//!
//! Windows Notepad saves UTF-8 with a byte-order mark, and until 2019 saved Chinese text
//! as GBK ("ANSI") or UTF-16 ("Unicode") when asked. The mark is dropped and CRLF line
//! ends become LF, so a site checked out or saved on Windows gives the same pages, byte
//! for byte, as on Linux. Any other encoding is an error that names it: a GBK file is
//! never misread as UTF-8.

use std::fmt;
use std::path::{Path, PathBuf};

/// Why a text file could not be read.
#[derive(Debug)]
pub struct TextFileError {
    pub path: PathBuf,
    pub kind: Problem,
}

#[derive(Debug)]
pub enum Problem {
    Io(std::io::Error),
    /// Valid GBK (GB2312, GB18030 double-byte) but not UTF-8; the 1-based line of the
    /// first byte that is not UTF-8.
    Gbk {
        line: usize,
    },
    /// UTF-16 with a byte-order mark (Notepad's "Unicode").
    Utf16,
    /// Neither UTF-8 nor GBK (a binary file, or another encoding).
    NotText {
        line: usize,
    },
}

impl TextFileError {
    /// What is wrong, without the path.
    pub fn what(&self) -> String {
        match &self.kind {
            Problem::Io(e) => format!("无法读取文件：{e}"),
            Problem::Gbk { line } => {
                format!("文件是 GBK（GB2312）编码，不是 UTF-8（第 {line} 行起）")
            }
            Problem::Utf16 => "文件是 UTF-16（记事本的“Unicode”）编码，不是 UTF-8".into(),
            Problem::NotText { line } => {
                format!("文件不是 UTF-8 编码的文本（第 {line} 行起）")
            }
        }
    }

    /// How to fix it.
    pub fn help(&self) -> &'static str {
        match self.kind {
            Problem::Io(_) => "检查文件是否存在、是否有读取权限、是否被其他程序占用。",
            _ => {
                "用记事本打开文件，选择“另存为”，在“编码”中选 UTF-8 后保存（其他编辑器同理：以 UTF-8 编码保存）。"
            }
        }
    }

    /// The line the problem starts on, where known.
    pub fn line(&self) -> Option<usize> {
        match self.kind {
            Problem::Gbk { line } | Problem::NotText { line } => Some(line),
            _ => None,
        }
    }
}

impl fmt::Display for TextFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}：{}", self.path.display(), self.what())
    }
}

impl std::error::Error for TextFileError {}

/// Reads a user's text file as UTF-8 (a byte-order mark dropped, CRLF made LF).
pub fn read(path: &Path) -> Result<String, TextFileError> {
    let fail = |kind| TextFileError {
        path: path.to_path_buf(),
        kind,
    };
    let bytes = std::fs::read(path).map_err(|e| fail(Problem::Io(e)))?;
    decode(bytes).map_err(fail)
}

/// Bytes of a user's text file as a string, as [`read`] does.
pub fn decode(bytes: Vec<u8>) -> Result<String, Problem> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Problem::Utf16);
    }
    // Checked with SIMD, then copied (safe, and cheaper than the standard check, which
    // goes a byte at a time through Chinese).
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let Ok(text) = simdutf8::basic::from_utf8(body) else {
        let bad = std::str::from_utf8(&bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
        let line = bytes[..bad].iter().filter(|b| **b == b'\n').count() + 1;
        return Err(if is_gbk(&bytes) {
            Problem::Gbk { line }
        } else {
            Problem::NotText { line }
        });
    };
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_owned()
    })
}

/// Whether every non-ASCII byte is part of a GBK double-byte character (lead byte
/// 0x81–0xFE, trail byte 0x40–0xFE but not 0x7F).
fn is_gbk(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            // Control characters other than tab, line ends and escape: a binary file.
            b if b < 0x20 && !b"\t\n\x0B\x0C\r\x1B".contains(&b) => return false,
            0x00..=0x7F => i += 1,
            0x81..=0xFE => match bytes.get(i + 1) {
                Some(0x40..=0x7E | 0x80..=0xFE) => i += 2,
                _ => return false,
            },
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_a_bom_and_crlf_reads_as_plain_utf8() {
        let text =
            decode(b"\xEF\xBB\xBFtitle = \"\xE5\x85\xAC\xE5\xBC\x80\"\r\nx = 1\r\n".to_vec());
        assert_eq!(text.unwrap(), "title = \"公开\"\nx = 1\n");
    }

    #[test]
    fn gbk_is_named_with_its_line() {
        // "标题：公开" in GBK on line 2.
        let bytes = b"---\r\ntitle: \xB1\xEA\xCC\xE2\xA3\xBA\xB9\xAB\xBF\xAA\r\n".to_vec();
        match decode(bytes) {
            Err(Problem::Gbk { line }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn utf16_and_binary_are_not_taken_for_gbk() {
        assert!(matches!(
            decode(b"\xFF\xFEt\0i\0".to_vec()),
            Err(Problem::Utf16)
        ));
        assert!(matches!(
            decode(b"PNG\x89\x00\x01\x02".to_vec()),
            Err(Problem::NotText { line: 1 })
        ));
        // Latin-1 "café 1" is not GBK either: 0xE9 is followed by a space.
        assert!(matches!(
            decode(b"caf\xE9 1".to_vec()),
            Err(Problem::NotText { .. })
        ));
    }

    #[test]
    fn the_error_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("我的网站").join("site.toml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"name = \"\xCD\xE2\xCA\xC2\xB0\xEC\"\n").unwrap();
        let e = read(&path).unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.contains("我的网站") && shown.contains("GBK"),
            "{shown}"
        );
        assert!(e.help().contains("UTF-8"));
    }
}
