//! What loading a content file needs, shared by the loaders of every kind of content (the
//! site's and the 政府网站 kinds'): where the file is, the options of the load, and the
//! rules every kind follows (drafts, skeleton words).

use std::path::Path;

use crate::config::Config;
use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::model::catalogue::Catalogue;

/// How to load: which base URL to use and whether drafts are wanted.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Overrides `base_url` of site.toml (e.g. the preview server's address).
    pub base_url: Option<String>,
    pub include_drafts: bool,
    /// Write every link relative to its page (`gongkai build --relative`).
    pub relative: bool,
}

/// Where a content file is and what loading it needs.
pub(crate) struct Place<'a> {
    pub(crate) root: &'a Path,
    /// The root as the file system resolves it, once a load: what a file beside an item
    /// must lie inside.
    pub(crate) canonical_root: &'a Path,
    pub(crate) path: &'a Path,
    /// The folder the file is in (attachments are found from here).
    pub(crate) dir: &'a Path,
    /// The file relative to the root, for messages.
    pub(crate) file: String,
    pub(crate) config: &'a Config,
    pub(crate) catalogue: &'a Catalogue,
    pub(crate) base_path: &'a str,
    pub(crate) opts: &'a LoadOptions,
    /// When the load is kept for the next build: the files beside it that it looked at
    /// (attachments, pictures), each as it was before the load looked, since the kept
    /// load holds only while they stay so.
    pub(crate) looked: Option<&'a std::cell::RefCell<Vec<crate::model::kept::Probe>>>,
}

impl Place<'_> {
    /// Notes the file at `path` as it is, before the load looks at it.
    pub(crate) fn look(&self, path: &Path) {
        if let Some(looked) = self.looked {
            looked
                .borrow_mut()
                .push(crate::model::kept::Probe::now(path));
        }
    }
}

/// The problems of a draft as warnings: shown, but not holding back the build.
pub(crate) fn drafted(d: Diagnostics) -> Diagnostics {
    d.into_iter()
        .map(|mut x| {
            x.severity = crate::ground::diagnostics::Severity::Warning;
            x.message = format!("（草稿）{}", x.message);
            x
        })
        .collect()
}

/// An error where an item about to be published still holds a skeleton's words.
pub(crate) fn placeholder_left(at: &Place, text: &str, diags: &mut Diagnostics) {
    if let Some((i, phrase)) = crate::input::placeholder::find(text) {
        diags.push(
            Diagnostic::error(
                "placeholder",
                &at.file,
                format!("正文还是示例或骨架里的文字（“{phrase}……”），会原样发布"),
            )
            .at(Some(crate::ground::diagnostics::Pos::of_offset(text, i)))
            .help("写上正文；还没写好就在前置信息里写 draft: true，草稿不会发布（gongkai serve --drafts 可以预览）。"),
        );
    }
}
