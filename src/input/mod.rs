//! Reading what editors save, before it means anything: [`text_file`] (UTF-8 with or
//! without a byte-order mark, CRLF or LF; GBK and UTF-16 named as errors), [`syntax`]
//! (YAML and TOML errors in Chinese), [`strict`] (unknown keys, with the nearest one),
//! [`source_map`] (where in a file each value was written), [`keys`] (the Chinese names of
//! keys) and [`placeholder`] (skeleton text that must not go live).

pub mod keys;
pub mod placeholder;
pub mod source_map;
pub mod strict;
pub mod syntax;
pub mod text_file;
