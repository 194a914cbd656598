//! PDFs, Word files and web pages from outside (issue 25, items 2, 3, 4, 9 and 10): each
//! broke a reader that trusted it — a hang, a stack overflow, gigabytes decoded, minutes
//! of work. Each is driven through the real binary: `import` of the file, and the file
//! as an attachment under `check` and `build`. Every run must end with an exit code (a
//! crash ends with a signal) and a refusal names the file and what was refused. The small
//! files are in tests/fixtures/import/hostile (made by its make.py); the large ones are
//! made here.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/tree.rs"]
mod tree;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use tree::{example, repo};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/import/hostile").join(name)
}

/// Runs the binary with `args`, killing it after two minutes so that a hang fails the
/// test instead of stopping the suite (no test here should come near that).
fn run(args: &[&std::ffi::OsStr]) -> Output {
    let mut child = cli::gongkai()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("gongkai {args:?} still running after two minutes");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// `gongkai import FILE -o DIR/out.yaml`: its exit code (never a signal) and messages.
fn import(file: &Path) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.yaml");
    let o = run(&[
        "import".as_ref(),
        file.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    let err = cli::stderr(&o);
    let code = o
        .status
        .code()
        .unwrap_or_else(|| panic!("{} crashed: {:?}\n{err}", file.display(), o.status));
    assert!(code == 0 || !out.exists(), "nothing written: {err}");
    (code, err)
}

/// Asserts that importing `file` is refused (exit 2) with a message naming it and
/// saying `what`, and never calling it a scan.
fn refused(file: &Path, what: &str) {
    let (code, err) = import(file);
    let name = file.file_name().unwrap().to_string_lossy();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&*name), "names {name}: {err}");
    assert!(err.contains(what), "says {what}: {err}");
    assert!(!err.contains("扫描件"), "not called a scan: {err}");
}

/// A PDF of `objects` numbered from 1 (the catalog first), with its cross-reference table.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

/// A PDF of `pages` pages, each showing one line in Helvetica and then drawing the
/// content stream `content` (Flate) once.
fn pages_sharing(pages: usize, content: &[u8]) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 5 + i)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        stream("/Filter /FlateDecode", content),
    ];
    for _ in 0..pages {
        objects.push(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>".to_vec(),
        );
    }
    pdf(&objects)
}

/// `n` MiB of spaces after a line of text, Flate-compressed.
fn spaces(n: usize) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n")
        .unwrap();
    let mib = vec![b' '; 1 << 20];
    for _ in 0..n {
        z.write_all(&mib).unwrap();
    }
    z.finish().unwrap()
}

/// A content stream (Flate) showing `n` MiB of text, one character an operator.
fn shown(n: usize) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(b"BT /F1 12 Tf 72 720 Td\n").unwrap();
    let mib = b"(a) Tj\n".repeat((1 << 20) / 7);
    for _ in 0..n {
        z.write_all(&mib).unwrap();
    }
    z.write_all(b"ET\n").unwrap();
    z.finish().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn a_page_whose_parent_loops_is_read_through_the_page_tree() {
    // pdf-extract looked for the page size up /Parent: forever, at 100% CPU.
    let (code, err) = import(&fixture("parent-loop.pdf"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("没有找到") && err.contains("章节标题"),
        "read, not a report: {err}"
    );
    // As an attachment its text is read: `check` finds the mobile number in it.
    let (_dir, root) = example();
    attach(&root, &["parent-loop.pdf"]);
    let o = run(&["check".as_ref(), "--root".as_ref(), root.as_os_str()]);
    let err = cli::stderr(&o);
    assert!(o.status.code().is_some(), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("parent-loop.pdf") && l.contains("privacy.mobile")),
        "{err}"
    );
}

