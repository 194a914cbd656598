//! What the gate found in each published text, kept by a hash of the text and of
//! everything its findings depend on (the numbers allowed, the year, the word list, the
//! program). Reading every text for personal data and wrong wording is most of the gate's
//! time; a build after one edit reads the edited text again and takes each other text's
//! findings as the last build found them — the same findings, since nothing they depend on
//! changed. The key is made from the text's content as the build loaded it (an
//! attachment: its bytes), and the load takes a text unchanged by its stamp; so is an
//! attachment's key taken from here while its stamp is the one its bytes were read with
//! (a PDF is not read on every edit to find it unchanged). A text read again for its
//! findings must still be the one loaded ([`super::sources::Changed`]), and an attachment
//! is copied into the output only with the bytes its key was made of
//! ([`crate::output::Body::Checked`]).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::rule;
use super::sources::Source;
use crate::ground::ByName;
use crate::ground::diagnostics::Pos;
use crate::ground::digest::{Hasher, Key, Stamp, from_hex, hex};

/// A finding in one text: (check, position, message, fix).
pub type Hit = (&'static str, Option<Pos>, String, String);

/// The findings of one text: personal data, then wording.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub privacy: Vec<Hit>,
    pub wording: Vec<Hit>,
    /// The text was no longer what the build loaded: not judged, and not kept.
    pub changed: bool,
}

/// Each text's findings and key, by its file, as the last gate found them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TextMemo {
    #[serde(with = "crate::ground::kept_json::sorted")]
    texts: ByName<Saved>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Saved {
    #[serde(with = "crate::ground::kept_json::hex")]
    key: Key,
    privacy: Vec<SavedHit>,
    wording: Vec<SavedHit>,
    /// An attachment's stamp and the key of its bytes read at that stamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bytes: Option<(Stamp, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedHit {
    rule: String,
    pos: Option<Pos>,
    message: String,
    fix: String,
}

fn save(hits: &[Hit]) -> Vec<SavedHit> {
    hits.iter()
        .map(|(id, pos, message, fix)| SavedHit {
            rule: id.to_string(),
            pos: *pos,
            message: message.clone(),
            fix: fix.clone(),
        })
        .collect()
}

/// Hits read back; none when a check's name is unknown (a memo from elsewhere).
fn restore(saved: &[SavedHit]) -> Option<Vec<Hit>> {
    saved
        .iter()
        .map(|h| rule(&h.rule).map(|r| (r.id, h.pos, h.message.clone(), h.fix.clone())))
        .collect()
}

impl TextMemo {
    /// The stamp attachment `file` had and the key of its bytes then.
    pub fn bytes_of(&self, file: &str) -> Option<(Stamp, Key)> {
        let (stamp, key) = self.texts.get(file)?.bytes.as_ref()?;
        Some((*stamp, from_hex(key)?))
    }

    /// The findings of `source` with `key`, if that is what was found before.
    fn get(&self, source: &Source, key: Key) -> Option<Found> {
        let saved = self.texts.get(&source.file)?;
        if saved.key != key {
            return None;
        }
        Some(Found {
            privacy: restore(&saved.privacy)?,
            wording: restore(&saved.wording)?,
            changed: false,
        })
    }
}

/// The key of one text read under `rules` (a hash of what every text's findings depend
/// on): its file, the numbers its item allows and what its lines are made from.
fn key(rules: &Hasher, source: &Source) -> Key {
    let mut h = rules.clone();
    h.piece(source.file.as_bytes());
    for n in &source.allowed {
        h.piece(n.as_bytes());
    }
    h.update(b"\0content");
    source.digest(&mut h);
    h.finish()
}

/// The findings of every text (in their order), taken from `last` where a text and the
/// `rules` are as they were, made by `find` (in parallel) where not; and the memo of
/// them all for the next build.
pub fn find_all(
    texts: &[Source],
    rules: &Hasher,
    last: Option<&TextMemo>,
    find: impl Fn(&Source) -> Found + Sync,
) -> (Vec<Found>, TextMemo) {
    // Thirty-two texts at a time: the attachments come last and each costs a thousand
    // texts (a PDF read), so they are never left to one thread (500 PDFs beside 11,000
    // items: 11.9 s of a full build on one core of two, 6.8 s on both).
    let found: Vec<(Key, Found)> = texts
        .par_iter()
        .with_max_len(32)
        .map(|source| {
            let key = key(rules, source);
            let found = last
                .and_then(|m| m.get(source, key))
                .unwrap_or_else(|| find(source));
            (key, found)
        })
        .collect();
    // Made side by side.
    let saved: Vec<(String, Saved)> = texts
        .par_iter()
        .zip(&found)
        .filter(|(_, (_, f))| !f.changed)
        .map(|(source, (key, f))| {
            let saved = Saved {
                key: *key,
                privacy: save(&f.privacy),
                wording: save(&f.wording),
                bytes: source.bytes().map(|(stamp, key)| (stamp, hex(key))),
            };
            (source.file.clone(), saved)
        })
        .collect();
    let memo = TextMemo {
        texts: saved.into_iter().collect(),
    };
    (found.into_iter().map(|(_, f)| f).collect(), memo)
}
