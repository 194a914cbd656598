//! Two report formats in one site: a 2020 report in the 2019 trial format
//! (国办公开办函〔2019〕60号) beside a 2021 report in the national format, built, checked,
//! compared on the overview, and started from `gongkai new report`.

#[path = "support/html.rs"]
mod html;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tree::{copy_dir, repo};

fn run(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The fixture site built into a temporary folder: (its copy, the output folder).
fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/formats"), dir.path());
    let out = dir.path().join("public");
    let o = run(
        &["build", "--strict", "--out", out.to_str().unwrap()],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("CROSS-YEAR"),
        "the carry-over holds across the two formats: {}",
        stderr(&o)
    );
    (dir, out)
}

/// The text of the data cell whose header cells include every one of `heads`.
fn cell(cells: &[(Vec<String>, String)], heads: &[&str]) -> String {
    let found: Vec<&String> = cells
        .iter()
        .filter(|(h, _)| heads.iter().all(|w| h.iter().any(|x| x == w)))
        .map(|(_, t)| t)
        .collect();
    assert_eq!(found.len(), 1, "{heads:?}: {found:?}");
    found[0].clone()
}

#[test]
fn the_trial_format_year_shows_its_own_tables_and_the_2021_year_its_own() {
    let (_dir, out) = built();
    let page = fs::read_to_string(out.join("zwgk/ndbg/2020/index.html")).unwrap();
    let cells = html::table_cells(&page);
    assert_eq!(cell(&cells, &["规章", "对外公开总数量"]), "7");
    assert_eq!(cell(&cells, &["规范性文件", "本年新公开数量"]), "12");
    assert_eq!(cell(&cells, &["行政许可", "上一年项目数量"]), "396");
    assert_eq!(cell(&cells, &["行政处罚", "本年增/减"]), "-3");
    assert_eq!(cell(&cells, &["行政事业性收费", "本年增/减"]), "-15");
    assert_eq!(
        cell(&cells, &["政府集中采购", "采购总金额"]),
        "3802895.90元"
    );
    assert_eq!(
        cell(&cells, &["其他对外管理服务事项", "处理决定数量"]),
        "105"
    );
    // （六）其他处理 is one row in the trial format; its total is computed.
    assert_eq!(cell(&cells, &["（六）其他处理", "总计"]), "0");
    assert_eq!(cell(&cells, &["（七）总计", "总计"]), "21");
    assert_eq!(cell(&cells, &["（七）总计", "其他"]), "1");
    let bands = html::texts(&page, "#table-active_disclosure th.band");
    assert_eq!(
        bands,
        [
            "第二十条第（一）项",
            "第二十条第（五）项",
            "第二十条第（六）项",
            "第二十条第（八）项",
            "第二十条第（九）项"
        ]
    );
    let meta = html::texts(&page, ".article-meta").join(" ");
    assert!(meta.contains("国办公开办函〔2019〕60号"), "{meta}");
    // A block narrower than the table: its last column spans the rest.
    let spans = html::attrs(&page, "#table-active_disclosure td[colspan]", "colspan");
    assert_eq!(spans, ["2", "2"], "本年增/减 of fees and 采购总金额");

    let page = fs::read_to_string(out.join("zwgk/ndbg/2021/index.html")).unwrap();
    let cells = html::table_cells(&page);
    assert_eq!(cell(&cells, &["行政规范性文件", "现行有效件数"]), "665");
    assert_eq!(cell(&cells, &["3.其他", "总计"]), "1");
    assert!(!page.contains("本年新制作数量"));
    let meta = html::texts(&page, ".article-meta").join(" ");
    assert!(meta.contains("国办公开办函〔2021〕30号"), "{meta}");

    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("zwgk/ndbg/2020/report.json")).unwrap()).unwrap();
    assert_eq!(json["report_type"], "trial-2019");
    let row = &json["tables"][0]["rows"][4];
    assert_eq!(row["key"], "punishment");
    assert_eq!(row["cells"][1]["value"], -3);
}

