//! Yearly reports (政府信息公开工作年度报告): the model, how it is read from YAML, the
//! arithmetic rules, and the table layout handed to templates.

pub mod chart;
pub mod export;
pub mod load;
pub mod national;
pub mod rules;
pub mod schema;
pub mod trial;
pub mod view;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ground::date::Date;
use crate::input::source_map::{KeyPath, SourceMap};
use crate::model::content::{Attachment, SignOff};
use schema::{Block, CellKind, ReportType, RowDef, RuleKind, SectionContent, TableDef};

/// The largest count a cell may hold. A count is a number of applications, cases or
/// documents of one agency in one year: the busiest agencies report tens of thousands,
/// so a billion leaves three orders of magnitude of room while catching a mistyped or
/// hostile figure (`18446744073709551615`) that would otherwise wrap a sum.
pub const MAX_COUNT: u64 = 1_000_000_000;

/// The largest amount (万元) a cell may hold: ten trillion yuan, above the fees any
/// agency collects, and small enough that sums of amounts are exact in `u128`.
pub const MAX_AMOUNT: u64 = 1_000_000_000;

/// Decimal places an amount in 万元 may have: six is one fen (分).
pub const MAX_AMOUNT_DECIMALS: usize = 6;

/// The years a report may be for: the 条例 took effect on 1 May 2008 and the first
/// yearly reports are for 2008; nothing real lies beyond 2100.
pub const REPORT_YEARS: std::ops::RangeInclusive<u32> = 2008..=2100;

/// Adds counts without wrapping. Loading keeps every count at or below [`MAX_COUNT`], so
/// no sum of a report comes near the limit; saturating is the guard for tables built
/// some other way.
pub fn sum_counts(counts: impl IntoIterator<Item = u64>) -> u64 {
    counts.into_iter().fold(0, u64::saturating_add)
}

/// The report types gongkai knows, newest first: the first is the default.
pub static TYPES: &[&ReportType] = &[&national::NATIONAL_2021, &trial::TRIAL_2019];

/// The report type a file's `type:` names, by id or alias (`trial-2019`, `2019`, `试行`).
pub fn type_named(name: &str) -> Option<&'static ReportType> {
    let n = schema::normalize_label(name);
    TYPES.iter().copied().find(|t| {
        schema::normalize_label(t.id) == n
            || t.aliases.iter().any(|a| schema::normalize_label(a) == n)
    })
}

/// The report type a report of `year` is written in when its file does not say.
pub fn type_for_year(year: u32) -> &'static ReportType {
    TYPES
        .iter()
        .copied()
        .find(|t| (t.years.0..=t.years.1).contains(&year))
        .unwrap_or(TYPES[0])
}

/// One figure of a table, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Count(u64),
    /// A change that may be negative, e.g. `-3`.
    Signed(i64),
    /// A decimal kept exactly as written, e.g. `55.0592`, or a sum with its unit,
    /// e.g. `251000元`.
    Amount(String),
}

impl Value {
    pub fn as_count(&self) -> u64 {
        match self {
            Value::Count(n) => *n,
            Value::Signed(_) | Value::Amount(_) => 0,
        }
    }

    pub fn display(&self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Signed(n) => n.to_string(),
            Value::Amount(s) => s.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub value: Value,
    /// Where it was written, for messages.
    pub path: KeyPath,
}

/// The figures of one official table. Cells left out of the YAML are zero, except
/// totals, which are computed by the rule that defines them.
#[derive(Debug, Clone)]
pub struct TableData {
    pub def: &'static TableDef,
    /// The YAML key of the table.
    pub key: &'static str,
    /// Written cells by (row key, column key).
    pub cells: BTreeMap<(&'static str, &'static str), Cell>,
    /// Where the table itself was written, if it was.
    pub path: KeyPath,
}

/// A rule the editor has looked at and chosen to keep as published.
#[derive(Debug, Clone, Serialize)]
pub struct Acknowledgement {
    pub rule: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub kind: &'static ReportType,
    /// Path relative to the site root.
    pub file: String,
    pub year: u32,
    pub agency: String,
    pub title: String,
    pub published: Option<Date>,
    /// The opening paragraphs (Markdown).
    pub preamble: String,
    /// Narrative sections by key (Markdown).
    pub texts: BTreeMap<&'static str, String>,
    pub tables: BTreeMap<&'static str, TableData>,
    pub acknowledged: Vec<Acknowledgement>,
    pub attachments: Vec<Attachment>,
    /// 审核签发 (`review:`), required by `[review]` as for items.
    pub review: Option<SignOff>,
    pub draft: bool,
    pub example: bool,
    /// The published report this file was imported from (`gongkai import` writes it).
    pub imported_from: Option<String>,
    /// Errors found while reading its tables: rule findings may follow from them.
    pub load_errors: usize,
    pub source_map: SourceMap,
}

/// The checks against the 检查指标 that ask for a reason in the report rather than a
/// correction, and so may be acknowledged like a rule (`acknowledged: - rule: …`).
pub const CHECKS_WITH_REASONS: &[&str] = &["reports.jump"];

impl Report {
    /// The reason given for check or rule `rule`, if the report acknowledges it.
    pub fn acknowledges(&self, rule: &str) -> Option<&str> {
        self.acknowledged
            .iter()
            .find(|a| a.rule == rule)
            .map(|a| a.reason.as_str())
    }

