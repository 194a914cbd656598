//! The pages of the 政府信息公开目录: the category pages, the catalogue table with its
//! CSV and JSON, 依申请公开 with its 申请表, and what they share (the tree with counts, a
//! row of the catalogue).

use super::context::PageContext;
use serde::Serialize;

use super::Renderer;
use super::context::ItemRef;
use super::plan::ItemAt;
use crate::model::catalogue::application::{Application, Form};
use crate::model::catalogue::relations::Relations;
use crate::model::content::DisclosureItem;
use crate::model::content::{DisclosureKind, Validity};
use crate::model::site::Site;

/// The catalogue's lists, worked out once per render.
pub(super) struct CatalogueView {
    /// Every disclosure item, newest first.
    pub(super) by_date: Vec<usize>,
    /// The 法定主动公开内容 (items and 解读), newest first.
    pub(super) listed: Vec<usize>,
    /// Per category: its items and those of the categories below it, newest first.
    pub(super) members: Vec<Vec<usize>>,
    pub(super) relations: Relations,
}

impl CatalogueView {
    pub(super) fn new(site: &Site) -> CatalogueView {
        let items = &site.disclosure;
        let mut by_date: Vec<usize> = (0..items.len()).collect();
        by_date.sort_by(|&a, &b| {
            (
                std::cmp::Reverse(items[a].front.date.sort_key()),
                &items[a].path,
            )
                .cmp(&(
                    std::cmp::Reverse(items[b].front.date.sort_key()),
                    &items[b].path,
                ))
        });
        let tree = &site.catalogue.tree;
        let mut members = vec![Vec::new(); tree.nodes.len()];
        for &i in &by_date {
            if let Some(c) = items[i].category_index {
                for j in tree.path(c) {
                    members[j].push(i);
                }
            }
        }
        let listed = by_date
            .iter()
            .copied()
            .filter(|&i| crate::model::catalogue::check::is_listed(items[i].front.kind))
            .collect();
        CatalogueView {
            by_date,
            listed,
            members,
            relations: Relations::resolve(items),
        }
    }
}

/// A category in the tree as templates show it (see `category_tree.html`).
#[derive(Serialize, Clone)]
pub(super) struct TreeNode {
    code: String,
    name: String,
    url: String,
    depth: usize,
    count: usize,
    has_children: bool,
    /// Lists to close after this entry (a leaf that ends its parent's list, …).
    closes: usize,
    current: bool,
}

/// The category of a category page.
#[derive(Serialize)]
struct CategoryCtx {
    code: String,
    name: String,
    url: String,
    description: Option<String>,
    count: usize,
    /// The catalogue filtered to this category.
    catalogue_url: String,
}

/// A line of the catalogue table (and of catalogue.csv/.json).
#[derive(Serialize)]
pub(super) struct Row {
    index_no: String,
    title: String,
    url: String,
    doc_no: String,
    publisher: String,
    written: String,
    date: String,
    status: String,
    category: String,
    /// The codes of its category and those above it.
    categories: Vec<String>,
    year: u32,
    kind: &'static str,
}

/// What the catalogue JSON holds.
#[derive(Serialize)]
struct CatalogueJson<'a> {
    site: &'a str,
    agency: &'a str,
    items: Vec<Row>,
}

pub(super) const STATUSES: [&str; 4] = ["有效", "失效", "废止", "已修改"];

/// The format of a catalogue download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DataFormat {
    Csv,
    Json,
}

