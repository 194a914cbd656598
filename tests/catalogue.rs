//! The disclosure catalogue, through the real binary on `tests/fixtures/catalogue` (a
//! three-level category tree, a repealed document and its replacement, an amended one, a
//! policy with two 解读, 依申请公开) and on copies of it with mistakes put in.

#[path = "support/html.rs"]
mod html;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use tree::{copy_dir, repo};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .expect("the gongkai binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/catalogue"), dir.path());
    dir
}

/// Builds `root` into `root/public`; the build must succeed.
fn built(root: &Path) -> std::path::PathBuf {
    let out = root.join("public");
    let o = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

fn page(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path).join("index.html")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn check(root: &Path) -> (bool, Vec<String>) {
    let o = run(&["check", "--root", root.to_str().unwrap()]);
    let lines = stderr(&o).lines().map(str::to_string).collect();
    (o.status.success(), lines)
}

/// The problem lines (not their fixes) that mention `code`.
fn problems<'a>(lines: &'a [String], code: &str) -> Vec<&'a String> {
    lines
        .iter()
        .filter(|l| l.contains(&format!("[{code}]")))
        .collect()
}

#[test]
fn the_tree_gives_category_pages_breadcrumbs_and_counts() {
    let site = fixture();
    let (ok, lines) = check(site.path());
    assert!(ok, "{lines:?}");
    assert!(
        lines.last().unwrap().contains("0 个警告"),
        "the fixture is clean: {lines:?}"
    );
    let out = built(site.path());
    // Three levels: 政策文件 › 规范性文件 › 县政府办公室文件.
    let third = page(&out, "zwgk/fdzdgknr/xzfbwj");
    assert_eq!(
        html::texts(&third, ".breadcrumbs li"),
        [
            "首页",
            "政府信息公开",
            "政策文件",
            "规范性文件",
            "县政府办公室文件"
        ]
    );
    assert_eq!(
        html::texts(&third, ".side-main .item-list li a"),
        [
            "某县行政规范性文件制定和监督管理办法",
            "某县行政规范性文件管理办法"
        ]
    );
    // A category lists what is below it too, two to a page here.
    let top = page(&out, "zwgk/fdzdgknr/zcwj");
    assert_eq!(html::texts(&top, ".side-main .item-list > li").len(), 2);
    assert!(html::texts(&top, ".pagination .count")[0].contains("共 4 条"));
    assert_eq!(
        html::texts(
            &page(&out, "zwgk/fdzdgknr/zcwj/page/2"),
            ".side-main .item-list > li"
        )
        .len(),
        2
    );
    assert_eq!(
        html::texts(&top, ".subcategories li"),
        ["规范性文件 2 条", "其他文件 2 条"]
    );
    // The column's page: the tree with counts, and the 法定主动公开内容 (not the reports).
    let column = page(&out, "zwgk");
    let tree = html::texts(&column, ".column-tree .category-tree > li");
    assert!(tree[0].starts_with("政策文件 4 条"), "{tree:?}");
    assert_eq!(
        html::texts(
            &column,
            ".column-tree .category-tree > li > ul > li > ul > li"
        ),
        ["县政府办公室文件 2 条"]
    );
    assert_eq!(
        html::texts(&column, "#h-guide ~ .item-list li a"),
        ["某县人民政府办公室政府信息公开指南"],
        "解读 are no 指南 or 制度"
    );
    assert!(html::texts(&column, "#h-rules ~ .item-list li a").is_empty());
    let listed = html::texts(&column, "#h-items ~ .item-list li a");
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed.iter().all(|t| !t.contains("年度报告")));
    assert!(
        out.join("zwgk/page/4/index.html").is_file(),
        "8 items, 2 a page"
    );
    assert!(!out.join("zwgk/page/5/index.html").exists());
    // The site map leads to every category.
    let map = page(&out, "sitemap");
    for slug in ["zcwj", "gfxwj", "xzfbwj", "qtwj", "zcjd", "jgzn"] {
        assert!(
            html::attrs(&map, "a", "href").contains(&format!("/zwgk/fdzdgknr/{slug}/")),
            "{slug}"
        );
    }
}

