//! Edits drawn at random, as an editor makes them between two builds: bodies, titles,
//! dates, items added, removed, renamed and drafted, attachments, files a body links to,
//! pictures, `static/`, templates, site.toml, a mobile number and its masking. After each
//! edit `gongkai build` into the output the last build left (with every memo beside it)
//! must do what a build into a new folder does: the same errors, and when it passes the
//! same bytes; when it fails, the output as the last build that passed left it. Files
//! are given times in the past (the memos keep them) or left at the time they were saved
//! (read again), by turns, and every third build is of a new day. The same for a portal
//! group, edits made in either member.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/dice.rs"]
mod dice;
#[path = "support/tree.rs"]
mod tree;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use cli::build_into;
use dice::{Dice, with_front};
use tree::{copy_dir, example, repo, tree_of};

/// Where edits are made (a site, or one member of a group) and the clock of their saves.
struct Editor {
    root: PathBuf,
    /// Seconds past an hour ago: each save set back in time gets a time of its own.
    clock: u64,
}

impl Editor {
    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Saves `text` at `rel`, then, every other time, sets its time back (as a file saved
    /// a while before the build).
    fn write(&mut self, dice: &mut Dice, rel: &str, text: &str) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, text).unwrap();
        if dice.below(2) == 0 {
            self.clock += 3;
            let then =
                SystemTime::now() - Duration::from_secs(3600) + Duration::from_secs(self.clock);
            cli::set_time(&p, then);
        }
    }

    fn append(&mut self, dice: &mut Dice, rel: &str, text: &str) {
        let old = self.read(rel);
        self.write(dice, rel, &format!("{old}\n{text}\n"));
    }

    /// Sets `key` of the front matter of `rel` to `value` (none: removes it).
    fn set_front(&mut self, dice: &mut Dice, rel: &str, key: &str, value: Option<&str>) {
        let text = with_front(&self.read(rel), key, value);
        self.write(dice, rel, &text);
    }

    /// The files under `content/<under>` whose names pass `keep`, by path under the root.
    fn files(&self, under: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(self.path(&format!("content/{under}")))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && keep(&e.file_name().to_string_lossy()))
            .map(|e| {
                let rel = e.path().strip_prefix(&self.root).unwrap();
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        files.sort();
        files
    }

    /// One edit drawn with `dice` (the `n`th), described.
    fn edit(&mut self, dice: &mut Dice, n: usize) -> String {
        let md = |name: &str| name.ends_with(".md");
        let news = self.files("news", md);
        let items: Vec<String> = news
            .iter()
            .cloned()
            .chain(self.files("disclosure", md))
            .collect();
        let item = dice.pick(&items).clone();
        let a_news = dice.pick(&news).clone();
        let folder = a_news.rsplit_once('/').unwrap().0.to_string();
        let sentence = dice.words(6) + "。";
        let day = format!("2023-{:02}-{:02}", dice.below(12) + 1, dice.below(28) + 1);
        match dice.below(15) {
            0 | 1 => {
                self.append(dice, &item, &sentence);
                format!("body of {item}")
            }
            2 => {
                let title = dice.words(3);
                self.set_front(dice, &item, "title", Some(&title));
                format!("title of {item}")
            }
            3 => {
                self.set_front(dice, &a_news, "date", Some(&day));
                format!("date of {a_news}: {day}")
            }
            4 => {
                let rel = format!("content/news/2023/新增第{n}条.md");
                let column = ["外事动态", "政务公开"][dice.below(2)];
                let text = format!(
                    "---\ntitle: {}\ndate: {day}\ncategory: {column}\n---\n\n{sentence}\n",
                    dice.words(3)
                );
                self.write(dice, &rel, &text);
                format!("new {rel}")
            }
            5 if news.len() > 3 => {
                fs::remove_file(self.path(&a_news)).unwrap();
                format!("removed {a_news}")
            }
            6 => {
                let draft = self.read(&a_news).contains("\ndraft: true");
                self.set_front(dice, &a_news, "draft", (!draft).then_some("true"));
                format!("{a_news} a draft: {}", !draft)
            }
            7 => {
                let to = format!("{folder}/改名第{n}条.md");
                fs::rename(self.path(&a_news), self.path(&to)).unwrap();
                format!("renamed {a_news} to {to}")
            }
            8 => {
                let name = format!("附件{}.txt", dice.below(2) + 1);
                self.write(dice, &format!("{folder}/{name}"), &(sentence + "\n"));
                if !self.read(&a_news).contains("attachments:") {
                    let list = format!("[{{file: {name}, title: 附件}}]");
                    self.set_front(dice, &a_news, "attachments", Some(&list));
                }
                format!("attachment {name} of {a_news}")
            }
            9 => {
                let name = format!("名单{}.txt", dice.below(2) + 1);
                self.write(dice, &format!("{folder}/{name}"), &(sentence + "\n"));
                if !self.read(&a_news).contains(&format!("({name})")) {
                    self.append(dice, &a_news, &format!("[名单]({name})"));
                }
                format!("{name} linked from {a_news}")
            }
            10 => {
                let name = format!("图{}.svg", dice.below(2) + 1);
                let width = dice.below(40) + 5;
                let svg = format!(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"9\"></svg>"
                );
                self.write(dice, &format!("{folder}/{name}"), &svg);
                if !self.read(&a_news).contains(&format!("({name})")) {
                    self.append(dice, &a_news, &format!("![图片]({name})"));
                }
                format!("picture {name} in {a_news}")
            }
            11 => {
                let rel = format!("static/files/说明{}.txt", dice.below(2) + 1);
                self.write(dice, &rel, &sentence);
                rel
            }
            12 => {
                let template = *dice.pick(&[
                    "base.html",
                    "news_item.html",
                    "item_list.html",
                    "index.html",
                ]);
                let rel = format!("themes/default/templates/{template}");
                let text = match self.path(&rel).exists() {
                    true => self.read(&rel),
                    false => fs::read_to_string(repo().join(&rel)).unwrap(),
                };
                self.write(dice, &rel, &format!("{text}\n{{# {sentence} #}}\n"));
                format!("template {template}")
            }
            13 => {
                let text = self.read("site.toml");
                let (head, rest) = text.split_once("\ndescription = ").unwrap();
                let rest = rest.split_once('\n').unwrap().1;
                self.write(
                    dice,
                    "site.toml",
                    &format!("{head}\ndescription = \"{sentence}\"\n{rest}"),
                );
                "site.toml's description".into()
            }
            _ => {
                self.append(dice, &item, "联系电话 13912345678。");
                format!("a mobile number in {item}")
            }
        }
    }

    /// What the editor does when a build was refused: masks the mobile numbers.
    fn mend(&mut self, dice: &mut Dice) -> Vec<String> {
        let with = self.files("", |name| name.ends_with(".md"));
        let with: Vec<String> = with
            .into_iter()
            .filter(|r| self.read(r).contains("13912345678"))
            .collect();
        for rel in &with {
            let text = self.read(rel).replace("13912345678", "139****5678");
            self.write(dice, rel, &text);
        }
        with
    }
}

