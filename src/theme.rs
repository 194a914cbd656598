//! Templates and static assets: the default theme compiled into the binary, with any
//! file under the site's `themes/<name>/` taking its place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Kwargs, State, Tera};
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos, rel_path};

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
    "templates/reports.html",
    "templates/report.html",
    "templates/archive.html",
    "templates/archive_year.html",
    "templates/404.html",
    "templates/site_map.html",
    "templates/search.html",
    "static/assets/gongkai.js",
    "static/assets/search.js",
    "templates/atom.xml",
    "templates/sitemap.xml",
    "static/assets/gongkai.css",
    "pdf/report.typ",
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
        let dir = root.join("themes").join(name);
        let mut diags = Diagnostics::new();
        if name != "default" && !dir.is_dir() {
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
        for (sub, into) in [
            ("templates", &mut templates),
            ("static", &mut assets),
            ("pdf", &mut pdf),
        ] {
            let base = dir.join(sub);
            for e in WalkDir::new(&base)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if !e.file_type().is_file() || e.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                match std::fs::read(e.path()) {
                    Ok(bytes) => {
                        into.insert(
                            rel_path(&base, e.path()),
                            ThemeFile {
                                bytes,
                                origin: Origin::Site(e.path().to_path_buf()),
                            },
                        );
                    }
                    Err(err) => diags.push(Diagnostic::error(
                        "io",
                        rel_path(root, e.path()),
                        format!("无法读取：{err}"),
                    )),
                }
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
        crate::content::Date::parse(s).map_or_else(|| s.to_string(), |d| d.chinese())
    });
}
