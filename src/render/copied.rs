//! The files that go out as they are: the theme's assets, the site's `static/` (which
//! may replace a theme asset of the same name, on purpose), and the attachments of news,
//! disclosure items and reports, leaders' photos, and the pictures items link to beside their Markdown. Any other two files with one name are an error naming
//! both: an attachment called `index.html` would silently replace its article, a
//! `static/news/index.html` the news list.

use std::collections::BTreeMap;

use crate::gate::compliance::sources::Bytes;
use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::model::site::Site;
use crate::output::{Body, OutFile};
use crate::render::theme::{Origin, Theme};

/// Where a copied file comes from, for naming it in an error.
enum Source<'a> {
    /// A theme asset, as the file to blame.
    Theme(String),
    Static(&'a str),
    Attachment {
        item: &'a str,
        name: &'a str,
    },
    /// A picture or file an item links to beside its Markdown.
    Resource {
        item: &'a str,
        path: &'a str,
    },
}

impl Source<'_> {
    /// The file to blame, relative to the site root.
    fn file(&self) -> String {
        match self {
            Source::Theme(file) => file.clone(),
            Source::Static(path) => format!("static/{path}"),
            Source::Attachment { item, .. } | Source::Resource { item, .. } => item.to_string(),
        }
    }

    fn what(&self) -> String {
        match self {
            Source::Theme(..) => "主题文件".into(),
            Source::Static(_) => "static 中的文件".into(),
            Source::Attachment { name, .. } => format!("附件 `{name}`"),
            Source::Resource { path, .. } => format!(
                "文中链接的文件 `{}`",
                path.rsplit('/').next().unwrap_or(path)
            ),
        }
    }
}

/// The copied files, with an error for each that would take the place of a generated
/// file (of `made`) or of another copied file. A file whose bytes the gate read
/// (`checked`) is copied only with those bytes.
pub(super) fn copied_files(
    site: &Site,
    theme: &Theme,
    made: &std::collections::BTreeSet<String>,
    checked: &Bytes,
) -> (Vec<OutFile>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut by_path: BTreeMap<String, (OutFile, Source)> = BTreeMap::new();
    for (path, f) in &theme.assets {
        let body = match &f.origin {
            Origin::BuiltIn => Body::Bytes(f.bytes.clone()),
            Origin::Site(p) => Body::Copy(p.clone()),
        };
        let file = OutFile {
            path: path.clone(),
            body,
        };
        let blame = match &f.origin {
            Origin::Site(p) => crate::ground::diagnostics::rel_path(&site.root, p),
            Origin::BuiltIn => format!("(内置主题) static/{path}"),
        };
        by_path.insert(path.clone(), (file, Source::Theme(blame)));
    }
    let copied = site
        .static_files
        .iter()
        .map(|s| (s.path.clone(), s.source.clone(), Source::Static(&s.path)))
        .chain(site.attachments_by_item().flat_map(|(item, list)| {
            list.iter().map(move |a| {
                let source = Source::Attachment {
                    item,
                    name: &a.file_name,
                };
                (a.path.clone(), a.source.clone(), source)
            })
        }))
        .chain(site.resources_by_item().flat_map(|(item, list)| {
            list.iter().map(move |r| {
                let source = Source::Resource {
                    item,
                    path: &r.path,
                };
                (r.path.clone(), r.source.clone(), source)
            })
        }));
    for (path, from, source) in copied {
        let body = match checked.get(&from) {
            Some(key) => Body::Checked(from, *key),
            None => Body::Copy(from),
        };
        let file = OutFile {
            path: path.clone(),
            body,
        };
        match by_path.get(&path) {
            // The site's static/ overrides the theme's assets by design.
            Some((_, Source::Theme(..))) if matches!(source, Source::Static(_)) => {}
            // The same attachment or picture named twice by one item.
            Some((_, Source::Attachment { item, .. } | Source::Resource { item, .. })) if matches!(source, Source::Attachment { item: i, .. } | Source::Resource { item: i, .. } if i == *item) =>
                {}
            Some((_, earlier)) => {
                diags.push(clash(
                    &source,
                    &path,
                    &format!("{}（{}）", earlier.what(), earlier.file()),
                ));
                continue;
            }
            None => {}
        }
        by_path.insert(path, (file, source));
    }
    let mut files = Vec::with_capacity(by_path.len());
    for (path, (file, source)) in by_path {
        if made.contains(path.as_str()) {
            diags.push(clash(&source, &path, "gongkai 生成的同名文件"));
            continue;
        }
        files.push(file);
    }
    (files, diags)
}

fn clash(source: &Source, path: &str, other: &str) -> Diagnostic {
    Diagnostic::error(
        "collision",
        source.file(),
        format!(
            "{}会发布为 /{path}，与{other}同名，其中一个会被另一个替换掉",
            source.what()
        ),
    )
    .help("给这个文件改一个名称（或放到别的文件夹），让每个发布的文件都有自己的地址。")
}
