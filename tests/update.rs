//! The preview server's fast path, as a library: after each kind of edit of news and
//! disclosure items or of the theme, the pages it renders, laid over the output it had,
//! must equal a full build of the edited site, file for file.

#[path = "support/dice.rs"]
mod dice;
#[path = "support/tree.rs"]
mod tree;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use gongkai::build::{BuildOptions, Prepared, Update, prepare, update_items, update_theme};
use gongkai::output::{Body, OutFile};

use dice::{Dice, with_front};
use tree::{copy_dir, repo};

fn bytes(f: &OutFile) -> Vec<u8> {
    match &f.body {
        Body::Bytes(b) => b.clone(),
        Body::Copy(p) | Body::Checked(p, _) => fs::read(p).unwrap(),
    }
}

/// The output of a site, path → bytes. The search index is left out: the server brings
/// it up to date on its own thread after the pages.
fn output(files: &[OutFile]) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .filter(|f| !f.path.starts_with("search/"))
        .map(|f| (f.path.clone(), bytes(f)))
        .collect()
}

fn news(date: &str, title: &str, column: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\ncategory: {column}\n---\n\n{body}\n")
}

/// The example site with 3-item pages and 23 more news items over 2022 and 2023, so that
/// lists have several pages and every item has neighbours.
struct Site {
    dir: tempfile::TempDir,
    opts: BuildOptions,
    prepared: Prepared,
    /// What the server would be serving.
    served: BTreeMap<String, Vec<u8>>,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
        let config = fs::read_to_string(root.join("site.toml")).unwrap();
        fs::write(
            root.join("site.toml"),
            config.replace("page_size = 20", "page_size = 3"),
        )
        .unwrap();
        copy_dir(&repo().join("content"), &root.join("content"));
        for i in 1..=23 {
            let (year, column) = if i % 2 == 0 {
                (2022, "外事动态")
            } else {
                (2023, "政务公开")
            };
            let path = root.join(format!("content/news/{year}/第{i}条动态.md"));
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            let date = format!("{year}-{:02}-{:02}", i % 12 + 1, i % 27 + 1);
            fs::write(
                path,
                news(
                    &date,
                    &format!("外事工作动态第{i}条"),
                    column,
                    &format!("第{i}条动态的正文，介绍因公出国（境）审批服务。\n\n第{i}条的第二段：办理时限。"),
                ),
            )
            .unwrap();
        }
        let opts = BuildOptions {
            root: root.to_path_buf(),
            ..Default::default()
        };
        let (prepared, served) = full_build(&opts, "the site as first built");
        Site {
            dir,
            opts,
            prepared,
            served,
        }
    }

    /// Prepares the site again after edits made behind the fast path's back.
    fn rebuild(&mut self) {
        (self.prepared, self.served) = full_build(&self.opts, "rebuild");
    }

    /// Writes the site's own copy of a file of the default theme, made by `change` from
    /// the built-in one.
    fn theme_edit(&self, rel: &str, change: impl FnOnce(String) -> String) {
        let builtin = fs::read_to_string(repo().join("themes/default").join(rel)).unwrap();
        self.write(&format!("themes/default/{rel}"), &change(builtin));
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, text).unwrap();
        p
    }

    fn edit(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        let p = self.path(rel);
        let text = fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} has {from}");
        fs::write(&p, text.replace(from, to)).unwrap();
        p
    }

    /// Runs the fast path on `paths`; returns the output files it rendered.
    fn update(&mut self, paths: &[PathBuf]) -> Result<BTreeSet<String>, Update> {
        let existing: BTreeSet<String> = self.served.keys().cloned().collect();
        let update = update_items(&mut self.prepared, paths, &self.opts.load, &existing);
        self.apply(update)
    }

    /// Runs the fast path after edits under `themes/`.
    fn update_theme(&mut self) -> Result<BTreeSet<String>, Update> {
        let existing: BTreeSet<String> = self.served.keys().cloned().collect();
        let update = update_theme(&mut self.prepared, &existing);
        self.apply(update)
    }

    fn apply(&mut self, update: Update) -> Result<BTreeSet<String>, Update> {
        match update {
            Update::Files { rendered, removed } => {
                for f in &removed {
                    self.served.remove(f);
                }
                let paths = rendered.iter().map(|f| f.path.clone()).collect();
                self.served.extend(output(&rendered));
                Ok(paths)
            }
            other => Err(other),
        }
    }

    /// The served output is what a full build of the site on disk gives.
    fn matches_a_full_build(&self, what: &str) {
        let (_, full) = full_build(&self.opts, what);
        let keys = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<BTreeSet<_>>();
        assert_eq!(keys(&self.served), keys(&full), "{what}: the same files");
        for (path, want) in &full {
            assert!(
                &self.served[path] == want,
                "{what}: {path} differs from a full build"
            );
        }
    }
}