#[test]
fn documents_show_their_metadata_lifecycle_and_interpretations() {
    let site = fixture();
    let out = built(site.path());
    let new = page(&out, "zwgk/新管理办法");
    assert_eq!(
        html::texts(&new, ".doc-meta th"),
        [
            "索引号",
            "主题分类",
            "发布机构",
            "成文日期",
            "标题",
            "文号",
            "发布日期",
            "有效性",
            "公开目录"
        ]
    );
    assert_eq!(
        html::texts(&new, ".doc-meta td")[..4],
        [
            "000000001/2024-00002",
            "",
            "某县人民政府办公室",
            "2024年1月25日"
        ]
    );
    let related = html::texts(&new, ".related li");
    assert_eq!(
        related,
        [
            "本文件替代《某县行政规范性文件管理办法》（废止）",
            "政策解读：图解：某县行政规范性文件制定和监督管理办法",
            "政策解读：《某县行政规范性文件制定和监督管理办法》政策解读"
        ]
    );
    let old = page(&out, "zwgk/旧管理办法");
    assert_eq!(
        html::texts(&old, ".status-banner"),
        ["本文件已废止，由《某县行政规范性文件制定和监督管理办法》替代。"]
    );
    assert_eq!(
        html::attrs(&old, ".status-banner a", "href"),
        ["/zwgk/新管理办法/"]
    );
    // Both 解读 link to the policy: one named it by 索引号, the other by title.
    for slug in ["新管理办法解读", "新管理办法图解"] {
        let p = page(&out, &format!("zwgk/{slug}"));
        assert_eq!(
            html::attrs(&p, ".related-policy a", "href"),
            ["/zwgk/新管理办法/"],
            "{slug}"
        );
    }
    let amended = page(&out, "zwgk/公开工作规则");
    assert_eq!(
        html::texts(&amended, ".status-banner"),
        ["本文件已修改，见《关于修改《某县人民政府办公室政府信息公开工作规则》的决定》。"]
    );
    let amending = page(&out, "zwgk/公开工作规则修改决定");
    assert_eq!(
        html::texts(&amending, ".related li"),
        ["本文件修改《某县人民政府办公室政府信息公开工作规则》"]
    );
    // Lists mark what is no longer in force.
    let category = page(&out, "zwgk/fdzdgknr/xzfbwj");
    assert_eq!(html::texts(&category, ".status-mark"), ["（废止）"]);
    // The guide leads to 依申请公开.
    let guide = page(&out, "zwgk/政府信息公开指南");
    assert!(html::attrs(&guide, ".notice a", "href").contains(&"/zwgk/ysqgk/".to_string()));
}

/// The `content` of `<meta name=NAME>` on a page.
fn meta(page: &str, name: &str) -> Vec<String> {
    html::attrs(page, &format!("meta[name=\"{name}\"]"), "content")
}

