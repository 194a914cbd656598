//! What the last build rendered, page by page: a hash of everything each page was made
//! from (the templates, what every page shares, its own context). A build into the same
//! output renders a page again only when that hash changed; the others are left as the
//! last build wrote them, which the output's fingerprint vouches for. One item edited
//! then costs its own page and the pages that show it, found without a hand-kept map
//! of which page shows what.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::theme::Theme;

use crate::ground::digest::{Hasher, Key};

/// The hash of what every page made with `template` shares: `how` it is written (the
/// program, how links are written), the templates it is made from, the values of the
/// global context (`globals`, by name) that those read, and the site's own values
/// (`site`), which every page reads.
pub fn shared(
    theme: &Theme,
    template: &str,
    site: &[u8],
    globals: &[(&str, &[u8])],
    how: &str,
) -> Hasher {
    let mut h = Hasher::default();
    h.update(how.as_bytes());
    h.update(b"\0");
    h.update(site);
    let sources: Vec<&[u8]> = theme
        .closure(template)
        .iter()
        .map(|name| {
            h.update(name.as_bytes());
            let bytes = theme.templates.get(name).map_or(&b""[..], |f| &f.bytes[..]);
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
            bytes
        })
        .collect();
    for (name, value) in globals {
        let word = name.as_bytes();
        if sources
            .iter()
            .any(|src| src.windows(word.len()).any(|w| w == word))
        {
            h.update(word);
            h.update(value);
        }
    }
    h
}

/// Each page's key by its output file, as a build rendered (or kept) it.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMemo {
    /// The keys as hexadecimal text (JSON has no 128-bit numbers).
    pages: BTreeMap<String, String>,
    /// Which fonts the PDFs were set in, for the summary of a build that sets none.
    #[serde(default)]
    fonts: Option<String>,
}

impl PageMemo {
    pub fn get(&self, file: &str) -> Option<Key> {
        self.pages
            .get(file)
            .and_then(|k| crate::ground::digest::from_hex(k))
    }

    pub fn fonts(&self) -> Option<&str> {
        self.fonts.as_deref()
    }

    pub fn set_fonts(&mut self, fonts: Option<String>) {
        self.fonts = fonts;
    }

    pub fn insert(&mut self, file: String, key: Key) {
        self.pages.insert(file, crate::ground::digest::hex(key));
    }
}
