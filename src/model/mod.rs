//! A site as a value: [`site`] (its config and everything loaded from `content/` and
//! `static/`), [`content`] (news and disclosure items with their front matter and
//! attachments) and [`markdown`] (their bodies). The yearly reports ([`crate::model::report`]),
//! the catalogue ([`crate::model::catalogue`]) and the config ([`crate::config`]) are the model's
//! other rooms.

pub mod body;
pub mod catalogue;
pub mod content;
pub mod kept;
pub mod loading;
pub mod markdown;
pub mod reload;
pub mod report;
pub mod site;
pub mod website;
pub mod website_report;
