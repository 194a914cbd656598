//! The personal numbers of 《条例》第十五条 as people write them: 18-digit 居民身份证号码
//! whose check digit is right (GB 11643), mainland mobile numbers, and bank card numbers
//! that pass the Luhn check. Numbers are read whole: digits inside a longer run, a web
//! address, a file name or a decimal are not numbers of a person. Plain text in, numbers
//! out: the privacy check and the masking of letters both read through it.

/// What a run of digits looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    IdCard,
    Mobile,
    BankCard,
}

impl Kind {
    pub(super) fn rule(self) -> &'static str {
        match self {
            Kind::IdCard => "privacy.id-card",
            Kind::Mobile => "privacy.mobile",
            Kind::BankCard => "privacy.bank-card",
        }
    }

    pub(super) fn label(self) -> &'static str {
        match self {
            Kind::IdCard => "居民身份证号码",
            Kind::Mobile => "手机号码",
            Kind::BankCard => "银行卡号",
        }
    }
}

/// A personal number found in a line: what, where (0-based character column) and the
/// number itself (digits, and an `X` check digit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub col: usize,
    pub number: String,
}

/// The digits (and `X`) of a number as written, for comparing with allow-lists.
pub(super) fn digits(s: &str) -> String {
    s.chars()
        .map(crate::ground::text::fold_width)
        .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The number with all but its first and last digits hidden.
pub fn mask(n: &str, kind: Kind) -> String {
    let head = if kind == Kind::Mobile { 3 } else { 4 };
    let len = n.chars().count();
    n.chars()
        .enumerate()
        .map(|(i, c)| if i < head || i + 4 >= len { c } else { '*' })
        .collect()
}

/// The length of what separates two groups of digits at `j` (a space, `-` or `.`, or
/// ` - ` with up to two spaces on each side), if a digit follows it.
fn separator(chars: &[char], j: usize) -> Option<usize> {
    let mut k = j;
    let spaces = |k: &mut usize| {
        for _ in 0..2 {
            if chars.get(*k) == Some(&' ') {
                *k += 1;
            }
        }
    };
    spaces(&mut k);
    if matches!(chars.get(k), Some('-' | '.')) {
        k += 1;
        spaces(&mut k);
    }
    (k > j && chars.get(k).is_some_and(char::is_ascii_digit)).then_some(k - j)
}

/// Where the number starting with the run of digits at `i` really starts, and where its
/// writing starts: after a country code `+86` (`+8613812345678`, `+86 138…`,
/// `(+86)138…`), the digits after it, and the `+` (or its bracket).
fn after_country_code(chars: &[char], i: usize) -> (usize, usize) {
    let plus = i.checked_sub(1).filter(|p| chars[*p] == '+');
    let (Some(plus), Some('8'), Some('6')) = (plus, chars.get(i), chars.get(i + 1)) else {
        return (i, i);
    };
    let lead = plus
        .checked_sub(1)
        .filter(|b| chars[*b] == '(')
        .unwrap_or(plus);
    let mut k = i + 2;
    if chars.get(k) == Some(&')') {
        k += 1;
    }
    if let Some(n) = separator(chars, k) {
        k += n;
    }
    if chars.get(k).is_some_and(char::is_ascii_digit) {
        (k, lead)
    } else {
        (i, i)
    }
}

/// A number found in a line: where its writing starts (a `+86` included), where its
/// digits start and end, and its digits.
struct Candidate {
    lead: usize,
    start: usize,
    end: usize,
    number: String,
}

/// Runs of digits in a line, joined across the separators people put between groups
/// when they are grouped the way a phone, ID or card number is written (`138 1234 5678`,
/// `138.1234.5678`, `370203 1990 0101 1234`, `6222 0212 …`).
fn candidates(chars: &[char]) -> Vec<Candidate> {
    let digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !digit(i) {
            i += 1;
            continue;
        }
        let (from, lead) = after_country_code(chars, i);
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut j = from;
        loop {
            let start = j;
            while digit(j) {
                j += 1;
            }
            groups.push((start, j));
            match separator(chars, j) {
                Some(n) => j += n,
                None => break,
            }
        }
        let lens: Vec<usize> = groups.iter().map(|(a, b)| b - a).collect();
        let grouped = matches!(
            lens.as_slice(),
            [3, 4, 4] | [6, 8, 4] | [6, 8, 3] | [6, 4, 4, 4] | [6, 4, 4, 3]
        ) || (lens.len() >= 4 && lens[..4] == [4, 4, 4, 4] && lens.len() <= 5);
        let last = groups[groups.len() - 1].1;
        let runs: Vec<(usize, usize)> = if grouped && groups.len() > 1 {
            vec![(groups[0].0, last)]
        } else {
            groups
        };
        for (n, (a, b)) in runs.iter().copied().enumerate() {
            let mut number: String = chars[a..b].iter().filter(|c| c.is_ascii_digit()).collect();
            let mut end = b;
            if number.len() == 17 && matches!(chars.get(b), Some('X' | 'x')) {
                number.push('X');
                end += 1;
            }
            let lead = if n == 0 { lead } else { a };
            out.push(Candidate {
                lead,
                start: a,
                end,
                number,
            });
        }
        i = last.max(i + 1);
    }
    out
}