    pub fn table(&self, key: &str) -> Option<&TableData> {
        self.tables.get(key)
    }

    /// Whether the file reproduces a report published earlier (imported, or of a year
    /// before last), whose figures are kept as they were published even where a rule
    /// fails; a report being written now is corrected instead.
    pub fn reproduced(&self) -> bool {
        self.imported_from.is_some() || self.year + 2 <= crate::ground::date::Date::today().year
    }

    /// The default title of the national format.
    pub fn default_title(agency: &str, year: u32) -> String {
        format!("{agency}{year}年政府信息公开工作年度报告")
    }
}

impl TableData {
    pub fn new(def: &'static TableDef, key: &'static str) -> Self {
        TableData {
            def,
            key,
            cells: BTreeMap::new(),
            path: vec![key.to_string()],
        }
    }

    /// The figure in a cell: as written, else computed if the cell is a total, else 0.
    pub fn count(&self, kind: &ReportType, row: &str, col: &str) -> u64 {
        if let Some(c) = self.cells.iter().find(|((r, c), _)| *r == row && *c == col) {
            return c.1.value.as_count();
        }
        self.computed(kind, row, col).unwrap_or(0)
    }

    /// The value of a total cell computed from its parts, whether or not it was written;
    /// `None` if no rule defines the cell as a total.
    pub fn computed(&self, kind: &ReportType, row: &str, col: &str) -> Option<u64> {
        for rule in kind.rules.iter().filter(|r| r.table == self.key) {
            match &rule.kind {
                RuleKind::RowSum { total, parts } if *total == row => {
                    let leaves = self.leaves_under(parts);
                    return Some(sum_counts(leaves.iter().map(|r| self.count(kind, r, col))));
                }
                RuleKind::ColSum { rows, total, parts }
                    if *total == col && (rows.is_empty() || rows.contains(&row)) =>
                {
                    return Some(sum_counts(parts.iter().map(|c| self.count(kind, row, c))));
                }
                _ => {}
            }
        }
        None
    }

    /// A change as written (`本年增/减`), or 0.
    pub fn signed(&self, row: &str, col: &str) -> i64 {
        match self.cells.iter().find(|((r, c), _)| *r == row && *c == col) {
            Some((
                _,
                Cell {
                    value: Value::Signed(n),
                    ..
                },
            )) => *n,
            Some((_, c)) => c.value.as_count() as i64,
            None => 0,
        }
    }

    /// The display value of a cell: written, computed, or zero.
    pub fn display(&self, kind: &ReportType, row: &str, col: &str, cell_kind: CellKind) -> String {
        match self.cells.iter().find(|((r, c), _)| *r == row && *c == col) {
            Some((_, c)) => c.value.display(),
            None if matches!(cell_kind, CellKind::Amount | CellKind::Money) => "0".to_string(),
            None => self.count(kind, row, col).to_string(),
        }
    }

    /// Every data row (not group) under the named rows or groups, in table order.
    pub fn leaves_under(&self, names: &[&str]) -> Vec<&'static str> {
        let mut out = Vec::new();
        for b in self.def.blocks {
            collect_leaves(b.rows, names, false, &mut out);
        }
        out
    }

    pub fn block_of_row(&self, row: &str) -> Option<&'static Block> {
        self.def
            .blocks
            .iter()
            .find(|b| leaf_rows(b.rows).iter().any(|r| r.key() == row))
    }
}

fn collect_leaves(
    rows: &'static [RowDef],
    names: &[&str],
    inside: bool,
    out: &mut Vec<&'static str>,
) {
    for r in rows {
        let hit = inside || names.contains(&r.key());
        match r {
            RowDef::Row { key, .. } if hit => out.push(key),
            RowDef::Row { .. } => {}
            RowDef::Group { children, .. } => collect_leaves(children, names, hit, out),
        }
    }
}

/// The data rows of a row tree, in order.
pub fn leaf_rows(rows: &'static [RowDef]) -> Vec<&'static RowDef> {
    let mut out = Vec::new();
    fn walk(rows: &'static [RowDef], out: &mut Vec<&'static RowDef>) {
        for r in rows {
            match r {
                RowDef::Row { .. } => out.push(r),
                RowDef::Group { children, .. } => walk(children, out),
            }
        }
    }
    walk(rows, &mut out);
    out
}

/// The label of a row or column key in a table, for messages.
pub fn row_label(def: &TableDef, key: &str) -> String {
    fn find(rows: &'static [RowDef], key: &str) -> Option<&'static str> {
        rows.iter().find_map(|r| match r {
            _ if r.key() == key => Some(r.label()),
            RowDef::Group { children, .. } => find(children, key),
            _ => None,
        })
    }
    def.blocks
        .iter()
        .find_map(|b| find(b.rows, key))
        .unwrap_or(key)
        .to_string()
}

pub fn col_label(block: &Block, key: &str) -> String {
    block
        .columns
        .iter()
        .find(|c| c.key == key)
        .map_or(key, |c| c.label)
        .to_string()
}

/// The sections of a report type that hold tables.
pub fn table_sections(
    kind: &ReportType,
) -> impl Iterator<Item = (&'static str, &'static TableDef)> {
    kind.sections.iter().filter_map(|s| match s.content {
        SectionContent::Table(t) => Some((s.key, t)),
        SectionContent::Text => None,
    })
}
