//! The 政府信息公开目录: the category tree of site.toml ([`tree`]), 索引号 and their
//! pattern ([`index_no`]), the links between items — replacement, amendment, 解读 —
//! ([`relations`]), the checks on all of these ([`check`]), the default tree of
//! 《条例》第二十条 ([`national`]), the 依申请公开 form ([`application`]) and the
//! skeleton of a new item ([`skeleton`]).

pub mod application;
pub mod check;
pub mod index_no;
pub mod national;
pub mod relations;
pub mod skeleton;
pub mod tree;

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::source_map::SourceMap;
use index_no::Pattern;
use tree::Tree;

/// What the catalogue of a site is made of: its tree and its 索引号 pattern.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub tree: Tree,
    /// `None` when the pattern in site.toml cannot be read (an error says so).
    pub pattern: Option<Pattern>,
    /// The 组织机构代码, when written.
    pub org_code: Option<String>,
}

impl Catalogue {
    /// Reads the catalogue of `config`; problems go to `diags` at their line.
    pub fn build(config: &Config, diags: &mut Diagnostics) -> Catalogue {
        let c = &config.catalogue;
        let pattern_pos = config
            .source
            .pos_alt(&[&["catalogue", "公开目录"], &["index_pattern", "索引号格式"]]);
        // A site that never wrote [catalogue] keeps the 索引号 it has always used: the
        // pattern is checked once the site says which one it follows.
        let declared = config
            .source
            .pos_alt(&[&["catalogue", "公开目录"]])
            .is_some();
        let pattern = match Pattern::parse(&c.index_pattern) {
            Ok(_) if !declared => None,
            Ok(p) => Some(p),
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        "index-pattern",
                        CONFIG_FILE,
                        format!("索引号格式“{}”无法使用：{e}", c.index_pattern),
                    )
                    .at(pattern_pos)
                    .help(format!(
                        "可用的占位符：{}；其余文字照写。全国政府信息公开目录的格式是 {}。",
                        index_no::PLACEHOLDERS,
                        national::DEFAULT_INDEX_PATTERN
                    )),
                );
                None
            }
        };
        let org_code = c
            .org_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let tree = Tree::build(config, diags);
        if declared && org_code.is_none() && c.index_pattern.contains("组织机构代码") {
            diags.push(
                Diagnostic::warning(
                    "index-pattern",
                    CONFIG_FILE,
                    "索引号格式用到组织机构代码，但没有填写 org_code，索引号的前段码无法核对",
                )
                .at(config.source.pos_alt(&[&["catalogue", "公开目录"]]))
                .help("在 [catalogue] 下写 org_code = \"本机关的组织机构代码\"（或统一社会信用代码）。"),
            );
        }
        Catalogue {
            tree,
            pattern,
            org_code,
        }
    }

    /// The context an item of category `category` reads its 索引号 in.
    pub fn ctx(&self, category: Option<usize>) -> index_no::Ctx<'_> {
        index_no::Ctx {
            org: self.org_code.as_deref(),
            category: category.map(|i| self.tree.nodes[i].code.as_str()),
        }
    }
}

/// Where the catalogue's keys of an item's front matter are written (each key under its
/// English or Chinese name), for errors found after loading.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    pub title: Option<Pos>,
    pub index_no: Option<Pos>,
    pub category: Option<Pos>,
    pub status: Option<Pos>,
    pub replaced_by: Option<Pos>,
    pub amends: Vec<Option<Pos>>,
    pub interprets: Option<Pos>,
    /// 成文日期, for the timeliness check.
    pub written: Option<Pos>,
}

/// The names a front matter key may be written under (English first).
pub const KEY_NAMES: &[(&str, &[&str])] = &[
    ("title", &["title", "标题"]),
    ("index_no", &["index_no", "索引号"]),
    ("category", &["category", "分类", "目录分类"]),
    ("status", &["status", "有效性"]),
    ("replaced_by", &["replaced_by", "替代文件"]),
    ("amends", &["amends", "修改的文件"]),
    ("interprets", &["interprets", "解读对象"]),
    ("written", &["written", "成文日期"]),
];

fn names(key: &str) -> &'static [&'static str] {
    KEY_NAMES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(&[], |(_, n)| *n)
}

impl Keys {
    /// The positions of an item's keys, `amends` having `amends` entries.
    pub fn of(map: &SourceMap, amends: usize) -> Keys {
        let at = |key: &str| map.pos_alt(&[names(key)]);
        Keys {
            title: at("title"),
            index_no: at("index_no"),
            category: at("category"),
            status: at("status"),
            replaced_by: at("replaced_by"),
            amends: (0..amends)
                .map(|i| {
                    let i = i.to_string();
                    map.pos_alt(&[names("amends"), &[i.as_str()]])
                })
                .collect(),
            interprets: at("interprets"),
            written: at("written"),
        }
    }
}
