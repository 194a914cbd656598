//! The catalogue's categories as a tree, read from `[[catalogue.categories]]`: codes,
//! names and slugs are unique, a parent names a declared category, and there is no cycle.

use std::collections::HashMap;

use crate::config::{CONFIG_FILE, Category, Config};
use crate::ground::diagnostics::{Diagnostic, Diagnostics, Pos, nearest};

/// A category with its place in the tree.
#[derive(Debug, Clone)]
pub struct Node {
    pub code: String,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub normative: bool,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// 0 for a top-level category.
    pub depth: usize,
}

/// The declared categories, in site.toml's order.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
    by_key: HashMap<String, usize>,
}

/// Where key `key` of category `i` is written in site.toml (or the category itself).
fn pos(config: &Config, i: usize, key: &str) -> Option<Pos> {
    let index = i.to_string();
    let key_names: &[&str] = match key {
        "code" => &["code", "代码"],
        "name" => &["name", "名称"],
        "slug" => &["slug", "网址名"],
        "parent" => &["parent", "上级"],
        _ => &[key],
    };
    config.source.pos_alt(&[
        &["catalogue", "公开目录"],
        &["categories", "分类"],
        &[index.as_str()],
        key_names,
    ])
}

impl Tree {
    /// Builds the tree of `config`; problems are errors at their line in site.toml.
    pub fn build(config: &Config, diags: &mut Diagnostics) -> Tree {
        let declared: &[Category] = &config.catalogue.categories;
        let mut tree = Tree::default();
        let mut seen: [HashMap<String, usize>; 3] = Default::default();
        for (i, c) in declared.iter().enumerate() {
            let slug = c
                .slug
                .clone()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| crate::config::paths::slugify(&c.name));
            let fields = [
                ("code", "代码", c.code.trim().to_string()),
                ("name", "名称", c.name.trim().to_string()),
                ("slug", "网址名（slug）", slug.clone()),
            ];
            for (k, (key, label, value)) in fields.iter().enumerate() {
                if value.is_empty() {
                    diags.push(
                        Diagnostic::error("category", CONFIG_FILE, format!("分类的{label}是空的"))
                            .at(pos(config, i, key))
                            .help(format!("给这个分类写上 {key}。")),
                    );
                } else if let Some(first) = seen[k].insert(value.clone(), i) {
                    diags.push(
                        Diagnostic::error(
                            "category",
                            CONFIG_FILE,
                            format!(
                                "分类{label}“{value}”重复：第 {} 个分类已经用了它",
                                first + 1
                            ),
                        )
                        .at(pos(config, i, key))
                        .help(format!("每个分类的 {key} 都要不同。")),
                    );
                }
            }
            tree.nodes.push(Node {
                code: c.code.trim().to_string(),
                name: c.name.trim().to_string(),
                slug,
                description: c.description.clone().filter(|d| !d.trim().is_empty()),
                normative: c.normative,
                parent: None,
                children: Vec::new(),
                depth: 0,
            });
        }
        for (i, n) in tree.nodes.iter().enumerate() {
            tree.by_key.entry(n.code.clone()).or_insert(i);
            tree.by_key.entry(n.name.clone()).or_insert(i);
        }
        for (i, c) in declared.iter().enumerate() {
            let Some(p) = c.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) else {
                continue;
            };
            match tree.find(p) {
                Some(j) if j != i && !tree.is_below(j, i) => tree.nodes[i].parent = Some(j),
                Some(_) => diags.push(
                    Diagnostic::error(
                        "category",
                        CONFIG_FILE,
                        format!("分类“{}”的上级“{p}”是它自己或它的下级", c.name),
                    )
                    .at(pos(config, i, "parent"))
                    .help("上级要写另一个更高一层的分类的代码或名称。"),
                ),
                None => {
                    diags.push(tree.unknown(p, "上级分类", CONFIG_FILE, pos(config, i, "parent")))
                }
            }
        }
        for i in 0..tree.nodes.len() {
            if let Some(p) = tree.nodes[i].parent {
                tree.nodes[p].children.push(i);
            }
            tree.nodes[i].depth = tree.path(i).len() - 1;
        }
        tree
    }

    /// Whether `i` is `ancestor` or below it.
    fn is_below(&self, i: usize, ancestor: usize) -> bool {
        let mut at = Some(i);
        let mut steps = 0;
        while let Some(x) = at {
            if x == ancestor {
                return true;
            }
            at = self.nodes[x].parent;
            steps += 1;
            if steps > self.nodes.len() {
                return false;
            }
        }
        false
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The category with this code or name.
    pub fn find(&self, key: &str) -> Option<usize> {
        self.by_key.get(key.trim()).copied()
    }

    /// The categories from the top down to `i` (both included).
    pub fn path(&self, i: usize) -> Vec<usize> {
        let mut v = vec![i];
        while let Some(p) = self.nodes[*v.last().unwrap_or(&i)].parent {
            v.push(p);
        }
        v.reverse();
        v
    }

    /// Whether items of `i` are 规范性文件 (it or a category above it says so).
    pub fn is_normative(&self, i: usize) -> bool {
        self.path(i).iter().any(|&j| self.nodes[j].normative)
    }

    /// Every category, each followed by its subcategories (the order of the tree shown).
    pub fn preorder(&self) -> Vec<usize> {
        fn walk(t: &Tree, i: usize, out: &mut Vec<usize>) {
            out.push(i);
            for &c in &t.nodes[i].children {
                walk(t, c, out);
            }
        }
        let mut out = Vec::with_capacity(self.nodes.len());
        for (i, n) in self.nodes.iter().enumerate() {
            if n.parent.is_none() {
                walk(self, i, &mut out);
            }
        }
        out
    }

    /// The error for a category name that is not declared, at `pos` of `file`, with the
    /// declared names and the nearest one.
    pub fn unknown(&self, name: &str, what: &str, file: &str, pos: Option<Pos>) -> Diagnostic {
        let names: Vec<&str> = self.nodes.iter().map(|n| n.name.as_str()).collect();
        let codes = self.nodes.iter().map(|n| n.code.as_str());
        let near = nearest(name, names.iter().copied().chain(codes));
        let mut help = match near {
            Some(n) => format!("是不是“{n}”？"),
            None => String::new(),
        };
        if names.is_empty() {
            help.push_str("site.toml 还没有定义公开目录的分类：在 [[catalogue.categories]] 中定义（gongkai init 写的 site.toml 里有按《条例》第二十条预设的分类），或删除这一行。");
        } else {
            help.push_str(&format!(
                "已定义的分类：{}。写分类的名称或代码，或在 site.toml 的 [[catalogue.categories]] 中新增这个分类。",
                names.join("、")
            ));
        }
        Diagnostic::error(
            "category",
            file,
            format!("{what}“{name}”没有在 site.toml 的 [[catalogue.categories]] 中定义"),
        )
        .at(pos)
        .help(help)
    }
}