const ITEM: &str = "content/news/2023/第5条动态.md";

#[test]
fn a_body_edit_renders_that_page_alone() {
    let mut site = Site::new();
    // Not the first paragraph: that is the item's summary in lists.
    let p = site.edit(ITEM, "第5条的第二段", "第5条修改后的第二段");
    let rendered = site.update(&[p]).unwrap();
    let page = "news/2023/第5条动态/index.html";
    assert_eq!(rendered, BTreeSet::from([page.to_string()]));
    assert!(String::from_utf8_lossy(&site.served[page]).contains("修改后的第二段"));
    site.matches_a_full_build("body edit");
}

#[test]
fn a_new_title_renders_lists_and_neighbours_not_reports_or_other_items() {
    let mut site = Site::new();
    let p = site.edit(ITEM, "外事工作动态第5条", "外事工作动态第5条（更新）");
    let rendered = site.update(&[p]).unwrap();
    assert!(rendered.contains("index.html") && rendered.contains("news/index.html"));
    assert!(rendered.contains("atom.xml") && rendered.contains("archive/2023/index.html"));
    assert!(
        !rendered.iter().any(|f| f.starts_with("zwgk/ndbg/")),
        "no report is rendered again: {rendered:?}"
    );
    let items = rendered
        .iter()
        .filter(|f| f.starts_with("news/20") && !f.contains("/page/"))
        .count();
    assert_eq!(items, 3, "the item and its two neighbours: {rendered:?}");
    site.matches_a_full_build("new title");
}

/// An edit on disk; returns the paths it touched.
type Edit = dyn Fn(&Site) -> Vec<PathBuf>;

#[test]
fn new_moved_renamed_drafted_and_removed_items_match_a_full_build() {
    let mut site = Site::new();
    let steps: Vec<(&str, Box<Edit>)> = vec![
        (
            "new date",
            Box::new(|s| vec![s.edit(ITEM, "date: 2023-06-06", "date: 2023-01-02")]),
        ),
        (
            "other column",
            Box::new(|s| vec![s.edit(ITEM, "category: 政务公开", "category: 外事动态")]),
        ),
        (
            "new item",
            Box::new(|s| {
                vec![s.write(
                    "content/news/2022/新到的签证服务通知.md",
                    &news("2022-08-08", "签证服务通知", "外事动态", "新的正文。"),
                )]
            }),
        ),
        (
            "new disclosure item",
            Box::new(|s| {
                vec![s.write(
                    "content/disclosure/2023年因公出国审批办事指南.md",
                    "---\ntitle: 因公出国审批办事指南\ndate: 2023-03-01\ncategory: 行政许可和对外管理服务\nindex_no: whwb/2023-00020\n---\n\n办理流程。\n",
                )]
            }),
        ),
        (
            "renamed file",
            Box::new(|s| {
                let from = s.path("content/news/2022/第8条动态.md");
                let to = s.path("content/news/2022/第八条动态.md");
                fs::rename(&from, &to).unwrap();
                vec![from, to]
            }),
        ),
        (
            "now a draft",
            Box::new(|s| {
                vec![s.edit(
                    "content/news/2022/第10条动态.md",
                    "category:",
                    "draft: true\ncategory:",
                )]
            }),
        ),
        (
            "removed items (a list page fewer)",
            Box::new(|s| {
                [
                    "content/news/2022/第2条动态.md",
                    "content/news/2022/第4条动态.md",
                ]
                .iter()
                .map(|rel| {
                    let p = s.path(rel);
                    fs::remove_file(&p).unwrap();
                    p
                })
                .collect()
            }),
        ),
    ];
    for (what, step) in steps {
        let paths = step(&site);
        let rendered = site
            .update(&paths)
            .unwrap_or_else(|u| panic!("{what}: fast path expected, got {u:?}"));
        assert!(
            !rendered.iter().any(|f| f.starts_with("zwgk/ndbg/")),
            "{what}: no report is rendered again"
        );
        site.matches_a_full_build(what);
    }
    assert!(!site.served.contains_key("news/2022/第8条动态/index.html"));
    assert!(site.served.contains_key("news/2022/第八条动态/index.html"));
}

