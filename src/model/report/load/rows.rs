//! Reads the rows and cells of a report's tables: a row by its key or official label,
//! as a mapping of columns or a list in column order. Typing slips get a message that
//! names them (a full-width comma in a row, full-width digits, a label one character
//! off, a row under the wrong group).

use serde_yaml::Value as Yaml;

use super::cell::read_cell;
use super::{Ctx, child, key_string, matches, scalar_text};
use crate::ground::diagnostics::nearest;
use crate::model::report::TableData;
use crate::model::report::schema::{Block, RowDef, normalize_label};

pub(super) fn read_table(ctx: &mut Ctx, path: &[String], v: &Yaml, data: &mut TableData) {
    let Some(m) = v.as_mapping() else {
        if !v.is_null() {
            ctx.err(
                "type",
                path,
                format!("{}应当按行书写（“行名: 数字”）", data.def.name),
                "参照 `gongkai new report` 生成的骨架。",
            );
        }
        return;
    };
    for (k, val) in m {
        let key = key_string(k);
        let p = child(path, &key);
        read_rows(ctx, &p, &key, val, data, None);
    }
}

/// Reads one key inside a table or a row group: a row, or a group of rows.
fn read_rows(
    ctx: &mut Ctx,
    path: &[String],
    key: &str,
    v: &Yaml,
    data: &mut TableData,
    within: Option<&'static RowDef>,
) {
    let scope: Vec<(&'static Block, &'static RowDef)> = match within {
        Some(RowDef::Group { children, .. }) => {
            let block = data
                .def
                .blocks
                .iter()
                .find(|b| contains(b.rows, within.unwrap()))
                .unwrap_or(&data.def.blocks[0]);
            descendants(children)
                .into_iter()
                .map(|r| (block, r))
                .collect()
        }
        _ => data
            .def
            .blocks
            .iter()
            .flat_map(|b| descendants(b.rows).into_iter().map(move |r| (b, r)))
            .collect(),
    };
    let Some((block, row)) = scope
        .iter()
        .find(|(_, r)| matches(key, r.key(), r.label(), r.aliases()))
        .copied()
    else {
        unknown_row(ctx, path, key, data, within, &scope);
        return;
    };
    match row {
        RowDef::Group { .. } => match v.as_mapping() {
            Some(m) => {
                for (k, val) in m {
                    let key = key_string(k);
                    read_rows(ctx, &child(path, &key), &key, val, data, Some(row));
                }
            }
            None if v.is_null() => {}
            None => ctx.err(
                "type",
                path,
                format!("“{}”是一组行，应当在下面逐行书写", row.label()),
                "例如 `denied:` 下一行缩进写 `state_secret: {natural_person: 0}`。",
            ),
        },
        RowDef::Row { key: row_key, .. } => read_row(ctx, path, v, data, block, row_key),
    }
}

/// The error for a key that names no row where it stands: a row of another group
/// (`not_held` under （三）), a label a character or two off (`部份公开`), or nothing.
fn unknown_row(
    ctx: &mut Ctx,
    path: &[String],
    key: &str,
    data: &TableData,
    within: Option<&'static RowDef>,
    scope: &[(&'static Block, &'static RowDef)],
) {
    let all: Vec<&'static RowDef> = data
        .def
        .blocks
        .iter()
        .flat_map(|b| descendants(b.rows))
        .collect();
    if let Some(group) = within
        && let Some(row) = all
            .iter()
            .find(|r| matches(key, r.key(), r.label(), r.aliases()))
    {
        let home = all
            .iter()
            .find(|g| matches!(g, RowDef::Group { children, .. } if children.iter().any(|c| std::ptr::eq(c, *row))));
        let (where_to, how) = match home {
            Some(g) => (
                format!("“{}”", g.label()),
                format!("把这一行移到 {}: 下面（与同组的行对齐）", g.key()),
            ),
            None => (
                format!("{}的第一层", data.def.name),
                "把这一行移出来，与 new_received 等行对齐".to_string(),
            ),
        };
        ctx.err(
            "wrong-group",
            path,
            format!(
                "“{}”（{}）属于{where_to}，不在“{}”下",
                row.label(),
                row.key(),
                group.label()
            ),
            format!("{how}。"),
        );
        return;
    }
    let hint = nearest_row(key, scope.iter().map(|(_, r)| *r)).map_or(String::new(), |r| {
        format!("是不是想写“{}”（{}）？", r.label(), r.key())
    });
    let names: Vec<String> = scope
        .iter()
        .map(|(_, r)| format!("{}（{}）", r.key(), r.label()))
        .collect();
    ctx.err(
        "unknown-key",
        path,
        format!("{}中没有名为 `{key}` 的行", data.def.name),
        format!("{hint}可用的行：{}。", names.join("、")),
    );
}

