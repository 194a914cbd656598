//! Checks the 勾稽关系 of a report, and between consecutive years.

use serde::Serialize;

use super::schema::{Rule, RuleKind};
use super::{Report, TableData, col_label, row_label, sum_counts};
use crate::ground::diagnostics::{Diagnostic, Diagnostics};

/// A rule that does not hold, with both sides of the equation.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    /// What fails, in the words of the printed table, e.g.
    /// `表三“自然人”列：一＋二＝12，（七）＋四＝13`.
    pub message: String,
    /// The reason given when the editor acknowledged the rule.
    pub acknowledged: Option<String>,
    /// How to make the rule hold, with the figures that would.
    #[serde(skip)]
    pub fix: String,
    #[serde(skip)]
    pub path: Vec<String>,
}

/// Every rule of the report's type that fails within the report itself.
pub fn check_report(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in report.kind.rules {
        let Some(table) = report.table(rule.table) else {
            continue;
        };
        match &rule.kind {
            RuleKind::Balance { lhs, rhs } => balance(report, table, rule, lhs, rhs, &mut out),
            RuleKind::RowSum { total, parts } => {
                row_sum(report, table, rule, total, parts, &mut out)
            }
            RuleKind::ColSum { rows, total, parts } => {
                col_sum(report, table, rule, rows, total, parts, &mut out)
            }
            RuleKind::CrossYear { .. } => {}
        }
    }
    for f in &mut out {
        f.acknowledged = report
            .acknowledged
            .iter()
            .find(|a| a.rule == f.rule)
            .map(|a| a.reason.clone());
    }
    out
}

fn short(label: &str) -> String {
    // `一、本年新收…` → `一`, `（七）总计` → `（七）`: how the template's note names rows.
    if let Some(i) = label.find('、') {
        return label[..i].to_string();
    }
    if label.starts_with('（')
        && let Some(i) = label.find('）')
    {
        return label[..i + '）'.len_utf8()].to_string();
    }
    label.to_string()
}

fn balance(
    report: &Report,
    t: &TableData,
    rule: &'static Rule,
    lhs: &[&str],
    rhs: &[&str],
    out: &mut Vec<Finding>,
) {
    let Some(block) = t.block_of_row(lhs[0]) else {
        return;
    };
    for col in block.columns {
        let l = sum_counts(lhs.iter().map(|r| t.count(report.kind, r, col.key)));
        let r = sum_counts(rhs.iter().map(|r| t.count(report.kind, r, col.key)));
        if l != r {
            let names = |rows: &[&str]| {
                rows.iter()
                    .map(|r| short(&row_label(t.def, r)))
                    .collect::<Vec<_>>()
                    .join("＋")
            };
            let labels = |rows: &[&str]| {
                rows.iter()
                    .map(|r| format!("“{}”", row_label(t.def, r)))
                    .collect::<Vec<_>>()
                    .join("、")
            };
            out.push(Finding {
                rule: rule.id,
                message: format!(
                    "{}“{}”列：{}＝{l}，{}＝{r}（{}）",
                    t.def.name,
                    col.label,
                    names(lhs),
                    names(rhs),
                    rule.text
                ),
                acknowledged: None,
                fix: format!(
                    "两边相差 {}：核对{}和{}这几行的“{}”列。常见的原因是漏填了某一项办理结果，或“结转下年度继续办理”的件数不对。",
                    l.abs_diff(r),
                    labels(lhs),
                    labels(rhs),
                    col.label
                ),
                path: first_written(t, &[rhs, lhs].concat(), col.key),
            });
        }
    }
}

fn row_sum(
    report: &Report,
    t: &TableData,
    rule: &'static Rule,
    total: &str,
    parts: &[&str],
    out: &mut Vec<Finding>,
) {
    let Some(block) = t.block_of_row(total) else {
        return;
    };
    let leaves = t.leaves_under(parts);
    for col in block.columns {
        let Some(stated) = stated(t, total, col.key) else {
            continue;
        };
        let sum = sum_counts(leaves.iter().map(|r| t.count(report.kind, r, col.key)));
        if stated != sum {
            out.push(Finding {
                rule: rule.id,
                message: format!(
                    "{}“{}”列：{}填的是 {stated}，但（一）至（六）各项之和是 {sum}（{}）",
                    t.def.name,
                    col.label,
                    short(&row_label(t.def, total)),
                    rule.text
                ),
                acknowledged: None,
                fix: format!(
                    "把{}的“{}”改为 {sum}，或者删去这一格让它自动计算；如果 {stated} 是对的，就是（一）至（六）中有一项漏填或填错了。",
                    short(&row_label(t.def, total)),
                    col.label
                ),
                path: cell_path(t, total, col.key),
            });
        }
    }
}

