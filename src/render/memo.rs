//! What the last build rendered, page by page: a hash of everything each page was made
//! from (the templates, what every page shares, its own context). A build into the same
//! output renders a page again only when that hash changed; the others are left as the
//! last build wrote them, which the output's fingerprint vouches for. One item edited
//! then costs its own page and the pages that show it, found without a hand-kept map
//! of which page shows what.

use serde::{Deserialize, Serialize};

use super::theme::Theme;

use crate::ground::ByName;
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

/// Each page's key by its output file, as a build rendered (or kept) it. Kept as JSON,
/// the keys as hexadecimal text in the order of the files (JSON has no 128-bit numbers);
/// held as numbers, looked up by hash: a build looks up and sets every page's.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMemo {
    #[serde(with = "crate::ground::kept_json::sorted_hex")]
    pages: ByName<Key>,
    /// Which fonts the PDFs were set in, for the summary of a build that sets none.
    #[serde(default)]
    fonts: Option<String>,
}

impl PageMemo {
    pub fn get(&self, file: &str) -> Option<Key> {
        self.pages.get(file).copied()
    }

    pub fn fonts(&self) -> Option<&str> {
        self.fonts.as_deref()
    }

    pub fn set_fonts(&mut self, fonts: Option<String>) {
        self.fonts = fonts;
    }

    pub fn insert(&mut self, file: String, key: Key) {
        self.pages.insert(file, key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kept as the ordered map of hexadecimal text it always was, whatever order the pages
    /// were set in, and read back as it was set.
    #[test]
    fn the_pages_keys_are_kept_in_order_as_hexadecimal_text() {
        let mut memo = PageMemo::default();
        memo.insert("zwgk/公开信息00002/index.html".into(), 0x2a);
        memo.insert("news/2024/通知/index.html".into(), u128::MAX);
        memo.insert("index.html".into(), 1 << 100);
        let json = serde_json::to_string(&memo).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"pages":{"index.html":"00000010000000000000000000000000","#,
                r#""news/2024/通知/index.html":"ffffffffffffffffffffffffffffffff","#,
                r#""zwgk/公开信息00002/index.html":"0000000000000000000000000000002a"},"#,
                r#""fonts":null}"#
            )
        );
        let back: PageMemo = serde_json::from_str(&json).unwrap();
        assert_eq!(back, memo);
        assert_eq!(back.get("news/2024/通知/index.html"), Some(u128::MAX));
        assert_eq!(back.get("news/2024/没有/index.html"), None);
        let broken = json.replace("0000002a", "0000002g");
        assert!(serde_json::from_str::<PageMemo>(&broken).is_err());
    }
}
