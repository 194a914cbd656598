//! The citizen's part of a 留言 as it may be published: a 来信人's name masked to its
//! surname (王**), and the 身份证号, 手机号 and 银行卡号 in the letter masked as the
//! personal-data check would mask them (《政府信息公开条例》第十五条, 《个人信息保护法》).
//! The 答复 is the agency's own text: the personal-data check holds it to the same rule as
//! any page, except that the 来信人's name is masked there too.

use super::compliance::numbers;
use crate::model::site::Site;

/// Masks every 留言 of `site` (once; the gate calls it after holding back).
pub fn mask_messages(site: &mut Site, max_year: u32) {
    for m in site.messages.iter_mut().filter(|m| !m.masked) {
        let name = m.front.asker.clone().filter(|n| !is_masked_name(n));
        m.front.letter = mask_numbers(&m.front.letter, max_year);
        if let Some(full) = name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            let masked = mask_name(full);
            m.front.letter = m.front.letter.replace(full, &masked);
            m.reply_html = m.reply_html.replace(full, &masked);
            m.reply_text = m.reply_text.replace(full, &masked);
            m.front.title = m.front.title.replace(full, &masked);
            m.front.asker = Some(masked);
        }
        m.masked = true;
    }
}

/// Whether a name is already masked or is no name (王**, 王先生, 匿名, 网友).
fn is_masked_name(name: &str) -> bool {
    let n = name.trim();
    n.contains(['*', '＊', '某', '×'])
        || ["先生", "女士", "同志", "网友", "匿名", "市民", "群众"]
            .iter()
            .any(|w| n.contains(w))
}

/// A name with all but its surname hidden: 王小明 → 王**, 欧阳修 → 欧阳*.
pub fn mask_name(name: &str) -> String {
    const COMPOUND: &[&str] = &[
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙",
        "宇文", "夏侯", "端木", "司徒", "司空",
    ];
    let chars: Vec<char> = name.trim().chars().collect();
    let surname = if chars.len() > 2 && COMPOUND.iter().any(|c| name.trim().starts_with(c)) {
        2
    } else {
        1
    };
    let kept: String = chars.iter().take(surname).collect();
    kept + &"*".repeat(chars.len().saturating_sub(surname).max(1))
}

/// `text` with every personal number masked, line by line (as the check finds them).
pub fn mask_numbers(text: &str, max_year: u32) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&mask_line(line, max_year));
    }
    out
}

/// One line with its personal numbers masked: the number's digits, as written (with the
/// spaces or hyphens it was grouped by), become the masked form.
pub fn mask_line(line: &str, max_year: u32) -> String {
    let found = numbers::find(line, max_year);
    if found.is_empty() {
        return line.to_string();
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for f in found {
        if f.col < at {
            continue;
        }
        out.extend(&chars[at..f.col]);
        // Walk over the number as written: as many digits as it has, and what groups them.
        let mut seen = 0;
        let mut end = f.col;
        while end < chars.len() && seen < f.number.chars().count() {
            let c = crate::ground::text::fold_width(chars[end]);
            if c.is_ascii_digit() || c == 'X' || c == 'x' {
                seen += 1;
            }
            end += 1;
        }
        out.push_str(&numbers::mask(&f.number, f.kind));
        at = end;
    }
    out.extend(&chars[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_surname_and_numbers_their_ends() {
        assert_eq!(mask_name("王小明"), "王**");
        assert_eq!(mask_name("李娜"), "李*");
        assert_eq!(mask_name("欧阳修文"), "欧阳**");
        assert!(is_masked_name("王先生") && is_masked_name("张**"));
        assert_eq!(
            mask_line("我的电话是 138 1234 5678，请回电。", 2026),
            "我的电话是 138****5678，请回电。"
        );
        assert_eq!(
            mask_line("身份证 11010519491231002X。", 2026),
            "身份证 1101**********002X。"
        );
        assert_eq!(
            mask_line("办公电话 0631-5221337", 2026),
            "办公电话 0631-5221337"
        );
    }
}
