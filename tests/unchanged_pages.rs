//! A build into the output of the last one renders again only the pages whose inputs
//! (the templates, what every page shares, the page's own context) changed, and leaves
//! the others as the last build wrote them. Whatever it leaves must be, byte for byte,
//! what a fresh build of the edited site makes: each case here ends by comparing.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/dice.rs"]
mod dice;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::{Path, PathBuf};

use cli::{append_paragraph, build_into, ok, set_time, stderr, write};
use dice::with_front;
use tree::{differing, example, tree_of};

/// The number after `what` in a build's summary line, e.g. pages in "12 个页面（".
fn figure(summary: &str, what: &str) -> Option<usize> {
    let end = summary.find(what)?;
    let digits: String = summary[..end]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.chars().rev().collect::<String>().parse().ok()
}

/// (pages of the site, pages left as they were) by a build's summary.
fn pages_and_kept(summary: &str) -> (usize, usize) {
    let pages = figure(summary, " 个页面（").expect(summary);
    (
        pages,
        figure(summary, " 个页面的内容和模板都没有变").unwrap_or(0),
    )
}

/// Asserts that `out` holds exactly what a fresh build of `root` (with `extra`) makes.
fn same_as_fresh(root: &Path, out: &Path, extra: &[&str]) {
    let fresh = out.with_file_name("fresh");
    let _ = fs::remove_dir_all(&fresh);
    ok(build_into(root, &fresh, extra));
    let differ = differing(out, &fresh);
    assert!(differ.is_empty(), "differ from a fresh build: {differ:?}");
}

/// The HTML pages of `out` whose text has `needle`.
fn pages_with(out: &Path, needle: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter(|e| fs::read_to_string(e.path()).is_ok_and(|t| t.contains(needle)))
        .map(|e| e.path().to_path_buf())
        .collect()
}

const ITEM: &str = "content/news/2023/新闻发布会.md";

#[test]
fn an_edited_body_renders_its_page_and_leaves_the_others() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    let first = ok(build_into(&root, &out, &[]));
    assert_eq!(pages_and_kept(&first).1, 0, "{first}");
    let before = tree_of(&out);

    append_paragraph(&root, ITEM, "会后，记者就签证便利化措施进行了补充提问。");
    let s = ok(build_into(&root, &out, &[]));
    let (pages, kept) = pages_and_kept(&s);
    // The item's page and the search page (which names the index, changed with the
    // text); every other page as it was.
    assert_eq!(pages - kept, 2, "{s}");
    let shown = pages_with(&out, "签证便利化措施进行了补充提问");
    assert_eq!(shown.len(), 1, "{shown:?}");
    let after = tree_of(&out);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(k, v)| k.ends_with(".html") && before.get(*k) != Some(*v))
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        changed,
        ["news/2023/新闻发布会/index.html", "search/index.html"]
    );
    same_as_fresh(&root, &out, &[]);

    // A title is shown in lists, on the home page and beside the item: those pages are
    // rendered again too, found without any list of who shows what.
    let text = fs::read_to_string(root.join(ITEM)).unwrap();
    let retitled = text.replacen("title: ", "title: （更新）", 1);
    assert_ne!(text, retitled);
    fs::write(root.join(ITEM), retitled).unwrap();
    let s = ok(build_into(&root, &out, &[]));
    let (pages, kept) = pages_and_kept(&s);
    assert!(
        kept > 0 && pages - kept > 3,
        "{pages} pages, {kept} kept: {s}"
    );
    same_as_fresh(&root, &out, &[]);
}

/// The search index numbers pages oldest first: an item newer than every other takes
/// the next number, so of the index's text files only the last is written again.
#[test]
fn an_item_newer_than_every_other_rewrites_only_the_last_text_file_of_the_index() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    let texts = |out: &Path| tree_of(&out.join("search/t"));
    let before = texts(&out);
    assert!(before.len() > 1, "{:?}", before.keys());
    write(
        &root,
        "content/news/2026/涉外安全培训.md",
        "---\ntitle: 外事办公室开展涉外安全培训\ndate: 2026-01-05\ncategory: 外事动态\n---\n\n为提升涉外工作安全意识，外事办公室组织全体干部开展培训。\n",
    );
    ok(build_into(&root, &out, &[]));
    let after = texts(&out);
    let changed = tree::changed(&before, &after);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0], after.keys().last().unwrap());
    same_as_fresh(&root, &out, &[]);
}

