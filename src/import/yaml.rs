//! The report YAML of an import, in the project's format: English keys, figures as lists
//! in the template's column order, narrative as Markdown blocks, and every unsure figure
//! as a marked text that `gongkai check` stops on.

use std::fmt::Write as _;

use super::{Figure, Imported};
use crate::model::report::schema::{Block, CellKind, RowDef, SectionContent};

pub fn to_yaml(imp: &Imported, source: &str) -> String {
    let kind = imp.kind;
    let mut s = String::new();
    let year = imp.year.unwrap_or(0);
    let agency = imp
        .agency
        .clone()
        .unwrap_or_else(|| crate::input::placeholder::AGENCY.into());
    let _ = writeln!(
        s,
        "# 由 `gongkai import` 从 {source}（{}）导入；请核对后运行 `gongkai check`。",
        imp.format.name()
    );
    let _ = writeln!(s, "# 格式：{}（{}）。\n", kind.name, kind.basis);
    let _ = writeln!(s, "type: {}   # 报告格式（{}）", kind.id, kind.basis);
    let _ = writeln!(
        s,
        "year: {}",
        if year == 0 {
            "0   # 待核对：标题中没有找到年度".to_string()
        } else {
            year.to_string()
        }
    );
    let _ = writeln!(s, "agency: {}", yaml_str(&agency));
    // Marks the figures as published ones: a rule they break may be acknowledged.
    let _ = writeln!(s, "imported_from: {}", yaml_str(source));
    if let Some(t) = &imp.title {
        let _ = writeln!(s, "title: {}", yaml_str(t));
    }
    block(&mut s, "preamble", &imp.preamble);
    for sec in kind.sections {
        let _ = writeln!(s, "\n# {}", sec.title);
        match sec.content {
            SectionContent::Text => {
                block(
                    &mut s,
                    sec.key,
                    imp.texts.get(sec.key).map_or("", |t| t.as_str()),
                );
            }
            SectionContent::Table(def) => {
                let _ = writeln!(s, "{}:", sec.key);
                let mut any = false;
                for b in def.blocks {
                    if let Some(band) = b.band {
                        let _ = writeln!(s, "  # {band}");
                    }
                    if b.columns.len() > 1 {
                        let labels: Vec<&str> = b.columns.iter().map(|c| c.label).collect();
                        let _ = writeln!(s, "  # 每行按列顺序：[{}]", labels.join(", "));
                    }
                    any |= rows_yaml(&mut s, sec.key, b, b.rows, 1, imp);
                }
                if !any {
                    s.push_str("  {}\n");
                }
            }
        }
    }
    // Comments name the source file and labels as read: nothing invisible in them either.
    without_controls(&s)
}

fn rows_yaml(
    s: &mut String,
    table: &str,
    b: &Block,
    rows: &[RowDef],
    depth: usize,
    imp: &Imported,
) -> bool {
    let pad = "  ".repeat(depth);
    let mut any = false;
    for r in rows {
        match r {
            RowDef::Row { key, label, .. } => {
                let Some(figs) = imp.rows.get(&(table, *key)) else {
                    continue;
                };
                any = true;
                let vals: Vec<String> = figs
                    .iter()
                    .zip(b.columns)
                    .map(|(f, c)| match f {
                        Figure::Value(v) if c.kind == CellKind::Amount => v.clone(),
                        Figure::Value(v) if v.ends_with('元') => yaml_str(v),
                        Figure::Value(v) => v.trim_start_matches('+').to_string(),
                        Figure::Unsure { text, loc, note } => {
                            let seen = if text.is_empty() {
                                String::new()
                            } else {
                                format!("“{text}”")
                            };
                            yaml_str(&format!("待核对：原文{loc}{seen}，{note}"))
                        }
                    })
                    .collect();
                let value = if vals.len() == 1 {
                    vals[0].clone()
                } else {
                    format!("[{}]", vals.join(", "))
                };
                let mark = if figs.iter().any(|f| matches!(f, Figure::Unsure { .. })) {
                    "  待核对"
                } else {
                    ""
                };
                let _ = writeln!(s, "{pad}{key}: {value}   # {label}{mark}");
            }
            RowDef::Group {
                key,
                label,
                children,
                ..
            } => {
                let mut inner = String::new();
                if rows_yaml(&mut inner, table, b, children, depth + 1, imp) {
                    any = true;
                    let _ = writeln!(s, "{pad}{key}:   # {label}");
                    s.push_str(&inner);
                }
            }
        }
    }
    any
}

fn block(s: &mut String, key: &str, text: &str) {
    if text.trim().is_empty() {
        let _ = writeln!(s, "{key}: \"\"");
        return;
    }
    let _ = writeln!(s, "{key}: |");
    for l in without_controls(text).lines() {
        if l.is_empty() {
            s.push('\n');
        } else {
            let _ = writeln!(s, "  {l}");
        }
    }
}

fn yaml_str(t: &str) -> String {
    serde_json::to_string(&without_controls(t)).unwrap_or_default()
}

/// `t` without the invisible control characters a PDF or a web page may carry (the
/// report would not read back: YAML refuses them, and they break atom.xml).
fn without_controls(t: &str) -> String {
    t.chars()
        .filter(|c| !crate::ground::text::is_control(*c))
        .collect()
}
