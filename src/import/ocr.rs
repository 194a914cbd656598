//! A scanned PDF (pages that are pictures, no text layer) read by an OCR engine installed
//! on the computer: the Tesseract program with its Chinese (simplified) data, called as a
//! program (never linked). Each page's picture is taken out of the PDF as it is stored
//! (JPEG as is; 8-bit grey or colour as a PNM file) into a temporary folder; Tesseract
//! gives every word with its box (`tsv`), and the words are placed and read as the PDF
//! reader reads a page ([`super::pdf::positioned`]). Every line is a [`Loc::Scan`], so
//! that every figure read from it is kept only where the table's rules confirm it
//! ([`super::solve`]); the others are marked for the editor.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::pdf::{Glyph, positioned};
use super::{ImportError, Line, Loc};

/// What to install, said when the engine or its Chinese data is missing.
const INSTALL: &str = "要识别扫描件中的文字，请先安装文字识别程序 Tesseract 和它的中文简体数据：Debian 或 Ubuntu 上运行 `sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim`；Windows 上安装 Tesseract（UB Mannheim 版）时勾选 “Chinese (Simplified)”，并把安装目录加入 PATH。装好后再导入这个文件；识别出的数字只在勾稽关系能确认时采用，其余标为待核对。也可以取得可以选中复制文字的 PDF 或原始的 Word 文件再导入。没有写入文件。";

pub fn lines(bytes: &[u8], name: &str) -> Result<Vec<Line>, ImportError> {
    let no_text =
        format!("{name} 没有文字层（是扫描件或图片），其中的文字和数字要先经过文字识别。");
    match Command::new("tesseract").arg("--list-langs").output() {
        Ok(o)
            if String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == "chi_sim") => {}
        Ok(_) => {
            return Err(ImportError(format!(
                "{no_text}电脑上的 Tesseract 没有中文简体数据（chi_sim）。{INSTALL}"
            )));
        }
        Err(_) => {
            return Err(ImportError(format!(
                "{no_text}电脑上没有找到文字识别程序 Tesseract。{INSTALL}"
            )));
        }
    }
    let pictures = pictures(bytes);
    if pictures.is_empty() {
        return Err(ImportError(format!(
            "{no_text}但其中的图片是本程序不能取出的格式。请用扫描软件把它另存为 JPEG 图片的 PDF，或取得原始的 Word 文件再导入。没有写入文件。"
        )));
    }
    let dir = Scratch::new().map_err(|e| {
        ImportError(format!(
            "无法建立文字识别用的临时文件夹：{e}。没有写入文件。"
        ))
    })?;
    let mut pages = Vec::new();
    for (i, (ext, data)) in pictures.iter().enumerate() {
        let path = dir.0.join(format!("page-{}.{ext}", i + 1));
        std::fs::write(&path, data).map_err(|e| {
            ImportError(format!(
                "无法写入文字识别用的临时文件 {}：{e}。没有写入文件。",
                path.display()
            ))
        })?;
        pages.push(recognise(&path, name)?);
    }
    Ok(positioned(pages, |page, _, line| Loc::Scan { page, line }))
}

/// A temporary folder removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "gongkai-ocr-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The largest picture of each page, as a file Tesseract reads: `(extension, bytes)`.
fn pictures(bytes: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let Ok(doc) = lopdf::Document::load_mem(bytes) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (_, page) in doc.get_pages() {
        let Ok(images) = doc.get_page_images(page) else {
            continue;
        };
        let Some(img) = images
            .iter()
            .max_by_key(|i| i.width.saturating_mul(i.height))
        else {
            continue;
        };
        let filters = img.filters.clone().unwrap_or_default();
        if filters.iter().any(|f| f == "DCTDecode") {
            out.push(("jpg", img.content.to_vec()));
            continue;
        }
        let Ok(stream) = doc.get_object(img.id).and_then(lopdf::Object::as_stream) else {
            continue;
        };
        let channels = match img.color_space.as_deref() {
            Some("DeviceGray") => 1,
            Some("DeviceRGB") => 3,
            _ => continue,
        };
        let data = if filters.is_empty() {
            stream.content.clone()
        } else {
            match stream.decompressed_content() {
                Ok(d) => d,
                Err(_) => continue,
            }
        };
        let (w, h) = (img.width as usize, img.height as usize);
        let Some(size) = w.checked_mul(h).and_then(|n| n.checked_mul(channels)) else {
            continue;
        };
        if img.bits_per_component != Some(8) || data.len() < size {
            continue;
        }
        let magic = if channels == 1 { "P5" } else { "P6" };
        let mut pnm = format!("{magic}\n{w} {h}\n255\n").into_bytes();
        pnm.extend_from_slice(&data[..size]);
        out.push(("pnm", pnm));
    }
    out
}

/// The words of one picture as placed characters `(height, glyphs)`.
fn recognise(path: &Path, name: &str) -> Result<(f64, Vec<Glyph>), ImportError> {
    let out = Command::new("tesseract")
        .arg(path)
        .args(["stdout", "-l", "chi_sim", "--psm", "4", "tsv"])
        // One thread a page: threads that wait for each other cost more than they give
        // on a computer that does other work too.
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .map_err(|e| {
            ImportError(format!(
                "{name}：文字识别程序 Tesseract 无法运行：{e}。没有写入文件。"
            ))
        })?;
    if !out.status.success() {
        return Err(ImportError(format!(
            "{name}：文字识别程序 Tesseract 识别失败：{}。没有写入文件。",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let tsv = String::from_utf8_lossy(&out.stdout);
    let mut glyphs = Vec::new();
    let mut height: f64 = 0.0;
    // Lines by (block, paragraph, line): their boxes give every word its baseline.
    let mut lines = std::collections::BTreeMap::new();
    let rows: Vec<Vec<&str>> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let num = |r: &[&str], i: usize| r.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    for r in rows.iter().filter(|r| r.first() == Some(&"4")) {
        lines.insert((r[2], r[3], r[4]), (num(r, 7), num(r, 9)));
    }
    for r in rows
        .iter()
        .filter(|r| r.first() == Some(&"5") && r.len() >= 12)
    {
        let text = r[11].trim();
        if text.is_empty() {
            continue;
        }
        let (left, width) = (num(r, 6), num(r, 8));
        let (top, size) = lines
            .get(&(r[2], r[3], r[4]))
            .copied()
            .unwrap_or((num(r, 7), num(r, 9)));
        height = height.max(top + size);
        let n = text.chars().count() as f64;
        for (k, ch) in text.chars().enumerate() {
            // OCR sets every Han character apart as a word: drawn a full line high, one
            // apart by less than that stays in its run.
            let wide = crate::ground::text::is_cjk(ch) || !ch.is_ascii();
            glyphs.push(Glyph {
                x: left + width * k as f64 / n,
                y: top + size,
                adv: if wide {
                    (width / n).max(size)
                } else {
                    width / n
                },
                size,
                ch: ch.to_string(),
            });
        }
    }
    Ok((height + 1.0, glyphs))
}