#[test]
fn every_page_carries_the_government_site_meta_tags() {
    let site = fixture();
    let out = built(site.path());
    let item = page(&out, "zwgk/新管理办法解读");
    assert_eq!(meta(&item, "SiteName"), ["某县人民政府办公室"]);
    assert_eq!(meta(&item, "SiteDomain"), ["www.gongkai-test.gov.cn"]);
    assert_eq!(meta(&item, "SiteIDCode"), ["0000000001"]);
    assert_eq!(meta(&item, "ColumnName"), ["政策解读"]);
    assert_eq!(meta(&item, "ColumnType"), ["解读回应"]);
    assert_eq!(
        meta(&item, "ArticleTitle"),
        ["《某县行政规范性文件制定和监督管理办法》政策解读"]
    );
    assert_eq!(meta(&item, "PubDate"), ["2024-02-01"]);
    assert_eq!(meta(&item, "ContentSource"), ["某县人民政府办公室"]);
    assert_eq!(meta(&item, "Keywords"), ["政策解读"]);
    assert_eq!(meta(&item, "Description"), ["一、制定背景。二、主要内容。"]);
    assert_eq!(
        meta(&item, "Url"),
        [
            "https://www.gongkai-test.gov.cn/zwgk/%E6%96%B0%E7%AE%A1%E7%90%86%E5%8A%9E%E6%B3%95%E8%A7%A3%E8%AF%BB/"
        ]
    );
    assert!(
        meta(&item, "description").is_empty()
            || meta(&item, "description") == meta(&item, "Description")
    );
    let list = page(&out, "zwgk/gkml");
    assert_eq!(meta(&list, "SiteName"), ["某县人民政府办公室"]);
    assert_eq!(meta(&list, "ColumnName"), ["政府信息公开目录"]);
    assert!(
        meta(&list, "ArticleTitle").is_empty(),
        "lists are no articles"
    );
    let apply = page(&out, "zwgk/ysqgk");
    assert_eq!(meta(&apply, "ColumnType"), ["办事服务"]);
    assert!(meta(&page(&out, ""), "ColumnName").is_empty());
    assert_eq!(
        meta(
            &fs::read_to_string(out.join("404.html")).unwrap(),
            "SiteName"
        )
        .len(),
        1
    );
}

#[test]
fn the_catalogue_is_a_static_table_and_csv_and_json() {
    let site = fixture();
    let out = built(site.path());
    let first = page(&out, "zwgk/gkml");
    assert_eq!(
        html::texts(&first, "#catalogue-table thead th"),
        [
            "索引号",
            "标题",
            "文号",
            "发布机构",
            "成文日期",
            "发布日期",
            "有效性"
        ]
    );
    let rows = html::texts(&first, "#catalogue-table tbody tr");
    assert_eq!(rows.len(), 2, "a page of the static list: {rows:?}");
    assert!(
        rows[0].starts_with("000000001/2024-00005"),
        "newest first: {rows:?}"
    );
    assert!(
        out.join("zwgk/gkml/page/5/index.html").is_file(),
        "9 items, 2 a page"
    );
    let csv = fs::read_to_string(out.join("zwgk/gkml/catalogue.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 10, "a header and nine items");
    assert!(lines[0].contains("索引号,标题,文号,发布机构,成文日期,发布日期,有效性,分类,网址"));
    assert!(lines.iter().any(|l| l.starts_with(
        "000000001/2022-00003,某县行政规范性文件管理办法,某政办发〔2022〕3号,某县人民政府办公室,2022-02-20,2022-03-01,废止,县政府办公室文件,https://www.gongkai-test.gov.cn/zwgk/"
    )));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("zwgk/gkml/catalogue.json")).unwrap()).unwrap();
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 9);
    let old = items
        .iter()
        .find(|i| i["index_no"] == "000000001/2022-00003")
        .unwrap();
    assert_eq!(old["status"], "废止");
    assert_eq!(
        old["categories"],
        serde_json::json!(["01", "0101", "010101"])
    );
    assert_eq!(old["year"], 2022);
}