impl Renderer<'_> {
    /// The tree with counts, `current` marked. A category with no items is left out
    /// with everything below it (it has no page): the column shows no 空白栏目, and
    /// `freshness.empty` tells the editor.
    pub(super) fn tree(&self, current: Option<usize>) -> Vec<TreeNode> {
        let tree = &self.site.catalogue.tree;
        let shown = |i: usize| !self.cat.members[i].is_empty();
        let order: Vec<usize> = tree.preorder().into_iter().filter(|&i| shown(i)).collect();
        order
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let n = &tree.nodes[i];
                let next_depth = order.get(k + 1).map_or(0, |&j| tree.nodes[j].depth);
                let leaf = !n.children.iter().any(|&c| shown(c));
                TreeNode {
                    code: n.code.clone(),
                    name: n.name.clone(),
                    url: self.url(&self.site.config.paths.category(&n.slug)),
                    depth: n.depth,
                    count: self.cat.members[i].len(),
                    has_children: !leaf,
                    closes: if leaf {
                        n.depth.saturating_sub(next_depth)
                    } else {
                        0
                    },
                    current: current == Some(i),
                }
            })
            .collect()
    }

    /// The breadcrumbs down to category `i` (its own last).
    pub(super) fn category_crumbs(&self, i: usize) -> Vec<(String, String)> {
        let tree = &self.site.catalogue.tree;
        tree.path(i)
            .into_iter()
            .map(|j| {
                (
                    tree.nodes[j].name.clone(),
                    self.site.config.paths.category(&tree.nodes[j].slug),
                )
            })
            .collect()
    }

    /// A disclosure item's page: its metadata, its category's breadcrumbs, and the items
    /// it is linked with (replacement, amendments, 解读) both ways.
    pub(super) fn disclosure_item(&self, path: &str, i: usize) -> PageContext {
        #[derive(Serialize)]
        struct Lifecycle<'a> {
            replaced_by: Option<ItemRef<'a>>,
            replaces: Vec<ItemRef<'a>>,
            amends: Vec<ItemRef<'a>>,
            amended_by: Vec<ItemRef<'a>>,
        }
        #[derive(Serialize)]
        struct Policy {
            title: Option<String>,
            url: String,
        }
        let items = &self.site.disclosure;
        let d = &items[i];
        let rel = &self.cat.relations;
        let refs = |list: &[usize]| -> Vec<ItemRef> {
            list.iter()
                .map(|&j| self.disclosure_ref(&items[j]))
                .collect()
        };
        let crumbs = d
            .category_index
            .map(|c| self.category_crumbs(c))
            .unwrap_or_default();
        let disclosure = self.site.config.paths.disclosure();
        let mut list: Vec<(&str, &str)> = vec![("政府信息公开", &disclosure)];
        list.extend(crumbs.iter().map(|(t, p)| (t.as_str(), p.as_str())));
        let mut ctx = self.simple("disclosure_item", &d.front.title, path, &list);
        let category_path: Vec<super::context::Crumb> =
            self.crumbs(&list[1..]).into_iter().skip(1).collect();
        let policy = match (rel.interprets[i], d.front.interprets.as_deref()) {
            (Some(j), _) => Some(Policy {
                title: Some(items[j].front.title.clone()),
                url: self.url(&items[j].path),
            }),
            (None, Some(url)) if crate::model::catalogue::relations::is_external(url) => {
                Some(Policy {
                    title: None,
                    url: url.trim().to_string(),
                })
            }
            _ => None,
        };
        ctx.insert("item", d);
        ctx.insert_body("content", &d.body_html);
        ctx.insert("category_path", &category_path);
        ctx.insert(
            "lifecycle",
            &Lifecycle {
                replaced_by: rel.replaced_by[i].map(|j| self.disclosure_ref(&items[j])),
                replaces: refs(&rel.replaces[i]),
                amends: refs(&rel.amends[i]),
                amended_by: refs(&rel.amended_by[i]),
            },
        );
        ctx.insert("policy", &policy);
        ctx.insert("interpretations", &refs(&rel.interpretations[i]));
        ctx.insert(
            "application_url",
            &self
                .site
                .config
                .application
                .as_ref()
                .map(|_| self.url(&self.site.config.paths.application())),
        );
        ctx
    }

    pub(super) fn category_page(&self, path: &str, index: usize, page: usize) -> PageContext {
        let tree = &self.site.catalogue.tree;
        let n = &tree.nodes[index];
        let base = self.site.config.paths.category(&n.slug);
        let crumbs = self.category_crumbs(index);
        let disclosure = self.site.config.paths.disclosure();
        let mut list: Vec<(&str, &str)> = vec![("政府信息公开", &disclosure)];
        list.extend(crumbs.iter().map(|(t, p)| (t.as_str(), p.as_str())));
        let mut ctx = self.simple("category", &n.name, path, &list);
        let members = &self.cat.members[index];
        let tree_ctx = self.tree(Some(index));
        let children: Vec<&TreeNode> = n
            .children
            .iter()
            .filter_map(|&c| tree_ctx.iter().find(|t| t.code == tree.nodes[c].code))
            .collect();
        let listed = self
            .slice(members, page)
            .iter()
            .map(|&i| ItemAt::Disclosure(i));
        self.insert_refs(&mut ctx, "items", listed);
        ctx.insert("paginator", &self.paginator(&base, page, members.len()));
        ctx.insert("children", &children);
        ctx.insert(
            "category",
            &CategoryCtx {
                code: n.code.clone(),
                name: n.name.clone(),
                url: self.url(&base),
                description: n.description.clone(),
                count: members.len(),
                catalogue_url: format!(
                    "{}?fl={}",
                    self.url(&self.site.config.paths.catalogue()),
                    percent_encoding::utf8_percent_encode(
                        &n.code,
                        percent_encoding::NON_ALPHANUMERIC
                    )
                ),
            },
        );
        ctx.insert("tree", &tree_ctx);
        ctx
    }

    fn row(&self, d: &DisclosureItem, url: String) -> Row {
        let tree = &self.site.catalogue.tree;
        let (category, categories) = match d.category_index {
            Some(c) => (
                tree.nodes[c].name.clone(),
                tree.path(c)
                    .into_iter()
                    .map(|j| tree.nodes[j].code.clone())
                    .collect(),
            ),
            None => (d.kind_label.to_string(), Vec::new()),
        };
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        Row {
            index_no: text(&d.front.index_no),
            title: d.front.title.clone(),
            url,
            doc_no: text(&d.front.doc_no),
            publisher: text(&d.front.publisher),
            written: d.front.written.map(|w| w.ymd()).unwrap_or_default(),
            date: d.front.date.ymd(),
            status: d
                .front
                .status
                .map(Validity::label)
                .unwrap_or_default()
                .to_string(),
            category,
            categories,
            year: d.front.date.year,
            kind: match d.front.kind {
                DisclosureKind::Guide => "guide",
                DisclosureKind::Rules => "rules",
                DisclosureKind::Item => "item",
                DisclosureKind::Interpretation => "interpretation",
            },
        }
    }

    pub(super) fn catalogue_page(&self, path: &str, page: usize) -> PageContext {
        let mut ctx = self.simple(
            "catalogue",
            "政府信息公开目录",
            path,
            &[
                ("政府信息公开", &self.site.config.paths.disclosure()),
                ("公开目录", &self.site.config.paths.catalogue()),
            ],
        );
        let items = &self.site.disclosure;
        let rows: Vec<Row> = self
            .slice(&self.cat.by_date, page)
            .iter()
            .map(|&i| self.row(&items[i], self.url(&items[i].path)))
            .collect();
        let mut years: Vec<u32> = items.iter().map(|d| d.front.date.year).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        ctx.insert("rows", &rows);
        ctx.insert(
            "paginator",
            &self.paginator(
                &self.site.config.paths.catalogue(),
                page,
                self.cat.by_date.len(),
            ),
        );
        ctx.insert("page_size", &self.page_size);
        ctx.insert("years", &years);
        ctx.insert("statuses", &STATUSES);
        ctx.insert("tree", &self.tree(None));
        ctx
    }

    /// catalogue.csv or catalogue.json: every item, newest first, with full URLs.
    pub(super) fn catalogue_data(&self, format: DataFormat) -> Vec<u8> {
        let items = &self.site.disclosure;
        let rows: Vec<Row> = self
            .cat
            .by_date
            .iter()
            .map(|&i| self.row(&items[i], self.permalink(&items[i].path)))
            .collect();
        match format {
            DataFormat::Json => {
                let data = CatalogueJson {
                    site: &self.site.config.title,
                    agency: &self.site.config.agency.name,
                    items: rows,
                };
                let mut v = serde_json::to_vec(&data).unwrap_or_default();
                v.push(b'\n');
                v
            }
            DataFormat::Csv => {
                let mut lines = vec![
                    [
                        "索引号",
                        "标题",
                        "文号",
                        "发布机构",
                        "成文日期",
                        "发布日期",
                        "有效性",
                        "分类",
                        "网址",
                    ]
                    .map(str::to_string)
                    .to_vec(),
                ];
                lines.extend(rows.into_iter().map(|r| {
                    vec![
                        r.index_no,
                        r.title,
                        r.doc_no,
                        r.publisher,
                        r.written,
                        r.date,
                        r.status,
                        r.category,
                        r.url,
                    ]
                }));
                crate::model::report::export::csv_bytes(&lines)
            }
        }
    }

    pub(super) fn application_page(&self, path: &str, form: bool) -> PageContext {
        let (kind, title) = if form {
            ("application_form", "政府信息公开申请表")
        } else {
            ("application", "依申请公开")
        };
        let paths = &self.site.config.paths;
        let (disclosure, application, form_path) = (
            paths.disclosure(),
            paths.application(),
            paths.application_form(),
        );
        let mut crumbs: Vec<(&str, &str)> =
            vec![("政府信息公开", &disclosure), ("依申请公开", &application)];
        if form {
            crumbs.push(("申请表", &form_path));
        }
        let mut ctx = self.simple(kind, title, path, &crumbs);
        let application = Application::of(&self.site.config);
        if let Some(a) = &application {
            let notes = a
                .notes
                .as_deref()
                .map(|n| crate::model::markdown::render(n, &self.base_path).html);
            ctx.insert("notes", &notes);
            ctx.insert("form", &Form::new(&a.office));
        }
        ctx.insert("application", &application);
        ctx
    }
}
