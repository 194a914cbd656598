//! The downloads of the yearly reports: the PDF (checked with poppler's tools), the open
//! data files against the YAML, the overview across years, and report attachments.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use gongkai::ground::diagnostics::Diagnostics;
use gongkai::model::report::load::load_report;
use gongkai::model::report::schema::SectionContent;

use tree::{copy_dir, repo};

fn build(root: &Path, out: &Path) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    err
}

fn example_built() -> (tempfile::TempDir, PathBuf) {
    let (dir, out, _) = example_built_with_summary();
    (dir, out)
}

fn example_built_with_summary() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let err = build(&repo(), &out);
    (dir, out, err)
}

fn tool(cmd: &str, args: &[&str]) -> String {
    let o = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} runs (poppler-utils is installed by .ci/run): {e}"));
    assert!(
        o.status.success(),
        "{cmd}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const PDF: &str = "zwgk/ndbg/2023/威海市人民政府外事办公室2023年政府信息公开工作年度报告.pdf";

#[cfg(feature = "pdf")]
#[test]
fn the_2023_pdf_has_the_text_tables_and_an_embedded_font_subset() {
    let (_dir, out) = example_built();
    let pdf = out.join(PDF);
    let path = pdf.to_str().unwrap();
    let text: String = tool("pdftotext", &["-layout", path, "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for needle in [
        "威海市人民政府外事办公室2023年政府信息公开工作年度报告",
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "本年新收政府信息公开申请数量",
        "55.0592",
        "外事助力大抓经济",
    ] {
        assert!(squeezed.contains(needle), "the PDF text has {needle}");
    }
    // The figures of the first row of table 3 in order: 自然人 1 … 总计 1.
    assert!(
        text.contains("本年新收政府信息公开申请数量 1 0 0 0 0 0 1"),
        "{text}"
    );
    assert!(text.contains("（七）总计 1 0 0 0 0 0 1"), "{text}");
    let pages: u32 = tool("pdfinfo", &[path])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    assert!((3..=8).contains(&pages), "A4 pages for the report: {pages}");
    let fonts = tool("pdffonts", &[path]);
    let embedded: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!embedded.is_empty());
    for line in &embedded {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "embedded, subset, unicode: {line}"
        );
    }
    // Page 1 rendered is not blank.
    let png_prefix = out.join("page");
    tool(
        "pdftoppm",
        &[
            "-f",
            "1",
            "-l",
            "1",
            "-r",
            "30",
            "-gray",
            path,
            png_prefix.to_str().unwrap(),
        ],
    );
    let pgm = fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("page"))
        .unwrap()
        .path();
    let bytes = fs::read(pgm).unwrap();
    // PGM: header of three lines, then one byte per pixel.
    let body_start = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(2)
        .unwrap()
        .0
        + 1;
    let dark = bytes[body_start..].iter().filter(|p| **p < 128).count();
    assert!(dark > 500, "page 1 has text on it ({dark} dark pixels)");
}

#[cfg(feature = "pdf")]
#[test]
fn the_pdf_is_the_same_bytes_every_time() {
    let (_a, out_a) = example_built();
    let (_b, out_b) = example_built();
    assert_eq!(
        fs::read(out_a.join(PDF)).unwrap(),
        fs::read(out_b.join(PDF)).unwrap()
    );
}

#[test]
fn a_missing_font_says_how_to_fix_it_and_pdf_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/years"), dir.path());
    let config = dir.path().join("site.toml");
    let base = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        format!("{base}\n[pdf]\nfonts = [\"没有这个字体.ttc\"]\n"),
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    if cfg!(feature = "pdf") {
        assert!(!o.status.success());
        assert!(
            err.contains("[pdf-font]")
                && err.contains("没有这个字体.ttc")
                && err.contains("enabled = false"),
            "{err}"
        );
    }
    fs::write(&config, format!("{base}\n[pdf]\nenabled = false\n")).unwrap();
    let out = dir.path().join("public");
    build(dir.path(), &out);
    assert!(
        !out.join("zwgk/ndbg/2024/某县人民政府办公室2024年政府信息公开工作年度报告.pdf")
            .exists()
    );
    let page = fs::read_to_string(out.join("zwgk/ndbg/2024/index.html")).unwrap();
    assert!(
        !page.contains(".pdf\" download>年度报告"),
        "no link to a PDF that is not made"
    );
    assert!(page.contains("report.json"));
}