/// Copies the hostile `files` beside the first news item of the example site at `root`
/// and lists them as its attachments.
fn attach(root: &Path, files: &[&str]) {
    let news = root.join("content/news/2023");
    let item = std::fs::read_dir(&news)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .min()
        .unwrap();
    let mut front = String::from("---\nattachments:\n");
    for f in files {
        std::fs::copy(fixture(f), news.join(f)).unwrap();
        front.push_str(&format!("  - file: {f}\n    title: 附件 {f}\n"));
    }
    let text = std::fs::read_to_string(&item).unwrap();
    std::fs::write(&item, front + text.strip_prefix("---\n").unwrap()).unwrap();
}

#[test]
fn a_page_tree_or_a_drawing_that_contains_itself_is_refused_by_name() {
    refused(&fixture("kids-loop.pdf"), "页面目录引用了自身（循环）");
    // Was a stack overflow (SIGABRT).
    refused(&fixture("form-loop.pdf"), "图形引用了自身（循环）");
}

#[test]
fn drawings_drawn_a_trillion_times_are_refused_before_extraction() {
    refused(&fixture("form-laughs.pdf"), "合计超过 256 MB");
}

#[test]
fn font_maps_too_large_or_too_deep_are_refused() {
    refused(&fixture("cmap-range.pdf"), "字符对照表过大");
    // Was a stack overflow in the map's parser.
    refused(&fixture("cmap-nesting.pdf"), "嵌套过深");
}

#[test]
fn decompression_bombs_are_refused_by_their_cap_not_called_a_scan() {
    let dir = tempfile::tempdir().unwrap();
    // 100 MB of spaces in 100 KB (the issue's was 1 GiB in 1 MB: 16 s, 2.18 GB).
    let one = write(dir.path(), "一段.pdf", &pages_sharing(1, &spaces(100)));
    refused(&one, "中有一段压缩数据解压后超过 64 MB");
    for f in ["flate-twice.pdf", "lzw-bomb.pdf", "objstm-bomb.pdf"] {
        refused(&fixture(f), "中有一段压缩数据解压后超过 64 MB");
    }
    // Five streams of 60 MB: each under the cap, together over the file's.
    let content = spaces(60);
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R 5 0 R 6 0 R 7 0 R 8 0 R] /Count 5 >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for i in 0..5 {
        objects.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>", 9 + i).into_bytes());
    }
    for _ in 0..5 {
        objects.push(stream("/Filter /FlateDecode", &content));
    }
    let five = write(dir.path(), "五段.pdf", &pdf(&objects));
    refused(&five, "中的压缩数据解压后合计超过 256 MB");
}

#[test]
fn pages_sharing_one_content_stream_are_counted_each_time() {
    // 300 pages drawing one stream of 1 MB of text shown: 300 MB for pdf-extract to go
    // through, from a file of a few kilobytes. (Spaces would not do: only what places text
    // is kept of a content stream, so a stream of spaces costs nothing.)
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "共用.pdf", &pages_sharing(300, &shown(1)));
    refused(&f, "合计超过 256 MB");
}

#[test]
fn word_files_nested_thousands_deep_are_refused_by_name() {
    // Both were a stack overflow (SIGABRT) with no file named.
    refused(&fixture("nested-tables.docx"), "嵌套超过 64 层");
    refused(&fixture("nested-sdt.docx"), "嵌套超过 64 层");
}

/// A Word file whose document.xml is `body` inside `<w:body>`.
fn docx(body: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", deflated).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#).unwrap();
    zip.write_all(body).unwrap();
    zip.write_all(b"</w:body></w:document>").unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_word_file_of_sixty_megabytes_of_paragraphs_is_refused_by_its_size() {
    // 175 KB that took 46 s and 900 MB.
    let p = "<w:p><w:r><w:t>本年度</w:t></w:r></w:p>";
    let body = p.repeat((60 << 20) / p.len());
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "段落.docx", &docx(body.as_bytes()));
    refused(&f, "超过 200 万个 XML 节点");
}

