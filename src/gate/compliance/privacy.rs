//! The personal-data check (《条例》第十五条): every text the site publishes, read for the
//! numbers of [`super::numbers`], each finding masked in its message.

use rayon::prelude::*;

use super::Ctx;
use super::numbers::{Found, digits, find, find_across, mask};
use super::sources::{Line, Source};
use crate::ground::diagnostics::Pos;

pub fn check(ctx: &mut Ctx, texts: &[Source]) {
    let config = &ctx.site.config.compliance.privacy;
    let site_allowed: Vec<String> = config.allow_numbers.iter().map(|s| digits(s)).collect();
    let max_year = ctx.as_of.year;
    // Texts are read in parallel; what is found is reported in their order.
    let found: Vec<Vec<(&Line, Found)>> = texts
        .par_iter()
        .map(|source| {
            let allowed: Vec<String> = source.allowed.iter().map(|s| digits(s)).collect();
            let mut out = Vec::new();
            let ok = |f: &Found| !site_allowed.contains(&f.number) && !allowed.contains(&f.number);
            for (i, line) in source.lines.iter().enumerate() {
                out.extend(
                    find(&line.text, max_year)
                        .into_iter()
                        .filter(ok)
                        .map(|f| (line, f)),
                );
                if let Some(next) = source.lines.get(i + 1).filter(|n| same_paragraph(line, n)) {
                    let across = find_across(&line.text, &next.text, max_year);
                    out.extend(across.into_iter().filter(ok).map(|f| (line, f)));
                }
            }
            out
        })
        .collect();
    for (source, found) in texts.iter().zip(found) {
        for (line, f) in found {
            let pos = line.pos.map(|p| Pos::new(p.line, f.col + 1));
            let place = line
                .place
                .as_deref()
                .map_or(String::new(), |p| format!("（{p}）"));
            let masked = mask(&f.number, f.kind);
            ctx.report(
                f.kind.rule(),
                &source.file,
                pos,
                format!("发现未遮盖的{}：{masked}{place}", f.kind.label()),
                format!(
                    "公开前删除或遮盖（如 {masked}）；确属应当公开的号码（如单位的公开电话），写在这条信息前置信息的 allow_numbers 中，或 site.toml 的 [compliance.privacy] allow_numbers 中。"
                ),
            );
        }
    }
}

/// Whether `b` is the line after `a` in one paragraph of a file (neither blank).
fn same_paragraph(a: &Line, b: &Line) -> bool {
    matches!((a.pos, b.pos), (Some(p), Some(q)) if q.line == p.line + 1)
        && !a.text.trim().is_empty()
        && !b.text.trim().is_empty()
}
