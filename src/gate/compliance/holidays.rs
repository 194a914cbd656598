//! The national calendar of days off and 调休 working days, from the State Council's
//! yearly notices kept in `data/holidays.toml` (with their sources), plus the site's own
//! additions in `[compliance.holidays]`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::days;
use crate::config::{CONFIG_FILE, HolidaysConfig};
use crate::ground::diagnostics::{Diagnostic, Diagnostics};
use crate::input::source_map::SourceMap;

const DATA: &str = include_str!("../../../data/holidays.toml");

/// One notice of data/holidays.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub title: String,
    #[serde(default)]
    pub number: Option<String>,
    pub issued: String,
    /// Where the full text was read.
    pub text: String,
    pub off: Vec<String>,
    pub work: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Data {
    notice: Vec<Notice>,
}

/// The notices shipped with gongkai, oldest first.
pub fn notices() -> &'static [Notice] {
    static N: OnceLock<Vec<Notice>> = OnceLock::new();
    N.get_or_init(|| {
        toml::from_str::<Data>(DATA)
            .map(|d| d.notice)
            .unwrap_or_default()
    })
}

/// Years the shipped notices cover (a year counts when a notice is titled with it).
pub fn years() -> (u32, u32) {
    let ys: Vec<u32> = notices()
        .iter()
        .filter_map(|n| {
            let i = n.title.find("20")?;
            n.title.get(i..i + 4)?.parse().ok()
        })
        .collect();
    (
        ys.iter().copied().min().unwrap_or(0),
        ys.iter().copied().max().unwrap_or(0),
    )
}

/// Which days are days off and which weekend days are worked.
pub struct Calendar {
    /// true: a day off; false: a working day (a 调休 weekend day).
    special: BTreeMap<i64, bool>,
    pub first_year: u32,
    pub last_year: u32,
    /// Dates in `[compliance.holidays]` that could not be read.
    pub problems: Diagnostics,
}

impl Calendar {
    pub fn new(extra: &HolidaysConfig, source: &SourceMap) -> Calendar {
        let mut special = BTreeMap::new();
        let mut apply = |list: &[String], off: bool, bad: &mut Vec<String>| {
            for s in list {
                match days::parse_range(s) {
                    Some((a, b)) => (a..=b).for_each(|n| {
                        special.insert(n, off);
                    }),
                    None => bad.push(s.clone()),
                }
            }
        };
        let mut ignored = Vec::new();
        for n in notices() {
            apply(&n.off, true, &mut ignored);
            apply(&n.work, false, &mut ignored);
        }
        let mut problems = Diagnostics::new();
        for (key, list, off) in [("off", &extra.off, true), ("work", &extra.work, false)] {
            let mut bad = Vec::new();
            apply(list, off, &mut bad);
            for b in bad {
                problems.push(
                    Diagnostic::error(
                        "config",
                        CONFIG_FILE,
                        format!("[compliance.holidays] {key} 中的 `{b}` 不是日期或日期范围"),
                    )
                    .at(source.pos(&["compliance".into(), "holidays".into(), key.into()]))
                    .help("写成 \"2027-01-01\" 或 \"2027-01-01..2027-01-03\"。"),
                );
            }
        }
        let (first_year, last_year) = years();
        Calendar {
            special,
            first_year,
            last_year,
            problems,
        }
    }

    pub fn is_working_day(&self, n: i64) -> bool {
        match self.special.get(&n) {
            Some(off) => !off,
            None => !days::is_weekend(n),
        }
    }

    /// Working days after day `from` up to and including day `to`.
    pub fn working_days_between(&self, from: i64, to: i64) -> i64 {
        (from + 1..=to).filter(|n| self.is_working_day(*n)).count() as i64
    }

    /// Whether the calendar knows the holidays of `year`.
    pub fn covers(&self, year: u32) -> bool {
        (self.first_year..=self.last_year).contains(&year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::date::Date;

    fn n(s: &str) -> i64 {
        days::number(Date::parse(s).unwrap())
    }

    #[test]
    fn the_shipped_notices_parse_and_each_names_its_source() {
        let list = notices();
        assert!(list.len() >= 8, "{}", list.len());
        for notice in list {
            assert!(notice.title.starts_with("国务院办公厅"), "{}", notice.title);
            assert!(notice.text.starts_with("http"), "{}", notice.title);
            for d in notice.off.iter().chain(&notice.work) {
                assert!(days::parse_range(d).is_some(), "{d} in {}", notice.title);
            }
        }
        assert_eq!(years(), (2019, 2026));
    }

    #[test]
    fn tiaoxiu_saturdays_are_worked_and_holidays_are_not() {
        let c = Calendar::new(&HolidaysConfig::default(), &SourceMap::default());
        assert!(c.is_working_day(n("2026-02-14")), "调休 Saturday");
        assert!(!c.is_working_day(n("2026-02-16")), "春节 Monday");
        assert!(!c.is_working_day(n("2020-02-01")), "the 2020 extension");
        assert!(c.is_working_day(n("2019-05-05")), "the 2019 劳动节 change");
        assert!(!c.is_working_day(n("2019-05-03")));
        // 2024-09-30 to 2024-10-14: 9-30, 10-8..10-11, 10-12 (调休 Saturday), 10-14.
        assert_eq!(c.working_days_between(n("2024-09-29"), n("2024-10-14")), 7);
    }

    #[test]
    fn a_site_can_add_days() {
        let extra = HolidaysConfig {
            off: vec!["2027-01-01".into()],
            work: vec!["2027-01-02..2027-01-03".into(), "明天".into()],
        };
        let c = Calendar::new(&extra, &SourceMap::default());
        assert!(!c.is_working_day(n("2027-01-01")));
        assert!(c.is_working_day(n("2027-01-03")));
        assert_eq!(c.problems.iter().count(), 1);
    }
}
