//! gongkai (公开): a static-site generator for government information-disclosure
//! portals (政府信息公开专栏).
//!
//! The folders are the pipeline's layers, each importing only from the layers before it:
//!
//! ```text
//! ground   diagnostics, fs, date, text, html, fnv: what everything stands on
//! input    reading what editors save: encodings, YAML/TOML syntax, unknown keys, positions
//! config   site.toml
//! model    the site as a value (site, content, markdown), with report/ and catalogue/
//! gate     the one function that decides what may be published: validation, the checks
//!          against the 检查指标 (compliance/), 定时发布 and 审核签发
//! render   pages from the theme, report PDFs, the search index
//! output   what is written, where (paths), and what the last build left (fingerprint)
//! build    the pipeline end to end for one site; the preview's in-memory updates
//! ```
//!
//! At the edges, reaching the output only through the gate: [`serve`] (the preview),
//! [`group`] (a portal of many sites), [`deploy`] (publishing a build that passed the gate
//! and is up to date with its sources), [`import`] (published reports into report YAML)
//! and [`scaffold`] (new sites, reports and news). The commands that print live in the
//! binary (`src/cmd/`).

// The crate is the binary's, documented for the people who work on it (`cargo doc
// --document-private-items`): its docs link to private items on purpose.
#![allow(rustdoc::private_intra_doc_links)]

pub mod ground;
pub mod input;

pub mod config;
pub mod model;

pub mod gate;

pub mod output;
pub mod render;

pub mod build;

pub mod deploy;
pub mod group;
pub mod import;
pub mod scaffold;
pub mod serve;