#[test]
fn a_page_changed_by_hand_in_the_output_is_rendered_again() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    let home = out.join("index.html");
    let page = fs::read_to_string(&home).unwrap();
    fs::write(&home, page.replace("</body>", "<p>手工改动</p></body>")).unwrap();
    append_paragraph(&root, ITEM, "补充一段。");
    let s = ok(build_into(&root, &out, &[]));
    // The output is not as the last build left it: nothing in it is trusted.
    assert_eq!(pages_and_kept(&s).1, 0, "{s}");
    assert!(!fs::read_to_string(&home).unwrap().contains("手工改动"));
    same_as_fresh(&root, &out, &[]);
}

#[test]
fn a_link_to_a_removed_item_from_a_page_left_alone_is_still_found() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    write(
        &root,
        "content/news/2023/出访安排.md",
        "---\ntitle: 出访安排\ndate: 2023-06-01\ncategory: 外事动态\n---\n\n出访安排如下。\n",
    );
    ok(build_into(&root, &out, &[]));
    let target = pages_with(&out, "出访安排如下")
        .pop()
        .expect("the item's page");
    let url = format!(
        "/{}",
        target
            .strip_prefix(&out)
            .unwrap()
            .parent()
            .unwrap()
            .to_string_lossy()
    );
    write(
        &root,
        "content/news/2023/出访总结.md",
        format!(
            "---\ntitle: 出访总结\ndate: 2023-07-01\ncategory: 外事动态\n---\n\n见[出访安排]({url}/)。\n"
        ),
    );
    ok(build_into(&root, &out, &[]));
    let before = tree_of(&out);
    // The summary's page is unchanged, and would be left alone; the page it links to goes.
    fs::remove_file(root.join("content/news/2023/出访安排.md")).unwrap();
    let o = build_into(&root, &out, &[]);
    assert!(!o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("content/news/2023/出访总结.md") && err.contains("[broken-link]"),
        "{err}"
    );
    assert_eq!(
        tree_of(&out),
        before,
        "a failed build leaves the output as it was"
    );
    // Mended, the build goes through and matches a fresh one.
    fs::write(
        root.join("content/news/2023/出访总结.md"),
        "---\ntitle: 出访总结\ndate: 2023-07-01\ncategory: 外事动态\n---\n\n出访圆满结束。\n",
    )
    .unwrap();
    ok(build_into(&root, &out, &[]));
    same_as_fresh(&root, &out, &[]);
}

#[test]
fn a_changed_template_renders_the_pages_made_with_it() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    let template = "themes/default/templates/news_item.html";
    let text = fs::read_to_string(root.join(template)).unwrap();
    let edited = text.replacen("{% block main %}", "{% block main %}<p>本文已存档。</p>", 1);
    assert_ne!(text, edited, "the template has a main block");
    fs::write(root.join(template), edited).unwrap();
    let s = ok(build_into(&root, &out, &[]));
    let (pages, kept) = pages_and_kept(&s);
    let news = pages_with(&out, "本文已存档。").len();
    assert!(news > 1 && kept > 0, "{news} news, {s}");
    assert_eq!(pages - kept, news, "{s}");
    same_as_fresh(&root, &out, &[]);
}

#[test]
fn links_written_another_way_render_every_page() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    let s = ok(build_into(&root, &out, &["--relative"]));
    assert_eq!(pages_and_kept(&s).1, 0, "{s}");
    same_as_fresh(&root, &out, &["--relative"]);
    // An edit then, opened from disk too: the search index's script twins go with it.
    append_paragraph(&root, ITEM, "会议还通报了护照办理的新规定。");
    let s = ok(build_into(&root, &out, &["--relative"]));
    assert_eq!(pages_and_kept(&s).0 - pages_and_kept(&s).1, 2, "{s}");
    same_as_fresh(&root, &out, &["--relative"]);
    let s = ok(build_into(&root, &out, &[]));
    assert_eq!(pages_and_kept(&s).1, 0, "{s}");
    same_as_fresh(&root, &out, &[]);
}

