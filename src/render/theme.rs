//! Templates and static assets: the default theme compiled into the binary, with any
//! file under the site's `themes/<name>/` taking its place.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tera::{Kwargs, State, Tera};

use crate::ground::diagnostics::{Diagnostic, Diagnostics, Pos, rel_path};

macro_rules! embed {
    ($($p:literal),* $(,)?) => {
        &[$(($p, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $p)) as &[u8])),*]
    };
}

/// The default theme's files, by path inside the theme folder.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embed!(
    "templates/base.html",
    "templates/item_list.html",
    "templates/pagination.html",
    "templates/index.html",
    "templates/news_list.html",
    "templates/news_item.html",
    "templates/disclosure.html",
    "templates/disclosure_item.html",
    "templates/category_tree.html",
    "templates/category.html",
    "templates/catalogue.html",
    "templates/application.html",
    "templates/application_form.html",
    "templates/reports.html",
    "templates/report.html",
    "templates/archive.html",
    "templates/archive_year.html",
    "templates/404.html",
    "templates/site_map.html",
    "templates/search.html",
    "templates/website_reports.html",
    "templates/website_report.html",
    "templates/interaction.html",
    "templates/services.html",
    "templates/service.html",
    "templates/organization.html",
    "templates/leaders.html",
    "templates/leader.html",
    "templates/media.html",
    "static/assets/gongkai.js",
    "static/assets/search.js",
    "static/assets/catalogue.js",
    "templates/atom.xml",
    "templates/sitemap.xml",
    "templates/group_base.html",
    "templates/group_index.html",
    "templates/group_items.html",
    "templates/group_not_updated.html",
    "templates/group_agencies.html",
    "templates/group_latest.html",
    "templates/group_reports.html",
    "templates/group_reports_year.html",
    "templates/group_search.html",
    "templates/group_404.html",
    "templates/group_website_reports.html",
    "static/assets/gongkai.css",
    "static/assets/sortable.js",
    "pdf/report.typ",
    "pdf/application.typ",
    "pdf/website_report.typ",
);

/// Where a theme file came from, for messages.
#[derive(Debug, Clone)]
pub enum Origin {
    BuiltIn,
    Site(PathBuf),
}

#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub bytes: Vec<u8>,
    pub origin: Origin,
}

pub struct Theme {
    pub tera: Tera,
    /// Static assets by output path (e.g. `assets/gongkai.css`).
    pub assets: BTreeMap<String, ThemeFile>,
    /// Template sources by name, with where each came from.
    pub templates: BTreeMap<String, ThemeFile>,
    /// Files of the PDF layout (`pdf/report.typ`), by name.
    pub pdf: BTreeMap<String, ThemeFile>,
}

impl Theme {
    /// Loads theme `name` for the site at `root`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostics> {
        Theme::load_from(&[root], name)
    }

    /// Loads theme `name` from the `themes/` folders of `roots`, each root's files taking
    /// the place of the earlier roots' and of the built-in ones (a member of a portal
    /// group over the group). Messages name files relative to the last root.
    pub fn load_from(roots: &[&Path], name: &str) -> Result<Theme, Diagnostics> {
        let root = roots.last().copied().unwrap_or(Path::new("."));
        let mut templates = BTreeMap::new();
        let mut assets = BTreeMap::new();
        let mut pdf = BTreeMap::new();
        for (path, bytes) in DEFAULT_THEME {
            let file = ThemeFile {
                bytes: bytes.to_vec(),
                origin: Origin::BuiltIn,
            };
            if let Some(t) = path.strip_prefix("templates/") {
                templates.insert(t.to_string(), file);
            } else if let Some(s) = path.strip_prefix("static/") {
                assets.insert(s.to_string(), file);
            } else if let Some(s) = path.strip_prefix("pdf/") {
                pdf.insert(s.to_string(), file);
            }
        }
        let dirs: Vec<(&Path, PathBuf)> = roots
            .iter()
            .map(|r| (*r, r.join("themes").join(name)))
            .collect();
        let mut diags = Diagnostics::new();
        if name != "default" && !dirs.iter().any(|(_, d)| d.is_dir()) {
            diags.push(
                Diagnostic::error(
                    "theme",
                    "site.toml",
                    format!("找不到主题文件夹 themes/{name}"),
                )
                .help("删除 site.toml 中的 theme 一行即可使用内置的默认主题。"),
            );
            return Err(diags);
        }
        for (layer_root, dir) in &dirs {
            for (sub, into) in [
                ("templates", &mut templates),
                ("static", &mut assets),
                ("pdf", &mut pdf),
            ] {
                read_layer(layer_root, &dir.join(sub), into, &mut diags);
            }
        }
        let mut tera = Tera::new();
        register_filters(&mut tera);
        let mut sources = Vec::new();
        for (name, f) in &templates {
            match std::str::from_utf8(&f.bytes) {
                Ok(s) => sources.push((name.clone(), s.to_string())),
                Err(_) => diags.push(Diagnostic::error(
                    "encoding",
                    origin_name(root, name, &f.origin),
                    "模板不是 UTF-8 编码",
                )),
            }
        }
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        {
            diags.push(template_error(root, &templates, &e));
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Theme {
            tera,
            assets,
            templates,
            pdf,
        })
    }
}