#[test]
fn what_the_fast_path_cannot_reason_about_asks_for_a_full_build() {
    let mut site = Site::new();
    // A new year changes every page's navigation.
    let p = site.write(
        "content/news/2019/旧闻.md",
        &news("2019-05-05", "旧闻", "外事动态", "正文。"),
    );
    assert!(matches!(site.update(&[p]), Err(Update::Everything)));

    let mut site = Site::new();
    // A page that is linked from another item's text: a full build reports the link.
    site.edit(
        "content/news/2023/第3条动态.md",
        "第3条动态的正文",
        "见[第5条](/news/2023/第5条动态/)。第3条动态的正文",
    );
    site.rebuild();
    let p = site.path(ITEM);
    fs::remove_file(&p).unwrap();
    assert!(matches!(site.update(&[p]), Err(Update::Everything)));

    let mut site = Site::new();
    // Two items at one address: an error, shown like any broken edit.
    let p = site.write(
        "content/news/2023/重复.md",
        "---\ntitle: 重复\ndate: 2023-02-02\nslug: 第5条动态\n---\n\n正文。\n",
    );
    match site.update(&[p]) {
        Err(Update::Failed(d)) => assert!(format!("{d:?}").contains("duplicate-url")),
        other => panic!("expected an error, got {other:?}"),
    }
}

/// A full build of the site of `opts`, which must succeed, and its output.
fn full_build(opts: &BuildOptions, what: &str) -> (Prepared, BTreeMap<String, Vec<u8>>) {
    let (prepared, summary) = prepare(opts);
    assert!(!summary.failed(), "{what}: {:?}", summary.diagnostics);
    let prepared = prepared.unwrap();
    let out = output(&prepared.files);
    (prepared, out)
}

#[test]
fn a_template_edit_renders_the_pages_that_use_it_and_nothing_else() {
    let mut site = Site::new();
    site.theme_edit("templates/item_list.html", |t| t + "<!-- 列表 -->");
    let rendered = site.update_theme().unwrap();
    assert!(rendered.contains("news/index.html") && rendered.contains("zwgk/ndbg/index.html"));
    assert!(
        !rendered.iter().any(|f| f.starts_with("news/2023/")),
        "item pages do not use the list: {rendered:?}"
    );
    site.matches_a_full_build("list template");

    site.theme_edit("templates/news_item.html", |t| {
        t.replace("相邻文章", "相邻的文章")
    });
    let rendered = site.update_theme().unwrap();
    assert!(
        rendered.iter().all(|f| f.starts_with("news/20")),
        "{rendered:?}"
    );
    site.matches_a_full_build("item template");

    site.theme_edit("templates/base.html", |t| t + "\n<!-- 底部 -->");
    let rendered = site.update_theme().unwrap();
    assert!(rendered.contains("search/index.html") && rendered.contains("404.html"));
    site.matches_a_full_build("base template");

    site.theme_edit("static/assets/gongkai.css", |t| {
        t + "\nh1 { color: #900; }\n"
    });
    let rendered = site.update_theme().unwrap();
    assert_eq!(rendered, BTreeSet::from(["assets/gongkai.css".to_string()]));
    site.matches_a_full_build("stylesheet");

    fs::remove_dir_all(site.path("themes")).unwrap();
    site.update_theme().unwrap();
    site.matches_a_full_build("back to the built-in theme");
}

#[test]
fn a_broken_template_or_a_new_pdf_layout_is_not_rendered_in_part() {
    let mut site = Site::new();
    site.theme_edit("templates/news_item.html", |_| "{% if %}".to_string());
    match site.update_theme() {
        Err(Update::Failed(d)) => assert!(format!("{d:?}").contains("news_item.html")),
        other => panic!("expected a template error, got {other:?}"),
    }
    let mut site = Site::new();
    site.theme_edit("pdf/report.typ", |t| t + "\n// 改\n");
    assert!(matches!(site.update_theme(), Err(Update::Everything)));
}

fn disclosure(front: &str) -> String {
    format!("---\n{front}\npublisher: 威海市人民政府外事办公室\n---\n\n正文第一段。\n")
}

