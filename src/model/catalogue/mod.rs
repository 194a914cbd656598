//! The 政府信息公开目录: the category tree of site.toml ([`tree`]), 索引号 and their
//! pattern ([`index_no`]), the links between items — replacement, amendment, 解读 —
//! ([`relations`]), the checks on all of these ([`check`]), the default tree of
//! 《条例》第二十条 ([`national`]), the 依申请公开 form ([`application`]).

pub mod application;
pub mod check;
pub mod index_no;
pub mod national;
pub mod relations;
pub mod tree;

use crate::config::{CONFIG_FILE, Config};
use crate::ground::diagnostics::{Diagnostic, Diagnostics};
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