/// The errors a build told, by where and which.
fn errors(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter(|l| l.contains(": 错误 ["))
        .map(|l| {
            l.split_once('】')
                .map_or(l, |(_, rest)| rest)
                .trim()
                .to_string()
        })
        .collect()
}

/// Builds `root` into `out` (kept from build to build) and into a new folder after each
/// of `steps` edits that `edit` makes, and holds the two to each other.
fn hold_to_fresh_builds(
    root: &Path,
    work: &Path,
    steps: usize,
    mut edit: impl FnMut(usize, bool) -> String,
) -> (usize, usize) {
    let out = work.join("out");
    let first = build_into(root, &out, &["--as-of", "2026-12-01"]);
    assert!(first.status.success(), "{}", cli::stderr(&first));
    let mut good: BTreeMap<String, Vec<u8>> = tree_of(&out);
    let (mut passed, mut refused) = (0, 0);
    let mut done = Vec::new();
    let mut was_refused = false;
    for n in 0..steps {
        done.push(edit(n, was_refused));
        let what = format!("edit {n}: {done:?}");
        let fresh = work.join(format!("fresh{n}"));
        // A new day every third edit: what a page says of the day, and what the gate
        // holds back, may change with it.
        let day = format!("2026-12-{:02}", 1 + n / 3);
        let day = ["--as-of", day.as_str()];
        let (kept, anew) = (build_into(root, &out, &day), build_into(root, &fresh, &day));
        let (told, told_anew) = (cli::stderr(&kept), cli::stderr(&anew));
        assert_eq!(
            kept.status.success(),
            anew.status.success(),
            "{what}\n{told}\n{told_anew}"
        );
        assert_eq!(errors(&told), errors(&told_anew), "{what}");
        let now = tree_of(&out);
        if anew.status.success() {
            passed += 1;
            was_refused = false;
            let made = tree_of(&fresh);
            let differ: BTreeSet<&String> = now
                .keys()
                .chain(made.keys())
                .filter(|k| now.get(*k) != made.get(*k))
                .collect();
            assert!(
                differ.is_empty(),
                "{what}: differs from a fresh build: {differ:?}"
            );
            good = now;
            fs::remove_dir_all(&fresh).unwrap();
        } else {
            refused += 1;
            was_refused = true;
            assert!(now == good, "{what}: a refused build changed the output");
        }
    }
    (passed, refused)
}

