//! gongkai (公开): a static-site generator for government information-disclosure
//! portals (政府信息公开专栏).
//!
//! The pipeline, one module per stage, each importing only from the stages before it:
//! [`config`] (site.toml) → [`site`] and [`content`] (loading) → [`report`] (the yearly
//! report model and its rules) and [`catalogue`] (the 政府信息公开目录: categories,
//! 索引号, links between items) → [`validate`] (with [`compliance`], the checks against the
//! 检查指标) → [`render`] (pages from the [`theme`],
//! report [`pdf`]s, the [`search`] index) → [`output`]. [`build`] runs it end to end;
//! [`reload`] applies edits of items to a built site in memory for the preview
//! ([`serve`]). At the edges: [`deploy`] publishes a build, [`import`] reads published
//! reports into report YAML, [`scaffold`] writes new sites, reports and news. A portal [`group`] builds many sites (its
//! members) and the pages that gather them. Leaves:
//! [`fs`] (safe walks, file operations that name their path), [`paths`] (every output
//! path, the `[paths]` settings), [`html`] (links read by a tokenizer), [`syntax`]
//! (YAML and TOML errors in Chinese), [`keys`] (the Chinese names of keys),
//! [`placeholder`] (skeleton text that must not go live), [`mime`], [`text`], [`fnv`],
//! [`diagnostics`], [`text_file`] (reads what editors save: UTF-8 with or without a
//! byte-order mark, CRLF or LF; GBK and UTF-16 named as errors). The commands that print
//! live in the binary (`src/cmd/`).

pub mod build;
pub mod catalogue;
pub mod compliance;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod fingerprint;
pub mod fnv;
pub mod fs;
pub mod group;
pub mod html;
pub mod import;
pub mod keys;
pub mod markdown;
pub mod mime;
pub mod output;
pub mod paths;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod placeholder;
pub mod reload;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod source_map;
pub mod strict;
pub mod syntax;
pub mod text;
pub mod text_file;
pub mod theme;
pub mod validate;