#[test]
fn disclosure_edits_in_the_catalogue_match_a_full_build() {
    let mut site = Site::new();
    const POLICY: &str = "content/disclosure/出国审批办法.md";
    const NOTE: &str = "content/disclosure/出国审批办法解读.md";
    let steps: Vec<(&str, Box<Edit>)> = vec![
        (
            "new item in a category",
            Box::new(|s| {
                vec![s.write(
                    "content/disclosure/工作计划.md",
                    &disclosure("title: 外事工作计划\ndate: 2023-03-01\ncategory: 规划计划\nindex_no: whwb/2023-00019"),
                )]
            }),
        ),
        (
            "moved to another category",
            Box::new(|s| {
                vec![s.edit(
                    "content/disclosure/工作计划.md",
                    "category: 规划计划",
                    "category: 机构职能",
                )]
            }),
        ),
        (
            "a policy and its 解读 together",
            Box::new(|s| {
                vec![
                    s.write(
                        POLICY,
                        &disclosure("title: 因公出国审批办法\ndate: 2023-04-01\ncategory: 行政规范性文件\nindex_no: whwb/2023-00010\nstatus: 有效"),
                    ),
                    s.write(
                        NOTE,
                        &disclosure("title: 《因公出国审批办法》解读\ndate: 2023-04-01\nkind: 解读\ncategory: 政策解读\nindex_no: whwb/2023-00011\ninterprets: whwb/2023-00010"),
                    ),
                ]
            }),
        ),
        (
            "the policy retitled (its 解读 names it)",
            Box::new(|s| {
                vec![s.edit(
                    POLICY,
                    "title: 因公出国审批办法",
                    "title: 因公出国（境）审批办法",
                )]
            }),
        ),
        (
            "the policy repealed and replaced",
            Box::new(|s| {
                vec![
                    s.edit(POLICY, "status: 有效", "status: 废止\nreplaced_by: whwb/2023-00012"),
                    s.write(
                        "content/disclosure/新审批办法.md",
                        &disclosure("title: 因公出国（境）审批管理办法\ndate: 2023-05-01\ncategory: 行政规范性文件\nindex_no: whwb/2023-00012\nstatus: 有效\n"),
                    ),
                    s.write(
                        "content/disclosure/新审批办法解读.md",
                        &disclosure("title: 新办法解读\ndate: 2023-05-01\nkind: 解读\ncategory: 政策解读\nindex_no: whwb/2023-00013\ninterprets: 因公出国（境）审批管理办法"),
                    ),
                ]
            }),
        ),
        (
            "the old 解读 removed",
            Box::new(|s| {
                let p = s.path(NOTE);
                fs::remove_file(&p).unwrap();
                vec![p]
            }),
        ),
        (
            "an amendment",
            Box::new(|s| {
                vec![
                    s.edit("content/disclosure/新审批办法.md", "status: 有效", "status: 已修改"),
                    s.write(
                        "content/disclosure/修改决定.md",
                        &disclosure("title: 关于修改审批管理办法的决定\ndate: 2023-06-01\ncategory: 行政规范性文件\nindex_no: whwb/2023-00014\nstatus: 有效\namends: [whwb/2023-00012]"),
                    ),
                ]
            }),
        ),
    ];
    for (what, step) in steps {
        let paths = step(&site);
        let rendered = site
            .update(&paths)
            .unwrap_or_else(|u| panic!("{what}: fast path expected, got {u:?}"));
        assert!(
            rendered.contains("zwgk/gkml/catalogue.json"),
            "{what}: the catalogue is rendered again"
        );
        site.matches_a_full_build(what);
    }
    let old = String::from_utf8_lossy(&site.served["zwgk/出国审批办法/index.html"]).into_owned();
    assert!(old.contains("本文件已废止") && old.contains("因公出国（境）审批管理办法"));
}

/// The errors of `d`: where and which.
fn errors(d: &gongkai::ground::diagnostics::Diagnostics) -> BTreeSet<String> {
    d.iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.location(), d.code))
        .collect()
}