#[test]
fn random_edits_of_a_site_build_what_a_fresh_build_makes() {
    let mut totals = (0, 0);
    for seed in [11_u64, 4242] {
        let (dir, root) = example();
        let mut dice = Dice(seed);
        let mut editor = Editor {
            root: root.clone(),
            clock: 0,
        };
        let work = dir.path().join("work");
        let (passed, refused) =
            hold_to_fresh_builds(&root, &work, 10, |n, refused| match refused {
                true => format!("masked in {:?}", editor.mend(&mut dice)),
                false => editor.edit(&mut dice, n),
            });
        totals = (totals.0 + passed, totals.1 + refused);
    }
    assert!(
        totals.0 >= 10 && totals.1 >= 1,
        "passed, refused: {totals:?}"
    );
}

#[test]
fn random_edits_of_group_members_build_what_a_fresh_build_makes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("group");
    copy_dir(&repo().join("examples/group"), &root);
    // A second member with content, its own copy of the theme: each edit goes to either.
    copy_dir(&root.join("sites/wb"), &root.join("sites/wj"));
    let config = fs::read_to_string(root.join("sites/wj/site.toml")).unwrap();
    fs::write(
        root.join("sites/wj/site.toml"),
        config.replace("外事办公室", "卫生健康委员会"),
    )
    .unwrap();
    copy_dir(&repo().join("themes"), &root.join("sites/wj/themes"));
    let group = fs::read_to_string(root.join("group.toml")).unwrap();
    let group = group.replace(
        "slug = \"wb\"",
        "slug = \"wb\"\n\n[[members]]\nslug = \"wj\"",
    );
    fs::write(root.join("group.toml"), group).unwrap();
    let mut dice = Dice(77);
    let mut members = [
        Editor {
            root: root.join("sites/wb"),
            clock: 0,
        },
        Editor {
            root: root.join("sites/wj"),
            clock: 1,
        },
    ];
    let work = dir.path().join("work");
    let (passed, refused) = hold_to_fresh_builds(&root, &work, 10, |n, refused| {
        if refused {
            let masked: Vec<Vec<String>> = members.iter_mut().map(|m| m.mend(&mut dice)).collect();
            return format!("masked in {masked:?}");
        }
        let m = dice.below(2);
        let what = members[m].edit(&mut dice, n);
        format!("{}: {what}", ["wb", "wj"][m])
    });
    assert!(
        passed >= 5 && refused >= 1,
        "passed {passed}, refused {refused}"
    );
}
