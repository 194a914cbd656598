//! What waits: 定时发布 (an item or report dated after the build's day is published by
//! the first build on or after that day, as Hugo's `buildFuture = false` and the CMSs
//! editors come from do) and 审核签发 (with `[review] required`, an item or report without
//! its sign-off waits for whoever must still act).

use super::review;
use super::{Held, Why};
use crate::config::Config;
use crate::ground::date::Date;
use crate::model::content::SignOff;
use crate::model::site::{ContentFile, Site};

/// What the gate reads of an item or a report to hold it back.
pub struct Front<'a> {
    pub title: &'a str,
    /// Its publication date (a report's `published`, when written).
    pub date: Option<Date>,
    pub review: Option<&'a SignOff>,
}

impl<'a> Front<'a> {
    /// The front of a loaded content file, if it is an item.
    pub(crate) fn of(file: &'a ContentFile) -> Option<Front<'a>> {
        match file {
            ContentFile::News(n) => Some(Front {
                title: &n.front.title,
                date: Some(n.front.date),
                review: n.front.review.as_ref(),
            }),
            ContentFile::Disclosure(x) => Some(Front {
                title: &x.front.title,
                date: Some(x.front.date),
                review: x.front.review.as_ref(),
            }),
            _ => None,
        }
    }
}

/// The calendar day of a date, whatever its time.
fn ymd(d: Date) -> (u32, u32, u32) {
    (d.year, d.month, d.day)
}

/// Why `front` may not be published on `day`, if it may not. An unsigned item waits for a
/// person, a scheduled one only for its day: unsigned is said first.
pub fn holds(front: &Front, config: &Config, day: Date) -> Option<Why> {
    if config.review.required {
        let missing = review::missing(front.review, day);
        if !missing.is_empty() {
            return Some(Why::Unsigned { missing });
        }
    }
    front
        .date
        .filter(|d| ymd(*d) > ymd(day))
        .map(|date| Why::Scheduled { date })
}

/// Takes out of `site` what may not be published on `day`, and lists it.
pub fn hold_back(site: &mut Site, day: Date) -> Vec<Held> {
    let mut held = held(site, day);
    if held.is_empty() {
        return held;
    }
    let out: std::collections::BTreeSet<String> = held.iter().map(|h| h.file.clone()).collect();
    site.news.retain(|n| !out.contains(&n.file));
    site.disclosure.retain(|x| !out.contains(&x.file));
    site.reports.retain(|r| !out.contains(&r.file));
    site.messages.retain(|m| !out.contains(&m.file));
    site.services.retain(|x| !out.contains(&x.file));
    site.leaders.retain(|l| !out.contains(&l.file));
    site.website_reports.retain(|r| !out.contains(&r.file));
    if site
        .organization
        .as_ref()
        .is_some_and(|o| out.contains(&o.file))
    {
        site.organization = None;
    }
    held.sort_by(|a, b| a.file.cmp(&b.file));
    held
}

/// The fronts of what a 政府网站 publishes beyond the 专栏: 留言, 办事指南 and 报表 wait for
/// their day and their sign-off; 机构职能 and 领导信息, which carry the day they were
/// checked rather than published, wait only for their sign-off.
fn website_fronts(site: &Site) -> impl Iterator<Item = (&String, Front<'_>)> {
    let messages = site.messages.iter().map(|m| {
        (
            &m.file,
            Front {
                title: &m.front.title,
                date: Some(m.date()),
                review: m.front.review.as_ref(),
            },
        )
    });
    let services = site.services.iter().map(|x| {
        (
            &x.file,
            Front {
                title: &x.front.title,
                date: Some(x.front.date),
                review: x.front.review.as_ref(),
            },
        )
    });
    let leaders = site.leaders.iter().map(|l| {
        (
            &l.file,
            Front {
                title: &l.front.name,
                date: None,
                review: l.front.review.as_ref(),
            },
        )
    });
    let organization = site.organization.iter().map(|o| {
        (
            &o.file,
            Front {
                title: &o.front.title,
                date: None,
                review: o.front.review.as_ref(),
            },
        )
    });
    let reports = site.website_reports.iter().map(|r| {
        (
            &r.file,
            Front {
                title: &r.title,
                date: r.published,
                review: r.review.as_ref(),
            },
        )
    });
    messages
        .chain(services)
        .chain(leaders)
        .chain(organization)
        .chain(reports)
}

/// What `hold_back` would take out of `site` on `day`, by file.
pub fn held(site: &Site, day: Date) -> Vec<Held> {
    let config = &site.config;
    let fronts = site
        .news
        .iter()
        .map(|n| {
            (
                &n.file,
                Front {
                    title: &n.front.title,
                    date: Some(n.front.date),
                    review: n.front.review.as_ref(),
                },
            )
        })
        .chain(site.disclosure.iter().map(|x| {
            (
                &x.file,
                Front {
                    title: &x.front.title,
                    date: Some(x.front.date),
                    review: x.front.review.as_ref(),
                },
            )
        }))
        .chain(site.reports.iter().map(|r| {
            (
                &r.file,
                Front {
                    title: &r.title,
                    date: r.published,
                    review: r.review.as_ref(),
                },
            )
        }))
        .chain(website_fronts(site));
    let mut held: Vec<Held> = fronts
        .filter_map(|(file, front)| {
            holds(&front, config, day).map(|why| Held {
                file: file.clone(),
                title: front.title.to_string(),
                why,
            })
        })
        .collect();
    held.sort_by(|a, b| a.file.cmp(&b.file));
    held
}
