//! One figure of a table read against its column: a count, a change that may be
//! negative, an amount in 万元 kept exactly as typed, or a sum with its unit.

use serde_yaml::Value as Yaml;

use super::{Ctx, scalar_text};
use crate::report::schema::{CellKind, Col};
use crate::report::{Cell, TableData, Value};

pub(super) fn read_cell(
    ctx: &mut Ctx,
    path: &[String],
    v: &Yaml,
    data: &mut TableData,
    row: &'static str,
    col: &'static Col,
) {
    let value = match (col.kind, v) {
        (_, Yaml::Null) => return,
        (CellKind::Count, Yaml::Number(n)) if n.as_u64().is_some() => {
            Value::Count(n.as_u64().unwrap_or(0))
        }
        (CellKind::Count, Yaml::Number(n)) if n.as_i64().is_some_and(|i| i < 0) => {
            ctx.err(
                "negative",
                path,
                format!("“{}”不能是负数（写的是 {n}）", col.label),
                "件数、个数都应当是 0 或正整数。",
            );
            return;
        }
        (CellKind::Count, _) => {
            ctx.err(
                "type",
                path,
                format!("“{}”应当是整数，写的是 `{}`", col.label, scalar_text(v)),
                "填写 0 或正整数；没有发生的填 0 或不写。",
            );
            return;
        }
        (CellKind::Amount | CellKind::Money, Yaml::Number(n)) => {
            // Keep the figure exactly as typed (trailing zeros included), not as a float.
            let raw = ctx
                .map
                .raw(path)
                .map(str::to_string)
                .filter(|r| is_decimal(r));
            let text = raw.unwrap_or_else(|| n.to_string());
            if text.starts_with('-') {
                ctx.err(
                    "negative",
                    path,
                    format!("“{}”不能是负数", col.label),
                    "金额应当是 0 或正数。",
                );
                return;
            }
            Value::Amount(text)
        }
        (CellKind::Amount, Yaml::String(s))
            if is_decimal(s.trim()) && !s.trim().starts_with('-') =>
        {
            Value::Amount(s.trim().to_string())
        }
        (CellKind::Money, Yaml::String(s)) if is_money(s.trim()) => {
            Value::Amount(s.trim().to_string())
        }
        (CellKind::Amount | CellKind::Money, _) => {
            let (unit, example) = if col.kind == CellKind::Money {
                (
                    "金额数字，可带单位“元”或“万元”",
                    "例如 251000元 或 25.1万元",
                )
            } else {
                ("金额数字（万元）", "例如 55.0592")
            };
            ctx.err(
                "type",
                path,
                format!("“{}”应当是{unit}，写的是 `{}`", col.label, scalar_text(v)),
                format!("{example}。"),
            );
            return;
        }
        (CellKind::Change, Yaml::Number(n)) if n.as_i64().is_some() => {
            Value::Signed(n.as_i64().unwrap_or(0))
        }
        (CellKind::Change, Yaml::String(s)) if s.trim().parse::<i64>().is_ok() => {
            Value::Signed(s.trim().parse().unwrap_or(0))
        }
        (CellKind::Change, _) => {
            ctx.err(
                "type",
                path,
                format!(
                    "“{}”应当是整数（减少写负数），写的是 `{}`",
                    col.label,
                    scalar_text(v)
                ),
                "例如 3、0 或 -2。",
            );
            return;
        }
    };
    data.cells.insert(
        (row, col.key),
        Cell {
            value,
            path: path.to_vec(),
        },
    );
}

/// A sum of money: a non-negative decimal, with or without the unit 元 or 万元.
fn is_money(s: &str) -> bool {
    let n = s
        .strip_suffix("万元")
        .or_else(|| s.strip_suffix('元'))
        .unwrap_or(s);
    is_decimal(n) && !n.starts_with('-')
}

fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let mut parts = s.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Diagnostics;
    use crate::report::schema::CellKind;

    fn load(text: &str) -> (Option<crate::report::Report>, Vec<String>) {
        let mut d = Diagnostics::new();
        let l = super::super::load_report(text, "r.yaml", &mut d);
        (l.report, d.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn a_2020_report_is_read_in_the_trial_format_with_its_own_columns() {
        let (r, errs) = load(
            "year: 2020\nagency: 某区\nactive_disclosure:\n  规范性文件: [7, 7, 166]\n  行政处罚: {上一年项目数量: 26, 本年增/减: -3, 处理决定数量: 538}\n  fees: [35, -15]\n  政府集中采购: [39, 3802895.90元]\napplications:\n  other_handling: [4, 0, 0, 0, 0, 0, 4]\n",
        );
        assert!(errs.is_empty(), "{errs:?}");
        let r = r.unwrap();
        assert_eq!(r.kind.id, "trial-2019");
        let t2 = r.table("active_disclosure").unwrap();
        assert_eq!(t2.signed("punishment", "change"), -3);
        assert_eq!(t2.signed("fees", "change"), -15);
        assert_eq!(
            t2.display(r.kind, "procurement", "amount", CellKind::Money),
            "3802895.90元"
        );
        let t3 = r.table("applications").unwrap();
        assert_eq!(t3.count(r.kind, "total_processed", "total"), 4);
    }
}
