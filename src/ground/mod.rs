//! The ground floor: what every layer stands on and that knows nothing of sites —
//! [`diagnostics`] (the problems found, with file, line and fix), [`fs`] (safe walks and
//! file operations that name their path), [`memory`] (freed memory handed back
//! between phases), [`date`] (the civil calendar), [`text`]
//! (full-width and traditional forms folded), [`html`] (links read by a tokenizer),
//! [`fnv`] (a stable hash for fingerprints), [`digest`] (the 128-bit keys of what
//! was made from what) and [`kept_json`] (how memos write keys and maps by hash).

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