/// Reads the files under `base` (a folder of a theme in the site at `root`) into `into`,
/// by path inside `base`.
fn read_layer(
    root: &Path,
    base: &Path,
    into: &mut BTreeMap<String, ThemeFile>,
    diags: &mut Diagnostics,
) {
    let walk = crate::ground::fs::walk_files(root, base);
    diags.extend(walk.problems.into_iter().collect());
    let text = !base.ends_with("static");
    for path in walk.files {
        // Templates and the PDF layout are text: read as editors save them.
        let file = rel_path(root, &path);
        let read = if text {
            crate::input::text_file::read(&path)
                .map(String::into_bytes)
                .map_err(|err| {
                    Diagnostic::error("encoding", &file, err.what())
                        .at(err
                            .line()
                            .map(|l| crate::ground::diagnostics::Pos::new(l, 1)))
                        .help(err.help())
                })
        } else {
            std::fs::read(&path).map_err(|err| {
                Diagnostic::error(
                    "io",
                    &file,
                    format!("无法读取：{}", crate::ground::fs::describe(&err)),
                )
            })
        };
        match read {
            Ok(bytes) => {
                into.insert(
                    rel_path(base, &path),
                    ThemeFile {
                        bytes,
                        origin: Origin::Site(path.clone()),
                    },
                );
            }
            Err(d) => diags.push(d),
        }
    }
}

/// What differs between two loads of a theme.
#[derive(Debug, Default)]
pub struct ThemeChange {
    /// Templates edited, added or removed, and every template that uses one of them
    /// (extends, includes or imports it, at any depth).
    pub templates: BTreeSet<String>,
    /// Static assets edited or added, by output path.
    pub assets: BTreeSet<String>,
    /// Static assets the theme no longer has.
    pub removed_assets: BTreeSet<String>,
    /// The PDF layout changed: the reports' PDFs must be made again.
    pub pdf: bool,
}

impl Theme {
    /// What changed from `self` to `new`.
    pub fn changes(&self, new: &Theme) -> ThemeChange {
        fn differing(
            a: &BTreeMap<String, ThemeFile>,
            b: &BTreeMap<String, ThemeFile>,
        ) -> BTreeSet<String> {
            a.keys()
                .chain(b.keys())
                .filter(|k| a.get(*k).map(|f| &f.bytes) != b.get(*k).map(|f| &f.bytes))
                .cloned()
                .collect()
        }
        let mut templates = differing(&self.templates, &new.templates);
        let uses: Vec<(&String, Vec<String>)> = new
            .templates
            .iter()
            .map(|(name, f)| (name, references(&String::from_utf8_lossy(&f.bytes))))
            .collect();
        // Whoever uses a changed template changes too, until nothing more is added.
        loop {
            let users: Vec<String> = uses
                .iter()
                .filter(|(name, refs)| {
                    !templates.contains(*name) && refs.iter().any(|r| templates.contains(r))
                })
                .map(|(name, _)| (*name).clone())
                .collect();
            if users.is_empty() {
                break;
            }
            templates.extend(users);
        }
        let assets = differing(&self.assets, &new.assets);
        let (assets, removed_assets) = assets.into_iter().partition(|a| new.assets.contains_key(a));
        ThemeChange {
            templates,
            assets,
            removed_assets,
            pdf: !differing(&self.pdf, &new.pdf).is_empty(),
        }
    }
}

