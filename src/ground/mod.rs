//! The ground floor: what every layer stands on and that knows nothing of sites —
//! [`diagnostics`] (the problems found, with file, line and fix), [`fs`] (safe walks and
//! file operations that name their path), [`memory`] (freed memory handed back
//! between phases), [`date`] (the civil calendar), [`text`]
//! (full-width and traditional forms folded), [`html`] (links read by a tokenizer),
//! [`fnv`] (a stable hash for fingerprints), [`digest`] (the 128-bit keys of what
//! was made from what), [`kept_json`] (how memos write keys and maps by hash) and
//! [`ByName`] (the maps by file or page name every build fills and looks up).

pub mod date;
pub mod diagnostics;
pub mod digest;
pub mod fnv;
pub mod fs;
pub mod html;
pub mod kept_json;
pub mod memory;
pub mod stat;
pub mod text;

/// A map by file or page name. A build looks up each of its 11,000 sources and 12,000
/// pages several times in maps like these; the names are the site's own, not an
/// adversary's, so they are hashed with FxHash rather than the standard library's
/// SipHash, which guards against chosen keys at several times the cost.
pub type ByName<V> = rustc_hash::FxHashMap<String, V>;
