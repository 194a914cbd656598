//! Calendar arithmetic on dates as days: how old an item is, weekdays, months back.

use crate::ground::date::Date;

/// Days since 1970-01-01 of the calendar date of `d` (its time and offset ignored: dates
/// in front matter are local dates); the inverse of [`Date::from_days`].
pub fn number(d: Date) -> i64 {
    // Howard Hinnant's days_from_civil.
    let (y, m, day) = (i64::from(d.year), i64::from(d.month), i64::from(d.day));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Saturday or Sunday.
pub fn is_weekend(n: i64) -> bool {
    // 1970-01-01 was a Thursday.
    matches!((n + 3).rem_euclid(7), 5 | 6)
}

/// The same day `months` months before `d` (the month's last day when it has fewer).
pub fn months_before(d: Date, months: u32) -> Date {
    let total = i64::from(d.year) * 12 + i64::from(d.month) - 1 - i64::from(months);
    let (year, month) = (total.div_euclid(12) as u32, total.rem_euclid(12) as u32 + 1);
    let last = number(Date {
        year: if month == 12 { year + 1 } else { year },
        month: month % 12 + 1,
        day: 1,
        ..d
    }) - 1;
    let day = d.day.min(Date::from_days(last).day);
    Date {
        year,
        month,
        day,
        time: None,
        offset_min: 8 * 60,
    }
}

/// Parses `2024-01-31` or a range `2024-01-31..2024-02-02` into day numbers.
pub fn parse_range(s: &str) -> Option<(i64, i64)> {
    let (a, b) = s.split_once("..").unwrap_or((s, s));
    let (a, b) = (Date::parse(a)?, Date::parse(b)?);
    let (a, b) = (number(a), number(b));
    (a <= b && b - a < 366).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn day_numbers_round_trip_and_know_weekends() {
        for s in ["1970-01-01", "2000-02-29", "2024-12-31", "2026-03-01"] {
            assert_eq!(Date::from_days(number(d(s))).ymd(), s);
        }
        assert!(is_weekend(number(d("2024-02-04"))), "a Sunday");
        assert!(is_weekend(number(d("2026-02-14"))), "a Saturday");
        assert!(!is_weekend(number(d("2026-02-16"))), "a Monday");
    }

    #[test]
    fn months_back_keep_the_day_or_the_months_last() {
        assert_eq!(months_before(d("2024-08-31"), 6).ymd(), "2024-02-29");
        assert_eq!(months_before(d("2024-03-15"), 6).ymd(), "2023-09-15");
        assert_eq!(months_before(d("2024-01-31"), 1).ymd(), "2023-12-31");
    }
}