#[test]
fn application_page_form_and_pdf_have_the_fields_of_article_29() {
    let site = fixture();
    let out = built(site.path());
    let p = page(&out, "zwgk/ysqgk");
    let channels = html::texts(&p, "#h-channels ~ ul li");
    assert_eq!(
        channels.len(),
        4,
        "当面, 信函, 电子邮件, 在线: {channels:?}"
    );
    assert!(channels[0].contains("某县人民大道 1 号") && channels[0].contains("工作日上午"));
    assert!(html::attrs(&p, "a", "href").contains(&"mailto:gk@example.gov.cn".to_string()));
    assert!(html::texts(&p, "#h-fees ~ p")[0].contains("第四十二条"));
    let form = page(&out, "zwgk/ysqgk/sqb");
    let labels = html::texts(&form, ".application-form th[scope=row]");
    for field in [
        "姓名",
        "证件名称",
        "证件号码",
        "联系电话",
        "名称",
        "统一社会信用代码",
        "所需政府信息的名称",
        "文号",
        "便于查询的其他特征性描述",
        "获取信息的方式",
        "获取信息的途径",
        "申请人签名（盖章）",
    ] {
        assert!(labels.iter().any(|l| l == field), "{field} in {labels:?}");
    }
    #[cfg(feature = "pdf")]
    {
        let pdf = out.join("zwgk/ysqgk/政府信息公开申请表.pdf");
        assert!(
            html::attrs(&p, "a[download]", "href")
                .contains(&"/zwgk/ysqgk/政府信息公开申请表.pdf".to_string())
        );
        let text = Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) runs");
        // Labels wrap inside their cells with wider fonts: compare without line breaks.
        let text: String = String::from_utf8_lossy(&text.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for want in [
            "政府信息公开申请表",
            "某县人民政府办公室",
            "统一社会信用代码",
            "所需政府信息的名称",
            "第二十九条",
        ] {
            assert!(text.contains(want), "{want} in the PDF:\n{text}");
        }
    }
}

/// Writes `content/disclosure/NAME.md` with this front matter.
fn item(root: &Path, name: &str, front: &str) {
    fs::write(
        root.join(format!("content/disclosure/{name}.md")),
        format!("---\n{front}\n---\n\n正文。\n"),
    )
    .unwrap();
}

#[test]
fn catalogue_mistakes_are_errors_at_the_lines_that_make_them() {
    let site = fixture();
    let root = site.path();
    item(
        root,
        "重复",
        "title: 重复的索引号\ndate: 2024-04-01\ncategory: 机构职能\nindex_no: 000000001/2024-00006",
    );
    item(
        root,
        "位数不对",
        "title: 流水号位数不对\ndate: 2024-04-02\ncategory: 机构职能\nindex_no: 000000001/2024-6",
    );
    item(
        root,
        "机构代码不对",
        "title: 机构代码不对\ndate: 2024-04-03\ncategory: 机构职能\nindex_no: 123456789/2024-00010",
    );
    item(
        root,
        "年份不对",
        "title: 年份不对\ndate: 2024-04-04\ncategory: 机构职能\nindex_no: 000000001/2021-00011",
    );
    item(
        root,
        "没有的分类",
        "title: 分类写错\ndate: 2024-04-05\nindex_no: 000000001/2024-00012\ncategory: 政策文件类",
    );
    item(
        root,
        "找不到替代",
        "title: 替代文件写错\ndate: 2024-04-06\ncategory: 机构职能\nindex_no: 000000001/2024-00013\nstatus: 废止\nreplaced_by: 00000001/2024-00002",
    );
    item(
        root,
        "缺解读",
        "title: 没有解读的规范性文件\ndate: 2024-04-07\ncategory: 规范性文件\nindex_no: 000000001/2024-00014\nstatus: 有效",
    );
    let (ok, lines) = check(root);
    assert!(!ok);
    let dup = problems(&lines, "duplicate-index-no");
    assert_eq!(dup.len(), 2, "{lines:?}");
    assert!(
        dup.iter()
            .any(|l| l.starts_with("content/disclosure/重复.md:5:1:"))
    );
    assert!(
        dup.iter()
            .any(|l| l.starts_with("content/disclosure/机构职能.md:5:1:"))
    );
    let pattern = problems(&lines, "index-no");
    assert_eq!(pattern.len(), 3, "{lines:?}");
    assert!(pattern.iter().any(|l| l.starts_with("content/disclosure/位数不对.md:5:1:") && l.contains("5 位数字")));
    assert!(pattern.iter().any(
        |l| l.starts_with("content/disclosure/机构代码不对.md:5:1:") && l.contains("000000001")
    ));
    assert!(
        pattern.iter().any(
            |l| l.starts_with("content/disclosure/年份不对.md:5:1:") && l.contains("年份 2021")
        )
    );
    // One error for the undeclared category, at its line, naming the declared ones.
    let category = problems(&lines, "category");
    assert_eq!(category.len(), 1, "{lines:?}");
    assert!(
        category[0].starts_with("content/disclosure/没有的分类.md:5:1:"),
        "{}",
        category[0]
    );
    let help = &lines[lines.iter().position(|l| l == category[0]).unwrap() + 1];
    assert!(
        help.contains("是不是“政策文件”") && help.contains("县政府办公室文件、其他文件"),
        "{help}"
    );
    let reference = problems(&lines, "reference");
    assert_eq!(reference.len(), 1, "{lines:?}");
    assert!(reference[0].starts_with("content/disclosure/找不到替代.md:7:1:"));
    let help = &lines[lines.iter().position(|l| l == reference[0]).unwrap() + 1];
    assert!(help.contains("000000001/2024-00002"), "the nearest: {help}");
    let warnings = problems(&lines, "no-interpretation");
    assert_eq!(warnings.len(), 1, "{lines:?}");
    assert!(warnings[0].contains("警告") && warnings[0].contains("没有解读的规范性文件"));
}