/// Fonts named in site.toml that cannot set the PDFs, after a build that made them: the
/// PDFs are gone and the summary names no fonts (it named the last build's); a folder
/// named as a font says so.
#[cfg(feature = "pdf")]
#[test]
fn fonts_that_cannot_set_the_pdfs_after_fonts_that_could_name_no_fonts() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/years"), dir.path());
    let out = dir.path().join("public");
    let pdf = out.join("zwgk/ndbg/2024/某县人民政府办公室2024年政府信息公开工作年度报告.pdf");
    let run = || {
        let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["build", "--root"])
            .arg(dir.path())
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (ok, err) = run();
    assert!(ok && err.contains("年度报告 PDF 字体：正文"), "{err}");
    assert!(pdf.is_file());
    let config = dir.path().join("site.toml");
    let base = fs::read_to_string(&config).unwrap();
    fs::write(dir.path().join("空.ttf"), "").unwrap();
    fs::write(&config, format!("{base}\n[pdf]\nfonts = [\"空.ttf\"]\n")).unwrap();
    let (ok, err) = run();
    assert!(ok && err.contains("[pdf-font]"), "{err}");
    assert!(!err.contains("年度报告 PDF 字体"), "{err}");
    assert!(!pdf.exists());
    fs::create_dir(dir.path().join("字体")).unwrap();
    fs::write(&config, format!("{base}\n[pdf]\nfonts = [\"字体\"]\n")).unwrap();
    let (ok, err) = run();
    assert!(!ok && err.contains("这是一个文件夹，不是字体文件"), "{err}");
}

/// The example site built with fontconfig pointed at `fonts` only.
#[cfg(all(feature = "pdf", target_os = "linux"))]
fn build_with_fonts_from(fonts: &Path) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let conf = cli::fontconfig_of(dir.path(), fonts);
    let out = dir.path().join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(repo())
        .arg("--out")
        .arg(&out)
        .env("FONTCONFIG_FILE", &conf)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    (dir, out, err)
}

#[cfg(all(feature = "pdf", target_os = "linux"))]
#[test]
fn the_fonts_used_are_named_and_without_a_chinese_font_the_site_still_builds() {
    let (_dir, out, err) = example_built_with_summary();
    assert!(
        err.contains("年度报告 PDF 字体：正文 Noto Serif CJK SC（/")
            && err.contains("NotoSerifCJK-Regular.ttc），标题 Noto Sans CJK SC（/"),
        "{err}"
    );
    assert!(out.join(PDF).is_file());

    let empty = tempfile::tempdir().unwrap();
    let (_dir, out, err) = build_with_fonts_from(empty.path());
    assert!(
        err.contains("site.toml: 警告 [pdf-font] 这台电脑上没有找到可以排印中文的字体")
            && err.contains("fonts-noto-cjk")
            && err.contains("[pdf] 下用 fonts = "),
        "{err}"
    );
    assert!(!out.join(PDF).exists());
    let page = fs::read_to_string(out.join("zwgk/ndbg/2023/index.html")).unwrap();
    assert!(
        !page.contains(".pdf\" download>年度报告"),
        "no link to a PDF that is not made"
    );
    assert!(page.contains("report.json"));
    assert!(!err.contains("年度报告 PDF 字体"), "{err}");

    // Only a sans-serif font (as on a desktop with Noto Sans CJK alone): it sets both.
    let sans = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        sans.path().join("NotoSansCJK-Regular.ttc"),
    )
    .unwrap();
    let (_dir, out, err) = build_with_fonts_from(sans.path());
    assert!(
        err.contains("年度报告 PDF 字体：正文 Noto Sans CJK SC（")
            && err.contains("标题 Noto Sans CJK SC（"),
        "{err}"
    );
    let text = tool("pdftotext", &[out.join(PDF).to_str().unwrap(), "-"]);
    assert!(text.contains("政府信息公开"), "{text}");
}

