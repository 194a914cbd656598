//! The personal-data check (《条例》第十五条): every text the site publishes, read for the
//! numbers of [`super::numbers`], each finding masked in its message.

use super::memo::Hit;
use super::numbers::{Found, digits, find, find_across, mask};
use super::sources::Line;
use crate::ground::diagnostics::Pos;
use crate::model::site::Site;

/// The numbers the site allows anywhere (`[compliance.privacy] allow_numbers`), as digits.
pub fn site_allowed(site: &Site) -> Vec<String> {
    allowed_by(&site.config.compliance.privacy)
}

/// The numbers `[compliance.privacy] allow_numbers` allows, as digits.
pub fn allowed_by(config: &crate::config::PrivacyConfig) -> Vec<String> {
    config.allow_numbers.iter().map(|s| digits(s)).collect()
}

/// The personal numbers in the `lines` of one text that neither its item (`allowed`) nor
/// the site allows (`site`), with years up to `max_year` taken for dates of birth.
pub fn hits(lines: &[Line], allowed: &[String], site: &[String], max_year: u32) -> Vec<Hit> {
    let allowed: Vec<String> = allowed.iter().map(|s| digits(s)).collect();
    let ok = |f: &Found| !site.contains(&f.number) && !allowed.contains(&f.number);
    let mut found: Vec<(&Line, Found)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        found.extend(
            find(&line.text, max_year)
                .into_iter()
                .filter(ok)
                .map(|f| (line, f)),
        );
        if let Some(next) = lines.get(i + 1).filter(|n| same_paragraph(line, n)) {
            let across = find_across(&line.text, &next.text, max_year);
            found.extend(across.into_iter().filter(ok).map(|f| (line, f)));
        }
    }
    found
        .into_iter()
        .map(|(line, f)| {
            let pos = line.pos.map(|p| Pos::new(p.line, f.col + 1));
            let place = line
                .place
                .as_deref()
                .map_or(String::new(), |p| format!("（{p}）"));
            let masked = mask(&f.number, f.kind);
            (
                f.kind.rule(),
                pos,
                format!("发现未遮盖的{}：{masked}{place}", f.kind.label()),
                format!(
                    "公开前删除或遮盖（如 {masked}）；确属应当公开的号码（如单位的公开电话），写在这条信息前置信息的 allow_numbers 中，或 site.toml 的 [compliance.privacy] allow_numbers 中。"
                ),
            )
        })
        .collect()
}

/// Whether `b` is the line after `a` in one paragraph of a file (neither blank).
fn same_paragraph(a: &Line, b: &Line) -> bool {
    matches!((a.pos, b.pos), (Some(p), Some(q)) if q.line == p.line + 1)
        && !a.text.trim().is_empty()
        && !b.text.trim().is_empty()
}