#[test]
fn the_overview_compares_the_figures_both_formats_have() {
    let (_dir, out) = built();
    let page = fs::read_to_string(out.join("zwgk/ndbg/index.html")).unwrap();
    let heads = html::texts(&page, "table.overview thead th");
    let row = |n: usize| {
        html::texts(
            &page,
            &format!("table.overview tbody tr:nth-of-type({n}) > *"),
        )
    };
    let fee = heads
        .iter()
        .position(|h| h == "行政事业性收费（万元）")
        .unwrap();
    let new = heads.iter().position(|h| h == "本年新收申请").unwrap();
    let (y2020, y2021) = (row(1), row(2));
    assert_eq!((y2020[0].as_str(), y2021[0].as_str()), ("2020", "2021"));
    assert_eq!(y2020[new], "23");
    assert_eq!(y2021[new], "70");
    assert_eq!(y2020[fee], "—", "the trial format has no fee amount");
    assert_eq!(y2021[fee], "24252.311082");
    assert!(page.contains("2020年：—；2021年：24252.311082"));

    let csv = fs::read_to_string(out.join("zwgk/ndbg/reports.csv")).unwrap();
    let line = csv.lines().find(|l| l.starts_with("2020,")).unwrap();
    assert!(
        line.ends_with(",2,1,0,"),
        "an empty cell for the fee: {line}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("zwgk/ndbg/reports.json")).unwrap()).unwrap();
    assert_eq!(json[0]["fees"], serde_json::Value::Null);
    assert_eq!(json[0]["carried_forward"], 2);
    assert_eq!(json[1]["carried_over"], 2);
}

#[cfg(feature = "pdf")]
#[test]
fn the_trial_format_pdf_prints_its_tables() {
    let (_dir, out) = built();
    let pdf = out.join("zwgk/ndbg/2020/某区人民政府办公室2020年政府信息公开工作年度报告.pdf");
    let o = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs (poppler-utils is installed by .ci/run)");
    let text = String::from_utf8_lossy(&o.stdout);
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for needle in [
        "某区人民政府办公室2020年政府信息公开工作年度报告",
        "第二十条第（九）项",
        "本年新制作数量",
        "上一年项目数量",
        "政府集中采购393802895.90元",
        "行政处罚26-3538",
        "（六）其他处理0000000",
    ] {
        assert!(squeezed.contains(needle), "{needle}: {text}");
    }
}

#[test]
fn new_report_writes_the_format_of_its_year_and_check_says_how_to_fix_a_mixup() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/formats"), dir.path());
    let reports = dir.path().join("content/reports");
    fs::remove_file(reports.join("2020.yaml")).unwrap();
    let o = run(&["new", "report", "2020"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let skeleton = fs::read_to_string(reports.join("2020.yaml")).unwrap();
    assert!(skeleton.contains("type: trial-2019"), "{skeleton}");
    assert!(skeleton.contains("本年新制作数量") && skeleton.contains("政府集中采购"));
    assert!(skeleton.contains("other_handling: [0, 0, 0, 0, 0, 0]"));
    // The skeleton is a draft: checked, listed as left out, holding nothing back.
    let o = run(&["check"], dir.path());
    assert!(o.status.success(), "the skeleton checks: {}", stderr(&o));
    assert!(
        stderr(&o).contains("草稿，没有发布") && stderr(&o).contains("content/reports/2020.yaml"),
        "{}",
        stderr(&o)
    );

    // A 2020 report typed in the 2021 format without saying so.
    fs::write(
        reports.join("2020.yaml"),
        "year: 2020\nagency: 某区人民政府办公室\nactive_disclosure:\n  行政规范性文件: {本年制发件数: 12}\n",
    )
    .unwrap();
    let o = run(&["check"], dir.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("2020.yaml:4:") && err.contains("本年制发件数"),
        "{err}"
    );
    assert!(err.contains("type: national-2021"), "{err}");
}