fn col_sum(
    report: &Report,
    t: &TableData,
    rule: &'static Rule,
    rows: &[&str],
    total: &str,
    parts: &[&str],
    out: &mut Vec<Finding>,
) {
    for block in t.def.blocks {
        if !block.columns.iter().any(|c| c.key == total) {
            continue;
        }
        for row in super::leaf_rows(block.rows) {
            let row = row.key();
            if !rows.is_empty() && !rows.contains(&row) {
                continue;
            }
            let Some(stated) = stated(t, row, total) else {
                continue;
            };
            let sum = sum_counts(parts.iter().map(|c| t.count(report.kind, row, c)));
            if stated != sum {
                out.push(Finding {
                    rule: rule.id,
                    message: format!(
                        "{}“{}”行：{}填的是 {stated}，但各列之和是 {sum}（{}）",
                        t.def.name,
                        row_label(t.def, row),
                        col_label(block, total),
                        rule.text
                    ),
                    acknowledged: None,
                    fix: format!(
                        "把这一行的“{}”改为 {sum}，或者删去它让它自动计算；如果 {stated} 是对的，就是某一列的数字填错了。",
                        col_label(block, total)
                    ),
                    path: cell_path(t, row, total),
                });
            }
        }
    }
}

fn stated(t: &TableData, row: &str, col: &str) -> Option<u64> {
    t.cells
        .iter()
        .find(|((r, c), _)| *r == row && *c == col)
        .map(|(_, c)| c.value.as_count())
}

/// Where to point for a rule over several rows: the first of them written in the file.
fn first_written(t: &TableData, rows: &[&str], col: &str) -> Vec<String> {
    rows.iter()
        .find(|r| t.cells.keys().any(|(row, _)| row == *r))
        .map_or_else(|| t.path.clone(), |r| cell_path(t, r, col))
}

/// Where to point for a cell: the cell if written, else its row, else the table.
fn cell_path(t: &TableData, row: &str, col: &str) -> Vec<String> {
    if let Some((_, c)) = t.cells.iter().find(|((r, c), _)| *r == row && *c == col) {
        return c.path.clone();
    }
    if let Some((_, c)) = t.cells.iter().find(|((r, _), _)| *r == row) {
        return c.path.clone();
    }
    t.path.clone()
}

/// Cross-year rules between a report and the one of the year before.
pub fn check_years(prev: &Report, this: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in this.kind.rules {
        let RuleKind::CrossYear {
            this: row_this,
            prev: row_prev,
        } = rule.kind
        else {
            continue;
        };
        let (Some(t), Some(p)) = (this.table(rule.table), prev.table(rule.table)) else {
            continue;
        };
        let Some(block) = t.block_of_row(row_this) else {
            continue;
        };
        let pairs: Vec<(&str, u64, u64)> = block
            .columns
            .iter()
            .map(|c| {
                (
                    c.label,
                    t.count(this.kind, row_this, c.key),
                    p.count(prev.kind, row_prev, c.key),
                )
            })
            .collect();
        let differ: Vec<String> = pairs
            .iter()
            .filter(|(_, a, b)| a != b)
            .map(|(label, a, b)| format!("{label} {a}≠{b}"))
            .collect();
        if differ.is_empty() {
            continue;
        }
        let prev_row: Vec<String> = pairs.iter().map(|(_, _, b)| b.to_string()).collect();
        out.push(Finding {
            rule: rule.id,
            message: format!(
                "{}：{} 年“上年结转”与 {} 年“结转下年度继续办理”不一致：{}（{}）",
                t.def.name,
                this.year,
                prev.year,
                differ.join("、"),
                rule.text
            ),
            acknowledged: this
                .acknowledged
                .iter()
                .find(|x| x.rule == rule.id)
                .map(|x| x.reason.clone()),
            fix: format!(
                "{} 年结转下年度的是 [{}]：把本年的 {row_this} 改成 `{row_this}: [{}]`，或者核对 {} 年的报告。",
                prev.year,
                prev_row.join(", "),
                prev_row.join(", "),
                prev.year
            ),
            path: cell_path(t, row_this, block.columns[0].key),
        });
    }
    out
}

