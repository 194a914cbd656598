//! The figures of a 报表 the site knows of itself ([`Known`]), for one year: counted
//! from what it publishes, read from site.toml. The gate compares them with what the
//! editor typed; the page shows them.

use std::collections::BTreeMap;

use super::Value;
use super::form::{FORM, Known, Source};
use crate::ground::date::Date;
use crate::model::site::Site;

/// Every known figure of `year`, by (section, field) key.
pub fn compute(site: &Site, year: u32) -> BTreeMap<(&'static str, &'static str), Value> {
    let mut out = BTreeMap::new();
    for s in FORM.sections {
        for f in s.fields {
            if let Source::Known(k) = f.source
                && let Some(v) = known(site, year, k)
            {
                out.insert((s.key, f.key), v);
            }
        }
    }
    out
}

fn in_year(d: Date, year: u32) -> bool {
    d.year == year
}

fn count(n: usize) -> Option<Value> {
    Some(Value::Count(n as u64))
}

fn text(s: Option<&str>) -> Option<Value> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Value::Text(s.to_string()))
}

/// One known figure, or `None` when the site does not say (an identity left empty).
fn known(site: &Site, year: u32, k: Known) -> Option<Value> {
    let c = &site.config;
    let a = &c.agency;
    match k {
        Known::SiteName => text(Some(&c.title)),
        Known::HomeUrl => text(Some(&c.base_url())),
        Known::Sponsor => text(Some(&a.sponsor)),
        Known::SiteCode => text(a.site_code.as_deref()),
        Known::Icp => text(a.icp.as_deref()),
        Known::PoliceRecord => text(a.police_record.as_deref()),
        Known::OverviewUpdates => count(
            site.organization
                .iter()
                .filter(|o| in_year(o.front.updated, year))
                .count()
                + site
                    .leaders
                    .iter()
                    .filter(|l| in_year(l.front.updated, year))
                    .count(),
        ),
        Known::NewsUpdates => count(
            site.news
                .iter()
                .filter(|n| in_year(n.front.date, year))
                .count(),
        ),
        Known::CatalogueUpdates => count(
            site.disclosure
                .iter()
                .filter(|d| in_year(d.front.date, year))
                .count(),
        ),
        Known::TopicsMaintained | Known::TopicsOpened => {
            let opened = k == Known::TopicsOpened;
            count(
                c.columns
                    .iter()
                    .filter(|col| col.special)
                    .filter(|col| {
                        let dates = site
                            .news
                            .iter()
                            .filter(|n| n.front.category.as_deref() == Some(col.name.as_str()))
                            .map(|n| n.front.date);
                        if opened {
                            dates.map(|d| d.year).min() == Some(year)
                        } else {
                            dates.into_iter().any(|d| in_year(d, year))
                        }
                    })
                    .count(),
            )
        }
        Known::Interpretations => count(
            site.disclosure
                .iter()
                .filter(|d| {
                    d.front.kind == crate::model::content::DisclosureKind::Interpretation
                        && in_year(d.front.date, year)
                })
                .count(),
        ),
        Known::ServiceCatalogue => Some(Value::YesNo(!site.services.is_empty())),
        Known::Services => count(site.services.len()),
        Known::ServicesOnline => count(
            site.services
                .iter()
                .filter(|s| s.front.fully_online)
                .count(),
        ),
        Known::UnifiedPlatform => Some(Value::YesNo(c.interaction.unified)),
        Known::MessagesReceived => count(
            site.messages
                .iter()
                .filter(|m| in_year(m.front.received, year))
                .count(),
        ),
        Known::MessagesClosed | Known::MessagesPublished => count(answered(site, year).count()),
        Known::MessageDays => {
            let days: Vec<i64> = answered(site, year)
                .filter_map(|m| m.days_to_reply())
                .collect();
            let tenths = if days.is_empty() {
                0
            } else {
                let sum: i64 = days.iter().sum();
                (sum * 10 + days.len() as i64 / 2) / days.len() as i64
            };
            Some(Value::Decimal(format!("{}.{}", tenths / 10, tenths % 10)))
        }
        Known::HasMedia => Some(Value::YesNo(!c.media.is_empty())),
        Known::WeiboName => text(
            c.media
                .iter()
                .find(|m| m.is_on("微博"))
                .map(|m| m.name.as_str()),
        ),
        Known::WechatName => text(
            c.media
                .iter()
                .find(|m| m.is_on("微信"))
                .map(|m| m.name.as_str()),
        ),
        Known::OtherMedia => {
            let others: Vec<String> = c
                .media
                .iter()
                .filter(|m| !m.is_on("微博") && !m.is_on("微信"))
                .map(|m| format!("{}（{}）", m.name, m.platform))
                .collect();
            Some(Value::Text(if others.is_empty() {
                "无".into()
            } else {
                others.join("、")
            }))
        }
    }
}

/// The 留言 answered in `year`.
fn answered(site: &Site, year: u32) -> impl Iterator<Item = &crate::model::website::Message> {
    site.messages
        .iter()
        .filter(move |m| m.front.replied.is_some_and(|d| in_year(d, year)))
}