#[test]
fn a_report_of_more_than_a_million_characters_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = "一、总体情况\n".to_string() + &"本年度主动公开政府信息。\n".repeat(100_000);
    let f = write(dir.path(), "长文.txt", text.as_bytes());
    refused(&f, "超过 100 万字");
}

#[test]
fn web_pages_of_tables_nested_forty_thousand_deep_are_read_as_text() {
    // 20,000 levels took 15 s, 40,000 took 27 s: each level copied all inside it.
    let depth = 40_000;
    let html = format!(
        "<html><body>{}一、总体情况{}</body></html>",
        "<table><tr><td>".repeat(depth),
        "</td></tr></table>".repeat(depth)
    );
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "嵌套.html", html.as_bytes());
    let (code, err) = import(&f);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("嵌套.html") && err.contains("章节标题"),
        "{err}"
    );
}

#[test]
fn hostile_attachments_leave_check_and_build_to_finish() {
    let (_dir, root) = example();
    let names = [
        "parent-loop.pdf",
        "kids-loop.pdf",
        "form-loop.pdf",
        "form-laughs.pdf",
        "cmap-range.pdf",
        "cmap-nesting.pdf",
        "flate-twice.pdf",
        "objstm-bomb.pdf",
        "nested-tables.docx",
        "nested-sdt.docx",
    ];
    attach(&root, &names);
    let o = run(&["check".as_ref(), "--root".as_ref(), root.as_os_str()]);
    assert!(o.status.code().is_some(), "{}", cli::stderr(&o));
    let out = root.join("public");
    let build = || {
        run(&[
            "build".as_ref(),
            "--root".as_ref(),
            root.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
    };
    // The looping page tree is read through: its mobile number stops the build by name.
    let o = build();
    let err = cli::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("parent-loop.pdf: 错误 [privacy.mobile]") && err.contains("138****5678"),
        "{err}"
    );
    // Allowed (as a unit's public number would be), the build publishes.
    let item = std::fs::read_dir(root.join("content/news/2023"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .min()
        .unwrap();
    let text = std::fs::read_to_string(&item).unwrap().replacen(
        "---\n",
        "---\nallow_numbers: [\"13812345678\"]\n",
        1,
    );
    std::fs::write(&item, text).unwrap();
    let o = build();
    assert!(o.status.success(), "{}", cli::stderr(&o));
}

#[cfg(unix)]
#[test]
fn import_does_not_write_through_a_link() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let (site, outside) = (dir.path().join("site"), dir.path().join("outside"));
    std::fs::create_dir_all(site.join("content/reports")).unwrap();
    std::fs::create_dir(&outside).unwrap();
    let report = repo().join("tests/fixtures/import/report.html");
    let import_into = |site: &Path| {
        run(&[
            "import".as_ref(),
            report.as_os_str(),
            "--root".as_ref(),
            site.as_os_str(),
        ])
    };
    // A link that leads nowhere yet, to a file outside the site.
    let link = site.join("content/reports/2022.yaml");
    symlink(outside.join("stolen.yaml"), &link).unwrap();
    let o = import_into(&site);
    let err = cli::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("2022.yaml 是一个链接"), "{err}");
    assert!(!outside.join("stolen.yaml").exists());
    // The reports folder itself a link out of the site.
    std::fs::remove_file(&link).unwrap();
    std::fs::remove_dir(site.join("content/reports")).unwrap();
    symlink(&outside, site.join("content/reports")).unwrap();
    let o = import_into(&site);
    let err = cli::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("指向网站文件夹之外"), "{err}");
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
}

#[test]
fn small_valid_files_are_still_read() {
    for f in [
        "ok-text.pdf",
        "ok-objstm.pdf",
        "ok-form.pdf",
        "ok-table.docx",
    ] {
        let (code, err) = import(&fixture(f));
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("章节标题"), "{f} read, not a report: {err}");
    }
}