/// Words that start with a character which, alone after a number, is its unit: `人民路`
/// after a phone number is an address, not a count of people.
const NOT_UNITS: [&str; 12] = [
    "人民", "人员", "人社", "人大", "人力", "万达", "万科", "万家", "万里", "个人", "个体", "个税",
];

/// Whether the characters around a number (its writing from `start` to `end`) say it is
/// part of something else.
fn embedded(chars: &[char], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).and_then(|i| chars.get(i)).copied();
    let after = chars.get(end).copied();
    // `No.370203…`: a number, not a decimal or a file name.
    let numbered = before == Some('.')
        && start >= 3
        && chars[start - 3..start - 1]
            .iter()
            .collect::<String>()
            .eq_ignore_ascii_case("no");
    let before_bad = !numbered
        && before.is_some_and(|c| c.is_ascii_alphanumeric() || "_/=.%#&?@\\*".contains(c));
    // An e-mail name made of a phone number is still the number.
    let after_bad = after.is_some_and(|c| {
        c.is_ascii_alphabetic()
            || "_/=\\*%‰".contains(c)
            || (c == '.' && chars.get(end + 1).is_some_and(char::is_ascii_digit))
    });
    // An amount or a count: `15000000000 元`.
    let rest: String = chars[end.min(chars.len())..]
        .iter()
        .skip_while(|c| c.is_whitespace())
        .take(2)
        .collect();
    let unit = rest
        .chars()
        .next()
        .is_some_and(|c| "元万亿件人次个条份".contains(c))
        && !NOT_UNITS.contains(&rest.as_str());
    // A table copied as text runs its cells together: `…申请数量15130000154二、…`.
    let label: String = chars[start.saturating_sub(2)..start].iter().collect();
    let table = ["数量", "总计", "合计", "小计", "件数"].contains(&label.as_str());
    before_bad || after_bad || unit || table
}

/// Every personal number in `line`; `max_year` bounds an ID card's year of birth.
pub fn find(line: &str, max_year: u32) -> Vec<Found> {
    scan(line, max_year).into_iter().map(|(f, _)| f).collect()
}

/// The fewest digits a personal number has (a mobile number's 11).
const FEWEST_DIGITS: usize = 11;

/// How many digits `s` holds, written narrow or full-width (`０`–`９`): a text with fewer
/// than [`FEWEST_DIGITS`] holds no personal number, which most lines show without being
/// read character by character.
fn digit_count(s: &str) -> usize {
    let narrow = s.bytes().filter(u8::is_ascii_digit).count();
    // Full-width digits are U+FF10–U+FF19, `EF BC 90`–`EF BC 99` in UTF-8.
    if memchr::memchr(0xEF, s.as_bytes()).is_none() {
        return narrow;
    }
    narrow
        + s.chars()
            .filter(|c| ('\u{FF10}'..='\u{FF19}').contains(c))
            .count()
}

/// [`find`], with where each number's digits end.
fn scan(line: &str, max_year: u32) -> Vec<(Found, usize)> {
    if digit_count(line) < FEWEST_DIGITS {
        return Vec::new();
    }
    let chars: Vec<char> = line.chars().map(crate::ground::text::fold_width).collect();
    let mut out = Vec::new();
    for c in candidates(&chars) {
        if embedded(&chars, c.lead, c.end) {
            continue;
        }
        let number = c.number;
        let kind = if number.len() == 18 && id_card(&number, max_year) {
            Kind::IdCard
        } else if number.len() == 11 && mobile(&number) {
            Kind::Mobile
        } else if (16..=19).contains(&number.len()) && bank_card(&number) {
            Kind::BankCard
        } else {
            continue;
        };
        out.push((
            Found {
                kind,
                col: c.start,
                number,
            },
            c.end,
        ));
    }
    out
}

/// The numbers a soft line break splits: a Markdown paragraph's lines `a` and `b` are one
/// text on the page. Found from the end of `a` (its column in `a`), joined as written or
/// with the space the break shows as.
pub fn find_across(a: &str, b: &str, max_year: u32) -> Vec<Found> {
    const REACH: usize = 30;
    // A number that goes on into `b` has the first character of `b` in its writing: a
    // digit, the `X` of an ID card, or what separates groups of digits.
    let goes_on = b
        .chars()
        .next()
        .map(crate::ground::text::fold_width)
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, 'X' | 'x' | ' ' | '-' | '.'));
    if !goes_on || digit_count(a) + digit_count(b) < FEWEST_DIGITS {
        return Vec::new();
    }
    let a_len = a.chars().count();
    let tail: String = a.chars().skip(a_len.saturating_sub(REACH)).collect();
    let tail_len = tail.chars().count();
    let head: String = b.chars().take(REACH).collect();
    let mut out: Vec<Found> = Vec::new();
    for joint in ["", " "] {
        for (mut f, end) in scan(&format!("{tail}{joint}{head}"), max_year) {
            if f.col < tail_len
                && end > tail_len + joint.len()
                && !out.iter().any(|o| o.number == f.number)
            {
                f.col += a_len - tail_len;
                out.push(f);
            }
        }
    }
    out
}