/// The text of the PDF at `path` (poppler's pdftotext).
fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every PDF of `out`, by path relative to it.
fn pdfs(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut all = tree_of(out);
    all.retain(|path, _| path.ends_with(".pdf"));
    all
}

#[test]
fn a_pdf_is_typeset_again_when_its_report_or_layout_changed_and_only_then() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    let first = pdfs(&out);
    assert_eq!(first.len(), 3, "{:?}", first.keys());
    let report = first
        .keys()
        .find(|p| p.contains("政府信息公开工作年度报告"))
        .expect("the 2023 report's PDF")
        .clone();

    // A news item edited: no PDF typeset, the summary still names their fonts.
    append_paragraph(&root, ITEM, "补充说明一段。");
    let said = ok(build_into(&root, &out, &[]));
    assert!(said.contains("年度报告 PDF 字体："), "{said}");
    assert_eq!(pdfs(&out), first);

    // The report's text edited: its PDF says the new text, the others are as they were.
    let yaml = root.join("content/reports/2023.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    assert!(text.contains("工作闭环。"));
    fs::write(&yaml, text.replace("工作闭环。", "工作闭环管理。")).unwrap();
    ok(build_into(&root, &out, &[]));
    let second = pdfs(&out);
    assert!(pdf_text(&out.join(&report)).contains("闭环管理"));
    let changed: Vec<&String> = second.keys().filter(|p| second[*p] != first[*p]).collect();
    assert_eq!(changed, vec![&report]);
    same_as_fresh(&root, &out, &[]);

    // The layout changed: the report's PDF is laid out by the new one.
    append_paragraph(&root, "themes/default/pdf/report.typ", "#text[版式已改]");
    ok(build_into(&root, &out, &[]));
    assert!(pdf_text(&out.join(&report)).contains("版式已改"));
    same_as_fresh(&root, &out, &[]);
}

#[test]
fn a_removed_item_leaves_the_pages_that_do_not_show_it_and_their_links_are_read_off_them() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    let item = "content/news/2023/出访安排.md";
    let add = || {
        write(
            &root,
            item,
            "---\ntitle: 出访安排\ndate: 2023-06-01\ncategory: 外事动态\n---\n\n出访安排如下。\n",
        )
    };
    add();
    ok(build_into(&root, &out, &[]));
    let url = {
        let page = pages_with(&out, "出访安排如下")
            .pop()
            .expect("the item's page");
        let rel = page.strip_prefix(&out).unwrap().parent().unwrap();
        format!("/{}/", rel.to_string_lossy())
    };

    // Removed, nothing linking to it: the pages that do not show it are left alone.
    fs::remove_file(root.join(item)).unwrap();
    let said = ok(build_into(&root, &out, &[]));
    let (pages, kept) = pages_and_kept(&said);
    assert!(kept > 0 && kept < pages, "{said}");
    same_as_fresh(&root, &out, &[]);

    // Added again and linked from a disclosure item, whose page a removal leaves alone:
    // the link is read off that page as the last build wrote it, and found broken.
    add();
    let linking = "content/disclosure/联系方式.md";
    append_paragraph(&root, linking, &format!("另见[出访安排]({url})。"));
    ok(build_into(&root, &out, &[]));
    let before = tree_of(&out);
    fs::remove_file(root.join(item)).unwrap();
    let o = build_into(&root, &out, &[]);
    assert!(!o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.lines()
            .any(|l| l.starts_with(linking) && l.contains("[broken-link]")),
        "{err}"
    );
    assert!(tree_of(&out) == before, "a failed build changed the output");
}

