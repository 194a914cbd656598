//! gongkai (公开): a static-site generator for government information-disclosure
//! portals (政府信息公开专栏).
//!
//! The pipeline, one module per stage: [`config`] (site.toml) → [`site`] and
//! [`content`] (loading) → [`report`] (the yearly report model and its rules) →
//! [`validate`] → [`render`] (pages from the [`theme`], the [`search`] index) →
//! [`output`]. [`build`] runs
//! it end to end ([`reload`] applies edits of items to a built site in memory, for the
//! preview server); [`scaffold`] writes new sites and reports; [`import`] reads published
//! reports into report YAML; [`text_file`] reads what editors save (UTF-8, with or without
//! a byte-order mark, CRLF or LF; GBK named as an error).

pub mod build;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod fingerprint;
pub mod import;
pub mod markdown;
pub mod output;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod reload;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod source_map;
pub mod strict;
pub mod text_file;
pub mod theme;
pub mod validate;