/// An 18-character 公民身份号码 (GB 11643—1999): a plausible region and date of birth and
/// the right check character (ISO 7064 MOD 11-2).
pub fn id_card(n: &str, max_year: u32) -> bool {
    let b = n.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) || !(b'1'..=b'8').contains(&b[0]) {
        return false;
    }
    let birth = format!("{}-{}-{}", &n[6..10], &n[10..12], &n[12..14]);
    let Some(date) = crate::ground::date::Date::parse(&birth) else {
        return false;
    };
    if !(1900..=max_year).contains(&date.year) {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize];
    b[17].to_ascii_uppercase() == check
}

/// A mainland mobile number: 11 digits in a number segment that carriers use.
pub fn mobile(n: &str) -> bool {
    let b = n.as_bytes();
    if b.len() != 11 || b[0] != b'1' {
        return false;
    }
    match (b[1], b[2]) {
        (b'3' | b'8', _) => true,
        (b'4', c) => b"5679".contains(&c),
        (b'5', c) => c != b'4',
        (b'6', c) => b"2567".contains(&c),
        (b'7', c) => c != b'9',
        (b'9', c) => c != b'4',
        _ => false,
    }
}

/// A bank card number: a prefix of the card schemes used in China and the Luhn check.
pub fn bank_card(n: &str) -> bool {
    let scheme = n.starts_with("62")
        || n.starts_with('4')
        || ("51".."56").contains(&&n[..2])
        || n.starts_with("35")
        || n.starts_with("9");
    scheme && luhn(n)
}

fn luhn(n: &str) -> bool {
    let mut sum = 0;
    for (i, c) in n.bytes().rev().enumerate() {
        let mut d = u32::from(c - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(Kind, String)> {
        find(line, 2026)
            .into_iter()
            .map(|f| (f.kind, f.number))
            .collect()
    }

    #[test]
    fn id_cards_need_the_right_check_digit() {
        // 11010519491231002X is the example of GB 11643.
        assert_eq!(
            kinds("身份证号：11010519491231002X。"),
            [(Kind::IdCard, "11010519491231002X".to_string())]
        );
        assert!(
            kinds("身份证号：110105194912310021").is_empty(),
            "bad checksum"
        );
        assert!(
            kinds("编号 1101051949123100211").is_empty(),
            "19 digits, not Luhn"
        );
    }

    #[test]
    fn mobiles_are_whole_numbers_not_parts_of_longer_ones() {
        assert_eq!(
            kinds("联系电话：13812345678"),
            [(Kind::Mobile, "13812345678".into())]
        );
        assert_eq!(
            kinds("电话 138-1234-5678"),
            [(Kind::Mobile, "13812345678".into())]
        );
        assert!(kinds("索引号 113700004000012345").is_empty());
        assert!(kinds("见 http://x.gov.cn/t13812345678.html").is_empty());
        assert!(kinds("共 15000000000 元").is_empty());
        assert!(kinds("0631-5221337").is_empty());
        assert!(kinds("12345678901").is_empty());
        // Table cells run together in text copied from a web page (a real report).
        assert!(kinds("一、本年新收政府信息公开申请数量15130000154二、").is_empty());
    }

    #[test]
    fn bank_cards_pass_luhn() {
        assert_eq!(
            kinds("账号 6222 0212 3456 7894"),
            [(Kind::BankCard, "6222021234567894".into())]
        );
        assert!(kinds("账号 6222021234567897").is_empty(), "fails Luhn");
    }

    /// The corpus of spellings (`tests/fixtures/privacy/spellings.txt`): every `+` line
    /// found, no `-` line.
    #[test]
    fn the_spellings_people_write_are_found_and_nothing_else() {
        let corpus = include_str!("../../../tests/fixtures/privacy/spellings.txt");
        let mut cases = 0;
        for line in corpus.lines() {
            let (expect, text) = match line.split_at_checked(2) {
                Some(("+ ", t)) => (true, t),
                Some(("- ", t)) => (false, t),
                _ => continue,
            };
            let found = match text.split_once('⏎') {
                Some((a, b)) => find_across(a, b, 2026),
                None => find(text, 2026),
            };
            assert_eq!(!found.is_empty(), expect, "{line}: {found:?}");
            cases += 1;
        }
        assert!(cases > 40);
    }

    #[test]
    fn masks_keep_the_ends() {
        assert_eq!(
            mask("11010519491231002X", Kind::IdCard),
            "1101**********002X"
        );
        assert_eq!(mask("13812345678", Kind::Mobile), "138****5678");
    }
}