#[test]
fn json_and_csv_agree_with_the_yaml_totals_included() {
    let (_dir, out) = example_built();
    let yaml = fs::read_to_string(repo().join("content/reports/2023.yaml")).unwrap();
    let mut d = Diagnostics::new();
    let report = load_report(&yaml, "2023.yaml", &mut d).report.unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("zwgk/ndbg/2023/report.json")).unwrap()).unwrap();
    assert_eq!(json["year"], 2023);
    assert_eq!(json["agency"], "威海市人民政府外事办公室");
    let mut checked = 0;
    for section in report.kind.sections {
        let SectionContent::Table(_) = section.content else {
            continue;
        };
        let t = report.table(section.key).unwrap();
        let tj = json["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["key"] == section.key)
            .unwrap();
        for row in tj["rows"].as_array().unwrap() {
            for cell in row["cells"].as_array().unwrap() {
                let (r, c) = (row["key"].as_str().unwrap(), cell["key"].as_str().unwrap());
                let expected = if c == "amount" {
                    serde_json::Value::from(t.display(
                        report.kind,
                        r,
                        c,
                        gongkai::model::report::schema::CellKind::Amount,
                    ))
                } else {
                    serde_json::Value::from(t.count(report.kind, r, c))
                };
                assert_eq!(cell["value"], expected, "{r}/{c}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 10 + 25 * 7 + 15, "every cell of the three tables");
    let csv = fs::read(out.join("zwgk/ndbg/2023/收到和处理政府信息公开申请情况.csv")).unwrap();
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM for Excel");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "项目,自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计"
    );
    assert_eq!(lines.len(), 26);
    assert_eq!(lines[1], "一、本年新收政府信息公开申请数量,1,0,0,0,0,0,1");
    assert!(lines.contains(&"三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密,0,0,0,0,0,0,0"));
    assert_eq!(lines[24], "三、本年度办理结果 / （七）总计,1,0,0,0,0,0,1");
    let page = fs::read_to_string(out.join("zwgk/ndbg/2023/index.html")).unwrap();
    assert!(
        page.contains("report.json") && page.contains("JSON · "),
        "listed with format and size"
    );
}

#[test]
fn the_overview_compares_years_with_charts_and_open_data() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/years"), dir.path());
    let out = dir.path().join("public");
    build(dir.path(), &out);
    let page = fs::read_to_string(out.join("zwgk/ndbg/index.html")).unwrap();
    assert_eq!(
        page.matches("<svg class=\"chart\"").count(),
        5,
        "a chart per charted figure"
    );
    assert!(
        page.contains("2022年：8；2023年：11；2024年：5"),
        "the chart's text alternative"
    );
    let csv = fs::read(out.join("zwgk/ndbg/reports.csv")).unwrap();
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0][0], "年度");
    assert_eq!(
        rows.iter().skip(1).map(|r| r[0]).collect::<Vec<_>>(),
        ["2022", "2023", "2024"]
    );
    let col = |name: &str| rows[0].iter().position(|h| *h == name).unwrap();
    assert_eq!(rows[2][col("本年新收申请")], "11");
    assert_eq!(rows[2][col("办理结果总计")], "12");
    assert_eq!(rows[1][col("结转下年度")], "2");
    assert_eq!(rows[2][col("行政诉讼")], "1");
    assert_eq!(
        rows[2][col("行政事业性收费（万元）")],
        "8.0250",
        "amounts as published"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("zwgk/ndbg/reports.json")).unwrap()).unwrap();
    assert_eq!(json[1]["year"], 2023);
    assert_eq!(json[1]["new_received"], 11);
    assert_eq!(json[0]["fees"], "12.50");
}

#[test]
fn report_attachments_are_copied_and_listed_beside_the_generated_files() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/years"), dir.path());
    let out = dir.path().join("public");
    build(dir.path(), &out);
    assert!(
        out.join("zwgk/ndbg/2024/2024年报告（盖章扫描件）.pdf")
            .is_file()
    );
    let page = fs::read_to_string(out.join("zwgk/ndbg/2024/index.html")).unwrap();
    let generated = page.find("report.json").unwrap();
    let attached = page.find("报告原件（盖章扫描件）").unwrap();
    assert!(
        generated < attached,
        "generated files first, then the agency's own"
    );
    let size = fs::metadata(
        dir.path()
            .join("content/reports/2024/2024年报告（盖章扫描件）.pdf"),
    )
    .unwrap()
    .len();
    assert!(
        page.contains(&format!("PDF · {size} B")),
        "the attachment listed with its real size"
    );
}
