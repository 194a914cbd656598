//! The gate between loading and rendering: what may be published.

pub mod compliance;
pub mod validate;
