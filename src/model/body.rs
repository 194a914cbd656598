//! An item's body, as HTML (for its page) or as text (for the search index). An item this
//! build loaded holds it; an item taken from the last build's load memo ([`super::kept`])
//! holds only where it lies in the memo and its hash. An edit renders a handful of pages
//! and indexes a handful of texts, and copying the 50 MB of bodies of 10,000 items that
//! nothing shows was a sixth of its time.

use std::borrow::Cow;

use crate::ground::digest::{Hasher, Key};
use crate::model::kept::Place;

#[derive(Debug, Clone)]
pub struct Body {
    /// Of its text, the same whether held or kept: a page's key does not tell a body
    /// loaded afresh from one taken from the memo.
    hash: Key,
    held: Held,
}

#[derive(Debug, Clone)]
enum Held {
    Here(String),
    Kept(Place),
}

/// The hash of a body's text.
pub fn hash_of(text: &str) -> Key {
    let mut h = Hasher::default();
    h.update(text.as_bytes());
    h.finish()
}

impl Body {
    pub fn new(text: String) -> Body {
        Body {
            hash: hash_of(&text),
            held: Held::Here(text),
        }
    }

    /// A body left in the memo at `place`, whose text hashes to `hash`.
    pub(crate) fn kept(hash: Key, place: Place) -> Body {
        Body {
            hash,
            held: Held::Kept(place),
        }
    }

    pub fn hash(&self) -> Key {
        self.hash
    }

    /// Its text, a kept one read from the memo. One that does not read back as it was
    /// written gives nothing and marks the memo: the build that took it then starts again
    /// without the memo ([`crate::model::site::Site::kept_unread`]), so no page shows the
    /// nothing.
    pub fn text(&self) -> Cow<'_, str> {
        match &self.held {
            Held::Here(t) => Cow::Borrowed(t),
            Held::Kept(p) => match p.read(self.hash) {
                Some(t) => Cow::Owned(t),
                None => {
                    p.unread();
                    Cow::Borrowed("")
                }
            },
        }
    }

    /// Its text, or `None` when it is kept and does not read back (nothing marked): for
    /// writing it into a memo again.
    pub(crate) fn try_text(&self) -> Option<Cow<'_, str>> {
        match &self.held {
            Held::Here(t) => Some(Cow::Borrowed(t)),
            Held::Kept(p) => p.read(self.hash).map(Cow::Owned),
        }
    }

    /// Whether its text has no more than `max` characters, known without reading a kept
    /// one (the search index keeps that many of each page).
    pub fn within(&self, max: usize) -> bool {
        match &self.held {
            Held::Here(t) => t.len() <= max || t.chars().count() <= max,
            Held::Kept(p) => match p.chars() {
                Some(chars) => chars <= max,
                None => self.text().chars().count() <= max,
            },
        }
    }
}

impl From<String> for Body {
    fn from(text: String) -> Body {
        Body::new(text)
    }
}
