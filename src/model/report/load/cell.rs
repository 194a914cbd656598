//! One figure of a table read against its column: a count, a change that may be
//! negative, an amount in 万元 kept exactly as typed, or a sum with its unit.

use serde_yaml::Value as Yaml;

use super::{Ctx, scalar_text, too_large};
use crate::model::report::schema::{CellKind, Col};
use crate::model::report::{Cell, MAX_AMOUNT, MAX_AMOUNT_DECIMALS, MAX_COUNT, TableData, Value};

pub(in crate::model::report) fn read_cell(
    ctx: &mut Ctx,
    path: &[String],
    v: &Yaml,
    data: &mut TableData,
    row: &'static str,
    col: &'static Col,
) {
    if v.is_null() {
        return;
    }
    // The figure as typed (`55.0500`, `1e3`), not as parsed; a row written as a list has
    // the whole list as its raw text.
    let raw = ctx.map.raw(path).filter(|r| !r.starts_with(['[', '{']));
    let value = match col.kind {
        CellKind::Count => count_value(v, raw),
        CellKind::Amount => amount_value(v, raw),
        CellKind::Money => money_value(v, raw),
        CellKind::Change => change_value(v, raw),
    };
    match value {
        Ok(value) => {
            data.cells.insert(
                (row, col.key),
                Cell {
                    value,
                    path: path.to_vec(),
                },
            );
        }
        Err((code, msg, help)) => ctx.err(code, path, format!("“{}”{msg}", col.label), help),
    }
}

/// Why a cell was refused: code, message (after the column's name) and how to fix it.
type Refusal = (&'static str, String, String);

fn negative(text: &str, help: &str) -> Refusal {
    (
        "negative",
        format!("不能是负数（写的是 {text}）"),
        help.into(),
    )
}

fn oversized(text: &str) -> Refusal {
    (
        "too-large",
        format!("的数字 {text} 太大：件数、个数不能超过 {MAX_COUNT}（十亿）"),
        "核对是否多写了位数；一个机关一年的件数远小于十亿。".into(),
    )
}

fn count_value(v: &Yaml, raw: Option<&str>) -> Result<Value, Refusal> {
    let help = "件数、个数都应当是 0 或正整数。";
    match (v, too_large(v)) {
        (Yaml::Number(n), _) => match n.as_u64() {
            Some(c) if c <= MAX_COUNT => Ok(Value::Count(c)),
            Some(c) => Err(oversized(&c.to_string())),
            None if n.as_i64().is_some_and(|i| i < 0) => Err(negative(&n.to_string(), help)),
            None => Err(not_whole(v, raw)),
        },
        (_, Some(t)) if t.starts_with('-') => Err(negative(t, help)),
        (_, Some(t)) => Err(oversized(t)),
        _ => Err(not_whole(v, raw)),
    }
}

/// A change from the year before (the trial format's 本年增/减): a whole number that may be
/// negative, within [`MAX_COUNT`] either way.
fn change_value(v: &Yaml, raw: Option<&str>) -> Result<Value, Refusal> {
    let parsed = match v {
        Yaml::Number(n) => n.as_i64(),
        Yaml::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    match (parsed, too_large(v)) {
        (Some(c), _) if c.unsigned_abs() <= MAX_COUNT => Ok(Value::Signed(c)),
        (Some(c), _) => Err(oversized(&c.to_string())),
        (None, Some(t)) => Err(oversized(t)),
        (None, None) => Err((
            "type",
            format!(
                "应当是整数（减少写负数），写的是 `{}`",
                raw.map_or_else(|| scalar_text(v), str::to_string)
            ),
            "例如 3、0 或 -2。".into(),
        )),
    }
}

fn not_whole(v: &Yaml, raw: Option<&str>) -> Refusal {
    let written = raw.map_or_else(|| scalar_text(v), str::to_string);
    let folded = crate::ground::text::fold_str(written.trim());
    let help = if folded.parse::<u64>().is_ok() && folded != written.trim() {
        format!("这是全角数字，改成半角数字 {folded}（切换到英文输入法再输入）。")
    } else {
        "填写 0 或正整数；没有发生的填 0 或不写。".to_string()
    };
    ("type", format!("应当是整数，写的是 `{written}`"), help)
}

/// The figure's text: as typed when the source map has it, else as parsed.
fn figure_text(v: &Yaml, raw: Option<&str>) -> String {
    match (v, raw) {
        (Yaml::Number(_), Some(raw)) => raw.to_string(),
        (Yaml::Number(n), None) => n.to_string(),
        (Yaml::String(s), _) => s.trim().to_string(),
        _ => too_large(v).map_or_else(|| scalar_text(v), str::to_string),
    }
}

/// An amount in 万元: a plain decimal as written (not `1e3`, `0x10` or `.nan`), not
/// negative, within [`MAX_AMOUNT`] and [`MAX_AMOUNT_DECIMALS`].
fn amount_value(v: &Yaml, raw: Option<&str>) -> Result<Value, Refusal> {
    let text = figure_text(v, raw);
    if !is_decimal(&text) {
        return Err((
            "type",
            format!("应当是金额数字（万元），写的是 `{text}`"),
            "写成普通的小数，例如 55.0592。".into(),
        ));
    }
    check_amount(&text, "万元", "金额应当是 0 或正数，单位万元。")?;
    Ok(Value::Amount(text))
}

/// A sum of money (the trial format): a decimal with or without the unit 元 or 万元.
fn money_value(v: &Yaml, raw: Option<&str>) -> Result<Value, Refusal> {
    let text = figure_text(v, raw);
    let (number, unit) = match text.strip_suffix("万元") {
        Some(n) => (n, "万元"),
        None => (text.strip_suffix('元').unwrap_or(&text), "元"),
    };
    if !is_decimal(number) {
        return Err((
            "type",
            format!("应当是金额数字，可带单位“元”或“万元”，写的是 `{text}`"),
            "例如 251000元 或 25.1万元。".into(),
        ));
    }
    check_amount(number, unit, "金额应当是 0 或正数。")?;
    Ok(Value::Amount(text))
}

/// Refuses a negative, oversized or over-precise amount written as a plain decimal.
fn check_amount(text: &str, unit: &str, negative_help: &str) -> Result<(), Refusal> {
    if text.starts_with('-') {
        return Err(negative(text, negative_help));
    }
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let int = int.trim_start_matches('0');
    let whole = int.parse::<u64>().unwrap_or(0);
    let fraction = frac.trim_end_matches('0');
    // 元 sums may be 10^4 times larger than 万元 ones for the same money.
    let max = if unit == "元" {
        MAX_AMOUNT * 10_000
    } else {
        MAX_AMOUNT
    };
    if int.len() > 14 || whole > max || (whole == max && !fraction.is_empty()) {
        return Err((
            "too-large",
            format!("的金额 {text} 太大：不能超过 {max} {unit}"),
            "核对是否把万元按元填写，或多写了位数。".into(),
        ));
    }
    if frac.len() > MAX_AMOUNT_DECIMALS {
        return Err((
            "decimals",
            format!("的金额 {text} 小数位太多：最多 {MAX_AMOUNT_DECIMALS} 位"),
            "按原报告的小数位填写，去掉多余的位数。".into(),
        ));
    }
    Ok(())
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
    use crate::ground::diagnostics::Diagnostics;
    use crate::model::report::schema::CellKind;

    fn load(text: &str) -> (Option<crate::model::report::Report>, Vec<String>) {
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
