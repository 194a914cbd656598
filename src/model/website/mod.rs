//! What a 政府网站 publishes beyond the 专栏 and the news, as content files: 留言 answered
//! through the 互动交流 channel ([`message`], `content/messages/`), 办事指南 ([`service`],
//! `content/services/`), 机构职能 and 领导信息 ([`organization`], `content/organization/`
//! and `content/leaders/`). Each is Markdown with front matter, read like news items:
//! every problem at its line, drafts left out, keys in English or Chinese.

pub mod message;
pub mod organization;
pub mod service;

use crate::ground::diagnostics::Diagnostics;
use crate::model::content::{self, Document, FrontMatter};
use crate::model::loading::{Place, drafted, placeholder_left};

pub use message::Message;
pub use organization::{Leader, Organization};
pub use service::Service;

/// The folders of `content/` these kinds are read from.
pub const SECTIONS: &[&str] = &["messages", "services", "organization", "leaders"];

/// What one content file of these kinds turned out to be.
pub(crate) enum Loaded {
    Message(Box<Message>),
    Service(Box<Service>),
    Organization(Box<Organization>),
    Leader(Box<Leader>),
    Draft,
    Nothing,
}

/// Front matter that can mark its file a draft.
pub(crate) trait Front: FrontMatter {
    fn draft(&self) -> bool;
}

enum Read<F> {
    Doc(Document<F>),
    Draft,
    Unreadable,
}

/// Reads a file of `section` (one of [`SECTIONS`]).
pub(crate) fn load(section: &str, at: &Place, text: &str, diags: &mut Diagnostics) -> Loaded {
    match section {
        "messages" => message::load(at, text, diags),
        "services" => service::load(at, text, diags),
        "organization" => organization::load_organization(at, text, diags),
        _ => organization::load_leader(at, text, diags),
    }
}

/// The front matter and body of a file, its problems reported; a draft's as warnings.
fn read<F: Front>(at: &Place, text: &str, diags: &mut Diagnostics) -> Read<F> {
    let mut own = Diagnostics::new();
    let Some(doc) = content::parse_document::<F>(text, &at.file, &mut own) else {
        diags.extend(own);
        return Read::Unreadable;
    };
    if doc.front.draft() && !at.opts.include_drafts {
        diags.extend(drafted(own));
        return Read::Draft;
    }
    diags.extend(own);
    placeholder_left(at, text, diags);
    Read::Doc(doc)
}

/// The slug of a file: its front matter's, else its name, in the site's path style.
fn slug_of(at: &Place, front: Option<&str>) -> String {
    let stem = at
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let s = at.config.paths.slug(front.unwrap_or(&stem));
    if s.is_empty() { "item".to_string() } else { s }
}

/// The line of a Markdown file its body starts on: the first line after the closing
/// `---` (or `+++`) that is not blank, as the body is read.
fn body_line(text: &str) -> usize {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delim = if text.starts_with("+++") {
        "+++"
    } else {
        "---"
    };
    let mut lines = text.lines().enumerate().skip(1);
    if !lines.by_ref().any(|(_, l)| l.trim_end() == delim) {
        return 1;
    }
    lines
        .find(|(_, l)| !l.trim().is_empty())
        .map_or(1, |(i, _)| i + 1)
}