/// A copied file is found unchanged by its source's and its copy's stamps as the last
/// build left them, without reading either; an attachment replaced (another stamp, the
/// same length) is copied again, and the output is a fresh build's.
#[test]
fn an_attachment_replaced_is_copied_again() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    let item = "content/news/2023/签证通知.md";
    let notice = "content/news/2023/通知全文.txt";
    write(
        &root,
        item,
        "---\ntitle: 关于办理因公签证的通知\ndate: 2023-06-01\nattachments:\n  - file: 通知全文.txt\n    title: 通知全文\n---\n\n各单位办理因公签证，请按要求提交材料。\n",
    );
    write(&root, notice, "第一版：请于六月底前提交材料。");
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    set_time(&root.join(item), an_hour_ago);
    set_time(&root.join(notice), an_hour_ago);
    ok(build_into(&root, &out, &[]));
    let kept = fs::read_to_string(dir.path().join(".public.gongkai-copies.json")).unwrap();
    assert!(kept.contains("通知全文.txt"), "{kept}");
    let copy = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_name() == "通知全文.txt")
        .expect("the attachment is copied")
        .into_path();
    // Another text of the same length, saved a minute ago.
    write(&root, notice, "第二版：请于七月底前提交材料。");
    let a_minute_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    set_time(&root.join(notice), a_minute_ago);
    ok(build_into(&root, &out, &[]));
    assert_eq!(
        fs::read_to_string(&copy).unwrap(),
        "第二版：请于七月底前提交材料。"
    );
    same_as_fresh(&root, &out, &[]);
    // Nothing changed since: the copy is taken as it is, and still the fresh build's.
    append_paragraph(&root, ITEM, "补充一段。");
    ok(build_into(&root, &out, &[]));
    same_as_fresh(&root, &out, &[]);
}

/// A machine with no Chinese font (fontconfig pointed at an empty folder, as on many CI
/// runners) leaves the reports' PDFs out, and its builds keep their memos all the same:
/// an edit renders only the edited item's pages, as with a font; a build with nothing
/// changed is not skipped (a font may have been installed since); once there is a font
/// the PDFs are made, and each output is what a fresh build makes.
#[cfg(all(feature = "pdf", target_os = "linux"))]
#[test]
fn without_a_chinese_font_an_edit_still_renders_only_its_pages() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    let empty = dir.path().join("没有字体");
    fs::create_dir(&empty).unwrap();
    let conf = cli::fontconfig_of(dir.path(), &empty);
    let no_font = |out: &Path| {
        let o = cli::gongkai()
            .args(["build", "--root"])
            .arg(&root)
            .arg("--out")
            .arg(out)
            .env("FONTCONFIG_FILE", &conf)
            .output()
            .unwrap();
        ok(o)
    };
    let first = no_font(&out);
    assert!(first.contains("[pdf-font]"), "{first}");
    assert!(pdfs(&out).is_empty());

    append_paragraph(&root, ITEM, "会后，记者就签证便利化措施进行了补充提问。");
    let s = no_font(&out);
    let (pages, kept) = pages_and_kept(&s);
    assert_eq!(pages - kept, 2, "{s}");
    let s = no_font(&out);
    assert!(!s.contains("内容没有变化"), "{s}");
    let (pages, kept) = pages_and_kept(&s);
    assert_eq!(pages, kept, "{s}");
    let fresh = dir.path().join("fresh");
    no_font(&fresh);
    let differ = tree::differing(&out, &fresh);
    assert!(differ.is_empty(), "differ from a fresh build: {differ:?}");

    let s = ok(build_into(&root, &out, &[]));
    assert!(!s.contains("[pdf-font]"), "{s}");
    assert!(!pdfs(&out).is_empty());
    same_as_fresh(&root, &out, &[]);
}

/// A news item's pages and its reference in lists and beside its neighbours are keyed by
/// what they are made of, not by the pages' contexts: each thing a reference shows,
/// changed, renders again the pages that show it (its neighbours' pages among them), and
/// the output is what a fresh build makes. A change the references do not show (the
/// source) renders its own page and no list.
#[test]
fn what_a_news_reference_shows_changed_renders_the_pages_beside_it() {
    let (dir, root) = example();
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    let neighbour = "content/news/2023/政府开放日.md";
    let edits: [(&str, Option<&str>, &str); 6] = [
        (
            "title",
            Some("政府开放日活动圆满举办"),
            "政府开放日活动圆满举办",
        ),
        (
            "summary",
            Some("公众走进机关，了解外事工作。"),
            "公众走进机关，了解外事工作",
        ),
        ("category", Some("外事动态"), "外事动态"),
        ("date", Some("2023-12-31T09:30:00+08:00"), "2023-12-31"),
        ("source", Some("某市外事办公室"), "某市外事办公室"),
        ("summary", None, "政府开放日"),
    ];
    for (key, value, shown) in edits {
        let text = fs::read_to_string(root.join(neighbour)).unwrap();
        write(&root, neighbour, with_front(&text, key, value));
        let s = ok(build_into(&root, &out, &[]));
        let (pages, kept) = pages_and_kept(&s);
        let rendered = pages - kept;
        match key {
            // The item's own page alone (the search index has no source).
            "source" => assert_eq!(rendered, 1, "{key}: {s}"),
            // Its neighbours' pages and the lists too.
            _ => assert!(rendered > 4, "{key}: {s}"),
        }
        assert!(!pages_with(&out, shown).is_empty(), "{key}");
        same_as_fresh(&root, &out, &[]);
    }
}