/// The row whose key, label or alias is nearest `key` (a typo: `partail`, `部份公开`).
fn nearest_row(key: &str, rows: impl Iterator<Item = &'static RowDef>) -> Option<&'static RowDef> {
    let rows: Vec<&'static RowDef> = rows.collect();
    nearest_name(key, rows.iter().map(|r| (r.key(), r.label(), r.aliases()))).map(|i| rows[i])
}

/// The index of the (key, label, aliases) nearest `input`, compared as typed: the key,
/// and the label and aliases without numbering or spaces.
pub(super) fn nearest_name<'a>(
    input: &str,
    names: impl Iterator<Item = (&'a str, &'a str, &'a [&'a str])>,
) -> Option<usize> {
    let n = normalize_label(input);
    let mut candidates: Vec<(String, usize)> = Vec::new();
    for (i, (key, label, aliases)) in names.enumerate() {
        candidates.push((key.to_string(), i));
        for l in std::iter::once(&label).chain(aliases) {
            candidates.push((normalize_label(l), i));
        }
    }
    let best = nearest(&n, candidates.iter().map(|(c, _)| c.as_str()))?;
    candidates.iter().find(|(c, _)| c == best).map(|(_, i)| *i)
}

fn contains(rows: &'static [RowDef], target: &RowDef) -> bool {
    descendants(rows).iter().any(|r| std::ptr::eq(*r, target))
}

fn descendants(rows: &'static [RowDef]) -> Vec<&'static RowDef> {
    let mut out = Vec::new();
    for r in rows {
        out.push(r);
        if let RowDef::Group { children, .. } = r {
            out.extend(descendants(children));
        }
    }
    out
}

fn read_row(
    ctx: &mut Ctx,
    path: &[String],
    v: &Yaml,
    data: &mut TableData,
    block: &'static Block,
    row: &'static str,
) {
    match v {
        Yaml::Mapping(m) => {
            for (k, val) in m {
                let key = key_string(k);
                let p = child(path, &key);
                match block
                    .columns
                    .iter()
                    .find(|c| matches(&key, c.key, c.label, c.aliases))
                {
                    Some(col) => read_cell(ctx, &p, val, data, row, col),
                    None => {
                        let hint = nearest_name(
                            &key,
                            block.columns.iter().map(|c| (c.key, c.label, c.aliases)),
                        )
                        .map(|i| &block.columns[i])
                        .map_or(String::new(), |c| {
                            format!("是不是想写“{}”（{}）？", c.label, c.key)
                        });
                        let names: Vec<String> = block
                            .columns
                            .iter()
                            .map(|c| format!("{}（{}）", c.key, c.label))
                            .collect();
                        ctx.err(
                            "unknown-key",
                            &p,
                            format!("{}中没有名为 `{key}` 的列", data.def.name),
                            format!("{hint}可用的列：{}。", names.join("、")),
                        );
                    }
                }
            }
        }
        Yaml::Sequence(items) if full_width_commas(items) => {
            let fixed = scalar_text(&items[0]).replace(['，', '、'], ", ");
            ctx.err(
                "row-comma",
                path,
                "这一行的数字之间用了中文逗号“，”，整行被读成了一个数",
                format!("数字之间用英文逗号加空格：[{fixed}]"),
            );
        }
        Yaml::Sequence(items) => {
            let n = block.columns.len();
            if items.len() != n && items.len() + 1 != n {
                let labels: Vec<&str> = block.columns.iter().map(|c| c.label).collect();
                ctx.err(
                    "row-length",
                    path,
                    format!(
                        "这一行写了 {} 个数，应当是 {n} 个（或不含总计的 {} 个）",
                        items.len(),
                        n - 1
                    ),
                    format!("按列的顺序书写：{}。", labels.join("、")),
                );
                return;
            }
            for (col, item) in block.columns.iter().zip(items) {
                read_cell(ctx, path, item, data, row, col);
            }
        }
        Yaml::Null => {}
        scalar if block.columns.len() == 1 => {
            read_cell(ctx, path, scalar, data, row, &block.columns[0])
        }
        _ => ctx.err(
            "type",
            path,
            "这一行有多列，应当写成映射或列表",
            "例如 `{natural_person: 1, total: 1}` 或按列顺序 `[1, 0, 0, 0, 0, 0, 1]`。",
        ),
    }
}

/// Whether a row written in brackets is one text holding full-width commas
/// (`[12，3，0]`): YAML reads only `,` as the separator.
fn full_width_commas(items: &[Yaml]) -> bool {
    matches!(items, [Yaml::String(s)] if s.contains(['，', '、']))
}
