//! A calendar date with an optional time of day, as editors write them: read, written
//! back in the forms pages, feeds and sitemaps need, and compared in time.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date with an optional time of day, as written in front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    /// Seconds since midnight, when a time was given.
    pub time: Option<u32>,
    /// Offset from UTC in minutes; China Standard Time (+08:00) when not written.
    pub offset_min: i32,
}

/// The years a date may have. Content of today's agencies is dated after the founding of
/// the People's Republic (a disclosure catalogue may list regulations of the 1950s), and
/// nothing real is dated after 2100; outside lie typing slips (`0023`, `20233`) that would
/// sort an item first or last for ever, or write a year no feed reader understands.
pub const YEARS: std::ops::RangeInclusive<u32> = 1949..=2100;

impl Date {
    /// Parses `2024-01-31`, `2024-01-31 09:30`, `2024-01-31T09:30:00+08:00` and `…Z`, in
    /// the years [`YEARS`].
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let (date, rest) = s.split_at(s.find(['T', ' ', 't']).unwrap_or(s.len()));
        let mut parts = date.split('-');
        let year: u32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        if parts.next().is_some()
            || !YEARS.contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        let mut d = Date {
            year,
            month,
            day,
            time: None,
            offset_min: 8 * 60,
        };
        let rest = rest.get(1..).unwrap_or("").trim();
        if rest.is_empty() {
            return Some(d);
        }
        let (clock, zone) = match rest.find(['+', '-', 'Z', 'z']) {
            Some(i) => (rest[..i].trim(), &rest[i..]),
            None => (rest, ""),
        };
        let mut hms = clock.split(':');
        let h: u32 = hms.next()?.parse().ok()?;
        let m: u32 = hms.next()?.parse().ok()?;
        let sec: u32 = match hms.next() {
            Some(x) => x.split('.').next()?.parse().ok()?,
            None => 0,
        };
        if h > 23 || m > 59 || sec > 60 {
            return None;
        }
        d.time = Some(h * 3600 + m * 60 + sec);
        if zone.eq_ignore_ascii_case("z") {
            d.offset_min = 0;
        } else if !zone.is_empty() {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            // `+08:00`, `+0800` or `+08`; hours and minutes as RFC 3339 bounds them.
            let digits = &zone[1..];
            let (oh, om) = match digits.split_once(':') {
                Some(hm) => hm,
                None if digits.len() == 4 => digits.split_at_checked(2)?,
                None => (digits, "0"),
            };
            let (oh, om): (i32, i32) = (oh.parse().ok()?, om.parse().ok()?);
            if !(0..=23).contains(&oh) || !(0..=59).contains(&om) {
                return None;
            }
            d.offset_min = sign * (oh * 60 + om);
        }
        Some(d)
    }

    /// Today in China Standard Time, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Date::from_days((secs + 8 * 3600).div_euclid(86_400))
    }

    /// The date `days` days after 1970-01-01 (the civil calendar, proleptic Gregorian).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u32;
        Date {
            year,
            month,
            day,
            time: None,
            offset_min: 8 * 60,
        }
    }

    /// A date written another way (`2024年12月20日`, `2024/12/20`, `2024.12.20`,
    /// full-width digits), read so that a message can show it as it must be written.
    pub fn suggest(s: &str) -> Option<Date> {
        let folded = crate::ground::text::fold_str(s.trim());
        let parts: Vec<u32> = folded
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [y, m, d] = parts[..] else {
            return None;
        };
        Date::parse(&format!("{y:04}-{m:02}-{d:02}"))
    }

    /// How to write the date `s` that could not be read.
    pub fn advice(s: &str) -> String {
        match Date::suggest(s) {
            Some(d) => format!("日期写成 年-月-日：{}。", d.ymd()),
            None => "日期写成 年-月-日，如 2024-01-31；要写时间就写 2024-01-31 09:30。".into(),
        }
    }

    /// Why `s` is not a date, in words for the editor.
    pub fn problem(s: &str) -> String {
        let mut parts = s.trim().split('-');
        let year = parts.next().and_then(|y| y.parse::<u64>().ok());
        let out_of_range = |y: u64| u32::try_from(y).map_or(true, |y| !YEARS.contains(&y));
        match year {
            Some(y) if parts.count() >= 2 && out_of_range(y) => format!(
                "日期 `{s}` 的年份 {y} 不在 {} 年到 {} 年之间，写成 2024-01-31 这样的日期",
                YEARS.start(),
                YEARS.end()
            ),
            _ => format!("日期 `{s}` 的写法不对"),
        }
    }

    /// `2024-01-31`
    pub fn ymd(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `2024年1月31日`
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// RFC 3339, for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        let t = self.time.unwrap_or(0);
        let off = self.offset_min.abs();
        let sign = if self.offset_min < 0 { '-' } else { '+' };
        format!(
            "{}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            self.ymd(),
            t / 3600,
            t / 60 % 60,
            t % 60,
            off / 60,
            off % 60
        )
    }

    /// A key that orders dates in time (UTC seconds since year 0, roughly).
    pub fn sort_key(&self) -> i64 {
        let days = i64::from(self.year) * 372 + i64::from(self.month) * 31 + i64::from(self.day);
        days * 86_400 + i64::from(self.time.unwrap_or(0)) - i64::from(self.offset_min) * 60
    }
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ymd())
    }
}

thread_local! {
    static EXACT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with dates serialized so that they read back as they were: a date without a
/// time as `2024-01-31`, not as midnight. Pages and feeds get RFC 3339 always; a memo of
/// loaded files (`model::kept`) must get back the very value.
pub fn exactly<T>(f: impl FnOnce() -> T) -> T {
    let was = EXACT.with(|e| e.replace(true));
    let out = f();
    EXACT.with(|e| e.set(was));
    out
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.time.is_none() && EXACT.with(std::cell::Cell::get) {
            return s.serialize_str(&self.ymd());
        }
        s.serialize_str(&self.rfc3339())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 2024-01-31 or 2024-01-31T09:30:00+08:00")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Date, E> {
                Date::parse(s)
                    .ok_or_else(|| E::custom(format!("{}||{}", Date::problem(s), Date::advice(s))))
            }
            // TOML datetimes arrive as a one-entry map.
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                let Some((_, v)) = map.next_entry::<String, String>()? else {
                    return Err(serde::de::Error::custom("empty date"));
                };
                self.visit_str(&v)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_written_exactly_reads_back_as_it_was() {
        for text in [
            "2024-01-31",
            "2024-01-31 09:30",
            "2024-01-31T00:00:00Z",
            "2024-02-29T23:59:59-05:00",
        ] {
            let date = Date::parse(text).unwrap();
            let json = exactly(|| serde_json::to_string(&date)).unwrap();
            assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), date, "{text}");
        }
        // Pages and feeds still get RFC 3339, midnight for a date without a time.
        let day = Date::parse("2024-01-31").unwrap();
        assert_eq!(
            serde_json::to_string(&day).unwrap(),
            "\"2024-01-31T00:00:00+08:00\""
        );
    }
}