/// Turns findings into diagnostics: errors, or warnings when acknowledged or when the
/// rule is one that may legitimately fail (across years).
pub fn diagnostics(report: &Report, findings: &[Finding], cross_year: bool, out: &mut Diagnostics) {
    for f in findings {
        let pos = report.source_map.pos(&f.path);
        let mut d = if let Some(reason) = &f.acknowledged {
            Diagnostic::warning(
                f.rule,
                &report.file,
                format!("{}（已确认保留：{reason}）", f.message),
            )
        } else if cross_year {
            Diagnostic::warning(f.rule, &report.file, f.message.clone()).help(format!(
                "{}确属统计口径调整的，在文件中加上\n      acknowledged:\n        - rule: {}\n          reason: （写明调整的原因，会显示在页面上）",
                f.fix, f.rule
            ))
        } else if report.reproduced() {
            Diagnostic::error(f.rule, &report.file, f.message.clone()).help(format!(
                "{}\n    如果这是照已发布的原件录入的往年报告，而原件就是这样、需要保留原貌，在文件中加上\n      acknowledged:\n        - rule: {}\n          reason: 原报告发布时即如此，照原样保留",
                f.fix, f.rule
            ))
        } else {
            Diagnostic::error(f.rule, &report.file, f.message.clone()).help(f.fix.clone())
        };
        if report.load_errors > 0 {
            d.follow_on = true;
            d.help = Some(format!(
                "这个文件里还有没读懂的内容（见前面的错误），可能是它们引起了这一条：先改正它们。{}",
                d.help.unwrap_or_default()
            ));
        }
        out.push(d.at(pos));
    }
    // An acknowledgement that no longer matches a failing rule is stale (judged with the
    // report's own findings: the cross-year ones do not name its other rules).
    let own = report
        .acknowledged
        .iter()
        .filter(|a| !super::CHECKS_WITH_REASONS.contains(&a.rule.as_str()));
    for a in own.filter(|_| !cross_year) {
        let rule_fails = findings.iter().any(|f| f.rule == a.rule);
        let is_cross = report
            .kind
            .rules
            .iter()
            .any(|r| r.id == a.rule && matches!(r.kind, RuleKind::CrossYear { .. }));
        if !rule_fails && !is_cross {
            out.push(
                Diagnostic::warning(
                    "acknowledged",
                    &report.file,
                    format!("规则 {} 已经成立，无需再确认", a.rule),
                )
                .at(report.source_map.pos(&["acknowledged".to_string()]))
                .help("删除这条 acknowledged 记录。"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::diagnostics::Diagnostics;
    use crate::model::report::{Cell, Value, load::load_report};

    /// Figures put in by hand, past the loader's ceiling: a sum that wrapped would make
    /// u64::MAX + 2 equal 1 and the rule pass.
    #[test]
    fn sums_saturate_instead_of_wrapping() {
        let text = "year: 2023\nagency: 某局\napplications:\n  new_received: {natural_person: 0}\n  carried_over: {natural_person: 2}\n  results:\n    total_processed: {natural_person: 1}\n";
        let mut d = Diagnostics::new();
        let mut r = load_report(text, "r.yaml", &mut d).report.unwrap();
        let t = r.tables.get_mut("applications").unwrap();
        t.cells.insert(
            ("new_received", "natural_person"),
            Cell {
                value: Value::Count(u64::MAX),
                path: Vec::new(),
            },
        );
        let findings = check_report(&r);
        assert!(
            findings
                .iter()
                .any(|f| f.rule == "T3-A" && f.message.contains(&u64::MAX.to_string())),
            "{findings:?}"
        );
    }
}