/// The templates a template's source names in `extends`, `include` and `import` tags.
fn references(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(open) = rest.find("{%") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("%}") else {
            break;
        };
        let tag = after[..close].trim_start_matches(['-', '+']).trim_start();
        if ["extends", "include", "import"]
            .iter()
            .any(|k| tag.starts_with(k))
        {
            // Every quoted name in the tag (`include ["a.html", "b.html"]` names two).
            let mut parts = tag.split(['"', '\'']);
            parts.next();
            out.extend(parts.step_by(2).map(str::to_string));
        }
        rest = &after[close + 2..];
    }
    out
}

impl Theme {
    /// The templates a page made with `name` is made from: itself and those it extends,
    /// includes or imports, at any depth (a name the theme lacks too: it may come).
    pub fn closure(&self, name: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut next = vec![name.to_string()];
        while let Some(t) = next.pop() {
            if let Some(f) = self.templates.get(&t)
                && !seen.contains(&t)
            {
                next.extend(references(&String::from_utf8_lossy(&f.bytes)));
            }
            seen.insert(t);
        }
        seen
    }
}

/// How a template is named in messages: its file in the site, or the built-in one.
pub fn origin_name(root: &Path, name: &str, origin: &Origin) -> String {
    match origin {
        Origin::BuiltIn => format!("(内置默认主题) templates/{name}"),
        Origin::Site(p) => rel_path(root, p),
    }
}

/// A Tera error as a diagnostic at the template's file and line.
pub fn template_error(
    root: &Path,
    templates: &BTreeMap<String, ThemeFile>,
    e: &tera::Error,
) -> Diagnostic {
    let (name, pos, message) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
            r.filename().to_string(),
            Some(Pos::new(r.span().start_line, r.span().start_col + 1)),
            r.message().to_string(),
        ),
        other => (String::new(), None, other.to_string()),
    };
    let mut message = message;
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!("：{s}"));
        source = s.source();
    }
    let file = templates
        .get(&name)
        .map(|f| origin_name(root, &name, &f.origin))
        .unwrap_or_else(|| {
            if name.is_empty() {
                "themes".to_string()
            } else {
                name.clone()
            }
        });
    Diagnostic::error("template", file, format!("模板错误：{message}"))
        .at(pos)
        .help("检查这一行的 Tera 语法：{{ 变量 }}、{% if %}…{% endif %}、{% for %}…{% endfor %} 是否成对。可用的变量见 docs/templates.md。")
}

fn register_filters(tera: &mut Tera) {
    // Dates reach templates as RFC 3339 strings; these print them the Chinese way.
    tera.register_filter("ymd", |s: &str, _: Kwargs, _: &State| {
        s.chars().take(10).collect::<String>()
    });
    tera.register_filter("cn_date", |s: &str, _: Kwargs, _: &State| {
        crate::ground::date::Date::parse(s).map_or_else(|| s.to_string(), |d| d.chinese())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_the_names_in_extends_include_and_import_tags() {
        let src = r#"{% extends "base.html" %}{%- include "parts/列表.html" -%}
{% import 'macros.html' as m %}{% if x == "a.html" %}{% include ["a.html", "b.html"] ignore missing %}"#;
        assert_eq!(
            references(src),
            [
                "base.html",
                "parts/列表.html",
                "macros.html",
                "a.html",
                "b.html"
            ]
        );
    }

    #[test]
    fn a_changed_template_changes_every_template_that_uses_it() {
        let dir = tempfile::tempdir().unwrap();
        let old = Theme::load(dir.path(), "default").unwrap();
        let templates = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&templates).unwrap();
        let item_list = String::from_utf8(old.templates["item_list.html"].bytes.clone()).unwrap();
        std::fs::write(templates.join("item_list.html"), item_list + "<!-- 改 -->").unwrap();
        let new = Theme::load(dir.path(), "default").unwrap();
        let change = old.changes(&new);
        assert!(change.templates.contains("item_list.html"));
        assert!(change.templates.contains("news_list.html"), "{change:?}");
        assert!(!change.templates.contains("base.html"));
        assert!(!change.templates.contains("report.html"));
        assert!(change.assets.is_empty() && !change.pdf);
    }
}
