//! An editor's whole path, as README and the guide tell it, in one test of the real
//! binary: init → identity → columns → the 2024 report with three mistakes → news with a
//! picture and a PDF → disclosure items → serve → build → upload to a folder. Every
//! step's output is asserted (issue 17).

#[path = "support/cli.rs"]
mod cli;
#[path = "support/html.rs"]
mod html;
#[path = "support/http.rs"]
mod http;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use cli::{PNG, gongkai, read, run_in, stderr, write};

/// Runs `gongkai args` in `dir`; asserts it succeeded (or failed) and gives its stderr.
fn step(dir: &Path, args: &[&str], ok: bool) -> String {
    let o = run_in(dir, args);
    let err = stderr(&o);
    assert_eq!(o.status.success(), ok, "gongkai {}: {err}", args.join(" "));
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// The diagnostic lines (`file:line:col: 错误 …`) of a command's output, but for the
/// checks against the 检查指标 (`[freshness.empty]` …): they depend on the day the test
/// runs and on categories this small site leaves empty (docs/compliance.md).
fn problems(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.contains(": 错误 [") || l.contains(": 警告 ["))
        .filter(|l| {
            !l.split(" [")
                .nth(1)
                .is_some_and(|c| c.split(']').next().unwrap_or("").contains('.'))
        })
        .collect()
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let text = read(root, rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    write(root, rel, text.replacen(from, to, 1));
}

/// The preview server, stopped when dropped.
struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `gongkai serve` in `root` on a free port; gives it and its address.
fn serve(root: &Path) -> (Serve, String) {
    let mut child = gongkai()
        .args(["serve", "--port", "0"])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let served = Serve(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    for line in lines.map_while(Result::ok) {
        assert!(Instant::now() < deadline, "serve printed no address");
        if let Some(url) = line.strip_prefix("预览地址：") {
            let url = url.split_whitespace().next().unwrap().to_string();
            return (served, url);
        }
    }
    panic!("serve ended without an address");
}

const REPORT: &str = "content/reports/2024.yaml";
const NEWS: &str = "content/news/2024/召开2024年政府信息公开工作会议.md";
const NEWS_PAGE: &str = "news/2024/zhao-kai-2024-nian-zheng-fu-xin-xi-gong-kai-gong-zuo-hui-yi/";

#[test]
fn an_editor_goes_from_init_to_upload() {
    let work = tempfile::tempdir().unwrap();
    let top = work.path();
    let root = init_site(top);
    let root = root.as_path();
    identity(root);
    columns(root);
    report_with_three_mistakes(root);
    news_with_picture_and_pdf(root);
    disclosure_items(root);
    preview(root);
    build(root);
    upload(top, root);
}

/// init: a site whose report and sample news are drafts.
fn init_site(top: &Path) -> PathBuf {
    let out = step(
        top,
        &[
            "init",
            "某县政府办",
            "--agency",
            "某县人民政府办公室",
            "--year",
            "2024",
        ],
        true,
    );
    assert!(out.contains("已在 某县政府办 新建网站"), "{out}");
    assert!(
        out.contains("content/reports/2024.yaml（2024 年度报告，草稿）"),
        "{out}"
    );
    let root = top.join("某县政府办");
    let out = step(&root, &["check"], true);
    assert!(out.contains("0 份年度报告，0 条新闻"), "{out}");
    assert!(
        out.contains("草稿，没有发布（写好后删去其中的 draft: true 一行）：content/news/网站开通.md、content/reports/2024.yaml"),
        "{out}"
    );
    assert!(out.contains("警告 [live] base_url 还是示例网址"), "{out}");
    assert!(
        out.contains("网站标识信息没有填全：地址、电话、网站标识码、ICP备案号、公安机关备案号"),
        "{out}"
    );
    root
}

/// identity: the warnings before going live go away.
fn identity(root: &Path) {
    let toml = read(root, "site.toml")
        .replace("https://www.example.gov.cn/", "https://www.mx.gov.cn/")
        .replace("address = \"\"", "address = \"某县人民路 1 号\"")
        .replace("phone = \"\"", "phone = \"0000-1234567\"")
        .replace("site_code = \"\"", "site_code = \"3700000001\"")
        .replace("icp = \"\"", "icp = \"鲁ICP备00000001号\"")
        .replace("org_code = \"\"", "org_code = \"000000000\"")
        .replace(
            "police_record = \"\"",
            "police_record = \"鲁公网安备 37000000000001号\"",
        );
    write(root, "site.toml", &toml);
}

/// columns: a second column, in the navigation.
fn columns(root: &Path) {
    write(
        root,
        "site.toml",
        format!(
            "{}\n[[columns]]\nname = \"通知公告\"\nslug = \"tzgg\"\n\n[[nav]]\ntitle = \"通知公告\"\nurl = \"/news/category/tzgg/\"\n",
            read(root, "site.toml")
        ),
    );
    let out = step(root, &["check"], true);
    assert!(problems(&out).is_empty(), "{out}");
}

/// The 2024 report with three mistakes, found one after the other.
fn report_with_three_mistakes(root: &Path) {
    edit(
        root,
        REPORT,
        "agency: 某县人民政府办公室",
        "agency：某县人民政府办公室",
    );
    edit(
        root,
        REPORT,
        "  new_received: [0, 0, 0, 0, 0, 0]",
        "  new_received: [5，2，0，0，0，0]",
    );
    edit(
        root,
        REPORT,
        "    granted: [0, 0, 0, 0, 0, 0]",
        "    granted: [4, 2, 0, 0, 0, 0]",
    );
    edit(
        root,
        REPORT,
        "    # total_processed: [0, 0, 0, 0, 0, 0]",
        "    total_processed: [5, 2, 0, 0, 0, 0]",
    );
    edit(
        root,
        REPORT,
        "  carried_forward: [0, 0, 0, 0, 0, 0]",
        "  carried_forward: [1, 0, 0, 0, 0, 0]",
    );
    let out = step(root, &["check"], false);
    assert_eq!(
        problems(&out),
        ["content/reports/2024.yaml:8:7: 错误 [yaml] 键 `agency` 后面用了中文冒号“：”"],
        "{out}"
    );
    assert!(
        out.contains("修改建议：改成英文冒号加一个空格：agency: 某县人民政府办公室"),
        "{out}"
    );
    edit(root, REPORT, "agency：", "agency: ");
    // Still a draft: its problems are warnings and the rest of the site builds; the
    // rule failures that follow from the misread row come after it.
    let out = step(root, &["check"], true);
    let found = problems(&out);
    assert_eq!(
        found[0],
        "content/reports/2024.yaml:35:3: 警告 [row-comma] （草稿）这一行的数字之间用了中文逗号“，”，整行被读成了一个数",
        "{out}"
    );
    assert!(found[1..].iter().all(|l| l.contains("[T3-")), "{out}");
    assert!(
        out.contains("修改建议：数字之间用英文逗号加空格：[5, 2, 0, 0, 0, 0]"),
        "{out}"
    );
    assert!(out.contains("可能是它们引起了这一条"), "{out}");
    edit(root, REPORT, "[5，2，0，0，0，0]", "[5, 2, 0, 0, 0, 0]");
    let out = step(root, &["check"], true);
    assert!(
        out.contains("content/reports/2024.yaml:63:5: 警告 [T3-B] （草稿）表三“自然人”列：（七）填的是 5，但（一）至（六）各项之和是 4"),
        "{out}"
    );
    assert!(out.contains("把（七）的“自然人”改为 4"), "{out}");
    edit(
        root,
        REPORT,
        "    total_processed: [5, 2, 0, 0, 0, 0]",
        "    total_processed: [4, 2, 0, 0, 0, 0]",
    );
    edit(root, REPORT, "draft: true", "# 已填写完成");
    let out = step(root, &["check"], false);
    let left = problems(&out);
    assert_eq!(left.len(), 3, "{out}");
    assert!(left.iter().all(|l| l.contains("[placeholder]")), "{out}");
    let report = read(root, REPORT);
    let mut written = String::new();
    let mut skip = false;
    for line in report.lines() {
        if skip && line.starts_with("  （") {
            continue;
        }
        skip = false;
        written.push_str(line);
        written.push('\n');
        let text = match line {
            "overview: |" => {
                "  2024年，本机关主动公开政府信息 120 条。本报告可在本机关网站（http://www.mx.gov.cn）查阅或下载。如对本报告有疑问，请与本机关联系。"
            }
            "problems: |" => "  公开内容还不够全面，2025年将进一步完善。",
            "other: |" => "  本年度未收取信息处理费。",
            _ => continue,
        };
        written.push_str(text);
        written.push('\n');
        skip = true;
    }
    write(root, REPORT, written);
    let out = step(root, &["check"], true);
    assert!(problems(&out).is_empty(), "{out}");
    assert!(out.contains("1 份年度报告"), "{out}");
}

/// A news item with a picture and a PDF beside it.
fn news_with_picture_and_pdf(root: &Path) {
    let out = step(
        root,
        &[
            "new",
            "news",
            "召开2024年政府信息公开工作会议",
            "--date",
            "2024-12-20",
        ],
        true,
    );
    assert!(
        out.contains(&format!("已新建 {NEWS}（草稿，不会发布）")),
        "{out}"
    );
    write(root, "content/news/2024/会议现场.png", PNG);
    write(root, "content/news/2024/会议材料.pdf", "%PDF-1.4\n%%EOF\n");
    let news = read(root, NEWS)
        .replace("draft: true", "")
        .replace(
            "# attachments:\n#   - file: 通知.pdf\n#     title: 通知全文（PDF）",
            "attachments:\n  - file: 会议材料.pdf\n    title: 会议材料（PDF）",
        )
        .replace(
            gongkai::input::placeholder::NEWS_BODY,
            "12月20日，县政府办公室召开会议。\n\n![会议现场](会议现场.png)\n\n<p align=\"right\">某县人民政府办公室<br>2024年12月20日</p>",
        );
    write(root, NEWS, news);
    let out = step(root, &["check"], true);
    assert!(problems(&out).is_empty(), "{out}");
    assert!(
        out.contains("1 份年度报告，1 条新闻，0 条公开信息"),
        "{out}"
    );
}

/// Disclosure items, one with Chinese keys.
fn disclosure_items(root: &Path) {
    write(
        root,
        "content/disclosure/政府信息公开指南.md",
        "---\ntitle: 某县人民政府办公室政府信息公开指南\ndate: 2024-01-05\nkind: guide\n---\n\n为了更好地提供政府信息公开服务，编制本指南。\n",
    );
    write(
        root,
        "content/disclosure/政务公开工作要点.md",
        "---\n标题: 关于印发某县2024年政务公开工作要点的通知\n日期: 2024-03-01\n索引号: 000000000/2024-00001\n分类: 其他文件\n文号: 某政办发〔2024〕1号\n---\n\n现将工作要点印发给你们。\n",
    );
    let out = step(root, &["check"], true);
    assert!(
        out.contains("1 份年度报告，1 条新闻，2 条公开信息，"),
        "{out}"
    );
    assert!(problems(&out).is_empty(), "{out}");
    // The categories of 第二十条 this site has nothing in yet are named, to fill or remove.
    assert!(
        out.contains("警告 [freshness.empty] 分类“机构职能”没有任何信息"),
        "{out}"
    );
}

/// serve: the news page with its picture, from the preview server.
fn preview(root: &Path) {
    {
        let (_server, url) = serve(root);
        let page = http::get(&format!("{url}{}", encode(NEWS_PAGE)));
        assert_eq!(page.status, 200);
        let html = page.text();
        assert_eq!(
            html::texts(&html, "main h1"),
            ["召开2024年政府信息公开工作会议"]
        );
        let src = html::attrs(&html, "main img", "src");
        assert_eq!(src, ["%E4%BC%9A%E8%AE%AE%E7%8E%B0%E5%9C%BA.png"]);
        let picture = http::get(&format!("{url}{}{}", encode(NEWS_PAGE), src[0]));
        assert_eq!((picture.status, picture.body.as_slice()), (200, PNG));
    }
}

/// build.
fn build(root: &Path) {
    let out = step(root, &["build"], true);
    assert!(
        out.contains("1 份年度报告，1 条新闻，2 条公开信息，"),
        "{out}"
    );
    assert!(problems(&out).is_empty(), "{out}");
    let public = root.join("public");
    for f in [
        "index.html",
        &format!("{NEWS_PAGE}index.html"),
        &format!("{NEWS_PAGE}会议现场.png"),
        &format!("{NEWS_PAGE}会议材料.pdf"),
        "news/category/tzgg/index.html",
        "zwgk/ndbg/2024/index.html",
        "zwgk/zheng-fu-xin-xi-gong-kai-zhi-nan/index.html",
    ] {
        assert!(public.join(f).is_file(), "{f}");
    }
    let report = read(&public, "zwgk/ndbg/2024/index.html");
    assert!(
        html::attrs(&report, "main a", "href").contains(&"http://www.mx.gov.cn".to_string()),
        "the bare URL ends before the Chinese text: {report}"
    );
    let home = read(&public, "index.html");
    assert!(
        html::texts(&home, "footer")
            .join(" ")
            .contains("鲁公网安备 37000000000001号")
    );
}

/// Upload to a folder.
fn upload(top: &Path, root: &Path) {
    let web = top.join("wwwroot");
    std::fs::create_dir_all(&web).unwrap();
    write(
        root,
        "site.toml",
        format!(
            "{}\n[deploy.web]\nkind = \"folder\"\npath = \"{}\"\n",
            read(root, "site.toml"),
            web.display()
        ),
    );
    let out = step(root, &["deploy", "web"], true);
    assert!(out.contains("发布到 web：已上传"), "{out}");
    assert_eq!(
        std::fs::read(web.join(format!("{NEWS_PAGE}会议现场.png"))).unwrap(),
        PNG
    );
    assert_eq!(
        read(&web, "zwgk/ndbg/2024/index.html"),
        read(&root.join("public"), "zwgk/ndbg/2024/index.html")
    );
    let out = step(root, &["deploy", "web"], true);
    assert!(out.contains("已上传 0 个文件"), "{out}");
}

/// A path as a browser sends it.
fn encode(p: &str) -> String {
    percent_encoding::utf8_percent_encode(p, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2F", "/")
        .replace("%2D", "-")
}