/// An edit takes an unchanged item's page of the search index as the last build indexed
/// it, by a key of what its record shows (title, address, date, column, 索引号, 文号,
/// 发布机构, the body up to the cut): each of these changed is in the index as a fresh
/// build makes it. Debug builds also make every record taken and compare it with the page.
#[test]
fn what_a_search_record_shows_changed_is_indexed_as_a_fresh_build_indexes_it() {
    let (dir, root) = example();
    // Cut short, so that every body is cut (and read back from the load memo to be cut).
    let toml = fs::read_to_string(root.join("site.toml")).unwrap();
    write(
        &root,
        "site.toml",
        format!("{toml}\n[search]\nbody_chars = 40\n"),
    );
    let out = dir.path().join("public");
    ok(build_into(&root, &out, &[]));
    let news = "content/news/2023/政府开放日.md";
    let policy = "content/disclosure/2023年政策文件制发情况.md";
    let edits = [
        (
            news,
            "title",
            Some("政府开放日活动圆满举办"),
            Some("政府开放日活动圆满举办"),
        ),
        // A column the index already names elsewhere.
        (news, "category", Some("外事动态"), None),
        (
            news,
            "date",
            Some("2023-11-17T09:30:00+08:00"),
            Some("2023-11-17"),
        ),
        (
            policy,
            "title",
            Some("2023 年政策文件制发情况（更新）"),
            Some("（更新）"),
        ),
        (
            policy,
            "doc_no",
            Some("威外办发〔2023〕1号"),
            Some("威外办发〔2023〕1号"),
        ),
        (
            policy,
            "index_no",
            Some("whwb/2023-00010"),
            Some("whwb/2023-00010"),
        ),
        (
            policy,
            "publisher",
            Some("威海市外事办公室"),
            Some("威海市外事办公室"),
        ),
    ];
    let index_has = |shown: &str| {
        tree_of(&out.join("search"))
            .values()
            .any(|bytes| String::from_utf8_lossy(bytes).contains(shown))
    };
    for (file, key, value, shown) in edits {
        let before = tree_of(&out.join("search"));
        if let Some(shown) = shown {
            assert!(
                !index_has(shown),
                "{key}: {shown} is in the index before the edit"
            );
        }
        let text = fs::read_to_string(root.join(file)).unwrap();
        write(&root, file, with_front(&text, key, value));
        ok(build_into(&root, &out, &[]));
        assert_ne!(tree_of(&out.join("search")), before, "{key}");
        if let Some(shown) = shown {
            assert!(index_has(shown), "{key}: {shown} is not in the index");
        }
        same_as_fresh(&root, &out, &[]);
    }
    // A body changed before the cut is indexed; after it, the index is as it was.
    for file in [news, policy] {
        let text = fs::read_to_string(root.join(file)).unwrap();
        let (head, body) = text[4..].split_once("\n---\n").unwrap();
        write(
            &root,
            file,
            format!("---\n{head}\n---\n\n签证便利化新措施。{body}"),
        );
        ok(build_into(&root, &out, &[]));
        assert!(index_has("签证便利化新措施"), "{file}");
        same_as_fresh(&root, &out, &[]);
        let before = tree_of(&out.join("search"));
        append_paragraph(&root, file, "会后，记者进行了补充提问。");
        ok(build_into(&root, &out, &[]));
        assert_eq!(tree_of(&out.join("search")), before, "{file}");
        same_as_fresh(&root, &out, &[]);
        fs::write(root.join(file), &text).unwrap();
        ok(build_into(&root, &out, &[]));
    }
}