/// The news and disclosure items of the site, by their paths under the site.
fn items_of(site: &Site) -> Vec<String> {
    let mut items: Vec<String> = walkdir::WalkDir::new(site.path("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            e.path()
                .strip_prefix(site.dir.path())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|rel| rel.starts_with("content/news/") || rel.starts_with("content/disclosure/"))
        .collect();
    items.sort();
    items
}

/// Sets `key` of the front matter of `rel` to `value` (none: removes it).
fn set_front(site: &Site, rel: &str, key: &str, value: Option<&str>) -> PathBuf {
    let text = fs::read_to_string(site.path(rel)).unwrap();
    site.write(rel, &with_front(&text, key, value))
}

/// One random edit of the items (what an editor does between two saves), described.
fn random_edit(site: &Site, dice: &mut Dice, n: usize) -> (String, Vec<PathBuf>) {
    let title = dice.words(3);
    let sentence = dice.words(6) + "。";
    let items = items_of(site);
    let in_news: Vec<&String> = items
        .iter()
        .filter(|r| r.starts_with("content/news/"))
        .collect();
    let day = format!(
        "{}-{:02}-{:02}",
        [2022, 2023][n % 2],
        n % 12 + 1,
        n % 27 + 1
    );
    let rel = dice.pick(&items).clone();
    let a_news = (*dice.pick(&in_news)).clone();
    match dice.below(9) {
        0 => {
            let text = fs::read_to_string(site.path(&rel)).unwrap();
            (
                format!("body of {rel}"),
                vec![site.write(&rel, &format!("{text}\n{sentence}\n"))],
            )
        }
        1 => (
            format!("title of {rel}"),
            vec![set_front(site, &rel, "title", Some(&title))],
        ),
        2 => (
            format!("date of {rel}: {day}"),
            vec![set_front(site, &rel, "date", Some(&day))],
        ),
        3 => {
            let column = ["外事动态", "政务公开"][n % 2];
            (
                format!("column of {a_news}: {column}"),
                vec![set_front(site, &a_news, "category", Some(column))],
            )
        }
        4 => {
            let new = format!("content/news/{}/新增第{n}条.md", &day[..4]);
            let column = ["外事动态", "政务公开"][n % 2];
            (
                format!("new {new}"),
                vec![site.write(&new, &news(&day, &title, column, &sentence))],
            )
        }
        5 if in_news.len() > 4 => {
            let p = site.path(&a_news);
            fs::remove_file(&p).unwrap();
            (format!("removed {a_news}"), vec![p])
        }
        6 => {
            let draft = fs::read_to_string(site.path(&a_news))
                .unwrap()
                .contains("\ndraft: true");
            let p = set_front(site, &a_news, "draft", (!draft).then_some("true"));
            (format!("{a_news} a draft: {}", !draft), vec![p])
        }
        7 => {
            let from = site.path(&a_news);
            let to = from.with_file_name(format!("改名第{n}条.md"));
            fs::rename(&from, &to).unwrap();
            (format!("renamed {a_news}"), vec![from, to])
        }
        _ => {
            let (one, two) = (dice.pick(&items).clone(), dice.pick(&items).clone());
            let p1 = set_front(site, &one, "title", Some(&title));
            let text = fs::read_to_string(site.path(&two)).unwrap();
            let p2 = site.write(&two, &format!("{text}\n{sentence}\n"));
            (
                format!("title of {one} and body of {two} in one save"),
                vec![p1, p2],
            )
        }
    }
}

/// Edits drawn at random, each applied by the fast path (or by a full build when it asks
/// for one): after every edit, what the server holds is a full build of the site.
#[test]
fn random_edits_of_items_each_match_a_full_build() {
    let (mut fast, mut full) = (0, 0);
    for seed in [7_u64, 2024, 0x9E37_79B9] {
        let mut site = Site::new();
        let mut dice = Dice(seed);
        let mut done = Vec::new();
        for n in 0..10 {
            let before = tree::tree_of(&site.path("content"));
            let (what, paths) = random_edit(&site, &mut dice, n);
            done.push(what.clone());
            let what = format!("seed {seed}, edit {n}: {what} (after {done:?})");
            match site.update(&paths) {
                Ok(_) => fast += 1,
                Err(Update::Everything) => {
                    full += 1;
                    site.rebuild();
                }
                // An edit with errors (an index number of another year, say): the full
                // build refuses it for the same errors, and the editor undoes it.
                Err(Update::Failed(d)) => {
                    let (_, summary) = prepare(&site.opts);
                    assert_eq!(errors(&d), errors(&summary.diagnostics), "{what}");
                    fs::remove_dir_all(site.path("content")).unwrap();
                    for (rel, bytes) in &before {
                        site.write(&format!("content/{rel}"), "");
                        fs::write(site.path(&format!("content/{rel}")), bytes).unwrap();
                    }
                    done.push("undone".into());
                    site.rebuild();
                }
                Err(files) => unreachable!("{what}: {files:?}"),
            }
            site.matches_a_full_build(&what);
        }
    }
    assert!(
        fast > full,
        "the fast path took {fast} edits of {}",
        fast + full
    );
}