#[test]
fn a_broken_tree_and_pattern_are_errors_in_site_toml() {
    let site = fixture();
    let toml = site.path().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    let text = text
        .replace("parent = \"0101\"", "parent = \"规范性文件类\"")
        .replace("slug = \"qtwj\"", "slug = \"zcjd\"")
        .replace("{NNNNN}", "{流水}");
    fs::write(&toml, text).unwrap();
    let (ok, lines) = check(site.path());
    assert!(!ok);
    let tree = problems(&lines, "category");
    assert!(
        tree.iter()
            .any(|l| l.starts_with("site.toml:") && l.contains("上级分类“规范性文件类”")),
        "{lines:?}"
    );
    assert!(tree.iter().any(|l| l.contains("“zcjd”重复")), "{lines:?}");
    let pattern = problems(&lines, "index-pattern");
    assert!(
        pattern
            .iter()
            .any(|l| l.starts_with("site.toml:33:1:") && l.contains("{流水}")),
        "{lines:?}"
    );
}

#[test]
fn new_item_writes_a_draft_with_the_next_number_of_the_year() {
    let site = fixture();
    let root = site.path().to_str().unwrap();
    let new = |title: &str, extra: &[&str]| {
        let mut args = vec!["new", "item", title, "--root", root];
        args.extend_from_slice(extra);
        run(&args)
    };
    let o = new(
        "某县人民政府办公室内设机构",
        &["--category", "机构职能", "--date", "2024-05-01"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("（草稿，不会发布），索引号 000000001/2024-00008"),
        "{}",
        stderr(&o)
    );
    // A date written another way is told how to write it, as for a news item.
    let o = new("某条", &["--date", "2024年5月1日"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("日期 `2024年5月1日` 的写法不对"),
        "{}",
        stderr(&o)
    );
    let text = fs::read_to_string(
        site.path()
            .join("content/disclosure/某县人民政府办公室内设机构.md"),
    )
    .unwrap();
    assert!(text.contains("index_no: 000000001/2024-00008"), "{text}");
    assert!(
        text.contains("category: 机构职能") && text.contains("draft: true"),
        "{text}"
    );
    // A draft keeps its number: the next one is taken after it.
    let o = new("领导分工", &["--category", "03", "--date", "2024-05-02"]);
    assert!(
        stderr(&o).contains("000000001/2024-00009"),
        "{}",
        stderr(&o)
    );
    // A new year starts again at 1.
    let o = new("二〇二五年的第一条", &["--date", "2025-01-02"]);
    assert!(
        stderr(&o).contains("000000001/2025-00001"),
        "{}",
        stderr(&o)
    );
    // Never over a file, never into a category that does not exist.
    assert!(!new("领导分工", &["--date", "2024-05-02"]).status.success());
    let o = new("别的", &["--category", "机构职责"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("是不是“机构职能”"), "{}", stderr(&o));
    // With the draft line gone the items are published and check passes.
    for f in ["某县人民政府办公室内设机构", "领导分工"] {
        let p = site.path().join(format!("content/disclosure/{f}.md"));
        let t = fs::read_to_string(&p).unwrap().replace("draft: true", "");
        fs::write(&p, t.replace("\n---\n\n", "\n---\n\n正文。\n")).unwrap();
    }
    let (ok, lines) = check(site.path());
    assert!(ok, "{lines:?}");
}

#[test]
fn init_writes_the_tree_of_article_20_and_new_item_uses_it() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("县政府办");
    let o = run(&[
        "init",
        site.to_str().unwrap(),
        "--agency",
        "某县人民政府办公室",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let toml = fs::read_to_string(site.join("site.toml")).unwrap();
    for name in [
        "政策文件",
        "行政规范性文件",
        "政策解读",
        "机构职能",
        "财政预决算",
        "公务员招考",
        "其他法定公开信息",
    ] {
        assert!(toml.contains(&format!("name = \"{name}\"")), "{name}");
    }
    assert!(toml.contains(
        "第二十条（十三）：环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"
    ));
    let (ok, lines) = check(&site);
    assert!(ok, "{lines:?}");
    assert_eq!(
        problems(&lines, "index-pattern").len(),
        1,
        "org_code is to be filled: {lines:?}"
    );
    // Without an org_code the number cannot be complete: it is left for the editor.
    let root = site.to_str().unwrap();
    let o = run(&[
        "new",
        "item",
        "机构职能",
        "--category",
        "机关职能",
        "--root",
        root,
        "--date",
        "2025-02-03",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = fs::read_to_string(site.join("content/disclosure/机构职能.md")).unwrap();
    assert!(text.contains("# index_no:"), "{text}");
    fs::write(
        site.join("site.toml"),
        toml.replace("org_code = \"\"", "org_code = \"11370000MB0000000X\""),
    )
    .unwrap();
    let o = run(&[
        "new",
        "item",
        "主要职责",
        "--category",
        "0201",
        "--root",
        root,
        "--date",
        "2025-02-03",
    ]);
    assert!(
        stderr(&o).contains("11370000MB0000000X/2025-00001"),
        "{}",
        stderr(&o)
    );
    let built = site.join("public");
    let o = run(&["build", "--root", root, "--out", built.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The items are drafts: every category is still empty, so none has a page (a 空白栏目
    // is shown nowhere, docs/catalogue.md).
    assert!(!built.join("zwgk/fdzdgknr/gwyzk/index.html").exists());
    assert!(built.join("zwgk/ysqgk/sqb/index.html").is_file());
}

#[test]
fn a_wrong_news_column_or_nav_link_is_one_error_where_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/minimal"), dir.path());
    let root = dir.path();
    let toml = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(
        root.join("site.toml"),
        toml.replace(
            "[[columns]]",
            "[[nav]]\ntitle = \"通知公告\"\nurl = \"/news/category/tzgg/\"\n\n[[columns]]",
        ),
    )
    .unwrap();
    fs::write(
        root.join("content/news/栏目写错.md"),
        "---\ntitle: 栏目写错\ndate: 2024-06-02\n栏目: 工作动向\n---\n\n正文。\n",
    )
    .unwrap();
    let (ok, lines) = check(root);
    assert!(!ok);
    let errors: Vec<&String> = lines.iter().filter(|l| l.contains(": 错误 [")).collect();
    assert_eq!(
        errors.len(),
        2,
        "one for the column, one for the nav link: {lines:?}"
    );
    let column = problems(&lines, "column");
    assert!(
        column[0].starts_with("content/news/栏目写错.md:4:1:"),
        "{lines:?}"
    );
    let help = &lines[lines.iter().position(|l| l == column[0]).unwrap() + 1];
    assert!(
        help.contains("是不是“工作动态”") && help.contains("已定义的栏目：工作动态"),
        "{help}"
    );
    let nav = problems(&lines, "broken-link");
    assert!(
        nav[0].starts_with("site.toml:16:1:") && nav[0].contains("通知公告"),
        "{lines:?}"
    );
}

#[test]
fn references_take_a_wenhao_and_ambiguous_titles_list_the_candidates() {
    let site = fixture();
    let root = site.path();
    // Offices refer to a document by its 文号, brackets written however the keyboard gave.
    item(
        root,
        "按文号替代",
        "title: 按文号写的替代文件\ndate: 2024-04-06\ncategory: 机构职能\nindex_no: 000000001/2024-00013\nstatus: 废止\nreplaced_by: 某政办发[2024]2号",
    );
    // Two items of one title: a reference by the title alone cannot choose.
    item(
        root,
        "同名一",
        "title: 关于做好年度工作的通知\ndate: 2024-04-07\ncategory: 机构职能\nindex_no: 000000001/2024-00014\ndoc_no: 某政办发〔2024〕7号",
    );
    item(
        root,
        "同名二",
        "title: 关于做好年度工作的通知\ndate: 2024-04-08\ncategory: 机构职能\nindex_no: 000000001/2024-00015\ndoc_no: 某政办发〔2024〕8号",
    );
    item(
        root,
        "引用同名",
        "title: 引用同名文件\ndate: 2024-04-09\ncategory: 机构职能\nindex_no: 000000001/2024-00016\nstatus: 废止\nreplaced_by: 《关于做好年度工作的通知》",
    );
    let (_, lines) = check(root);
    let reference = problems(&lines, "reference");
    assert_eq!(reference.len(), 1, "the 文号 resolves: {lines:?}");
    assert!(reference[0].starts_with("content/disclosure/引用同名.md:7:1:"));
    assert!(
        reference[0].contains("同时对应 2 条")
            && reference[0].contains("文号 某政办发〔2024〕7号")
            && reference[0].contains("文号 某政办发〔2024〕8号"),
        "{}",
        reference[0]
    );
    fs::remove_file(root.join("content/disclosure/引用同名.md")).unwrap();
    let out = built(root);
    let old = page(&out, "zwgk/按文号替代");
    assert!(
        old.contains("某县行政规范性文件制定和监督管理办法"),
        "linked to its replacement"
    );
}

#[test]
fn the_validity_words_of_other_cms_are_read_and_a_broken_item_sends_no_one_astray() {
    let site = fixture();
    let root = site.path();
    item(
        root,
        "现行有效",
        "title: 写现行有效的文件\ndate: 2024-04-06\ncategory: 机构职能\nindex_no: 000000001/2024-00013\nstatus: 现行有效",
    );
    // An item whose front matter is broken, and another that refers to it.
    item(
        root,
        "坏的",
        "title: 某县政府信息公开工作考核办法\ndate: 2024-13-01\ncategory: 机构职能\nindex_no: 000000001/2024-00014",
    );
    item(
        root,
        "引用坏的",
        "title: 考核办法的解读\ndate: 2024-04-08\nkind: 解读\ncategory: 机构职能\nindex_no: 000000001/2024-00015\ninterprets: 某县政府信息公开工作考核办法",
    );
    let (ok, lines) = check(root);
    assert!(!ok);
    assert!(
        !lines.iter().any(|l| l.contains("现行有效.md")),
        "现行有效 is read: {lines:?}"
    );
    let reference = problems(&lines, "reference");
    assert_eq!(reference.len(), 1, "{lines:?}");
    assert!(
        reference[0].contains("content/disclosure/坏的.md"),
        "{}",
        reference[0]
    );
    let help = &lines[lines.iter().position(|l| l == reference[0]).unwrap() + 1];
    assert!(!help.contains("是不是"), "no lookalike suggested: {help}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("content/disclosure/坏的.md:3:"))
    );
}
